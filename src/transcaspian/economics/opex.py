"""Yearly OPEX: O&M, the Caspian repair agreement, colocation, station power and expected
marine repairs (ship repairs per year x cost per repair).

The expected repairs come from the reliability stage when a result is given (any object with
``ship_repairs_per_year`` and ``availability``, :class:`ReliabilityLike`); otherwise from the
cost book's global fault rate per 1000 km (ICPC) over the route length.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .capex import CostItem, SystemQuantities
from .costbook import CostBook

HOURS_PER_YEAR = 8766.0  # 365.25 d


class ReliabilityLike(Protocol):
    """What economics reads from a reliability result."""

    @property
    def ship_repairs_per_year(self) -> float: ...  # expected marine repairs [1/yr]

    @property
    def availability(self) -> float: ...  # analytic availability of the line [fraction]


@dataclass(frozen=True)
class RepairModel:
    """Expected marine repairs and availability used by OPEX and SLA credits."""

    ship_repairs_per_year: float
    availability: float
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "ship_repairs_per_year": self.ship_repairs_per_year,
            "availability": self.availability,
            "source": self.source,
        }


def repair_model(
    reliability: ReliabilityLike | None,
    route_length_km: float,
    book: CostBook,
    fallback_mttr_days: float,
) -> RepairModel:
    """Repairs per year and availability: the reliability result's, else the global fault rate
    (per 1000 km per year) over the route and A = 1 - f * MTTR / 365 (Trischitta, SubOptic 2004
    tutorial on network availability: unavailability = outage time / total time)."""
    if reliability is not None:
        return RepairModel(
            float(reliability.ship_repairs_per_year),
            float(reliability.availability),
            "reliability stage",
        )
    f = book["fault_rate_per_1000km_per_year"] * route_length_km / 1000.0
    return RepairModel(
        f,
        max(0.0, 1.0 - f * fallback_mttr_days / 365.25),
        f"cost book fault rate x route km, MTTR {fallback_mttr_days:g} d (no reliability result)",
    )


def power_cost_per_w_year(book: CostBook) -> float:
    """Cost of one watt of terminal load for a year, PUE included [currency/(W yr)]."""
    return book["electricity_price_per_kwh"] * book["power_usage_effectiveness"] * (
        HOURS_PER_YEAR / 1000.0
    )


def fixed_opex_items(
    q: SystemQuantities, book: CostBook, initial_capex: float, repairs: RepairModel
) -> tuple[CostItem, ...]:
    """Yearly OPEX that does not scale with lit capacity (lit-capacity power is in the kernel)."""
    items = [
        CostItem("O&M (maintenance of the system)", "om", initial_capex, "initial CAPEX",
                 book["om_percent_of_capex_per_year"] / 100.0, "om_percent_of_capex_per_year"),
        CostItem("repair agreement (vessel on call, spares depot)", "repair", 1.0, "per year",
                 book["repair_agreement_per_year"], "repair_agreement_per_year"),
        CostItem("expected marine repairs", "repair", repairs.ship_repairs_per_year,
                 "repairs per year", book["repair_cost_per_event"], "repair_cost_per_event"),
    ]
    pw = power_cost_per_w_year(book)
    for side in q.landings:
        items.append(CostItem(f"colocation ({side.upper()} end)", "colocation", 1.0, "landing",
                              book["colocation_per_landing_per_year"],
                              "colocation_per_landing_per_year", side=side))
        items.append(CostItem(f"station base power ({side.upper()} end)", "power",
                              book["station_base_power_kw"] * 1000.0, "W",
                              pw, "station_base_power_kw", side=side))
    return tuple(items)
