"""Latency between cities: fibre length x group index plus a per-node equipment allowance.

Physics, not fitted to pings. The one-way latency of a path of links :math:`\\ell_i` through
:math:`N` nodes (ends included) is

.. math:: t = \\frac{n_g}{c} \\sum_i L_i + N \\, t_{node}

with :math:`n_g` the fibre group index (1.468 near 1550 nm, 4.897 µs/km), :math:`L_i` the
route lengths and :math:`t_{node}` a stated allowance; RTT = 2 t.

References
----------
.. [1] ITU-T G.652 (2016) single-mode fibre; group index values from fibre datasheets
   (Corning SMF-28: 1.4682 at 1550 nm), network.md sec. 2.1.
.. [2] J. Y. Yen, "Finding the K shortest loopless paths in a network", Management Science
   17(11):712-716, 1971, doi:10.1287/mnsc.17.11.712 (``networkx.shortest_simple_paths``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import NetworkError
from ..records import Record, quantity, text
from .topology import Corridor, one_way_delay_ms, simple_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx


@dataclass(frozen=True)
class Path(Record):
    """One path: nodes, the links used (one per hop), length and one-way latency."""

    nodes: tuple[str, ...] = text("node ids along the path, ends included")
    links: tuple[str, ...] = text("link ids, one per hop")
    length_km: float = quantity("km", "route length", digits=None)
    one_way_ms: float = quantity("ms", "one-way latency (fibre delay + node allowances)",
                                 digits=None)
    rtt_ms: float = field(init=False, compare=False, metadata={
        "unit": "ms", "description": "round-trip time, 2 x one-way", "digits": None})

    def __post_init__(self) -> None:
        object.__setattr__(self, "rtt_ms", 2.0 * self.one_way_ms)


def path_from_links(
    corridor: Corridor,
    start: str,
    link_ids: tuple[str, ...],
    *,
    group_index: float,
    node_latency_ms: float,
) -> Path:
    """Build a :class:`Path` from a start node and the sequence of links it follows."""
    by_id = {lk.id: lk for lk in corridor.links}
    nodes = [start]
    length = 0.0
    for lid in link_ids:
        lk = by_id[lid]
        here = nodes[-1]
        if here == lk.a:
            nodes.append(lk.b)
        elif here == lk.b:
            nodes.append(lk.a)
        else:
            raise NetworkError(f"link {lid} does not continue a path at {here}")
        length += lk.length_km
    one_way = float(one_way_delay_ms(length, group_index)) + len(nodes) * node_latency_ms
    return Path(tuple(nodes), tuple(link_ids), length, one_way)


def k_shortest_paths(
    corridor: Corridor,
    a: str,
    b: str,
    k: int,
    *,
    group_index: float,
    node_latency_ms: float,
    graph: nx.Graph | None = None,
) -> list[Path]:
    """The ``k`` lowest-latency loopless paths from ``a`` to ``b`` (Yen [2]); may be fewer.

    Parallel systems are collapsed to their lowest-latency member first, so the k paths differ
    in the nodes they visit.

    Raises
    ------
    NetworkError
        Unknown node.
    """
    import networkx as nx

    g = (
        graph
        if graph is not None
        else simple_graph(corridor, group_index=group_index, node_latency_ms=node_latency_ms)
    )
    for n in (a, b):
        if n not in g:
            raise NetworkError(f"latency pair: unknown node {n!r}")
    if a == b:
        raise NetworkError(f"latency pair: both ends are {a!r}")
    try:
        gen = nx.shortest_simple_paths(g, a, b, weight="weight")
        node_paths = list(itertools.islice(gen, k))
    except nx.NetworkXNoPath:
        return []
    out = []
    for nodes in node_paths:
        links = tuple(g.edges[u, v]["link"] for u, v in itertools.pairwise(nodes))
        out.append(
            path_from_links(
                corridor, a, links, group_index=group_index, node_latency_ms=node_latency_ms
            )
        )
    return out


def shortest_path(
    corridor: Corridor,
    a: str,
    b: str,
    *,
    group_index: float,
    node_latency_ms: float,
    graph: nx.Graph | None = None,
) -> Path | None:
    """The lowest-latency path, or ``None`` when ``a`` and ``b`` are disconnected."""
    paths = k_shortest_paths(
        corridor, a, b, 1, group_index=group_index, node_latency_ms=node_latency_ms, graph=graph
    )
    return paths[0] if paths else None
