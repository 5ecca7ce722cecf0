"""``transcaspian power [SCENARIO] [--cable-length-km L] [--json]``: power feeding.

* with ``--cable-length-km``: no route. A reference design (repeaters every
  ``power.reference_span_km``, amplifiers at ``power.repeater.output_power_dbm``, the
  scenario's fibre pairs) gets its PFE voltage, feeding mode and repeater power, and the cable
  its power-limited design (fibre pairs × output × spacing under the PFE limit);
* without it: the route and the optics stage's designs, each with its feed, plus the same
  reference design and power-limited design at the routed length.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._common import (
    add_cable_length_argument,
    add_json_argument,
    add_scenario_argument,
    checked_option,
    print_json,
    scenario_from_args,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "power",
        help="power feeding: PFE voltage, feeding mode, repeater power, power-limited design",
        description="PFE voltage of the scenario's repeatered designs (or of a reference design "
        "for --cable-length-km, with no route) and the power-limited design: the fibre pairs, "
        "amplifier output and repeater spacing that maximise cable capacity under the PFE "
        "limit.",
    )
    add_scenario_argument(p)
    add_json_argument(p)
    add_cable_length_argument(p)
    p.set_defaults(func=_power)


def _power(args: argparse.Namespace) -> int:
    from ..power.stage import feed_for_length, reference_repeaters

    scenario = scenario_from_args(args)
    cfg = scenario.power
    pairs = int(scenario.cable.fibre_pairs)
    given = checked_option(args.cable_length_km, "--cable-length-km", gt=0.0, le=40000.0,
                           unit="km")
    routed = None
    if given is None:
        from ..plan import plan

        p = plan(scenario, until="power")
        routed = p.power
        length = float(p.route.cable_length_km)
    else:
        length = float(given)
    n_ref = reference_repeaters(length, cfg.reference_span_km)
    ref = feed_for_length(cfg, length, pairs, {"reference": n_ref})
    trade = ref.trade
    assert trade is not None
    feed = ref.feeds[0] if ref.feeds else None
    out: dict[str, Any] = {
        "scenario": scenario.name,
        "cable_length_km": length,
        "length_source": "--cable-length-km" if given is not None else "route",
        "fibre_pairs": pairs,
        "line_current_a": cfg.line_current_a,
        "pfe_rating_v": cfg.pfe_rating_v,
        "usable_v_per_end": cfg.usable_v_per_end,
        "reference_span_km": cfg.reference_span_km,
        "repeaters": n_ref,
        "feeding": None if feed is None else feed.feeding,
        "pfe_v_per_end": 0.0 if feed is None else feed.pfe_v_per_end,
        "repeater_power_w": 0.0 if feed is None else feed.repeater_power_w,
        "drop_per_repeater_v": 0.0 if feed is None else feed.repeater_drop_v,
        "feasible": True if feed is None else feed.feasible,
        "reference": None if feed is None else feed.to_dict(),
        "designs": None if routed is None else [f.to_dict() for f in routed.feeds],
        "power_limited_design": trade.to_dict(),
    }
    if args.json:
        print_json(out)
        return 0
    print(f"{scenario.name}: cable {length:.1f} km ({out['length_source']}), {pairs} fibre "
          f"pairs, {cfg.line_current_a:g} A, PFE {cfg.pfe_rating_v / 1e3:g} kV "
          f"({cfg.usable_v_per_end / 1e3:.2f} kV usable per end)")
    if feed is None:
        print(f"reference design: one span of {length:.0f} km, no repeaters to feed")
    else:
        print(f"reference design: {n_ref} repeaters every {cfg.reference_span_km:g} km at "
              f"{feed.output_power_dbm:.1f} dBm per amplifier: {feed.repeater_power_w:.1f} W "
              f"({feed.repeater_drop_v:.1f} V) each; {feed.reason}")
    if routed is not None:
        for f in routed.feeds:
            print(f" {f.design:34s} {f.repeaters:4d} rep  {f.repeater_power_w:6.1f} W  "
                  f"{f.pfe_v_per_end / 1e3:6.2f} kV/end {f.feeding:10s} "
                  f"{'feedable' if f.feasible else 'NOT feedable'}")
    print(f"power-limited design ({trade.feeding.replace('_', '-')} feed, "
          f"{trade.grid_points:,} grid points):")
    print(f" {'pairs':>5s} {'Tb/s cable':>10s} {'Tb/s/FP':>8s} {'span km':>7s} {'rep':>4s} "
          f"{'P dBm':>6s} {'SNR dB':>6s} {'W/rep':>6s} {'kV/end':>6s} {'no-limit':>8s} limited")
    best = trade.best_index
    for i in range(trade.fibre_pairs.size):
        r = trade.row(i)
        mark = (" <- best" if i == best else "") + (
            " <- scenario's pairs" if r["fibre_pairs"] == pairs else "")
        if not r["feasible"]:
            print(f" {r['fibre_pairs']:5d} cannot be fed at any grid point")
            continue
        print(f" {r['fibre_pairs']:5d} {r['cable_capacity_tbps']:10.1f} "
              f"{r['capacity_per_fibre_pair_tbps']:8.2f} {r['span_km']:7.1f} "
              f"{r['repeaters']:4d} {r['output_power_dbm']:6.1f} {r['snr_db']:6.2f} "
              f"{r['repeater_power_w']:6.1f} {r['pfe_v_per_end'] / 1e3:6.2f} "
              f"{r['unconstrained_tbps']:8.1f} {'yes' if r['power_limited'] else 'no'}{mark}")
    for note in trade.notes:
        print(f"note: {note}")
    return 0
