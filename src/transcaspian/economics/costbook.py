"""The cost book: one CSV row per cost item, with value, unit, currency, year and source.

Laid out like PyPSA's technology-data (one row per parameter, a source on every row). The
bundled book is ``data/cost_book.csv``; a scenario may name its own file
(``economics.cost_book``) and replace single rows (``economics.cost_book_overrides``). An
override of an item the book does not have is an error: a misspelt item is never ignored.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .._load import read_text
from ..errors import EconomicsError
from .config import CostOverride

#: Items the business case reads whatever the design (capex.py, opex.py, stage.py); a design
#: without Raman, ROPA or repeaters does not read those rows, but a run weighs every candidate
#: design, so a run needs them all. Per cable type ``t`` of the armour bands it also reads
#: ``cable_{t}_per_km`` and ``burial_rate_{t}_km_per_day`` (:func:`items_needed`).
ITEMS_NEEDED = (
    "marine_survey_per_route_km", "fibre_per_fibre_km", "surface_lay_rate_km_per_day",
    "installation_weather_factor", "lay_vessel_day_rate", "lay_vessel_caspian_mobilisation",
    "shore_end_per_landing", "beach_manhole_per_landing", "landing_station_per_landing",
    "slte_common_per_fibre_pair", "terminal_price_decline_per_year", "transponder_per_wavelength",
    "raman_pump_per_fibre_pair", "ropa_per_fibre_pair", "repeater_per_body",
    "repeater_fibre_pairs_per_body", "pfe_per_end", "project_management_percent",
    "insurance_percent", "contingency_percent", "om_percent_of_capex_per_year",
    "repair_agreement_per_year", "repair_cost_per_event", "fault_rate_per_1000km_per_year",
    "electricity_price_per_kwh", "power_usage_effectiveness", "transponder_power_w",
    "slte_common_power_w_per_fibre_pair", "station_base_power_kw",
    "colocation_per_landing_per_year",
)
COLUMNS = ("item", "value", "unit", "currency", "year", "category", "tag", "source", "note")
REQUIRED = ("item", "value", "unit", "currency", "year", "source")


@dataclass(frozen=True)
class CostRow:
    """One cost-book entry."""

    item: str
    value: float
    unit: str
    currency: str  # ISO 4217 code, or "-" for a non-monetary row (a rate, a factor)
    year: int
    source: str
    category: str = ""
    tag: str = ""  # S stated, D derived, U uncertain / assumption
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "value": self.value,
            "unit": self.unit,
            "currency": self.currency,
            "year": self.year,
            "category": self.category,
            "tag": self.tag,
            "source": self.source,
            "note": self.note,
        }


@dataclass(frozen=True)
class CostBook:
    """Cost rows by item; ``book["item"]`` is the value."""

    rows: dict[str, CostRow]
    origin: str = "bundled"

    def __getitem__(self, item: str) -> float:
        try:
            return self.rows[item].value
        except KeyError:
            raise EconomicsError(f"cost book ({self.origin}): no item {item!r}") from None

    def row(self, item: str) -> CostRow:
        self[item]
        return self.rows[item]

    def with_overrides(self, overrides: dict[str, CostOverride], currency: str) -> CostBook:
        """A copy with ``overrides`` applied; unknown items and currency mismatches refused."""
        rows = dict(self.rows)
        for name, o in overrides.items():
            if name not in rows:
                raise EconomicsError(
                    f"economics.cost_book_overrides.{name}: unknown cost item {name!r} "
                    f"(not in the cost book {self.origin})"
                )
            old = rows[name]
            if old.currency != "-" and o.currency != old.currency:
                raise EconomicsError(
                    f"economics.cost_book_overrides.{name}.currency: {o.currency!r} differs "
                    f"from the cost book's {old.currency!r}"
                )
            rows[name] = replace(old, value=o.value, source=o.source, tag="override")
        book = CostBook(rows=rows, origin=self.origin)
        book.check_currency(currency)
        return book

    def require(self, items: tuple[str, ...] | list[str]) -> None:
        """Refuse (one line naming the book and the items) a book that lacks any of ``items``:
        a missing row is found by ``scenario check``, not after the stages before economics."""
        missing = [i for i in items if i not in self.rows]
        if missing:
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            raise EconomicsError(
                f"cost book ({self.origin}): missing item{'s' if len(missing) > 1 else ''} "
                f"{', '.join(repr(m) for m in missing[:3])}{more} (a run needs every row of "
                f"the bundled data/cost_book.csv that it reads)"
            )

    def check_currency(self, currency: str) -> None:
        """Every monetary row must be in ``currency`` (no exchange rates are applied)."""
        for r in self.rows.values():
            if r.currency not in ("-", currency):
                raise EconomicsError(
                    f"cost book ({self.origin}): item {r.item!r} is in {r.currency}, "
                    f"economics.currency is {currency} (currency mismatch)"
                )

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in self.rows.values():
            w.writerow(r.to_dict())
        return buf.getvalue()


def _parse_row(raw: dict[str, str | None], origin: str, line: int) -> CostRow:
    for col in REQUIRED:
        if not (raw.get(col) or "").strip():
            raise EconomicsError(f"{origin}: line {line}: column {col!r} is empty")
    item = str(raw["item"]).strip()
    try:
        value = float(str(raw["value"]))
        year = int(str(raw["year"]))
    except ValueError:
        raise EconomicsError(
            f"{origin}: line {line} ({item}): value and year must be numbers"
        ) from None
    if not math.isfinite(value) or value < 0.0:
        raise EconomicsError(f"{origin}: line {line} ({item}): value must be finite and >= 0")
    return CostRow(
        item=item,
        value=value,
        unit=str(raw["unit"]).strip(),
        currency=str(raw["currency"]).strip(),
        year=year,
        source=str(raw["source"]).strip(),
        category=(raw.get("category") or "").strip(),
        tag=(raw.get("tag") or "").strip(),
        note=(raw.get("note") or "").strip(),
    )


def parse_cost_book(text: str, origin: str = "cost book") -> CostBook:
    """Parse cost-book CSV text (columns :data:`COLUMNS`; the first six are required)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise EconomicsError(f"{origin}: missing column {missing[0]!r}")
    rows: dict[str, CostRow] = {}
    for i, raw in enumerate(reader, start=2):
        row = _parse_row(raw, origin, i)
        if row.item in rows:
            raise EconomicsError(f"{origin}: line {i}: item {row.item!r} appears twice")
        rows[row.item] = row
    if not rows:
        raise EconomicsError(f"{origin}: no cost rows")
    return CostBook(rows=rows, origin=origin)


def read_cost_book(path: str | Path | None = None) -> CostBook:
    """Read a cost-book CSV; ``None`` reads the bundled ``data/cost_book.csv``."""
    if path is None:
        text = resources.files("transcaspian").joinpath("data/cost_book.csv").read_text("utf-8")
        return parse_cost_book(text, origin="data/cost_book.csv")
    p = Path(path)
    return parse_cost_book(read_text(p, what="cost book", error=EconomicsError), origin=str(p))


def items_needed(cable_types: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Every cost-book item a run reads, for armour bands of the given cable types."""
    per_type = [k for t in dict.fromkeys(cable_types)
                for k in (f"cable_{t}_per_km", f"burial_rate_{t}_km_per_day")]
    return (*ITEMS_NEEDED, *per_type)


def load_cost_book(
    path: str | Path | None, overrides: dict[str, CostOverride], currency: str
) -> CostBook:
    """The cost book a scenario uses: bundled or user file, with the scenario's overrides."""
    return read_cost_book(path).with_overrides(overrides, currency)
