"""The default study end to end: what the Trans-Caspian line changes."""

from __future__ import annotations

import json

import pytest

from transcaspian.network import NetworkConfig, analyse_corridor


@pytest.fixture(scope="module")
def result():
    return analyse_corridor(NetworkConfig(), trans_caspian_length_km=380.0)


def test_json_contract(result):
    d = json.loads(json.dumps(result.to_dict()))
    for key in (
        "latency",
        "diversity",
        "cuts",
        "flows",
        "transit_through_baku_tbps",
        "saturation_years",
    ):
        assert key in d
    row = d["latency"][0]
    assert {"a", "b", "rtt_ms", "rtt_ms_without_trans_caspian", "path"} <= set(row)
    assert {"link", "utilisation"} <= set(d["flows"][0])
    names = {c["name"] for c in d["cuts"]}
    assert {"red_sea_2024", "trans_caspian_cut", "caucasus_land_cut"} <= names


def test_line_never_worsens_latency_and_helps_baku_almaty(result):
    for row in result.latency:
        assert row["rtt_ms"] <= row["rtt_ms_without_trans_caspian"] + 1e-9
    ba = next(r for r in result.latency if (r["a"], r["b"]) == ("baku", "almaty"))
    assert "aktau" in ba["path"] and ba["gain_ms"] > 0
    # Lower bound: Baku-Almaty WGS84 great circle 2,257 km -> RTT >= 2 x 2,257 x 4.8967 us
    # = 22.1 ms; the route via Aktau is longer still.
    assert ba["rtt_ms"] > 22.1


def test_red_sea_cut_removes_three_systems(result):
    cut = next(c for c in result.cuts if c["name"] == "red_sea_2024")
    systems = {lid.split("_")[0] for lid in cut["with_trans_caspian"]["links_cut"]}
    assert systems == {"aae1", "eig", "seacom"}


def test_trans_caspian_length_from_caller(result):
    assert result.trans_caspian_length_km == 380.0
    assert result.to_dict()["trans_caspian"]["length_km"] == 380.0


def test_summary_consistent_with_tables(result):
    sm = result.to_dict()["summary"]
    assert sm["pairs"] == len(result.latency)
    assert sm["pairs_faster"] == sum((r["gain_ms"] or 0) > 0.05 for r in result.latency)
    assert sm["transit_through_baku_tbps"] == result.transit_through_baku_tbps
    assert sm["red_sea_2024_extra_unserved_tbps"] >= 0


def test_pop_reachable_only_through_the_line_is_a_result_not_an_error():
    from transcaspian.network import LinkSpec, NodeSpec

    cfg = NetworkConfig(
        extra_sources={"t": "test"},
        extra_nodes=(
            NodeSpec(
                id="kuryk",
                name="Kuryk",
                country="KAZ",
                lat_deg=43.19,
                lon_deg=51.68,
                user_share=0.0,
                countries={"JOR": 1.0},  # a country no other PoP serves (test only)
                source="t",
            ),
        ),
        extra_links=(
            LinkSpec(
                id="aktau_kuryk",
                system="t",
                a="aktau",
                b="kuryk",
                kind="terrestrial",
                capacity_tbps=1.0,
                source="t",
            ),
        ),
        remove_links=("aktau_atyrau", "aktau_almaty"),
        all_single_srlg_cuts=False,
        latency_pairs=(("baku", "kuryk"),),
    )
    res = analyse_corridor(cfg, trans_caspian_length_km=380.0)
    d = res.to_dict()
    assert d["latency"][0]["rtt_ms_without_trans_caspian"] is None
    # Europe - Asia demand of the new PoP (scope europe_asia) needs the line
    assert ["london", "kuryk"] in d["summary"]["demand_pairs_connected_only_by_the_line"]
    assert d["unserved_tbps_without_trans_caspian"] > d["unserved_tbps"] - 1e-9


def test_base_year_egypt_crossing_load_is_plausible(result):
    # TRAI (end-2022): India's 17 international cables had 111.1 of 138.6 Tbit/s lit capacity
    # activated, i.e. 80 %. The Red Sea / Egypt systems that carry India's Europe-bound traffic
    # should be loaded in that range in the base year - busy, not an impossible > 100 % demand.
    u = result.flows_with.link_utilisation["smw6_mrs_alx"]
    assert 0.6 <= u < 1.0
    assert result.flows_with.unserved_tbps < 0.05 * result.demand.total_tbps


def test_saturation_timeline_extends_beyond_the_base_year(result):
    # Upper bound by hand: with fixed routes a link at utilisation u0 fills after
    # ceil(ln(1/u0) / ln(1 + g)) years; re-routing around fuller links can only bring it forward.
    import math

    base = result.base_year
    u0 = result.flows_with.link_utilisation["smw6_mrs_alx"]
    bound = base + math.ceil(math.log(1.0 / u0) / math.log(1.28))
    year = result.saturation_year["smw6_mrs_alx"]
    assert year is not None and base < year <= bound
    later = {y for y in result.saturation_year.values() if y is not None and y > base}
    assert len(later) >= 3  # a timeline, not only the base year


def test_no_russia_china_demand(result):
    assert all({"moscow", "beijing"} != set(p) for p in result.demand.pairs)
