"""The economics stage: ``run_economics(scenario, route, design, network, reliability=None)``.

Reads the route's cable tally, the design the decision stage chose, the network stage's
traffic on the line (and, when given, the reliability stage's repairs and availability),
costs the line item by item from the cost book, evaluates the business case with the
vectorised kernel, splits it among the consortium members and runs the sensitivities.

:func:`business_case` is the stage's core - CAPEX, life-cycle cost, NPV, IRR and the demand
against the design's capacity of one candidate design - which the decision stage evaluates for
every candidate; :func:`run_economics` builds on the same case, so the decision table and the
business-case section give the chosen design the same figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, get_args

import numpy as np

from ..errors import EconomicsError
from ..records import Record, quantity, text
from .capex import CapexBreakdown, CostItem, SystemQuantities, capex_breakdown
from .config import Comparator, EconomicsConfig
from .consortium import check_offers, side_weights
from .costbook import CostBook, items_needed, load_cost_book
from .finance import measures
from .kernel import CaseArrays, evaluate_batch
from .opex import (
    ReliabilityLike,
    RepairModel,
    fixed_opex_items,
    power_cost_per_w_year,
    repair_model,
)
from .result import ComparatorResult, DesignFacts, EconomicsResult, assemble_result
from .revenue import LineTraffic, line_traffic, product_arrays
from .sensitivity import FaultTerms, monte_carlo, sla_credit_fraction, tornado

if TYPE_CHECKING:  # pragma: no cover
    from ..geo.stage import RouteResult
    from ..network.analysis import CorridorResult
    from ..optics.design import DesignResult
    from ..scenario import Scenario

__all__ = ["BusinessCase", "business_case", "check_economics_inputs", "run_economics"]


def design_facts(d: DesignResult, fibre_pairs: int) -> DesignFacts:
    """A design's amplification, repeaters and capacity per wavelength."""
    rates = np.asarray(d.rate_gbps, dtype=float)
    lit = rates[rates > 0]
    if lit.size == 0 or not d.feasible:
        raise EconomicsError(
            f"optics: design {d.name!r} does not carry every channel at end of life; "
            "nothing to sell"
        )
    return DesignFacts(
        name=d.name,
        label=d.label,
        amplification=d.amplification,  # type: ignore[arg-type]
        repeaters=int(d.repeaters),
        fibre_pairs=int(fibre_pairs),
        channels_per_pair=int(lit.size),
        wavelength_gbps=float(lit.mean()),
        capacity_tbps_per_pair=float(lit.sum() / 1000.0),
    )


def line_quantities(
    route: RouteResult, design: DesignFacts, lit_pairs: int, lit_wavelengths: int
) -> SystemQuantities:
    """Quantities of the planned line: the RPL tally, buried km, the optical design."""
    rpl = route.rpl
    seg = np.diff(rpl.kp_km)
    types = np.array(rpl.cable_type[:-1])
    buried = np.asarray(rpl.burial_m[:-1]) > 0.0
    tally = rpl.type_lengths_km()
    return SystemQuantities(
        route_length_km=route.route_length_km,
        route_km_by_type={t: v["route_km"] for t, v in tally.items()},
        cable_km_by_type={t: v["cable_km"] for t, v in tally.items()},
        buried_route_km_by_type={t: float(seg[(types == t) & buried].sum()) for t in tally},
        fibre_pairs=design.fibre_pairs,
        amplification=design.amplification,
        repeaters=design.repeaters,
        lit_fibre_pairs=lit_pairs,
        lit_wavelengths=lit_wavelengths,
        inland_sea=True,
    )


def comparator_result(c: Comparator, book: CostBook, spare_percent: float) -> ComparatorResult:
    """A published system costed by the same functions from its stated quantities."""
    q = SystemQuantities(
        route_length_km=c.route_length_km,
        route_km_by_type=dict(c.route_km_by_type),
        cable_km_by_type={t: km * (1 + c.slack_percent / 100) for t, km in
                          c.route_km_by_type.items()},
        buried_route_km_by_type=dict(c.buried_route_km_by_type),
        fibre_pairs=c.fibre_pairs,
        amplification=c.amplification,
        repeaters=c.repeaters,
        lit_fibre_pairs=c.fibre_pairs,
        lit_wavelengths=c.lit_wavelengths,
        inland_sea=c.inland_sea,
    )
    b = capex_breakdown(q, book, spare_percent)
    return ComparatorResult(c.name, b.total, c.published_cost, c.published_scope, b)


def initial_lit(cfg: EconomicsConfig, d: DesignFacts) -> tuple[int, int]:
    cap = d.capacity_tbps_per_pair * d.fibre_pairs
    wl = math.ceil(min(cfg.initial_lit_tbps, cap) * 1000.0 / d.wavelength_gbps - 1e-9)
    return math.ceil(wl / d.channels_per_pair - 1e-9), wl


def build_case(
    scenario: Scenario,
    design: DesignFacts,
    capex: CapexBreakdown,
    opex: tuple[CostItem, ...],
    traffic: LineTraffic,
    book: CostBook,
    repairs: RepairModel,
) -> tuple[CaseArrays, FaultTerms]:
    """The kernel inputs of the scenario (one sample) and how faults enter them."""
    cfg = scenario.economics
    members = scenario.consortium.members
    prods = product_arrays(cfg, members)
    years = cfg.construction_year + np.arange(scenario.cable.design_life_years + 1)
    pw = power_cost_per_w_year(book)
    raman = design.amplification in ("booster_raman", "booster_raman_ropa")
    repair_cost = repairs.ship_repairs_per_year * book["repair_cost_per_event"]
    opex_shared = sum(i.total for i in opex if i.side is None)
    faults = FaultTerms(
        repairs_per_year=repairs.ship_repairs_per_year,
        unavailability=1.0 - repairs.availability,
        cost_per_repair=book["repair_cost_per_event"],
        max_credit=cfg.sla.max_credit_fraction,
        opex_shared_without_repairs=opex_shared - repair_cost,
    )
    case = CaseArrays(
        years_since_base=(years - traffic.base_year).astype(float),
        horizon_offset=float(traffic.horizon_year - traffic.base_year),
        is_iru=prods.is_iru,
        unit_gbps=prods.unit_gbps,
        iru_term_years=prods.iru_term_years,
        share=np.array([m.share for m in members]),
        side_weights=side_weights(scenario),
        capex_shared=np.array(capex.side_total(None)),
        capex_side=np.array([capex.side_total("a"), capex.side_total("b")]),
        opex_shared=np.array(opex_shared),
        opex_side=np.array([sum(i.total for i in opex if i.side == s) for s in ("a", "b")]),
        capex_scale=np.array(1.0),
        pair_upgrade_cost=np.array(
            book["slte_common_per_fibre_pair"] + (book["raman_pump_per_fibre_pair"] if raman
                                                  else 0.0)
        ),
        wavelength_cost=np.array(book["transponder_per_wavelength"]),
        equipment_decline=np.array(book["terminal_price_decline_per_year"]),
        pair_power_cost=np.array(book["slte_common_power_w_per_fibre_pair"] * pw),
        wavelength_power_cost=np.array(book["transponder_power_w"] * pw),
        initial_wavelengths=np.array(float(initial_lit(cfg, design)[1])),
        channels_per_pair=np.array(float(design.channels_per_pair)),
        wavelength_gbps=np.array(design.wavelength_gbps),
        fibre_pairs=np.array(float(design.fibre_pairs)),
        terminating_tbps=np.array(traffic.terminating_tbps),
        transit_tbps=np.array(traffic.baku_transit_tbps),
        growth=np.array(traffic.growth_per_year),
        growth_after=np.array(traffic.growth_after_horizon_per_year),
        market_share=np.array(cfg.market_share),
        mix_transit=prods.mix_transit,
        mix_terminating=prods.mix_terminating,
        lease_price_month=prods.lease_price_month,
        iru_price=prods.iru_price,
        iru_om_fraction=prods.iru_om_fraction,
        erosion=prods.erosion,
        sla_credit_fraction=sla_credit_fraction(
            faults.unavailability, faults.repairs_per_year, faults.max_credit
        ),
        discount_rate=np.array(cfg.discount_rate),
        onward_share=traffic.onward_arrays()[0],
        onward_headroom=traffic.onward_arrays()[1],
        capacity_growth=np.array(scenario.network.onward_capacity_growth_per_year),
    )
    return case, faults


def check_economics_inputs(scenario: Scenario) -> CostBook:
    """Read the cost book with the scenario's overrides and check the member offers."""
    cfg = scenario.economics
    check_offers(scenario)
    book = load_cost_book(cfg.cost_book, cfg.cost_book_overrides, cfg.currency)
    # every cable type a band may name (the route decides which are used; reading the bands
    # here would make the economics stage read cable.armour_bands, which it does not declare)
    from ..scenario import CableType

    book.require(items_needed(get_args(CableType)))
    return book


@dataclass(frozen=True)
class _Case:
    """One design's business case before its sensitivities (internal)."""

    book: CostBook
    design: DesignFacts
    quantities: SystemQuantities
    capex: CapexBreakdown
    repairs: RepairModel
    opex: tuple[CostItem, ...]
    traffic: LineTraffic
    case: CaseArrays
    faults: FaultTerms


def _case(scenario: Scenario, route: RouteResult, design: DesignResult,
          network: CorridorResult | None, reliability: ReliabilityLike | None,
          install: Any = None) -> _Case:
    cfg = scenario.economics
    book = check_economics_inputs(scenario)
    facts = design_facts(design, int(scenario.cable.fibre_pairs))
    lit_pairs, lit_wl = initial_lit(cfg, facts)
    q = line_quantities(route, facts, lit_pairs, lit_wl)
    capex = capex_breakdown(q, book, cfg.spare_cable_percent, install)
    repairs = repair_model(reliability, route.route_length_km, book, cfg.sla.fallback_mttr_days)
    opex = fixed_opex_items(q, book, capex.total, repairs)
    traffic = line_traffic(network, cfg)
    case, faults = build_case(scenario, facts, capex, opex, traffic, book, repairs)
    return _Case(book, facts, q, capex, repairs, opex, traffic, case, faults)


@dataclass(frozen=True)
class BusinessCase(Record):
    """The business case of one candidate design: what the decision weighs."""

    design: str = text("design name")
    currency: str = text("currency of the money fields (economics.currency)")
    capex: float = quantity("currency", "build CAPEX (year 0)", digits=0)
    lifecycle_cost: float = quantity("currency", "present value of CAPEX, upgrades and OPEX "
                                     "over the design life", digits=0)
    npv: float = quantity("currency", "net present value of the project", digits=0)
    irr: float | None = quantity("1", "internal rate of return (None: no sign change)")
    payback_year: int | None = quantity("yr", "first calendar year with a non-negative "
                                        "cumulative cash flow (None: never)", digits=None)
    final_year: int = quantity("yr", "last year of the design life", digits=None)
    demand_final_tbps: float = quantity("Tb/s", "demand wanting the line in the last year",
                                        digits=3)
    deliverable_final_tbps: float = quantity("Tb/s", "what the corridor can deliver to and from "
                                             "the line in the last year", digits=3)
    sold_final_tbps: float = quantity("Tb/s", "capacity sold in the last year (demand capped "
                                      "by the design capacity)", digits=3)
    lit_fibre_pairs_final: int = quantity("1", "fibre pairs lit in the last year", digits=None)


def _business_case(scenario: Scenario, c: _Case) -> BusinessCase:
    cfg = scenario.economics
    detail = evaluate_batch(c.case, detail=True)
    assert detail.cash_flow is not None and detail.capex is not None
    assert detail.opex is not None and detail.demand_tbps is not None
    assert detail.sold_tbps is not None and detail.lit_pairs is not None
    m = measures(detail.cash_flow[0], cfg.discount_rate, int(cfg.construction_year))
    costs = detail.capex[0] + detail.opex[0]
    lcc = float(np.sum(costs / (1.0 + cfg.discount_rate) ** np.arange(costs.size)))
    return BusinessCase(
        design=c.design.name, currency=cfg.currency, capex=float(c.capex.total),
        lifecycle_cost=lcc, npv=float(m.npv), irr=m.irr, payback_year=m.payback_year,
        final_year=int(cfg.construction_year) + costs.size - 1,
        demand_final_tbps=float(detail.demand_tbps[0, -1]),
        deliverable_final_tbps=float(
            (detail.deliverable_tbps if detail.deliverable_tbps is not None
             else detail.demand_tbps)[0, -1]),
        sold_final_tbps=float(detail.sold_tbps[0, -1]),
        lit_fibre_pairs_final=int(detail.lit_pairs[0, -1]))


def business_case(
    scenario: Scenario,
    route: RouteResult,
    design: DesignResult,
    network: CorridorResult | None = None,
    reliability: ReliabilityLike | None = None,
    install: Any = None,
) -> BusinessCase:
    """CAPEX, life-cycle cost, NPV, IRR and final-year demand of one design (no sensitivities).

    The core of :func:`run_economics` (same case, same kernel): the decision stage calls it for
    every candidate design.

    Raises
    ------
    EconomicsError
        As :func:`run_economics`.
    """
    return _business_case(scenario, _case(scenario, route, design, network, reliability,
                                          install))


def run_economics(
    scenario: Scenario,
    route: RouteResult,
    design: DesignResult,
    network: CorridorResult | None = None,
    reliability: ReliabilityLike | None = None,
    install: Any = None,
) -> EconomicsResult:
    """The business case of the scenario's line built as ``design``.

    ``network`` and ``reliability`` are optional: without them the traffic comes from
    ``economics.traffic_without_network`` and the repairs from the cost book's global fault
    rate (each result's ``source`` says which).

    Raises
    ------
    EconomicsError
        An unknown cost item, a currency mismatch, an offer for a non-member, a design that
        carries nothing.
    """
    cfg = scenario.economics
    c = _case(scenario, route, design, network, reliability, install)
    book, facts, capex, opex, traffic, repairs = (c.book, c.design, c.capex, c.opex, c.traffic,
                                                  c.repairs)
    case, faults = c.case, c.faults
    detail = evaluate_batch(case, detail=True)
    here = float(detail.npv[0])
    dh_npv = {"without": here, "with": here}
    if traffic.digital_hub_kept_local_tbps > 0.0:  # the other way of selling it, for the report
        other = traffic.with_digital_hub(not traffic.digital_hub_applied)
        alt = float(evaluate_batch(build_case(scenario, facts, capex, opex, other, book,
                                              repairs)[0]).npv[0])
        dh_npv = ({"without": alt, "with": here} if traffic.digital_hub_applied
                  else {"without": here, "with": alt})
    bars = tornado(case, faults, cfg.tornado_swing)
    mc = monte_carlo(case, faults, cfg.uncertainty, cfg.monte_carlo_samples, cfg.seed)
    comps = tuple(comparator_result(x, book, cfg.spare_cable_percent) for x in cfg.comparators)
    result = assemble_result(
        scenario=scenario, book=book, design=facts, quantities=c.quantities, capex=capex,
        opex=opex, repairs=repairs, traffic=traffic, case=case, detail=detail, tornado=bars,
        monte_carlo=mc, comparators=comps,
    )
    rfs = None
    if install is not None:  # the RFS distribution (install stage) on the NPV
        from .delay import rfs_effect

        pm = sum(i.total for i in capex.items if i.book_item == "project_management_percent")
        rfs = rfs_effect(install, result.revenue_by_product.sum(axis=0), cfg.discount_rate,
                         here, int(cfg.construction_year), pm, book["lay_vessel_day_rate"])
    return replace(result, digital_hub_npv=dh_npv, rfs=rfs)
