"""Availability of each city pair of the corridor, with and without the line.

Failure units: every link's own risk (``link:<id>``: Poisson faults along its length, or for the
Trans-Caspian line the reliability stage's own analytic unavailability) and every named
shared-risk group (SRLG) of two or more links, an event that cuts all its links at once, so shared
risk is counted instead of assuming independence. Units fail independently with steady-state
unavailability q = 1 − exp(−λ·MTTR). A pair is up when its two nodes are connected by the
surviving links (restoration over any surviving path, which includes the network stage's
SRLG-disjoint pairs).

All states with up to ``max_simultaneous_failures`` failed units are enumerated exactly; the
probability mass of the others is reported, so the availability lies between
1 − U_enumerated − mass_left_out and 1 − U_enumerated (as Net2Plan's ``Report_availability``
does). The best estimate adds the left-out mass times the share of pair-down states sampled among
states with more failures (stratified sampling: exact strata plus one sampled stratum). A plain
Monte Carlo over all states checks both. Connectivity of thousands of states is
one call of scipy's connected components on a block-diagonal graph of all states (no loop over
states).
"""

from __future__ import annotations

import difflib
import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import ReliabilityError
from .config import ReliabilityConfig

if TYPE_CHECKING:  # pragma: no cover
    from ..network.analysis import CorridorResult
    from ..network.topology import Corridor

HOURS_PER_YEAR = 8766.0
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FailureUnits:
    """Independent failure units and the links each one cuts."""

    names: tuple[str, ...]
    q: np.ndarray  # unavailability of each unit
    cuts: BoolArray  # (unit, link)
    link_ids: tuple[str, ...]
    link_a: np.ndarray
    link_b: np.ndarray
    node_ids: tuple[str, ...]


def check_groups(corridor: Corridor, cfg: ReliabilityConfig) -> None:
    """Every group of ``reliability.corridor.groups`` is a shared-risk group of the corridor.

    A misspelt name would otherwise be ignored and its group keep the default risk (issue 22).

    Raises
    ------
    ReliabilityError
        One line naming the first unknown group and the corridor's groups.
    """
    known = corridor.srlgs
    for name in cfg.corridor.groups:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ReliabilityError(
                f"reliability.corridor.groups.{name}: not a shared-risk group of the corridor"
                f"{hint}; known: {', '.join(known) or 'none'}")


def failure_units(corridor: Corridor, cfg: ReliabilityConfig, *, line_link: str,
                  line_unavailability: float) -> FailureUnits:
    """The corridor's failure units (see the module notes)."""
    check_groups(corridor, cfg)
    cc = cfg.corridor
    sub_rate = (cfg.global_fault_rate_per_1000km_year
                if cc.submarine_rate_per_1000km_year is None else cc.submarine_rate_per_1000km_year)
    links = corridor.links
    nodes = corridor.node_ids
    idx = {n: i for i, n in enumerate(nodes)}
    names: list[str] = []
    qs: list[float] = []
    rows: list[np.ndarray] = []
    for j, lk in enumerate(links):
        if lk.id == line_link:
            q = line_unavailability
        elif lk.kind == "submarine":
            q = -math.expm1(-sub_rate * lk.length_km / 1000.0 * cc.submarine_mttr_days / 365.25)
        else:
            q = -math.expm1(-cc.terrestrial_rate_per_1000km_year * lk.length_km / 1000.0
                            * cc.terrestrial_mttr_hours / HOURS_PER_YEAR)
        row = np.zeros(len(links), bool)
        row[j] = True
        names.append(f"link:{lk.id}")
        qs.append(q)
        rows.append(row)
    for g in corridor.srlgs:
        members = np.array([g in lk.srlgs for lk in links])
        if members.sum() < 2 and g not in cc.groups:
            continue
        if g in cc.groups:
            risk = cc.groups[g]
        elif all(lk.kind == "submarine" for lk, m in zip(links, members, strict=True) if m):
            risk = cc.group_default_submarine
        else:
            risk = cc.group_default_terrestrial
        names.append(g)
        qs.append(-math.expm1(-risk.rate_per_year * risk.mttr_days / 365.25))
        rows.append(members)
    return FailureUnits(
        names=tuple(names), q=np.asarray(qs, float), cuts=np.asarray(rows, bool),
        link_ids=tuple(lk.id for lk in links),
        link_a=np.array([idx[lk.a] for lk in links], np.intp),
        link_b=np.array([idx[lk.b] for lk in links], np.intp),
        node_ids=nodes,
    )


def component_labels(alive: BoolArray, link_a: np.ndarray, link_b: np.ndarray,
                     n_nodes: int) -> npt.NDArray[np.intp]:
    """Connected-component label of every node in every state, shape (state, node).

    All states at once: one block-diagonal graph whose block s is the corridor with the links
    alive in state s, labelled by one call of ``scipy.sparse.csgraph.connected_components``.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n_states = alive.shape[0]
    s_idx, e_idx = np.nonzero(alive)
    rows = s_idx * n_nodes + link_a[e_idx]
    cols = s_idx * n_nodes + link_b[e_idx]
    size = n_states * n_nodes
    graph = coo_matrix((np.ones(rows.size, np.int8), (rows, cols)), shape=(size, size))
    _, lab = connected_components(graph.tocsr(), directed=False)
    return np.asarray(lab, np.intp).reshape(n_states, n_nodes)


def enumerate_states(n_units: int, max_failures: int) -> list[npt.NDArray[np.intp]]:
    """Every set of at most ``max_failures`` failed units, as one index array per size k
    (shape (states of size k, k); the empty set first)."""
    out: list[npt.NDArray[np.intp]] = [np.zeros((1, 0), np.intp)]
    for k in range(1, max_failures + 1):
        combos = np.fromiter(itertools.chain.from_iterable(
            itertools.combinations(range(n_units), k)), np.intp)
        out.append(combos.reshape(-1, k))
    return out


@dataclass(frozen=True)
class PairAvailability:
    """Per pair: enumerated unavailability, the mass left out, and the Monte Carlo estimate."""

    pairs: tuple[tuple[str, str], ...]
    unavailability_enumerated: np.ndarray
    mass_left_out: float
    unavailability_mc: np.ndarray | None
    mc_samples: int
    max_failures: int
    residual_down_fraction: np.ndarray | None = None  # P(down | > max_failures failed), sampled
    residual_samples: int = 0

    @property
    def unavailability(self) -> np.ndarray:
        """Best estimate: exact ≤ k-failure part + the left-out mass × its sampled down share."""
        if self.residual_down_fraction is None:
            return self.unavailability_enumerated
        return self.unavailability_enumerated + self.mass_left_out * self.residual_down_fraction


def _enumerated(units: FailureUnits, live: np.ndarray, forced: BoolArray, pa: np.ndarray,
                pb: np.ndarray, max_failures: int) -> tuple[np.ndarray, float]:
    q = units.q[live]
    cuts = units.cuts[live]
    logp0 = float(np.sum(np.log1p(-q)))
    odds = np.log(q) - np.log1p(-q)
    downs, logps = [], []
    for combo in enumerate_states(live.size, max_failures):
        down = np.broadcast_to(forced, (combo.shape[0], forced.size)).copy()
        for k in range(combo.shape[1]):
            down |= cuts[combo[:, k]]
        downs.append(down)
        logps.append(logp0 + odds[combo].sum(axis=1))
    down_all = np.concatenate(downs)
    p = np.exp(np.concatenate(logps))
    lab = component_labels(~down_all, units.link_a, units.link_b, len(units.node_ids))
    return p @ (lab[:, pa] != lab[:, pb]), max(0.0, 1.0 - float(p.sum()))


def pair_availability(units: FailureUnits, pairs: tuple[tuple[str, str], ...], *,
                      max_failures: int, mc_samples: int, rng: np.random.Generator,
                      removed_links: tuple[str, ...] = (),
                      residual_samples: int = 0) -> tuple[PairAvailability,
                                                                    PairAvailability]:
    """Pair availability with every link, and with ``removed_links`` taken out.

    Exact enumeration of ≤ ``max_failures`` failed units plus a Monte Carlo over all states;
    both cases share the same random failure draws (common random numbers), so their
    difference is resolved far better than either value.
    """
    idx = {n: i for i, n in enumerate(units.node_ids)}
    pa = np.array([idx[a] for a, _ in pairs], np.intp)
    pb = np.array([idx[b] for _, b in pairs], np.intp)
    removed = np.array([lid in set(removed_links) for lid in units.link_ids], bool)
    # the same units and states in both cases, the removed links forced down in the second:
    # a unit that only cuts removed links then changes nothing, and every state's pair-down
    # flags can only grow, so the estimates are monotone (common random numbers)
    live = np.flatnonzero(units.q > 0)
    none = np.zeros(removed.size, bool)
    u_w, left_w = _enumerated(units, live, none, pa, pb, max_failures)
    u_wo, left_wo = _enumerated(units, live, removed, pa, pb, max_failures)
    mc_w = mc_wo = None
    if mc_samples > 0:
        fail = rng.random((mc_samples, units.q.size)) < units.q
        link_down = (fail.astype(np.float64) @ units.cuts.astype(np.float64)) > 0
        n = len(units.node_ids)
        lab = component_labels(~link_down, units.link_a, units.link_b, n)
        mc_w = (lab[:, pa] != lab[:, pb]).mean(axis=0)
        lab = component_labels(~(link_down | removed), units.link_a, units.link_b, n)
        mc_wo = (lab[:, pa] != lab[:, pb]).mean(axis=0)
    res_w = res_wo = None
    if residual_samples > 0:
        res_w, res_wo = _residual(units, live, removed, pa, pb, max_failures,
                                  residual_samples, rng)
    return (PairAvailability(pairs, u_w, left_w, mc_w, mc_samples, max_failures, res_w,
                             residual_samples),
            PairAvailability(pairs, u_wo, left_wo, mc_wo, mc_samples, max_failures, res_wo,
                             residual_samples))


def _residual(units: FailureUnits, live: np.ndarray, removed: BoolArray, pa: np.ndarray,
              pb: np.ndarray, k: int, n: int,
              rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Share of pair-down states among states with more than ``k`` failed units, with and
    without the removed links (the same sampled states for both).

    Stratified sampling: the ≤ k-failure strata are exact, the rest is sampled by rejection
    (independent draws kept when more than k units failed).
    """
    q = units.q[live]
    kept: list[BoolArray] = []
    got = 0
    for _ in range(50):
        if got >= n:
            break
        fail = rng.random((4 * n, q.size)) < q
        fail = fail[fail.sum(axis=1) > k]
        kept.append(fail[: n - got])
        got += kept[-1].shape[0]
    f = np.concatenate(kept) if kept else np.zeros((0, q.size), bool)
    if f.shape[0] == 0:
        return np.zeros(pa.size), np.zeros(pa.size)
    link_down = (f.astype(np.float64) @ units.cuts[live].astype(np.float64)) > 0
    nodes = len(units.node_ids)
    lab = component_labels(~link_down, units.link_a, units.link_b, nodes)
    res_w = (lab[:, pa] != lab[:, pb]).mean(axis=0)
    lab = component_labels(~(link_down | removed), units.link_a, units.link_b, nodes)
    return res_w, (lab[:, pa] != lab[:, pb]).mean(axis=0)


@dataclass(frozen=True)
class CorridorAvailability:
    """City-pair availability with and without the line, and expected unserved traffic."""

    pairs: tuple[tuple[str, str], ...]
    demand_tbps: np.ndarray
    with_line: PairAvailability
    without_line: PairAvailability
    units: int
    unserved_tbps_h_per_year: float | None
    unserved_tbps_h_per_year_without: float | None
    unserved_cuts_counted: int
    disconnected_tbps_h_per_year: float
    disconnected_tbps_h_per_year_without: float
    study_pairs: tuple[tuple[str, str], ...]

    def rows(self) -> list[dict[str, Any]]:
        out = []
        w, wo = self.with_line, self.without_line
        for i, (a, b) in enumerate(self.pairs):
            out.append({
                "a": a, "b": b, "demand_tbps": float(self.demand_tbps[i]),
                "availability": 1.0 - float(w.unavailability[i]),
                "availability_without_line": 1.0 - float(wo.unavailability[i]),
                "availability_enumerated": 1.0 - float(w.unavailability_enumerated[i]),
                "availability_lower_bound": 1.0 - float(w.unavailability_enumerated[i])
                - w.mass_left_out,
                "availability_monte_carlo": None if w.unavailability_mc is None
                else 1.0 - float(w.unavailability_mc[i]),
                "availability_enumerated_without_line": 1.0
                - float(wo.unavailability_enumerated[i]),
                "availability_lower_bound_without_line": 1.0
                - float(wo.unavailability_enumerated[i]) - wo.mass_left_out,
                "availability_monte_carlo_without_line": None if wo.unavailability_mc is None
                else 1.0 - float(wo.unavailability_mc[i]),
            })
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "failure_units": self.units,
            "max_simultaneous_failures_enumerated": self.with_line.max_failures,
            "mass_left_out": self.with_line.mass_left_out,
            "mass_left_out_without_line": self.without_line.mass_left_out,
            "monte_carlo_samples": self.with_line.mc_samples,
            "residual_samples": self.with_line.residual_samples,
            "expected_unserved_tbps_h_per_year": self.unserved_tbps_h_per_year,
            "expected_unserved_tbps_h_per_year_without_line":
                self.unserved_tbps_h_per_year_without,
            "unserved_single_failure_cuts_counted": self.unserved_cuts_counted,
            "expected_disconnected_tbps_h_per_year": self.disconnected_tbps_h_per_year,
            "expected_disconnected_tbps_h_per_year_without_line":
                self.disconnected_tbps_h_per_year_without,
            "study_pairs": [list(p) for p in self.study_pairs],
            "pairs": self.rows(),
        }


def _unserved(network: CorridorResult, units: FailureUnits, key: str) -> tuple[float | None, int]:
    """Σ over single-unit cut scenarios of q × extra unserved traffic × 8766 h [Tbit/s·h/yr]."""
    q_of = dict(zip(units.names, units.q, strict=True))

    def safe(text: str) -> str:
        return "".join(ch if ch.isalnum() or ch in "_.-" else "_" for ch in text)

    by_cut = {f"srlg_{safe(n)}": n for n in units.names if not n.startswith("link:")}
    by_cut.update({f"link_{safe(n[5:])}": n for n in units.names if n.startswith("link:")})
    total, counted = 0.0, 0
    for c in network.cuts:
        unit = by_cut.get(c.name)
        side = getattr(c, key)
        if unit is None or side is None:
            continue
        total += q_of[unit] * max(0.0, side.extra_unserved_tbps) * HOURS_PER_YEAR
        counted += 1
    return (total if counted else None), counted


def corridor_availability(network: CorridorResult, cfg: ReliabilityConfig, *,
                          line_unavailability: float, line_rate_per_year: float,
                          seed: np.random.SeedSequence | int) -> CorridorAvailability:
    """City-pair availability of the corridor with and without the line (module notes).

    ``line_rate_per_year`` is kept for the record; the line enters through its unavailability.
    """
    del line_rate_per_year
    cc = cfg.corridor
    corr = network.corridor
    tc = network.line_link
    drop = tuple(lk.id for lk in corr.links
                 if lk.id == tc or lk.id.startswith(f"{tc}_landing_"))
    demand = {(str(p[0]), str(p[1])): float(t)
              for p, t in zip(network.demand.pairs, network.demand.tbps, strict=True)}
    known = set(demand) | {(b, a) for a, b in demand}
    extra = [(r.a, r.b) for r in network.latency if (r.a, r.b) not in known]
    pairs = tuple(demand) + tuple(dict.fromkeys(extra))
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    units_w = failure_units(corr, cfg, line_link=tc, line_unavailability=line_unavailability)
    w, wo = pair_availability(units_w, pairs, max_failures=cc.max_simultaneous_failures,
                              mc_samples=cc.monte_carlo_samples, rng=np.random.default_rng(ss),
                              removed_links=drop, residual_samples=cc.residual_samples)
    uns_w, n_w = _unserved(network, units_w, "with_line")
    uns_wo, _ = _unserved(network, units_w, "without_line")
    dem = np.array([demand.get(p, 0.0) for p in pairs], float)
    study = tuple(p for p in getattr(network, "study_pairs", ()) or ())
    return CorridorAvailability(
        pairs=pairs, demand_tbps=dem, with_line=w, without_line=wo, units=int(units_w.q.size),
        unserved_tbps_h_per_year=None if uns_w is None else float(uns_w),
        unserved_tbps_h_per_year_without=None if uns_wo is None else float(uns_wo),
        unserved_cuts_counted=n_w,
        disconnected_tbps_h_per_year=float(w.unavailability @ dem) * HOURS_PER_YEAR,
        disconnected_tbps_h_per_year_without=float(wo.unavailability @ dem) * HOURS_PER_YEAR,
        study_pairs=study or tuple((r.a, r.b) for r in network.latency),
    )
