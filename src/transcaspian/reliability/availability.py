"""Analytic availability of the line: per-zone Poisson faults and their repair-time means.

Faults of zone z arrive as a Poisson process of rate λ_z and each keeps the line down for a
random repair time T_z (repairs of overlapping faults run in parallel). The number of faults
under repair at a random instant is then Poisson with mean m = Σ_z λ_z E[T_z] (the M/G/∞ queue,
whose stationary occupancy depends on T only through its mean: Takács 1962, *Introduction to the
Theory of Queues*, ch. 3), so

    U = P(at least one fault under repair) = 1 − exp(−m),

≈ Σ λ E[T] for rare faults (Trischitta, "Tutorial on Network Availability", SubOptic 2004:
U = MTTR/MTBF). Outage hours per year = 8766 U; MTBF = 1/Σλ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import poisson
from .config import RepairConfig, SpareConfig
from .repair import DAYS_PER_YEAR, mean_repair_days, spare_use_km

HOURS_PER_YEAR = DAYS_PER_YEAR * 24.0


@dataclass(frozen=True)
class AnalyticAvailability:
    """The line's availability from the analytic model."""

    faults_per_year: float
    mtbf_years: float
    mean_repair_days: float
    unavailability: float
    outage_hours_per_year: float
    p_no_fault_design_life: float
    repairs_design_life: float
    spare_use_km_per_repair: float
    covered_repairs: int
    stock_out_fraction: float
    p_stock_out_design_life: float

    @property
    def availability(self) -> float:
        return 1.0 - self.unavailability

    def to_dict(self) -> dict[str, Any]:
        return {
            "faults_per_year": self.faults_per_year,
            "mtbf_years": None if math.isinf(self.mtbf_years) else self.mtbf_years,
            "mean_repair_days": self.mean_repair_days,
            "availability": self.availability,
            "unavailability": self.unavailability,
            "outage_hours_per_year": self.outage_hours_per_year,
            "p_no_fault_design_life": self.p_no_fault_design_life,
            "repairs_design_life": self.repairs_design_life,
            "spare_use_km_per_repair": self.spare_use_km_per_repair,
            "repairs_covered_by_spare_stock": self.covered_repairs,
            "stock_out_fraction_of_repairs": self.stock_out_fraction,
            "p_stock_out_design_life": self.p_stock_out_design_life,
        }


def unavailability(rates_per_year: np.ndarray, mean_repair_days: np.ndarray) -> float:
    """U = 1 − exp(−Σ λ_z E[T_z]) [-] (M/G/∞ occupancy, module notes).

    >>> round(unavailability(np.array([0.1]), np.array([30.0])), 6)
    0.00818
    """
    m = float(np.sum(np.asarray(rates_per_year) * np.asarray(mean_repair_days)) / DAYS_PER_YEAR)
    return -math.expm1(-m)


#: grid steps of the spare-cable stock in the exact stock-out sum
STOCK_GRID_STEPS = 20_000


def p_beyond_stock(n_max: int, use_km: np.ndarray, weights: np.ndarray,
                   stock_km: float) -> np.ndarray:
    """P(S_n > stock) for n = 0 … n_max: the first n repairs use more cable than the stock.

    Each repair uses ``use_km[z]`` with probability ``weights[z]`` (its zone's share of the
    faults), independently. Exact up to a grid of stock/20,000 (uses rounded down to it): the
    distribution of S_n below the stock is convolved n times (a normal approximation of S_n
    misstates the share of repairs hit when a few zones dominate).
    """
    w = np.asarray(weights, float)
    use = np.asarray(use_km, float)
    keep = w > 0
    w, use = w[keep] / w[keep].sum(), use[keep]
    out = np.zeros(n_max + 1)
    if stock_km <= 0.0:
        out[1:] = 1.0 if use.size and float(use.min()) > 0.0 else 0.0
        return out
    step = stock_km / STOCK_GRID_STEPS
    k = np.floor(use / step + 1e-9).astype(np.int64)  # a sum equal to the stock is not over
    kk, inv = np.unique(k, return_inverse=True)
    ww = np.bincount(inv, weights=w)
    below = np.zeros(STOCK_GRID_STEPS + 1)  # P(S_n = i·step, S_n <= stock)
    below[0] = 1.0
    for n in range(1, n_max + 1):
        nxt = np.zeros_like(below)
        for shift, wz in zip(kk, ww, strict=True):
            if shift <= STOCK_GRID_STEPS:
                nxt[shift:] += wz * below[:below.size - shift]
        below = nxt
        out[n] = max(0.0, 1.0 - float(below.sum()))
    return out


def _n_max(mu: float) -> int:
    return poisson.isf(1e-12, mu) + 2


def repairs_after_stock_out(mu: float, use_km: np.ndarray, weights: np.ndarray,
                            stock_km: float) -> tuple[float, float]:
    """Expected repairs in a life made after the spare stock ran out, and P(it runs out).

    E = Σ_n P(N ≥ n) P(S_n > stock) and P = Σ_n P(N = n) P(S_n > stock), N ~ Poisson(μ)
    repairs, S_n the cable used by the first n repairs (:func:`p_beyond_stock`).
    """
    if mu <= 0.0:
        return 0.0, 0.0
    n_max = _n_max(mu)
    n = np.arange(1, n_max + 1)
    p_out = p_beyond_stock(n_max, use_km, weights, stock_km)[1:]
    p_n = poisson.sf(n - 1, mu)
    return float(np.sum(p_n * p_out)), float(np.sum(poisson.pmf(n, mu) * p_out))


def line_availability(
    rates_per_year: np.ndarray,
    depth_m: np.ndarray,
    repair: RepairConfig,
    spares: SpareConfig,
    design_life_years: float,
) -> AnalyticAvailability:
    """Analytic availability of a line made of Poisson fault zones.

    Parameters
    ----------
    rates_per_year : array
        Fault rate of each zone [1/yr] (cable sections and wet plant).
    depth_m : array
        Representative (rate-weighted) water depth of each zone [m].
    repair, spares : RepairConfig, SpareConfig
    design_life_years : float

    Notes
    -----
    Spare cable: each repair uses base + factor·depth; repairs made after the stock is used up
    wait for new cable (``stock_out_delay``; no re-stocking within the life). The share of
    repairs hit is :func:`repairs_after_stock_out` / E[N]; ``covered_repairs`` is
    ⌊stock / mean use⌋ for the report. Within a life the stock runs out once and stays out,
    so the line is in one of two states: stock left (faults under repair Poisson with mean
    m₀ = Σ λ_z E[T_z] / 365.25) or stock out (m₀ + m_D, m_D = Λ E[D] / 365.25, Λ = Σ λ, D the
    stock-out delay). Faults arrive uniformly in time, so the share f of repairs hit is also
    the share of time in the second state, and (quasi-stationary M/G/∞ occupancy in each)
    U = 1 − exp(−m₀)·(1 − f + f·exp(−m_D)). Putting the mean delay f·E[D] inside one
    exponential instead would overstate U (Jensen's inequality).
    """
    lam = np.asarray(rates_per_year, float)
    depth = np.asarray(depth_m, float)
    total = float(lam.sum())
    t_mean = np.array([mean_repair_days(repair, float(d)) for d in depth])
    use = spare_use_km(spares, depth)
    use_mean = float(np.sum(lam * use) / total) if total > 0 else 0.0
    mu = total * design_life_years
    k = math.floor(spares.stock_km / use_mean + 1e-9) if use_mean > 0 else 10**6
    excess, p_out = repairs_after_stock_out(mu, use, lam, spares.stock_km)
    frac = excess / mu if mu > 0 else 0.0
    t_eff = t_mean + frac * spares.stock_out_delay.mean_days
    m0 = float(np.sum(lam * t_mean)) / DAYS_PER_YEAR
    m_d = total * spares.stock_out_delay.mean_days / DAYS_PER_YEAR
    u = -math.expm1(-m0) + math.exp(-m0) * frac * -math.expm1(-m_d)
    return AnalyticAvailability(
        faults_per_year=total,
        mtbf_years=1.0 / total if total > 0 else math.inf,
        mean_repair_days=float(np.sum(lam * t_eff) / total) if total > 0 else 0.0,
        unavailability=u,
        outage_hours_per_year=u * HOURS_PER_YEAR,
        p_no_fault_design_life=math.exp(-mu),
        repairs_design_life=mu,
        spare_use_km_per_repair=use_mean,
        covered_repairs=min(k, 10**6),
        stock_out_fraction=frac,
        p_stock_out_design_life=p_out,
    )
