"""``transcaspian reliability [SCENARIO] [--json] [--years N] [--seed S]``.

Runs the route, optics, power and network stages, then the reliability stage: faults along the
route, repair times, the line's availability (analytic and Monte Carlo), protection options and
the corridor's city-pair availability with and without the line.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import (
    add_json_argument,
    add_monte_carlo_arguments,
    add_scenario_argument,
    monte_carlo_progress,
    print_json,
    scenario_from_args,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "reliability",
        help="faults, repair times and availability of the line and the corridor",
        description="Fault rates along the route, repair time in the landlocked Caspian, the "
        "line's availability (analytic and Monte Carlo), a second cable or protection path, and "
        "each city pair's availability with and without the line.",
    )
    add_scenario_argument(p)
    add_json_argument(p)
    add_monte_carlo_arguments(p, count="years", what="simulated years",
                              field="Monte Carlo years", seed_field="seed")
    p.set_defaults(func=_reliability)


_progress = monte_carlo_progress("Monte Carlo", "simulated years")


def _reliability(args: argparse.Namespace) -> int:
    from ..plan import check_inputs, plan
    from ..reliability.montecarlo import (
        CHUNK_YEARS,
        require_monte_carlo_memory,
        simulated_outages_per_year,
    )

    scenario = scenario_from_args(args)
    mc = scenario.reliability.monte_carlo
    update = {k: v for k, v in (("years", args.years), ("seed", args.seed)) if v is not None}
    if update:
        rel = scenario.reliability.model_copy(update={"monte_carlo": mc.model_copy(update=update)})
        scenario = scenario.model_copy(update={"reliability": rel})
    check_inputs(scenario)  # bad inputs fail before the long stages run
    years = scenario.reliability.monte_carlo.years
    # a lower bound (the line's own rate needs the route): refuse at once what cannot fit; the
    # stage checks again with the line's rate before it allocates
    require_monte_carlo_memory(years, simulated_outages_per_year(scenario.reliability, 0.0, 1.0))
    show = years > CHUNK_YEARS or (years >= 200_000 and sys.stderr.isatty())
    result = plan(scenario, until="reliability",
                  options={"reliability": {"progress": _progress if show else None}}).reliability
    assert result is not None
    d = result.to_dict()
    if args.json:
        print_json(d)
        return 0
    _print_text(scenario.name, d)
    return 0


def _print_text(name: str, d: dict[str, Any]) -> None:
    an, mc = d["analytic"], d["monte_carlo"]
    oh = mc["outage_hours_per_year"]
    print(f"{name}: design {d['design']}")
    print(f" cable faults {d['cable_faults_per_year']:.4f}/yr "
          f"({', '.join(f'{k} {v:.4f}' for k, v in d['cable_faults_by_cause_per_year'].items())}); "
          f"ship repairs {d['ship_repairs_per_year']:.4f}/yr, "
          f"{d['faults_design_life']:.2f} per design life")
    print(f" mean repair {an['mean_repair_days']:.1f} d; MTBF {an['mtbf_years'] or 0:.1f} yr")
    print(f" availability {an['availability']:.5%} analytic, {mc['availability']:.5%} Monte Carlo "
          f"({mc['simulated_years']:,} years)")
    print(f" outage h/yr: analytic {an['outage_hours_per_year']:.1f}; MC mean {oh['mean']:.1f} "
          f"± {oh['sampling_error']:.1f}, P50 {oh['p50']:.0f}, P95 {oh['p95']:.0f}, "
          f"P99 {oh['p99']:.0f}")
    print(f" P(no fault in the design life) {an['p_no_fault_design_life']:.3f}; longest "
          f"simulated outage {mc['longest_outage_days']:.0f} d")
    al = d["repair_allowance"]
    print(f" optics repair allowance {al['optics_repairs_allowed']} repairs: "
          f"P(within) {al['p_repairs_within_allowance']:.3f} -> "
          f"{'enough' if al['enough'] else 'NOT enough'} at {al['confidence']:.0%}")
    for row in d["protection_options"]:
        print(f" {row['option']:45s} availability {row['availability']:.6%}, "
              f"{row['outage_hours_per_year']:.2f} h/yr")
    c = d["corridor"]
    if c:
        print(f" corridor: {c['failure_units']} failure units, states with <= "
              f"{c['max_simultaneous_failures_enumerated']} failures enumerated, mass left out "
              f"{c['mass_left_out']:.4f}")
        study = {tuple(p) for p in c["study_pairs"]}
        print(f" {'pair':28s} {'with':>10s} {'without':>10s} {'MC with':>9s} {'MC w/o':>9s}")
        for r in c["pairs"]:
            if (r["a"], r["b"]) in study or (r["b"], r["a"]) in study:
                print(f" {r['a'] + '-' + r['b']:28s} {r['availability']:10.6f} "
                      f"{r['availability_without_line']:10.6f} "
                      f"{r['availability_monte_carlo'] or 0:9.5f} "
                      f"{r['availability_monte_carlo_without_line'] or 0:9.5f}")
