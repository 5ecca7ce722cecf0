"""Helpers shared by the sub-commands: scenario argument, JSON output, --debug."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .._json import to_json
from ..scenario import Scenario, load_scenario

__all__ = [
    "add_debug_argument",
    "add_json_argument",
    "add_scenario_argument",
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


def cable_length_km(args: argparse.Namespace, scenario: Scenario) -> float:
    """The ``--cable-length-km`` given, else the routed cable length of the scenario [km]."""
    if args.cable_length_km is not None:
        return float(args.cable_length_km)
    from ..geo.stage import run_route

    return float(run_route(scenario).cable_length_km)
