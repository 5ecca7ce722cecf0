"""Result of the economics stage (frozen dataclasses, ``to_dict()``, the cash-flow CSV)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..records import Record, quantity, text
from .capex import Amplification, CapexBreakdown, CostItem, SystemQuantities
from .consortium import Allocation, allocate_capacity
from .costbook import CostBook
from .finance import Measures, break_even_factor, levelised_cost, measures, present_value
from .kernel import BatchResult, CaseArrays
from .opex import RepairModel
from .revenue import LineTraffic
from .sensitivity import MonteCarloResult, TornadoBar

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario import Scenario


def _r(x: float | None, nd: int = 2) -> float | None:
    return None if x is None else round(float(x), nd)


@dataclass(frozen=True)
class DesignFacts:
    """What economics reads from the optics stage's recommended design."""

    name: str
    label: str
    amplification: Amplification
    repeaters: int
    fibre_pairs: int
    channels_per_pair: int
    wavelength_gbps: float
    capacity_tbps_per_pair: float

    @property
    def design_capacity_tbps(self) -> float:
        return self.capacity_tbps_per_pair * self.fibre_pairs

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "amplification": self.amplification,
            "repeaters": self.repeaters,
            "fibre_pairs": self.fibre_pairs,
            "channels_per_pair": self.channels_per_pair,
            "wavelength_gbps": round(self.wavelength_gbps, 3),
            "design_capacity_tbps": round(self.design_capacity_tbps, 3),
        }


VOLUME_RULE = (
    "Demand wanting the line: the network stage's base-year flow on the line x the market "
    "share, growing at the demand growth. Deliverable: each group of the line's paths grows "
    "with that demand until its bottleneck onward corridor link (highest base-year "
    "utilisation, the line itself excluded) is full, then with the link's lit capacity "
    "(network.onward_capacity_growth_per_year): a full link shares its capacity pro rata "
    "among all the traffic that wants it. Sold: the deliverable volume, at most the design "
    "capacity. Lit pairs: enough lit wavelengths for the sold volume, never switched off."
)


@dataclass(frozen=True)
class VolumeYear(Record):
    """The line's traffic in one year of the business case."""

    year: int = quantity("1", "Calendar year (the first is the build year: nothing sold)",
                         digits=None)
    demand_tbps: float = quantity(
        "Tbit/s", "Demand wanting the line: base-year flow x market share x demand growth",
        digits=4)
    onward_limit_tbps: float | None = quantity(
        "Tbit/s", "What the onward corridor links leave for the line at their capacity that "
        "year (their base-year headroom x capacity growth); null = unbounded", digits=4)
    deliverable_tbps: float = quantity(
        "Tbit/s", "Traffic the corridor can deliver to and from the line (network-bounded)",
        digits=4)
    sold_tbps: float = quantity(
        "Tbit/s", "Volume sold: the deliverable volume, at most the design capacity", digits=4)
    design_capacity_tbps: float = quantity(
        "Tbit/s", "Design capacity of the line (all fibre pairs lit)", digits=3)
    lit_wavelengths: int = quantity("1", "Wavelengths lit (non-decreasing)", digits=None)
    lit_fibre_pairs: int = quantity("1", "Fibre pairs lit (non-decreasing)", digits=None)


@dataclass(frozen=True)
class LineVolumes(Record):
    """The line's volumes over the life: demand, the network bound, sales and lit pairs."""

    rule: str = text("How the yearly volumes are derived")
    onward_capacity_growth_per_year: float = quantity(
        "1/yr", "Yearly growth of the onward links' lit capacity "
        "(network.onward_capacity_growth_per_year)")
    bottleneck: str = text(
        "Bottleneck onward link of the largest group of the line's paths ('none' without a "
        "network result)")
    onward_capped_year: int | None = quantity(
        "1", "First year the onward corridor holds the line below its demand; null = never",
        digits=None)
    years: tuple[VolumeYear, ...] = quantity("", "One row per year of the business case",
                                             digits=None)

    def csv(self) -> str:
        """The yearly rows as CSV, units in the header."""
        from ..records import records_csv

        return records_csv(self.years)


def line_volumes(
    years: np.ndarray, detail: BatchResult, design_capacity_tbps: float, traffic: LineTraffic,
    capacity_growth: float,
) -> LineVolumes:
    """The typed per-year volumes of sample 0 of the kernel's detailed output."""
    assert detail.demand_tbps is not None and detail.deliverable_tbps is not None
    assert detail.sold_tbps is not None and detail.onward_limit_tbps is not None
    assert detail.lit_wavelengths is not None and detail.lit_pairs is not None
    assert detail.onward_capped_year_index is not None
    capped = int(detail.onward_capped_year_index[0])
    rows = tuple(
        VolumeYear(
            year=int(y),
            demand_tbps=float(detail.demand_tbps[0, t]),
            onward_limit_tbps=None if not np.isfinite(detail.onward_limit_tbps[0, t])
            else float(detail.onward_limit_tbps[0, t]),
            deliverable_tbps=float(detail.deliverable_tbps[0, t]),
            sold_tbps=float(detail.sold_tbps[0, t]),
            design_capacity_tbps=design_capacity_tbps,
            lit_wavelengths=int(detail.lit_wavelengths[0, t]),
            lit_fibre_pairs=int(detail.lit_pairs[0, t]),
        )
        for t, y in enumerate(years)
    )
    return LineVolumes(
        rule=VOLUME_RULE if traffic.onward else VOLUME_RULE.split(" Deliverable:")[0]
        + " No network result: nothing bounds the deliverable volume but the demand. Sold: "
        "the demand, at most the design capacity.",
        onward_capacity_growth_per_year=capacity_growth,
        bottleneck=traffic.onward[0].bottleneck if traffic.onward else "none",
        onward_capped_year=None if capped < 0 else int(years[capped]),
        years=rows,
    )


@dataclass(frozen=True)
class ComparatorResult:
    """Model CAPEX of a published system beside its published cost."""

    name: str
    model_total: float
    published: float
    published_scope: str
    capex: CapexBreakdown

    @property
    def ratio(self) -> float:
        return self.model_total / self.published

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "model_total": round(self.model_total, 2),
            "published": self.published,
            "published_scope": self.published_scope,
            "ratio_model_to_published": round(self.ratio, 4),
            "capex": self.capex.to_dict(),
        }


@dataclass(frozen=True)
class MemberResult:
    """One consortium member's part of the business case."""

    name: str
    country: str
    share: float
    allocation: Allocation
    capital_calls: np.ndarray  # (T,) CAPEX paid per year
    opex: np.ndarray  # (T,)
    revenue: np.ndarray  # (T,)
    cash_flow: np.ndarray  # (T,)
    measures: Measures

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "share": self.share,
            "capacity": self.allocation.to_dict(),
            "capital_calls": [_r(v) for v in self.capital_calls],
            "capital_calls_total": _r(self.capital_calls.sum()),
            "opex": [_r(v) for v in self.opex],
            "revenue": [_r(v) for v in self.revenue],
            "cash_flow": [_r(v) for v in self.cash_flow],
            **self.measures.to_dict(),
        }


@dataclass(frozen=True)
class EconomicsResult:
    """Everything the economics stage produces; ``to_dict()`` is ``report.json``'s block."""

    currency: str
    discount_rate: float
    years: np.ndarray  # (T,) calendar years, index 0 = build
    design: DesignFacts
    quantities: SystemQuantities
    capex: CapexBreakdown
    opex_items: tuple[CostItem, ...]
    published_budget: float
    comparators: tuple[ComparatorResult, ...]
    traffic: LineTraffic
    repairs: RepairModel
    sla_credit_fraction: float
    products: tuple[str, ...]
    revenue_by_product: np.ndarray  # (P, T) project
    capex_by_year: np.ndarray  # (T,)
    opex_by_year: np.ndarray  # (T,)
    cash_flow: np.ndarray  # (T,)
    demand_tbps: np.ndarray  # (T,)
    sold_tbps: np.ndarray  # (T,)
    lit_wavelengths: np.ndarray  # (T,)
    lit_pairs: np.ndarray  # (T,)
    measures: Measures
    break_even: dict[str, dict[str, Any]]
    levelised_cost_per_100g_year: float | None
    levelised_cost_per_tbps_km_year: float | None
    capacity_exhausted_year: int | None
    members: tuple[MemberResult, ...]
    tornado: tuple[TornadoBar, ...]
    monte_carlo: MonteCarloResult
    cost_book: CostBook
    volumes: LineVolumes | None = None
    """The line's yearly volumes: demand, network bound, sold, design, lit pairs."""
    budget_route: str = "Sumgayit–Aktau"
    """The route the published budget is for."""
    budget_applies: bool = True
    """Whether the scenario's landings are that route's (only then is the budget compared)."""
    digital_hub_npv: dict[str, float] | None = None
    """Project NPV with the line's traffic sold without / with the Digital Hub's kept-local
    part as terminating (``without``, ``with``) [currency]; equal when the hub keeps nothing
    local on the line (or there is no network result)."""
    rfs: Any = None
    """The RFS distribution's effect (:class:`~transcaspian.economics.delay.RfsEffect`), when
    the install stage ran."""

    @property
    def model_total(self) -> float:
        return self.capex.total

    @property
    def budget_ratio(self) -> float:
        return self.model_total / self.published_budget

    def budget_text(self, scale: float = 1e6, unit: str = "M") -> str:
        """The published budget beside the model CAPEX: a ratio only when the budget is this
        route's, else named as another route's reference (one phrase, for the CLI and the
        report)."""
        pub = f"{self.published_budget / scale:,.1f} {unit}"
        if self.budget_applies:
            return f"published {pub}, ratio {self.budget_ratio:.2f}"
        return f"published {pub} is for {self.budget_route}, another route: not compared"

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.capacity_exhausted_year is not None:
            out.append(
                f"demand on the line exceeds the design capacity "
                f"({self.design.design_capacity_tbps:.1f} Tbit/s) from "
                f"{self.capacity_exhausted_year}: sales are capped at the design"
            )
        return out

    def cashflow_rows(self) -> list[dict[str, Any]]:
        rows = []
        cum = np.cumsum(self.cash_flow)
        disc = self.cash_flow / (1 + self.discount_rate) ** np.arange(self.years.size)
        for t, y in enumerate(self.years):
            row: dict[str, Any] = {"year": int(y)}
            for j, p in enumerate(self.products):
                row[f"revenue_{p}"] = round(float(self.revenue_by_product[j, t]), 2)
            row.update(
                revenue_total=round(float(self.revenue_by_product[:, t].sum()), 2),
                capex=round(float(self.capex_by_year[t]), 2),
                opex=round(float(self.opex_by_year[t]), 2),
                cash_flow=round(float(self.cash_flow[t]), 2),
                cumulative_cash_flow=round(float(cum[t]), 2),
                discounted_cash_flow=round(float(disc[t]), 2),
                demand_tbps=round(float(self.demand_tbps[t]), 4),
                sold_tbps=round(float(self.sold_tbps[t]), 4),
                **({} if self.volumes is None else
                   {"deliverable_tbps": self.volumes.years[t].to_dict()["deliverable_tbps"]}),
                lit_wavelengths=int(self.lit_wavelengths[t]),
                lit_fibre_pairs=int(self.lit_pairs[t]),
            )
            for m in self.members:
                row[f"cash_flow_{m.name}"] = round(float(m.cash_flow[t]), 2)
            rows.append(row)
        return rows

    def cashflow_csv(self) -> str:
        """Yearly cash flows (project by product, CAPEX, OPEX, members) as CSV text."""
        rows = self.cashflow_rows()
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue()

    def to_dict(self) -> dict[str, Any]:
        used = {i.book_item for i in self.capex.items + self.opex_items}
        return {
            "currency": self.currency,
            "discount_rate": self.discount_rate,
            "years": [int(y) for y in self.years],
            "design": self.design.to_dict(),
            "capex": self.capex.to_dict(),
            "opex_items": [i.to_dict() for i in self.opex_items],
            "budget": {
                "model_total": round(self.model_total, 2),
                "published": self.published_budget,
                "ratio_model_to_published": round(self.budget_ratio, 4),
                "published_for_route": self.budget_route,
                "applies_to_this_line": self.budget_applies,
            },
            "comparators": [c.to_dict() for c in self.comparators],
            "traffic": self.traffic.to_dict(),
            "repairs": self.repairs.to_dict(),
            "sla_credit_fraction": round(self.sla_credit_fraction, 6),
            "project": {
                **self.measures.to_dict(),
                "break_even": self.break_even,
                "levelised_cost_per_100g_year": _r(self.levelised_cost_per_100g_year),
                "levelised_cost_per_tbps_km_year": _r(self.levelised_cost_per_tbps_km_year, 4),
                "capacity_exhausted_year": self.capacity_exhausted_year,
            },
            "cash_flows": self.cashflow_rows(),
            "members": [m.to_dict() for m in self.members],
            "tornado": [b.to_dict() for b in self.tornado],
            "monte_carlo": self.monte_carlo.to_dict(),
            "digital_hub_npv": {k: round(v, 2) for k, v in (self.digital_hub_npv or {}).items()},
            **({} if self.volumes is None else {"volumes": self.volumes.to_dict()}),
            "cost_book_rows_used": [self.cost_book.rows[k].to_dict() for k in sorted(used)
                                    if k in self.cost_book.rows],
            **({} if self.rfs is None else {"rfs": self.rfs.to_dict()}),
            "warnings": self.warnings,
        }


def _break_even(
    scenario: Scenario, rev: np.ndarray, npv_value: float, rate: float
) -> dict[str, dict[str, Any]]:
    """Break-even price per product: its price x k* (every member's), others held."""
    out: dict[str, dict[str, Any]] = {}
    for j, (p, prod) in enumerate(scenario.economics.products.items()):
        k = break_even_factor(npv_value, present_value(rate, rev[j]))
        iru = prod.contract == "iru"
        base = prod.iru_price_per_unit if iru else prod.price_per_unit_month
        out[p] = {
            "price_factor": _r(k, 4),
            "base_price": base,
            "break_even_price": None if k is None else round(max(k, 0.0) * base, 4),
            "price_unit": f"per {prod.unit_gbps:g} Gbit/s" + ("" if iru else " per month"),
        }
    k = break_even_factor(npv_value, present_value(rate, rev.sum(axis=0)))
    out["all_products"] = {
        "price_factor": _r(k, 4), "base_price": 1.0,
        "break_even_price": None if k is None else round(max(k, 0.0), 4),
        "price_unit": "x every product's price",
    }
    return out


def assemble_result(
    *,
    scenario: Scenario,
    book: CostBook,
    design: DesignFacts,
    quantities: SystemQuantities,
    capex: CapexBreakdown,
    opex: tuple[CostItem, ...],
    repairs: RepairModel,
    traffic: LineTraffic,
    case: CaseArrays,
    detail: BatchResult,
    tornado: tuple[TornadoBar, ...],
    monte_carlo: MonteCarloResult,
    comparators: tuple[ComparatorResult, ...],
) -> EconomicsResult:
    """Finance measures, break-even, levelised costs and members from the kernel's output."""
    assert detail.revenue is not None and detail.cash_flow is not None
    assert detail.member_cash_flow is not None and detail.member_capex is not None
    assert detail.member_opex is not None and detail.sold_tbps is not None
    cfg = scenario.economics
    r = cfg.discount_rate
    years = cfg.construction_year + np.arange(scenario.cable.design_life_years + 1)
    rev = detail.revenue[0].sum(axis=0)  # (P, T)
    cash = detail.cash_flow[0]
    capex_y, opex_y = detail.capex[0], detail.opex[0]  # type: ignore[index]
    proj = measures(cash, r, int(years[0]))
    sold = detail.sold_tbps[0]
    alloc = allocate_capacity(
        scenario.consortium.members, design.fibre_pairs, design.channels_per_pair,
        design.capacity_tbps_per_pair,
    )
    members = tuple(
        MemberResult(
            name=m.name, country=m.country, share=m.share, allocation=alloc[i],
            capital_calls=detail.member_capex[0, i], opex=detail.member_opex[0, i],
            revenue=detail.revenue[0, i].sum(axis=0), cash_flow=detail.member_cash_flow[0, i],
            measures=measures(detail.member_cash_flow[0, i], r, int(years[0])),
        )
        for i, m in enumerate(scenario.consortium.members)
    )
    ex = int(detail.exhausted_year_index[0])
    names = tuple(cfg.products)
    return EconomicsResult(
        currency=cfg.currency, discount_rate=r, years=years, design=design,
        quantities=quantities, capex=capex, opex_items=opex,
        published_budget=cfg.published_budget, comparators=comparators, traffic=traffic,
        budget_route=cfg.published_budget_route.name,
        budget_applies=cfg.published_budget_route.applies_to(
            (scenario.landings.a.lat_deg, scenario.landings.a.lon_deg),
            (scenario.landings.b.lat_deg, scenario.landings.b.lon_deg)),
        repairs=repairs, sla_credit_fraction=float(np.asarray(case.sla_credit_fraction)),
        products=names, revenue_by_product=rev, capex_by_year=capex_y, opex_by_year=opex_y,
        cash_flow=cash, demand_tbps=detail.demand_tbps[0],  # type: ignore[index]
        sold_tbps=sold, lit_wavelengths=detail.lit_wavelengths[0],  # type: ignore[index]
        lit_pairs=detail.lit_pairs[0], measures=proj,  # type: ignore[index]
        break_even=_break_even(scenario, rev, proj.npv, r),
        levelised_cost_per_100g_year=levelised_cost(r, capex_y + opex_y, sold * 10.0),
        levelised_cost_per_tbps_km_year=levelised_cost(
            r, capex_y + opex_y, sold * quantities.route_length_km
        ),
        capacity_exhausted_year=None if ex < 0 else int(years[ex]),
        members=members, tornado=tornado, monte_carlo=monte_carlo, cost_book=book,
        volumes=line_volumes(years, detail, design.design_capacity_tbps, traffic,
                             scenario.network.onward_capacity_growth_per_year),
    )
