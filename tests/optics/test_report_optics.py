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


def test_the_dense_plan_note_reaches_the_section() -> None:
    """A 2016 design on the default 75 GHz plan: the report says a denser plan carries more
    waves (the 2012 generation's modes fit 50 GHz), as ``transcaspian optics`` prints it."""
    from types import SimpleNamespace

    from transcaspian.optics.design import denser_plan_note

    cfg = OpticsConfig.model_validate({"modem_year": 2016})
    res = compare_designs(cfg, cable_length_km=372.0, fibre_pairs=8)
    note = denser_plan_note(cfg)
    assert note is not None
    html = section_html(res, SimpleNamespace(recommended="repeatered_2"),  # type: ignore[arg-type]
                        plan_note=note)
    assert "a denser optics.spectrum would carry more waves" in html
    plain = section_html(res, SimpleNamespace(recommended="repeatered_2"))  # type: ignore[arg-type]
    assert "denser optics.spectrum" not in plain
