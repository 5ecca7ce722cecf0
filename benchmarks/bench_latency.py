"""All-pairs latency benchmark: fibre bound and as-routed RTT for a 500-node graph.

The synthetic graph of :mod:`benchmarks.bench_network` (500 nodes over Eurasia, 2,000 links);
12 of its nodes are interconnection hubs (0.5-2 ms allowance) and every node's networks are
present at 1-3 of them (seeded). Ours: one scipy Dijkstra from every node, then the hub
minimisation on N x N arrays (:mod:`transcaspian.network.routed_latency`). Reference: the
per-pair loop a script would write with networkx - ``nx.shortest_path_length`` for the fibre
bound and for each leg source -> hub -> destination - run in the same process on a sample of
pairs and extrapolated to all 124,750 pairs. Both must agree on the sample.

Target (issue 11): the all-pairs matrix, both models, in <= 5 s.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.bench_network import N_NODES, SEED, synthetic_graph

N_HUBS = 12
N_SAMPLE = 300


def _case() -> tuple[object, tuple[str, ...], object]:
    import networkx as nx

    from transcaspian.network.interconnect import Interconnection

    case = synthetic_graph()
    g = nx.Graph()
    ids = tuple(str(i) for i in range(N_NODES))
    g.add_nodes_from(ids)
    for u, v, w in zip(case["a"], case["b"], case["w"], strict=True):
        g.add_edge(str(u), str(v), weight=float(w))
    rng = np.random.default_rng(SEED)
    hubs = [str(h) for h in rng.choice(N_NODES, N_HUBS, replace=False)]
    allow = {h: float(a) for h, a in zip(hubs, rng.uniform(0.5, 2.0, N_HUBS), strict=True)}
    presence = {}
    for n in ids:
        k = int(rng.integers(1, 4))
        listed = [hubs[int(j)] for j in rng.choice(N_HUBS, k, replace=False)]
        presence[n] = tuple(dict.fromkeys(([n] if n in allow else []) + listed))
    inter = Interconnection(
        hubs=allow,
        hub_names={h: h for h in hubs},
        presence=presence,
        sources={},
        domestic_on_net=False,
    )
    return g, ids, inter


def _reference(g: object, inter: object, pairs: list[tuple[str, str]], nl: float) -> np.ndarray:
    """Per-pair networkx loop: fibre bound and as-routed RTT of each pair [ms]."""
    import networkx as nx

    out = np.empty((len(pairs), 2))
    for k, (a, b) in enumerate(pairs):

        def rtt(u: str, v: str) -> float:
            if u == v:
                return 0.0
            return 2.0 * (nx.shortest_path_length(g, u, v, weight="weight") + nl)

        common = [h for h in inter.presence[a] if h in inter.presence[b]]
        if common:
            routed = min(rtt(a, h) + rtt(h, b) + inter.hubs[h] for h in common)
        else:
            routed = min(
                rtt(a, h) + rtt(h, j) + rtt(j, b) + inter.hubs[h] + inter.hubs[j]
                for h in inter.presence[a]
                for j in inter.presence[b]
            )
        out[k] = rtt(a, b), routed
    return out


def main() -> None:
    from transcaspian.network.routed_latency import fibre_rtt_matrix, routed_rtt_matrix

    nl = 0.1
    g, ids, inter = _case()
    t0 = time.perf_counter()
    fibre = fibre_rtt_matrix(g, ids, nl)
    routed = routed_rtt_matrix(fibre, ids, inter)
    ours_s = time.perf_counter() - t0
    n_pairs = N_NODES * (N_NODES - 1) // 2
    rng = np.random.default_rng(SEED + 1)
    idx = [tuple(rng.choice(N_NODES, 2, replace=False)) for _ in range(N_SAMPLE)]
    pairs = [(ids[i], ids[j]) for i, j in idx]
    t0 = time.perf_counter()
    ref = _reference(g, inter, pairs, nl)
    ref_s = (time.perf_counter() - t0) * n_pairs / N_SAMPLE
    mine = np.array([[fibre[i, j], routed.rtt_ms[i, j]] for i, j in idx])
    err = float(np.max(np.abs(mine - ref)))
    print(
        f"all-pairs RTT, {N_NODES} nodes / {g.number_of_edges()} links / {N_HUBS} hubs, "
        f"fibre bound + as-routed ({n_pairs:,} pairs): {ours_s:.2f} s "
        f"({'meets' if ours_s <= 5.0 else 'MISSES'} the 5 s target)"
    )
    print(
        f"  networkx per-pair loop, {N_SAMPLE} pairs extrapolated to all: {ref_s:.0f} s; "
        f"ratio {ref_s / ours_s:.0f}x; max |difference| on the sample {err:.2e} ms"
    )
    if err > 1e-6:
        raise SystemExit("bench_latency: the matrix disagrees with the networkx reference")
    from dataclasses import replace

    pref = replace(inter, routing="preferred_upstream")
    t0 = time.perf_counter()
    p = routed_rtt_matrix(fibre, ids, pref)
    pref_s = time.perf_counter() - t0
    bound = bool(np.all(p.rtt_ms >= routed.rtt_ms - 1e-9))
    print(
        f"  routing preferred_upstream on the same graph: {pref_s:.2f} s more "
        f"(lowest-latency meeting is a bound of it on every pair: {bound})"
    )
    if not bound:
        raise SystemExit("bench_latency: preferred_upstream below the lowest-latency bound")


if __name__ == "__main__":
    main()
