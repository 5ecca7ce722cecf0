"""``transcaspian decision [SCENARIO] [--json]``: which design to build, and why.

Walks the declared pipeline up to the decision stage and prints the decision table (every
candidate with its capacity, margin, power verdict, availability, CAPEX, NPV and IRR, and the
constraint it fails) and the two sentences of the decision.
"""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING

from ._common import add_json_argument, add_scenario_argument, print_json, scenario_from_args

if TYPE_CHECKING:  # pragma: no cover
    from ..decision.stage import DecisionResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "decision",
        help="which design to build: every candidate weighed on capacity, margin, power "
        "feeding, availability, cost and NPV",
        description="Evaluate every candidate design (optics, power feeding, availability, "
        "business case) and choose one under decision.objective and the constraints.",
    )
    add_scenario_argument(p)
    add_json_argument(p)
    p.set_defaults(func=_decision)


def print_decision(d: DecisionResult) -> None:
    """The decision table and its two sentences, as text."""
    cur = d.currency
    print(f"decision ({d.objective}; min margin {d.min_margin_db:.2f} dB"
          + ("" if d.target_tbps is None else f"; target {d.target_tbps:g} Tb/s") + "):")
    print(f" {'design':34s} {'Tb/s':>7s} {'margin':>6s} {'feed':>4s} {'avail %':>8s} "
          f"{'CAPEX M':>8s} {'NPV M':>8s} {'IRR %':>6s}  status")
    for c in d.candidates:
        def m(x: float) -> str:
            return "-" if not math.isfinite(x) else f"{x / 1e6:8.1f}"
        irr = "-" if c.irr is None else f"{100 * c.irr:6.1f}"
        margin = "-" if not math.isfinite(c.margin_db) else f"{c.margin_db:6.2f}"
        status = "RECOMMENDED" if c.recommended else (", ".join(c.fails) or "eligible")
        print(f" {c.name:34s} {c.system_capacity_tbps:7.1f} {margin:>6s} "
              f"{'ok' if c.feedable else 'no':>4s} {100 * c.availability:8.3f} {m(c.capex):>8s} "
              f"{m(c.npv):>8s} {irr:>6s}  {status}")
    print(f"({cur}) {d.reason}")
    print(d.target_cost)


def _decision(args: argparse.Namespace) -> int:
    from ..plan import plan

    d = plan(scenario_from_args(args), until="decision").decision
    if args.json:
        print_json(d.to_dict())
        return 0
    print_decision(d)
    return 0
