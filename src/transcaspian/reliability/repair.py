"""Time to repair at sea in a landlocked sea: a sum of lognormal phases, by depth and season.

T = locate + permits + mobilisation (+ the wait for the Volga-Don to reopen, when a ship must
come through it in winter) + transit + joint (median grows with depth) + weather standby (by the
season of the fault) (+ the stock-out delay when the spare cable has run out).

Each phase is lognormal with median m and 90th percentile p: σ = ln(p/m)/z₀.₉, mean
m·exp(σ²/2) (Aitchison & Brown, *The Lognormal Distribution*, 1957, ch. 2), truncated above at
the phase's ``max_days`` b: drawn by inversion, m·exp(σ·Φ⁻¹(U·Φ(c))) with U uniform and
c = ln(b/m)/σ, mean m·exp(σ²/2)·Φ(c−σ)/Φ(c) (:attr:`Phase.mean_days`). Phase durations are
independent.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import special

from .config import SEASONS, Phase, RepairConfig, SpareConfig

FloatArray = npt.NDArray[np.float64]
DAYS_PER_YEAR = 365.25
#: season of each calendar month (1-12): Dec-Feb winter, Mar-May spring, ...
MONTH_SEASON = np.array([0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 0])


def month_of(day_of_year: npt.ArrayLike) -> npt.NDArray[np.intp]:
    """Calendar month (1-12) of a day of the year in [0, 365.25) (equal months)."""
    d = np.asarray(day_of_year, float)
    return (np.minimum((d / DAYS_PER_YEAR * 12.0).astype(np.intp), 11) + 1).astype(np.intp)


def closure_wait_days(day_of_year: npt.ArrayLike, closed_months: tuple[int, ...]) -> FloatArray:
    """Days from a day of the year until the Volga-Don is open again (0 when open) [d]."""
    d = np.asarray(day_of_year, float)
    if not closed_months:
        return np.zeros_like(d)
    month_len = DAYS_PER_YEAR / 12.0
    closed = np.zeros(12, bool)
    closed[np.asarray(closed_months) - 1] = True
    # days until the next open month start, for each month (two years to wrap around)
    nxt_open = np.zeros(12)
    for m in range(12):
        k = 0
        while closed[(m + k) % 12]:
            k += 1
        nxt_open[m] = k  # months until an open month (0 if open)
    m0 = month_of(d) - 1
    into = d - m0 * month_len
    wait = np.where(closed[m0], nxt_open[m0] * month_len - into, 0.0)
    return np.asarray(wait, float)


def _truncated_z(rng: np.random.Generator, c: float, n: int) -> FloatArray:
    """n standard normals conditioned on Z <= c (inversion: Φ⁻¹(U·Φ(c)), U ~ U(0, 1))."""
    u = 1.0 - rng.random(n)  # (0, 1]: never Φ⁻¹(0) = -inf
    top = 1.0 if math.isinf(c) else float(special.ndtr(c))
    return np.asarray(special.ndtri(u * top), float)


def _lognormal(rng: np.random.Generator, phase: Phase, n: int) -> FloatArray:
    if phase.median_days <= 0.0:
        return np.zeros(n)
    z = _truncated_z(rng, phase.truncation_z, n)
    return np.asarray(phase.median_days * np.exp(phase.sigma * z), float)


def joint_phase(cfg: RepairConfig, depth_m: float) -> Phase:
    """The joint phase at a depth: median + ``joint_days_per_1000m`` per km, same p90/median and
    max/median."""
    extra = cfg.joint_days_per_1000m * depth_m / 1000.0
    j = cfg.joint
    ratio = j.p90_days / j.median_days if j.median_days > 0 else 1.0
    m = j.median_days + extra
    top = None if j.max_days is None or j.median_days <= 0 else m * j.max_days / j.median_days
    return Phase(median_days=m, p90_days=m * ratio, max_days=top)


def mean_phase_days(cfg: RepairConfig, depth_m: float) -> dict[str, float]:
    """Mean duration of every repair phase of a fault at ``depth_m``, averaged over the year [d].

    Faults arrive uniformly over the year (a homogeneous Poisson process), so the season's
    weather standby and the Volga-Don closure wait are averaged over the calendar. The values
    add up to :func:`mean_repair_days`.
    """
    season_share = np.bincount(MONTH_SEASON, minlength=4) / 12.0
    weather = float(sum(season_share[i] * cfg.weather.phase(s).mean_days
                        for i, s in enumerate(SEASONS)))
    if cfg.vessel == "local_retainer":
        mob, wait = cfg.mobilisation_local.mean_days, 0.0
    else:
        grid = (np.arange(36525) + 0.5) / 100.0
        mob = cfg.mobilisation_volga_don.mean_days
        wait = float(closure_wait_days(grid, cfg.volga_don_closed_months).mean())
    return {
        "locate": cfg.locate.mean_days,
        "permits": cfg.permits.mean_days,
        "mobilisation": mob,
        "volga_don_closure_wait": wait,
        "transit": cfg.transit.mean_days,
        "joint": joint_phase(cfg, depth_m).mean_days,
        "weather_standby": weather,
    }


def mean_repair_days(cfg: RepairConfig, depth_m: float) -> float:
    """Mean time to repair of a fault at ``depth_m``, averaged over the year [d]: the sum of
    :func:`mean_phase_days`."""
    return float(sum(mean_phase_days(cfg, depth_m).values()))


def sample_repair_days(
    rng: np.random.Generator, cfg: RepairConfig, depth_m: FloatArray, day_of_year: FloatArray
) -> FloatArray:
    """Random repair times of faults at depths ``depth_m`` on days ``day_of_year`` [d].

    Vectorised over faults: one draw per phase per fault.
    """
    n = int(np.asarray(depth_m).size)
    t = _lognormal(rng, cfg.locate, n) + _lognormal(rng, cfg.permits, n)
    t += _lognormal(rng, cfg.transit, n)
    # joint: the median grows with depth; σ and the truncation point c are the same at all depths
    j = joint_phase(cfg, 0.0)
    med = cfg.joint.median_days + cfg.joint_days_per_1000m * np.asarray(depth_m) / 1000.0
    t += med * np.exp(j.sigma * _truncated_z(rng, j.truncation_z, n))
    season = MONTH_SEASON[month_of(day_of_year) - 1]
    for i, s in enumerate(SEASONS):
        ph = cfg.weather.phase(s)
        if ph.median_days > 0:
            draw = _lognormal(rng, ph, n)
            t += np.where(season == i, draw, 0.0)
    if cfg.vessel == "local_retainer":
        t += _lognormal(rng, cfg.mobilisation_local, n)
    else:
        t += _lognormal(rng, cfg.mobilisation_volga_don, n)
        t += closure_wait_days(day_of_year, cfg.volga_don_closed_months)
    return np.asarray(t, float)


def spare_use_km(spares: SpareConfig, depth_m: npt.ArrayLike) -> FloatArray:
    """Spare cable one repair uses at a depth: base + depth_factor × depth [km]."""
    return np.asarray(spares.base_km + spares.depth_factor * np.asarray(depth_m, float) / 1000.0)


def sample_stock_out_days(rng: np.random.Generator, spares: SpareConfig, n: int) -> FloatArray:
    """Extra outage of repairs made after the spare stock ran out [d]."""
    return _lognormal(rng, spares.stock_out_delay, n)
