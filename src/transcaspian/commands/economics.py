"""``transcaspian economics [SCENARIO] [--json]``: cost, revenue, NPV and the consortium split.

Walks the declared pipeline up to the economics stage (route, optics, power, corridor, the
decision, reliability): the business case of the design the decision chose, as in
``transcaspian run``.
"""

from __future__ import annotations

import argparse

from ._common import add_json_argument, add_scenario_argument, print_json, scenario_from_args


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "economics",
        help="business case: CAPEX vs published budgets, revenue, NPV/IRR, consortium split",
        description="Cost the line item by item from the cost book, sell its capacity to the "
        "corridor's demand, and report NPV, IRR, payback, break-even prices, levelised cost, "
        "each consortium member's part, the tornado and the Monte Carlo NPV.",
    )
    add_scenario_argument(p)
    add_json_argument(p)
    p.set_defaults(func=_economics)


def _m(x: float) -> str:
    return f"{x / 1e6:8.2f} M"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f} %"


def _economics(args: argparse.Namespace) -> int:
    from ..plan import check_inputs, plan

    scenario = scenario_from_args(args)
    check_inputs(scenario)  # a bad cost book fails before the long stages
    result = plan(scenario, until="economics").economics
    assert result is not None
    if args.json:
        print_json(result.to_dict())
        return 0
    cur = result.currency
    print(f"{scenario.name}: {result.design.label}, {result.design.fibre_pairs} fibre pairs, "
          f"design capacity {result.design.design_capacity_tbps:.0f} Tbit/s ({cur})")
    for cat, v in result.capex.by_category().items():
        print(f"  {cat:14s} {_m(v)}")
    print(f"CAPEX model {_m(result.model_total)} ({result.budget_text()})")
    for c in result.comparators:
        print(f"  {c.name}: model {_m(c.model_total)} vs published {_m(c.published)}: "
              f"ratio {c.ratio:.2f}")
    m = result.measures
    print(f"project: NPV @ {_pct(result.discount_rate)} {_m(m.npv)}, IRR {_pct(m.irr)}, "
          f"payback {m.payback_year or 'never'}")
    for mem in result.members:
        mm = mem.measures
        print(f"  {mem.name:16s} share {mem.share:5.1%} capital {_m(mem.capital_calls.sum())}"
              f" NPV {_m(mm.npv)} IRR {_pct(mm.irr)} payback {mm.payback_year or 'never'}")
    mc = result.monte_carlo
    print(f"Monte Carlo NPV ({mc.samples} samples): P10 {_m(mc.p10)}, P50 {_m(mc.p50)}, "
          f"P90 {_m(mc.p90)}; P(NPV<0) {mc.probability_npv_negative:.1%}")
    for w in result.warnings:
        print(f"warning: {w}")
    return 0
