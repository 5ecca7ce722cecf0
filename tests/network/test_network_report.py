"""The report section renders offline with its figures and tables."""

from __future__ import annotations

import pytest

from transcaspian.network import NetworkConfig, analyse_corridor
from transcaspian.network.coastline import read_coastline
from transcaspian.report.sections.network import section_html


@pytest.fixture(scope="module")
def html():
    cfg = NetworkConfig(all_single_srlg_cuts=False)
    return section_html(analyse_corridor(cfg, trans_caspian_length_km=380.0))


def test_section_structure(html):
    assert html.startswith('<section id="network">') and html.endswith("</section>")
    for element_id in ("network-map", "network-utilisation", "network-saturation"):
        assert f'<svg id="{element_id}"' in html
    for cls in (
        "network-summary",
        "network-latency",
        "network-diversity",
        "network-cuts",
        "network-cut-detail",
    ):
        assert f"class='{cls}'" in html
    assert "red sea 2024" in html  # cuts by their name, not their id


def test_offline(html):
    # namespaces in the SVG metadata are fine; nothing may be fetched
    for needle in ('src="http', "src='http", 'href="http', "href='http", "url(http", "<script"):
        assert needle not in html


def test_bundled_coastline_covers_the_caspian():
    lines = read_coastline()
    # some coastline vertex lies on the Caspian's Absheron / Aktau shores (bbox check)
    assert any(
        ((ln[:, 0] > 49) & (ln[:, 0] < 52) & (ln[:, 1] > 40) & (ln[:, 1] < 44)).any()
        for ln in lines
    )


def test_latency_section_states_the_calibrated_spread(html):
    """Issue 21: the users' latency is given with its P10-P90 spread (bundled calibration)."""
    from transcaspian.network.calibration import load_calibration

    cal = load_calibration().routed
    assert f"{cal.p10:.2f}–{cal.p90:.2f} ×</b> the as-routed RTT" in html
    assert "network calibrate" in html
