"""Property tests: disjoint pairs share no SRLG (and are optimal), cuts never shorten paths,
flows respect capacities."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from network_testlib import build

from transcaspian.network.diversity import pair_in_subgraph, shared_srlgs, srlg_disjoint_pair
from transcaspian.network.flows import candidate_paths, solve_flows
from transcaspian.network.latency import shortest_path
from transcaspian.network.topology import simple_graph

NODES = ["A", "B", "C", "D", "E", "F"]


@st.composite
def graphs(draw, max_links=11):
    pairs = list(itertools.combinations(NODES, 2))
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=3, max_size=max_links))
    links = []
    for i, (a, b) in enumerate(chosen):
        length = draw(st.integers(1, 50))
        cap = draw(st.integers(0, 5))
        srlgs = draw(st.lists(st.sampled_from(["g1", "g2", "g3"]), max_size=2, unique=True))
        links.append((f"l{i}", a, b, float(length), float(cap), tuple(srlgs)))
    return build(NODES, links)


SET = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SET
@given(graphs())
def test_disjoint_pair_shares_no_srlg_and_is_optimal(c):
    pair = srlg_disjoint_pair(c, "A", "F", group_index=1.468, node_latency_ms=0.0)
    # brute force over all pairs of simple paths (the multigraph's link sequences)
    mg = nx.MultiGraph()
    mg.add_nodes_from(NODES)
    for lk in c.links:
        mg.add_edge(lk.a, lk.b, key=lk.id)
    by_id = {lk.id: lk for lk in c.links}
    paths = [tuple(k for _, _, k in p) for p in nx.all_simple_edge_paths(mg, "A", "F")]
    best = None
    for p, q in itertools.combinations(paths, 2):
        gp = {g for lid in p for g in by_id[lid].srlgs}
        gq = {g for lid in q for g in by_id[lid].srlgs}
        if gp & gq:
            continue
        total = sum(by_id[x].length_km for x in p + q)
        best = total if best is None else min(best, total)
    if best is None:
        assert pair is None
    else:
        assert pair is not None
        assert not shared_srlgs(c, pair.primary, pair.secondary)
        assert (
            pair.primary.length_km + pair.secondary.length_km == np.float64(best)
            or abs(pair.primary.length_km + pair.secondary.length_km - best) < 1e-6
        )


@SET
@given(graphs(), st.data())
def test_a_subgraph_pair_that_follows_is_the_subgraph_optimum(c, data):
    """When ``pair_in_subgraph`` answers without a solve, the exact programme on the subgraph
    finds the same total (or no pair either)."""
    cut = data.draw(st.lists(st.sampled_from([lk.id for lk in c.links]), unique=True))
    sub = c.without(cut)
    kw = dict(group_index=1.468, node_latency_ms=0.0)
    follows, answer = pair_in_subgraph(srlg_disjoint_pair(c, "A", "F", **kw), c, sub)
    assert pair_in_subgraph(None, sub, c) == (False, None) or not cut  # not a subgraph
    if not follows:
        return
    direct = srlg_disjoint_pair(sub, "A", "F", **kw)
    assert (answer is None) == (direct is None)
    if answer is not None and direct is not None:
        assert set(answer.primary.links + answer.secondary.links) <= {lk.id for lk in sub.links}
        total = answer.primary.length_km + answer.secondary.length_km
        assert abs(total - direct.primary.length_km - direct.secondary.length_km) < 1e-6


@SET
@given(graphs(), st.data())
def test_removing_a_link_never_lowers_latency(c, data):
    lid = data.draw(st.sampled_from([lk.id for lk in c.links]))
    before = shortest_path(c, "A", "F", group_index=1.468, node_latency_ms=0.05)
    after = shortest_path(c.without([lid]), "A", "F", group_index=1.468, node_latency_ms=0.05)
    if before is None:
        assert after is None
    elif after is not None:
        assert after.one_way_ms >= before.one_way_ms - 1e-12


@SET
@given(graphs(), st.lists(st.floats(0.0, 20.0), min_size=3, max_size=3))
def test_flow_never_exceeds_capacity(c, demands):
    g = simple_graph(c, group_index=1.468, node_latency_ms=0.0)
    pairs = [("A", "F"), ("B", "E"), ("C", "D")]
    caps = {lk.id: lk.capacity_tbps for lk in c.links}
    sol = solve_flows(
        g, pairs, np.array(demands), candidate_paths(g, pairs, 2), link_capacity_tbps=caps
    )
    for lid, flow in sol.link_flow_tbps.items():
        assert flow <= caps[lid] + 1e-6
    assert sol.unserved_tbps <= sum(demands) + 1e-6
    served = sum(f for _, f in sol.path_flows)
    assert (
        served + sol.unserved_tbps == np.float64(sum(demands))
        or abs(served + sol.unserved_tbps - sum(demands)) < 1e-6
    )
