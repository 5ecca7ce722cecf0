"""The network stage: what the Trans-Caspian line changes for the Europe - Asia corridor.

:func:`analyse_corridor` builds the corridor graph twice - with the line (its length from the
route stage) and without it - and compares latency, SRLG-disjoint diversity, cuts, flows,
transit through the hub (Baku) and the year each link saturates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from ..errors import NetworkError
from .config import NetworkConfig
from .demand import Demand, gravity_demand
from .digital_hub import DigitalHubResult, UsersLatency, analyse_users_latency
from .diversity import DisjointPair, primary_and_backup, srlg_disjoint_pair
from .flows import (
    FlowSolution,
    candidate_paths,
    saturation_years,
    solve_flows,
    surviving_candidates,
)
from .latency import Path, k_shortest_paths
from .resilience import CutImpact, evaluate_cut, links_cut, rtt_between, single_srlg_scenarios
from .routed_latency import LatencyMatrix
from .topology import Corridor, build_corridor, simple_graph


@dataclass(frozen=True)
class CorridorResult:
    """Everything the network stage found; ``to_dict()`` is the JSON of ``transcaspian network``."""

    corridor: Corridor
    trans_caspian_link: str
    trans_caspian_length_km: float
    trans_caspian_capacity_tbps: float
    latency: tuple[dict[str, Any], ...]
    diversity: tuple[dict[str, Any], ...]
    cuts: tuple[dict[str, Any], ...]
    flows_with: FlowSolution
    flows_without: FlowSolution
    transit_through_baku_tbps: float
    transit_through_baku_tbps_without: float
    hub_node: str
    saturation_year: dict[str, int | None]
    saturation_year_without: dict[str, int | None]
    demand: Demand
    base_year: int
    horizon_year: int
    connected_only_by_line: tuple[tuple[str, str], ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    users: UsersLatency | None = None
    """Latency as users see it: city RTT matrix, interconnection hubs, the Digital Hub effect."""

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

    def _trans_caspian_ends(self) -> list[str]:
        """Node ids the line joins (the scenario's landings snapped to corridor nodes)."""
        for lk in self.corridor.links:
            if lk.id == self.trans_caspian_link:
                return [lk.a, lk.b]
        return []

    def summary(self) -> dict[str, Any]:
        """Headline numbers: what the line changes."""
        faster = [r for r in self.latency if (r["gain_ms"] or 0.0) > 0.05]
        best = max(faster, key=lambda r: r["gain_ms"], default=None)
        backup = [
            r
            for r in self.diversity
            if r["secondary_rtt_ms"] is not None
            and r["secondary_rtt_ms_without_trans_caspian"] is not None
            and r["secondary_rtt_ms_without_trans_caspian"] - r["secondary_rtt_ms"] > 0.5
        ]
        best_backup = max(
            backup,
            key=lambda r: r["secondary_rtt_ms_without_trans_caspian"] - r["secondary_rtt_ms"],
            default=None,
        )
        av_gain = [
            (
                r["avoiding"]["secondary_rtt_ms_without_trans_caspian"]
                - r["avoiding"]["secondary_rtt_ms"],
                r,
            )
            for r in self.diversity
            if r.get("avoiding")
            and r["avoiding"]["secondary_rtt_ms"] is not None
            and r["avoiding"]["secondary_rtt_ms_without_trans_caspian"] is not None
        ]
        best_av = max(av_gain, key=lambda t: t[0], default=None)
        red = next((c for c in self.cuts if c["name"] == "red_sea_2024"), None)
        full_w = sum(u >= 0.999 for u in self.flows_with.link_utilisation.values())
        full_wo = sum(u >= 0.999 for u in self.flows_without.link_utilisation.values())
        return {
            "pairs": len(self.latency),
            "pairs_faster": len(faster),
            "best_gain": None
            if best is None
            else {"a": best["a"], "b": best["b"], "gain_ms": best["gain_ms"]},
            "pairs_with_faster_backup": len(backup),
            "best_backup_gain": None
            if best_backup is None
            else {
                "a": best_backup["a"],
                "b": best_backup["b"],
                "gain_ms": best_backup["secondary_rtt_ms_without_trans_caspian"]
                - best_backup["secondary_rtt_ms"],
            },
            "demand_pairs_connected_only_by_the_line": [
                list(p) for p in self.connected_only_by_line
            ],
            "diversity_created": [
                [r["a"], r["b"]] for r in self.diversity if r["created_by_trans_caspian"]
            ],
            "diversity_avoiding_srlgs": self.diversity[0]["avoiding"]["srlgs"]
            if self.diversity and "avoiding" in self.diversity[0]
            else [],
            "best_backup_gain_avoiding": None
            if best_av is None or best_av[0] <= 0.5
            else {
                "a": best_av[1]["a"],
                "b": best_av[1]["b"],
                "gain_ms": best_av[0],
                "backup_rtt_ms": best_av[1]["avoiding"]["secondary_rtt_ms"],
                "backup_rtt_ms_without_trans_caspian": best_av[1]["avoiding"][
                    "secondary_rtt_ms_without_trans_caspian"
                ],
            },
            "diversity_created_avoiding": [
                [r["a"], r["b"]]
                for r in self.diversity
                if r.get("avoiding", {}).get("created_by_trans_caspian")
            ],
            "transit_through_baku_tbps": self.transit_through_baku_tbps,
            "transit_through_baku_tbps_without_trans_caspian": (
                self.transit_through_baku_tbps_without
            ),
            "unserved_tbps": self.flows_with.unserved_tbps,
            "unserved_tbps_without_trans_caspian": self.flows_without.unserved_tbps,
            "red_sea_2024_extra_unserved_tbps": None
            if red is None
            else red["with_trans_caspian"]["extra_unserved_tbps"],
            "red_sea_2024_extra_unserved_tbps_without_trans_caspian": None
            if red is None or red["without_trans_caspian"] is None
            else red["without_trans_caspian"]["extra_unserved_tbps"],
            "links_full_base_year": full_w,
            "links_full_base_year_without_trans_caspian": full_wo,
        }

    def to_dict(self) -> dict[str, Any]:
        lk = {x.id: x for x in self.corridor.links}
        flows = [
            {
                "link": lid,
                "system": lk[lid].system,
                "utilisation": u,
                "utilisation_without_trans_caspian": self.flows_without.link_utilisation.get(lid),
                "flow_tbps": self.flows_with.link_flow_tbps[lid],
                "capacity_tbps": lk[lid].capacity_tbps,
                "capacity_is_estimate": lk[lid].capacity_is_estimate,
            }
            for lid, u in sorted(self.flows_with.link_utilisation.items(), key=lambda kv: -kv[1])
        ]
        return {
            "trans_caspian": {
                "link": self.trans_caspian_link,
                "ends": self._trans_caspian_ends(),
                "length_km": self.trans_caspian_length_km,
                "capacity_tbps": self.trans_caspian_capacity_tbps,
            },
            "settings": self.settings,
            "summary": self.summary(),
            "latency": list(self.latency),
            "diversity": list(self.diversity),
            "cuts": list(self.cuts),
            "flows": flows,
            "base_year": self.base_year,
            "demand": self.demand.to_dict(),
            "unserved_tbps": self.flows_with.unserved_tbps,
            "unserved_tbps_without_trans_caspian": self.flows_without.unserved_tbps,
            "hub_node": self.hub_node,
            "transit_through_baku_tbps": self.transit_through_baku_tbps,
            "transit_through_baku_tbps_without_trans_caspian": (
                self.transit_through_baku_tbps_without
            ),
            "saturation_years": [
                {
                    "link": lid,
                    "year": y,
                    "year_without_trans_caspian": self.saturation_year_without.get(lid),
                }
                for lid, y in self.saturation_year.items()
            ],
            "corridor": self.corridor.to_dict(),
            **({} if self.users is None else self.users.to_dict()),
        }


def _pair_entry(a: str, b: str, paths_w: list[Path], paths_wo: list[Path]) -> dict[str, Any]:
    best_w = paths_w[0] if paths_w else None
    best_wo = paths_wo[0] if paths_wo else None
    rtt = best_w.rtt_ms if best_w else None
    rtt_wo = best_wo.rtt_ms if best_wo else None
    return {
        "a": a,
        "b": b,
        "rtt_ms": rtt,
        "rtt_ms_without_trans_caspian": rtt_wo,
        "gain_ms": (rtt_wo - rtt) if rtt is not None and rtt_wo is not None else None,
        "one_way_ms": best_w.one_way_ms if best_w else None,
        "length_km": best_w.length_km if best_w else None,
        "path": list(best_w.nodes) if best_w else [],
        "path_without_trans_caspian": list(best_wo.nodes) if best_wo else [],
        "links": list(best_w.links) if best_w else [],
        "k_paths": [p.to_dict() for p in paths_w],
    }


def _div_entry(a: str, b: str, w: DisjointPair | None, wo: DisjointPair | None) -> dict[str, Any]:
    return {
        "a": a,
        "b": b,
        "disjoint_pair": w.to_dict() if w else None,
        "disjoint_pair_without_trans_caspian": wo.to_dict() if wo else None,
        "secondary_rtt_ms": w.secondary.rtt_ms if w else None,
        "secondary_rtt_ms_without_trans_caspian": wo.secondary.rtt_ms if wo else None,
        "created_by_trans_caspian": w is not None and wo is None,
    }


@dataclass(frozen=True)
class _Views:
    """The corridor with and without the line, and their simple-graph views."""

    with_tc: Corridor
    without_tc: Corridor
    g_w: Any
    g_wo: Any


def _corridor_views(
    config: NetworkConfig,
    trans_caspian_length_km: float,
    trans_caspian_capacity_tbps: float | None,
    trans_caspian_landings_deg: tuple[tuple[float, float], tuple[float, float]] | None,
    trans_caspian_landing_names: tuple[str, str] | None = None,
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
        trans_caspian_length_km=trans_caspian_length_km,
        trans_caspian_capacity_tbps=trans_caspian_capacity_tbps,
        extra=extra,
        trans_caspian_landings_deg=trans_caspian_landings_deg,
        trans_caspian_landing_names=trans_caspian_landing_names,
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
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per latency pair: k shortest paths and the SRLG-disjoint pair, with and without the line.

    Diversity is also computed on the graph without the avoided groups (e.g. Russia).
    """
    gi, nl = config.group_index, config.node_latency_ms
    with_tc, without_tc = v.with_tc, v.without_tc
    avoid = [lk.id for lk in with_tc.links if set(lk.srlgs) & set(config.diversity_avoid_srlgs)]
    avoid_w, avoid_wo = with_tc.without(avoid), without_tc.without(avoid)
    latency, diversity = [], []
    for a, b in config.latency_pairs:
        pw = k_shortest_paths(
            with_tc, a, b, config.k_paths, group_index=gi, node_latency_ms=nl, graph=v.g_w
        )
        pwo = k_shortest_paths(
            without_tc, a, b, config.k_paths, group_index=gi, node_latency_ms=nl, graph=v.g_wo
        )
        latency.append(_pair_entry(a, b, pw, pwo))
        dw = srlg_disjoint_pair(with_tc, a, b, group_index=gi, node_latency_ms=nl)
        dwo = srlg_disjoint_pair(without_tc, a, b, group_index=gi, node_latency_ms=nl)
        entry = _div_entry(a, b, dw, dwo)
        entry.update(
            primary_and_backup(
                with_tc, pw[0] if pw else None, dw, group_index=gi, node_latency_ms=nl
            )
        )
        wo = primary_and_backup(
            without_tc, pwo[0] if pwo else None, dwo, group_index=gi, node_latency_ms=nl
        )
        entry["backup_rtt_ms_without_trans_caspian"] = wo["backup_rtt_ms"]
        if avoid:
            aw = srlg_disjoint_pair(avoid_w, a, b, group_index=gi, node_latency_ms=nl)
            awo = srlg_disjoint_pair(avoid_wo, a, b, group_index=gi, node_latency_ms=nl)
            entry["avoiding"] = {
                "srlgs": list(config.diversity_avoid_srlgs),
                "secondary_rtt_ms": aw.secondary.rtt_ms if aw else None,
                "secondary_rtt_ms_without_trans_caspian": awo.secondary.rtt_ms if awo else None,
                "created_by_trans_caspian": aw is not None and awo is None,
            }
        diversity.append(entry)
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
) -> list[dict[str, Any]]:
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
            {
                "name": sc.name,
                "description": sc.description,
                "named": sc in config.cut_scenarios,
                "source": sc.source,
                "with_trans_caspian": {
                    **imp_w.to_dict(),
                    "extra_unserved_tbps": imp_w.unserved_tbps - flows_w.unserved_tbps,
                },
                "without_trans_caspian": None
                if imp_wo is None
                else {
                    **imp_wo.to_dict(),
                    "extra_unserved_tbps": imp_wo.unserved_tbps - flows_wo.unserved_tbps,
                },
            }
        )
    return cuts


def analyse_corridor(
    config: NetworkConfig,
    *,
    trans_caspian_length_km: float,
    trans_caspian_capacity_tbps: float | None = None,
    trans_caspian_landings_deg: tuple[tuple[float, float], tuple[float, float]] | None = None,
    trans_caspian_landing_names: tuple[str, str] | None = None,
) -> CorridorResult:
    """Run the network stage.

    Parameters
    ----------
    config : NetworkConfig
        Corridor dataset, cuts, demand model, latency pairs.
    trans_caspian_length_km : float
        Cable length of the Trans-Caspian line from the route stage [km].
    trans_caspian_capacity_tbps : float, optional
        Capacity of the line [Tbit/s] (e.g. the optics stage's end-of-life capacity); default:
        the dataset's estimate.
    trans_caspian_landings_deg : ((lat, lon), (lat, lon)), optional
        The scenario's landing stations [deg]: each end snaps to a corridor node within 15 km or
        gets a new landing node with a backhaul link; default: the dataset's ends (Sumgayit,
        Aktau).
    trans_caspian_landing_names : (str, str), optional
        The scenario's landing names, given to new landing nodes.

    Returns
    -------
    CorridorResult

    Raises
    ------
    NetworkError, DataError
        One line naming the field or file.
    """
    v = _corridor_views(
        config, trans_caspian_length_km, trans_caspian_capacity_tbps, trans_caspian_landings_deg,
        trans_caspian_landing_names,
    )
    with_tc, without_tc = v.with_tc, v.without_tc
    from .._parallel import ForkedCall

    # the latency and diversity tables (one SRLG-disjoint MILP per pair and variant) need only
    # the graphs: a second process computes them while this one solves the flows and cuts
    # (same results, see transcaspian._parallel)
    lat_div = ForkedCall(lambda: _latency_and_diversity(config, v))
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
    tc = with_tc.link(config.trans_caspian_link)
    return CorridorResult(
        corridor=with_tc,
        trans_caspian_link=tc.id,
        trans_caspian_length_km=tc.length_km,
        trans_caspian_capacity_tbps=tc.capacity_tbps,
        latency=tuple(latency),
        diversity=tuple(diversity),
        cuts=tuple(cuts),
        flows_with=flows_w,
        flows_without=flows_wo,
        transit_through_baku_tbps=transit_w,
        transit_through_baku_tbps_without=transit_wo,
        hub_node=config.hub_node,
        saturation_year=fs.sat_w,
        saturation_year_without=fs.sat_wo,
        demand=demand,
        base_year=base_year,
        horizon_year=config.demand.horizon_year,
        connected_only_by_line=tuple(only_by_line),
        settings={
            "group_index": config.group_index,
            "node_latency_ms": config.node_latency_ms,
            "k_paths": k,
            "growth_rate": config.demand.growth_rate,
            "kbps_per_user": config.demand.kbps_per_user,
            "total_demand_tbps_base_year": float(np.sum(demand.tbps)),
        },
        users=users,
    )
