"""Burial design by risk: a depth of lowering (DoL) per route section, or protection where
burial is impossible, and the trade of burial CAPEX against residual strikes.

Rule (CTC835 §8.9 acceptable risk, §9 specifying the DoL): per section, the shallowest DoL on a
grid whose residual strike rate meets the acceptable return period per km, or (``least_cost``)
the DoL minimising burial cost plus the expected cost of strikes over the design life. Where the
soil cannot be buried (rock), the seabed is too steep or too deep, the section is surface-laid
and, if the surface strike rate breaks the target, the cheapest protection that meets it
(double armour, articulated pipe, rock placement) is chosen, else the most protective one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..geo.rpl import Rpl
from .cbra import strike_rate_per_km_year
from .config import Burial, Cbra
from .soils import SOILS

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Sections:
    """The route cut at its RPL rows: what the burial rule and the schedule need."""

    kp_start_km: FloatArray
    kp_end_km: FloatArray
    cable_km: FloatArray
    mid_lon_deg: FloatArray
    mid_lat_deg: FloatArray
    depth_m: FloatArray
    slope_deg: FloatArray
    cable_type: tuple[str, ...]
    soil: tuple[str, ...]
    under_way: FloatArray  # (section, class) vessel-h/km²/yr
    at_anchor: FloatArray
    traffic: tuple[tuple[str, ...], ...]

    @property
    def route_km(self) -> FloatArray:
        return self.kp_end_km - self.kp_start_km

    @property
    def penetration_flukes(self) -> FloatArray:
        return np.array([SOILS[s].penetration_flukes for s in self.soil])


def section_geometry(rpl: Rpl) -> dict[str, Any]:
    """Per-section KP, length, midpoint, mean depth and slope from the RPL rows."""
    kp = np.asarray(rpl.kp_km, float)
    d = np.asarray(rpl.depth_m, float)
    dk = np.maximum(np.diff(kp), 1e-9)
    slope = np.degrees(np.arctan(np.abs(np.diff(d)) / (dk * 1000.0)))
    return {
        "kp_start_km": kp[:-1], "kp_end_km": kp[1:],
        "cable_km": np.diff(np.asarray(rpl.cable_kp_km, float)),
        "mid_lon_deg": 0.5 * (rpl.lon_deg[:-1] + rpl.lon_deg[1:]),
        "mid_lat_deg": 0.5 * (rpl.lat_deg[:-1] + rpl.lat_deg[1:]),
        "depth_m": 0.5 * (d[:-1] + d[1:]), "slope_deg": slope,
        "cable_type": tuple(rpl.cable_type[:-1]),
    }


@dataclass(frozen=True)
class BurialPlan:
    """The burial design of every section."""

    dol_m: FloatArray
    method: tuple[str, ...]  # plough | jet | cut | surface
    protection: tuple[str, ...]  # "" or a protection name
    reason: tuple[str, ...]  # why not buried ("" when buried or not needed)
    strike_per_km_year: FloatArray  # residual, after burial and protection
    strike_unburied_per_km_year: FloatArray
    burial_capex_usd: FloatArray  # per section, burial + protection, vessel time excluded
    lay_km_per_h: FloatArray  # lay/burial rate of the section
    protection_days: FloatArray
    target_per_km_year: float
    target_met: npt.NDArray[np.bool_]
    route_km: FloatArray

    @property
    def strikes_per_year(self) -> float:
        """Residual anchor strikes on the whole route [1/yr]."""
        return float(self.route_km @ self.strike_per_km_year)


def _burial_cost(dol: FloatArray, cfg: Burial) -> FloatArray:
    return cfg.cost_usd_per_km * np.power(np.maximum(dol, 0.0), cfg.cost_exponent)


def _rate_km_per_h(dol: FloatArray, soil: tuple[str, ...], cfg: Burial) -> FloatArray:
    """Lay rate [km/h]: the soil's fastest burial method (DTOcean rates, reference E4) slowed by
    ``deep_dol_rate_factor`` per metre beyond 1 m; surface lay where DoL = 0."""
    best = np.array([SOILS[s].best_method()[1] for s in soil]) / 1000.0
    slow = np.power(cfg.deep_dol_rate_factor, np.maximum(dol - 1.0, 0.0))
    return np.where(dol > 0, best * slow, cfg.surface_lay_km_per_h)


def design_burial(sec: Sections, cbra: Cbra, burial: Burial, design_life_years: int,
                  return_period_years_km: float | None = None) -> BurialPlan:
    """Choose the DoL (or protection) of every section.

    Parameters
    ----------
    sec : Sections
        The route's sections with soil and traffic.
    cbra, burial : Cbra, Burial
        The strike model, the rule and the costs.
    design_life_years : int
        Design life for the least-cost rule [yr].
    return_period_years_km : float, optional
        Overrides ``cbra.return_period_years_km`` (the trade chart).
    """
    rp = return_period_years_km or cbra.return_period_years_km
    target = 1.0 / rp
    n = sec.depth_m.size
    grid = np.arange(0.0, cbra.max_dol_m + 1e-9, cbra.dol_step_m)
    pen = sec.penetration_flukes
    rates = strike_rate_per_km_year(grid[:, None], sec.depth_m, pen, sec.under_way,
                                    sec.at_anchor, cbra)  # (k, n)
    buriable = np.array([SOILS[s].buriable for s in sec.soil])
    steep = sec.slope_deg > cbra.max_burial_slope_deg
    deep = sec.depth_m > cbra.max_burial_water_depth_m
    can_bury = buriable & ~steep & ~deep
    if cbra.objective == "least_cost":
        cost = (_burial_cost(grid, burial)[:, None]
                + rates * design_life_years * cbra.fault_cost_usd)
        k = np.argmin(cost, axis=0)
    else:
        ok = rates <= target
        k = np.where(ok.any(axis=0), np.argmax(ok, axis=0), grid.size - 1)
    dol = np.where(can_bury, grid[k], 0.0)
    residual = np.where(can_bury, rates[k, np.arange(n)], rates[0])
    reason = tuple("" if c else ("rock" if not b else "steep slope" if s else "deep water")
                   for c, b, s in zip(can_bury, buriable, steep, strict=True))
    prot = [""] * n
    factor = np.ones(n)
    pcost = np.zeros(n)
    pdays = np.zeros(n)
    names = sorted(burial.protection, key=lambda p: burial.protection[p].cost_usd_per_km)
    km = sec.route_km
    for i in np.flatnonzero(~can_bury & (residual > target)):
        meets = [p for p in names if residual[i] * burial.protection[p].strike_factor <= target]
        pick = meets[0] if meets else min(names, key=lambda p: burial.protection[p].strike_factor)
        prot[i] = pick
        pr = burial.protection[pick]
        factor[i] = pr.strike_factor
        pcost[i] = pr.cost_usd_per_km * km[i]
        pdays[i] = km[i] / pr.rate_km_per_day
    residual = residual * factor
    method = tuple("surface" if d <= 0 else SOILS[s].best_method()[0]
                   for d, s in zip(dol, sec.soil, strict=True))
    plan = BurialPlan(
        dol_m=dol, method=method, protection=tuple(prot), reason=reason,
        strike_per_km_year=residual, strike_unburied_per_km_year=rates[0],
        burial_capex_usd=_burial_cost(dol, burial) * km + pcost,
        lay_km_per_h=_rate_km_per_h(dol, sec.soil, burial), protection_days=pdays,
        target_per_km_year=target, target_met=residual <= target * (1 + 1e-9), route_km=km,
    )
    return plan


@dataclass(frozen=True)
class TradePoint:
    """One burial target of the trade chart."""

    return_period_years_km: float
    burial_capex_usd: float
    strikes_per_year: float
    availability: float  # anchor-strike outages only
    buried_km: float
    mean_dol_m: float

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.__dict__.items()}


def trade_curve(sec: Sections, cbra: Cbra, burial: Burial,
                design_life_years: int) -> tuple[TradePoint, ...]:
    """Burial CAPEX against expected strikes and availability across return-period targets."""
    out = []
    km = sec.route_km
    for rp in cbra.trade_return_periods_years_km:
        p = design_burial(sec, cbra.model_copy(update={"objective": "return_period"}), burial,
                          design_life_years, rp)
        lam = float(km @ p.strike_per_km_year)
        buried = p.dol_m > 0
        out.append(TradePoint(
            return_period_years_km=float(rp), burial_capex_usd=float(p.burial_capex_usd.sum()),
            strikes_per_year=lam,
            availability=float(1.0 / (1.0 + lam * cbra.mean_repair_days / 365.25)),
            buried_km=float(km[buried].sum()),
            mean_dol_m=float((km[buried] @ p.dol_m[buried]) / km[buried].sum())
            if buried.any() else 0.0))
    return tuple(out)
