"""``transcaspian route [SCENARIO] [--json] [--out DIR]``: the seabed route and its RPL."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ._common import add_json_argument, add_scenario_argument, print_json, scenario_from_args


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "route",
        help="route the cable over the seabed",
        description="Least-cost route between the landings; prints the summary, optionally "
        "writes route.geojson, route.kml and rpl.csv.",
    )
    add_scenario_argument(p)
    add_json_argument(p)
    p.add_argument(
        "--out",
        type=Path,
        help="also write route.geojson, route.kml, rpl.csv into this folder (replaced as a "
        "whole, at once)",
    )
    p.set_defaults(func=_route)


def _route(args: argparse.Namespace) -> int:
    from .._io import check_output_dir, write_output_set
    from ..geo.export import route_geojson, route_kml
    from ..plan import plan
    from ..report.html import OUTPUT_FILES

    if args.out is not None:  # before any work: a bad --out fails at once
        check_output_dir(args.out, OUTPUT_FILES)
    result = plan(scenario_from_args(args), until="route").route
    if args.out is not None:
        texts = {
            "route.geojson": json.dumps(route_geojson(result), indent=1) + "\n",
            "route.kml": route_kml(result),
            "rpl.csv": result.rpl.to_csv(),
        }
        write_output_set(args.out, texts, OUTPUT_FILES)
    d = result.to_dict()
    if args.json:
        print_json(d)
    else:
        print(
            f"{d['landings'][0]} - {d['landings'][1]}: route {d['route_length_km']:.1f} km, "
            f"cable {d['cable_length_km']:.1f} km (geodesic {d['great_circle_km']:.1f} km), "
            f"max depth {d['max_depth_m']:.0f} m, {len(d['crossings'])} crossing(s)"
        )
        for t, km in d["cable_type_lengths_km"].items():
            print(f"  {t:4s} {km:8.1f} km of cable")
    return 0
