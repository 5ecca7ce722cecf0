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

    def safe(text: str) -> str:
        return "".join(ch if ch.isalnum() or ch in "_.-" else "_" for ch in text)

    out = [
        CutScenario(name=f"srlg_{safe(g)}", description=f"SRLG {g} fails", srlgs=(g,))
        for g in corridor.srlgs
    ]
    if include_links:
        out += [
            CutScenario(
                name=f"link_{safe(lk.id)}",
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
        self._build_base_graph()
        # base routing of every demand
        all_d = np.arange(self.src.size)
        self.base_dist, d_idx, l_idx = self._route(self._base_csr, self._best, all_d)
        if np.any(~np.isfinite(self.base_dist)):
            i = int(np.flatnonzero(~np.isfinite(self.base_dist))[0])
            raise NetworkError(
                f"demand {i}: nodes {self.src[i]} and {self.dst[i]} are not connected"
            )
        # demand x link incidence of the base routing (row d: the links of d's path)
        self.demand_link = csr_matrix(
            (np.ones(d_idx.size), (d_idx, l_idx)), shape=(self.src.size, self.n_links)
        )
        self.link_demand = self.demand_link.T.tocsr()
        self.base_load = np.bincount(l_idx, weights=self.dem[d_idx], minlength=self.n_links)

    def _build_base_graph(self) -> None:
        """CSR of all links (parallel links collapse to the lightest), arc positions, the link
        carrying each arc, and the parallel members of every node pair."""
        from scipy.sparse import csr_matrix

        a = np.concatenate([self.a, self.b])
        b = np.concatenate([self.b, self.a])
        w = np.concatenate([self.w, self.w])
        lid = np.concatenate([np.arange(self.n_links)] * 2)
        order = np.lexsort((w, b, a))
        a, b, w, lid = a[order], b[order], w[order], lid[order]
        first = np.ones(a.size, bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        g = csr_matrix((w[first], (a[first], b[first])), shape=(self.n, self.n))
        g.sort_indices()
        self._base_csr = g
        self._best = np.full((self.n, self.n), -1, dtype=np.int64)
        self._best[a[first], b[first]] = lid[first]

        def pos(u: np.ndarray, v: np.ndarray) -> np.ndarray:
            out = np.empty(u.size, dtype=np.int64)
            for k, (x, y) in enumerate(zip(u.tolist(), v.tolist(), strict=True)):
                lo, hi = g.indptr[x], g.indptr[x + 1]
                out[k] = lo + int(np.searchsorted(g.indices[lo:hi], y))
            return out

        self._pos_ab = pos(self.a, self.b)
        self._pos_ba = pos(self.b, self.a)
        members: dict[tuple[int, int], list[int]] = {}
        for k in np.argsort(self.w, kind="stable").tolist():
            key = (int(min(self.a[k], self.b[k])), int(max(self.a[k], self.b[k])))
            members.setdefault(key, []).append(k)
        self._members = members

    def _cut_graph(self, cut: np.ndarray, alive: np.ndarray) -> tuple[Any, list[tuple]]:
        """The base CSR with the cut links' arcs re-weighted (next parallel link, or inf);
        updates ``self._best`` in place and returns the entries to restore."""
        from scipy.sparse import csr_matrix

        data = self._base_csr.data.copy()
        restore = []
        for lk in cut.tolist():
            u, v = int(self.a[lk]), int(self.b[lk])
            key = (min(u, v), max(u, v))
            alive_m = [m for m in self._members[key] if alive[m]]
            w, best = (self.w[alive_m[0]], alive_m[0]) if alive_m else (np.inf, -1)
            data[self._pos_ab[lk]] = w
            data[self._pos_ba[lk]] = w
            restore.append((u, v, self._best[u, v], self._best[v, u]))
            self._best[u, v] = best
            self._best[v, u] = best
        g = csr_matrix(
            (data, self._base_csr.indices, self._base_csr.indptr), shape=(self.n, self.n)
        )
        return g, restore

    def _route(
        self, g: Any, best: np.ndarray, demands: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Shortest paths of ``demands`` on ``g``: distance per demand and the (demand, link)
        pairs of the paths found. The walk back along the predecessor trees is vectorised over
        all demands, one hop per step."""
        from scipy.sparse.csgraph import dijkstra

        if demands.size == 0:
            return np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64)
        sources, row = np.unique(self.src[demands], return_inverse=True)
        D, P = dijkstra(g, directed=True, indices=sources, return_predecessors=True)
        tgt = self.dst[demands]
        dist = D[row, tgt]
        ok = np.isfinite(dist)
        k = np.flatnonzero(ok)
        cur = tgt[k]
        r = row[k]
        d_parts, l_parts = [], []
        while k.size:
            prev = P[r, cur]
            d_parts.append(demands[k])
            l_parts.append(best[prev, cur])
            more = prev != sources[r]
            k, cur, r = k[more], prev[more], r[more]
        d_idx = np.concatenate(d_parts) if d_parts else np.zeros(0, np.int64)
        l_idx = np.concatenate(l_parts) if l_parts else np.zeros(0, np.int64)
        return dist, d_idx, l_idx

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
        dl = self.demand_link
        with np.errstate(divide="ignore", invalid="ignore"):
            for k, g in enumerate(idx):
                cut = self.srlg_links.indices[
                    self.srlg_links.indptr[g] : self.srlg_links.indptr[g + 1]
                ]
                alive = np.ones(self.n_links, bool)
                alive[cut] = False
                hit = np.unique(self.link_demand[cut].indices)
                affected[k] = hit.size
                load = self.base_load.copy()
                if hit.size:
                    old = dl[hit]
                    load -= np.bincount(
                        old.indices,
                        weights=np.repeat(self.dem[hit], np.diff(old.indptr)),
                        minlength=self.n_links,
                    )
                    graph, restore = self._cut_graph(cut, alive)
                    try:
                        dist, d_idx, l_idx = self._route(graph, self._best, hit)
                    finally:
                        for u, v, buv, bvu in restore[::-1]:
                            self._best[u, v] = buv
                            self._best[v, u] = bvu
                    ok = np.isfinite(dist)
                    disc[k] = int((~ok).sum())
                    disc_tbps[k] = float(self.dem[hit][~ok].sum())
                    if ok.any():
                        inc = dist[ok] - self.base_dist[hit][ok]
                        mean_inc[k] = float(inc.mean())
                        max_inc[k] = float(inc.max())
                        load += np.bincount(l_idx, weights=self.dem[d_idx], minlength=self.n_links)
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
