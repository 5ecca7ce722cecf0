"""Inputs of the reliability stage (pydantic v2): fault model, repair model, Monte Carlo, corridor.

Every number that has no public source is a parameter here with its reasoning in the
description; sourced defaults name their source (tags: [S] stated by the source,
[D] derived, [U] assumption). The per-zone factor and plant tables are
bundled CSV files with a source column (``data/fault_zone_factors.csv``,
``data/plant_reliability.csv``); a scenario may name its own files or override single rows.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..model import StrictModel, resolve_path

Cause = Literal["human", "environmental", "other"]
CAUSES: tuple[Cause, ...] = ("human", "environmental", "other")
Season = Literal["winter", "spring", "summer", "autumn"]
SEASONS: tuple[Season, ...] = ("winter", "spring", "summer", "autumn")


class CauseShares(StrictModel):
    """Split of the global fault rate by cause (fractions summing to 1)."""

    human: float = Field(
        0.74, ge=0.0, le=1.0,
        description="Fishing, anchors and other human activity [fraction]; 74 % (TeleGeography "
        "2017: 38 % fishing, 25 % anchoring, 11 % other human), ICPC 2025: 70-80 % [S/U].",
    )
    environmental: float = Field(
        0.14, ge=0.0, le=1.0,
        description="Natural hazards and abrasion [fraction]; 14 % (TeleGeography 2017) [U].",
    )
    other: float = Field(
        0.12, ge=0.0, le=1.0,
        description="Component failure and unknown [fraction]; 12 % (TeleGeography 2017) [U].",
    )

    @model_validator(mode="after")
    def _sum(self) -> CauseShares:
        total = self.human + self.environmental + self.other
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"cause shares must sum to 1, got {total:.6g}")
        return self

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.human, self.environmental, self.other)


class ZoneFactor(StrictModel):
    """One row of the zone-factor table (replaces the bundled row with the same keys)."""

    factor: Literal[
        "depth_band_max_m", "depth_weight", "generic_length_fraction", "hazard_multiplier",
        "armour_factor",
    ] = Field(description="Which table: depth band edges, cause weights by band, the generic "
              "cable's length fractions, hazard multipliers, armour factors.")
    key: str = Field(min_length=1, description="Band name, hazard kind or cable type.")
    cause: Cause | None = Field(None, description="Cause the factor applies to (none for band "
                                "edges and length fractions).")
    value: float = Field(ge=0.0, le=1e6, description="The factor (or depth [m] for band edges).")
    source: str = Field("scenario", description="Where the number comes from.")


class PlantItem(StrictModel):
    """One row of the plant-reliability table (replaces the bundled row of the same item)."""

    item: str = Field(min_length=1, description="Equipment name (repeater, slte, pfe, ...).")
    plant: Literal["dry", "wet"] = Field(description="dry: in a station (hours to repair); "
                                         "wet: submerged (a ship repair).")
    fit: float = Field(ge=0.0, le=1e9, description="Failure rate per unit [FIT = 1e-9 /h].")
    repair_hours: float | None = Field(None, ge=0.0, le=1e5,
                                       description="Dry plant repair time [h] (wet: ship model).")
    redundancy: int = Field(1, ge=1, le=4, description="Units in parallel (1 = none, 2 = 1+1).")
    count_per: Literal["repeater_fibre_pair", "ropa_fibre_pair", "end_fibre_pair", "end"] = Field(
        description="What one unit is counted per.")
    applies_to: Literal["all", "repeatered", "raman", "ropa"] = Field(
        description="Designs that have this equipment.")
    source: str = Field("scenario", description="Where the numbers come from.")


class Phase(StrictModel):
    """A repair phase duration: a lognormal (median, 90th percentile) truncated at a maximum.

    The median and p90 are those of the parent lognormal; the phase is drawn from it conditioned
    on ``<= max_days`` (an upper-truncated lognormal), so no phase is longer than its maximum.
    """

    median_days: float = Field(ge=0.0, le=3650.0, description="Median duration [d].")
    p90_days: float = Field(ge=0.0, le=3650.0, description="90th percentile [d] (>= median; "
                            "equal = a fixed duration).")
    max_days: float | None = Field(
        None, gt=0.0, le=3650.0,
        description="Longest duration of the phase [d]: the lognormal is truncated here "
        "(>= p90_days). null = not truncated (an unbounded tail: a few draws of years).")

    @model_validator(mode="after")
    def _order(self) -> Phase:
        if self.p90_days < self.median_days:
            raise ValueError("p90_days must be >= median_days")
        if self.median_days == 0.0 and self.p90_days > 0.0:
            raise ValueError("a phase with median_days 0 must have p90_days 0")
        if self.max_days is not None and self.max_days < self.p90_days:
            raise ValueError("max_days must be >= p90_days")
        return self

    @property
    def truncation_z(self) -> float:
        """Standard-normal truncation point c = ln(max/median)/σ (+inf when not truncated)."""
        if self.max_days is None or self.sigma <= 0.0:
            return math.inf
        return math.log(self.max_days / self.median_days) / self.sigma

    @property
    def sigma(self) -> float:
        """Lognormal shape σ = ln(p90/median) / z₀.₉ [-]."""
        if self.median_days <= 0.0:
            return 0.0
        return math.log(self.p90_days / self.median_days) / Z90

    @property
    def mean_days(self) -> float:
        """Mean of the upper-truncated lognormal [d].

        m·exp(σ²/2)·Φ(c − σ)/Φ(c), c = ln(max/m)/σ: the first moment of a lognormal truncated
        above (Johnson, Kotz & Balakrishnan, *Continuous Univariate Distributions* vol. 1, 2nd
        ed. 1994, ch. 14 §4); m·exp(σ²/2) without truncation (Aitchison & Brown 1957, ch. 2).
        """
        s = self.sigma
        mean = self.median_days * math.exp(0.5 * s**2)
        c = self.truncation_z
        if math.isinf(c):
            return mean
        return mean * _ndtr(c - s) / _ndtr(c)


def _ndtr(x: float) -> float:
    """Standard normal CDF Φ(x)."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


#: standard normal 90th percentile (scipy.stats.norm.ppf(0.9))
Z90 = 1.2815515655446004


class WeatherStandby(StrictModel):
    """Median weather standby per season (lognormal, shared p90/median ratio)."""

    winter_days: float = Field(7.0, ge=0.0, le=365.0, description="Dec-Feb median [d]: the "
                               "Middle Caspian's highest waves are in winter (Myslenkov et al.; "
                               "Kruglova & Myslenkov, Water 15:2125, 2023) [S]; 7 d [D/U].")
    spring_days: float = Field(2.0, ge=0.0, le=365.0, description="Mar-May median [d] [U].")
    summer_days: float = Field(0.0, ge=0.0, le=365.0, description="Jun-Aug median [d] "
                               " [D/U].")
    autumn_days: float = Field(3.0, ge=0.0, le=365.0, description="Sep-Nov median [d] [U].")
    p90_over_median: float = Field(3.0, ge=1.0, le=100.0,
                                   description="p90 / median of every season's standby [U].")
    max_days: float | None = Field(
        60.0, gt=0.0, le=3650.0,
        description="Longest weather standby of one repair [d] (each season's lognormal is "
        "truncated here; must be >= every season's p90): two months, about a whole winter "
        "season of the Middle Caspian's highest waves (Kruglova & Myslenkov 2023) [U]. "
        "null = not truncated.")

    @model_validator(mode="after")
    def _max_above_p90(self) -> WeatherStandby:
        if self.max_days is not None:
            for s in SEASONS:
                if getattr(self, f"{s}_days") * self.p90_over_median > self.max_days:
                    raise ValueError(f"max_days must be >= the {s} p90 "
                                     f"({s}_days x p90_over_median)")
        return self

    def phase(self, season: Season) -> Phase:
        m = getattr(self, f"{season}_days")
        return Phase(median_days=m, p90_days=m * self.p90_over_median,
                     max_days=self.max_days if m > 0 else None)


class RepairConfig(StrictModel):
    """Time to repair at sea as a sum of phases.

    Default median ≈ 25 d, bracketed by the global 20-30 d mean (SubTel Forum Industry Report)
    and the 107 d mean of unplanned submarine power-cable repairs (CIGRE via WindEurope 2024).
    """

    locate: Phase = Field(Phase(median_days=1.0, p90_days=2.0, max_days=7.0),
                          description="Fault location (OTDR/COTDR, PFE tests) [d] [D/U]; at most "
                          "7 d: a shunt fault found by PFE tests within a week [U].")
    permits: Phase = Field(
        Phase(median_days=5.0, p90_days=30.0, max_days=120.0),
        description="Permits and notice to the five littoral states; permits are often 'the "
        "largest hindrance' (SubTel Forum Industry Report 4.2) [S]; 5 / 30 d [D/U]; at most "
        "120 d (four times the p90; no Caspian permit statistics exist, submarine.md open "
        "question 5) [U].")
    vessel: Literal["local_retainer", "volga_don"] = Field(
        "local_retainer",
        description="local_retainer: a Caspian vessel (e.g. a DP construction vessel) on a "
        "retainer; volga_don: a cable ship brought in through the Volga-Don waterway, closed in "
        "winter (the Caspian is reached only through Russian inland waterways).")
    mobilisation_local: Phase = Field(
        Phase(median_days=10.0, p90_days=45.0, max_days=90.0),
        description="Vessel and spread mobilisation of a local vessel [d] "
        "(phase model anchored on the global 20-30 d MTTR, SubTel Forum) [D/U]; at most 90 d: "
        "a retained vessel busy elsewhere is freed or replaced within one quarterly retainer "
        "period (standby ships are paid by quarterly fees, reliability_economics.md A2) [U].")
    mobilisation_volga_don: Phase = Field(
        Phase(median_days=30.0, p90_days=60.0, max_days=180.0),
        description="Bringing a ship and spread through the Volga-Don (13 locks, 141 x 16.8 x "
        "3.6 m limit) when it is open [d]; Orange Marine needs up to 10 d to reach a fault in open "
        "sea (Orange Marine CEO interview, arkforgeai.com) plus the inland passage [U]; at most "
        "180 d, one navigation season ('navigable for around six months', ncoc.kz) [U]. The "
        "winter closure wait is added on top.")
    volga_don_closed_months: tuple[int, ...] = Field(
        (12, 1, 2, 3),
        description="Months (1-12) when the Volga-Don is closed by ice; a repair that needs a ship "
        "through it waits for the reopening. 'Closed for several months in winter' (Wikipedia "
        "Volga-Don Canal), 'navigable for around six months' (ncoc.kz): Dec-Mar assumed [U].")
    transit: Phase = Field(Phase(median_days=1.0, p90_days=2.0, max_days=5.0),
                           description="Transit to the fault in the Caspian [d] [D/U]; at most "
                           "5 d: ~1,200 km end to end at 10 kn is 2.7 d [D/U].")
    joint: Phase = Field(
        Phase(median_days=5.0, p90_days=12.0, max_days=30.0),
        description="Recovery, joint and re-burial in shallow water [d]: 5-7 d median, p90 "
        "12 d; UK repair missions of 8 and 10 d (Julian Rawle Consulting) [S/D]; at most 30 d, "
        "three times the longest of those missions [U] (the maximum grows with depth as the "
        "median does).")
    joint_days_per_1000m: float = Field(
        2.0, ge=0.0, le=100.0,
        description="Extra median repair time per 1000 m of water depth [d]: deeper repairs need "
        "longer grapnel drives (2 x depth of down-line, GMSL 2008) [U].")
    weather: WeatherStandby = Field(default_factory=WeatherStandby,
                                    description="Weather standby by season.")

    @field_validator("volga_don_closed_months")
    @classmethod
    def _months(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= m <= 12 for m in v) or len(set(v)) != len(v) or len(v) > 11:
            raise ValueError("months must be distinct integers 1-12 (at most 11)")
        return v


class SpareConfig(StrictModel):
    """Spare cable held for repairs."""

    base_km: float = Field(0.5, ge=0.0, le=100.0,
                           description="Cable used by a repair in shallow water [km] [U].")
    depth_factor: float = Field(
        2.5, ge=0.0, le=20.0,
        description="Extra cable per repair per unit water depth [km/km]: '~2-3 x water depth' "
        "(cable-repair practice), 2 x depth of down-line on the second grapnel drive (GMSL 2008) "
        "[S/U].")
    stock_km: float = Field(
        10.0, ge=0.0, le=10000.0,
        description="Spare cable stock kept in Baku or Aktau [km]; Volga-Don limits reels (5.5 km "
        "on a bespoke 8 m reel, azernews 2020) [U].")
    stock_out_delay: Phase = Field(
        Phase(median_days=90.0, p90_days=180.0, max_days=365.0),
        description="Extra outage when the stock has run out: cable made and shipped [d] [U]; at "
        "most a year (made, then shipped in the next Volga-Don navigation season) [U].")


class MonteCarloConfig(StrictModel):
    """Monte Carlo of the line's outages."""

    years: int = Field(20_000, ge=100, le=100_000_000,
                       description="Simulated cable-years (split into design lives).")
    seed: int = Field(20260101, ge=0, description="Seed of numpy's SeedSequence.")


class SecondCable(StrictModel):
    """A second Caspian cable (e.g. the Kuryk-Buzovna reserve route) protecting the line."""

    name: str = Field("Kuryk-Buzovna", min_length=1, description="Name of the second cable.")
    length_km: float = Field(
        340.0, gt=0.0, le=5000.0,
        description="Cable length [km]: Kuryk (43.18 N, 51.65 E) - Buzovna (40.52 N, 50.12 E) "
        "great circle ≈ 325 km x ~1.05 route factor [D/U].")
    rate_multiplier: float = Field(
        1.5, ge=0.0, le=100.0,
        description="Its fault rate per km relative to the main line's mean: Buzovna is an "
        "active offshore mud-volcano site (Aliyev & Guliyev: offshore eruptions at Buzovna "
        "in 2001) [U].")


class ProtectionPath(StrictModel):
    """A terrestrial (or other) protection path for the line's traffic."""

    name: str = Field("terrestrial protection", min_length=1, description="Name of the path.")
    length_km: float = Field(1500.0, gt=0.0, le=50000.0, description="Path length [km] [U].")
    cut_rate_per_1000km_year: float = Field(
        2.7, ge=0.0, le=1000.0,
        description="Terrestrial fibre cuts per 1000 km per year [U: commonly quoted Bellcore-era "
        "figure ~4.4 per 1000 sheath-miles, not verified here].")
    mttr_hours: float = Field(12.0, gt=0.0, le=1e5,
                              description="Mean time to repair [h] (Net2Plan default 12 h) [S].")


class GroupRisk(StrictModel):
    """Failure rate and repair time of one shared-risk group of the corridor."""

    rate_per_year: float = Field(ge=0.0, le=1000.0, description="Events per year [1/yr].")
    mttr_days: float = Field(gt=0.0, le=3650.0, description="Mean time to repair [d].")


class CorridorReliability(StrictModel):
    """Failure model of the corridor's links and shared-risk groups."""

    submarine_rate_per_1000km_year: float | None = Field(
        None, ge=0.0, le=1000.0,
        description="Faults per 1000 km per year of other submarine links; null = the global "
        "rate of this config (ICPC) [S/D].")
    submarine_mttr_days: float = Field(
        25.0, gt=0.0, le=3650.0,
        description="Mean time to repair of other submarine links [d]: global average ~20-30 d "
        "(SubTel Forum Industry Report 4.2) [S].")
    terrestrial_rate_per_1000km_year: float = Field(
        2.7, ge=0.0, le=1000.0,
        description="Terrestrial cuts per 1000 km per year [U: commonly quoted Bellcore-era "
        "figure, not verified here].")
    terrestrial_mttr_hours: float = Field(12.0, gt=0.0, le=1e5,
                                          description="Terrestrial MTTR [h] (Net2Plan 12 h) [S].")
    group_default_submarine: GroupRisk = Field(
        GroupRisk(rate_per_year=0.15, mttr_days=60.0),
        description="Events per year that cut every link of a named shared-risk group of "
        "submarine links (a ship's anchor across a cable corridor, a landing), and their "
        "repair: the Red Sea saw multi-cable cuts in 2008, 2024 and 2025 (~3 in ~18 yr ≈ "
        "0.15/yr) and the 2024 repairs took months [D/U].")
    group_default_terrestrial: GroupRisk = Field(
        GroupRisk(rate_per_year=0.5, mttr_days=1.0),
        description="The same for a group with terrestrial links (a shared duct, bridge or "
        "rail corridor, e.g. the 2011 Ksani cut in Georgia) [U].")
    groups: dict[str, GroupRisk] = Field(
        default_factory=dict,
        description="Per-group overrides by SRLG name. A named group with a single link is "
        "that link's own risk and adds nothing unless it is listed here.")
    max_simultaneous_failures: int = Field(
        2, ge=1, le=3,
        description="Failure states enumerated exactly: up to this many simultaneous failures; the "
        "probability mass of the others is reported (as Net2Plan's Report_availability).")
    monte_carlo_samples: int = Field(10_000, ge=0, le=10_000_000,
                                     description="Monte Carlo states to check the enumeration.")
    residual_samples: int = Field(
        5_000, ge=0, le=10_000_000,
        description="Sampled states with more failures than enumerated, to estimate the part "
        "of the unavailability the enumeration leaves out (0 = report the bounds only).")


class ReliabilityConfig(StrictModel):
    """Everything the reliability stage needs beyond the route, optics and corridor results."""

    global_fault_rate_per_1000km_year: float = Field(
        0.103, ge=0.0, le=100.0,
        description="Global average faults per 1000 km per year: 150-200 faults/yr on ~1.7 M km "
        "(ICPC 2025) = 0.088-0.118; midpoint [S/D].")
    cause_shares: CauseShares = Field(default_factory=CauseShares,
                                      description="Split of the global rate by cause.")
    zone_factors_file: Path | None = Field(
        None, description="CSV of zone factors (columns factor,key,cause,value,source); null = "
        "the bundled data/fault_zone_factors.csv.")
    zone_factors: tuple[ZoneFactor, ...] = Field(
        (), description="Rows replacing rows of the zone-factor table.")
    plant_file: Path | None = Field(
        None, description="CSV of plant reliability; null = bundled data/plant_reliability.csv.")
    plant: tuple[PlantItem, ...] = Field((), description="Rows replacing plant-table rows.")
    reference_burial_m: float = Field(
        1.0, ge=0.0, le=10.0,
        description="Burial the global fleet's rate corresponds to [m]: ~1 m is standard practice "
        "between 15 and 1000 m (ASN method statement 2014) [S/U].")
    burial_decay_m: float = Field(
        1.0, gt=0.0, le=100.0,
        description="Human-cause rate falls as exp(-burial/decay) relative to the reference "
        "burial [m]; anchors of 5-10 t destroy cables buried 1 m or less "
        "(subseacables.blogspot) [U].")
    slope_threshold_deg: float = Field(
        3.0, ge=0.0, le=45.0, description="Seabed slope above which environmental faults rise "
        "[deg] (same default as the route's slope penalty) [U].")
    slope_factor_per_deg: float = Field(
        0.2, ge=0.0, le=100.0,
        description="Added environmental-rate factor per degree above the threshold [1/deg] [U].")
    repair: RepairConfig = Field(default_factory=RepairConfig, description="Repair at sea.")
    spares: SpareConfig = Field(default_factory=SpareConfig, description="Spare cable.")
    monte_carlo: MonteCarloConfig = Field(default_factory=MonteCarloConfig,
                                          description="Monte Carlo of the line.")
    second_cable: SecondCable | None = Field(
        None, description="A second Caspian cable protecting the line (null = none).")
    protection_path: ProtectionPath | None = Field(
        None, description="A terrestrial protection path for the line (null = none).")
    corridor: CorridorReliability = Field(default_factory=CorridorReliability,
                                          description="Failure model of the corridor.")
    allowance_confidence: float = Field(
        0.9, gt=0.0, lt=1.0,
        description="The optics repair allowance is 'enough' when P(repairs over the design life "
        "<= allowance) reaches this [fraction].")

    @field_validator("zone_factors_file", "plant_file", mode="after")
    @classmethod
    def _resolve(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return resolve_path(value, info)
