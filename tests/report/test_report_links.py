"""Every in-page link of the report (nav, summary, flags) lands on a ``<section>`` with an
``<h2>`` heading (issue 22: the business case had no section, so ``#economics`` led nowhere).

Checked on the rendered HTML string with an HTML parser, so it runs without a browser;
``tests/test_report_browser.py`` follows the same links in Chromium.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from transcaspian.report.html import render_report


class _Anchors(HTMLParser):
    """In-page link targets, and for each element with an id: its tag and whether it holds an
    ``<h2>`` (for sections)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: dict[str, list[str]] = {}
        self.section_heading: dict[str, str] = {}
        self._section: str | None = None
        self._in_h2 = False
        self._h2_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        href = a.get("href")
        if tag == "a" and href is not None and href.startswith("#"):
            self.links.append(href[1:])
        element_id = a.get("id")
        if element_id is not None:
            self.ids.setdefault(element_id, []).append(tag)
        if tag == "section":
            self._section = element_id
        elif tag == "h2" and self._section is not None:
            self._in_h2, self._h2_text = True, ""

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self._h2_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._in_h2:
            self._in_h2 = False
            assert self._section is not None
            self.section_heading.setdefault(self._section, self._h2_text.strip())
        elif tag == "section":
            self._section = None


def _parse(html: str) -> _Anchors:
    p = _Anchors()
    p.feed(html)
    p.close()
    return p


@pytest.mark.parametrize("static", [False, True])
def test_every_in_page_link_lands_on_a_section_with_a_heading(default_plan: Any,
                                                              static: bool) -> None:
    p = _parse(render_report(default_plan, static=static))
    assert "economics" in p.links  # the nav's "Business case" and the summary's link
    for target in sorted(set(p.links)):
        assert target in p.ids, f"#{target} links to no element"
        assert p.ids[target] == ["section"], f"#{target} is {p.ids[target]}, not one <section>"
        assert p.section_heading.get(target), f"section #{target} has no <h2>"


def test_business_case_section_has_its_heading_and_figures(default_plan: Any) -> None:
    p = _parse(render_report(default_plan, static=True))
    assert p.section_heading["economics"] == "Business case"
    assert p.section_heading["reliability"] == "Reliability and power feeding"
    html = render_report(default_plan, static=True)
    econ = html[html.index('<section id="economics">'):]
    econ = econ[: econ.index("</section>")]
    for element_id in ("economics-cashflow",):
        assert f'id="{element_id}"' in econ
    assert "<h3>The consortium</h3>" in econ


def test_a_flag_of_the_business_case_shows_under_its_heading(
        default_plan: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the fix ``_with_flags`` found no ``</h2>`` and dropped such a flag silently."""
    from transcaspian.flags import Flag

    flag = Flag("estimated_inputs", "economics", "a business-case flag for the test", "caution")
    monkeypatch.setattr(type(default_plan), "flags", lambda self: (flag,))
    html = render_report(default_plan, static=True)
    econ = html[html.index('<section id="economics">'):]
    econ = econ[: econ.index("</section>")]
    assert "a business-case flag for the test" in econ
    assert econ.index("a business-case flag for the test") > econ.index("</h2>")
    summary = html[html.index('<section id="summary">'):]
    summary = summary[: summary.index("</section>")]
    assert '<a href="#economics">see business case</a>' in summary
    p = _parse(html)
    assert p.ids["economics"] == ["section"]
