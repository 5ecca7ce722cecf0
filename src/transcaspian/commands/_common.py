"""Helpers shared by the sub-commands: scenario argument, JSON output, --debug."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np

from ..scenario import Scenario, load_scenario


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


def _default(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    return str(obj)


def to_json(data: Any) -> str:
    """JSON text with numpy values converted; NaN is written as null."""
    return json.dumps(_nan_to_none(data), default=_default, indent=2, allow_nan=False)


def _nan_to_none(obj: Any) -> Any:
    if isinstance(obj, float) and not np.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _nan_to_none(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_nan_to_none(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _nan_to_none(obj.tolist())
    if isinstance(obj, np.generic):
        return _nan_to_none(obj.item())
    return obj


def print_json(data: Any) -> None:
    sys.stdout.write(to_json(data) + "\n")
