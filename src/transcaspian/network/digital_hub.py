"""Latency as users see it across the corridor, and what a Baku interconnection hub changes.

Four combinations: the corridor without / with the Trans-Caspian line, times Baku as an
interconnection hub or not (:mod:`.interconnect`, ``digital_hub``). For each, the all-pairs
fibre-bound and as-routed RTT between corridor cities (:mod:`.routed_latency`); the city pairs
that gain and by how many ms; and the demand that would be exchanged in Baku instead of a far
hub (traffic kept local).

Gains as users feel them. A city pair *gains* in a combination when its as-routed RTT falls by
more than ``GAIN_MIN_MS`` from today's (no line, no hub). Each combination states how many pairs
gain, which, the median gain over them and the largest, each with a P10-P90 from the latency
calibration: the gain between the calibrated P10 RTTs (today's P10 minus the combination's)
and between the P90 RTTs. That assumes a pair keeps its place in the measured / model
distribution when its path changes (the same host routing before and after); with the pooled
factors it is the gain times the P10 and P90 factors.

Traffic kept local. A demand pair between a Western hub city ``w`` and a corridor PoP ``x`` is
content by ``cacheable_share`` (about 80 %: TeleGeography via Equinix 2021). That content is
served where the networks of ``x`` meet a copy of it at the lowest round trip: a hub in ``P(x)``
where ``w``'s networks are, or - with the Digital Hub - Baku, where global content providers
are present. When that place is Baku, ``cacheable_share`` of the pair's base-year demand is
exchanged in Baku instead of at the far hub. The flows are not re-solved: the kept-local part of
any flow that passed *through* Baku leaves the transit figure (it now ends in Baku), and
``handled_in_hub_tbps`` = remaining transit + traffic kept local. ``kept_local_on_line_tbps``
is the kept-local part of the flows on the Trans-Caspian line: traffic the line still carries but
that now ends in Baku (for the economics stage's split between transit and terminating traffic).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..records import quantity, text
from .calibration import load_calibration
from .config import NetworkConfig
from .demand import Demand
from .flows import FlowSolution
from .interconnect import Interconnection, interconnection, read_interconnection
from .results import AliasedRecord, CityPairGain, HubCombination
from .routed_latency import (
    LatencyMatrix,
    RoutedRtt,
    fibre_rtt_matrix,
    meeting_labels,
    routed_rtt_matrix,
)
from .topology import Corridor

COMBINATIONS: tuple[tuple[str, bool, bool], ...] = (
    ("without_line", False, False),
    ("with_line", True, False),
    ("without_line_digital_hub", False, True),
    ("with_line_digital_hub", True, True),
)
GAIN_MIN_MS = 0.5  # a pair "gains" when its as-routed RTT falls by more than this [ms]


@dataclass(frozen=True)
class DigitalHubResult(AliasedRecord):
    """The Digital Hub effect: per combination, the RTT gains and the traffic kept local."""

    hub: str | None = text("the Digital Hub node (null: the dataset names none)")
    cacheable_share: float = quantity("1", "share of West - corridor demand that is content",
                                      digits=None)
    traffic_kept_local_tbps: float = quantity(
        "Tbit/s", "base-year demand exchanged in the hub instead of far hubs, line + hub case",
        digits=None)
    combinations: tuple[HubCombination, ...] = text(
        "without / with the line x the hub as interconnection or not")
    gains: tuple[CityPairGain, ...] = text("city pairs that gain, largest gain first")

    def combination(self, name: str) -> HubCombination | None:
        """The combination called ``name`` (None: not computed)."""
        return next((c for c in self.combinations if c.name == name), None)

    def line_over_hub(self) -> tuple[int, float]:
        """City pairs the line speeds up by more than GAIN_MIN_MS over the hub alone, and the
        largest such extra gain [ms] (as routed, uncalibrated)."""
        extra = [
            (g.gain_ms_with_line_digital_hub or 0.0) - (g.gain_ms_without_line_digital_hub or 0.0)
            for g in self.gains
        ]
        return sum(x > GAIN_MIN_MS for x in extra), max(extra, default=0.0)

    def users_lines(self, names: dict[str, str]) -> list[str]:
        """What users get, as routed (plain text, one line each): the line alone, and the line
        with the hub (and the line's part of it)."""
        out = []
        alone = self.combination("with_line")
        if alone is not None:
            out.append("the line alone: " + effect_text(alone, names))
        both = self.combination("with_line_digital_hub")
        if both is not None and self.hub is not None:
            n, top = self.line_over_hub()
            out.append(
                f"the line with {names.get(self.hub, self.hub)} as an interconnection hub: "
                + effect_text(both, names)
                + (f" (the line's own part: {n} of them, up to {top:.1f} ms over the hub alone)"
                   if n else " (all of it from the hub; the line adds none)")
            )
        return out


@dataclass(frozen=True)
class UsersLatency:
    """The users' view of the corridor: the city matrix and the Digital Hub effect."""

    matrix: LatencyMatrix
    digital_hub: DigitalHubResult
    interconnection: Interconnection

    def to_dict(self) -> dict[str, Any]:
        return {
            "matrix": self.matrix.to_dict(),
            "digital_hub": self.digital_hub.to_dict(),
            "interconnection": self.interconnection.to_dict(),
        }


def corridor_rtt(
    config: NetworkConfig, corridor: Corridor, graph: Any, inter: Interconnection
) -> tuple[np.ndarray, RoutedRtt]:
    """Fibre-bound and as-routed RTT between all nodes of one corridor graph [ms]."""
    fibre = fibre_rtt_matrix(graph, corridor.node_ids, config.node_latency_ms)
    return fibre, routed_rtt_matrix(fibre, corridor.node_ids, inter)


def _content_site(
    x: int, w: int, fibre: np.ndarray, inter: Interconnection, ids: tuple[str, ...]
) -> str | None:
    """Where the networks of node ``x`` fetch content of node ``w`` (lowest RTT + allowance)."""
    sites = set(inter.presence.get(ids[w], ()))
    if inter.digital_hub is not None:
        sites.add(inter.digital_hub)
    best, where = np.inf, None
    for h in inter.presence.get(ids[x], ()):
        if h in sites:
            cost = fibre[x, ids.index(h)] + inter.hubs[h]
            if cost < best:
                best, where = cost, h
    return where


def _kept_local(
    config: NetworkConfig,
    corridor: Corridor,
    fibre: np.ndarray,
    inter: Interconnection,
    demand: Demand,
    flows: FlowSolution,
    transit_tbps: float,
) -> dict[str, float]:
    """Traffic kept local and the transit through the hub it leaves (module notes)."""
    hub = inter.digital_hub
    share = config.interconnection.cacheable_share
    if hub is None:
        return {
            "traffic_kept_local_tbps": 0.0,
            "kept_local_on_line_tbps": 0.0,
            "hub_transit_tbps": transit_tbps,
            "handled_in_hub_tbps": transit_tbps,
        }
    ids = corridor.node_ids
    west = set(config.demand.west_countries)
    country = {n.id: n.country for n in corridor.nodes}
    local_pairs: set[frozenset[str]] = set()
    kept = 0.0
    for (a, b), t in zip(demand.pairs, demand.tbps, strict=True):
        ends = [(a, b), (b, a)]
        for x, w in ends:
            if country[w] in west and country[x] not in west:
                if _content_site(ids.index(x), ids.index(w), fibre, inter, ids) == hub:
                    kept += share * float(t)
                    local_pairs.add(frozenset((a, b)))
                break
    hub_country = corridor.node(hub).country
    local = frozenset(n.id for n in corridor.nodes if n.country == hub_country)
    leaving = sum(
        share * f
        for nodes, f in flows.path_flows
        if frozenset((nodes[0], nodes[-1])) in local_pairs
        and hub in nodes[1:-1]
        and nodes[0] not in local
        and nodes[-1] not in local
    )
    remaining = max(transit_tbps - leaving, 0.0)
    line = [lk for lk in corridor.links if lk.id == config.trans_caspian_link]
    line_ends: set[tuple[str, str]] = (
        {(line[0].a, line[0].b), (line[0].b, line[0].a)} if line else set()
    )
    on_line = sum(
        (
            share * f
            for nodes, f in flows.path_flows
            if frozenset((nodes[0], nodes[-1])) in local_pairs
            and line_ends & set(itertools.pairwise(nodes))
        ),
        0.0,
    )
    return {
        "traffic_kept_local_tbps": kept,
        "kept_local_on_line_tbps": on_line,
        "hub_transit_tbps": remaining,
        "handled_in_hub_tbps": remaining + kept,
    }


def _city_ids(corridor: Corridor) -> list[int]:
    return [i for i, n in enumerate(corridor.nodes) if n.role == "pop"]


def analyse_users_latency(
    config: NetworkConfig,
    *,
    with_tc: Corridor,
    without_tc: Corridor,
    g_w: Any,
    g_wo: Any,
    demand: Demand,
    flows_w: FlowSolution,
    flows_wo: FlowSolution,
    transit_w: float,
    transit_wo: float,
) -> UsersLatency:
    """The city matrix in the four combinations and the Digital Hub effect.

    Parameters
    ----------
    config : NetworkConfig
    with_tc, without_tc : Corridor
        The corridor with and without the line (same nodes).
    g_w, g_wo : networkx.Graph
        Their simple-graph views (:func:`.topology.simple_graph`).
    demand : Demand
        Base-year gravity demand.
    flows_w, flows_wo : FlowSolution
        Base-year flows with and without the line.
    transit_w, transit_wo : float
        Transit through Baku with and without the line [Tbit/s].
    """
    ds = read_interconnection(config.interconnection.dataset)
    opts = config.interconnection
    has_hub = ds.digital_hub is not None
    inter = {
        dh: interconnection(opts, with_tc, digital_hub=dh, dataset=ds)
        for dh in ((False, True) if has_hub else (False,))
    }
    fibre = {
        True: fibre_rtt_matrix(g_w, with_tc.node_ids, config.node_latency_ms),
        False: fibre_rtt_matrix(g_wo, without_tc.node_ids, config.node_latency_ms),
    }
    cities = _city_ids(with_tc)
    sub = np.ix_(cities, cities)
    routed: dict[str, np.ndarray] = {}
    meeting: dict[str, np.ndarray] = {}
    traffic: dict[str, dict[str, Any]] = {}
    for label, line, dh in COMBINATIONS:
        if dh and not has_hub:
            continue
        r = routed_rtt_matrix(fibre[line], with_tc.node_ids, inter[dh])
        routed[label] = r.rtt_ms[sub]
        meeting[label] = meeting_labels(r)[sub]
        corr = with_tc if line else without_tc
        traffic[label] = _kept_local(
            config,
            corr,
            fibre[line],
            inter[dh],
            demand,
            flows_w if line else flows_wo,
            transit_w if line else transit_wo,
        )
    base = routed["without_line"]
    cal = load_calibration(config.latency_calibration)
    names = tuple(with_tc.nodes[i].name for i in cities)
    city_ids = tuple(with_tc.node_ids[i] for i in cities)
    matrix = LatencyMatrix(
        cities=city_ids,
        names=names,
        fibre_ms={"with_line": fibre[True][sub], "without_line": fibre[False][sub]},
        routed_ms=routed,
        meeting=meeting,
        calibration=cal.routed,
        calibration_record={"source": cal.source, "provenance": cal.provenance,
                            "cross_validated": cal.cross_validated},
    )
    stats = _gain_stats(routed, base, matrix.bands, city_ids)
    combos = tuple(
        HubCombination(name=label, line=line, digital_hub=dh, **traffic[label], **stats[label])
        for label, line, dh in COMBINATIONS
        if label in traffic
    )
    best = "with_line_digital_hub" if has_hub else "with_line"
    kept = next(c.traffic_kept_local_tbps for c in combos if c.name == best)
    return UsersLatency(
        matrix=matrix,
        digital_hub=DigitalHubResult(
            hub=ds.digital_hub.hub if ds.digital_hub else None,
            combinations=combos,
            gains=_gains(matrix, base),
            cacheable_share=opts.cacheable_share,
            traffic_kept_local_tbps=kept,
        ),
        interconnection=inter[has_hub],
    )


def _gain_stats(
    routed: dict[str, np.ndarray],
    base: np.ndarray,
    bands: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
    ids: tuple[str, ...],
) -> dict[str, dict[str, Any]]:
    """Per combination: the pairs gaining more than GAIN_MIN_MS (largest first), the median
    and largest gain with their P10 / P90 (module notes), the median RTT."""
    iu = np.triu_indices(base.shape[0], 1)
    out: dict[str, dict[str, Any]] = {}
    for name, other in routed.items():
        finite = np.isfinite(base) & np.isfinite(other)
        gain = np.where(finite, np.where(finite, base, 0.0) - np.where(finite, other, 0.0), np.nan)
        g = gain[iu]
        ok = np.isfinite(g)
        gaining = np.flatnonzero(ok & (g > GAIN_MIN_MS))
        gaining = gaining[np.argsort(-g[gaining], kind="stable")]
        d: dict[str, Any] = {
            "pairs_gaining": int(gaining.size),
            "median_routed_rtt_ms": float(np.median(other[iu][np.isfinite(other[iu])])),
            "max_gain_ms": float(np.max(g[ok], initial=0.0)),
            "pairs": int(ok.sum()),
            "gaining_pairs": tuple((ids[iu[0][k]], ids[iu[1][k]]) for k in gaining),
        }
        if gaining.size:
            d["median_gain_ms"] = float(np.median(g[gaining]))
            top = int(gaining[0])
            d["max_gain_pair"] = (ids[iu[0][top]], ids[iu[1][top]])
            if name in bands and "without_line" in bands:
                for q, k in (("p10", 0), ("p50", 1), ("p90", 2)):
                    with np.errstate(invalid="ignore"):  # inf - inf off the gaining pairs
                        gq = (bands["without_line"][k] - bands[name][k])[iu]
                    d[f"median_gain_{q}_ms"] = float(np.median(gq[gaining]))
                    d[f"max_gain_{q}_ms"] = float(gq[top])
        out[name] = d
    return out


def _gains(matrix: LatencyMatrix, base: np.ndarray) -> tuple[CityPairGain, ...]:
    """City pairs whose as-routed RTT falls in some combination, largest gain first."""
    out = []
    for i, j in itertools.combinations(range(len(matrix.cities)), 2):
        b = base[i, j]
        if not np.isfinite(b):
            continue
        row: dict[str, Any] = {}
        best = 0.0
        for name, m in matrix.routed_ms.items():
            if name == "without_line":
                continue
            v = float(m[i, j])
            row[f"gain_ms_{name}"] = float(b - v) if np.isfinite(v) else None
            row[f"meeting_hub_{name}"] = str(matrix.meeting[name][i, j])
            best = max(best, b - v if np.isfinite(v) else 0.0)
        if best > GAIN_MIN_MS:
            out.append(
                CityPairGain(
                    a=matrix.cities[i],
                    b=matrix.cities[j],
                    routed_rtt_ms_without_line=float(b),
                    meeting_hub_without_line=str(matrix.meeting["without_line"][i, j]),
                    best_gain_ms=best,
                    **{k: row.get(k) for k in _GAIN_COLUMNS},
                )
            )
    out.sort(key=lambda r: -r.best_gain_ms)
    return tuple(out)


def effect_text(c: HubCombination, names: dict[str, str], *, list_pairs: int = 3) -> str:
    """What one combination gives users, as routed (module notes), in plain text: the pairs
    that gain, the median and largest gain as calibrated P50 with P10-P90 [ms]."""

    def pair(p: tuple[str, str]) -> str:
        return f"{names.get(p[0], p[0])}-{names.get(p[1], p[1])}"

    if not c.pairs_gaining:
        return f"no city pair gains (0 of {c.pairs})"
    if c.median_gain_p50_ms is None:  # no calibration
        return (f"{c.pairs_gaining} of {c.pairs} city pairs gain, median {c.median_gain_ms:.1f} "
                f"ms, up to {c.max_gain_ms:.1f} ms")
    shown = ", ".join(pair(p) for p in c.gaining_pairs[:list_pairs])
    more = f" and {c.pairs_gaining - list_pairs} more" if c.pairs_gaining > list_pairs else ""
    return (
        f"{c.pairs_gaining} of {c.pairs} city pairs gain, median {c.median_gain_p50_ms:.1f} ms "
        f"(P10-P90 {c.median_gain_p10_ms:.1f}-{c.median_gain_p90_ms:.1f}), up to "
        f"{c.max_gain_p50_ms:.1f} ms ({c.max_gain_p10_ms:.1f}-{c.max_gain_p90_ms:.1f}); "
        f"{shown}{more}"
    )


_GAIN_COLUMNS = tuple(
    f"{what}_{name}"
    for name, _line, _dh in COMBINATIONS
    if name != "without_line"
    for what in ("gain_ms", "meeting_hub")
)
