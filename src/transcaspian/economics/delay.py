"""Money and time: the ready-for-service (RFS) distribution in the business case.

The kernel's year 1 starts on 1 January of ``construction_year + 1`` (the planned RFS). A run
of the install stage's Monte Carlo that reaches RFS *d* years later (or earlier, *d* < 0)
serves a fraction ``clip(t - d, 0, 1)`` of model year *t* ≥ 1 (and ``min(-d, 1)`` of year 0
at year-1 prices when early): revenue starts at RFS and the price erosion already in each
year's revenue runs meanwhile, so a late line sells its first years' capacity at eroded prices
only in the years it serves. The design life ends on its planned date. A late RFS also
extends project management: the cost book's project-management item spread over the planned
contract-to-RFS time [currency/d] × days late, paid in year 1; the lay vessel's days are in
CAPEX already (their mean; the P90 case adds its excess over the mean).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..records import Record, quantity, text

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RfsEffect(Record):
    """The RFS distribution's effect on the business case."""

    planned_rfs_date: str = text("RFS the business case assumes (1 Jan of construction_year+1)")
    rfs_p50_date: str = text("P50 RFS (install stage)")
    rfs_p90_date: str = text("P90 RFS (install stage)")
    rfs_target_date: str = text("date the scenario names (install.rfs_target_date)")
    p_rfs_by_target: float = quantity("1", "P(RFS on or before the target date)", digits=4)
    p_rfs_by_planned: float = quantity("1", "P(RFS on or before the planned RFS)", digits=4)
    npv_planned: float = quantity("currency", "NPV with RFS as planned", digits=0)
    npv_at_p50_rfs: float = quantity("currency", "NPV with RFS at its P50", digits=0)
    npv_at_p90_rfs: float = quantity("currency", "NPV with RFS at its P90 (and P90 vessel "
                                     "days)", digits=0)
    expected_npv: float = quantity("currency", "mean NPV over the simulated RFS dates",
                                   digits=0)
    expected_cost_of_delay: float = quantity("currency", "mean NPV lost to late RFS (runs "
                                             "earlier than planned count as 0)", digits=0)
    pm_cost_per_day: float = quantity("currency/d", "project management per day of delay",
                                      digits=0)


def npv_shift(revenue: FloatArray, discount_rate: float, delay_years: FloatArray,
              pm_cost_per_year: float) -> FloatArray:
    """Change of NPV when RFS moves by ``delay_years`` (each entry a run) [currency].

    Parameters
    ----------
    revenue : ndarray, shape (T,)
        Project revenue per model year (year 0 the build, no revenue).
    discount_rate : float
    delay_years : ndarray
        RFS minus planned RFS [yr] (negative: early).
    pm_cost_per_year : float
        Extra project management per year late [currency/yr], paid in year 1.
    """
    d = np.asarray(delay_years, float)[:, None]
    t = np.arange(revenue.size, dtype=float)[None, :]
    served = np.clip(t - d, 0.0, 1.0)
    served[:, 0] = 0.0
    disc = (1.0 + discount_rate) ** -t
    lost = ((1.0 - served) * revenue[None, :] * disc).sum(axis=1)
    early = np.minimum(np.maximum(-d[:, 0], 0.0), 1.0) * (revenue[1] if revenue.size > 1 else 0)
    pm = np.maximum(d[:, 0], 0.0) * pm_cost_per_year / (1.0 + discount_rate)
    return np.asarray(early - lost - pm, float)


def rfs_effect(install: Any, revenue: FloatArray, discount_rate: float, npv: float,
               construction_year: int, pm_total: float, day_rate: float) -> RfsEffect:
    """The RFS distribution's effect on NPV (see the module notes)."""
    planned = dt.date(construction_year + 1, 1, 1)
    start = dt.date.fromisoformat(install.start_date)
    plan_days = float((planned - start).days)
    rfs = np.asarray(install.rfs_days, float)
    delay = (rfs - plan_days) / 365.25
    pm_day = pm_total / max(plan_days, 1.0)
    shift = npv_shift(np.asarray(revenue, float), discount_rate, delay, pm_day * 365.25)
    p50, p90 = np.percentile(rfs, [50, 90])
    pair = npv_shift(np.asarray(revenue, float), discount_rate,
                     (np.array([p50, p90]) - plan_days) / 365.25, pm_day * 365.25)
    vessel_excess = max(install.charged_vessel_days_p90 - install.charged_vessel_days_mean,
                        0.0) * day_rate
    target = dt.date.fromisoformat(install.rfs_target_date)
    return RfsEffect(
        planned_rfs_date=planned.isoformat(), rfs_p50_date=install.rfs_p50_date,
        rfs_p90_date=install.rfs_p90_date, rfs_target_date=install.rfs_target_date,
        p_rfs_by_target=float(np.mean(rfs <= (target - start).days)),
        p_rfs_by_planned=float(np.mean(rfs <= plan_days)),
        npv_planned=float(npv), npv_at_p50_rfs=float(npv + pair[0]),
        npv_at_p90_rfs=float(npv + pair[1] - vessel_excess / (1.0 + discount_rate)),
        expected_npv=float(npv + shift.mean()),
        expected_cost_of_delay=float(np.mean(np.maximum(-shift, 0.0) * (delay > 0))),
        pm_cost_per_day=pm_day)
