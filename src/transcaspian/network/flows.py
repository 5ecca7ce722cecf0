"""Min-cost multicommodity flow over k candidate paths per pair (linear programme, HiGHS).

Path formulation [1]: for demand :math:`d` with candidate paths :math:`P_d` (Yen's k shortest),
flows :math:`f_{dp} \\ge 0` and unserved :math:`u_d \\ge 0`,

.. math::

   \\min \\sum_{d,p} t_p f_{dp} + M \\sum_d u_d \\quad\\text{s.t.}\\quad
   \\sum_p f_{dp} + u_d = D_d, \\qquad \\sum_{(d,p) \\ni e} f_{dp} \\le C_e

with :math:`t_p` the path's one-way latency [ms], :math:`M` a penalty per unserved Tbit/s and
:math:`C_e` the capacity of bundle :math:`e` (the parallel systems between two nodes; the
bundle's flow is split among its links in proportion to their capacities). Solved with
``scipy.optimize.linprog(method="highs")``.

References
----------
.. [1] M. Pióro and D. Medhi, *Routing, Flow, and Capacity Design in Communication and Computer
   Networks*, Morgan Kaufmann, 2004, sec. 4.2 (link-path formulation), ISBN 978-0-12-557189-0.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import NetworkError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

NodePath = tuple[str, ...]


def candidate_paths(
    graph: nx.Graph, pairs: Sequence[tuple[str, str]], k: int
) -> list[list[NodePath]]:
    """Yen's ``k`` lowest-latency node paths per pair on a simple graph (may be fewer/none)."""
    import networkx as nx

    out: list[list[NodePath]] = []
    for a, b in pairs:
        try:
            gen = nx.shortest_simple_paths(graph, a, b, weight="weight")
            out.append([tuple(p) for p in itertools.islice(gen, k)])
        except nx.NetworkXNoPath:
            out.append([])
        except nx.NodeNotFound as exc:
            raise NetworkError(f"demand pair ({a}, {b}): {exc}") from None
    return out


def surviving_candidates(
    graph: nx.Graph, pairs: Sequence[tuple[str, str]], base: list[list[NodePath]], k: int
) -> list[list[NodePath]]:
    """Candidates still usable in ``graph`` (after a cut); pairs left with none get new paths.

    Re-uses the intact paths (incremental update) and only re-runs Yen for pairs whose every
    candidate was hit.
    """
    out: list[list[NodePath]] = []
    redo: list[int] = []
    for i, paths in enumerate(base):
        alive = [p for p in paths if all(graph.has_edge(u, v) for u, v in itertools.pairwise(p))]
        out.append(alive)
        if not alive:
            redo.append(i)
    if redo:
        fresh = candidate_paths(graph, [pairs[i] for i in redo], k)
        for i, paths in zip(redo, fresh, strict=True):
            out[i] = paths
    return out


@dataclass(frozen=True)
class FlowSolution:
    """Result of one flow LP."""

    link_flow_tbps: dict[str, float]
    link_utilisation: dict[str, float]
    demand_tbps: float
    unserved_tbps: float
    unserved_by_pair: dict[tuple[str, str], float]
    path_flows: tuple[tuple[NodePath, float], ...] = field(repr=False)
    max_utilisation: float = 0.0
    columns: tuple[tuple[NodePath, ...], ...] = field(default=(), repr=False)
    """Final candidate paths per demand (k shortest + generated columns): a warm start."""
    converged: bool = field(default=False, repr=False)
    """No column priced out in the last round (or no column generation): solving again from
    ``columns`` on the same graph and demand repeats the same LP and returns this solution."""

    def transit_tbps(self, hub: str, exclude_ends: frozenset[str] = frozenset()) -> float:
        """Flow on paths that pass *through* ``hub`` (not starting or ending in ``exclude_ends``
        or at the hub) [Tbit/s]."""
        total = 0.0
        for nodes, f in self.path_flows:
            if (
                hub in nodes[1:-1]
                and nodes[0] not in exclude_ends
                and nodes[-1] not in exclude_ends
            ):
                total += f
        return total

    def to_dict(self) -> dict[str, Any]:
        return {
            "demand_tbps": self.demand_tbps,
            "unserved_tbps": self.unserved_tbps,
            "max_utilisation": self.max_utilisation,
            "links": [
                {"link": k, "flow_tbps": self.link_flow_tbps[k], "utilisation": u}
                for k, u in self.link_utilisation.items()
            ],
        }


def solve_flows(
    graph: nx.Graph,
    pairs: Sequence[tuple[str, str]],
    demand_tbps: np.ndarray,
    candidates: list[list[NodePath]],
    *,
    link_capacity_tbps: dict[str, float],
    unserved_penalty_ms: float = 1e4,
    column_generation: bool = True,
    max_rounds: int = 50,
    hops_cache: dict[NodePath, list[int]] | None = None,
) -> FlowSolution:
    """Solve the path-flow LP (module notes) on ``graph`` (a :func:`simple_graph`).

    Parameters
    ----------
    graph : networkx.Graph
        Simple graph with ``weight`` [ms], ``links`` and ``capacity_tbps`` [Tbit/s] per edge.
    pairs : sequence of (str, str)
    demand_tbps : numpy.ndarray
        Demand per pair [Tbit/s], non-negative.
    candidates : list of list of node paths
        Candidate paths per pair (:func:`candidate_paths`), the LP's starting columns.
    link_capacity_tbps : dict
        Capacity of every link id [Tbit/s] (to split bundle flows).
    unserved_penalty_ms : float
        Cost of one unserved Tbit/s, in ms of latency.
    column_generation : bool
        Add paths priced by the capacity duals until none improves the LP (exact optimum of the
        min-cost multicommodity flow, Ahuja, Magnanti & Orlin, *Network Flows*, 1993, sec.
        17.5); ``False`` keeps the k candidates only.
    max_rounds : int
        Column-generation rounds at most.
    hops_cache : dict, optional
        Edge indices of each path, shared by solves on this same ``graph`` object (several
        years): a pure cache, it does not change the LP.

    Raises
    ------
    NetworkError
        Negative demand or an LP failure.
    """
    import networkx as nx

    demand = np.asarray(demand_tbps, dtype=float)
    if demand.shape != (len(pairs),) or len(candidates) != len(pairs):
        raise NetworkError("flows: pairs, demands and candidates differ in length")
    if np.any(demand < 0) or not np.all(np.isfinite(demand)):
        raise NetworkError("flows: demands must be finite and non-negative")
    edges = list(graph.edges)
    edge_idx = {frozenset(e): i for i, e in enumerate(edges)}
    cap = np.array([graph.edges[e]["capacity_tbps"] for e in edges], dtype=float)
    weight = np.array([graph.edges[e]["weight"] for e in edges], dtype=float)
    cols: list[list[NodePath]] = [list(dict.fromkeys(c)) for c in candidates]
    seen = [set(c) for c in cols]
    hops_of: dict[NodePath, list[int]] = {} if hops_cache is None else hops_cache
    converged = not column_generation
    for _ in range(max_rounds if column_generation else 1):
        res, path_list, _owner, A_ub = _solve_lp(
            edges, edge_idx, cap, weight, cols, demand, unserved_penalty_ms, hops_of
        )
        if not column_generation:
            break
        price = -np.asarray(res.ineqlin.marginals) if len(edges) else np.zeros(0)
        sigma = np.asarray(res.eqlin.marginals)
        h = nx.Graph()
        h.add_nodes_from(graph.nodes)
        for i, (u, v) in enumerate(edges):
            h.add_edge(u, v, w=weight[i] + max(price[i], 0.0))
        added = 0
        by_src: dict[str, list[int]] = {}
        for d, (a, _b) in enumerate(pairs):
            if demand[d] > 0:
                by_src.setdefault(a, []).append(d)
        for a, ds in by_src.items():
            dist, paths = nx.single_source_dijkstra(h, a, weight="w")
            for d in ds:
                b = pairs[d][1]
                if b in dist and dist[b] < sigma[d] - 1e-7 * max(1.0, abs(sigma[d])):
                    p = tuple(paths[b])
                    if p not in seen[d]:
                        cols[d].append(p)
                        seen[d].add(p)
                        added += 1
        if not added:
            converged = True
            break
    n_f = len(path_list)
    n_d = len(pairs)
    f = np.maximum(res.x[:n_f], 0.0)
    u = np.maximum(res.x[n_f:], 0.0)
    edge_flow = A_ub @ np.concatenate([f, np.zeros(n_d)]) if len(edges) else np.zeros(0)
    link_flow: dict[str, float] = {}
    link_util: dict[str, float] = {}
    for i, e in enumerate(edges):
        members = graph.edges[e]["links"]
        total_cap = sum(link_capacity_tbps[m] for m in members)
        for m in members:
            share = link_capacity_tbps[m] / total_cap if total_cap > 0 else 1.0 / len(members)
            link_flow[m] = float(edge_flow[i] * share)
            link_util[m] = float(edge_flow[i] / total_cap) if total_cap > 0 else 0.0
    unserved = {pairs[d]: float(u[d]) for d in range(n_d) if u[d] > 1e-9}
    return FlowSolution(
        link_flow_tbps=link_flow,
        link_utilisation=link_util,
        demand_tbps=float(demand.sum()),
        unserved_tbps=float(u.sum()),
        unserved_by_pair=unserved,
        path_flows=tuple((path_list[j], float(f[j])) for j in range(n_f) if f[j] > 1e-12),
        max_utilisation=max(link_util.values(), default=0.0),
        columns=tuple(tuple(c) for c in cols),
        converged=converged,
    )


def _solve_lp(
    edges: list[tuple[str, str]],
    edge_idx: dict[frozenset[str], int],
    cap: np.ndarray,
    weight: np.ndarray,
    cols: list[list[NodePath]],
    demand: np.ndarray,
    penalty: float,
    hops_of: dict[NodePath, list[int]],
) -> tuple[Any, list[NodePath], list[int], Any]:
    """One restricted-master LP; ``hops_of`` caches each path's edge indices across the
    column-generation rounds (the same columns recur in every round)."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    cost: list[float] = []
    owner: list[int] = []
    path_list: list[NodePath] = []
    rows: list[int] = []
    colidx: list[int] = []
    for d, paths in enumerate(cols):
        for p in paths:
            col = len(cost)
            hops = hops_of.get(p)
            if hops is None:
                hops = hops_of[p] = [edge_idx[frozenset(h)] for h in itertools.pairwise(p)]
            cost.append(float(weight[hops].sum()))
            owner.append(d)
            path_list.append(p)
            rows += hops
            colidx += [col] * len(hops)
    n_f = len(cost)
    n_d = len(cols)
    c = np.concatenate([np.asarray(cost, dtype=float), np.full(n_d, penalty)])
    A_ub = coo_matrix((np.ones(len(rows)), (rows, colidx)), shape=(len(edges), n_f + n_d)).tocsr()
    A_eq = coo_matrix(
        (np.ones(n_f + n_d), (np.concatenate([owner, np.arange(n_d)]), np.arange(n_f + n_d))),
        shape=(n_d, n_f + n_d),
    ).tocsr()
    res = linprog(
        c,
        A_ub=A_ub if len(edges) else None,
        b_ub=cap if len(edges) else None,
        A_eq=A_eq,
        b_eq=demand,
        bounds=(0, None),
        method="highs",
    )
    if res.status != 0 or res.x is None:
        raise NetworkError(f"flows: the LP failed ({res.message})")
    return res, path_list, owner, A_ub


def saturation_years(
    solve_year: Any,
    years: Sequence[int],
    link_ids: Sequence[str],
    threshold: float = 0.999,
    known: dict[int, FlowSolution] | None = None,
) -> dict[str, int | None]:
    """First year in ``years`` where each link's utilisation reaches ``threshold``.

    ``solve_year(year) -> FlowSolution`` re-solves the LP with that year's demand (re-routing
    around full links as they fill); ``known`` holds years already solved (the caller vouches
    that ``solve_year`` would return the same solution, e.g. a converged base year).
    """
    first: dict[str, int | None] = {lid: None for lid in link_ids}
    known = known or {}
    for y in years:
        sol = known[y] if y in known else solve_year(y)
        for lid, util in sol.link_utilisation.items():
            if util >= threshold and first.get(lid) is None:
                first[lid] = y
        if all(v is not None for v in first.values()):
            break
    return first
