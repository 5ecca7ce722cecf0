"""``transcaspian install [SCENARIO] [--json] [--runs N] [--seed S]``.

Runs the route stage, then the install stage: the burial
plan by risk (CBRA), the installation Monte Carlo (weather windows, the Volga-Don season, tank
loads, permits) and the ready-for-service date distribution.
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
        "install",
        help="burial by risk, the installation schedule, permits and the RFS date",
        description="Depth of lowering along the route from the anchor-strike risk (CBRA), the "
        "installation simulated with Middle-Caspian weather windows, the Volga-Don season and "
        "tank loads, the permit register, and P50/P90 dates of every milestone and of RFS.",
    )
    add_scenario_argument(p)
    add_json_argument(p)
    add_monte_carlo_arguments(p, count="runs", what="simulated installations", field="install.runs",
                              seed_field="install.seed")
    p.set_defaults(func=_install)


_progress = monte_carlo_progress("installation Monte Carlo", "runs")


def _install(args: argparse.Namespace) -> int:
    from ..install.schedule import CHUNK_RUNS
    from ..plan import check_inputs, plan

    scenario = scenario_from_args(args)
    update = {k: v for k, v in (("runs", args.runs), ("seed", args.seed)) if v is not None}
    if update:
        scenario = scenario.model_copy(
            update={"install": scenario.install.model_copy(update=update)})
    check_inputs(scenario)  # bad inputs fail before the long stages run
    show = scenario.install.runs > CHUNK_RUNS and sys.stderr.isatty()
    result = plan(scenario, until="install",
                  options={"install": {"progress": _progress if show else None}}).results[
        "install"]
    d = result.to_dict()
    if args.json:
        print_json(d)
        return 0
    _print_text(scenario.name, d)
    return 0


def _print_text(name: str, d: dict[str, Any]) -> None:
    print(f"{name}: schedule without powered wet plant; each repeater adds "
          f"{d['days_per_repeater']:.2f} d")
    print(f" burial ({d['objective']}, target {d['target_return_period_years_km']:,.0f} yr·km): "
          f"{d['buried_km']:.1f} km buried, {d['protected_km']:.1f} km protected, "
          f"{d['unburiable_km']:.1f} km not buriable; CAPEX {d['burial_capex_usd']:,.0f} USD")
    print(f" anchor strikes/yr: {d['strikes_unburied_per_year']:.2e} unburied -> "
          f"{d['strikes_per_year']:.2e} residual; {d['km_missing_target']:.1f} km miss the target")
    print(f" cable {d['cable_mass_t']:.0f} t, tank {d['tank_capacity_t']:.0f} t -> "
          f"{d['loads']} load(s), {d['offshore_joints']} offshore joint(s); vessel fits the "
          f"Volga-Don: {'yes' if d['vessel_fits_waterway'] else 'NO'}")
    print(f" {d['runs']:,} simulated installations from {d['start_date']} (seed {d['seed']})")
    print(f" {'milestone':24s} {'P10':>6s} {'P50':>6s} {'P90':>6s}  P50 date    P90 date")
    for m in d["milestones"]:
        print(f" {m['name']:24s} {m['p10_days']:6.0f} {m['p50_days']:6.0f} {m['p90_days']:6.0f}"
              f"  {m['p50_date']}  {m['p90_date']}")
    print(f" RFS P50 {d['rfs_p50_date']}, P90 {d['rfs_p90_date']}; P(RFS by "
          f"{d['rfs_target_date']}) = {d['p_rfs_by_target']:.3f}")
    print(f" vessel days: mean {d['vessel_days_mean']:.1f}, P90 {d['vessel_days_p90']:.1f}")
    for v in d["vessel_phases"]:
        print(f"   {v['phase']:55s} mean {v['mean_days']:6.1f}  P90 {v['p90_days']:6.1f}")
