"""``transcaspian optics [SCENARIO] [--json]`` and ``transcaspian optics line CASE.yaml``.

* ``optics [SCENARIO]``: the optics stage for the scenario's cable (length from the route stage):
  every design (unrepeatered booster / + Raman / + ROPA, 1..k repeaters) at its best launch
  power, with capacity per fibre pair and for the system at end of life.
* ``optics line CASE.yaml``: per-channel GSNR of one explicit line in the line-case format
  (``docs/line_case_format.md``).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
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
        "optics",
        help="optical design: per-channel GSNR and capacity, unrepeatered vs repeatered",
        description="Compare unrepeatered (booster, Raman, ROPA) and repeatered designs of the "
        "scenario's cable at end of life, or evaluate one explicit line: "
        "'transcaspian optics line CASE.yaml'.",
    )
    add_scenario_argument(p)
    p.add_argument(
        "case",
        nargs="?",
        metavar="CASE.yaml",
        help="with 'line' as first argument: the line-case file to evaluate",
    )
    add_json_argument(p)
    p.add_argument(
        "--launch-power-dbm",
        type=float,
        default=None,
        help="(optics line) launch power per channel [dBm]; default: the case's own",
    )
    add_cable_length_argument(p)
    p.set_defaults(func=_optics)


def _optics(args: argparse.Namespace) -> int:
    from ..errors import OpticsError

    if args.scenario == "line":
        if args.cable_length_km is not None:
            raise OpticsError("--cable-length-km: not used by 'optics line' (the case gives "
                              "its own elements)")
        return _line(args)
    if args.case is not None:
        raise OpticsError(f"unexpected argument {args.case!r} (did you mean 'optics line CASE')")
    if args.launch_power_dbm is not None:
        raise OpticsError("--launch-power-dbm: only for 'optics line'; the design comparison "
                          "searches the launch power (optics.design_space)")
    return _designs(args)


def _line(args: argparse.Namespace) -> int:
    from ..errors import OpticsError
    from ..optics import evaluate_line, load_line_case

    if args.case is None:
        raise OpticsError("optics line: give the line-case file (optics line CASE.yaml)")
    launch = checked_option(args.launch_power_dbm, "--launch-power-dbm", ge=-40.0, le=30.0,
                            unit="dBm")
    case = load_line_case(Path(args.case))
    res = evaluate_line(case, launch, profile=True)
    d = res.to_dict()
    if args.json:
        print_json(d)
        return 0
    print(f"{case.name}: {case.nli_model}, launch {float(res.launch_power_dbm):.2f} dBm/ch, "
          f"{res.frequency_thz.size} channels")
    print(" freq [THz]  GSNR [dB]  SNR_ASE [dB]  SNR_NLI [dB]  OSNR_0.1nm [dB]")
    for ch in d["channels"]:
        print(f" {ch['frequency_thz']:10.4f} {ch['gsnr_db']:10.2f} {ch['snr_ase_db']:13.2f} "
              f"{ch['snr_nli_db']:13.2f} {ch['osnr_ase_0p1nm_db']:16.2f}")
    for pos, span in res.raman_spans:
        pumps = ", ".join(f"{p.power_w:g} W @ {p.wavelength_nm:.1f} nm {p.direction}"
                          for p in span.pumps)
        g = span.on_off_gain_db
        print(f"Raman fibre at {pos:.1f} km ({pumps}): on-off gain {g.min():.2f}-{g.max():.2f} dB "
              f"(ripple {g.max() - g.min():.2f} dB)")
    print(f"min GSNR {float(res.min_gsnr_db):.2f} dB")
    return 0


def _designs(args: argparse.Namespace) -> int:
    from ..plan import plan

    scenario = scenario_from_args(args)
    decision = knee = most = None
    if args.cable_length_km is None and scenario.optics.cable_length_km is None:
        # the whole chain up to the decision
        p = plan(scenario, until="decision")
        result, decision, length = p.optics, p.decision, p.optics.cable_length_km
        power = p.power
    else:  # a given length: the optical candidates only (the decision needs the routed RPL)
        from ..optics.at_length import study_at_length

        study = study_at_length(scenario, cable_length_km(args, scenario))
        result, power, length = study.optics, study.power, study.cable_length_km
        knee, most = study.knee, study.knee_reference
    verdict = _power_verdicts(result, power)
    if args.json:
        out = result.to_dict()
        out["power"] = verdict
        out["capacity_knee"] = None if knee is None else knee.name
        out["recommended"] = None if decision is None else decision.recommended
        out["recommendation_reason"] = (
            "no decision: --cable-length-km (or optics.cable_length_km) skips the route, which "
            "the decision's reliability and cost need" if decision is None else decision.reason)
        out["decision"] = None if decision is None else decision.to_dict()
        print_json(out)
        return 0
    rec = "-" if decision is None else decision.recommended
    print(f"{scenario.name}: cable {length:.1f} km, {result.fibre_pairs} fibre pairs, "
          f"{result.nli_model}; recommended: {rec}")
    print(f" {'design':34s} {'rep':>3s} {'loss dB':>8s} {'P dBm':>6s} {'tilt':>5s} "
          f"{'pre-em':>6s} {'GSNRmin':>7s} {'margin':>6s} {'Tb/s/FP':>8s} {'system':>8s} "
          f"{'Shannon':>8s} carries feedable")
    for d in result.designs:
        m = "-" if not math.isfinite(d.margin_db) else f"{d.margin_db:6.2f}"
        feed = "yes" if verdict[d.name]["feedable"] else "no"
        print(f" {d.name:34s} {d.repeaters:3d} {d.span_loss_db:8.2f} {d.launch_power_dbm:6.2f} "
              f"{d.launch_tilt_db:5.1f} {d.pre_emphasis_db:6.1f} {d.min_gsnr_db:7.2f} {m:>6s} "
              f"{d.capacity_tbps_per_fibre_pair:8.2f} {d.system_capacity_tbps:8.1f} "
              f"{d.shannon_tbps_per_fibre_pair:8.2f} {'yes' if d.feasible else 'no':>7s} {feed}"
              f"{'' if d.closes else '  (does not close)'}")
    if result.designs:
        print(f"capacity model: {result.designs[0].capacity_model}; Shannon = "
              "sum of 2 R_s log2(1 + GSNR) over the channels (the bound beside it)")
    for d in result.designs:
        if d.repeaters > 0:
            print(f"{d.name}: power {verdict[d.name]['reason']}")
    for d in result.designs:
        if d.relies_on_illustrative_mode:
            print(f"{d.name}: relies on illustrative transceiver modes "
                  f"({', '.join(d.illustrative_modes)}): example values, not a datasheet")
    ropa = [d for d in result.designs if d.ropa_distance_km is not None]
    for d in ropa:
        print(f"{d.name}: ROPA {d.ropa_distance_km:.0f} km from the receive end")
    from ..optics.design import denser_plan_note

    note = denser_plan_note(scenario.optics)
    if note:
        print(note)
    if decision is not None:
        from .decision import print_decision

        print_decision(decision)
    else:
        print("no decision: --cable-length-km (or optics.cable_length_km) skips the route, "
              "which the decision's reliability and cost need")
        _print_knee(knee, most)
    return 0


def _print_knee(knee: Any, most: Any) -> None:
    """The capacity-only pick printed when there is no decision (``most``: its reference)."""
    from ..optics.knee import KNEE_FRACTION

    if knee is None:
        print("capacity knee: none (no design closes and can be fed)")
        return
    print(f"capacity knee: {knee.name} ({knee.capacity_tbps_per_fibre_pair:.2f} Tb/s per "
          f"pair), the fewest repeaters within {100 * (1 - KNEE_FRACTION):.0f} % of the "
          f"capacity of the most-repeater design that closes and can be fed ({most.name}, "
          f"{most.capacity_tbps_per_fibre_pair:.2f}); a capacity-only pick, not the decision")


def _power_verdicts(result: Any, power: Any) -> dict[str, dict[str, Any]]:
    """Each design's power verdict: feedable, PFE voltage per end, feeding mode, reason."""
    feeds = {} if power is None else {f.design: f for f in power.feeds}
    out: dict[str, dict[str, Any]] = {}
    for d in result.designs:
        f = feeds.get(d.name)
        out[d.name] = {"feedable": True, "repeaters": 0, "pfe_v_per_end": 0.0, "feeding": None,
                       "repeater_power_w": 0.0, "reason": "no repeaters: nothing to feed"} \
            if f is None else {"feedable": f.feasible, "repeaters": f.repeaters,
                               "pfe_v_per_end": f.pfe_v_per_end, "feeding": f.feeding,
                               "repeater_power_w": f.repeater_power_w, "reason": f.reason}
    return out
