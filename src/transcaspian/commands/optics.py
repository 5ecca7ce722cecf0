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
    print(f"min GSNR {float(res.min_gsnr_db):.2f} dB")
    return 0


def _designs(args: argparse.Namespace) -> int:
    from ..optics.design import compare_designs

    scenario = scenario_from_args(args)
    config = scenario.optics
    length = cable_length_km(args, scenario)
    result = compare_designs(config, cable_length_km=length,
                             fibre_pairs=scenario.cable.fibre_pairs)
    if args.json:
        print_json(result.to_dict())
        return 0
    print(f"{scenario.name}: cable {length:.1f} km, {result.fibre_pairs} fibre pairs, "
          f"{result.nli_model}; recommended: {result.recommended}")
    print(f" {'design':34s} {'rep':>3s} {'loss dB':>8s} {'P dBm':>6s} {'tilt':>5s} "
          f"{'GSNRmin':>7s} {'margin':>6s} {'Tb/s/FP':>8s} {'system':>8s} {'Shannon':>8s} "
          "feasible")
    for d in result.designs:
        m = "-" if not math.isfinite(d.margin_db) else f"{d.margin_db:6.2f}"
        print(f" {d.name:34s} {d.repeaters:3d} {d.span_loss_db:8.2f} {d.launch_power_dbm:6.2f} "
              f"{d.launch_tilt_db:5.1f} {d.min_gsnr_db:7.2f} {m:>6s} "
              f"{d.capacity_tbps_per_fibre_pair:8.2f} {d.system_capacity_tbps:8.1f} "
              f"{d.shannon_tbps_per_fibre_pair:8.2f} {'yes' if d.feasible else 'no'}")
    for d in result.designs:
        if d.relies_on_illustrative_mode:
            print(f"{d.name}: relies on illustrative transceiver modes "
                  f"({', '.join(d.illustrative_modes)}): example values, not a datasheet")
    ropa = [d for d in result.designs if d.ropa_distance_km is not None]
    for d in ropa:
        print(f"{d.name}: ROPA {d.ropa_distance_km:.0f} km from the receive end")
    return 0
