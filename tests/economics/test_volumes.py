"""The line's volumes bounded by the corridor onward of it (network stage -> business case).

Hand cases: a four-node corridor solved by the flow LP, whose onward links cap the line's
traffic at values worked out below by hand; the cap never exceeded, nor the design capacity,
nor the demand; unlimited onward capacity gives the old uncapped growth back; the default
line, the tornado and the report section.
"""

from __future__ import annotations

import math
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kernel import tiny_case

from transcaspian.economics.kernel import evaluate_batch
from transcaspian.network.onward import onward_groups


def _tiny_network() -> Any:
    """Corridor W - A = B - E and W2 - A; the line is A = B.

    Capacities [Tbit/s]: W-A 4, W2-A 8, line 100, B-E 10. Demands: W-E 2, W-A 2, W2-E 2. Every
    pair has one path, so by hand: W-A carries 2 + 2 = 4 (full, u = 1), W2-A 2 (u = 0.25), B-E
    2 + 2 = 4 (u = 0.4), the line 4. The line's paths: W-A-B-E (2 Tbit/s, bottleneck W-A,
    headroom 1) and W2-A-B-E (2 Tbit/s, bottleneck B-E at 0.4 > 0.25, headroom 2.5).
    """
    import networkx as nx

    from transcaspian.network.flows import candidate_paths, solve_flows

    caps = {"wa": 4.0, "w2a": 8.0, "line": 100.0, "be": 10.0}
    ends = {"wa": ("w", "a"), "w2a": ("w2", "a"), "line": ("a", "b"), "be": ("b", "e")}
    g = nx.Graph()
    for lid, (a, b) in ends.items():
        g.add_edge(a, b, weight=1.0, links=(lid,), capacity_tbps=caps[lid])
    pairs = [("w", "e"), ("w", "a"), ("w2", "e")]
    flows = solve_flows(g, pairs, np.array([2.0, 2.0, 2.0]), candidate_paths(g, pairs, 3),
                        link_capacity_tbps=caps)
    links = tuple(SimpleNamespace(id=lid, a=a, b=b) for lid, (a, b) in ends.items())
    return SimpleNamespace(
        corridor=SimpleNamespace(links=links), line_link="line", flows_with=flows,
        hub_node="a", demand=SimpleNamespace(growth_rate=0.5), base_year=2026,
        horizon_year=2100, digital_hub=None,
    )


def test_onward_groups_of_the_tiny_corridor() -> None:
    groups = onward_groups(_tiny_network())
    by = {g.bottleneck: g for g in groups}
    assert set(by) == {"wa", "be"}
    assert by["wa"].line_flow_tbps == pytest.approx(2.0)
    assert by["wa"].share == pytest.approx(0.5)
    assert by["wa"].headroom == pytest.approx(1.0)
    assert by["be"].utilisation == pytest.approx(0.4)
    assert by["be"].headroom == pytest.approx(2.5)


def _tiny_case(network: Any, **kw: Any) -> Any:
    """The kernel's tiny lease case on the tiny corridor's line: base flow 4 Tbit/s, market
    share 1, demand growth 50 %/yr, onward capacity growth 10 %/yr."""
    from transcaspian.economics.config import EconomicsConfig
    from transcaspian.economics.revenue import line_traffic

    t = line_traffic(network, EconomicsConfig())
    share, headroom = t.onward_arrays()
    base: dict[str, Any] = dict(
        transit_tbps=np.array(t.baku_transit_tbps), terminating_tbps=np.array(t.terminating_tbps),
        growth=np.array(0.5), growth_after=np.array(0.5), onward_share=share,
        onward_headroom=headroom, capacity_growth=np.array(0.1),
    )
    base.update(kw)
    return tiny_case(**base)


def test_onward_link_caps_the_line_at_hand_values() -> None:
    """By hand, year t (years since the base year), D = 4 x 1.5^t and the deliverable
    V = 2 min(1.5^t, 1.1^t) + 2 min(1.5^t, 2.5 x 1.1^t):
    t = 1: 2 x 1.1 + 2 x 1.5 = 5.2 (demand 6; W-A full from the first year);
    t = 2: 2 x 1.21 + 2 x 2.25 = 6.92 (demand 9);
    t = 3: 2 x 1.331 + 2 x 3.3275 = 9.317 (demand 13.5; B-E full too: 1.5^3 = 3.375 > 3.3275).
    """
    r = evaluate_batch(_tiny_case(_tiny_network()), detail=True)
    assert r.demand_tbps is not None and r.deliverable_tbps is not None
    assert r.sold_tbps is not None and r.onward_limit_tbps is not None
    np.testing.assert_allclose(r.demand_tbps[0, 1:4], [6.0, 9.0, 13.5])
    np.testing.assert_allclose(r.deliverable_tbps[0, 1:4], [5.2, 6.92, 9.317])
    np.testing.assert_allclose(r.sold_tbps[0, 1:4], [5.2, 6.92, 9.317])  # design 25.6
    # both groups held at their link's capacity from t = 3: limit = 2 x 1.331 + 2 x 3.3275
    assert r.onward_limit_tbps[0, 3] == pytest.approx(9.317)
    assert int(r.onward_capped_year_index[0]) == 1  # type: ignore[index]
    # revenue follows the sold volume: 1 Gbit/s units at 1000/month, no erosion
    assert r.revenue is not None
    assert r.revenue[0, 0, 0, 3] == pytest.approx(9.317 * 1000 * 1000 * 12)


def test_design_capacity_caps_the_deliverable_volume() -> None:
    """One pair of 64 x 100G = 6.4 Tbit/s: sold = min(V, 6.4) = 5.2, 6.4, 6.4 in t = 1..3 and
    the design runs out in t = 2 (V = 6.92 > 6.4)."""
    c = _tiny_case(_tiny_network(), fibre_pairs=np.array(1.0), wavelength_gbps=np.array(100.0))
    r = evaluate_batch(c, detail=True)
    assert r.sold_tbps is not None
    np.testing.assert_allclose(r.sold_tbps[0, 1:4], [5.2, 6.4, 6.4])
    assert int(r.exhausted_year_index[0]) == 2
    assert r.lit_pairs is not None and r.lit_pairs[0, -1] == 1.0


def test_huge_onward_capacity_gives_the_uncapped_growth_back() -> None:
    """Headroom 10^9: V = D = 4 x 1.5^t, as without any onward bound, and the same NPV."""
    net = _tiny_network()
    big = _tiny_case(net, onward_headroom=np.array([1e9, 1e9]))
    free = _tiny_case(net, onward_share=np.ones(1), onward_headroom=np.full(1, np.inf))
    rb, rf = evaluate_batch(big, detail=True), evaluate_batch(free, detail=True)
    assert rb.deliverable_tbps is not None and rf.deliverable_tbps is not None
    np.testing.assert_allclose(rb.deliverable_tbps[0, 1:], 4.0 * 1.5 ** np.arange(1, 6))
    np.testing.assert_allclose(rb.deliverable_tbps, rf.deliverable_tbps)
    assert int(rb.onward_capped_year_index[0]) == -1  # type: ignore[index]
    assert rb.npv[0] == pytest.approx(rf.npv[0])
    # and the fast NPV path agrees with the detailed cash flows under a binding cap
    capped = _tiny_case(net)
    d = evaluate_batch(capped, detail=True)
    assert d.cash_flow is not None
    disc = 1.1 ** -np.arange(6.0)
    assert evaluate_batch(capped).npv[0] == pytest.approx(float(d.cash_flow[0] @ disc))


@settings(max_examples=60, deadline=None)
@given(
    shares=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=4),
    headroom=st.lists(st.floats(1.0, 50.0), min_size=4, max_size=4),
    growth=st.floats(0.0, 1.0), cap_growth=st.floats(-0.3, 1.0),
    pairs=st.floats(0.1, 3.0),
)
def test_volume_never_exceeds_the_cap_the_design_or_the_demand(
    shares: list[float], headroom: list[float], growth: float, cap_growth: float, pairs: float
) -> None:
    s = np.array(shares) / sum(shares)
    h = np.array(headroom[: s.size])
    c = tiny_case(growth=np.array(growth), onward_share=s, onward_headroom=h,
                  capacity_growth=np.array(cap_growth), fibre_pairs=np.array(pairs))
    r = evaluate_batch(c, detail=True)
    assert r.deliverable_tbps is not None and r.sold_tbps is not None
    assert r.demand_tbps is not None and r.onward_limit_tbps is not None
    tol = 1e-9
    assert np.all(r.deliverable_tbps <= r.demand_tbps + tol)
    assert np.all(r.deliverable_tbps <= r.onward_limit_tbps + tol)
    assert np.all(r.sold_tbps <= r.deliverable_tbps + tol)
    assert np.all(r.sold_tbps <= pairs * 64 * 200 / 1000 + tol)
    # each group's bound by hand: V <= sum_q s_q rho_q (1 + k)^t, per year
    t = np.arange(6.0)
    bound = 2.0 * (s[:, None] * h[:, None] * (1 + cap_growth) ** t).sum(axis=0)
    assert np.all(r.deliverable_tbps[0, 1:] <= bound[1:] * (1 + 1e-12))


def test_batch_of_onward_samples_equals_one_at_a_time() -> None:
    net = _tiny_network()
    k = np.array([0.0, 0.1, 0.3, 0.6])
    batch = evaluate_batch(_tiny_case(net, capacity_growth=k)).npv
    one = [evaluate_batch(_tiny_case(net, capacity_growth=np.array(x))).npv[0] for x in k]
    np.testing.assert_allclose(batch, one)
    assert np.all(np.diff(batch) >= 0)  # more onward capacity never sells less


@pytest.fixture(scope="module")
def default_result() -> Any:
    from transcaspian.plan import plan
    from transcaspian.scenario import default_scenario

    return plan(default_scenario(), until="economics").economics


def test_default_line_is_bounded_by_its_onward_bottleneck(default_result: Any) -> None:
    """The default corridor's line traffic all crosses a full link in 2026 (headroom 1), so
    by hand V(t) = market share x base flow x 1.134^t; demand grows 28 %/yr."""
    e = default_result
    t = e.traffic
    assert t.onward and t.onward[0].headroom == pytest.approx(1.0)
    assert sum(g.share for g in t.onward) == pytest.approx(1.0)
    v = e.volumes
    assert v is not None and v.onward_capped_year == 2027
    k = v.onward_capacity_growth_per_year
    assert k == pytest.approx(0.134)
    base = 0.5 * t.total_tbps
    last = v.years[-1]
    assert last.deliverable_tbps == pytest.approx(base * 1.134 ** 25, rel=1e-3)
    assert last.demand_tbps == pytest.approx(base * 1.28 ** 14 * 1.10 ** 11, rel=1e-3)
    for row in v.years:
        assert row.sold_tbps <= row.deliverable_tbps + 1e-4 <= row.demand_tbps + 2e-4
        assert row.sold_tbps <= row.design_capacity_tbps
    pairs = [r.lit_fibre_pairs for r in v.years]
    assert pairs == sorted(pairs)
    d = e.to_dict()
    assert d["volumes"]["years"][-1]["lit_fibre_pairs"] == last.lit_fibre_pairs
    assert "deliverable_tbps" in d["cash_flows"][1]
    assert d["traffic"]["onward_groups"][0]["bottleneck"] == t.onward[0].bottleneck


def test_demand_growth_acts_through_the_cap(default_result: Any) -> None:
    """Bound by a full link, more demand growth sells nothing more (0.8 x 28 % = 22.4 % still
    outgrows 13.4 %); the onward capacity growth is what moves the NPV."""
    bars = {b.driver: b for b in default_result.tornado}
    assert bars["demand_growth"].swing == pytest.approx(0.0, abs=1.0)
    assert bars["onward_capacity_growth"].npv_high > bars["onward_capacity_growth"].npv_low
    mc = default_result.monte_carlo
    assert mc.p10 <= mc.p50 <= mc.p90


def test_report_shows_the_volumes(default_result: Any) -> None:
    from transcaspian.report.sections.economics import section_html

    static = section_html(default_result)
    assert 'id="economics-volumes"' in static and "<script" not in static
    assert "The line&#x27;s volumes per year" in static or "volumes per year" in static
    assert "tbilisi_baku" in static and "deliverable" in static
    live = section_html(default_result, interactive=True)
    assert 'id="economics-volumes-static"' in live and "<noscript>" in live
    assert math.isfinite(default_result.measures.npv)
    rows = default_result.volumes.csv().splitlines()
    assert len(rows) == 1 + len(default_result.years)
    assert rows[0].startswith("year,demand_tbps [Tbit/s]")


def test_without_network_nothing_bounds_the_volume(default_result: Any) -> None:
    from transcaspian.economics.config import EconomicsConfig
    from transcaspian.economics.revenue import line_traffic

    t = line_traffic(None, EconomicsConfig())
    assert t.onward == ()
    share, head = t.onward_arrays()
    c = replace(tiny_case(growth=np.array(0.3)), onward_share=share, onward_headroom=head,
                capacity_growth=np.array(0.0))
    r = evaluate_batch(c, detail=True)
    assert r.deliverable_tbps is not None and r.demand_tbps is not None
    np.testing.assert_allclose(r.deliverable_tbps, r.demand_tbps)
