"""The power part of the reliability section: electrical model, the power-limited design's
table and its chart (SVG always, Plotly when the report is interactive)."""

from __future__ import annotations

from transcaspian.power.config import PowerConfig
from transcaspian.power.stage import PowerResult, feed_for_length
from transcaspian.report.sections.reliability import _power_html


def _power(length: float = 13000.0) -> PowerResult:
    return feed_for_length(PowerConfig(), length, 16, {"repeatered_200": 200})


def test_static_section_has_model_table_and_chart() -> None:
    html = _power_html(_power())
    assert "P<sub>fixed</sub>" in html and "16 fibre pairs" in html
    assert "The power-limited design" in html
    assert 'id="power-trade"' in html and "<svg" in html
    assert "plotly-figure" not in html
    t = _power().trade
    assert t is not None and t.best_index is not None
    assert f"best: {t.fibre_pairs[t.best_index]} fibre pairs" in html


def test_interactive_section_has_the_plotly_chart_and_its_static_twin() -> None:
    html = _power_html(_power(), interactive=True)
    assert '<div id="power-trade" class="plotly-figure">' in html
    assert "Plotly.newPlot" in html and 'id="power-trade-static"' in html


def test_unfeedable_length_says_so() -> None:
    html = _power_html(feed_for_length(PowerConfig(), 30000.0, 8, {"r": 400}))
    assert "no fibre-pair count can be fed at this length" in html
    assert "cannot be fed" in html
