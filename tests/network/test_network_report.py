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
    # the calibration's held-out figures and the rule (issue 21 §1, "Done when")
    full = load_calibration()
    cv = full.cross_validated["routed"]
    assert f"covers <b>{cv['coverage']:.0%}</b>" in html
    assert f"<b>{cv['interval_score_ms']:.0f} ms</b>" in html
    assert "The rule: the factors are estimated from a calibration set" in html
    chosen = full.provenance["covariate_selection"]["routed"]["chosen"]
    assert f"it chose <b>{chosen}</b>" in html


@pytest.fixture(scope="module")
def result():
    return analyse_corridor(NetworkConfig(all_single_srlg_cuts=False),
                            trans_caspian_length_km=380.0)


def test_headline_states_the_as_routed_effect_and_labels_bounds(result, html):
    """Issue 21 §6: what users get is the as-routed effect, line alone and line + hub, each
    with P10-P90 and the pairs that gain; the fibre-bound count is labelled a bound; no
    backup 'saving' against a detour."""
    import re

    head = re.search(r"<ul class='network-summary'>(.*?)</ul>", html, re.S).group(1)
    assert "as routed" in head and "the line alone:" in head
    assert "the line with Baku as an interconnection hub:" in head
    assert "P10-P90" in head
    dh = result.digital_hub
    both = dh.combination("with_line_digital_hub")
    assert both.pairs_gaining > 0 and both.gaining_pairs
    assert f"{both.pairs_gaining} of {both.pairs} city pairs gain" in head
    assert "city pairs get a faster" not in html
    assert "Fibre bound" in head and "bound" in head.split("Fibre bound", 1)[1][:200]
    assert "faster" not in head  # no backup saving against a detour
    assert "against a" in head and "primary" in head  # backup RTT against primary RTT


def test_gain_band_is_the_gain_between_calibrated_quantiles(result):
    """The P10 / P90 of a gain: today's P10 (P90) minus the combination's, per pair; with
    the pooled factors that is the gain x the factor."""
    from transcaspian.network.calibration import load_calibration

    cal = load_calibration().routed
    c = result.digital_hub.combination("with_line_digital_hub")
    assert c.max_gain_p10_ms == pytest.approx(cal.p10 * c.max_gain_ms, rel=1e-9)
    assert c.max_gain_p90_ms == pytest.approx(cal.p90 * c.max_gain_ms, rel=1e-9)
    assert c.median_gain_p10_ms <= c.median_gain_p50_ms <= c.median_gain_p90_ms


def test_diversity_table_is_backup_against_primary(result, html):
    """Issue 22: no column that is empty in every row ('created by the line'), no sentence
    repeated in every row ('why this primary'); backup - primary per pair."""
    import re

    table = re.search(r"<table class='network-diversity'>(.*?)</table>", html, re.S).group(1)
    head = re.findall(r"<th>(.*?)</th>", table)
    assert "backup − primary [ms]" in head
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("</thead>", 1)[1], re.S)
    cells = [re.findall(r"<td>(.*?)</td>", r) for r in rows]
    assert len(rows) == len(result.diversity)
    for k in range(len(head)):
        column = {c[k] for c in cells}
        assert column != {""}, head[k]  # no column empty in every row
        if len(rows) > 2 and k > 0:
            assert not (len(column) == 1 and len(next(iter(column))) > 20), head[k]
    for r, c in zip(result.diversity, cells, strict=True):
        if r.backup_rtt_ms is not None:
            assert float(c[3]) == pytest.approx(r.backup_rtt_ms - r.primary_rtt_ms, abs=0.051)


def test_saturation_chart_shows_the_line(result):
    from transcaspian.report.sections.network import saturation_svg

    assert "Trans-Caspian line:" in saturation_svg(result)


def test_long_tables_fold(html):
    import re

    for cls in ("network-latency", "network-diversity", "network-cuts"):
        assert re.search(rf"<details class='long-table'><summary>[^<]*</summary>"
                         rf"<table class='{cls}'>", html), cls
