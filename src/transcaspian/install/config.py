"""Inputs of the install stage (the scenario's ``install:`` section).

Every default carries its source or is flagged as an estimate ([U]) in its description; the
tags follow ``docs/install.md``. Sources are listed in ``data/SOURCES.md``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..model import StrictModel, resolve_path

NonNeg = Annotated[float, Field(ge=0.0)]
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class Pert(StrictModel):
    """A three-point (Beta-PERT) duration [d]: minimum, most likely, maximum."""

    min_days: float = Field(ge=0.0, description="Optimistic duration [d].")
    mode_days: float = Field(ge=0.0, description="Most likely duration [d].")
    max_days: float = Field(ge=0.0, description="Pessimistic duration [d].")

    @model_validator(mode="after")
    def _ordered(self) -> Pert:
        if not self.min_days <= self.mode_days <= self.max_days:
            raise ValueError("need min_days <= mode_days <= max_days")
        return self


def _pert(a: float, m: float, b: float) -> Pert:
    return Pert(min_days=a, mode_days=m, max_days=b)


class VesselClass(StrictModel):
    """A class of passing vessel for the anchor-strike model (CTC835 §8.3-8.7, §9.2-9.3)."""

    anchor_mass_t: float = Field(gt=0.0, le=50.0, description="Bower anchor mass [t] [U].")
    speed_kn: float = Field(gt=0.0, le=30.0, description="Service speed V_ship [kn] [U].")
    max_anchoring_depth_m: float = Field(
        gt=0.0, le=500.0, description="Deepest water an emergency anchor is dropped in (P_wd "
        "= 1 shallower, 0 deeper) [m] [U].")
    drag_distance_km: float = Field(
        gt=0.0, le=10.0, description="D_ship: distance over which a dropped or dragging anchor "
        "can reach the cable [km] [U].")


def _default_classes() -> dict[str, VesselClass]:
    # [U] estimates: Volga-Don size limit 141 m / ~5,000 DWT (E1) bounds "small"; Caspian
    # tankers and rail ferries (~13,000 DWT) are "medium"; anchor masses from typical
    # equipment-number tables, not a cited source.
    return {
        "small": VesselClass(anchor_mass_t=2.0, speed_kn=9.0, max_anchoring_depth_m=60.0,
                             drag_distance_km=0.3),
        "medium": VesselClass(anchor_mass_t=4.5, speed_kn=12.0, max_anchoring_depth_m=80.0,
                              drag_distance_km=0.5),
        "large": VesselClass(anchor_mass_t=7.5, speed_kn=13.0, max_anchoring_depth_m=100.0,
                             drag_distance_km=0.8),
    }


class Cbra(StrictModel):
    """Anchor-strike model and the burial design rule."""

    vessel_classes: dict[str, VesselClass] = Field(
        default_factory=_default_classes, min_length=1,
        description="Vessel classes by name (anchor mass, speed, anchoring depth limit).")
    traffic_file: Path | None = Field(
        None, description="Traffic sources YAML (lanes and anchorages with vessels per year by "
        "class); default: the bundled install_traffic.yaml (estimates).")
    incident_per_vessel_hour: float = Field(
        1.0e-5, gt=0.0, le=1.0, description="P_incident: emergency anchoring incidents per "
        "vessel-hour under way [1/h] [U]; CTC835 §8.7 values not readable.")
    drag_per_anchored_hour: float = Field(
        2.0e-5, gt=0.0, le=1.0, description="Dragging incidents per vessel-hour at anchor "
        "[1/h] [U].")
    background_vessel_hours_per_km2_year: dict[str, NonNeg] = Field(
        default_factory=lambda: {"small": 0.6, "medium": 0.3, "large": 0.05},
        description="Traffic density outside the lanes, by vessel class [vessel-h/km²/yr] [U]: "
        "Caspian totals (C1) spread over the Middle Caspian, an estimate.")
    fluke_coefficient_m_per_t13: float = Field(
        0.85, gt=0.0, le=3.0, description="Fluke length = c · anchor mass^(1/3) [m/t^(1/3)] "
        "[U] (geometric scaling of stockless anchors).")
    penetration_sigma: float = Field(
        0.4, gt=0.0, le=2.0, description="Log-standard deviation of anchor penetration about "
        "its median [-] [U].")
    objective: Literal["return_period", "least_cost"] = Field(
        "return_period", description="Depth-of-lowering rule: the shallowest DoL meeting the "
        "return period, or the least expected cost of burial plus faults.")
    return_period_years_km: float = Field(
        10_000.0, gt=0.0, description="Acceptable return period of an anchor strike per km "
        "[yr·km] (CTC835 §8.9 'acceptable risk'; the toolkit's middle case of 1e3/1e4/1e5) [U].")
    trade_return_periods_years_km: tuple[Annotated[float, Field(gt=0.0)], ...] = Field(
        (1_000.0, 10_000.0, 100_000.0, 300_000.0, 1_000_000.0, 3_000_000.0), min_length=1,
        description="Return periods of the trade chart [yr·km].")
    dol_step_m: float = Field(0.1, gt=0.0, le=1.0, description="DoL search step [m].")
    max_dol_m: float = Field(3.0, gt=0.0, le=10.0, description="Deepest DoL the burial tools "
                             "reach [m] [U] (plough/jet trencher).")
    max_burial_water_depth_m: float = Field(
        1000.0, gt=0.0, description="No burial deeper than this [m] [S] ASN method statement "
        "2014 (burial ~1 m from 15 to 1,000 m in sand and mud).")
    max_burial_slope_deg: float = Field(
        15.0, gt=0.0, le=90.0, description="Steeper seabed: no burial, protection instead "
        "[deg] [U].")
    fault_cost_usd: float = Field(
        3.0e6, ge=0.0, description="Cost of one anchor-strike fault (repair ship, spares, "
        "lost revenue) for the least-cost rule [USD] [U].")
    mean_repair_days: float = Field(
        30.0, gt=0.0, description="Mean outage per fault for the trade chart's availability "
        "[d] [U] (the reliability stage has the full repair model).")


class Protection(StrictModel):
    """A protection for sections that cannot be buried (rock, steep slopes)."""

    strike_factor: float = Field(ge=0.0, le=1.0, description="Residual share of strikes that "
                                 "damage the cable [-] [U].")
    cost_usd_per_km: float = Field(ge=0.0, description="Cost [USD/km] [U].")
    rate_km_per_day: float = Field(gt=0.0, description="Installation rate [km/d] [U].")


def _default_protection() -> dict[str, Protection]:
    return {
        "double_armour": Protection(strike_factor=0.5, cost_usd_per_km=15_000.0,
                                    rate_km_per_day=20.0),
        "articulated_pipe": Protection(strike_factor=0.2, cost_usd_per_km=120_000.0,
                                       rate_km_per_day=1.0),
        "rock_placement": Protection(strike_factor=0.05, cost_usd_per_km=600_000.0,
                                     rate_km_per_day=0.5),
    }


class Burial(StrictModel):
    """Burial costs and rates by method and soil."""

    soils_file: Path | None = Field(
        None, description="GeoJSON of seabed sediment classes (property 'soil'); default: the "
        "bundled coarse Caspian layer (approximate).")
    default_soil: str = Field("soft_clay", description="Soil where no polygon covers the "
                              "route (deep basin: soft to firm clay, reference B) [U].")
    cost_usd_per_km: float = Field(25_000.0, ge=0.0, description="Burial cost per km at 1 m "
                                   "DoL, vessel time excluded [USD/km] [U].")
    cost_exponent: float = Field(1.5, ge=0.0, le=4.0, description="Cost ∝ DoL^exponent [-] [U].")
    surface_lay_km_per_h: float = Field(
        1.0, gt=0.0, description="Surface lay rate [km/h] [S] ORBIT export-cable default.")
    deep_dol_rate_factor: float = Field(
        0.5, gt=0.0, le=1.0, description="Rate multiplier per metre of DoL beyond 1 m [-] [U].")
    protection: dict[str, Protection] = Field(default_factory=_default_protection, min_length=1)

    @field_validator("soils_file")
    @classmethod
    def _path(cls, v: Path | None, info: ValidationInfo) -> Path | None:
        return resolve_path(v, info)


class Vessel(StrictModel):
    """The lay vessel: Volga-Don limits, tank, operating limits."""

    length_m: float = Field(135.0, gt=0.0, description="Length overall [m].")
    beam_m: float = Field(16.5, gt=0.0, description="Beam [m].")
    draught_m: float = Field(3.5, gt=0.0, description="Draught in transit [m].")
    tank_capacity_t: float = Field(
        1500.0, gt=0.0, description="Cable tank/turntable load [t] [U] (DTOcean barges "
        "375-4,000 t; a Volga-Don hull carries ≤ ~5,000 DWT).")
    standby_rate_fraction: float = Field(
        0.5, ge=0.0, le=1.0, description="Day rate while laid up waiting for the Volga-Don "
        "to open, as a share of the working day rate [1] [U] (charter standby rates are "
        "commonly quoted at 50-100 % of the operating rate; no Caspian source).")
    hs_limit_lay_m: float = Field(1.75, gt=0.0, description="Hs limit, lay and burial [m] [S] "
                                  "DTOcean operations 203-207.")
    hs_limit_shore_m: float = Field(0.75, gt=0.0, description="Hs limit, shore pull-in [m] [S] "
                                    "DTOcean operations 201-202.")
    day_rate_usd: float = Field(60_000.0, ge=0.0, description="Spread day rate [USD/d] [U] "
                                "(cost book lay_vessel_day_rate).")


class Waterway(StrictModel):
    """The Volga-Don canal: vessel limits and navigation season [S] reference E1."""

    max_length_m: float = Field(141.0, gt=0.0, description="[m] [S].")
    max_beam_m: float = Field(16.8, gt=0.0, description="[m] [S].")
    max_draught_m: float = Field(3.6, gt=0.0, description="[m] [S].")
    opens_day_of_year: int = Field(105, ge=1, le=366, description="Opening, ~mid April [S] "
                                   "(usually April; earliest 24 March).")
    closes_day_of_year: int = Field(335, ge=1, le=366, description="Last entry, ~1 Dec [S] "
                                    "(1-7 Dec in 2022-2025).")


def _default_hs() -> dict[str, float]:
    f = (1.4, 1.3, 1.2, 1.0, 0.8, 0.7, 0.7, 0.7, 0.8, 1.0, 1.2, 1.4)
    return {m: round(0.85 * x, 3) for m, x in zip(MONTHS, f, strict=True)}


class Weather(StrictModel):
    """Monthly significant-wave-height climate (or a hindcast CSV)."""

    monthly_mean_hs_m: dict[str, float] = Field(
        default_factory=_default_hs, description="Mean Hs by month [m] [U]: 0.85 m central "
        "basin (Jason-1 1.2 m × 0.7 bias correction, reference D1) × winter-worst factors "
        "(not sourced).")
    weibull_shape: float = Field(1.5, gt=0.3, le=5.0, description="Weibull shape of Hs [-] [U].")
    hindcast_csv: Path | None = Field(
        None, description="Hs time series CSV (columns time, hs_m); replaces the table.")
    year_to_year_sigma: float = Field(
        0.3, ge=0.0, le=2.0, description="Log-sd of a month's downtime about its mean [-] [U].")

    @field_validator("monthly_mean_hs_m")
    @classmethod
    def _months(cls, v: dict[str, float]) -> dict[str, float]:
        missing = [m for m in MONTHS if m not in v]
        if missing:
            raise ValueError(f"wave table is missing month(s) {', '.join(missing)}")
        unknown = [m for m in v if m not in MONTHS]
        if unknown:
            raise ValueError(f"unknown month(s) {', '.join(unknown)} (use {', '.join(MONTHS)})")
        if any(h <= 0 for h in v.values()):
            raise ValueError("every monthly mean Hs must be > 0")
        return v

    @field_validator("hindcast_csv")
    @classmethod
    def _path(cls, v: Path | None, info: ValidationInfo) -> Path | None:
        return resolve_path(v, info)


class Durations(StrictModel):
    """Activity durations [d] (Beta-PERT) and rates."""

    route_survey: Pert = Field(default_factory=lambda: _pert(30, 40, 70), description="[S] TCFO "
                               "survey 5-6 weeks at sea (reference F5/G).")
    manufacture_days_per_100km: Pert = Field(
        default_factory=lambda: _pert(22, 28, 45), description="[D] TCFO ~380 km in 3-4 "
        "months (reference G).")
    cable_delivery: Pert = Field(default_factory=lambda: _pert(12, 18, 35), description="Factory "
                                 "to Caspian staging port via the Volga-Don [U].")
    loading_km_per_h: float = Field(5.0, gt=0.0, description="Load-out rate [km/h] [S] SAIX "
                                    "2020 (reference E3).")
    mobilisation: Pert = Field(default_factory=lambda: _pert(20, 30, 60), description="Lay "
                               "vessel transit through the inland waterways and refit [U].")
    shore_end: Pert = Field(default_factory=lambda: _pert(5, 10, 15), description="Per landing "
                            "[U] (reference E5 placeholder 5-15 d).")
    joint: Pert = Field(default_factory=lambda: _pert(0.5, 0.75, 1.0), description="Offshore "
                        "joint [S] up to ~18 h (reference E3).")
    reload_transit: Pert = Field(default_factory=lambda: _pert(1, 2, 4), description="Return to "
                                 "the staging port and back, per extra load [U].")
    repeater_handling: Pert = Field(default_factory=lambda: _pert(0.1, 0.25, 0.5), description=
                                    "Per repeater (powered wet plant) over the stern [U].")
    final_test: Pert = Field(default_factory=lambda: _pert(5, 10, 20), description="Final "
                             "splicing, commissioning tests [U].")
    demobilisation: Pert = Field(default_factory=lambda: _pert(10, 15, 30), description="[U].")
    lay_time_factor: Pert = Field(
        default_factory=lambda: _pert(0.9, 1.0, 1.4), description="Multiplier of the planned "
        "lay/burial work (soil surprises, tool breakdowns) [-] [U]; the 'days' are a factor.")
    lay_efficiency: float = Field(0.7, gt=0.0, le=1.0, description="Share of workable time "
                                  "spent laying (turns, tool checks) [-] [U].")


class Permit(StrictModel):
    """One permit, consent or agreement of the register."""

    authority: str = Field(min_length=1)
    duration: Pert
    depends_on: tuple[str, ...] = ()
    gates: tuple[Literal["survey", "mobilisation", "marine_works"], ...] = Field(
        (), description="Activities that cannot start before it is granted.")
    source: str = Field("assumption", description="Source of the duration, or 'assumption'.")


class Permits(StrictModel):
    """The permit register (bundled YAML, overridable)."""

    file: Path | None = Field(None, description="Permit register YAML; default: the bundled "
                              "install_permits.yaml.")
    entries: dict[str, Permit] = Field(
        default_factory=dict, description="Permits added to (or replacing, by name) the "
        "register's entries.")
    crossing_agreement: Pert = Field(
        default_factory=lambda: _pert(60, 120, 270), description="Duration of each crossing "
        "agreement (one per crossing the route found) [U]: no public data (reference F4).")

    @field_validator("file")
    @classmethod
    def _path(cls, v: Path | None, info: ValidationInfo) -> Path | None:
        return resolve_path(v, info)


class InstallConfig(StrictModel):
    """Burial by risk, the installation schedule, permits and the RFS date."""

    start_date: dt.date = Field(dt.date(2025, 3, 4), description="Contract (t = 0) [S] "
                                "construction agreement 4 Mar 2025 (reference F5).")
    rfs_target_date: dt.date = Field(dt.date(2026, 12, 31), description="Date whose "
                                     "P(RFS by) is reported [S] target end-2026 (reference F5).")
    runs: int = Field(10_000, ge=100, le=2_000_000, description="Simulated installations.")
    lay_season_months: tuple[int, int] = Field(
        (4, 10), description="First and last calendar month in which marine works (shore end "
        "and lay) may start [S] the line's planned lay window Q2-Q3 2026 (azh.kz; reference "
        "F5) and the Middle-Caspian storm season Nov-Mar (reference, wave climate); (1, 12) "
        "books them in any month.")
    seed: int = Field(20260101, ge=0)
    cbra: Cbra = Field(default_factory=Cbra)
    burial: Burial = Field(default_factory=Burial)
    vessel: Vessel = Field(default_factory=Vessel)
    waterway: Waterway = Field(default_factory=Waterway)
    weather: Weather = Field(default_factory=Weather)
    durations: Durations = Field(default_factory=Durations)
    permits: Permits = Field(default_factory=Permits)
    cable_mass_t_per_km: dict[str, float] = Field(
        default_factory=lambda: {"DA": 3.5, "SA": 1.4, "LWA": 1.1, "LWP": 0.9, "LW": 0.6},
        description="Cable mass in air by type [t/km]: SA [S] Voksel 48-fibre datasheet; "
        "others [U].")

    @field_validator("lay_season_months")
    @classmethod
    def _season(cls, v: tuple[int, int]) -> tuple[int, int]:
        first, last = v
        if not (1 <= first <= last <= 12):
            raise ValueError("must be two months 1..12, first <= last")
        return v

    @field_validator("cable_mass_t_per_km")
    @classmethod
    def _mass(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [k for k, x in v.items() if not x > 0]
        if bad:
            raise ValueError(f"cable mass must be > 0 t/km ({', '.join(bad)})")
        return v
