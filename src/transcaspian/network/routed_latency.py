"""Latency as users see it: the as-routed path through the hub where two networks meet.

The fibre bound between nodes :math:`a` and :math:`b` is the lowest-latency corridor path
(:mod:`.latency`): :math:`R_f(a,b) = 2\\,(n_g/c \\sum L + N t_{node})`. Networks do not use it:
traffic between two networks is exchanged where they interconnect (:mod:`.interconnect`), so the
as-routed round trip runs source -> meeting hub -> destination along fibre,

.. math::

   R_r(a, b) = \\min_{h \\in P(a) \\cap P(b)} \\left[ R_f(a, h) + R_f(h, b) + A_h \\right]

with :math:`P(n)` the hubs where the networks of :math:`n` are present and :math:`A_h` the hub's
round-trip allowance. When the two have no hub in common, their upstreams carry the traffic
between two hubs (transit):
:math:`\\min_{h \\in P(a), k \\in P(b)} [R_f(a,h) + R_f(h,k) + R_f(k,b) + A_h + A_k]`.
Nodes of the same country exchange in-country along the fibre when ``domestic_on_net``; an
attached city (:func:`attach_points`) also exchanges locally, along the fibre, with the
networks of the country of the node whose presence it takes (its local market).

That is ``routing: lowest_latency``, a bound: BGP chooses routes by business relationship and
local preference, not by delay [3]. ``routing: preferred_upstream`` follows the ranked presence
lists instead: the direction :math:`a \\to b` leaves the networks of :math:`a` at the first hub of
:math:`P(a)` where :math:`b` is present, :math:`h_{ab}`, and

.. math::

   R_r(a, b) = \\tfrac12 [R_f(a, h_{ab}) + R_f(h_{ab}, b) + A_{h_{ab}}]
             + \\tfrac12 [R_f(b, h_{ba}) + R_f(h_{ba}, a) + A_{h_{ba}}]

(the two directions may use different hubs); with no hub in common, transit runs between the
two sides' first hubs.
No parameter is fitted to pings; :math:`R_r \\ge R_f` always (triangle inequality).

All pairs are array work: one Dijkstra from every node (scipy's C implementation, [1]) gives
:math:`R_f`; the hub minimisation is a loop over the few hubs of N x N array operations.

References
----------
.. [1] E. W. Dijkstra, "A note on two problems in connexion with graphs", Numerische Mathematik
   1:269-271, 1959, doi:10.1007/BF01386390 (``scipy.sparse.csgraph.dijkstra``).
.. [2] I. Bozkurt et al., "Dissecting Latency in the Internet's Fiber Infrastructure",
   arXiv:1811.10737, 2018 (measured RTT ~ 2.1 x the line-of-sight fibre minimum; network.md
   sec. 2.4).
.. [3] L. Gao and J. Rexford, "Stable Internet routing without global coordination", IEEE/ACM
   Trans. Networking 9(6):681-692, 2001, doi:10.1109/90.974523.
"""

from __future__ import annotations

import functools
import io
import itertools
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import NetworkError
from .calibration import ConditionalFactors, Covariates
from .interconnect import Interconnection
from .latency import Path
from .topology import UNSET, Corridor, renamed

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx


def fibre_rtt_matrix(
    graph: nx.Graph, node_ids: tuple[str, ...], node_latency_ms: float
) -> np.ndarray:
    """All-pairs fibre-bound RTT [ms] on a simple corridor graph (:func:`.topology.simple_graph`).

    Edge ``weight`` is the one-way fibre delay plus the far node's allowance, so a path's one-way
    latency is the weight sum plus the start node's allowance; RTT is twice that, 0 on the
    diagonal and ``inf`` between disconnected nodes.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    idx = {n: i for i, n in enumerate(node_ids)}
    n = len(node_ids)
    rows, cols, w = [], [], []
    for u, v, d in graph.edges(data="weight"):
        rows.append(idx[u])
        cols.append(idx[v])
        w.append(float(d))
    adj = coo_matrix((w, (rows, cols)), shape=(n, n)).tocsr()
    one_way = dijkstra(adj, directed=False)
    rtt = 2.0 * (one_way + node_latency_ms)
    np.fill_diagonal(rtt, 0.0)
    return np.asarray(rtt)


@dataclass(frozen=True)
class RoutedRtt:
    """As-routed RTT [ms] for every pair and the hubs used (-1: none, domestic or same node).

    ``hub_a[i, j]`` is where the networks of ``i`` hand the traffic over, ``hub_b[i, j]`` where
    it reaches the networks of ``j`` (equal when they meet at one hub); indices into ``hubs``.
    """

    rtt_ms: np.ndarray
    hub_a: np.ndarray
    hub_b: np.ndarray
    hubs: tuple[str, ...]
    asymmetric: np.ndarray | None = None
    """``preferred_upstream``: the two directions meet at different common hubs (``hub_a``
    for i -> j, ``hub_b`` for j -> i); None for ``lowest_latency``."""


def routed_rtt_matrix(
    fibre_rtt_ms: np.ndarray, node_ids: tuple[str, ...], inter: Interconnection
) -> RoutedRtt:
    """All-pairs as-routed RTT (module notes) from the fibre-bound matrix.

    Parameters
    ----------
    fibre_rtt_ms : ndarray, shape (N, N)
        Fibre-bound RTT [ms] between the nodes.
    node_ids : tuple of str
        The N node ids; every hub must be among them.
    inter : Interconnection
        Hubs, allowances [ms] and presence.

    Returns
    -------
    RoutedRtt
    """
    hub_ids, mask = inter.presence_mask(node_ids)
    idx = {n: i for i, n in enumerate(node_ids)}
    missing = [h for h in hub_ids if h not in idx]
    if missing:
        raise NetworkError(f"interconnection: hub {missing[0]!r} is not a corridor node")
    hcol = np.array([idx[h] for h in hub_ids], dtype=int)
    allow = np.array([inter.hubs[h] for h in hub_ids])
    r_nh = fibre_rtt_ms[:, hcol]  # (N, H) node -> hub
    r_hh = fibre_rtt_ms[np.ix_(hcol, hcol)]
    asym = None
    if inter.routing == "preferred_upstream":
        rank = inter.presence_rank(node_ids)[1]
        best, hub_a, hub_b, asym = _preferred_upstream(r_nh, r_hh, allow, rank, mask)
    else:
        best, hub_a, hub_b = _lowest_latency(r_nh, r_hh, allow, mask)
    # 3. in-country on-net (and an attached city's local exchange), and the diagonal
    if inter.domestic_on_net:
        same = _local_exchange(inter, node_ids)
        best = np.where(same, fibre_rtt_ms, best)
        hub_a = np.where(same, -1, hub_a)
        hub_b = np.where(same, -1, hub_b)
    np.fill_diagonal(best, 0.0)
    np.fill_diagonal(hub_a, -1)
    np.fill_diagonal(hub_b, -1)
    best = np.where(np.isfinite(fibre_rtt_ms), best, np.inf)
    if asym is not None:
        asym = asym & (hub_a >= 0)
        np.fill_diagonal(asym, False)
    return RoutedRtt(best, hub_a, hub_b, hub_ids, asym)


def _local_exchange(inter: Interconnection, node_ids: tuple[str, ...]) -> np.ndarray:
    """``[i, j]``: the networks of ``i`` and ``j`` exchange locally, along the fibre without a
    hub, because their exchange countries (:meth:`.Interconnection.exchange_countries`: a
    node's own country; an attached city's own and that of the node whose presence it takes)
    share one. For corridor nodes this is the in-country rule (same country)."""
    sets = [inter.exchange_countries(x) for x in node_ids]
    codes = sorted(set().union(*sets)) if sets else []
    col = {c: k for k, c in enumerate(codes)}
    member = np.zeros((len(node_ids), len(codes)), dtype=np.int32)
    for i, cs in enumerate(sets):
        for c in cs:
            member[i, col[c]] = 1
    return np.asarray((member @ member.T) > 0)


def _lowest_latency(
    r_nh: np.ndarray, r_hh: np.ndarray, allow: np.ndarray, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Meet at the common hub of lowest RTT; without one, transit between the best pair of
    hubs (module notes)."""
    n, n_h = r_nh.shape
    best = np.full((n, n), np.inf)
    hub_a = np.full((n, n), -1, dtype=int)
    # 1. meet at a common hub
    for j in range(n_h):
        both = mask[:, j, None] & mask[None, :, j]
        cost = np.where(both, r_nh[:, j, None] + r_nh[None, :, j] + allow[j], np.inf)
        better = cost < best
        best = np.where(better, cost, best)
        hub_a = np.where(better, j, hub_a)
    hub_b = hub_a.copy()
    # 2. no common hub: transit between a hub of each side
    none = ~np.isfinite(best)
    if none.any():
        via = np.where(mask[:, :, None], r_nh[:, :, None] + allow[None, :, None] + r_hh[None],
                       np.inf)
        t_first = via.min(axis=1)  # (N, H): best first hub for each second hub
        t_arg = via.argmin(axis=1)
        best2 = np.full((n, n), np.inf)
        k_best = np.full((n, n), -1, dtype=int)
        for k in range(n_h):
            cost = np.where(
                mask[None, :, k], t_first[:, k, None] + allow[k] + r_nh[None, :, k], np.inf
            )
            better = cost < best2
            best2 = np.where(better, cost, best2)
            k_best = np.where(better, k, k_best)
        rows = np.arange(n)[:, None].repeat(n, axis=1)
        first = np.where(k_best >= 0, t_arg[rows, np.maximum(k_best, 0)], -1)
        best = np.where(none, best2, best)
        hub_a = np.where(none, first, hub_a)
        hub_b = np.where(none, k_best, hub_b)
    return best, hub_a, hub_b


def _preferred_upstream(
    r_nh: np.ndarray, r_hh: np.ndarray, allow: np.ndarray, rank: np.ndarray, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each side hands over at its first-ranked hub where the other side is present.

    Direction :math:`a \\to b` leaves the networks of :math:`a` at
    :math:`h_{ab} = \\arg\\min_{h \\in P(b)} \\mathrm{rank}_a(h)` and runs
    :math:`a \\to h_{ab} \\to b`; its one-way time is half that loop's fibre RTT plus half the
    hub's allowance. The RTT is the sum of the two directions, which may use different hubs
    (asymmetric routing). With no hub in common, traffic goes from the primary (rank-0) hub of
    one side to that of the other, both ways.

    Returns
    -------
    rtt_ms, hub_a, hub_b : ndarray, shape (N, N)
        ``hub_a[i, j]``: where ``i`` hands over traffic for ``j``; ``hub_b[i, j]`` where ``j``
        hands over traffic for ``i`` (for transit: the two primary hubs).
    asymmetric : ndarray of bool, shape (N, N)
        The two directions meet at different hubs.
    """
    n = r_nh.shape[0]
    cand = np.where(mask[None, :, :], rank[:, None, :], np.inf)  # (N, N, H): i's rank, j there
    exit_ = np.argmin(cand, axis=2)
    common = np.isfinite(np.take_along_axis(cand, exit_[..., None], axis=2)[..., 0])
    rows, cols = np.arange(n)[:, None], np.arange(n)[None, :]
    one_way = 0.5 * (r_nh[rows, exit_] + r_nh[cols, exit_] + allow[exit_])  # i -> j
    best = np.where(common, one_way + one_way.T, np.inf)
    hub_a = np.where(common, exit_, -1)
    hub_b = np.where(common, exit_.T, -1)
    primary = np.argmin(rank, axis=1)
    has = np.isfinite(rank[np.arange(n), primary])
    leg = r_nh[np.arange(n), primary] + allow[primary]  # node -> its primary hub, + allowance
    transit = leg[:, None] + r_hh[primary[:, None], primary[None, :]] + leg[None, :]
    use = ~common & has[:, None] & has[None, :]
    best = np.where(use, transit, best)
    hub_a = np.where(use, primary[:, None], hub_a)
    hub_b = np.where(use, primary[None, :], hub_b)
    return best, hub_a, hub_b, common & (hub_a != hub_b)


VARIANTS = ("with_line", "without_line")


@dataclass(frozen=True)
class LatencyMatrix:
    """All-pairs RTT between corridor cities: fibre bound and as-routed, with/without the line.

    ``fibre_ms[v]`` and ``routed_ms[v]`` are (N, N) arrays [ms] for ``v`` in ``with_line`` /
    ``without_line`` (and ``routed_ms`` also ``*_digital_hub`` when computed); ``meeting[v]``
    names the meeting hub(s) per pair (``"a>b"`` for transit between two hubs, ``""`` domestic).
    With ``calibration`` (the as-routed factors of :mod:`.calibration`) each as-routed RTT also
    carries its P10 and P90 (``routed_rtt_p10_ms_*``, ``routed_rtt_p90_ms_*``).
    """

    cities: tuple[str, ...]
    names: tuple[str, ...]
    fibre_ms: dict[str, np.ndarray]
    routed_ms: dict[str, np.ndarray]
    meeting: dict[str, np.ndarray] = field(default_factory=dict)
    calibration: ConditionalFactors | None = None
    calibration_record: dict[str, Any] | None = None
    """Where the calibration comes from and how it scored: its ``source``, ``provenance``
    (input file, pairs, covariate choice) and ``cross_validated`` figures (for the report)."""

    @functools.cached_property
    def bands(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per variant: P10, P50, P90 of the as-routed RTT [ms] (empty without a calibration);
        a conditioned calibration takes each pair's fibre bound (of the variant's corridor)
        and hubs met as covariates."""
        cal = self.calibration
        if cal is None:
            return {}
        out = {}
        for v, m in self.routed_ms.items():
            fibre = self.fibre_ms.get(
                "with_line" if v.startswith("with_line") else "without_line", m
            )
            cov = (
                Covariates.of(fibre, self.meeting[v])
                if cal.covariates and v in self.meeting else None
            )
            out[v] = cal.apply(np.asarray(m, dtype=float), cov)
        return out

    def pair(self, a: str, b: str) -> dict[str, Any]:
        i, j = self.cities.index(a), self.cities.index(b)
        out: dict[str, Any] = {"a": a, "b": b}
        for v, m in self.fibre_ms.items():
            out[f"fibre_rtt_ms_{v}"] = _num(m[i, j])
        bands = self.bands
        for v, m in self.routed_ms.items():
            out[f"routed_rtt_ms_{v}"] = _num(m[i, j])
            if v in bands:
                out[f"routed_rtt_p10_ms_{v}"] = _num(bands[v][0][i, j])
                out[f"routed_rtt_p90_ms_{v}"] = _num(bands[v][2][i, j])
            if v in self.meeting:
                out[f"meeting_hub_{v}"] = str(self.meeting[v][i, j])
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One row per unordered city pair."""
        return [self.pair(a, b) for a, b in itertools.combinations(self.cities, 2)]

    def to_csv(self) -> str:
        """The matrix as a long CSV: one line per city pair, a column per model and variant."""
        import csv

        rows = self.rows()
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["a", "b"])
        writer.writeheader()
        for r in rows:
            writer.writerow(
                {
                    k: ("" if v is None else (f"{v:.3f}" if isinstance(v, float) else v))
                    for k, v in r.items()
                }
            )
        return buf.getvalue()

    def to_dict(self) -> dict[str, Any]:
        return {
            "cities": list(self.cities),
            "names": list(self.names),
            "fibre_rtt_ms": {v: _nested(m) for v, m in self.fibre_ms.items()},
            "routed_rtt_ms": {v: _nested(m) for v, m in self.routed_ms.items()},
        }


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _nested(m: np.ndarray) -> list[list[float | None]]:
    return [[_num(x) for x in row] for row in m]


@dataclass(frozen=True)
class AttachedPoint:
    """A place off the corridor graph joined to it by access links (e.g. a measured city).

    ``lat_deg``, ``lon_deg`` [deg] locate it; ``anchors`` are the corridor nodes it connects
    to with their great-circle distance [km]; its networks interconnect where those of
    ``presence_from`` do (its hubs, ranked), and it belongs to ``country`` (ISO 3166 alpha-3;
    ``""`` unknown). It exchanges locally with the nodes of its own country and of
    ``presence_from``'s country (:func:`attach_points`, "Local exchange").
    """

    id: str
    lat_deg: float
    lon_deg: float
    anchors: tuple[tuple[str, float], ...]
    presence_from: str
    country: str = ""


def attach_points(
    fibre_rtt_ms: np.ndarray,
    node_ids: tuple[str, ...],
    inter: Interconnection,
    points: tuple[AttachedPoint, ...],
    *,
    group_index: float,
    node_latency_ms: float,
    route_factor: float,
    direct_km: float = 0.0,
) -> tuple[tuple[str, ...], np.ndarray, RoutedRtt]:
    """The fibre-bound and as-routed matrices with ``points`` added to the corridor.

    Each point joins its anchors by an access link; two points closer than ``direct_km`` also
    join each other directly. The **bound** takes only what cannot be beaten on an access
    link, the geodesic x n_g / c (factor ``f`` = 1): a real route is longer, but a bound that
    assumed so would exceed some measurements (issue 21). The **as-routed** estimate takes the
    access links at great circle x ``route_factor`` (``f`` = 1.3 on land), the length fibre
    actually runs. The fibre bound from a point is the min-plus product of its access RTTs with
    the corridor's matrix,

    .. math::

       R_f(x, n) = \\min_k \\left[ 2 (t_{xk} + t_{node}) + R_f'(k, n) \\right],

    with :math:`t_{xk} = L_{xk} f n_g / c` and :math:`R_f'` the corridor matrix with
    :math:`2 t_{node}` on its diagonal (the anchor's own node latency), and between points
    :math:`R_f(x, y) = \\min_l [R_f(x, l) + 2 (t_{yl} + t_{node})]`. The as-routed matrix is
    then :func:`routed_rtt_matrix` on the matrix extended with ``f = route_factor``, each point
    taking the presence of its ``presence_from`` node.

    **Local exchange** (issue 21, sec. 5). A point's networks share the presence of its
    ``presence_from`` node (an access node: the nearest of its own country, else the nearest
    node). When ``domestic_on_net``, the point exchanges traffic locally - along the fibre of
    the extended matrix, through no hub - with every node and point of its own country and of
    the countries :meth:`.interconnect.Interconnection.attached_local` gives it: the presence
    node's country when the point's country is unknown; for a country with no corridor node,
    only the countries the dataset lists as its upstreams (``upstream``: Kyrgyzstan through
    Kazakhstan, Armenia through Georgia, cited). With anyone else it meets at a hub as before.
    So Bishkek, attached to Almaty, exchanges locally with the Kazakh nodes, not in Moscow;
    Yerevan likewise with Georgia's; Tel Aviv, whose nearest node is Egyptian, meets Cairo at
    a hub (Israel is not listed).

    Parameters
    ----------
    fibre_rtt_ms : ndarray, shape (N, N)
        Fibre-bound RTT between the corridor's nodes [ms].
    node_ids : tuple of str
        The N node ids.
    inter : Interconnection
        The corridor's interconnection layer.
    points : tuple of AttachedPoint
        The M places to add; ids must not be node ids.
    group_index : float
        Group index of the fibre [-].
    node_latency_ms : float
        One-way latency added per node traversed [ms].
    route_factor : float
        Access-link length / great circle [-] of the as-routed estimate (the corridor's
        terrestrial factor); the bound uses 1.
    direct_km : float
        Points within this great-circle distance of each other are also joined directly.

    Returns
    -------
    ids : tuple of str
        ``node_ids`` followed by the point ids.
    fibre : ndarray, shape (N + M, N + M)
        Fibre-bound RTT [ms] (geodesic access links).
    routed : RoutedRtt
        As-routed RTT on the extended set (access links x ``route_factor``).
    """
    idx = {x: i for i, x in enumerate(node_ids)}
    clash = [p.id for p in points if p.id in idx]
    if clash:
        raise NetworkError(f"attached point id {clash[0]!r} is already a corridor node")
    common = (fibre_rtt_ms, idx, points, group_index, node_latency_ms,
              _direct_km(points, direct_km))
    bound = _extended(*common, 1.0)
    estimate = bound if route_factor == 1.0 else _extended(*common, route_factor)
    ids = (*node_ids, *(p.id for p in points))
    presence = dict(inter.presence)
    country = dict(inter.country)
    local = dict(inter.local)
    for p in points:
        if p.presence_from not in idx:
            raise NetworkError(f"attached point {p.id!r}: unknown node {p.presence_from!r}")
        presence[p.id] = inter.presence.get(p.presence_from, ())
        country[p.id] = p.country
        # local exchange: its own country's networks and those the rule of
        # Interconnection.attached_local gives it (its market's, or its listed upstreams')
        extra = inter.attached_local(p.country, p.presence_from)
        if extra:
            local[p.id] = extra
    ext = replace(inter, presence=presence, country=country, local=local)
    routed = routed_rtt_matrix(estimate, ids, ext)
    # the bound stays below the estimate (route_factor >= 1), so R_r >= R_f still holds
    return ids, bound, routed


def _direct_km(points: tuple[AttachedPoint, ...], direct_km: float) -> np.ndarray | None:
    """Geodesic distance between points [km] where it is within ``direct_km``, else inf; None
    when no two points can be joined. A spherical great circle (haversine, R = 6371.0088 km)
    first discards the pairs beyond 1.01 x ``direct_km`` (it differs from the WGS84 geodesic
    by well under 1 %), so the geodesic is solved only for the pairs near the limit."""
    from .topology import geodesic_km

    m = len(points)
    if m < 2 or direct_km <= 0.0:
        return None
    lat = np.radians([p.lat_deg for p in points])
    lon = np.radians([p.lon_deg for p in points])
    h = (np.sin((lat[:, None] - lat[None, :]) / 2.0) ** 2 + np.cos(lat[:, None])
         * np.cos(lat[None, :]) * np.sin((lon[:, None] - lon[None, :]) / 2.0) ** 2)
    sphere = 2.0 * 6371.0088 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    i, j = np.nonzero(np.triu(sphere <= 1.01 * direct_km, 1))
    d = np.full((m, m), np.inf)
    if i.size:
        deg = np.degrees
        km = geodesic_km(deg(lat[i]), deg(lon[i]), deg(lat[j]), deg(lon[j]))
        km = np.where(km <= direct_km, km, np.inf)
        d[i, j] = km
        d[j, i] = km
    return d


def _extended(
    fibre_rtt_ms: np.ndarray,
    idx: dict[str, int],
    points: tuple[AttachedPoint, ...],
    group_index: float,
    node_latency_ms: float,
    direct: np.ndarray | None,
    factor: float,
) -> np.ndarray:
    """The corridor matrix extended by ``points`` whose access links are great circle x
    ``factor`` (:func:`attach_points`)."""
    from .topology import one_way_delay_ms

    n, m = len(idx), len(points)
    acc = np.full((m, n), np.inf)
    for i, p in enumerate(points):
        for node, km in p.anchors:
            t = float(one_way_delay_ms(km * factor, group_index))
            acc[i, idx[node]] = min(acc[i, idx[node]], 2.0 * (t + node_latency_ms))
    fd = np.array(fibre_rtt_ms, dtype=float, copy=True)
    np.fill_diagonal(fd, 2.0 * node_latency_ms)
    pn = np.min(acc[:, :, None] + fd[None, :, :], axis=1) if m else np.zeros((0, n))
    pp = np.min(pn[:, None, :] + acc[None, :, :], axis=2) if m else np.zeros((0, 0))
    if direct is not None:  # points within direct_km joined directly (_direct_km)
        t_d = one_way_delay_ms(np.where(np.isfinite(direct), direct, 0.0) * factor, group_index)
        pp = np.where(np.isfinite(direct),
                      np.minimum(pp, 2.0 * (t_d + 2.0 * node_latency_ms)), pp)
    np.fill_diagonal(pp, 0.0)
    return np.block([[np.asarray(fibre_rtt_ms, dtype=float), pn.T], [pn, pp]])


def meeting_labels(r: RoutedRtt) -> np.ndarray:
    """Per pair: the meeting hub id, ``"h>k"`` for transit between two hubs, ``"h|k"`` when
    the two directions meet at different hubs (``preferred_upstream``), ``""`` none."""
    hubs = np.array([*r.hubs, ""], dtype=object)
    a = hubs[r.hub_a]  # index -1 picks the trailing ""
    b = hubs[r.hub_b]
    label = np.where(a == b, a, a + ">" + b)
    if r.asymmetric is not None:
        label = np.where(r.asymmetric, a + "|" + b, label)
    return label


def resolve_node(corridor: Corridor, name: str, *, what: str) -> str:
    """A corridor node id from an id or a display name (case-insensitive)."""
    key = name.strip().casefold()
    for n in corridor.nodes:
        if key in (n.id.casefold(), n.name.casefold(), n.id.replace("_", " ").casefold()):
            return n.id
    raise NetworkError(f"{what}: unknown corridor node {name!r}")


def _leg(
    corridor: Corridor, graph: nx.Graph, a: str, b: str, group_index: float, nl: float
) -> Path | None:
    from .latency import shortest_path

    if a == b:
        return None
    return shortest_path(corridor, a, b, group_index=group_index, node_latency_ms=nl, graph=graph)


@dataclass(frozen=True)
class PairLatency:
    """One city pair: the fibre-bound path and the as-routed path through the meeting hub(s)."""

    a: str
    b: str
    fibre: Path | None
    legs: tuple[Path, ...]
    hubs: tuple[str, ...]
    hub_allowance_ms: tuple[float, ...]
    fibre_rtt_ms: float | None
    routed_rtt_ms: float | None
    basis: str
    leg_share: float = 1.0
    """Share of each leg's fibre RTT in the routed RTT: 0.5 when the two directions take
    different hubs (the legs then hold both loops); ``hub_allowance_ms`` is already scaled."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "fibre_rtt_ms": self.fibre_rtt_ms,
            "routed_rtt_ms": self.routed_rtt_ms,
            "fibre_path": None if self.fibre is None else self.fibre.to_dict(),
            "routed": {
                "basis": self.basis,
                "leg_share": self.leg_share,
                "hubs": [
                    {"id": h, "allowance_ms": x}
                    for h, x in zip(self.hubs, self.hub_allowance_ms, strict=True)
                ],
                "legs": [leg.to_dict() for leg in self.legs],
            },
        }


def pair_latency(
    corridor: Corridor,
    graph: nx.Graph,
    inter: Interconnection,
    a: str,
    b: str,
    *,
    group_index: float,
    node_latency_ms: float,
) -> PairLatency:
    """Both paths of one pair, leg by leg, consistent with :func:`routed_rtt_matrix`.

    The as-routed RTT is the sum of the legs' fibre RTTs (each leg a lowest-latency corridor
    path) times ``leg_share`` and the allowances of the hubs where traffic is exchanged.
    """
    ids = corridor.node_ids
    if a == b:
        raise NetworkError(f"latency pair: both ends are {a!r}")
    fibre = fibre_rtt_matrix(graph, ids, node_latency_ms)
    routed = routed_rtt_matrix(fibre, ids, inter)
    i, j = ids.index(a), ids.index(b)
    direct = _leg(corridor, graph, a, b, group_index, node_latency_ms)
    ha, hb = int(routed.hub_a[i, j]), int(routed.hub_b[i, j])
    hubs: tuple[str, ...] = ()
    share = 1.0
    if not np.isfinite(routed.rtt_ms[i, j]):
        basis = "no path between the two cities' networks"
        stops = [a]
    elif ha < 0:
        basis = "same country: exchanged in-country (on-net)"
        stops = [a, b]
    elif ha == hb:
        hubs = (routed.hubs[ha],)
        basis = f"the networks of both ends meet at {routed.hubs[ha]}"
        stops = [a, routed.hubs[ha], b]
    elif routed.asymmetric is not None and routed.asymmetric[i, j]:
        hubs = (routed.hubs[ha], routed.hubs[hb])
        basis = (f"preferred upstreams: {a} hands over at {hubs[0]}, {b} at {hubs[1]}; the RTT "
                 "is one way out and one way back, half of each loop")
        stops = [a, hubs[0], b, hubs[1], a]
        share = 0.5
    else:
        hubs = (routed.hubs[ha], routed.hubs[hb])
        basis = f"no hub in common: transit from {routed.hubs[ha]} to {routed.hubs[hb]}"
        stops = [a, *hubs, b]
    legs = []
    for u, v in itertools.pairwise(stops):
        leg = _leg(corridor, graph, u, v, group_index, node_latency_ms)
        if leg is not None:
            legs.append(leg)
    f, r = float(fibre[i, j]), float(routed.rtt_ms[i, j])
    return PairLatency(
        a=a,
        b=b,
        fibre=direct,
        legs=tuple(legs),
        hubs=hubs,
        hub_allowance_ms=tuple(share * inter.hubs[h] for h in hubs),
        leg_share=share,
        fibre_rtt_ms=f if np.isfinite(f) else None,
        routed_rtt_ms=r if np.isfinite(r) else None,
        basis=basis,
    )


@dataclass(frozen=True)
class CorridorView:
    """One corridor variant with its graph, interconnection and all-pairs matrices."""

    label: str
    corridor: Corridor
    graph: Any
    interconnection: Interconnection
    fibre_rtt_ms: np.ndarray
    routed: RoutedRtt


def corridor_view(
    scenario: Any,
    *,
    line_length_km: float | None = UNSET,
    line: bool,
    digital_hub: bool = False,
    trans_caspian_length_km: float | None = UNSET,
) -> CorridorView:
    """The scenario's corridor with or without the line, as the latency commands use it.

    Parameters
    ----------
    scenario : Scenario
    line_length_km : float or None
        Cable length [km] (deprecated name: ``trans_caspian_length_km``); needed with the line
        (``None``: the landings' geodesic, used only when ``line`` is false, where the line is
        removed anyway).
    line : bool
        Keep the Trans-Caspian line (and its landing backhauls).
    digital_hub : bool
        Baku as an interconnection hub.
    """
    from .interconnect import interconnection
    from .topology import build_corridor, geodesic_km, simple_graph

    cfg = scenario.network
    a, b = scenario.landings.a, scenario.landings.b
    length = renamed(
        "line_length_km", line_length_km, "trans_caspian_length_km", trans_caspian_length_km
    )
    if length is None:
        length = float(geodesic_km(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg))
    corridor = build_corridor(
        cfg,
        line_length_km=length,
        line_landings_deg=((a.lat_deg, a.lon_deg), (b.lat_deg, b.lon_deg)),
    )
    tc = cfg.trans_caspian_link
    if not line:
        corridor = corridor.without(
            [lk.id for lk in corridor.links if lk.id == tc or lk.id.startswith(f"{tc}_landing_")]
        )
    graph = simple_graph(corridor, group_index=cfg.group_index, node_latency_ms=cfg.node_latency_ms)
    inter = interconnection(cfg.interconnection, corridor, digital_hub=digital_hub)
    fibre = fibre_rtt_matrix(graph, corridor.node_ids, cfg.node_latency_ms)
    label = ("with_line" if line else "without_line") + ("_digital_hub" if digital_hub else "")
    return CorridorView(
        label, corridor, graph, inter, fibre, routed_rtt_matrix(fibre, corridor.node_ids, inter)
    )
