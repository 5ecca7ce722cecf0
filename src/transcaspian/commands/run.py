"""``transcaspian run [SCENARIO] [--out DIR] [--json]``: the whole pipeline and the report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._common import add_json_argument, add_scenario_argument, print_json, scenario_from_args

DEFAULT_OUT = Path("out/trans-caspian")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "run",
        help="run every stage and write the report and exports",
        description="Run the scenario end to end and write report.html, report.json, "
        "route.geojson, route.kml, rpl.csv and cashflows.csv into --out. The folder is "
        "replaced as a whole, at once: an interrupted run leaves the previous complete set.",
    )
    add_scenario_argument(p)
    p.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    p.add_argument(
        "--static",
        action="store_true",
        help="static report: SVG figures only, no script (for e-mail and print)",
    )
    add_json_argument(p)
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from .._io import check_output_dir
    from ..plan import plan
    from ..report.html import OUTPUT_FILES, write_outputs

    check_output_dir(args.out, OUTPUT_FILES)  # before any work: a bad --out fails at once
    scenario = scenario_from_args(args)
    result = plan(scenario, draw=not args.static)  # sections drawn while stages compute
    files = write_outputs(result, args.out, static=args.static)
    if args.json:
        print_json(result.to_dict())
    else:
        r = result.route
        print(
            f"{scenario.name}: route {r.route_length_km:.1f} km, cable {r.cable_length_km:.1f} km, "
            f"max depth {r.max_depth_m:.0f} m",
            file=sys.stderr,
        )
        print(f"unrepeatered at {result.optics.cable_length_km:.0f} km: "
              f"{result.optics.unrepeatered_text()}", file=sys.stderr)
        best = result.decision.chosen
        print(
            f"decision: build {best.label}: {best.capacity_tbps_per_fibre_pair:.1f} Tb/s per "
            f"fibre pair, {best.system_capacity_tbps:.0f} Tb/s system, margin "
            f"{best.margin_db:.1f} dB at end of life; {result.decision.reason}",
            file=sys.stderr,
        )
        n = result.network.summary()
        hub = result.network.hub_node
        dh = result.network.digital_hub
        names = {node.id: node.name for node in result.network.corridor.nodes}
        if dh is not None:
            for text in dh.users_lines(names):
                print(f"latency as routed, {text}", file=sys.stderr)
        print(
            f"corridor: transit through {names.get(hub, hub)} {n.hub_transit_tbps:.1f} Tbit/s "
            f"({n.hub_transit_tbps_without:.1f} without the line)",
            file=sys.stderr,
        )
        rel = result.reliability
        if rel is not None:
            print(
                f"reliability: {rel.ship_repairs_per_year:.3f} ship repairs/yr, availability "
                f"{rel.availability:.3%} ({rel.outage_hours_per_year:.0f} outage h/yr)",
                file=sys.stderr,
            )
        e = result.economics
        if e is not None:
            print(
                f"economics: CAPEX {e.model_total / 1e6:.1f} M {e.currency} "
                f"({e.budget_text()}); NPV "
                f"{e.measures.npv / 1e6:.1f} M, payback {e.measures.payback_year or 'never'}",
                file=sys.stderr,
            )
        for flag in result.flags():
            print(f"FLAG {flag.code}: {flag.message}", file=sys.stderr)
        for path in files.values():
            print(path)
    return 0
