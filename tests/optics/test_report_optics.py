"""The optics report section renders the design comparison as inline SVG and a table."""

from __future__ import annotations

from transcaspian.optics.config import OpticsConfig
from transcaspian.optics.design import compare_designs
from transcaspian.report.sections.optics import section_html


def test_section_html_has_figures_and_table() -> None:
    res = compare_designs(OpticsConfig(), cable_length_km=372.0, fibre_pairs=8)
    from types import SimpleNamespace

    html = section_html(res, SimpleNamespace(recommended="repeatered_2"))  # type: ignore[arg-type]
    assert html.strip().startswith('<section id="optics">')
    assert html.strip().endswith("</section>")
    assert 'id="optics-gsnr"' in html and 'id="optics-profile"' in html
    assert html.count("<svg") == 4
    assert 'id="optics-raman-gain"' in html and "ripple [dB]" in html
    assert 'id="optics-ropa"' in html and "ROPA noise figure" in html
    assert "src=\"http" not in html and "href=\"http" not in html  # nothing fetched
    for d in res.designs:
        assert d.label in html
    assert 'class="recommended"' in html
