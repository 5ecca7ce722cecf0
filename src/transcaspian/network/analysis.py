"""The network stage: what the Trans-Caspian line changes for the Europe - Asia corridor.

:func:`analyse_corridor` builds the corridor graph twice - with the line (its length from the
route stage) and without it - and compares latency, SRLG-disjoint diversity, cuts, flows,
transit through the hub (Baku) and the year each link saturates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from ..errors import NetworkError
from .config import NetworkConfig
from .demand import Demand, gravity_demand
from .digital_hub import DigitalHubResult, UsersLatency, analyse_users_latency
from .diversity import DisjointPair, pair_in_subgraph, primary_and_backup, srlg_disjoint_pair
from .flows import (
    FlowSolution,
    candidate_paths,
    saturation_years,
    solve_flows,
    surviving_candidates,
)
from .latency import Path, k_shortest_paths
from .resilience import CutImpact, evaluate_cut, links_cut, rtt_between, single_srlg_scenarios
from .results import (
    AvoidingDiversity,
    BackupGainAvoiding,
    CorridorSettings,
    CorridorSummary,
    CutRow,
    CutSide,
    DiversityRow,
    LatencyRow,
    LineInfo,
    LinkFlow,
    PairGain,
    PairIncrease,
    SaturationRow,
)
from .routed_latency import LatencyMatrix
from .topology import UNSET, Corridor, build_corridor, renamed, simple_graph


@dataclass(frozen=True)
class CorridorResult:
    """Everything the network stage found; ``to_dict()`` is the JSON of ``transcaspian network``.

    The tables are typed records (:mod:`.results`). The studied line's attributes are
    ``line_*`` and the transit through the hub node ``hub_transit_tbps*``; the old names
    (``trans_caspian_*``, ``transit_through_baku_tbps*``) are read-only aliases kept for one
    release.
    """

    corridor: Corridor
    line_link: str
    line_length_km: float
    line_capacity_tbps: float
    latency: tuple[LatencyRow, ...]
    diversity: tuple[DiversityRow, ...]
    cuts: tuple[CutRow, ...]
    flows_with: FlowSolution
    flows_without: FlowSolution
    hub_transit_tbps: float
    """Base-year transit through ``hub_node`` with the line [Tbit/s]."""
    hub_transit_tbps_without: float
    """Same, without the line [Tbit/s]."""
    hub_node: str
    saturation: tuple[SaturationRow, ...]
    demand: Demand
    base_year: int
    horizon_year: int
    connected_only_by_line: tuple[tuple[str, str], ...] = ()
    settings: CorridorSettings | None = None
    users: UsersLatency | None = None
    """Latency as users see it: city RTT matrix, interconnection hubs, the Digital Hub effect."""

    # ---- deprecated aliases (kept for one release) ----

    @property
    def trans_caspian_link(self) -> str:
        """Deprecated alias of :attr:`line_link`."""
        return self.line_link

    @property
    def trans_caspian_length_km(self) -> float:
        """Deprecated alias of :attr:`line_length_km`."""
        return self.line_length_km

    @property
    def trans_caspian_capacity_tbps(self) -> float:
        """Deprecated alias of :attr:`line_capacity_tbps`."""
        return self.line_capacity_tbps

    @property
    def transit_through_baku_tbps(self) -> float:
        """Deprecated alias of :attr:`hub_transit_tbps`."""
        return self.hub_transit_tbps

    @property
    def transit_through_baku_tbps_without(self) -> float:
        """Deprecated alias of :attr:`hub_transit_tbps_without`."""
        return self.hub_transit_tbps_without

    @property
    def saturation_year(self) -> dict[str, int | None]:
        """Year each link fills with the line (link id -> year or ``None``)."""
        return {r.link: r.year for r in self.saturation}

    @property
    def saturation_year_without(self) -> dict[str, int | None]:
        """Year each link fills without the line (``None`` also for the line's own links)."""
        return {r.link: r.year_without_line for r in self.saturation}

    @property
    def digital_hub(self) -> DigitalHubResult | None:
        """The Digital Hub effect (``traffic_kept_local_tbps`` feeds the economics volumes)."""
        return None if self.users is None else self.users.digital_hub

    @property
    def latency_matrix(self) -> LatencyMatrix | None:
        """All-pairs RTT between corridor cities, fibre bound and as-routed."""
        return None if self.users is None else self.users.matrix

    def latency_matrix_csv(self) -> str:
        """The city RTT matrix as CSV (``latency_matrix.csv`` of the output folder)."""
        return "" if self.users is None else self.users.matrix.to_csv()

    def _line_ends(self) -> tuple[str, ...]:
        """Node ids the line joins (the scenario's landings snapped to corridor nodes)."""
        for lk in self.corridor.links:
            if lk.id == self.line_link:
                return (lk.a, lk.b)
        return ()

    @property
    def line(self) -> LineInfo:
        """The studied line: link id, ends, length and capacity."""
        return LineInfo(
            link=self.line_link,
            ends=self._line_ends(),
            length_km=self.line_length_km,
            capacity_tbps=self.line_capacity_tbps,
        )

    def link_flows(self) -> tuple[LinkFlow, ...]:
        """Base-year flow on every link, busiest first."""
        lk = {x.id: x for x in self.corridor.links}
        return tuple(
            LinkFlow(
                link=lid,
                system=lk[lid].system,
                utilisation=u,
                utilisation_without_line=self.flows_without.link_utilisation.get(lid),
                flow_tbps=self.flows_with.link_flow_tbps[lid],
                capacity_tbps=lk[lid].capacity_tbps,
                capacity_is_estimate=lk[lid].capacity_is_estimate,
            )
            for lid, u in sorted(self.flows_with.link_utilisation.items(), key=lambda kv: -kv[1])
        )

    def summary(self) -> CorridorSummary:
        """Headline numbers: what the line changes."""
        faster = [r for r in self.latency if (r.gain_ms or 0.0) > 0.05]
        best = max(faster, key=lambda r: r.gain_ms or 0.0, default=None)

        def backup_gain(r: DiversityRow | AvoidingDiversity) -> float | None:
            if r.secondary_rtt_ms is None or r.secondary_rtt_ms_without_line is None:
                return None
            return r.secondary_rtt_ms_without_line - r.secondary_rtt_ms

        backup = [(g, r) for r in self.diversity if (g := backup_gain(r)) is not None and g > 0.5]
        best_backup = max(backup, key=lambda t: t[0], default=None)
        av_gain = [
            (g, r)
            for r in self.diversity
            if r.avoiding is not None and (g := backup_gain(r.avoiding)) is not None
        ]
        best_av = max(av_gain, key=lambda t: t[0], default=None)
        red = next((c for c in self.cuts if c.name == "red_sea_2024"), None)
        full_w = sum(u >= 0.999 for u in self.flows_with.link_utilisation.values())
        full_wo = sum(u >= 0.999 for u in self.flows_without.link_utilisation.values())
        first_av = self.diversity[0].avoiding if self.diversity else None
        best_backup_avoiding = None
        if best_av is not None and best_av[0] > 0.5 and best_av[1].avoiding is not None:
            av = best_av[1].avoiding
            best_backup_avoiding = BackupGainAvoiding(
                a=best_av[1].a,
                b=best_av[1].b,
                gain_ms=best_av[0],
                backup_rtt_ms=av.secondary_rtt_ms,
                backup_rtt_ms_without_line=av.secondary_rtt_ms_without_line,
            )
        return CorridorSummary(
            pairs=len(self.latency),
            pairs_faster=len(faster),
            best_gain=None
            if best is None or best.gain_ms is None
            else PairGain(a=best.a, b=best.b, gain_ms=best.gain_ms),
            pairs_with_faster_backup=len(backup),
            best_backup_gain=None
            if best_backup is None
            else PairGain(a=best_backup[1].a, b=best_backup[1].b, gain_ms=best_backup[0]),
            demand_pairs_connected_only_by_the_line=self.connected_only_by_line,
            diversity_created=tuple((r.a, r.b) for r in self.diversity if r.created_by_line),
            diversity_avoiding_srlgs=() if first_av is None else first_av.srlgs,
            best_backup_gain_avoiding=best_backup_avoiding,
            diversity_created_avoiding=tuple(
                (r.a, r.b)
                for r in self.diversity
                if r.avoiding is not None and r.avoiding.created_by_line
            ),
            hub_transit_tbps=self.hub_transit_tbps,
            hub_transit_tbps_without=self.hub_transit_tbps_without,
            unserved_tbps=self.flows_with.unserved_tbps,
            unserved_tbps_without_line=self.flows_without.unserved_tbps,
            red_sea_2024_extra_unserved_tbps=None
            if red is None
            else red.with_line.extra_unserved_tbps,
            red_sea_2024_extra_unserved_tbps_without_line=None
            if red is None or red.without_line is None
            else red.without_line.extra_unserved_tbps,
            links_full_base_year=full_w,
            links_full_base_year_without_line=full_wo,
        )

    def to_dict(self) -> dict[str, Any]:
        """The stage's JSON: the records' ``to_dict()`` and the corridor, demand and users.

        Renamed keys (``line``, ``hub_transit_tbps*``, ``*_without_line``) are followed by
        their old key with the same value (kept for one release).
        """
        line = self.line.to_dict()
        return {
            "line": line,
            "trans_caspian": line,
            "settings": {} if self.settings is None else self.settings.to_dict(),
            "summary": self.summary().to_dict(),
            "latency": [r.to_dict() for r in self.latency],
            "diversity": [r.to_dict() for r in self.diversity],
            "cuts": [c.to_dict() for c in self.cuts],
            "flows": [f.to_dict() for f in self.link_flows()],
            "base_year": self.base_year,
            "demand": self.demand.to_dict(),
            "unserved_tbps": self.flows_with.unserved_tbps,
            "unserved_tbps_without_line": self.flows_without.unserved_tbps,
            "unserved_tbps_without_trans_caspian": self.flows_without.unserved_tbps,
            "hub_node": self.hub_node,
            "hub_transit_tbps": self.hub_transit_tbps,
            "transit_through_baku_tbps": self.hub_transit_tbps,
            "hub_transit_tbps_without": self.hub_transit_tbps_without,
            "transit_through_baku_tbps_without_trans_caspian": self.hub_transit_tbps_without,
            "saturation_years": [r.to_dict() for r in self.saturation],
            "corridor": self.corridor.to_dict(),
            **({} if self.users is None else self.users.to_dict()),
        }


RENAMED_TOP_LEVEL_KEYS: tuple[tuple[str, str], ...] = (
    ("line", "trans_caspian"),
    ("unserved_tbps_without_line", "unserved_tbps_without_trans_caspian"),
    ("hub_transit_tbps", "transit_through_baku_tbps"),
    ("hub_transit_tbps_without", "transit_through_baku_tbps_without_trans_caspian"),
)
"""``(new, old)`` keys of :meth:`CorridorResult.to_dict` itself (the records list their own)."""


def _latency_row(a: str, b: str, paths_w: list[Path], paths_wo: list[Path]) -> LatencyRow:
    best_w = paths_w[0] if paths_w else None
    best_wo = paths_wo[0] if paths_wo else None
    rtt = best_w.rtt_ms if best_w else None
    rtt_wo = best_wo.rtt_ms if best_wo else None
    return LatencyRow(
        a=a,
        b=b,
        rtt_ms=rtt,
        rtt_ms_without_line=rtt_wo,
        gain_ms=(rtt_wo - rtt) if rtt is not None and rtt_wo is not None else None,
        one_way_ms=best_w.one_way_ms if best_w else None,
        length_km=best_w.length_km if best_w else None,
        path=best_w.nodes if best_w else (),
        path_without_line=best_wo.nodes if best_wo else (),
        links=best_w.links if best_w else (),
        k_paths=tuple(paths_w),
    )


@dataclass(frozen=True)
class _Views:
    """The corridor with and without the line, and their simple-graph views."""

    with_tc: Corridor
    without_tc: Corridor
    g_w: Any
    g_wo: Any


def _corridor_views(
    config: NetworkConfig,
    line_length_km: float,
    line_capacity_tbps: float | None,
    line_landings_deg: tuple[tuple[float, float], tuple[float, float]] | None,
    line_landing_names: tuple[str, str] | None = None,
) -> _Views:
    """Build the corridor (with any TeleGeography import) with and without the line."""
    extra = None
    if config.telegeography is not None:
        from .telegeography import read_telegeography
        from .topology import read_dataset

        anchors = tuple(read_dataset(config.dataset).nodes) + tuple(config.extra_nodes)
        extra = read_telegeography(config.telegeography, anchors)
    with_tc = build_corridor(
        config,
        line_length_km=line_length_km,
        line_capacity_tbps=line_capacity_tbps,
        extra=extra,
        line_landings_deg=line_landings_deg,
        line_landing_names=line_landing_names,
    )
    tc_id = config.trans_caspian_link
    without_tc = with_tc.without(
        [lk.id for lk in with_tc.links if lk.id == tc_id or lk.id.startswith(f"{tc_id}_landing_")]
    )
    gi, nl = config.group_index, config.node_latency_ms
    g_w = simple_graph(with_tc, group_index=gi, node_latency_ms=nl)
    g_wo = simple_graph(without_tc, group_index=gi, node_latency_ms=nl)
    ids = set(with_tc.node_ids)
    for a, b in config.latency_pairs:
        for n in (a, b):
            if n not in ids:
                raise NetworkError(f"network.latency_pairs: unknown node {n!r}")
    if config.hub_node not in ids:
        raise NetworkError(f"network.hub_node: unknown node {config.hub_node!r}")
    return _Views(with_tc, without_tc, g_w, g_wo)


def _latency_and_diversity(
    config: NetworkConfig, v: _Views
) -> tuple[list[LatencyRow], list[DiversityRow]]:
    """Per latency pair: k shortest paths and the SRLG-disjoint pair, with and without the line.

    Diversity is also computed on the graph without the avoided groups (e.g. Russia).
    """
    gi, nl = config.group_index, config.node_latency_ms
    with_tc, without_tc = v.with_tc, v.without_tc
    avoid = [lk.id for lk in with_tc.links if set(lk.srlgs) & set(config.diversity_avoid_srlgs)]
    avoid_w, avoid_wo = with_tc.without(avoid), without_tc.without(avoid)
    latency, diversity = [], []

    def pair(
        known: DisjointPair | None, sup: Corridor, sub: Corridor, a: str, b: str
    ) -> DisjointPair | None:
        # a subgraph's pair follows from its supergraph's when that one avoids the removed links
        follows, answer = pair_in_subgraph(known, sup, sub)
        if follows:
            return answer
        return srlg_disjoint_pair(sub, a, b, group_index=gi, node_latency_ms=nl)

    for a, b in config.latency_pairs:
        pw = k_shortest_paths(
            with_tc, a, b, config.k_paths, group_index=gi, node_latency_ms=nl, graph=v.g_w
        )
        pwo = k_shortest_paths(
            without_tc, a, b, config.k_paths, group_index=gi, node_latency_ms=nl, graph=v.g_wo
        )
        latency.append(_latency_row(a, b, pw, pwo))
        dw = srlg_disjoint_pair(with_tc, a, b, group_index=gi, node_latency_ms=nl)
        dwo = pair(dw, with_tc, without_tc, a, b)
        pb = primary_and_backup(
            with_tc, pw[0] if pw else None, dw, group_index=gi, node_latency_ms=nl
        )
        pb_wo = primary_and_backup(
            without_tc, pwo[0] if pwo else None, dwo, group_index=gi, node_latency_ms=nl
        )
        avoiding = None
        if avoid:
            aw = pair(dw, with_tc, avoid_w, a, b)
            awo = pair(aw, avoid_w, avoid_wo, a, b)
            avoiding = AvoidingDiversity(
                srlgs=tuple(config.diversity_avoid_srlgs),
                secondary_rtt_ms=aw.secondary.rtt_ms if aw else None,
                secondary_rtt_ms_without_line=awo.secondary.rtt_ms if awo else None,
                created_by_line=aw is not None and awo is None,
            )
        diversity.append(
            DiversityRow(
                a=a,
                b=b,
                disjoint_pair=dw,
                disjoint_pair_without_line=dwo,
                secondary_rtt_ms=dw.secondary.rtt_ms if dw else None,
                secondary_rtt_ms_without_line=dwo.secondary.rtt_ms if dwo else None,
                created_by_line=dw is not None and dwo is None,
                primary=pb.primary,
                backup=pb.backup,
                primary_rtt_ms=pb.primary_rtt_ms,
                backup_rtt_ms=pb.backup_rtt_ms,
                primary_is_shortest=pb.primary_is_shortest,
                primary_basis=pb.primary_basis,
                backup_rtt_ms_without_line=pb_wo.backup_rtt_ms,
                avoiding=avoiding,
            )
        )
    return latency, diversity


def _pairs_only_by_line(demand: Demand, v: _Views) -> list[tuple[str, str]]:
    """Demand pairs the line alone connects; refuse a demand pair disconnected even with it."""
    import networkx as nx

    comp = {n: i for i, c in enumerate(nx.connected_components(v.g_w)) for n in c}
    comp_wo = {n: i for i, c in enumerate(nx.connected_components(v.g_wo)) for n in c}
    only_by_line = []
    for (a, b), t in zip(demand.pairs, demand.tbps, strict=True):
        if t > 0 and comp[a] != comp[b]:
            raise NetworkError(
                f"demand pair ({a}, {b}): the nodes are not connected in the corridor graph"
            )
        if comp_wo[a] != comp_wo[b]:
            only_by_line.append((a, b))
    return only_by_line


class _Solver(Protocol):
    def __call__(
        self,
        base_cands: list[list[tuple[str, ...]]],
        year: int,
        *,
        intact: bool = False,
        hops_cache: dict[tuple[str, ...], list[int]] | None = None,
    ) -> Callable[[Any, Corridor], FlowSolution]: ...


def _flow_solver(config: NetworkConfig, demand: Demand, caps: dict[str, float]) -> _Solver:
    """``solver(candidates, year)`` -> a function solving the flows of that year on a graph.

    ``intact=True``: the candidates are known to lie in the graph (columns of an earlier solve
    on it), so the survival check is skipped; ``hops_cache`` is passed to :func:`solve_flows`.
    """
    k = config.k_paths

    def solver(
        base_cands: list[list[tuple[str, ...]]],
        year: int,
        *,
        intact: bool = False,
        hops_cache: dict[tuple[str, ...], list[int]] | None = None,
    ) -> Callable[[Any, Corridor], FlowSolution]:
        dem = demand.scaled(year)

        def solve(graph: Any, _corr: Corridor) -> FlowSolution:
            cands = (
                base_cands if intact else surviving_candidates(graph, demand.pairs, base_cands, k)
            )
            return solve_flows(
                graph,
                demand.pairs,
                dem,
                cands,
                link_capacity_tbps=caps,
                unserved_penalty_ms=config.unserved_penalty_ms,
                column_generation=config.column_generation,
                hops_cache=hops_cache,
            )

        return solve

    return solver


@dataclass(frozen=True)
class _FlowStudy:
    """Base-year flows with and without the line, their warm-start columns, transit, saturation."""

    solver: _Solver
    base_year: int
    flows_w: FlowSolution
    flows_wo: FlowSolution
    cand_w: list[list[tuple[str, ...]]]
    cand_wo: list[list[tuple[str, ...]]]
    transit_w: float
    transit_wo: float
    sat_w: dict[str, int | None]
    sat_wo: dict[str, int | None]


def _flow_study(config: NetworkConfig, v: _Views, demand: Demand) -> _FlowStudy:
    """Solve the base-year flows, the transit through the hub and the year each link fills."""
    with_tc, without_tc = v.with_tc, v.without_tc
    caps = {lk.id: lk.capacity_tbps for lk in with_tc.links}
    k = config.k_paths
    solver = _flow_solver(config, demand, caps)
    cand_w = candidate_paths(v.g_w, demand.pairs, k)
    cand_wo = candidate_paths(v.g_wo, demand.pairs, k)
    base_year = config.demand.base_year
    flows_w = solver(cand_w, base_year)(v.g_w, with_tc)
    flows_wo = solver(cand_wo, base_year)(v.g_wo, without_tc)
    # warm start: the columns the base solve generated seed every later solve
    cand_w = [list(c) for c in flows_w.columns]
    cand_wo = [list(c) for c in flows_wo.columns]
    hub_country = with_tc.node(config.hub_node).country
    local = frozenset(n.id for n in with_tc.nodes if n.country == hub_country)
    years = list(range(base_year, config.demand.horizon_year + 1))
    # a converged base solve, re-run from its own columns, repeats its last LP: reuse it.
    # Every later year runs on the same intact graph from those columns (all still in it).
    hops_w: dict[tuple[str, ...], list[int]] = {}
    hops_wo: dict[tuple[str, ...], list[int]] = {}
    sat_w = saturation_years(
        lambda y: solver(cand_w, y, intact=True, hops_cache=hops_w)(v.g_w, with_tc),
        years,
        [lk.id for lk in with_tc.links],
        known={base_year: flows_w} if flows_w.converged else None,
    )
    sat_wo = saturation_years(
        lambda y: solver(cand_wo, y, intact=True, hops_cache=hops_wo)(v.g_wo, without_tc),
        years,
        [lk.id for lk in without_tc.links],
        known={base_year: flows_wo} if flows_wo.converged else None,
    )
    return _FlowStudy(
        solver=solver,
        base_year=base_year,
        flows_w=flows_w,
        flows_wo=flows_wo,
        cand_w=cand_w,
        cand_wo=cand_wo,
        transit_w=flows_w.transit_tbps(config.hub_node, local),
        transit_wo=flows_wo.transit_tbps(config.hub_node, local),
        sat_w=sat_w,
        sat_wo=sat_wo,
    )


def _skip_idle_cut(
    solve: Callable[[Any, Corridor], FlowSolution], base: FlowSolution, cut: Sequence[str]
) -> Callable[[Any, Corridor], FlowSolution]:
    """``solve``, or the base-year solution when the cut only removes idle links.

    Speed-up (exact): a converged base solve is optimal over every path of the intact graph.
    When no cut link's bundle carries flow, that solution is still feasible after the cut, and
    the cut only removes paths or makes them longer, so it stays optimal: the LP is skipped.
    """
    idle = base.converged and all(
        base.link_flow_tbps.get(lid, 0.0) == 0.0 and base.link_utilisation.get(lid, 0.0) == 0.0
        for lid in cut
    )
    if not idle:
        return solve

    def reuse(_graph: Any, _corr: Corridor) -> FlowSolution:
        return base

    return reuse


def _cut_table(
    config: NetworkConfig,
    v: _Views,
    solve_w: Callable[[Any, Corridor], FlowSolution],
    solve_wo: Callable[[Any, Corridor], FlowSolution],
    flows_w: FlowSolution,
    flows_wo: FlowSolution,
) -> list[CutRow]:
    """Every named cut (and every single SRLG when asked), with and without the line."""
    gi, nl = config.group_index, config.node_latency_ms
    with_tc, without_tc = v.with_tc, v.without_tc
    base_rtt_w = rtt_between(v.g_w, config.latency_pairs, nl)
    base_rtt_wo = rtt_between(v.g_wo, config.latency_pairs, nl)
    scenarios = list(config.cut_scenarios)
    if config.all_single_srlg_cuts:
        scenarios += list(single_srlg_scenarios(with_tc, include_links=config.single_link_cuts))
    elif config.single_link_cuts:
        scenarios += [sc for sc in single_srlg_scenarios(with_tc, include_links=True) if sc.links]
    cuts = []
    for sc in scenarios:
        cut_w = links_cut(with_tc, sc)
        cut_wo = links_cut(without_tc, sc)
        if not cut_w:
            raise NetworkError(f"network.cut_scenarios: {sc.name} cuts no link of the corridor")
        imp_w = evaluate_cut(
            with_tc,
            cut_w,
            group_index=gi,
            node_latency_ms=nl,
            latency_pairs=config.latency_pairs,
            base_rtt_ms=base_rtt_w,
            solve=_skip_idle_cut(solve_w, flows_w, cut_w),
        )
        imp_wo: CutImpact | None = None
        if cut_wo:
            imp_wo = evaluate_cut(
                without_tc,
                cut_wo,
                group_index=gi,
                node_latency_ms=nl,
                latency_pairs=config.latency_pairs,
                base_rtt_ms=base_rtt_wo,
                solve=_skip_idle_cut(solve_wo, flows_wo, cut_wo),
            )
        cuts.append(
            CutRow(
                name=sc.name,
                description=sc.description,
                named=sc in config.cut_scenarios,
                source=sc.source,
                with_line=_cut_side(imp_w, flows_w),
                without_line=None if imp_wo is None else _cut_side(imp_wo, flows_wo),
            )
        )
    return cuts


def _cut_side(imp: CutImpact, base: FlowSolution) -> CutSide:
    """The record of one cut's impact, with the unserved demand it adds to ``base``."""
    return CutSide(
        links_cut=imp.links_cut,
        disconnected_pairs=imp.disconnected_pairs,
        unserved_tbps=imp.unserved_tbps,
        unserved_fraction=imp.unserved_tbps / imp.demand_tbps if imp.demand_tbps else 0.0,
        max_rtt_increase_ms=imp.max_rtt_increase_ms,
        rtt_increase_ms=tuple(
            PairIncrease(a=a, b=b, ms=v) for (a, b), v in imp.rtt_increase_ms.items()
        ),
        extra_unserved_tbps=imp.unserved_tbps - base.unserved_tbps,
    )


class _Here:
    """``fn()`` computed here, when its result is asked for (the serial ``beside``)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self._fn = fn

    def result(self) -> Any:
        return self._fn()

    def cancel(self) -> None:
        """Nothing runs elsewhere."""


def analyse_corridor(
    config: NetworkConfig,
    *,
    line_length_km: float = UNSET,
    line_capacity_tbps: float | None = UNSET,
    line_landings_deg: tuple[tuple[float, float], tuple[float, float]] | None = UNSET,
    line_landing_names: tuple[str, str] | None = UNSET,
    trans_caspian_length_km: float = UNSET,
    trans_caspian_capacity_tbps: float | None = UNSET,
    trans_caspian_landings_deg: tuple[tuple[float, float], tuple[float, float]] | None = UNSET,
    trans_caspian_landing_names: tuple[str, str] | None = UNSET,
    beside: Callable[[Callable[[], Any]], Any] | None = None,
) -> CorridorResult:
    """Run the network stage.

    Parameters
    ----------
    config : NetworkConfig
        Corridor dataset, cuts, demand model, latency pairs.
    line_length_km : float
        Cable length of the studied line (``network.trans_caspian_link``, by default the
        Trans-Caspian line) from the route stage [km].
    line_capacity_tbps : float, optional
        Capacity of the line [Tbit/s] (e.g. the optics stage's end-of-life capacity); default:
        the dataset's estimate.
    line_landings_deg : ((lat, lon), (lat, lon)), optional
        The scenario's landing stations [deg]: each end snaps to a corridor node within 15 km or
        gets a new landing node with a backhaul link; default: the dataset's ends (Sumgayit,
        Aktau).
    line_landing_names : (str, str), optional
        The scenario's landing names, given to new landing nodes.
    trans_caspian_length_km, trans_caspian_capacity_tbps, trans_caspian_landings_deg, \
trans_caspian_landing_names
        Deprecated names of the four ``line_*`` keywords (kept for one release).

    beside : callable, optional
        ``beside(fn)`` returns a handle with ``result()`` and ``cancel()`` that computes ``fn()``
        (e.g. :class:`transcaspian._parallel.ForkedCall`, which the pipeline's spine passes);
        default: computed here when its result is asked for.

    Returns
    -------
    CorridorResult

    Raises
    ------
    NetworkError, DataError
        One line naming the field or file.
    """
    v = _corridor_views(
        config,
        renamed("line_length_km", line_length_km, "trans_caspian_length_km",
                trans_caspian_length_km),
        renamed("line_capacity_tbps", line_capacity_tbps, "trans_caspian_capacity_tbps",
                trans_caspian_capacity_tbps, None),
        renamed("line_landings_deg", line_landings_deg, "trans_caspian_landings_deg",
                trans_caspian_landings_deg, None),
        renamed("line_landing_names", line_landing_names, "trans_caspian_landing_names",
                trans_caspian_landing_names, None),
    )
    with_tc, without_tc = v.with_tc, v.without_tc
    # the latency and diversity tables (one SRLG-disjoint MILP per pair and variant) need only
    # the graphs: the caller's ``beside`` (the spine's forked call) may compute them in a
    # second process while this one solves the flows and cuts; same results either way
    lat_div = (beside or _Here)(lambda: _latency_and_diversity(config, v))
    try:
        # demand and flows
        demand = gravity_demand(with_tc, config.demand)
        only_by_line = _pairs_only_by_line(demand, v)
        fs = _flow_study(config, v, demand)
        cuts = _cut_table(
            config,
            v,
            fs.solver(fs.cand_w, fs.base_year),
            fs.solver(fs.cand_wo, fs.base_year),
            fs.flows_w,
            fs.flows_wo,
        )
    except BaseException:
        lat_div.cancel()
        raise
    latency, diversity = lat_div.result()
    flows_w, flows_wo = fs.flows_w, fs.flows_wo
    transit_w, transit_wo = fs.transit_w, fs.transit_wo
    base_year, k = fs.base_year, config.k_paths

    users = analyse_users_latency(
        config,
        with_tc=with_tc,
        without_tc=without_tc,
        g_w=v.g_w,
        g_wo=v.g_wo,
        demand=demand,
        flows_w=flows_w,
        flows_wo=flows_wo,
        transit_w=transit_w,
        transit_wo=transit_wo,
    )
    line = with_tc.link(config.trans_caspian_link)
    return CorridorResult(
        corridor=with_tc,
        line_link=line.id,
        line_length_km=line.length_km,
        line_capacity_tbps=line.capacity_tbps,
        latency=tuple(latency),
        diversity=tuple(diversity),
        cuts=tuple(cuts),
        flows_with=flows_w,
        flows_without=flows_wo,
        hub_transit_tbps=transit_w,
        hub_transit_tbps_without=transit_wo,
        hub_node=config.hub_node,
        saturation=tuple(
            SaturationRow(link=lid, year=y, year_without_line=fs.sat_wo.get(lid))
            for lid, y in fs.sat_w.items()
        ),
        demand=demand,
        base_year=base_year,
        horizon_year=config.demand.horizon_year,
        connected_only_by_line=tuple(only_by_line),
        settings=CorridorSettings(
            group_index=config.group_index,
            node_latency_ms=config.node_latency_ms,
            k_paths=k,
            growth_rate=config.demand.growth_rate,
            kbps_per_user=config.demand.kbps_per_user,
            total_demand_tbps_base_year=float(np.sum(demand.tbps)),
        ),
        users=users,
    )
