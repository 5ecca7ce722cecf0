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
from scipy import stats

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


def repairs_after_stock_out(mu: float, use_mean_km: float, use_var_km2: float,
                            stock_km: float) -> tuple[float, float]:
    """Expected repairs in a life made after the spare stock ran out, and P(it runs out).

    E = Σ_n P(N ≥ n) P(S_n > stock) and P = Σ_n P(N = n) P(S_n > stock), N ~ Poisson(μ)
    repairs, S_n the cable used by the first n repairs (normal with mean n·m and variance n·v:
    central limit theorem; a step when v = 0).
    """
    if mu <= 0.0 or use_mean_km <= 0.0:
        return 0.0, 0.0
    n_max = int(stats.poisson.isf(1e-12, mu)) + 2
    n = np.arange(1, n_max + 1)
    p_n = stats.poisson.sf(n - 1, mu)
    if use_var_km2 > 0.0:
        p_out = stats.norm.sf((stock_km - n * use_mean_km) / np.sqrt(n * use_var_km2))
    else:
        p_out = (n * use_mean_km > stock_km + 1e-12).astype(float)
    return float(np.sum(p_n * p_out)), float(np.sum(stats.poisson.pmf(n, mu) * p_out))


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
    ⌊stock / mean use⌋ for the report.
    """
    lam = np.asarray(rates_per_year, float)
    depth = np.asarray(depth_m, float)
    total = float(lam.sum())
    t_mean = np.array([mean_repair_days(repair, float(d)) for d in depth])
    use = spare_use_km(spares, depth)
    use_mean = float(np.sum(lam * use) / total) if total > 0 else 0.0
    use_var = float(np.sum(lam * (use - use_mean) ** 2) / total) if total > 0 else 0.0
    mu = total * design_life_years
    k = math.floor(spares.stock_km / use_mean + 1e-9) if use_mean > 0 else 10**6
    excess, p_out = repairs_after_stock_out(mu, use_mean, use_var, spares.stock_km)
    frac = excess / mu if mu > 0 else 0.0
    t_eff = t_mean + frac * spares.stock_out_delay.mean_days
    u = unavailability(lam, t_eff)
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
