"""Sphinx extension of the transcaspian docs: generated references and live figures.

- ``.. scenario-reference::`` renders the scenario file's reference from its JSON Schema;
- ``.. cli-reference::`` renders every command's ``--help`` from the argparse parsers;
- ``:plan:`route.cable_length_km|.0f``` inserts a figure of the default scenario's plan, computed
  at build time (one :func:`transcaspian.plan` per build), so the user guide never quotes a stale
  number. An unknown path is a build error.

The text generators live in :mod:`tcdocs_gen` (importable without Sphinx, for the tests).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import tcdocs_gen
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


class _GeneratedRst(SphinxDirective):
    has_content = False

    def text(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        container = nodes.section()
        container.document = self.state.document
        lines = StringList(self.text().splitlines(), source=f"<{self.name}>")
        self.state.nested_parse(lines, self.content_offset, container, match_titles=True)
        return list(container.children)


class ScenarioReference(_GeneratedRst):
    def text(self) -> str:
        return tcdocs_gen.scenario_reference_rst()


class CliReference(_GeneratedRst):
    def text(self) -> str:
        return tcdocs_gen.cli_reference_rst()


class BenchTargets(_GeneratedRst):
    def text(self) -> str:
        return tcdocs_gen.bench_targets_rst(Path(self.env.srcdir).parent / "benchmarks")


class PlanTable(_GeneratedRst):
    """``.. plan-table:: decision.candidates`` with ``:columns:`` one spec a line
    (``field|format|header``)."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {
        "columns": lambda text: [c.strip() for c in text.splitlines() if c.strip()]}

    def text(self) -> str:
        try:
            return tcdocs_gen.plan_table_rst(self.arguments[0], self.options["columns"])
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            raise self.error(f"plan-table {self.arguments[0]}: {exc}") from exc


def plan_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any,
              options: dict[str, Any] | None = None,
              content: list[str] | None = None) -> tuple[list[nodes.Node], list[Any]]:
    try:
        value = tcdocs_gen.plan_value(text)
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        msg = inliner.reporter.error(f"plan figure {text!r}: {exc}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    return [nodes.inline(rawtext, value, classes=["plan-figure"])], []


_LITERALS = re.compile(r"(``.*?``|`[^`]*`)")
_BAR = re.compile(r"(?<!\\)\|")


def _escape_bars(app: Sphinx, what: str, name: str, obj: Any, options: Any,
                 lines: list[str]) -> None:
    """Docstrings write absolute values as ``|x|`` in formulas, which reST would read as a
    substitution reference: escape every bar outside inline literals and roles."""
    for i, line in enumerate(lines):
        if "|" in line:
            parts = _LITERALS.split(line)
            lines[i] = "".join(p if k % 2 else _BAR.sub(r"\\|", p) for k, p in enumerate(parts))


#: notes other engineers add beside these pages: listed in the index's toctree when present
OPTIONAL_NOTES = ("power", "install")


def _optional_notes(app: Sphinx, docname: str, source: list[str]) -> None:
    if docname != "index":
        return
    srcdir = Path(app.srcdir)
    present = [n for n in OPTIONAL_NOTES if any((srcdir / f"{n}{ext}").exists()
                                                 for ext in (".md", ".rst"))]
    source[0] = source[0].replace("   @OPTIONAL_NOTES@\n",
                                  "".join(f"   {n}\n" for n in present))


def _math_inline(self: Any, node: nodes.Element) -> None:
    self.body.append(f'<code class="math">{self.encode(node.astext())}</code>')
    raise nodes.SkipNode


def _math_block(self: Any, node: nodes.Element) -> None:
    self.body.append(f'<pre class="math">{self.encode(node.astext())}</pre>')
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    # math as its TeX source: MathJax would be fetched from a CDN when a page is opened
    app.add_html_math_renderer("tcdocs_plain", (_math_inline, None), (_math_block, None))
    app.add_directive("scenario-reference", ScenarioReference)
    app.add_directive("cli-reference", CliReference)
    app.add_directive("plan-table", PlanTable)
    app.add_directive("bench-targets", BenchTargets)
    app.add_role("plan", plan_role)
    app.connect("source-read", _optional_notes)
    app.connect("autodoc-process-docstring", _escape_bars)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
