"""``transcaspian scenario schema|show|check``: the scenario file's schema and default."""

from __future__ import annotations

import argparse
import sys

from ._common import add_debug_argument, add_scenario_argument, print_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("scenario", help="scenario schema, default scenario, validation")
    inner = p.add_subparsers(dest="scenario_command", metavar="ACTION", required=True)
    s = inner.add_parser("schema", help="print the JSON Schema of scenario files")
    add_debug_argument(s)
    s.set_defaults(func=_schema)
    s = inner.add_parser("show", help="print the default scenario (YAML with comments)")
    add_debug_argument(s)
    s.set_defaults(func=_show)
    s = inner.add_parser(
        "check",
        help="validate a scenario file and every file it names (no computation)",
    )
    add_scenario_argument(s)  # optional, the embedded scenario by default, like the others
    s.set_defaults(func=_check)


def _schema(args: argparse.Namespace) -> int:
    from ..scenario import json_schema

    print_json(json_schema())
    return 0


def _show(args: argparse.Namespace) -> int:
    from ..scenario import default_scenario_text

    sys.stdout.write(default_scenario_text())
    return 0


def _check(args: argparse.Namespace) -> int:
    from ..plan import check_inputs
    from ..scenario import load_scenario

    sc = load_scenario(args.scenario)
    check_inputs(sc)
    print(f"{args.scenario or 'embedded default scenario'}: ok ({sc.name})")
    return 0
