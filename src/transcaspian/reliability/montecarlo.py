"""Monte Carlo of the line's outages, vectorised over simulated years (no Python loop per year).

Simulated years are grouped into design lives (spare-cable stock is tracked per life). Per year:
a Poisson number of faults, each at a uniform time of the year (→ season and Volga-Don
closure), in a zone drawn in proportion to its rate, with a repair time drawn phase by phase
(:func:`transcaspian.reliability.repair.sample_repair_days`). A year's outage hours are the
time within that calendar year at which the line is down (the union of all outages, each split
at the year boundaries it crosses, so no year has more than 8,766 h). Time is circular within a
chunk of simulated years: the part of an outage running past the chunk's last year is counted in
its first year, so no outage time is lost at the end (the stationary M/G/∞ picture of the
analytic model). Seeds come from
``numpy.random.SeedSequence(seed)``: the same seed gives the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .config import ReliabilityConfig, RepairConfig, SpareConfig
from .repair import DAYS_PER_YEAR, sample_repair_days, sample_stock_out_days, spare_use_km

FloatArray = npt.NDArray[np.float64]
#: most simulated years in one vectorised chunk (memory bound: ~10 arrays of this size)
CHUNK_YEARS = 1_000_000
#: Peak bytes of the Monte Carlo (line, second cable, protection path and their overlap), per
#: simulated year kept (the outage hours of the year) and per simulated outage kept (start, end,
#: duration, merged intervals and the event sweep of :func:`time_at_level`), plus the temporary
#: arrays of one chunk per simulated year of the chunk. Measured with ``tracemalloc`` on the
#: default scenario's reliability stage (794 B per simulated year at 7.0 outages per year, 10^6
#: and 2·10^6 years) and on lines of 0.3 and 3 outages per year; rounded up. ``MC_BASE_BYTES``
#: is what does not grow with the years (the corridor's state sampling: 65-70 MB measured at
#: 10^5 years with no protection path).
MC_BASE_BYTES = 80_000_000
MC_BYTES_PER_YEAR = 16
MC_BYTES_PER_OUTAGE = 120
MC_CHUNK_BYTES_PER_YEAR = 96


@dataclass(frozen=True)
class Outages:
    """Merged outage intervals of one line on the absolute simulated time axis [d]."""

    start_day: FloatArray
    end_day: FloatArray
    total_days: float

    def down_fraction(self) -> float:
        return float(np.sum(self.end_day - self.start_day) / self.total_days)


@dataclass(frozen=True)
class MonteCarloResult:
    """Monte Carlo statistics of one line."""

    years: int
    design_life_years: int
    outage_hours: FloatArray = field(repr=False)  # per simulated year
    faults: int
    p_no_fault_design_life: float
    longest_outage_days: float
    mean_repair_days: float
    p_two_faults_at_once: float
    stock_out_fraction: float
    outages: Outages = field(repr=False)

    @property
    def mean_outage_hours(self) -> float:
        return float(self.outage_hours.mean())

    @property
    def sampling_error_hours(self) -> float:
        """Standard error of the mean outage hours per year [h]."""
        return float(self.outage_hours.std(ddof=1) / math.sqrt(self.outage_hours.size))

    def percentile_hours(self, q: float) -> float:
        return float(np.percentile(self.outage_hours, q))

    def to_dict(self) -> dict[str, Any]:
        hist_edges = np.array([0, 1, 24, 24 * 7, 24 * 30, 24 * 60, 24 * 90, 24 * 180, 24 * 366])
        counts, _ = np.histogram(self.outage_hours, bins=hist_edges)
        return {
            "simulated_years": self.years,
            "design_life_years": self.design_life_years,
            "faults": self.faults,
            "faults_per_year": self.faults / self.years,
            "outage_hours_per_year": {
                "mean": self.mean_outage_hours,
                "sampling_error": self.sampling_error_hours,
                "p50": self.percentile_hours(50),
                "p95": self.percentile_hours(95),
                "p99": self.percentile_hours(99),
            },
            "availability": 1.0 - self.mean_outage_hours / (DAYS_PER_YEAR * 24.0),
            "p_no_fault_design_life": self.p_no_fault_design_life,
            "longest_outage_days": self.longest_outage_days,
            "mean_repair_days": self.mean_repair_days,
            "p_two_faults_at_once": self.p_two_faults_at_once,
            "stock_out_fraction_of_repairs": self.stock_out_fraction,
            "outage_hours_histogram": {
                "edges_hours": hist_edges.tolist(), "years": counts.tolist()},
        }


def monte_carlo_bytes(years: int, outages_per_year: float) -> int:
    """Estimated peak memory of simulating ``years`` years with ``outages_per_year`` [B].

    Parameters
    ----------
    years : int
        Simulated years.
    outages_per_year : float
        Expected outages per simulated year of every simulated element together (the line,
        a second cable, a protection path) [1/yr].
    """
    n = int(years)
    per_year = MC_BYTES_PER_YEAR + MC_BYTES_PER_OUTAGE * max(float(outages_per_year), 0.0)
    return int(MC_BASE_BYTES + n * per_year + min(n, CHUNK_YEARS) * MC_CHUNK_BYTES_PER_YEAR)


def simulated_outages_per_year(cfg: ReliabilityConfig, line_faults_per_year: float,
                               cable_km: float) -> float:
    """Expected outages per simulated year of everything the stage simulates [1/yr]: the line,
    the second cable (the line's rate per km × its multiplier × its length) and the protection
    path (cuts per 1000 km × its length). With ``line_faults_per_year = 0`` a lower bound known
    before the route is."""
    per_km = line_faults_per_year / cable_km if cable_km > 0 else 0.0
    total = float(line_faults_per_year)
    if cfg.second_cable is not None:
        total += per_km * cfg.second_cable.rate_multiplier * cfg.second_cable.length_km
    if cfg.protection_path is not None:
        pp = cfg.protection_path
        total += pp.cut_rate_per_1000km_year * pp.length_km / 1000.0
    return total


def require_monte_carlo_memory(years: int, outages_per_year: float, *,
                               available: int | None = None) -> None:
    """Refuse (:class:`~transcaspian.errors.ReliabilityError`, one line naming the years) a
    Monte Carlo that will not fit in memory, before anything is allocated."""
    from .._budget import USABLE_FRACTION, require_memory
    from ..errors import ReliabilityError

    require_memory(
        monte_carlo_bytes(years, outages_per_year),
        f"--years / reliability.monte_carlo.years = {int(years):,}: the Monte Carlo of "
        f"{outages_per_year:.2f} outages per simulated year",
        error=ReliabilityError, available=available,
        hint=f"a step may plan {USABLE_FRACTION:.0%} of it; simulate fewer years (the sampling "
             "error falls only as 1/sqrt(years))",
    )


def year_down_days(start: FloatArray, end: FloatArray, n_years: int) -> FloatArray:
    """Days of each calendar year [k·365.25, (k+1)·365.25) covered by intervals [start, end) [d].

    ``start`` sorted, in [0, n_years·365.25). The union of the intervals is split at the year
    boundaries; the part past the last year wraps around to the first (circular time), so the
    total is the length of the union on the circle and no year exceeds 365.25 d. Vectorised:
    the covered time F(t) up to each boundary, from the merged intervals' cumulative lengths.
    """
    horizon = n_years * DAYS_PER_YEAR
    if start.size == 0:
        return np.zeros(n_years)
    over = end > horizon
    wrap_end = np.minimum(end[over] - horizon, horizon)
    s = np.concatenate([np.zeros(wrap_end.size), start])
    e = np.concatenate([wrap_end, np.minimum(end, horizon)])
    ms, me = merge_intervals(s, e)
    length = me - ms
    cum = np.concatenate([[0.0], np.cumsum(length)])
    t = np.arange(n_years + 1) * DAYS_PER_YEAR
    i = np.searchsorted(ms, t, side="right") - 1  # last interval starting at or before t
    j = np.maximum(i, 0)
    covered = np.where(i >= 0, cum[j] + np.clip(t - ms[j], 0.0, length[j]), 0.0)
    return np.asarray(np.maximum(np.diff(covered), 0.0), float)


def merge_intervals(start: FloatArray, end: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Union of intervals sorted by start, as disjoint sorted intervals."""
    if start.size == 0:
        return start, end
    run = np.maximum.accumulate(end)
    new = np.concatenate([[True], start[1:] > run[:-1]])
    idx = np.flatnonzero(new)
    return start[idx], np.maximum.reduceat(end, idx)


def time_at_level(starts: list[FloatArray], ends: list[FloatArray], level: int) -> float:
    """Total time at which at least ``level`` of the given intervals overlap [d] (event sweep)."""
    s = np.concatenate(starts) if starts else np.empty(0)
    e = np.concatenate(ends) if ends else np.empty(0)
    if s.size == 0:
        return 0.0
    t = np.concatenate([s, e])
    d = np.concatenate([np.ones(s.size), -np.ones(e.size)])
    order = np.lexsort((d, t))  # ends before starts at equal times
    t, d = t[order], d[order]
    lvl = np.cumsum(d)[:-1]
    dt = np.diff(t)
    return float(np.sum(dt[lvl >= level]))


def _chunk(rng: np.random.Generator, lam: FloatArray, depth: FloatArray, repair: RepairConfig,
           spares: SpareConfig, lives: int, life: int, year0: int) -> dict[str, Any]:
    n_years = lives * life
    total = float(lam.sum())
    counts = rng.poisson(total, n_years)
    yr = np.repeat(np.arange(n_years, dtype=np.int64), counts)
    day = rng.uniform(0.0, DAYS_PER_YEAR, yr.size)
    order = np.lexsort((day, yr))
    yr, day = yr[order], day[order]
    zone = rng.choice(lam.size, size=yr.size, p=lam / total) if total > 0 else yr
    d = depth[zone] if yr.size else np.empty(0)
    dur = sample_repair_days(rng, repair, d, day)
    # spare cable: cumulative use within each design life, no re-stocking within the life
    use = spare_use_km(spares, d)
    cs = np.cumsum(use)
    life_of = yr // life
    first = np.searchsorted(life_of, np.arange(lives), side="left")
    before = np.concatenate([[0.0], cs])[first]
    used = cs - before[np.minimum(life_of, lives - 1)]
    out = used > spares.stock_km + 1e-12
    dur = dur + np.where(out, sample_stock_out_days(rng, spares, yr.size), 0.0)
    rel_start = yr * DAYS_PER_YEAR + day
    hours = year_down_days(rel_start, rel_start + dur, n_years) * 24.0
    abs_start = (year0 + yr) * DAYS_PER_YEAR + day
    abs_end = abs_start + dur
    faults_life = np.bincount(life_of, minlength=lives)
    return {
        "hours": hours, "start": abs_start, "end": abs_end, "dur": dur, "stock_out": out,
        "no_fault_lives": int(np.sum(faults_life == 0)),
    }


def simulate_line(
    rates_per_year: FloatArray,
    depth_m: FloatArray,
    repair: RepairConfig,
    spares: SpareConfig,
    *,
    design_life_years: int,
    years: int,
    seed: int | np.random.SeedSequence,
    progress: Callable[[int, int], None] | None = None,
) -> MonteCarloResult:
    """Simulate ``years`` cable-years (rounded up to whole design lives) of one line.

    Parameters
    ----------
    rates_per_year, depth_m : array
        Fault rate [1/yr] and depth [m] of each zone (as for the analytic model).
    repair, spares : RepairConfig, SpareConfig
    design_life_years : int
    years : int
        Simulated years (≥ one life).
    seed : int or SeedSequence
    progress : callable(done_years, total_years), optional
        Called after each chunk of at most ``CHUNK_YEARS`` years.
    """
    lam = np.asarray(rates_per_year, float)
    depth = np.asarray(depth_m, float)
    life = int(design_life_years)
    lives = max(1, math.ceil(years / life))
    per_chunk = max(1, CHUNK_YEARS // life)
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    n_chunks = math.ceil(lives / per_chunk)
    parts: list[dict[str, Any]] = []
    done = 0
    for child in ss.spawn(n_chunks):  # loop over chunks of ~10^6 years, not over years
        n = min(per_chunk, lives - done)
        parts.append(_chunk(np.random.default_rng(child), lam, depth, repair, spares, n, life,
                            done * life))
        done += n
        if progress is not None:
            progress(done * life, lives * life)
    hours = np.concatenate([p["hours"] for p in parts])
    start = np.concatenate([p["start"] for p in parts])
    end = np.concatenate([p["end"] for p in parts])
    dur = np.concatenate([p["dur"] for p in parts])
    stock_out = np.concatenate([p["stock_out"] for p in parts])
    total_days = lives * life * DAYS_PER_YEAR
    ms, me = merge_intervals(start, end)
    two = time_at_level([start], [end], 2) / total_days
    return MonteCarloResult(
        years=lives * life,
        design_life_years=life,
        outage_hours=hours,
        faults=int(start.size),
        p_no_fault_design_life=sum(p["no_fault_lives"] for p in parts) / lives,
        longest_outage_days=float(np.max(me - ms)) if ms.size else 0.0,
        mean_repair_days=float(dur.mean()) if dur.size else 0.0,
        p_two_faults_at_once=two,
        stock_out_fraction=float(stock_out.mean()) if stock_out.size else 0.0,
        outages=Outages(ms, me, total_days),
    )


def both_down_fraction(a: Outages, b: Outages) -> float:
    """Fraction of the simulated time at which two lines are down together [-]."""
    return time_at_level([a.start_day, b.start_day], [a.end_day, b.end_day], 2) / a.total_days


def simulate_exponential_outages(rate_per_year: float, mttr_days: float, *, years: int,
                                 seed: int | np.random.SeedSequence) -> Outages:
    """Outages of a simple repairable element (Poisson faults, exponential repairs) [d].

    For a protection path whose repairs take hours (no ship): the same time axis as
    :func:`simulate_line`, so :func:`both_down_fraction` applies.
    """
    rng = np.random.default_rng(seed)
    total_days = years * DAYS_PER_YEAR
    n = int(rng.poisson(rate_per_year * years))
    start = np.sort(rng.uniform(0.0, total_days, n))
    end = start + rng.exponential(mttr_days, n)
    ms, me = merge_intervals(start, end)
    return Outages(ms, me, total_days)
