"""The install stage: route → burial plan by risk, installation schedule, permits, RFS."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
from pydantic import ValidationError

from ..errors import InstallError
from ..geo.stage import RouteResult
from .burial import BurialPlan, Sections, design_burial, section_geometry, trade_curve
from .cbra import load_traffic, traffic_density
from .config import InstallConfig
from .permits import load_register
from .result import (
    ActivityRow,
    BurialSegment,
    InstallResult,
    MilestoneRow,
    PermitRow,
    TradeRow,
    VesselPhaseRow,
)
from .schedule import Plan, Simulation, pert_mean, simulate_chunked
from .soils import read_soils, soil_along
from .weather import workable_fraction

ESTIMATES = (
    "traffic counts by vessel class (install_traffic.yaml, derived from port statistics)",
    "P_incident and the dragging rate at anchor (CTC835 §8.7 values not readable)",
    "anchor mass, speed and anchoring depth of each vessel class",
    "anchor penetration multiples by soil and the fluke-length scaling",
    "the soil layer (coarse boxes; no sediment map of the route was read)",
    "monthly mean Hs (0.85 m × winter-worst factors) and the Weibull shape",
    "permit durations marked 'assumption' in the register",
    "shore-end, mobilisation, delivery, reload and test durations",
    "burial and protection costs",
)


def checked_config(cfg: InstallConfig) -> InstallConfig:
    """Re-validate (a scenario built in Python may bypass validation): one line, the field."""
    try:
        return InstallConfig.model_validate(cfg.model_dump())
    except ValidationError as exc:
        e = exc.errors()[0]
        loc = ".".join(str(x) for x in e["loc"])
        raise InstallError(f"install.{loc}: {e['msg']}") from None


def _sections(route: RouteResult, cfg: InstallConfig) -> Sections:
    g = section_geometry(route.rpl)
    layer = read_soils(cfg.burial.soils_file)
    soil = soil_along(g["mid_lon_deg"], g["mid_lat_deg"], layer, cfg.burial.default_soil)
    sources = load_traffic(cfg.cbra, route.hazards)
    way, anchor, names = traffic_density(np.asarray(route.rpl.lon_deg, float),
                                         np.asarray(route.rpl.lat_deg, float), sources, cfg.cbra)
    return Sections(soil=soil, under_way=way, at_anchor=anchor, traffic=names, **g)


def _segments(sec: Sections, plan: BurialPlan) -> tuple[BurialSegment, ...]:
    key = [(s, t, round(float(d), 3), m, p, r, f"{x:.3g}", "; ".join(tr))
           for s, t, d, m, p, r, x, tr in zip(sec.soil, sec.cable_type, plan.dol_m, plan.method,
                                              plan.protection, plan.reason,
                                              plan.strike_per_km_year, sec.traffic, strict=True)]
    out = []
    i = 0
    km = sec.route_km
    while i < len(key):
        j = i
        while j + 1 < len(key) and key[j + 1] == key[i]:
            j += 1
        sl = slice(i, j + 1)
        w = km[sl] / max(km[sl].sum(), 1e-12)
        out.append(BurialSegment(
            kp_start_km=float(sec.kp_start_km[i]), kp_end_km=float(sec.kp_end_km[j]),
            depth_min_m=float(sec.depth_m[sl].min()), depth_max_m=float(sec.depth_m[sl].max()),
            soil=key[i][0], cable_type=key[i][1], dol_m=float(plan.dol_m[i]),
            method=key[i][3], protection=key[i][4], reason=key[i][5],
            strike_per_km_year=float(w @ plan.strike_per_km_year[sl]),
            strike_unburied_per_km_year=float(w @ plan.strike_unburied_per_km_year[sl]),
            burial_capex_usd=float(plan.burial_capex_usd[sl].sum()), traffic=key[i][7],
            target_met=bool(plan.target_met[sl].all())))
        i = j + 1
    return tuple(out)


def _loads(sec: Sections, plan: BurialPlan, cfg: InstallConfig, repeaters: int
           ) -> tuple[float, tuple[float, ...], tuple[float, ...], tuple[int, ...]]:
    """Split the cable into tank loads; lay work (workable days) and cable km per load."""
    mass_per_km = cfg.cable_mass_t_per_km
    unknown = sorted({t for t in sec.cable_type if t not in mass_per_km})
    if unknown:
        raise InstallError(f"install.cable_mass_t_per_km: no mass for cable type {unknown[0]!r}")
    mass = sec.cable_km * np.array([mass_per_km[t] for t in sec.cable_type])
    total = float(mass.sum())
    n = max(1, math.ceil(total / cfg.vessel.tank_capacity_t - 1e-9))
    load_of = np.minimum((np.cumsum(mass) - 0.5 * mass) // (total / n), n - 1).astype(int)
    work_h = sec.route_km / plan.lay_km_per_h / cfg.durations.lay_efficiency
    work_d = work_h / 24.0 + plan.protection_days
    per_load = tuple(float(work_d[load_of == k].sum()) for k in range(n))
    km_load = tuple(float(sec.cable_km[load_of == k].sum()) for k in range(n))
    rep = [repeaters // n + (1 if k < repeaters % n else 0) for k in range(n)]
    return total, per_load, km_load, tuple(rep)


def _date(start: dt.date, days: float) -> str:
    return (start + dt.timedelta(days=float(days))).isoformat()


def simulation_plan(scenario: Any, route: RouteResult, design: Any
                    ) -> tuple[InstallConfig, Sections, BurialPlan, Plan, float]:
    """Everything deterministic before the Monte Carlo (also used by the benchmark)."""
    cfg = checked_config(scenario.install)
    sec = _sections(route, cfg)
    life = int(scenario.cable.design_life_years)
    bplan = design_burial(sec, cfg.cbra, cfg.burial, life)
    repeaters = int(getattr(design, "repeaters", 0) or 0)
    mass, work, km_load, rep = _loads(sec, bplan, cfg, repeaters)
    crossings = tuple((c.name, c.kind) for c in route.path.crossings)
    permits = load_register(cfg.permits, crossings)
    d = cfg.durations
    plan = Plan(permits=permits, cable_km=float(route.cable_length_km), load_lay_work_days=work,
                load_cable_km=km_load, repeaters_per_load=rep, survey=d.route_survey,
                manufacture_per_100km=d.manufacture_days_per_100km, delivery=d.cable_delivery,
                loading_km_per_h=d.loading_km_per_h, mobilisation=d.mobilisation,
                shore_end=d.shore_end, joint=d.joint, reload_transit=d.reload_transit,
                repeater_handling=d.repeater_handling, final_test=d.final_test,
                demobilisation=d.demobilisation, lay_time_factor=d.lay_time_factor,
                lay_season_months=cfg.lay_season_months)
    return cfg, sec, bplan, plan, mass


def run_install(scenario: Any, route: RouteResult, design: Any = None, *,
                progress: Any = None) -> InstallResult:
    """Burial by risk, the installation Monte Carlo, the permits and the RFS date.

    Raises
    ------
    InstallError
        An input is invalid (one line naming the field).
    """
    cfg, sec, bplan, plan, mass = simulation_plan(scenario, route, design)
    f_lay = workable_fraction(cfg.weather, cfg.vessel.hs_limit_lay_m)
    f_shore = workable_fraction(cfg.weather, cfg.vessel.hs_limit_shore_m)
    sim = simulate_chunked(plan, cfg.waterway, f_lay, f_shore, cfg.start_date,
                           cfg.weather.year_to_year_sigma, cfg.runs, cfg.seed, progress)
    return _result(scenario, cfg, sec, bplan, plan, mass, sim, f_lay, f_shore, design)


def _result(scenario: Any, cfg: InstallConfig, sec: Sections, bplan: BurialPlan, plan: Plan,
            mass: float, sim: Simulation, f_lay: Any, f_shore: Any, design: Any
            ) -> InstallResult:
    start = cfg.start_date
    life = int(scenario.cable.design_life_years)
    rfs = sim.milestones["rfs"]
    target_days = float((cfg.rfs_target_date - start).days)
    p10 = lambda x: float(np.percentile(x, 10))  # noqa: E731
    p50 = lambda x: float(np.percentile(x, 50))  # noqa: E731
    p90 = lambda x: float(np.percentile(x, 90))  # noqa: E731
    acts = tuple(ActivityRow(
        name=n, phase=ph, start_p50_days=p50(s), end_p50_days=p50(e), end_p90_days=p90(e),
        duration_mean_days=float(np.mean(e - s)), start_p50=_date(start, p50(s)),
        end_p50=_date(start, p50(e)), end_p90=_date(start, p90(e)))
        for n, ph, s, e in zip(sim.names, sim.phase, sim.start, sim.end, strict=True))
    ends = dict(zip(sim.names, sim.end, strict=True))
    permits = tuple(PermitRow(
        name=p.name, authority=p.authority, min_days=p.min_days, mode_days=p.mode_days,
        max_days=p.max_days, depends_on="; ".join(p.depends_on), gates="; ".join(p.gates),
        granted_p50_days=p50(ends[f"permit: {p.name}"]),
        granted_p90_days=p90(ends[f"permit: {p.name}"]), source=p.source)
        for p in plan.permits)
    miles = tuple(MilestoneRow(name=k, p10_days=p10(v), p50_days=p50(v), p90_days=p90(v),
                               p50_date=_date(start, p50(v)), p90_date=_date(start, p90(v)))
                  for k, v in sim.milestones.items())
    vdays = sum(sim.vessel_days.values())
    vessel_days = np.asarray(vdays, float)
    # days paid at the day rate: the transit in is the cost book's lump sum
    # (lay_vessel_caspian_mobilisation), the winter lay-up is paid at the standby share
    standby = sim.vessel_days["waiting for the Volga-Don to open (standby)"]
    charged = (vessel_days - sim.vessel_days["mobilisation"]
               - (1.0 - cfg.vessel.standby_rate_fraction) * standby)
    phases = tuple(VesselPhaseRow(phase=k, mean_days=float(np.mean(v)), p50_days=p50(v),
                                  p90_days=p90(v)) for k, v in sim.vessel_days.items())
    trade = tuple(TradeRow(**t.to_dict()) for t in trade_curve(sec, cfg.cbra, cfg.burial, life))
    km = sec.route_km
    v, w = cfg.vessel, cfg.waterway
    fits = (v.length_m <= w.max_length_m and v.beam_m <= w.max_beam_m
            and v.draught_m <= w.max_draught_m)
    strike_factor = np.where(bplan.strike_unburied_per_km_year > 0,
                             bplan.strike_per_km_year
                             / np.maximum(bplan.strike_unburied_per_km_year, 1e-300), 1.0)
    # a repeater's handling in calendar days: the PERT mean over the workable share of the
    # month of the P50 lay start (linear approximation used by for_design)
    lay_month = (start + dt.timedelta(days=p50(sim.milestones["lay_start"]))).month - 1
    h = cfg.durations.repeater_handling
    per_rep = pert_mean(h.min_days, h.mode_days, h.max_days) / max(float(f_lay[lay_month]), 0.02)
    return InstallResult(
        days_per_repeater=per_rep, per_repeater_days=per_rep,
        objective=cfg.cbra.objective,
        target_return_period_years_km=cfg.cbra.return_period_years_km,
        strikes_per_year=bplan.strikes_per_year,
        strikes_unburied_per_year=float(km @ bplan.strike_unburied_per_km_year),
        residual_faults_per_year=bplan.strikes_per_year,
        burial_capex_usd=float(bplan.burial_capex_usd.sum()),
        buried_km=float(km[bplan.dol_m > 0].sum()),
        protected_km=float(km[np.array([p != "" for p in bplan.protection])].sum()),
        unburiable_km=float(km[np.array([r != "" for r in bplan.reason])].sum()),
        km_missing_target=float(km[~bplan.target_met].sum()),
        segments=_segments(sec, bplan), trade=trade, cable_mass_t=mass,
        tank_capacity_t=v.tank_capacity_t, loads=len(plan.load_cable_km),
        offshore_joints=len(plan.load_cable_km) - 1, vessel_fits_waterway=fits,
        runs=cfg.runs, seed=cfg.seed, start_date=start.isoformat(),
        rfs_p50_date=_date(start, p50(rfs)), rfs_p90_date=_date(start, p90(rfs)),
        rfs_p50_days=p50(rfs), rfs_p90_days=p90(rfs),
        rfs_target_date=cfg.rfs_target_date.isoformat(),
        p_rfs_by_target=float(np.mean(rfs <= target_days)),
        vessel_days_mean=float(np.mean(vessel_days)), vessel_days_p90=p90(vessel_days),
        charged_vessel_days_mean=float(np.mean(charged)),
        charged_vessel_days_p90=p90(charged),
        workable_fraction_lay=tuple(float(x) for x in f_lay),
        workable_fraction_shore=tuple(float(x) for x in f_shore),
        milestones=miles, activities=acts, vessel_phases=phases, permits=permits,
        estimates=ESTIMATES, rfs_days=np.asarray(rfs, float), vessel_days=vessel_days,
        section_kp_km=np.asarray(sec.kp_start_km, float),
        section_dol_m=np.asarray(bplan.dol_m, float),
        section_strike_factor=np.asarray(strike_factor, float),
        section_strikes_per_year=np.asarray(km * bplan.strike_per_km_year, float),
    )


def check_install_inputs(scenario: Any) -> None:
    """Read the install stage's files and check its inputs without computing.

    Raises
    ------
    InstallError
        One line naming the field or file.
    """
    cfg = checked_config(scenario.install)
    read_soils(cfg.burial.soils_file)
    from .soils import soil

    soil(cfg.burial.default_soil, "install.burial.default_soil")
    load_traffic(cfg.cbra, ())
    load_register(cfg.permits, ())
    workable_fraction(cfg.weather, cfg.vessel.hs_limit_lay_m)
