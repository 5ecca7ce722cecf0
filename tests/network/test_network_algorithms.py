"""Hand-computed checks of latency, SRLG-disjoint pairs, cuts and the flow LP."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from network_testlib import build

from transcaspian.errors import NetworkError
from transcaspian.network.config import CutScenario
from transcaspian.network.diversity import shared_srlgs, srlg_disjoint_pair
from transcaspian.network.flows import candidate_paths, solve_flows
from transcaspian.network.latency import k_shortest_paths, shortest_path
from transcaspian.network.resilience import SrlgCutEngine, evaluate_cut, links_cut
from transcaspian.network.topology import one_way_delay_ms, simple_graph

# One-way delay in fibre: n_g / c = 1.468 / 299 792.458 km/s = 4.8967 µs/km
# (network.md sec. 2.1 gives 4.897 µs/km for n_g = 1.4682).
MS_PER_KM = 4.8967e-3
GI = 1.468
NODE_MS = 0.1


def test_delay_per_km_matches_hand_value():
    assert float(one_way_delay_ms(1000.0, GI)) == pytest.approx(1000 * MS_PER_KM, abs=1e-3)


def test_latency_best_and_second_path_by_hand():
    # A-B 1000 km, B-C 500 km (1500 km, 3 nodes) beats A-C direct 1600 km (2 nodes) by
    # 100 km x 4.8967 µs - 0.1 ms = 0.3897 ms one way.
    c = build(
        ["A", "B", "C"],
        [
            ("ab", "A", "B", 1000, 1, ()),
            ("bc", "B", "C", 500, 1, ()),
            ("ac", "A", "C", 1600, 1, ()),
        ],
    )
    paths = k_shortest_paths(c, "A", "C", 3, group_index=GI, node_latency_ms=NODE_MS)
    assert [p.nodes for p in paths] == [("A", "B", "C"), ("A", "C")]
    assert paths[0].one_way_ms == pytest.approx(1500 * MS_PER_KM + 3 * NODE_MS, abs=1e-3)
    assert paths[0].rtt_ms == pytest.approx(2 * (7.3451 + 0.3), abs=2e-3)
    assert paths[1].one_way_ms == pytest.approx(1600 * MS_PER_KM + 2 * NODE_MS, abs=1e-3)


def test_parallel_links_collapse_to_fastest():
    c = build(["A", "B"], [("slow", "A", "B", 900, 1, ()), ("fast", "A", "B", 800, 1, ())])
    p = shortest_path(c, "A", "B", group_index=GI, node_latency_ms=0.0)
    assert p is not None and p.links == ("fast",)


def test_disjoint_pair_avoids_srlg_trap():
    # Shortest path A-X-D (200 km) shares SRLG "duct" with A-Y; the only SRLG-disjoint pair is
    # A-X-D + A-Z-D (200 + 700 km), not the link-disjoint A-X-D + A-Y-D (200 + 300 km).
    c = build(
        ["A", "X", "Y", "Z", "D"],
        [
            ("ax", "A", "X", 100, 1, ("duct",)),
            ("xd", "X", "D", 100, 1, ()),
            ("ay", "A", "Y", 150, 1, ("duct",)),
            ("yd", "Y", "D", 150, 1, ()),
            ("az", "A", "Z", 350, 1, ()),
            ("zd", "Z", "D", 350, 1, ()),
        ],
    )
    pair = srlg_disjoint_pair(c, "A", "D", group_index=GI, node_latency_ms=0.0)
    assert pair is not None
    assert pair.primary.nodes == ("A", "X", "D")
    assert pair.secondary.nodes == ("A", "Z", "D")
    assert pair.primary.length_km + pair.secondary.length_km == pytest.approx(900.0)
    assert not shared_srlgs(c, pair.primary, pair.secondary)


def test_no_disjoint_pair_over_a_bridge():
    c = build(["A", "B", "C"], [("ab", "A", "B", 10, 1, ()), ("bc", "B", "C", 10, 1, ())])
    assert srlg_disjoint_pair(c, "A", "C", group_index=GI, node_latency_ms=0.0) is None


def test_links_cut_semantics():
    c = build(
        ["A", "B", "C"],
        [
            ("s1_ab", "A", "B", 10, 1, ("strait",)),
            ("s2_ab", "A", "B", 10, 1, ("strait",)),
            ("s1_bc", "B", "C", 10, 1, ()),
        ],
    )
    # system + SRLG: only that system's segment in the SRLG
    sc = CutScenario(name="x", systems=("s1_ab", "s1_bc"), srlgs=("strait",))
    assert links_cut(c, sc) == ("s1_ab",)
    assert links_cut(c, CutScenario(name="y", srlgs=("strait",))) == ("s1_ab", "s2_ab")
    assert links_cut(c, CutScenario(name="z", systems=("s1_bc",))) == ("s1_bc",)
    assert links_cut(c, CutScenario(name="w", links=("s2_ab",))) == ("s2_ab",)


def test_flow_lp_against_hand_solution():
    # Two routes A-C: direct (10 Tbit/s, 1000 km) and via B (5 Tbit/s, 2 x 600 km). Demand
    # 12 Tbit/s: 10 on the direct route, 2 via B, nothing unserved. Demand 20: 10 + 5, 5 unserved.
    c = build(
        ["A", "B", "C"],
        [
            ("ac", "A", "C", 1000, 10, ()),
            ("ab", "A", "B", 600, 5, ()),
            ("bc", "B", "C", 600, 5, ()),
        ],
    )
    g = simple_graph(c, group_index=GI, node_latency_ms=NODE_MS)
    caps = {lk.id: lk.capacity_tbps for lk in c.links}
    for k in (1, 2):
        cands = candidate_paths(g, [("A", "C")], k)
        sol = solve_flows(g, [("A", "C")], np.array([12.0]), cands, link_capacity_tbps=caps)
        assert sol.link_flow_tbps["ac"] == pytest.approx(10.0, abs=1e-6)
        assert sol.link_flow_tbps["ab"] == pytest.approx(2.0, abs=1e-6)
        assert sol.unserved_tbps == pytest.approx(0.0, abs=1e-6)
    sol = solve_flows(
        g,
        [("A", "C")],
        np.array([20.0]),
        candidate_paths(g, [("A", "C")], 2),
        link_capacity_tbps=caps,
    )
    assert sol.link_utilisation["ac"] == pytest.approx(1.0)
    assert sol.link_utilisation["bc"] == pytest.approx(1.0)
    assert sol.unserved_tbps == pytest.approx(5.0, abs=1e-6)
    assert sol.transit_tbps("B") == pytest.approx(5.0, abs=1e-6)
    # k = 1 without column generation: only the direct path, 10 unserved
    sol1 = solve_flows(
        g,
        [("A", "C")],
        np.array([20.0]),
        candidate_paths(g, [("A", "C")], 1),
        link_capacity_tbps=caps,
        column_generation=False,
    )
    assert sol1.unserved_tbps == pytest.approx(10.0, abs=1e-6)


def test_parallel_bundle_split_by_capacity():
    c = build(["A", "B"], [("big", "A", "B", 100, 30, ()), ("small", "A", "B", 110, 10, ())])
    g = simple_graph(c, group_index=GI, node_latency_ms=0.0)
    caps = {lk.id: lk.capacity_tbps for lk in c.links}
    sol = solve_flows(g, [("A", "B")], np.array([20.0]), [[("A", "B")]], link_capacity_tbps=caps)
    assert sol.link_flow_tbps["big"] == pytest.approx(15.0)
    assert sol.link_flow_tbps["small"] == pytest.approx(5.0)
    assert sol.link_utilisation["big"] == pytest.approx(0.5)


def test_cut_impact_by_hand():
    # Square A-B-D / A-C-D (100 km each link) plus demand A-D of 3 Tbit/s, links of 2 Tbit/s.
    # Cutting a-b: A-D RTT grows by 2 x (400-200) km x 4.8967 µs = 1.959 ms (A-C-D is 400 km),
    # and 1 Tbit/s is unserved (one 2 Tbit/s route left).
    c = build(
        ["A", "B", "C", "D"],
        [
            ("ab", "A", "B", 100, 2, ()),
            ("bd", "B", "D", 100, 2, ()),
            ("ac", "A", "C", 200, 2, ()),
            ("cd", "C", "D", 200, 2, ()),
        ],
        roles={"B": "landing", "C": "landing"},
    )
    caps = {lk.id: lk.capacity_tbps for lk in c.links}
    pairs = [("A", "D")]

    def solve(graph, _corr):
        return solve_flows(
            graph, pairs, np.array([3.0]), candidate_paths(graph, pairs, 2), link_capacity_tbps=caps
        )

    base = {("A", "D"): 2 * 200 * MS_PER_KM}
    imp = evaluate_cut(
        c,
        ["ab"],
        group_index=GI,
        node_latency_ms=0.0,
        latency_pairs=pairs,
        base_rtt_ms=base,
        solve=solve,
    )
    assert imp.rtt_increase_ms[("A", "D")] == pytest.approx(2 * 200 * MS_PER_KM, abs=1e-3)
    assert imp.unserved_tbps == pytest.approx(1.0, abs=1e-6)
    assert imp.disconnected_pairs == ()
    imp2 = evaluate_cut(
        c,
        ["ab", "cd"],
        group_index=GI,
        node_latency_ms=0.0,
        latency_pairs=pairs,
        base_rtt_ms=base,
        solve=solve,
    )
    assert imp2.disconnected_pairs == (("A", "D"),)
    assert imp2.rtt_increase_ms[("A", "D")] is None
    assert imp2.unserved_tbps == pytest.approx(3.0, abs=1e-6)


def test_engine_matches_networkx_from_scratch():
    rng = np.random.default_rng(7)
    n = 40
    g = nx.connected_watts_strogatz_graph(n, 4, 0.3, seed=3)
    edges = list(g.edges)
    a = np.array([u for u, _ in edges])
    b = np.array([v for _, v in edges])
    w = rng.uniform(1, 10, len(edges))
    srlgs = [[i // 3] for i in range(len(edges))]
    names = [f"g{i}" for i in range(max(s[0] for s in srlgs) + 1)]
    src = rng.integers(0, n, 200)
    dst = (src + rng.integers(1, n, 200)) % n
    eng = SrlgCutEngine(n, a, b, w, np.full(len(edges), 5.0), srlgs, names, src, dst, np.ones(200))
    out = eng.run()
    for gi, name in enumerate(names):
        h = nx.Graph()
        h.add_nodes_from(range(n))
        for i, (u, v) in enumerate(edges):
            if srlgs[i][0] != gi:
                h.add_edge(u, v, weight=w[i])
        base = nx.Graph()
        for i, (u, v) in enumerate(edges):
            base.add_edge(u, v, weight=w[i])
        incs, disc = [], 0
        load = np.zeros(len(edges))
        eid = {frozenset(e): i for i, e in enumerate(edges)}
        for s, t in zip(src, dst, strict=True):
            d0 = nx.dijkstra_path_length(base, int(s), int(t))
            try:
                d1 = nx.dijkstra_path_length(h, int(s), int(t))
                incs.append(d1 - d0)
                path = nx.dijkstra_path(h, int(s), int(t))
                for u, v in itertools.pairwise(path):
                    load[eid[frozenset((u, v))]] += 1.0
            except nx.NetworkXNoPath:
                disc += 1
        # loads re-computed from scratch = the engine's incremental update
        assert out.max_utilisation[gi] == pytest.approx(load.max() / 5.0, abs=1e-9)
        assert out.srlg_names[gi] == name
        assert out.disconnected_demands[gi] == disc
        if any(x > 1e-9 for x in incs):
            assert out.max_delay_increase_ms[gi] == pytest.approx(max(incs), abs=1e-9)


def test_engine_rejects_disconnected_demand():
    with pytest.raises(NetworkError, match="not connected"):
        SrlgCutEngine(
            3,
            np.array([0]),
            np.array([1]),
            np.array([1.0]),
            np.array([1.0]),
            [[0]],
            ["g"],
            np.array([0]),
            np.array([2]),
            np.array([1.0]),
        )


def test_all_pairs_loopless_paths_are_simple():
    c = build(
        ["A", "B", "C", "D"],
        [
            (f"l{i}", u, v, 10 + i, 1, ())
            for i, (u, v) in enumerate(itertools.combinations("ABCD", 2))
        ],
    )
    for p in k_shortest_paths(c, "A", "D", 5, group_index=GI, node_latency_ms=0.0):
        assert len(set(p.nodes)) == len(p.nodes)


def test_single_srlg_scenarios_cover_groups_and_links():
    from transcaspian.network.resilience import single_srlg_scenarios

    c = build(["A", "B", "C"], [("ab", "A", "B", 10, 1, ("g",)), ("bc", "B", "C", 10, 1, ("g",))])
    names = [s.name for s in single_srlg_scenarios(c)]
    assert names == ["srlg_g"]
    names = [s.name for s in single_srlg_scenarios(c, include_links=True)]
    assert names == ["srlg_g", "link_ab", "link_bc"]
    assert links_cut(c, single_srlg_scenarios(c)[0]) == ("ab", "bc")
