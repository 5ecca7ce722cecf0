"""``transcaspian network [SCENARIO] [--json]``: the corridor with and without the line.

Runs the route stage for the cable length (or takes ``--cable-length-km``), then the network
stage: latency per city pair, SRLG-disjoint diversity, cuts (named and every single SRLG),
flows, transit through Baku and saturation years.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._common import (
    add_cable_length_argument,
    add_json_argument,
    add_scenario_argument,
    cable_length_km,
    checked_option,
    print_json,
    scenario_from_args,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "network",
        help="Europe-Asia corridor: latency, diversity, cuts, flows with/without the line",
        description="What the cable changes for the Europe-Asia corridor: RTT per city pair, "
        "SRLG-disjoint paths, named cuts (Red Sea 2024, ...), utilisation and transit through "
        "Baku, with and without the line.",
    )
    add_scenario_argument(p)
    add_json_argument(p)
    add_cable_length_argument(p)
    p.add_argument(
        "--capacity-tbps",
        type=float,
        default=None,
        help="capacity of the line [Tbit/s]; default: the corridor dataset's estimate",
    )
    p.set_defaults(func=_network)


def _fmt(x: Any, spec: str = "7.1f") -> str:
    return "-" if x is None else format(x, spec)


def _network(args: argparse.Namespace) -> int:
    from ..network import analyse_corridor

    scenario = scenario_from_args(args)
    config = scenario.network
    capacity = checked_option(args.capacity_tbps, "--capacity-tbps", ge=0.0, le=100000.0,
                              unit="Tbit/s")
    length = cable_length_km(args, scenario)
    a, b = scenario.landings.a, scenario.landings.b
    result = analyse_corridor(
        config,
        trans_caspian_length_km=length,
        trans_caspian_capacity_tbps=capacity,
        trans_caspian_landings_deg=((a.lat_deg, a.lon_deg), (b.lat_deg, b.lon_deg)),
        trans_caspian_landing_names=(a.name, b.name),
    )
    d = result.to_dict()
    if args.json:
        print_json(d)
        return 0
    tc = d["trans_caspian"]
    print(
        f"{scenario.name}: Trans-Caspian line {tc['length_km']:.1f} km, "
        f"{tc['capacity_tbps']:.1f} Tbit/s; demand {d['demand']['total_tbps']:.1f} Tbit/s in "
        f"{d['base_year']}"
    )
    print(f" {'pair':28s} {'RTT ms':>7s} {'without':>7s} {'gain':>6s}  path")
    for r in d["latency"]:
        print(
            f" {r['a'] + '-' + r['b']:28s} {_fmt(r['rtt_ms'])} "
            f"{_fmt(r['rtt_ms_without_trans_caspian'])} {_fmt(r['gain_ms'], '6.1f')}  "
            f"{'-'.join(r['path'])}"
        )
    avoid = ",".join(d["summary"]["diversity_avoiding_srlgs"]) or "-"
    print(
        f" {'diverse pair (2nd path RTT)':28s} {'with':>7s} {'without':>7s}  "
        f"avoiding {avoid}: {'with':>7s} {'without':>7s}"
    )
    for r in d["diversity"]:
        av = r.get("avoiding") or {}
        created = r["created_by_trans_caspian"] or av.get("created_by_trans_caspian")
        print(
            f" {r['a'] + '-' + r['b']:28s} {_fmt(r['secondary_rtt_ms'])} "
            f"{_fmt(r['secondary_rtt_ms_without_trans_caspian'])}  "
            f"{'':>{10 + len(avoid)}s}{_fmt(av.get('secondary_rtt_ms'))} "
            f"{_fmt(av.get('secondary_rtt_ms_without_trans_caspian'))}"
            f"{'  diversity created by the line' if created else ''}"
        )
    print(
        f" {'cut':34s} {'unserved Tb/s':>13s} {'without':>8s} {'max dRTT':>8s} {'lost pairs':>10s}"
    )
    for c in d["cuts"]:
        w, wo = c["with_trans_caspian"], c["without_trans_caspian"] or {}
        print(
            f" {c['name']:34s} {w['unserved_tbps']:13.1f} {_fmt(wo.get('unserved_tbps'), '8.1f')} "
            f"{_fmt(w['max_rtt_increase_ms'], '8.1f')} {len(w['disconnected_pairs']):10d}"
        )
    print(
        f"transit through {d['hub_node']}: {d['transit_through_baku_tbps']:.2f} Tbit/s "
        f"(without the line {d['transit_through_baku_tbps_without_trans_caspian']:.2f}); "
        f"unserved {d['unserved_tbps']:.1f} Tbit/s "
        f"(without {d['unserved_tbps_without_trans_caspian']:.1f})"
    )
    full = [f for f in d["flows"] if f["utilisation"] >= 0.999]
    print(f"links full in {d['base_year']}: {', '.join(f['link'] for f in full) or 'none'}")
    return 0
