"""The HTML report opened in headless Chromium: it renders, the map and the profile are there,
the console is clean and no request leaves the machine.

Needs Debian's ``chromium`` package (``apt-get install chromium``; ``.ci/run`` installs it) and
the ``playwright`` Python package (test extra), which drives the system browser — no browser
download. Without Chromium the test skips with that hint, unless TRANSCASPIAN_REQUIRE_BROWSER=1
(set by CI), where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory, default_plan: Any) -> Path:
    from transcaspian.report.html import write_outputs

    out = tmp_path_factory.mktemp("report")
    write_outputs(default_plan, out)
    return out


def _exe() -> str:
    exe = _chromium()
    if exe is None:
        if os.environ.get("TRANSCASPIAN_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here but not installed (apt-get install chromium)")
        pytest.skip("headless Chromium not found: install Debian's 'chromium' package")
    return exe


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    exe = _exe()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=_ARGS)
        try:
            yield b
        finally:
            b.close()


def _json_path(data: Any, path: str) -> Any:
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        data = data[int(part[1:-1])] if part.startswith("[") else data[part]
    return data


def test_summary_figures_equal_report_json_in_the_browser(browser: Any, report_dir: Path) -> None:
    page = browser.new_page()
    page.goto((report_dir / "report.html").as_uri(), wait_until="load")
    page.wait_for_selector("#route-map .main-svg")
    figs = page.eval_on_selector_all(
        "#summary span.fig",
        "els => els.map(e => [e.dataset.json, parseFloat(e.dataset.value), e.innerText])",
    )
    data = json.loads((report_dir / "report.json").read_text())
    assert len(figs) >= 8
    for path, value, text in figs:
        assert _json_path(data, path) == pytest.approx(value, rel=1e-9), path
        assert text.strip(), path
    # the 3 s rendering budget is timed in `make bench` (benchmarks/bench_report.py), not here
    page.close()


def test_hovering_the_route_shows_its_kp(browser: Any, report_dir: Path) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 1100})
    page.goto((report_dir / "report.html").as_uri(), wait_until="load")
    page.locator("#route-map").scroll_into_view_if_needed()
    page.wait_for_selector("#route-map .main-svg")
    # pixel position of an RPL row of the route trace, from Plotly's own axes
    xy = page.evaluate(
        """() => {
        const gd = document.getElementById('route-map');
        const i = gd._fullData.findIndex(t => (t.name || '').startsWith('route'));
        const t = gd._fullData[i]; const k = Math.floor(t.x.length / 2);
        const L = gd._fullLayout; const box = gd.getBoundingClientRect();
        return [box.left + L._size.l + L.xaxis.l2p(t.x[k]),
                box.top + L._size.t + L.yaxis.l2p(t.y[k])];
        }"""
    )
    page.mouse.move(xy[0] + 3, xy[1] + 3)
    page.mouse.move(xy[0], xy[1])
    page.wait_for_selector("#route-map .hoverlayer .hovertext", timeout=3000)
    tip = page.locator("#route-map .hoverlayer").text_content() or ""
    assert "KP" in tip and "depth" in tip and "cable" in tip, tip
    page.close()


def test_renders_with_javascript_disabled(browser: Any, report_dir: Path) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto((report_dir / "report.html").as_uri(), wait_until="load")
        for element_id in ("route-map-static", "depth-profile-static"):
            box = page.locator(f"#{element_id}").bounding_box()
            assert box is not None and box["width"] > 300, element_id
        assert page.locator("#summary").inner_text().strip()
    finally:
        ctx.close()


def test_every_flag_shows_when_forced(browser: Any, default_plan: Any, tmp_path: Path) -> None:
    from transcaspian.optics.transceivers import load_transceiver_library
    from transcaspian.report.html import write_outputs

    sc, optics = default_plan.scenario, default_plan.optics
    forced_sc = sc.model_copy(update={
        "optics": sc.optics.model_copy(update={"target_system_capacity_tbps": 90000.0}),
        "report": sc.report.model_copy(update={"thin_margin_db": 19.0}),
    })
    rec_i = next(i for i, d in enumerate(optics.designs)
                 if d.name == default_plan.decision.recommended)
    designs = list(optics.designs)
    shown = next(m.name for m in load_transceiver_library().modes if m.illustrative)
    designs[rec_i] = replace(designs[rec_i], modes=(shown, *designs[rec_i].modes[1:]),
                             illustrative_modes=(shown,))
    forced = replace(default_plan, scenario=forced_sc, results={
        **default_plan.results, "optics": replace(optics, designs=tuple(designs)),
        "decision": _without_target(default_plan.decision, forced_sc)})
    write_outputs(forced, tmp_path)
    page = browser.new_page()
    page.goto((tmp_path / "report.html").as_uri(), wait_until="load")
    shown = set(page.eval_on_selector_all(
        "#summary li.flag", "els => els.filter(e => e.offsetHeight > 0).map(e => e.dataset.flag)"
    ))
    assert shown == {"capacity_target_not_met", "thin_margin", "illustrative_modes",
                     "landing_on_land", "estimated_inputs"}
    page.close()


def test_report_renders_offline_in_chromium(browser: Any, report_dir: Path) -> None:
    console: list[tuple[str, str]] = []
    requests: list[str] = []
    page_errors: list[str] = []
    page = browser.new_page()
    page.on("console", lambda m: console.append((m.type, m.text)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.goto((report_dir / "report.html").as_uri(), wait_until="load")
    page.wait_for_selector("#route-map .main-svg")
    for element_id in ("route-map", "depth-profile"):
        box = page.locator(f"#{element_id}").bounding_box()
        assert box is not None, element_id
        assert box["width"] > 300 and box["height"] > 150, (element_id, box)
    title = page.title()
    heading = page.locator("h1").inner_text()
    page.close()
    assert "Trans-Caspian" in title and "Trans-Caspian" in heading
    assert not page_errors
    assert [m for m in console if m[0] in ("error", "warning")] == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests


def test_every_in_page_link_lands_on_a_section_with_a_heading(browser: Any,
                                                              report_dir: Path) -> None:
    """Click every ``a[href^="#"]`` of the report: the URL fragment follows it, its target
    exists, is a ``<section>`` with an ``<h2>`` and is scrolled into view (issue 22: the
    business case's links led nowhere)."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    page.goto((report_dir / "report.html").as_uri(), wait_until="load")
    hrefs = page.eval_on_selector_all('a[href^="#"]', "els => els.map(e => e.getAttribute('href'))")
    assert "#economics" in hrefs
    links = page.locator('a[href^="#"]')
    assert links.count() == len(hrefs)
    for i, href in enumerate(hrefs):
        target = page.evaluate(
            """id => { const el = document.getElementById(id);
            if (!el) return null;
            const h2 = el.querySelector(':scope > h2');
            return {tag: el.tagName.toLowerCase(), heading: h2 ? h2.innerText.trim() : '',
                    count: document.querySelectorAll('[id="' + CSS.escape(id) + '"]').length}; }""",
            href[1:],
        )
        assert target is not None, f"{href} links to no element"
        assert target["tag"] == "section", f"{href} is a <{target['tag']}>, not a <section>"
        assert target["heading"], f"section {href} has no <h2>"
        assert target["count"] == 1, f"{href}: {target['count']} elements have that id"
        link = links.nth(i)
        if not link.is_visible():  # e.g. a flag in a collapsed list: the target is still checked
            continue
        link.click()
        page.wait_for_function("h => location.hash === h", arg=href, timeout=3000)
        top = page.evaluate(
            "id => document.getElementById(id).getBoundingClientRect().top", href[1:])
        assert -2 <= top < 900, (href, top)  # the section is on screen after the jump
    page.close()


def _without_target(decision, scenario):  # type: ignore[no-untyped-def]
    """The default decision as the forced scenario's flags read it (target and margin)."""
    return replace(decision, target_tbps=scenario.optics.target_system_capacity_tbps)
