"""Generators for the documentation site, computed from the code at build time.

Nothing here is hand-written reference text: the scenario reference is rendered from the
scenario model's JSON Schema (:func:`transcaspian.scenario.json_schema`, i.e. pydantic's
``model_json_schema()``), the CLI reference from the argparse parsers
(:func:`transcaspian.cli.build_parser`), and the figures quoted in the user guide from one
:func:`transcaspian.plan` of the embedded default scenario (:func:`plan_value`). The Sphinx
extension :mod:`tcdocs` wraps these as directives and a role; ``tests/test_docs.py`` calls them
without a Sphinx build.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

__all__ = [
    "bench_targets_rst",
    "cli_parsers",
    "cli_reference_rst",
    "default_plan_dict",
    "plan_table_rst",
    "plan_value",
    "scenario_reference_rst",
]


# --------------------------------------------------------------------------- scenario schema

def _underline(title: str, char: str) -> str:
    return f"{title}\n{char * max(len(title), 4)}\n"


def _ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _type_text(node: dict[str, Any]) -> str:
    """A short type description of a schema node (refs shown as links to their section)."""
    name = _ref_name(node)
    if name is not None:
        return f":ref:`{name} <scenario-{name.lower()}>`"
    if "anyOf" in node:
        return " | ".join(_type_text(n) for n in node["anyOf"])
    if "oneOf" in node:
        return " | ".join(_type_text(n) for n in node["oneOf"])
    if "enum" in node:
        return " | ".join(f"``{json.dumps(v)}``" for v in node["enum"])
    if "const" in node:
        return f"``{json.dumps(node['const'])}``"
    t = node.get("type")
    if t == "array":
        items = node.get("items")
        inner = _type_text(items) if isinstance(items, dict) and items else "any"
        if "prefixItems" in node:
            inner = ", ".join(_type_text(n) for n in node["prefixItems"])
            return f"[{inner}]"
        return f"list of {inner}"
    if t == "object":
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            return f"mapping of {_type_text(extra)}"
        return "mapping"
    if isinstance(t, list):
        return " | ".join(map(str, t))
    return str(t) if t is not None else "any"


_BOUNDS = (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"),
           ("exclusiveMaximum", "<"), ("minLength", "min length"), ("maxLength", "max length"),
           ("minItems", "min items"), ("maxItems", "max items"), ("pattern", "pattern"))


def _bounds_text(node: dict[str, Any]) -> str:
    parts = [f"{label} ``{node[key]}``" for key, label in _BOUNDS if key in node]
    for sub in node.get("anyOf", ()):
        parts.extend(p for p in [_bounds_text(sub)] if p)
    return ", ".join(parts)


def _cell(text: str) -> str:
    """One list-table cell: a single line of inline text (never empty)."""
    text = " ".join(str(text).split())
    return text if text else "\u2014"


def _default_text(node: dict[str, Any], required: bool) -> str:
    if required:
        return "required"
    if "default" not in node:
        return ""
    text = json.dumps(node["default"], ensure_ascii=False)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"``{text}``"


def _walk_models(schema: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """(model name, the dotted paths it is reached by), breadth-first from the root."""
    defs = schema.get("$defs", {})
    paths: dict[str, list[str]] = {}
    order: list[str] = []
    queue: list[tuple[str, dict[str, Any]]] = [("", schema)]
    while queue:
        prefix, node = queue.pop(0)
        for field, sub in node.get("properties", {}).items():
            path = f"{prefix}{field}"
            for ref in _refs(sub):
                first = ref not in paths
                paths.setdefault(ref, []).append(path)
                if first:
                    order.append(ref)
                    queue.append((f"{path}.", defs[ref]))
    for name in order:
        yield name, paths[name]


def _refs(node: Any) -> Iterator[str]:
    """Every model a field's schema refers to (through unions, lists and mappings)."""
    if isinstance(node, dict):
        name = _ref_name(node)
        if name is not None:
            yield name
        for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            for sub in node.get(key, ()):
                yield from _refs(sub)
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                yield from _refs(node[key])


def _model_table(node: dict[str, Any]) -> list[str]:
    required = set(node.get("required", ()))
    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 18 22 14 16 30", "",
             "   * - field", "     - type", "     - default", "     - bounds", "     - meaning"]
    for field, sub in node.get("properties", {}).items():
        lines += [
            f"   * - ``{field}``",
            f"     - {_cell(_type_text(sub))}",
            f"     - {_cell(_default_text(sub, field in required))}",
            f"     - {_cell(_bounds_text(sub))}",
            f"     - {_cell(_escape(sub.get('description', '')))}",
        ]
    return lines


def _escape(text: str) -> str:
    """Schema descriptions may hold ``literals``; keep the rest of reST markup out of them."""
    return (text.replace("\\", "\\\\").replace("*", "\\*").replace("|", "\\|")
            .replace("_ ", "\\_ "))


def scenario_reference_rst() -> str:
    """The scenario file's reference (reStructuredText), rendered from its JSON Schema.

    One section per model, breadth-first from the root, each with the dotted paths that reach
    it and a table of its fields: type, default, bounds and the field's description.
    """
    from transcaspian.scenario import json_schema

    schema = json_schema()
    defs = schema.get("$defs", {})
    out = [".. _scenario-root:", "", _underline("Scenario (top level)", "-")]
    out.append(_escape(schema.get("description", "")) + "\n")
    out += _model_table(schema)
    out.append("")
    for name, paths in _walk_models(schema):
        node = defs[name]
        out += [f".. _scenario-{name.lower()}:", "", _underline(name, "-")]
        shown = ", ".join(f"``{p}``" for p in paths[:6])
        more = f" and {len(paths) - 6} more" if len(paths) > 6 else ""
        out.append(f"At {shown}{more}.\n")
        if node.get("description"):
            out.append(_escape(node["description"]) + "\n")
        if node.get("properties"):
            out += _model_table(node)
        elif "enum" in node:
            out.append("One of " + ", ".join(f"``{json.dumps(v)}``" for v in node["enum"]) + ".")
        out.append("")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- command line

def cli_parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    """Every parser of the ``transcaspian`` command, depth-first: (full command, parser)."""
    from transcaspian.cli import build_parser

    found: list[tuple[str, argparse.ArgumentParser]] = []

    def visit(name: str, parser: argparse.ArgumentParser) -> None:
        found.append((name, parser))
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                seen: set[int] = set()
                for sub_name, sub in action.choices.items():
                    if id(sub) in seen:  # an alias of a command already listed
                        continue
                    seen.add(id(sub))
                    visit(f"{name} {sub_name}", sub)

    visit("transcaspian", build_parser())
    return found


def cli_reference_rst() -> str:
    """The command-line reference (reStructuredText): each command's ``--help``, as argparse
    prints it, under a heading per command."""
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "92"  # argparse wraps to the terminal width: fix it for the docs
    try:
        out: list[str] = []
        for name, parser in cli_parsers():
            label = name.replace(" ", "-")
            out += [f".. _cli-{label}:", "", _underline(f"``{name}``", "-"), "",
                    ".. code-block:: text", ""]
            out += [f"   {line}".rstrip() for line in parser.format_help().splitlines()]
            out.append("")
        return "\n".join(out) + "\n"
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old


# --------------------------------------------------------------------------- live figures

@cache
def default_plan_dict() -> dict[str, Any]:
    """``report.json`` of the embedded default scenario, computed once per process."""
    import transcaspian

    result = transcaspian.plan(transcaspian.load_scenario())
    return json.loads(json.dumps(result.to_dict(), default=str))


def _lookup(data: Any, path: str) -> Any:
    """The value at a dotted path; ``(other.path)`` inside it is replaced by that path's value,
    so ``decision.candidates.name=(decision.recommended).margin_db`` follows the recommendation."""
    path = re.sub(r"\(([^()]+)\)", lambda m: str(_lookup(data, m.group(1))), path)
    node = data
    for part in path.split("."):
        if isinstance(node, list):
            if part.isdigit():
                node = node[int(part)]
                continue
            key, _, value = part.partition("=")  # list element by a field: designs.name=x
            matches = [d for d in node if isinstance(d, dict) and str(d.get(key)) == value]
            if len(matches) != 1:
                raise KeyError(f"{path}: {part!r} matches {len(matches)} elements")
            node = matches[0]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(f"{path}: no {part!r}")
    return node


def plan_value(spec: str, data: dict[str, Any] | None = None) -> str:
    """A figure of the default plan, formatted: ``"route.cable_length_km|.0f"``.

    ``spec`` is a dotted path into ``report.json`` (list items by index or by ``field=value``),
    optionally ``|format`` (a format spec; ``%`` multiplies by 100, ``M`` divides by 10^6) .
    """
    path, _, fmt = spec.partition("|")
    value = _lookup(default_plan_dict() if data is None else data, path.strip())
    return _fmt(value, fmt.strip())


def _fmt(value: Any, fmt: str) -> str:
    if value is None:
        return "\u2014"
    if fmt == "M":
        return f"{float(value) / 1e6:,.1f}"
    if fmt:
        return format(value, fmt)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def plan_table_rst(path: str, columns: list[str], data: dict[str, Any] | None = None) -> str:
    """A list-table of the records at ``path`` (a list of mappings in the default plan's
    ``report.json``); each column ``field`` or ``field|format`` or ``field|format|header``."""
    rows = _lookup(default_plan_dict() if data is None else data, path)
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{path}: not a non-empty list")
    specs = [[*c.split("|"), "", ""][:3] for c in columns]
    out = [".. list-table::", "   :header-rows: 1", ""]
    out.append("   * - " + "\n     - ".join(h or f for f, _, h in specs))
    for row in rows:
        cells = [_cell(_fmt(_lookup(row, f), fmt)) for f, fmt, _ in specs]
        out.append("   * - " + "\n     - ".join(cells))
    return "\n".join(out) + "\n"


def bench_targets_rst(bench_dir: str | os.PathLike[str]) -> str:
    """What each benchmark of ``benchmarks/`` times and its target: every ``bench_*.py``
    module's docstring, read with :mod:`ast` (nothing imported, GNPy not needed)."""
    import ast
    from pathlib import Path

    out: list[str] = []
    for path in sorted(Path(bench_dir).glob("bench_*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if not doc:
            raise ValueError(f"{path.name}: no module docstring")
        out += [_underline(f"``{path.stem}``", "-"), "", ".. code-block:: text", ""]
        out += [f"   {line}".rstrip() for line in doc.splitlines()]
        out.append("")
    if not out:
        raise ValueError(f"{bench_dir}: no bench_*.py")
    return "\n".join(out) + "\n"
