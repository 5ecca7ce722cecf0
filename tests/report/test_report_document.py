"""The report as a decision document: summary figures equal report.json, flags appear when their
condition holds, every table has its CSV, the static report has no script, the size budget."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

import pytest

from transcaspian.report.html import render_report_files


def _json_path(data: Any, path: str) -> Any:
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        data = data[int(part[1:-1])] if part.startswith("[") else data[part]
    return data


class _Figs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.figs: list[tuple[str, float, str]] = []
        self._open: tuple[str, float] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "span" and a.get("class") == "fig":
            self._open = (str(a["data-json"]), float(str(a["data-value"])))
            self._text = ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._open is not None:
            self.figs.append((*self._open, self._text))
            self._open = None


@pytest.fixture(scope="module")
def files(default_plan: Any) -> dict[str, str]:
    return render_report_files(default_plan)


def test_summary_first_and_its_figures_equal_report_json(files: dict[str, str],
                                                         default_plan: Any) -> None:
    html = files["report.html"]
    main = html[html.index("<main>") + len("<main>"):]
    assert main.lstrip().startswith('<section id="summary">')
    summary = main[: main.index("</section>")]
    parser = _Figs()
    parser.feed(summary)
    data = json.loads(json.dumps(default_plan.to_dict(), default=float))
    assert len(parser.figs) >= 8
    paths = {p for p, _, _ in parser.figs}
    for needed in ("route.cable_length_km", "network.trans_caspian.capacity_tbps"):
        assert needed in paths
    assert any(p.endswith(".margin_db") for p in paths)
    for path, value, text in parser.figs:
        assert _json_path(data, path) == pytest.approx(value, rel=1e-12, abs=1e-12), path
        # the displayed text is the value rounded, never another number
        shown = float(re.sub(r"[^0-9.\-]", "", text.split()[0].replace(",", "")))
        if text.rstrip().endswith("%"):
            shown /= 100.0
        elif " M " in text:  # money in millions
            shown *= 1e6
        assert shown == pytest.approx(value, rel=0.006, abs=0.051), (path, text)


def test_every_table_has_a_csv_with_its_row_count(files: dict[str, str]) -> None:
    html = files["report.html"]
    tables = re.findall(r"<table\b.*?</table>", html, flags=re.S)
    links = re.findall(r'class="csv-link" href="([^"]+)"', html)
    csvs = {k: v for k, v in files.items() if k.endswith(".csv")}
    assert len(tables) == len(links) == len(csvs) >= 8
    assert len(set(links)) == len(links)
    for table in tables:
        href = re.search(r'class="csv-link" href="([^"]+)"', table)
        assert href is not None, table[:80]
        rows = list(csv.reader(io.StringIO(csvs[href.group(1)])))
        assert len(rows) == len(re.findall(r"<tr\b", table)), href.group(1)
        assert all(len(r) >= 1 for r in rows)


def test_forced_conditions_raise_every_flag(default_plan: Any) -> None:
    sc = default_plan.scenario
    forced_sc = sc.model_copy(update={
        "optics": sc.optics.model_copy(update={"target_system_capacity_tbps": 90000.0}),
        "report": sc.report.model_copy(update={"thin_margin_db": 19.0}),
    })
    optics = default_plan.optics
    rec_i = next(i for i, d in enumerate(optics.designs)
                 if d.name == default_plan.decision.recommended)
    designs = list(optics.designs)
    # a design resting on an illustrative mode of the bundled library
    from transcaspian.optics.transceivers import load_transceiver_library

    shown = next(m.name for m in load_transceiver_library().modes if m.illustrative)
    rec = designs[rec_i]
    designs[rec_i] = replace(rec, modes=(shown, *rec.modes[1:]), illustrative_modes=(shown,))
    forced = replace(default_plan, scenario=forced_sc, results={
        **default_plan.results, "optics": replace(optics, designs=tuple(designs)),
        "decision": _without_target(default_plan.decision, forced_sc)})
    codes = {f.code for f in forced.flags()}
    assert codes == {"capacity_target_not_met", "thin_margin", "illustrative_modes",
                     "landing_on_land", "estimated_inputs"}
    html = render_report_files(forced, static=True)["report.html"]
    summary = html[html.index('<section id="summary">'):]
    summary = summary[: summary.index("</section>")]
    for code in codes:
        assert f'data-flag="{code}"' in summary, code
        # and in the section that backs it
        assert html.count(f'data-flag="{code}"') >= 2, code


def test_flags_quiet_when_conditions_do_not_hold(default_plan: Any) -> None:
    sc = default_plan.scenario
    relaxed = replace(default_plan, scenario=sc.model_copy(update={
        "report": sc.report.model_copy(update={"thin_margin_db": 0.0}),
        "optics": sc.optics.model_copy(update={"target_system_capacity_tbps": 1.0}),
    }))
    codes = {f.code for f in relaxed.flags()}
    assert "thin_margin" not in codes and "capacity_target_not_met" not in codes


def test_static_report_has_no_script_and_interactive_has_the_svg_twin(
    default_plan: Any, files: dict[str, str]
) -> None:
    static = render_report_files(default_plan, static=True)["report.html"]
    assert "<script" not in static
    assert 'id="route-map"' in static and "<svg" in static
    html = files["report.html"]
    assert html.count("<script") >= 3  # plotly.js + one call per interactive figure
    assert "<noscript>" in html and 'id="route-map-static"' in html
    # nothing is loaded from elsewhere (links to cited sources are fine: a click, not a load)
    assert not re.search(r"""src=["']?(https?:)?//""", html)
    assert "<link" not in html


def test_report_size_budget(files: dict[str, str]) -> None:
    assert len(files["report.html"].encode()) < 8 * 1024 * 1024


def test_a_recommended_erbium_ropa_is_flagged_as_resting_on_the_tabulated_spectrum(
    default_plan: Any,
) -> None:
    optics = default_plan.optics
    assert not any("erbium" in f.message for f in default_plan.flags())  # repeatered
    ropa = next(d for d in optics.designs if d.amplification == "booster_raman_ropa")
    forced = replace(default_plan, results={
        **default_plan.results,
        "decision": replace(default_plan.decision, recommended=ropa.name)})
    msgs = [f.message for f in forced.flags() if f.code == "estimated_inputs"]
    assert any("erbium absorption shape" in m for m in msgs)
    sc = default_plan.scenario
    flat = sc.optics.ropa.model_copy(update={"model": "pump_limited"})
    plain = replace(forced, scenario=sc.model_copy(update={
        "optics": sc.optics.model_copy(update={"ropa": flat})}))
    assert not any("erbium" in f.message for f in plain.flags())


def _without_target(decision, scenario):  # type: ignore[no-untyped-def]
    """The default decision as the forced scenario's flags read it (target and margin)."""
    return replace(decision, target_tbps=scenario.optics.target_system_capacity_tbps)
