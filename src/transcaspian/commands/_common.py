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
