"""CAPEX item by item from a system's quantities (route, cable tally, design, terminals).

The same functions cost the planned line (quantities from the route and optics results) and a
published comparator (quantities stated in the scenario), so the two ratios model/published
are computed the same way. No factor is fitted to the published figures.

One system per call (the items are scalars); a sweep over designs passes each design's totals
and unit costs to the vectorised kernel (:mod:`transcaspian.economics.kernel`) as arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from .costbook import CostBook

Side = Literal["a", "b"]
Amplification = Literal["booster", "booster_raman", "booster_raman_ropa", "edfa_repeaters"]


@dataclass(frozen=True)
class SystemQuantities:
    """What CAPEX is computed from.

    ``route_km_by_type`` and ``cable_km_by_type`` are the RPL tally (route and cable km per
    cable type); ``buried_route_km_by_type`` the route km with a burial target > 0.
    """

    route_length_km: float
    route_km_by_type: dict[str, float]
    cable_km_by_type: dict[str, float]
    buried_route_km_by_type: dict[str, float]
    fibre_pairs: int
    amplification: Amplification
    repeaters: int
    lit_fibre_pairs: int
    lit_wavelengths: int
    landings: tuple[Side, ...] = ("a", "b")
    inland_sea: bool = True  # the lay vessel must be brought in (Caspian: Volga-Don limits)


@dataclass(frozen=True)
class CostItem:
    """One CAPEX or OPEX line: quantity x unit cost, traced to its cost-book row."""

    name: str
    category: str
    quantity: float
    unit: str
    unit_cost: float
    book_item: str
    side: Side | None = None  # None: shared by all members by share

    @property
    def total(self) -> float:
        """quantity x unit cost [currency]."""
        return float(self.quantity * self.unit_cost)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "category": self.category,
            "quantity": round(float(self.quantity), 4),
            "unit": self.unit,
            "unit_cost": round(float(self.unit_cost), 2),
            "total": round(self.total, 2),
            "book_item": self.book_item,
            "side": self.side,
        }


@dataclass(frozen=True)
class CapexBreakdown:
    """The CAPEX items of one system and their totals."""

    items: tuple[CostItem, ...]
    install_days: float
    notes: tuple[str, ...] = field(default=())

    @property
    def total(self) -> float:
        return float(sum(i.total for i in self.items))

    def by_category(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for i in self.items:
            out[i.category] = out.get(i.category, 0.0) + i.total
        return out

    def side_total(self, side: Side | None) -> float:
        return float(sum(i.total for i in self.items if i.side == side))

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": round(self.total, 2),
            "by_category": {k: round(v, 2) for k, v in self.by_category().items()},
            "install_days": round(self.install_days, 2),
            "items": [i.to_dict() for i in self.items],
        }


def installation_days(q: SystemQuantities, book: CostBook) -> dict[str, float]:
    """Vessel days per cable type: buried km at the type's burial rate, the rest at the surface
    lay rate, times the weather-standby factor [d]."""
    out = {}
    surface = book["surface_lay_rate_km_per_day"]
    weather = book["installation_weather_factor"]
    for t, route_km in q.route_km_by_type.items():
        buried = q.buried_route_km_by_type.get(t, 0.0)
        days = buried / book[f"burial_rate_{t}_km_per_day"] + (route_km - buried) / surface
        out[t] = float(days * weather)
    return out


def _marine_items(q: SystemQuantities, book: CostBook, spare_percent: float,
                  install: Any = None) -> list[CostItem]:
    items = [
        CostItem("marine survey", "survey", q.route_length_km, "route km",
                 book["marine_survey_per_route_km"], "marine_survey_per_route_km"),
    ]
    fibre_cost = 2 * q.fibre_pairs * book["fibre_per_fibre_km"]
    for t, km in q.cable_km_by_type.items():
        items.append(
            CostItem(f"cable {t} (+{spare_percent:g} % spare)", "cable",
                     km * (1.0 + spare_percent / 100.0), "cable km",
                     book[f"cable_{t}_per_km"] + fibre_cost, f"cable_{t}_per_km")
        )
    if install is None:
        for t, days in installation_days(q, book).items():
            items.append(CostItem(f"installation {t} (lay and burial)", "installation", days,
                                  "vessel days", book["lay_vessel_day_rate"],
                                  "lay_vessel_day_rate"))
    else:  # the install stage's simulated vessel days replace the flat weather factor
        items.append(CostItem("installation (lay vessel, mean simulated days paid incl. weather, "
                              "joints, shore ends, winter lay-up at standby rate and "
                              "demobilisation)", "installation",
                              float(install.charged_vessel_days_mean), "vessel days",
                              book["lay_vessel_day_rate"], "lay_vessel_day_rate"))
        items.append(CostItem("burial and protection (CBRA burial plan)", "installation", 1.0,
                              "lump sum", float(install.burial_capex_usd), "install_burial"))
    if q.inland_sea:
        items.append(CostItem("lay vessel into the Caspian (mobilisation)", "installation",
                              1.0, "lump sum", book["lay_vessel_caspian_mobilisation"],
                              "lay_vessel_caspian_mobilisation"))
    return items


def _landing_items(q: SystemQuantities, book: CostBook) -> list[CostItem]:
    items = []
    for side in q.landings:
        for what, key in (("shore end", "shore_end_per_landing"),
                          ("beach manhole", "beach_manhole_per_landing"),
                          ("landing station", "landing_station_per_landing")):
            items.append(CostItem(f"{what} ({side.upper()} end)", "landing", 1.0, "landing",
                                  book[key], key, side=side))
    return items


def _amplification_items(q: SystemQuantities, book: CostBook) -> list[CostItem]:
    items = []
    if q.amplification in ("booster_raman", "booster_raman_ropa"):
        items.append(CostItem("Raman pump units", "amplification", q.lit_fibre_pairs,
                              "lit fibre pairs", book["raman_pump_per_fibre_pair"],
                              "raman_pump_per_fibre_pair"))
    if q.amplification == "booster_raman_ropa":
        items.append(CostItem("ROPA (remote optically pumped amplifiers)", "amplification",
                              q.fibre_pairs, "fibre pairs", book["ropa_per_fibre_pair"],
                              "ropa_per_fibre_pair"))
    if q.repeaters > 0:
        bodies = q.repeaters * np.ceil(q.fibre_pairs / book["repeater_fibre_pairs_per_body"])
        items.append(CostItem("repeaters", "amplification", float(bodies), "repeater bodies",
                              book["repeater_per_body"], "repeater_per_body"))
        items.append(CostItem("power-feeding equipment (PFE)", "amplification",
                              float(len(q.landings)), "ends", book["pfe_per_end"],
                              "pfe_per_end"))
    return items


def capex_breakdown(q: SystemQuantities, book: CostBook, spare_percent: float,
                    install: Any = None) -> CapexBreakdown:
    """CAPEX item by item: survey, cable by type (+ spare), installation days x vessel rate and
    the Caspian mobilisation, shore ends / manholes / stations per landing, SLTE common per lit
    pair and transponders per lit wavelength, Raman/ROPA or repeaters/PFE, then project
    management, insurance and contingency as percentages of the direct cost."""
    items = _marine_items(q, book, spare_percent, install) + _landing_items(q, book)
    items += [
        CostItem("SLTE common equipment", "terminal", q.lit_fibre_pairs, "lit fibre pairs",
                 book["slte_common_per_fibre_pair"], "slte_common_per_fibre_pair"),
        CostItem("transponders", "terminal", q.lit_wavelengths, "lit wavelengths",
                 book["transponder_per_wavelength"], "transponder_per_wavelength"),
    ]
    items += _amplification_items(q, book)
    direct = sum(i.total for i in items)
    for what, key in (("project management", "project_management_percent"),
                      ("insurance", "insurance_percent"),
                      ("contingency", "contingency_percent")):
        items.append(CostItem(what, "indirect", direct, "direct CAPEX", book[key] / 100.0, key))
    days = (sum(installation_days(q, book).values()) if install is None
            else float(install.charged_vessel_days_mean))
    return CapexBreakdown(items=tuple(items), install_days=float(days))
