"""The users' view on the bundled corridor: city RTT matrix, Digital Hub effect, report, CSV."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from transcaspian.network import NetworkConfig, analyse_corridor


@pytest.fixture(scope="module")
def result():
    return analyse_corridor(NetworkConfig(), trans_caspian_length_km=380.0)


def test_matrix_is_symmetric_and_routed_at_least_fibre(result):
    m = result.latency_matrix
    for v in ("with_line", "without_line"):
        f, r = m.fibre_ms[v], m.routed_ms[v]
        assert np.allclose(f, f.T) and np.allclose(r, r.T)
        assert np.all(r >= f - 1e-9)
    # the line can only shorten fibre paths
    assert np.all(m.fibre_ms["with_line"] <= m.fibre_ms["without_line"] + 1e-9)
    assert "baku" in m.cities and "sumgayit" not in m.cities  # cities are the PoPs


def test_csv_round_trip(result):
    text = result.latency_matrix_csv()
    rows = list(csv.DictReader(io.StringIO(text)))
    n = len(result.latency_matrix.cities)
    assert len(rows) == n * (n - 1) // 2
    row = next(r for r in rows if {r["a"], r["b"]} == {"baku", "almaty"})
    pair = result.latency_matrix.pair(row["a"], row["b"])
    for key in ("fibre_rtt_ms_with_line", "routed_rtt_ms_without_line"):
        assert float(row[key]) == pytest.approx(pair[key], abs=1e-3)
    assert row["meeting_hub_with_line_digital_hub"] == "baku"


def test_digital_hub_pairs_gain_and_meet_in_baku(result):
    dh = result.digital_hub
    assert dh is not None and dh.hub == "baku"
    gains = {(g["a"], g["b"]): g for g in dh.gains}
    g = gains.get(("tbilisi", "almaty")) or gains[("almaty", "tbilisi")]
    assert g["meeting_hub_with_line_digital_hub"] == "baku"
    assert g["gain_ms_with_line_digital_hub"] > 10.0
    # a pair of two Western hubs is untouched by a hub in Baku
    assert ("london", "frankfurt") not in gains and ("frankfurt", "london") not in gains
    combos = {c["name"]: c for c in dh.combinations}
    assert combos["without_line"]["pairs_gaining"] == 0
    assert combos["with_line_digital_hub"]["pairs_gaining"] >= combos["with_line"]["pairs_gaining"]


def test_traffic_kept_local_is_bounded_by_the_cacheable_demand(result):
    dh = result.digital_hub
    combos = {c["name"]: c for c in dh.combinations}
    assert combos["with_line"]["traffic_kept_local_tbps"] == 0.0
    assert combos["without_line"]["traffic_kept_local_tbps"] == 0.0
    kept = dh.traffic_kept_local_tbps
    assert kept == combos["with_line_digital_hub"]["traffic_kept_local_tbps"]
    # only demand of PoPs whose networks join the hub can stay in Baku, content share only
    joins = {"baku", "tbilisi", "almaty", "tashkent", "ashgabat", "tehran"}
    eligible = sum(
        t
        for (a, b), t in zip(result.demand.pairs, result.demand.tbps, strict=True)
        if a in joins or b in joins
    )
    assert 0.0 < kept <= dh.cacheable_share * eligible + 1e-9
    c = combos["with_line_digital_hub"]
    assert c["transit_through_baku_tbps"] <= result.transit_through_baku_tbps + 1e-9
    assert c["handled_in_baku_tbps"] == pytest.approx(c["transit_through_baku_tbps"] + kept)
    assert result.to_dict()["digital_hub"]["traffic_kept_local_tbps"] == kept


def test_diversity_rows_say_which_path_is_primary(result):
    for r in result.diversity:
        assert {"primary_rtt_ms", "primary_basis", "primary_is_shortest", "backup_rtt_ms"} <= set(r)
        best = next(x for x in result.latency if (x["a"], x["b"]) == (r["a"], r["b"]))
        if r["primary_is_shortest"]:
            assert r["primary_rtt_ms"] == pytest.approx(best["rtt_ms"])
        if r["backup_rtt_ms"] is not None:
            assert r["backup_rtt_ms"] >= r["primary_rtt_ms"]


def test_report_has_the_heat_map_and_the_digital_hub(result):
    from transcaspian.report.sections.network import section_html

    html = section_html(result)
    assert 'id="latency-matrix"' in html and 'id="digital-hub-gain"' in html
    assert "The Digital Hub effect" in html and "network-digital-hub" in html


def test_gains_listed_largest_first(result):
    best = [g["best_gain_ms"] for g in result.digital_hub.gains]
    assert best == sorted(best, reverse=True)
    assert all(b > 0.5 for b in best)
    assert len({frozenset((g["a"], g["b"])) for g in result.digital_hub.gains}) == len(best)


def test_kept_local_on_the_line_is_part_of_the_line_flow(result):
    combos = {c["name"]: c for c in result.digital_hub.combinations}
    on_line = combos["with_line_digital_hub"]["kept_local_on_line_tbps"]
    line_flow = result.flows_with.link_flow_tbps[result.trans_caspian_link]
    assert 0.0 < on_line <= min(result.digital_hub.traffic_kept_local_tbps, line_flow) + 1e-9
    assert combos["without_line_digital_hub"]["kept_local_on_line_tbps"] == 0.0


def test_csv_carries_the_calibrated_p10_p90(result):
    """Issue 21: the matrix CSV gives each as-routed RTT its P10 and P90 (bundled calibration's
    factors times the as-routed RTT)."""
    from transcaspian.network.calibration import load_calibration

    cal = load_calibration().routed
    rows = list(csv.DictReader(io.StringIO(result.latency_matrix_csv())))
    row = next(r for r in rows if {r["a"], r["b"]} == {"baku", "almaty"})
    for v in ("with_line", "without_line_digital_hub"):
        r = float(row[f"routed_rtt_ms_{v}"])
        assert float(row[f"routed_rtt_p10_ms_{v}"]) == pytest.approx(cal.p10 * r, abs=2e-3)
        assert float(row[f"routed_rtt_p90_ms_{v}"]) == pytest.approx(cal.p90 * r, abs=2e-3)
        assert float(row[f"routed_rtt_p10_ms_{v}"]) < r * cal.p50 < float(
            row[f"routed_rtt_p90_ms_{v}"])
