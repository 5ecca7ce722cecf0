"""Helpers shared by the sub-commands: scenario argument, JSON output, --debug."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from typing import Any

from .._json import to_json
from ..errors import TranscaspianError
from ..scenario import Scenario, load_scenario

__all__ = [
    "add_debug_argument",
    "add_json_argument",
    "add_scenario_argument",
    "checked_option",
    "print_json",
    "scenario_from_args",
    "to_json",
]


def add_scenario_argument(parser: argparse.ArgumentParser) -> None:
    """Positional ``SCENARIO`` (optional: the embedded default) and ``--debug``."""
    parser.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help="scenario YAML file (default: the embedded Trans-Caspian scenario)",
    )
    add_debug_argument(parser)


def add_debug_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")


def add_json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    return load_scenario(getattr(args, "scenario", None))


def print_json(data: Any) -> None:
    sys.stdout.write(to_json(data) + "\n")


def add_cable_length_argument(parser: argparse.ArgumentParser) -> None:
    """``--cable-length-km``: skip the route stage and use this cable length."""
    parser.add_argument(
        "--cable-length-km",
        type=float,
        default=None,
        help="cable length [km] instead of running the route stage",
    )


def checked_option(
    value: float | None,
    option: str,
    *,
    gt: float | None = None,
    ge: float | None = None,
    le: float | None = None,
    unit: str = "",
) -> float | None:
    """A numeric command-line option, or one line naming the option (``--capacity-tbps``).

    argparse's ``float`` reads ``nan`` and ``inf``; a capacity or a length is neither, and
    the message names the option the user typed, not the library parameter it feeds.
    """
    if value is None:
        return None
    bounds = []
    if gt is not None:
        bounds.append(f"> {gt:g}")
    if ge is not None:
        bounds.append(f">= {ge:g}")
    if le is not None:
        bounds.append(f"<= {le:g}")
    ok = math.isfinite(value) and (gt is None or value > gt) and (ge is None or value >= ge)
    ok = ok and (le is None or value <= le)
    if not ok:
        want = " and ".join(bounds)
        raise TranscaspianError(
            f"{option}: must be a finite number{' ' + want if want else ''}"
            f"{' ' + unit if unit else ''}, got {value:g}"
        )
    return value


def cable_length_km(args: argparse.Namespace, scenario: Scenario) -> float:
    """The ``--cable-length-km`` given, else the scenario's ``optics.cable_length_km``, else
    the routed cable length of the scenario [km]."""
    given = checked_option(args.cable_length_km, "--cable-length-km", gt=0.0, le=40000.0,
                           unit="km")
    if given is not None:
        return float(given)
    if scenario.optics.cable_length_km is not None:  # a study without a route
        return float(scenario.optics.cable_length_km)
    from ..plan import plan

    return float(plan(scenario, until="route").route.cable_length_km)


def add_monte_carlo_arguments(p: argparse.ArgumentParser, *, count: str, what: str,
                              field: str, seed_field: str) -> None:
    """``--{count} N`` (at least 100 ``what``) and ``--seed S`` (at least 0) of a Monte Carlo
    command; their defaults are the scenario's ``field`` and ``seed_field``."""

    def at_least(minimum: int, unit: str) -> Callable[[str], int]:
        def parse(text: str) -> int:
            try:
                value = int(text)
            except ValueError:
                raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
            if value < minimum:
                raise argparse.ArgumentTypeError(f"must be >= {minimum}{unit}")
            return value
        return parse

    p.add_argument(f"--{count}", type=at_least(100, f" {what}"), default=None,
                   help=f"{what} (default: the scenario's {field})")
    p.add_argument("--seed", type=at_least(0, ""), default=None,
                   help=f"Monte Carlo seed (default: the scenario's {seed_field})")


def monte_carlo_progress(label: str, unit: str) -> Callable[[int, int], None]:
    """A progress callback writing ``label: done / total unit`` on one stderr line."""

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\r{label}: {done:,} / {total:,} {unit}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return progress
