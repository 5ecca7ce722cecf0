"""The reliability stage: route + optics (+ corridor) → faults, repairs, availability.

``run_reliability(scenario, route, design, network)`` is the stage's entry: it reads the route's
RPL and hazard layers, the design the decision stage chose (repeaters, Raman, ROPA; its repair
allowance) and the corridor result, and never re-runs them. :func:`candidate_availability` is
its core, the analytic availability of several candidate designs at once, which the decision
stage weighs (the same functions, so the two agree exactly).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..records import Record, flag, quantity, text
from . import poisson
from .availability import AnalyticAvailability, line_availability, unavailability
from .config import ReliabilityConfig
from .faults import FaultProfile, fault_profile
from .montecarlo import (
    MonteCarloResult,
    both_down_fraction,
    require_monte_carlo_memory,
    simulate_exponential_outages,
    simulate_line,
    simulated_outages_per_year,
)
from .plant import DesignPlant, PlantReliability, plant_reliability
from .repair import mean_repair_days, spare_use_km
from .tables import plant_table, zone_tables

if TYPE_CHECKING:  # pragma: no cover
    from ..geo.stage import RouteResult
    from ..network.analysis import CorridorResult
    from ..optics.design import DesignResult
    from ..scenario import Scenario
    from .corridor import CorridorAvailability

HOURS_PER_YEAR = 8766.0


@dataclass(frozen=True)
class FaultZone(Record):
    """One Poisson fault zone: a depth band / cable type / hazard group, or a wet-plant item."""

    zone: str = text("zone name (band / cable type / hazards, or the wet-plant item)")
    band: str = text("depth band (empty for wet plant)")
    cable_type: str = text("cable type (empty for wet plant)")
    hazards: tuple[str, ...] = text("hazard layers the zone crosses")
    cable_km: float = quantity("km", "cable length in the zone", digits=None)
    faults_per_year: float = quantity("1/yr", "expected faults", digits=None)
    by_cause: dict[str, float] = quantity("1/yr", "expected faults by cause", digits=None)
    mean_fault_depth_m: float = quantity("m", "fault-rate-weighted mean depth", digits=None)


@dataclass(frozen=True)
class RepairAllowance(Record):
    """Whether the optics stage's repair allowance covers the repairs the design life expects."""

    optics_repairs_allowed: int = quantity("1", "repairs in the optical budget "
                                           "(optics.end_of_life.repairs)", digits=None)
    optics_extra_cable_km_per_repair: float = quantity("km", "extra cable per repair in the "
                                                       "optical budget", digits=None)
    optics_allowance_db: float = quantity("dB", "loss allowed for repairs", digits=None)
    expected_repairs_design_life: float = quantity("1", "expected repairs over the life",
                                                   digits=None)
    p_repairs_within_allowance: float = quantity("1", "P(repairs <= allowed), Poisson",
                                                 digits=None)
    repairs_at_confidence: int = quantity("1", "repairs at the stated confidence", digits=None)
    confidence: float = quantity("1", "confidence asked (reliability.allowance_confidence)",
                                 digits=None)
    model_extra_cable_km_per_repair: float = quantity("km", "spare cable a repair inserts at "
                                                      "the mean fault depth", digits=None)
    model_mean_fault_depth_m: float = quantity("m", "fault-rate-weighted mean depth",
                                               digits=None)
    loss_at_confidence_db: float = quantity("dB", "repair loss at the stated confidence",
                                            digits=None)
    enough: bool = flag("the allowance covers the repairs at the stated confidence")


@dataclass(frozen=True)
class ProtectionOption(Record):
    """The line alone, or with a second cable or a terrestrial protection path."""

    option: str = text("what protects the line")
    availability: float = quantity("1", "analytic availability of the service", digits=None)
    outage_hours_per_year: float = quantity("h/yr", "analytic outage", digits=None)
    monte_carlo_outage_hours_per_year: float | None = quantity(
        "h/yr", "Monte Carlo outage (both paths down)", digits=None)
    second_cable_faults_per_year: float | None = quantity(
        "1/yr", "faults of the second cable", digits=None, default=None)
    second_cable_availability: float | None = quantity(
        "1", "availability of the second cable alone", digits=None, default=None)
    p_both_cables_down: float | None = quantity(
        "1", "fraction of simulated time both cables are down", digits=None, default=None)
    protection_availability: float | None = quantity(
        "1", "availability of the terrestrial protection path alone", digits=None,
        default=None)
    p_both_down: float | None = quantity(
        "1", "fraction of simulated time the line and the protection path are down",
        digits=None, default=None)
    note: str = text("what the model leaves out", default="")


@dataclass(frozen=True)
class ReliabilityResult:
    """Everything the reliability stage found (``to_dict()`` is the JSON)."""

    design_name: str
    design_life_years: int
    ship_repairs_per_year: float  # expected marine repairs per year (cable + wet plant) [1/yr]
    availability: float  # the line's analytic availability (cable + wet plant) [fraction]
    outage_hours_per_year: float  # the line's expected outage [h/yr]
    profile: FaultProfile = field(repr=False)
    zones: tuple[FaultZone, ...]
    plant: PlantReliability
    zone_rates_per_year: np.ndarray = field(repr=False)
    zone_depths_m: np.ndarray = field(repr=False)
    analytic: AnalyticAvailability
    monte_carlo: MonteCarloResult
    repair_phases_mean_days: dict[str, float]
    allowance: RepairAllowance
    protection: tuple[ProtectionOption, ...]
    corridor: CorridorAvailability | None = None

    @property
    def service_availability(self) -> float:
        """A wavelength's availability: the line × its fibre pair's dry plant [fraction]."""
        return self.availability * (1.0 - self.plant.dry_unavailability_per_fibre_pair)

    def to_dict(self) -> dict[str, Any]:
        edges, dens = self.profile.density_per_km()
        return {
            "design": self.design_name,
            "ship_repairs_per_year": self.ship_repairs_per_year,
            "availability": self.availability,
            "outage_hours_per_year": self.outage_hours_per_year,
            "service_availability_per_fibre_pair": self.service_availability,
            "cable_faults_per_year": self.profile.faults_per_year,
            "cable_faults_by_cause_per_year": self.profile.by_cause(),
            "faults_design_life": self.analytic.repairs_design_life,
            "zones": [z.to_dict() for z in self.zones],
            "fault_density_per_km_year": {
                "kp_edges_km": [round(float(e), 3) for e in edges],
                "per_km_year": [float(d) for d in dens],
            },
            "plant": self.plant.to_dict(),
            "analytic": self.analytic.to_dict(),
            "monte_carlo": self.monte_carlo.to_dict(),
            "analytic_vs_monte_carlo_sigma": _sigma(self),
            "repair_phases_mean_days": self.repair_phases_mean_days,
            "repair_allowance": self.allowance.to_dict(),
            "protection_options": [p.to_dict() for p in self.protection],
            "corridor": None if self.corridor is None else self.corridor.to_dict(),
        }


def _sigma(r: ReliabilityResult) -> float | None:
    se = r.monte_carlo.sampling_error_hours
    if se <= 0:
        return None
    return (r.monte_carlo.mean_outage_hours - r.analytic.outage_hours_per_year) / se


def design_plant(d: DesignResult, fibre_pairs: int, cable_length_km: float) -> DesignPlant:
    """A design's plant: repeater and ROPA positions on the cable [km]."""
    n = int(d.repeaters)
    reps = tuple(cable_length_km * (i + 1) / (n + 1) for i in range(n))
    ropa: tuple[float, ...] = ()
    if "ropa" in d.amplification and d.ropa_distance_km is not None:
        ropa = (float(d.ropa_distance_km), cable_length_km - float(d.ropa_distance_km))
    return DesignPlant(d.name, d.amplification, n, int(fibre_pairs), reps, ropa)


def _zones(profile: FaultProfile, plant: PlantReliability,
           cable_kp: np.ndarray, depth: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    zones = profile.zones()
    rates = [z["faults_per_year"] for z in zones]
    depths = [z["mean_fault_depth_m"] for z in zones]
    for rate, kp, item in zip(plant.wet_rate_per_year, plant.wet_kp_km, plant.wet_items,
                              strict=True):
        dep = float(np.interp(kp, cable_kp, depth))
        zones.append({"zone": f"wet plant: {item} at cable KP {kp:.1f}", "band": "", "cable_type":
                      "", "hazards": [], "cable_km": 0.0, "faults_per_year": float(rate),
                      "by_cause": {"other": float(rate)}, "mean_fault_depth_m": dep})
        rates.append(float(rate))
        depths.append(dep)
    return np.asarray(rates, float), np.asarray(depths, float), zones


def _allowance(scenario: Scenario, an: AnalyticAvailability, cfg: ReliabilityConfig,
               depth_mean_m: float) -> RepairAllowance:
    eol = scenario.optics.end_of_life
    mu = an.repairs_design_life
    p_within = float(poisson.cdf(eol.repairs, mu))
    q = poisson.ppf(cfg.allowance_confidence, mu) if mu > 0 else 0
    use = an.spare_use_km_per_repair
    loss = scenario.optics.fibre.loss_db_per_km
    per_repair_db = use * loss + 2.0 * eol.repair_splice_db
    allowance_db = eol.repairs * (eol.repair_extra_cable_km * loss + 2.0 * eol.repair_splice_db)
    enough = p_within >= cfg.allowance_confidence and q * per_repair_db <= allowance_db + 1e-9
    return RepairAllowance(
        optics_repairs_allowed=int(eol.repairs),
        optics_extra_cable_km_per_repair=float(eol.repair_extra_cable_km),
        optics_allowance_db=float(allowance_db),
        expected_repairs_design_life=float(mu),
        p_repairs_within_allowance=p_within,
        repairs_at_confidence=q,
        confidence=float(cfg.allowance_confidence),
        model_extra_cable_km_per_repair=float(use),
        model_mean_fault_depth_m=float(depth_mean_m),
        loss_at_confidence_db=float(q * per_repair_db),
        enough=bool(enough),
    )


def _protection(cfg: ReliabilityConfig, an: AnalyticAvailability, mc: MonteCarloResult,
                rates: np.ndarray, depths: np.ndarray, cable_km: float, life: int,
                seed: np.random.SeedSequence) -> tuple[ProtectionOption, ...]:
    rows = [ProtectionOption(
        option="line alone", availability=float(an.availability),
        outage_hours_per_year=float(an.outage_hours_per_year),
        monte_carlo_outage_hours_per_year=float(mc.mean_outage_hours),
    )]
    per_km = float(rates.sum()) / cable_km if cable_km > 0 else 0.0
    depth_mean = float(np.sum(rates * depths) / rates.sum()) if rates.sum() > 0 else 0.0
    if cfg.second_cable is not None:
        sc = cfg.second_cable
        lam2 = np.array([per_km * sc.rate_multiplier * sc.length_km])
        an2 = line_availability(lam2, np.array([depth_mean]), cfg.repair, cfg.spares, life)
        mc2 = simulate_line(lam2, np.array([depth_mean]), cfg.repair, cfg.spares,
                            design_life_years=life, years=mc.years, seed=seed)
        both = both_down_fraction(mc.outages, mc2.outages)
        rows.append(ProtectionOption(
            option=f"line + second cable ({sc.name})",
            second_cable_faults_per_year=float(lam2.sum()),
            second_cable_availability=float(an2.availability),
            availability=float(1.0 - an.unavailability * an2.unavailability),
            outage_hours_per_year=float(an.unavailability * an2.unavailability * HOURS_PER_YEAR),
            monte_carlo_outage_hours_per_year=float(both * HOURS_PER_YEAR),
            p_both_cables_down=float(both),
            note="independent faults; one repair model (a shared repair vessel, which would "
                 "serialise two repairs, is not modelled)",
        ))
    if cfg.protection_path is not None:
        pp = cfg.protection_path
        lam_p = pp.cut_rate_per_1000km_year * pp.length_km / 1000.0
        u_p = unavailability(np.array([lam_p]), np.array([pp.mttr_hours / 24.0]))
        prot = simulate_exponential_outages(lam_p, pp.mttr_hours / 24.0, years=mc.years,
                                            seed=seed.spawn(1)[0])
        both = both_down_fraction(mc.outages, prot)
        rows.append(ProtectionOption(
            option=f"line + {pp.name}",
            protection_availability=float(1.0 - u_p),
            availability=float(1.0 - an.unavailability * u_p),
            outage_hours_per_year=float(an.unavailability * u_p * HOURS_PER_YEAR),
            monte_carlo_outage_hours_per_year=float(both * HOURS_PER_YEAR),
            p_both_down=float(both),
        ))
    return tuple(rows)


@dataclass(frozen=True)
class LineAvailability(Record):
    """The analytic availability of one candidate design (what the decision weighs)."""

    design: str = text("design name")
    availability: float = quantity("1", "analytic line availability, cable and wet plant",
                                   digits=9)
    outage_hours_per_year: float = quantity("h/yr", "expected outage of the line", digits=3)
    ship_repairs_per_year: float = quantity("1/yr", "expected marine repairs (cable and wet "
                                            "plant)", digits=6)


def candidate_availability(scenario: Scenario, route: RouteResult,
                           designs: Sequence[DesignResult],
                           install: Any = None) -> tuple[LineAvailability, ...]:
    """Analytic availability of each design on the routed cable (one fault profile for all).

    The same functions as :func:`run_reliability` up to the analytic availability, so the
    decision table and the reliability stage give the chosen design the same numbers.
    """
    cfg: ReliabilityConfig = scenario.reliability
    anchors = None if install is None else install.section_strikes_per_year
    profile = fault_profile(route.rpl, route.hazards, cfg, zone_tables(cfg), anchors)
    items = plant_table(cfg)
    cable_kp = np.asarray(route.rpl.cable_kp_km, float)
    depth = np.asarray(route.rpl.depth_m, float)
    life = int(scenario.cable.design_life_years)
    out = []
    for d in designs:
        plant = plant_reliability(items, design_plant(d, scenario.cable.fibre_pairs,
                                                      route.cable_length_km))
        rates, depths, _ = _zones(profile, plant, cable_kp, depth)
        an = line_availability(rates, depths, cfg.repair, cfg.spares, life)
        out.append(LineAvailability(d.name, float(an.availability),
                                    float(an.outage_hours_per_year), float(an.faults_per_year)))
    return tuple(out)


def run_reliability(
    scenario: Scenario,
    route: RouteResult,
    design: DesignResult,
    network: CorridorResult | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    install: Any = None,
) -> ReliabilityResult:
    """Fault model, repair model, analytic and Monte Carlo availability, corridor availability.

    Raises
    ------
    ReliabilityError
        A rate table or parameter is invalid (one line naming the field).
    """
    cfg: ReliabilityConfig = scenario.reliability
    tables = zone_tables(cfg)
    items = plant_table(cfg)
    # the install stage's burial plan: residual anchor strikes per section replace the band's
    # anchor share of human-caused faults (None: the per-band assumption alone)
    anchors = None if install is None else install.section_strikes_per_year
    profile = fault_profile(route.rpl, route.hazards, cfg, tables, anchors)
    life = int(scenario.cable.design_life_years)
    cable_kp = np.asarray(route.rpl.cable_kp_km, float)
    depth = np.asarray(route.rpl.depth_m, float)
    plant = plant_reliability(items, design_plant(design, scenario.cable.fibre_pairs,
                                                  route.cable_length_km))
    rates, depths, zones = _zones(profile, plant, cable_kp, depth)
    an = line_availability(rates, depths, cfg.repair, cfg.spares, life)
    ss = np.random.SeedSequence(cfg.monte_carlo.seed)
    s_line, s_second, s_corr = ss.spawn(3)
    require_monte_carlo_memory(cfg.monte_carlo.years, simulated_outages_per_year(
        cfg, float(rates.sum()), route.cable_length_km))
    mc = simulate_line(rates, depths, cfg.repair, cfg.spares, design_life_years=life,
                       years=cfg.monte_carlo.years, seed=s_line, progress=progress)
    depth_mean = float(np.sum(rates * depths) / rates.sum()) if rates.sum() > 0 else 0.0
    rep = cfg.repair
    # every phase, so that the listed phases add up to the totals (the joint is linear in depth,
    # so its mean at the rate-weighted mean depth is the rate-weighted mean over the zones)
    from .repair import mean_phase_days

    each = mean_phase_days(rep, depth_mean)
    stock_out_wait = an.stock_out_fraction * cfg.spares.stock_out_delay.mean_days
    phases = {
        "locate": each["locate"], "permits": each["permits"],
        "mobilisation": each["mobilisation"],
        "volga_don_closure_wait": each["volga_don_closure_wait"],
        "transit": each["transit"],
        "joint_at_mean_fault_depth": each["joint"],
        "weather_standby": each["weather_standby"],
        "total_at_mean_fault_depth": mean_repair_days(rep, depth_mean),
        "spare_stock_out_wait": stock_out_wait,
        "total_with_spare_stock_outs": mean_repair_days(rep, depth_mean) + stock_out_wait,
        "spare_km_at_mean_fault_depth": float(spare_use_km(cfg.spares, depth_mean)),
    }
    corridor = None
    if network is not None:
        from .corridor import corridor_availability

        corridor = corridor_availability(network, cfg, line_unavailability=an.unavailability,
                                         line_rate_per_year=an.faults_per_year, seed=s_corr)
    return ReliabilityResult(
        design_name=design.name,
        design_life_years=life,
        ship_repairs_per_year=an.faults_per_year,
        availability=an.availability,
        outage_hours_per_year=an.outage_hours_per_year,
        profile=profile,
        zones=tuple(FaultZone(zone=z["zone"], band=z["band"], cable_type=z["cable_type"],
                              hazards=tuple(z["hazards"]), cable_km=float(z["cable_km"]),
                              faults_per_year=float(z["faults_per_year"]),
                              by_cause={k: float(v) for k, v in z["by_cause"].items()},
                              mean_fault_depth_m=float(z["mean_fault_depth_m"]))
                    for z in zones),
        plant=plant,
        zone_rates_per_year=rates,
        zone_depths_m=depths,
        analytic=an,
        monte_carlo=mc,
        repair_phases_mean_days={k: float(v) for k, v in phases.items()},
        allowance=_allowance(scenario, an, cfg, depth_mean),
        protection=_protection(cfg, an, mc, rates, depths, route.cable_length_km, life,
                               s_second),
        corridor=corridor,
    )


__all__ = ["FaultZone", "LineAvailability", "ProtectionOption", "ReliabilityResult",
           "RepairAllowance", "candidate_availability", "design_plant",
           "run_reliability"]
