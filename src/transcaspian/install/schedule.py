"""The installation schedule as a vectorised Monte Carlo over activity durations.

Every run draws each activity's duration from its Beta-PERT (Malcolm et al. 1959; shape
:math:`\\alpha = 1 + 4(m-a)/(b-a)`, :math:`\\beta = 1 + 4(b-m)/(b-a)`, mean
:math:`(a + 4m + b)/6`) and a weather year: each calendar month's workable fraction for the
operation's Hs limit (:mod:`.weather`) is perturbed per run, lognormally on the downtime. Marine
work advances only in workable time: an operation needing *w* workable days from *t* ends where
the run's cumulative workable time has grown by *w* (a per-run piecewise-linear clock, inverted
with one ``searchsorted`` over all runs). The Volga-Don season gates every passage of the lay
vessel and of the cable: an entry outside [opening, last entry] waits for the next opening
(reference E1). Marine works start only when the permits that gate them are granted.

All arrays are (run,) and the network is walked once in Python: 10⁴ runs are array work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .config import Pert, Waterway
from .permits import PermitEntry

FloatArray = npt.NDArray[np.float64]
DAYS_PER_YEAR = 365.0
HORIZON_MONTHS = 144


def pert_mean(a: float, m: float, b: float) -> float:
    """Mean of a Beta-PERT, (a + 4m + b)/6 [same unit]."""
    return (a + 4.0 * m + b) / 6.0


def pert_var(a: float, m: float, b: float) -> float:
    """Variance of a Beta-PERT with α, β as above: αβ(b-a)²/((α+β)²(α+β+1)) = (μ-a)(b-μ)/7."""
    if b <= a:
        return 0.0
    al = 1.0 + 4.0 * (m - a) / (b - a)
    be = 1.0 + 4.0 * (b - m) / (b - a)
    return al * be * (b - a) ** 2 / ((al + be) ** 2 * (al + be + 1.0))


def pert_sample(rng: np.random.Generator, a: float, m: float, b: float, n: int) -> FloatArray:
    """``n`` Beta-PERT draws on [a, b] with mode m."""
    if b <= a:
        return np.full(n, float(a))
    al = 1.0 + 4.0 * (m - a) / (b - a)
    be = 1.0 + 4.0 * (b - m) / (b - a)
    return a + (b - a) * rng.beta(al, be, n)


def _p(rng: np.random.Generator, p: Pert, n: int, scale: float = 1.0) -> FloatArray:
    return scale * pert_sample(rng, p.min_days, p.mode_days, p.max_days, n)


@dataclass(frozen=True)
class WeatherClock:
    """Cumulative workable time of each run at month boundaries (one Hs limit)."""

    bounds_days: FloatArray  # (M+1,) month starts, days since t0
    cum: FloatArray  # (run, M+1) workable days at the boundaries
    frac: FloatArray  # (run, M) workable fraction of each month

    def at(self, t: FloatArray) -> FloatArray:
        """Workable days elapsed at time ``t`` [d]."""
        j = np.clip(np.searchsorted(self.bounds_days, t, side="right") - 1, 0,
                    self.frac.shape[1] - 1)
        r = np.arange(t.size)
        return self.cum[r, j] + self.frac[r, j] * (t - self.bounds_days[j])

    def finish(self, t: FloatArray, work_days: FloatArray) -> FloatArray:
        """When ``work_days`` of workable time started at ``t`` are done [d]."""
        target = self.at(t) + work_days
        n, m1 = self.cum.shape
        big = float(self.cum[:, -1].max()) + 1.0
        flat = (self.cum + big * np.arange(n)[:, None]).ravel()
        k = np.searchsorted(flat, target + big * np.arange(n), side="right") - 1
        j = np.clip(k - np.arange(n) * m1, 0, m1 - 2)
        r = np.arange(n)
        return self.bounds_days[j] + (target - self.cum[r, j]) / self.frac[r, j]


def month_bounds(start: dt.date, months: int) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """Month starts (days since ``start``; the first is 0) and the calendar month of each."""
    y, m = start.year, start.month
    days = [0.0]
    cal = []
    for _ in range(months):
        cal.append(m - 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        days.append(float((dt.date(y, m, 1) - start).days))
    return np.array(days), np.array(cal, dtype=np.intp)


def weather_clock(frac_month: FloatArray, start: dt.date, z: FloatArray,
                  sigma: float) -> WeatherClock:
    """The per-run workable clock: month fraction ``f`` perturbed as
    ``1 - (1 - f)·exp(σ z - σ²/2)`` (mean downtime kept), clipped to [0.02, 1].

    ``z`` (run, M) standard normals shared by every Hs limit of a run (one weather year), so
    that a lower workable fraction never gives a run more workable time (common random numbers).
    """
    bounds, cal = month_bounds(start, z.shape[1])
    down = (1.0 - frac_month[cal])[None, :] * np.exp(sigma * z - 0.5 * sigma ** 2)
    f = np.clip(1.0 - down, 0.02, 1.0)
    cum = np.concatenate([np.zeros((z.shape[0], 1)), np.cumsum(f * np.diff(bounds), axis=1)],
                         axis=1)
    return WeatherClock(bounds, cum, f)


def season_gate(t: FloatArray, start: dt.date, way: Waterway) -> FloatArray:
    """Earliest time ≥ ``t`` at which the Volga-Don takes an entry (365-day years) [d]."""
    doy0 = start.timetuple().tm_yday
    doy = (doy0 - 1 + np.floor(t)) % DAYS_PER_YEAR + 1
    frac = t - np.floor(t)
    wait = np.where(doy < way.opens_day_of_year, way.opens_day_of_year - doy,
                    np.where(doy > way.closes_day_of_year,
                             DAYS_PER_YEAR - doy + way.opens_day_of_year, 0.0))
    return t + np.where(wait > 0, wait - frac, 0.0)


def season_months_gate(t: FloatArray, start: dt.date, first_month: int,
                       last_month: int) -> FloatArray:
    """Earliest time ≥ ``t`` inside the calendar months ``first_month``..``last_month`` (the
    lay season a planner books marine works in) [d since ``start``]."""
    t = np.asarray(t, dtype=float)
    base = np.datetime64(start, "D")
    day = base + np.floor(t).astype("timedelta64[D]")
    month = day.astype("datetime64[M]")
    m = month.astype(int) % 12 + 1
    jan = month.astype("datetime64[Y]").astype("datetime64[M]")
    opens = np.where(m < first_month, jan, jan + np.timedelta64(12, "M")) \
        + np.timedelta64(first_month - 1, "M")
    wait = (opens.astype("datetime64[D]") - base).astype(float)
    inside = (m >= first_month) & (m <= last_month)
    return np.where(inside, t, np.maximum(wait, t))


@dataclass(frozen=True)
class Plan:
    """What the simulation needs from the burial plan, vessel and register (deterministic)."""

    permits: tuple[PermitEntry, ...]
    cable_km: float
    load_lay_work_days: tuple[float, ...]  # workable days of lay/burial per load
    load_cable_km: tuple[float, ...]
    repeaters_per_load: tuple[int, ...]
    survey: Pert
    manufacture_per_100km: Pert
    delivery: Pert
    loading_km_per_h: float
    mobilisation: Pert
    shore_end: Pert
    joint: Pert
    reload_transit: Pert
    repeater_handling: Pert
    final_test: Pert
    demobilisation: Pert
    lay_time_factor: Pert
    lay_season_months: tuple[int, int] = (1, 12)  # marine works start only in these months


@dataclass(frozen=True)
class Simulation:
    """Start and end of every activity in every run [d since t0]."""

    names: tuple[str, ...]
    phase: tuple[str, ...]  # permits | survey | manufacture | vessel | marine | commissioning
    start: FloatArray  # (activity, run)
    end: FloatArray
    milestones: dict[str, FloatArray]
    vessel_days: dict[str, FloatArray]


def simulate(plan: Plan, way: Waterway, frac_lay: FloatArray, frac_shore: FloatArray,
             start: dt.date, sigma: float, runs: int, seed: int | np.random.SeedSequence,
             ) -> Simulation:
    """Simulate ``runs`` installations (vectorised over runs).

    Parameters
    ----------
    plan : Plan
        Activities and their durations.
    way : Waterway
        The Volga-Don season.
    frac_lay, frac_shore : ndarray, shape (12,)
        Mean workable fraction per calendar month for lay/burial and for shore pull-ins.
    start : date
        t = 0 (contract).
    sigma : float
        Year-to-year log-sd of monthly downtime.
    runs : int
        Number of simulated installations.
    seed : int or SeedSequence
        Identical seeds give identical results.
    """
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    s_dur, s_wx, s_rep = ss.spawn(3)
    rng = np.random.default_rng(s_dur)
    rng_rep = np.random.default_rng(s_rep)  # wet plant: its own stream (common random numbers)
    z = np.random.default_rng(s_wx).standard_normal((runs, HORIZON_MONTHS))
    lay = weather_clock(frac_lay, start, z, sigma)
    shore = weather_clock(frac_shore, start, z, sigma)
    names: list[str] = []
    phases: list[str] = []
    starts: list[FloatArray] = []
    ends: list[FloatArray] = []

    def add(name: str, phase: str, s: FloatArray, e: FloatArray) -> FloatArray:
        names.append(name)
        phases.append(phase)
        starts.append(s)
        ends.append(e)
        return e

    zero = np.zeros(runs)
    granted: dict[str, FloatArray] = {}
    gate = {"survey": zero, "mobilisation": zero, "marine_works": zero}
    for p in plan.permits:  # dependency order
        s = zero
        for d in p.depends_on:
            s = np.maximum(s, granted[d])
        e = s + pert_sample(rng, p.min_days, p.mode_days, p.max_days, runs)
        granted[p.name] = add(f"permit: {p.name}", "permits", s, e)
        for g in p.gates:
            gate[g] = np.maximum(gate[g], e)
    survey_end = add("route survey", "survey", gate["survey"],
                     gate["survey"] + _p(rng, plan.survey, runs))
    manu_end = add("cable manufacture", "manufacture", survey_end,
                   survey_end + _p(rng, plan.manufacture_per_100km, runs, plan.cable_km / 100.0))
    dep = season_gate(manu_end, start, way)
    arrive = add("cable delivery via Volga-Don", "manufacture", manu_end,
                 dep + _p(rng, plan.delivery, runs))
    mob_dur = _p(rng, plan.mobilisation, runs)
    # the vessel is sent so as to arrive with the cable and the marine-works consents, not
    # before its own permit: a charterer does not pay a lay vessel to wait for permits
    # (the grant dates are taken as known a mobilisation ahead: a stated approximation)
    first, last = plan.lay_season_months
    # ... and so that, once loaded, the lay can start inside the lay season (a vessel is not
    # sent at the season's end to wait out the winter on site)
    lead = plan.mobilisation.mode_days + plan.load_cable_km[0] / plan.loading_km_per_h / 24.0
    ready = season_months_gate(np.maximum(manu_end, gate["marine_works"]) + lead, start, first,
                               last) - lead
    want = np.maximum(gate["mobilisation"], ready)
    mob_start = season_gate(want, start, way)
    on_site = add("lay vessel mobilisation via Volga-Don", "vessel", mob_start,
                  mob_start + mob_dur)
    factor = _p(rng, plan.lay_time_factor, runs)
    t = np.maximum(on_site, arrive)
    load_end = add("load-out 1", "vessel", t,
                   t + plan.load_cable_km[0] / plan.loading_km_per_h / 24.0)
    lay_start = season_months_gate(np.maximum(load_end, gate["marine_works"]), start, first,
                                   last)
    t = add("shore end A", "marine", lay_start,
            shore.finish(lay_start, _p(rng, plan.shore_end, runs)))
    for k, work in enumerate(plan.load_lay_work_days):
        if k > 0:
            back = t + _p(rng, plan.reload_transit, runs) \
                + plan.load_cable_km[k] / plan.loading_km_per_h / 24.0
            t0 = t
            t = add(f"reload {k + 1} and offshore joint", "marine", t0,
                    lay.finish(back, _p(rng, plan.joint, runs)))
        w = work * factor
        for _ in range(plan.repeaters_per_load[k]):
            w = w + _p(rng_rep, plan.repeater_handling, runs)
        t0 = t
        t = add(f"lay and burial, load {k + 1}", "marine", t0, lay.finish(t0, w))
    lay_end = t
    t = add("shore end B", "marine", lay_end,
            shore.finish(lay_end, _p(rng, plan.shore_end, runs)))
    shore_b = t
    rfs = add("final splicing and testing", "commissioning", shore_b,
              shore_b + _p(rng, plan.final_test, runs))
    leave = season_gate(shore_b, start, way)
    release = add("vessel demobilisation", "vessel", shore_b,
                  leave + _p(rng, plan.demobilisation, runs))
    milestones = {
        "permits_granted": gate["marine_works"], "survey_complete": survey_end,
        "manufacture_complete": manu_end, "cable_in_caspian": arrive, "vessel_on_site": on_site,
        "lay_start": lay_start, "lay_complete": lay_end, "shore_ends_complete": shore_b,
        "rfs": rfs, "vessel_released": release,
    }
    vessel_days = {
        "mobilisation": on_site - mob_start,
        "waiting for cable, permits or the lay season": lay_start - on_site,
        "shore ends": (shore_b - lay_end) + (names_end(names, ends, "shore end A")
                                            - lay_start),
        "lay, burial, reloads and joints": lay_end - names_end(names, ends, "shore end A"),
        "waiting for the Volga-Don to open (standby)": leave - shore_b,
        "demobilisation": release - leave,
    }
    return Simulation(tuple(names), tuple(phases), np.array(starts), np.array(ends), milestones,
                      vessel_days)


def names_end(names: Sequence[str], ends: Sequence[FloatArray], name: str) -> FloatArray:
    return ends[list(names).index(name)]


def simulate_naive(plan: Plan, way: Waterway, frac_lay: FloatArray, frac_shore: FloatArray,
                   start: dt.date, sigma: float, runs: int, seed: int) -> FloatArray:
    """The same model one installation at a time (the benchmark's naive loop): RFS days."""
    out = np.empty(runs)
    for i, ss in enumerate(np.random.SeedSequence(seed).spawn(runs)):
        out[i] = simulate(plan, way, frac_lay, frac_shore, start, sigma, 1, ss).milestones[
            "rfs"][0]
    return out


def quantiles(x: FloatArray) -> dict[str, Any]:
    """Mean, P10, P50 and P90 [d]."""
    p10, p50, p90 = np.percentile(x, [10, 50, 90])
    return {"mean": float(np.mean(x)), "p10": float(p10), "p50": float(p50), "p90": float(p90)}


#: runs per chunk of :func:`simulate_chunked` (memory ~ chunk × 144 months × 3 arrays)
CHUNK_RUNS = 20_000


def simulate_chunked(plan: Plan, way: Waterway, frac_lay: FloatArray, frac_shore: FloatArray,
                     start: dt.date, sigma: float, runs: int, seed: int,
                     progress: Any = None) -> Simulation:
    """:func:`simulate` in chunks of :data:`CHUNK_RUNS` (chunk *k* seeded by the *k*-th child
    of ``seed``), so that results do not depend on whether progress is shown."""
    n_chunks = max(1, -(-runs // CHUNK_RUNS))
    seeds = np.random.SeedSequence(seed).spawn(n_chunks)
    parts = []
    done = 0
    for k in range(n_chunks):
        n = min(CHUNK_RUNS, runs - done)
        parts.append(simulate(plan, way, frac_lay, frac_shore, start, sigma, n, seeds[k]))
        done += n
        if progress is not None:
            progress(done, runs)
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    return Simulation(
        first.names, first.phase, np.concatenate([p.start for p in parts], axis=1),
        np.concatenate([p.end for p in parts], axis=1),
        {k: np.concatenate([p.milestones[k] for p in parts]) for k in first.milestones},
        {k: np.concatenate([p.vessel_days[k] for p in parts]) for k in first.vessel_days})
