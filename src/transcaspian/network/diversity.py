"""Path diversity: the shortest pair of SRLG-disjoint paths between two nodes.

Two paths are SRLG-disjoint when no shared-risk link group (a duct, a strait, a landing, a
country's land corridor, or the link itself) carries both. Finding the shortest such pair is
NP-complete in general [1], unlike the link-disjoint case solved by Suurballe's algorithm [2];
corridor graphs are small, so we solve the exact integer programme of [1] with HiGHS
(``scipy.optimize.milp``):

.. math::

   \\min \\sum_{p=1,2} \\sum_{(u,v)} w_{uv} x^p_{uv} \\quad\\text{s.t.}\\quad
   \\sum_v x^p_{sv} - x^p_{vs} = [s = a] - [s = b],\\;
   x^p_{uv} + x^p_{vu} \\le y^p_g \\;(\\ell_{uv} \\in g),\\;
   y^1_g + y^2_g \\le 1,\\; x \\in \\{0,1\\}

with :math:`w` the one-way latency of each link (fibre delay plus node allowance). With positive
weights an optimal solution holds no cycles, so no subtour constraints are needed.

References
----------
.. [1] J. Q. Hu, "Diverse routing in optical mesh networks", IEEE Trans. Commun. 51(3):489-494,
   2003, doi:10.1109/TCOMM.2003.809779 (NP-completeness and ILP, sec. III).
.. [2] J. W. Suurballe and R. E. Tarjan, "A quick method for finding shortest pairs of disjoint
   paths", Networks 14(2):325-336, 1984, doi:10.1002/net.3230140209.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import NetworkError
from ..records import Record, flag, quantity, text
from .latency import Path, path_from_links
from .topology import Corridor, link_latency_ms

_REQUIRED: Any = dataclasses.MISSING  # a field with no default, declared with ``field``


def _sub(description: str) -> dict[str, str]:
    """Metadata of a field that holds a record: its description (the record has the units)."""
    return {"unit": "", "description": description}


@dataclass(frozen=True)
class DisjointPair(Record):
    """The shortest SRLG-disjoint pair: ``primary`` has the lower latency."""

    primary: Path = field(default=_REQUIRED, metadata=_sub("the faster path of the pair"))
    secondary: Path = field(
        default=_REQUIRED, metadata=_sub("the slower path, sharing no SRLG with the primary")
    )


@dataclass(frozen=True)
class PrimaryBackup(Record):
    """The primary path of a pair and its SRLG-disjoint backup (:func:`primary_and_backup`)."""

    primary: Path | None = field(default=_REQUIRED, metadata=_sub("primary path (null: no path)"))
    backup: Path | None = field(
        default=_REQUIRED, metadata=_sub("lowest-latency path sharing no SRLG with the primary")
    )
    primary_rtt_ms: float | None = quantity("ms", "RTT of the primary", digits=None)
    backup_rtt_ms: float | None = quantity("ms", "RTT of the backup", digits=None)
    primary_is_shortest: bool = flag("the primary is the lowest-latency path")
    primary_basis: str = text("why this primary (one sentence)")


def srlg_disjoint_pair(
    corridor: Corridor,
    a: str,
    b: str,
    *,
    group_index: float,
    node_latency_ms: float,
    time_limit_s: float = 20.0,
) -> DisjointPair | None:
    """Shortest pair of SRLG-disjoint paths from ``a`` to ``b`` (exact MILP), or ``None``.

    Parameters
    ----------
    corridor : Corridor
    a, b : str
        Node ids.
    group_index : float
        Fibre group index [-].
    node_latency_ms : float
        One-way allowance per node [ms].
    time_limit_s : float
        HiGHS time limit [s].

    Returns
    -------
    DisjointPair or None
        ``None`` when no SRLG-disjoint pair exists.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    ids = corridor.node_ids
    for n in (a, b):
        if n not in ids:
            raise NetworkError(f"diversity pair: unknown node {n!r}")
    if a == b:
        raise NetworkError(f"diversity pair: both ends are {a!r}")
    links = corridor.links
    n_links = len(links)
    if n_links == 0:
        return None
    idx = {n: i for i, n in enumerate(ids)}
    tail = np.array([idx[lk.a] for lk in links] + [idx[lk.b] for lk in links])
    head = np.array([idx[lk.b] for lk in links] + [idx[lk.a] for lk in links])
    n_arcs = 2 * n_links
    w = np.array([link_latency_ms(lk, group_index, node_latency_ms) for lk in links])
    w_arcs = np.concatenate([w, w])
    groups: dict[str, list[int]] = {}
    for i, lk in enumerate(links):
        for g in lk.srlgs:
            groups.setdefault(g, []).append(i)
    group_names = sorted(groups)
    n_groups = len(group_names)
    n_x = 2 * n_arcs
    n_vars = n_x + 2 * n_groups
    c = np.concatenate([w_arcs, w_arcs, np.zeros(2 * n_groups)])

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    r = 0
    n_nodes = len(ids)
    # flow conservation, per path and node
    for p in range(2):
        off = p * n_arcs
        for arc in range(n_arcs):
            rows += [r + tail[arc], r + head[arc]]
            cols += [off + arc, off + arc]
            vals += [1.0, -1.0]
        rhs = np.zeros(n_nodes)
        rhs[idx[a]] = 1.0
        rhs[idx[b]] = -1.0
        lo += rhs.tolist()
        hi += rhs.tolist()
        r += n_nodes
    # x^p on a link of group g <= y^p_g; y^1_g + y^2_g <= 1
    for gi, g in enumerate(group_names):
        for p in range(2):
            y = n_x + 2 * gi + p
            for li in groups[g]:
                rows += [r, r, r]
                cols += [p * n_arcs + li, p * n_arcs + n_links + li, y]
                vals += [1.0, 1.0, -1.0]
                lo.append(-np.inf)
                hi.append(0.0)
                r += 1
        rows += [r, r]
        cols += [n_x + 2 * gi, n_x + 2 * gi + 1]
        vals += [1.0, 1.0]
        lo.append(-np.inf)
        hi.append(1.0)
        r += 1
    A = coo_matrix((vals, (rows, cols)), shape=(r, n_vars)).tocsr()
    integrality = np.concatenate([np.ones(n_x), np.zeros(2 * n_groups)])
    problem = dict(constraints=LinearConstraint(A, np.array(lo), np.array(hi)),
                   bounds=Bounds(0.0, 1.0), options={"time_limit": time_limit_s, "disp": False})
    # the LP relaxation first (~5x cheaper than the branch and bound): when its optimum is
    # integral it is the integer programme's optimum too (about half the corridor's pairs)
    res = milp(c, integrality=np.zeros_like(integrality), **problem)
    if res.x is None or res.status != 0 or not np.allclose(
            res.x[:n_x], np.round(res.x[:n_x]), atol=1e-7):
        res = milp(c, integrality=integrality, **problem)
    if res.x is None or res.status not in (0, 1):
        return None
    x = np.round(res.x[:n_x]).astype(int)
    paths = []
    for p in range(2):
        used = np.flatnonzero(x[p * n_arcs : (p + 1) * n_arcs])
        out = {int(tail[arc]): int(arc) for arc in used}
        seq: list[str] = []
        here = idx[a]
        for _ in range(len(used)):
            if here == idx[b]:
                break
            arc = out[here]
            seq.append(links[arc % n_links].id)
            here = int(head[arc])
        paths.append(
            path_from_links(
                corridor, a, tuple(seq), group_index=group_index, node_latency_ms=node_latency_ms
            )
        )
    paths.sort(key=lambda p: p.one_way_ms)
    return DisjointPair(paths[0], paths[1])


def is_subgraph(sub: Corridor, sup: Corridor) -> bool:
    """Whether every node and link of ``sub`` is in ``sup`` unchanged."""
    links = {lk.id: lk for lk in sup.links}
    return set(sub.node_ids) <= set(sup.node_ids) and all(
        links.get(lk.id) == lk for lk in sub.links
    )


def pair_in_subgraph(
    pair: DisjointPair | None, sup: Corridor, sub: Corridor
) -> tuple[bool, DisjointPair | None]:
    """The shortest SRLG-disjoint pair of ``sub`` when it follows from ``sup``'s, without a solve.

    With ``sub`` a subgraph of ``sup``, every pair of ``sub`` is a pair of ``sup``: when ``sup``
    has none, neither has ``sub``; when ``sup``'s shortest pair uses only links of ``sub``, it is
    also ``sub``'s shortest (equal-latency pairs aside).

    Returns
    -------
    (bool, DisjointPair or None)
        ``(True, answer)`` when it follows, ``(False, None)`` when ``sub`` must be solved.
    """
    if not is_subgraph(sub, sup):
        return False, None
    if pair is None:
        return True, None
    kept = {lk.id for lk in sub.links}
    if set(pair.primary.links) <= kept and set(pair.secondary.links) <= kept:
        return True, pair
    return False, None


def shared_srlgs(corridor: Corridor, p1: Path, p2: Path) -> set[str]:
    """SRLGs carried by both paths (empty for a disjoint pair)."""
    by_id = {lk.id: lk for lk in corridor.links}
    g1 = {g for lid in p1.links for g in by_id[lid].srlgs}
    g2 = {g for lid in p2.links for g in by_id[lid].srlgs}
    return g1 & g2


def primary_and_backup(
    corridor: Corridor,
    shortest: Path | None,
    pair: DisjointPair | None,
    *,
    group_index: float,
    node_latency_ms: float,
) -> PrimaryBackup:
    """Which path is the primary, why, and its SRLG-disjoint backup.

    The primary is the lowest-latency path whenever some path shares no SRLG with it; the backup
    is then the lowest-latency such path. The first path of the shortest disjoint *pair* (min
    total latency, :func:`srlg_disjoint_pair`) is not always the shortest path: in a "trap"
    topology the shortest path blocks every disjoint alternative, and only then is the primary
    the faster path of the shortest disjoint pair (its extra latency is stated).

    Returns
    -------
    PrimaryBackup
    """
    from .latency import shortest_path

    def out(p: Path | None, b: Path | None, is_shortest: bool, basis: str) -> PrimaryBackup:
        return PrimaryBackup(
            primary=p,
            backup=b,
            primary_rtt_ms=None if p is None else p.rtt_ms,
            backup_rtt_ms=None if b is None else b.rtt_ms,
            primary_is_shortest=is_shortest,
            primary_basis=basis,
        )

    if shortest is None:
        return out(None, None, False, "no path")
    by_id = {lk.id: lk for lk in corridor.links}
    used = {g for lid in shortest.links for g in by_id[lid].srlgs}
    rest = corridor.without(lk.id for lk in corridor.links if set(lk.srlgs) & used)
    a, b = shortest.nodes[0], shortest.nodes[-1]
    backup = shortest_path(rest, a, b, group_index=group_index, node_latency_ms=node_latency_ms)
    if backup is not None:
        return out(
            shortest,
            backup,
            True,
            "lowest-latency path; backup: the lowest-latency path sharing no SRLG with it",
        )
    if pair is not None:
        extra = pair.primary.rtt_ms - shortest.rtt_ms
        return out(
            pair.primary,
            pair.secondary,
            False,
            f"the lowest-latency path ({shortest.rtt_ms:.1f} ms) has no SRLG-disjoint backup; "
            f"primary: the faster path of the shortest SRLG-disjoint pair (+{extra:.1f} ms)",
        )
    return out(shortest, None, True, "lowest-latency path; no SRLG-disjoint backup exists")
