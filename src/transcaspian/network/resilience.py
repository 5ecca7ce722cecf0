"""Failures: which links a cut removes, and what it does (connectivity, latency, unserved demand).

Two engines:

* :func:`evaluate_cut` — one cut on the corridor graph: lost connectivity, latency increase of the
  table's city pairs and unserved demand from the flow LP (candidate paths that survive are
  re-used; only pairs that lost all of theirs are re-routed from scratch).
* :class:`SrlgCutEngine` — every single-SRLG failure of a large graph with shortest-path
  re-routing, vectorised on arrays (``scipy.sparse.csgraph``): only demands whose path crosses
  the cut are re-routed, and only from their own sources — the shortest-path trees of every other
  source are unaffected by removing links they do not use, so they are re-used as they are.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import NetworkError
from .config import CutScenario
from .topology import Corridor, simple_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx


def links_cut(corridor: Corridor, scenario: CutScenario) -> tuple[str, ...]:
    """Ids of the links a named scenario removes (see :class:`CutScenario`)."""
    out = []
    srlgs, systems, ids = set(scenario.srlgs), set(scenario.systems), set(scenario.links)
    for lk in corridor.links:
        hit_srlg = bool(srlgs & set(lk.srlgs))
        hit_system = lk.system in systems
        if (
            lk.id in ids
            or (srlgs and hit_srlg and (not systems or hit_system))
            or (not srlgs and hit_system)
        ):
            out.append(lk.id)
    return tuple(out)


def single_srlg_scenarios(
    corridor: Corridor, *, include_links: bool = False
) -> tuple[CutScenario, ...]:
    """One scenario per named shared-risk group (``srlg_<name>``); with ``include_links``
    also one per link (``link_<id>``, the link's own group)."""
    out = [
        CutScenario(name=f"srlg_{g}", description=f"SRLG {g} fails", srlgs=(g,))
        for g in corridor.srlgs
    ]
    if include_links:
        out += [
            CutScenario(
                name="link_" + "".join(ch if ch.isalnum() or ch in "_.-" else "_" for ch in lk.id),
                description=f"link {lk.id} fails",
                links=(lk.id,),
            )
            for lk in corridor.links
        ]
    return tuple(out)


@dataclass(frozen=True)
class CutImpact:
    """Impact of one cut on one corridor (with or without the Trans-Caspian line)."""

    links_cut: tuple[str, ...]
    disconnected_pairs: tuple[tuple[str, str], ...]
    unserved_tbps: float
    demand_tbps: float
    rtt_increase_ms: dict[tuple[str, str], float | None] = field(repr=False)

    @property
    def max_rtt_increase_ms(self) -> float | None:
        vals = [v for v in self.rtt_increase_ms.values() if v is not None]
        return max(vals) if vals else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "links_cut": list(self.links_cut),
            "disconnected_pairs": [list(p) for p in self.disconnected_pairs],
            "unserved_tbps": self.unserved_tbps,
            "unserved_fraction": self.unserved_tbps / self.demand_tbps if self.demand_tbps else 0.0,
            "max_rtt_increase_ms": self.max_rtt_increase_ms,
            "rtt_increase_ms": [
                {"a": a, "b": b, "ms": v} for (a, b), v in self.rtt_increase_ms.items()
            ],
        }


def rtt_between(
    graph: nx.Graph, pairs: Sequence[tuple[str, str]], node_latency_ms: float
) -> dict[tuple[str, str], float | None]:
    """Best RTT [ms] per pair on a simple graph (``None`` if disconnected)."""
    import networkx as nx

    out: dict[tuple[str, str], float | None] = {}
    for a, group in itertools.groupby(sorted(pairs), key=lambda p: p[0]):
        dist = nx.single_source_dijkstra_path_length(graph, a, weight="weight")
        for _, b in group:
            out[(a, b)] = 2.0 * (dist[b] + node_latency_ms) if b in dist else None
    return {p: out[p] for p in pairs}


def evaluate_cut(
    corridor: Corridor,
    cut: Sequence[str],
    *,
    group_index: float,
    node_latency_ms: float,
    latency_pairs: Sequence[tuple[str, str]],
    base_rtt_ms: dict[tuple[str, str], float | None],
    solve: Any,
) -> CutImpact:
    """Impact of removing ``cut`` from ``corridor``.

    ``solve(graph, corridor) -> FlowSolution`` runs the flow LP on the reduced graph (the caller
    binds demands and candidate paths).
    """
    import networkx as nx

    reduced = corridor.without(cut)
    g = simple_graph(reduced, group_index=group_index, node_latency_ms=node_latency_ms)
    comp = {n: i for i, c in enumerate(nx.connected_components(g)) for n in c}
    after = rtt_between(g, latency_pairs, node_latency_ms)
    inc: dict[tuple[str, str], float | None] = {}
    for p in latency_pairs:
        before, now = base_rtt_ms.get(p), after[p]
        inc[p] = None if before is None or now is None else now - before
    sol = solve(g, reduced)
    pops = [n.id for n in corridor.nodes if n.role == "pop"]
    disconnected = tuple(
        (a, b) for a, b in itertools.combinations(pops, 2) if comp.get(a) != comp.get(b)
    )
    return CutImpact(
        links_cut=tuple(cut),
        disconnected_pairs=disconnected,
        unserved_tbps=sol.unserved_tbps,
        demand_tbps=sol.demand_tbps,
        rtt_increase_ms=inc,
    )


# --------------------------------------------------------------------------------------------
# Scalable engine: every single-SRLG cut with incremental shortest-path re-routing


@dataclass(frozen=True)
class SrlgCutSummary:
    """Per-SRLG outcome of :meth:`SrlgCutEngine.run` (arrays indexed by SRLG)."""

    srlg_names: tuple[str, ...]
    affected_demands: np.ndarray
    disconnected_demands: np.ndarray
    disconnected_tbps: np.ndarray
    mean_delay_increase_ms: np.ndarray
    max_delay_increase_ms: np.ndarray
    max_utilisation: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        return {
            "srlg": list(self.srlg_names),
            "affected_demands": self.affected_demands.tolist(),
            "disconnected_demands": self.disconnected_demands.tolist(),
            "disconnected_tbps": self.disconnected_tbps.tolist(),
            "mean_delay_increase_ms": self.mean_delay_increase_ms.tolist(),
            "max_delay_increase_ms": self.max_delay_increase_ms.tolist(),
            "max_utilisation": self.max_utilisation.tolist(),
        }


class SrlgCutEngine:
    """Shortest-path routing of many demands and re-routing under every single-SRLG cut.

    Parameters
    ----------
    n_nodes : int
    link_a, link_b : array of int
        End node indices of each (undirected) link.
    link_weight : array of float
        Link weight (one-way latency [ms]), positive.
    link_capacity : array of float
        Link capacity [Tbit/s] (for utilisation after re-routing).
    link_srlgs : sequence of sequence of int
        SRLG indices of each link.
    srlg_names : sequence of str
    demand_src, demand_dst : array of int
    demand_tbps : array of float
    """

    def __init__(
        self,
        n_nodes: int,
        link_a: np.ndarray,
        link_b: np.ndarray,
        link_weight: np.ndarray,
        link_capacity: np.ndarray,
        link_srlgs: Sequence[Sequence[int]],
        srlg_names: Sequence[str],
        demand_src: np.ndarray,
        demand_dst: np.ndarray,
        demand_tbps: np.ndarray,
    ) -> None:
        from scipy.sparse import csr_matrix

        self.n = int(n_nodes)
        self.a = np.asarray(link_a, dtype=np.int64)
        self.b = np.asarray(link_b, dtype=np.int64)
        self.w = np.asarray(link_weight, dtype=float)
        self.cap = np.asarray(link_capacity, dtype=float)
        if np.any(self.w <= 0) or np.any(self.cap < 0):
            raise NetworkError("SrlgCutEngine: link weights must be > 0 and capacities >= 0")
        if self.a.size and (
            max(self.a.max(), self.b.max()) >= self.n or min(self.a.min(), self.b.min()) < 0
        ):
            raise NetworkError("SrlgCutEngine: a link refers to an unknown node index")
        self.n_links = self.a.size
        self.srlg_names = tuple(srlg_names)
        rows = [g for gs in link_srlgs for g in gs]
        cols = [i for i, gs in enumerate(link_srlgs) for _ in gs]
        self.srlg_links = csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(self.srlg_names), self.n_links)
        )
        self.src = np.asarray(demand_src, dtype=np.int64)
        self.dst = np.asarray(demand_dst, dtype=np.int64)
        self.dem = np.asarray(demand_tbps, dtype=float)
        # base routing
        self.base_dist, self.base_links = self._route(
            np.ones(self.n_links, bool), np.arange(self.src.size)
        )
        if np.any(~np.isfinite(self.base_dist)):
            i = int(np.flatnonzero(~np.isfinite(self.base_dist))[0])
            raise NetworkError(
                f"demand {i}: nodes {self.src[i]} and {self.dst[i]} are not connected"
            )
        lens = np.array([len(p) for p in self.base_links])
        flat = np.concatenate(self.base_links) if lens.sum() else np.zeros(0, np.int64)
        rows_d = np.repeat(np.arange(self.src.size), lens)
        # link x demand incidence of the base routing
        self.link_demand = csr_matrix(
            (np.ones(flat.size), (flat, rows_d)), shape=(self.n_links, self.src.size)
        )
        self.base_load = np.bincount(flat, weights=self.dem[rows_d], minlength=self.n_links)

    def _graph(self, alive: np.ndarray) -> Any:
        """CSR adjacency of the surviving links; parallel links collapse to the lightest."""
        from scipy.sparse import csr_matrix

        a = np.concatenate([self.a[alive], self.b[alive]])
        b = np.concatenate([self.b[alive], self.a[alive]])
        w = np.concatenate([self.w[alive], self.w[alive]])
        lid = np.concatenate([np.flatnonzero(alive)] * 2)
        order = np.lexsort((w, b, a))
        a, b, w, lid = a[order], b[order], w[order], lid[order]
        first = np.ones(a.size, bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        a, b, w, lid = a[first], b[first], w[first], lid[first]
        g = csr_matrix((w, (a, b)), shape=(self.n, self.n))
        arc_link = dict(zip(zip(a.tolist(), b.tolist(), strict=True), lid.tolist(), strict=True))
        return g, arc_link

    def _route(self, alive: np.ndarray, demands: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Shortest paths of ``demands`` on the surviving links: distance and link lists."""
        from scipy.sparse.csgraph import dijkstra

        g, arc_link = self._graph(alive)
        dist = np.full(demands.size, np.inf)
        paths: list[np.ndarray] = [np.zeros(0, np.int64)] * demands.size
        if demands.size == 0:
            return dist, paths
        sources, inverse = np.unique(self.src[demands], return_inverse=True)
        D, P = dijkstra(g, directed=True, indices=sources, return_predecessors=True)
        for k, d in enumerate(demands):
            row = inverse[k]
            t = self.dst[d]
            dist[k] = D[row, t]
            if not np.isfinite(dist[k]):
                continue
            seq = []
            v = t
            pred = P[row]
            while v != sources[row]:
                u = pred[v]
                seq.append(arc_link[(int(u), int(v))])
                v = u
            paths[k] = np.asarray(seq[::-1], dtype=np.int64)
        return dist, paths

    def run(self, srlgs: Sequence[int] | None = None) -> SrlgCutSummary:
        """Fail each SRLG alone; re-route only the demands whose path it cuts."""
        idx = np.arange(len(self.srlg_names)) if srlgs is None else np.asarray(srlgs)
        m = idx.size
        affected = np.zeros(m, np.int64)
        disc = np.zeros(m, np.int64)
        disc_tbps = np.zeros(m)
        mean_inc = np.zeros(m)
        max_inc = np.zeros(m)
        max_util = np.zeros(m)
        with np.errstate(divide="ignore", invalid="ignore"):
            for k, g in enumerate(idx):
                cut = self.srlg_links.indices[
                    self.srlg_links.indptr[g] : self.srlg_links.indptr[g + 1]
                ]
                alive = np.ones(self.n_links, bool)
                alive[cut] = False
                sub = self.link_demand[cut]
                hit = np.unique(sub.indices)
                affected[k] = hit.size
                load = self.base_load.copy()
                if hit.size:
                    old = np.concatenate([self.base_links[d] for d in hit])
                    old_w = np.repeat(self.dem[hit], [len(self.base_links[d]) for d in hit])
                    load -= np.bincount(old, weights=old_w, minlength=self.n_links)
                    dist, paths = self._route(alive, hit)
                    ok = np.isfinite(dist)
                    disc[k] = int((~ok).sum())
                    disc_tbps[k] = float(self.dem[hit][~ok].sum())
                    if ok.any():
                        inc = dist[ok] - self.base_dist[hit][ok]
                        mean_inc[k] = float(inc.mean())
                        max_inc[k] = float(inc.max())
                        new = np.concatenate([paths[i] for i in np.flatnonzero(ok)])
                        new_w = np.repeat(
                            self.dem[hit][ok], [len(paths[i]) for i in np.flatnonzero(ok)]
                        )
                        load += np.bincount(new, weights=new_w, minlength=self.n_links)
                util = np.where(self.cap > 0, load / self.cap, 0.0)
                util[cut] = 0.0
                max_util[k] = float(np.max(util)) if util.size else 0.0
        return SrlgCutSummary(
            srlg_names=tuple(self.srlg_names[i] for i in idx),
            affected_demands=affected,
            disconnected_demands=disc,
            disconnected_tbps=disc_tbps,
            mean_delay_increase_ms=mean_inc,
            max_delay_increase_ms=max_inc,
            max_utilisation=max_util,
        )
