"""Typed records of the install stage's results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..records import Record, flag, hidden, quantity, text


@dataclass(frozen=True)
class BurialSegment(Record):
    """A run of route sections with the same soil, cable type, burial and protection."""

    kp_start_km: float = quantity("km", "start KP", digits=3)
    kp_end_km: float = quantity("km", "end KP", digits=3)
    depth_min_m: float = quantity("m", "shallowest water depth", digits=1)
    depth_max_m: float = quantity("m", "deepest water depth", digits=1)
    soil: str = text("seabed sediment class")
    cable_type: str = text("cable type of the RPL")
    dol_m: float = quantity("m", "depth of lowering (0: surface-laid)", digits=2)
    method: str = text("burial method (plough, jet, cut) or surface")
    protection: str = text("protection where burial is impossible or not enough ('' none)")
    reason: str = text("why not buried ('' when buriable)")
    strike_per_km_year: float = quantity("1/km/yr", "residual anchor strikes, length-weighted "
                                         "mean", digits=9)
    strike_unburied_per_km_year: float = quantity("1/km/yr", "anchor strikes if surface-laid "
                                                  "and unprotected", digits=9)
    burial_capex_usd: float = quantity("USD", "burial and protection cost, vessel time "
                                       "excluded", digits=0)
    traffic: str = text("traffic sources the segment lies in ('' background only)")
    target_met: bool = flag("residual strikes meet the target return period")


@dataclass(frozen=True)
class TradeRow(Record):
    """One burial target of the trade chart."""

    return_period_years_km: float = quantity("yr·km", "acceptable return period", digits=0)
    burial_capex_usd: float = quantity("USD", "burial and protection cost", digits=0)
    strikes_per_year: float = quantity("1/yr", "residual anchor strikes, whole route", digits=7)
    availability: float = quantity("1", "availability against anchor strikes only", digits=8)
    buried_km: float = quantity("km", "route km buried", digits=2)
    mean_dol_m: float = quantity("m", "mean DoL of the buried km", digits=3)


@dataclass(frozen=True)
class PermitRow(Record):
    """A permit of the register with its simulated grant."""

    name: str = text("permit, consent or agreement")
    authority: str = text("issuing authority or counterparty")
    min_days: float = quantity("d", "optimistic duration", digits=1)
    mode_days: float = quantity("d", "most likely duration", digits=1)
    max_days: float = quantity("d", "pessimistic duration", digits=1)
    depends_on: str = text("permits it waits for ('; '-separated)")
    gates: str = text("activities it gates ('; '-separated)")
    granted_p50_days: float = quantity("d", "P50 grant, days after the contract", digits=1)
    granted_p90_days: float = quantity("d", "P90 grant, days after the contract", digits=1)
    source: str = text("source of the duration, or assumption")


@dataclass(frozen=True)
class ActivityRow(Record):
    """An activity of the schedule (Gantt bar)."""

    name: str = text("activity")
    phase: str = text("phase")
    start_p50_days: float = quantity("d", "P50 start after the contract", digits=1)
    end_p50_days: float = quantity("d", "P50 end after the contract", digits=1)
    end_p90_days: float = quantity("d", "P90 end after the contract", digits=1)
    duration_mean_days: float = quantity("d", "mean duration", digits=2)
    start_p50: str = text("P50 start date")
    end_p50: str = text("P50 end date")
    end_p90: str = text("P90 end date")


@dataclass(frozen=True)
class MilestoneRow(Record):
    """A milestone's date distribution."""

    name: str = text("milestone")
    p10_days: float = quantity("d", "P10 after the contract", digits=1)
    p50_days: float = quantity("d", "P50 after the contract", digits=1)
    p90_days: float = quantity("d", "P90 after the contract", digits=1)
    p50_date: str = text("P50 date")
    p90_date: str = text("P90 date")


@dataclass(frozen=True)
class VesselPhaseRow(Record):
    """Lay-vessel days of one phase."""

    phase: str = text("phase")
    mean_days: float = quantity("d", "mean vessel days", digits=2)
    p50_days: float = quantity("d", "P50 vessel days", digits=2)
    p90_days: float = quantity("d", "P90 vessel days", digits=2)


@dataclass(frozen=True)
class InstallView:
    """What the decision, reliability and economics take from the install stage for one
    design (see :meth:`InstallResult.for_design`)."""

    repeaters: int
    start_date: str
    rfs_target_date: str
    rfs_days: npt.NDArray[np.float64]
    vessel_days_mean: float
    vessel_days_p90: float
    charged_vessel_days_mean: float
    charged_vessel_days_p90: float
    burial_capex_usd: float
    section_strikes_per_year: npt.NDArray[np.float64]

    @property
    def rfs_p50_date(self) -> str:
        return _iso(self.start_date, float(np.percentile(self.rfs_days, 50)))

    @property
    def rfs_p90_date(self) -> str:
        return _iso(self.start_date, float(np.percentile(self.rfs_days, 90)))


def _iso(start: str, days: float) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(start) + dt.timedelta(days=days)).isoformat()


@dataclass(frozen=True)
class InstallResult(Record):
    """Burial by risk, the installation schedule, the permits and the RFS date."""

    days_per_repeater: float = quantity("d", "calendar days each repeater (powered wet "
                                              "plant) adds to lay, RFS and vessel days",
                                              digits=3)
    objective: str = text("burial rule (return_period or least_cost)")
    target_return_period_years_km: float = quantity("yr·km", "acceptable return period per "
                                                    "km", digits=0)
    strikes_per_year: float = quantity("1/yr", "residual anchor strikes, whole route", digits=7)
    strikes_unburied_per_year: float = quantity("1/yr", "anchor strikes with no burial or "
                                                "protection", digits=7)
    residual_faults_per_year: float = quantity("1/yr", "residual anchor-strike faults (each "
                                               "strike a fault)", digits=7)
    burial_capex_usd: float = quantity("USD", "burial and protection cost, vessel time "
                                       "excluded", digits=0)
    buried_km: float = quantity("km", "route km buried", digits=2)
    protected_km: float = quantity("km", "route km with protection", digits=2)
    unburiable_km: float = quantity("km", "route km where burial is impossible", digits=2)
    km_missing_target: float = quantity("km", "route km whose residual strikes miss the "
                                        "target", digits=2)
    segments: tuple[BurialSegment, ...] = text("the burial plan along KP")
    trade: tuple[TradeRow, ...] = text("burial CAPEX against strikes across targets")
    cable_mass_t: float = quantity("t", "cable mass to lay", digits=1)
    tank_capacity_t: float = quantity("t", "lay vessel tank load", digits=1)
    loads: int = quantity("1", "cable loads", digits=None)
    offshore_joints: int = quantity("1", "offshore joints between loads", digits=None)
    vessel_fits_waterway: bool = flag("the lay vessel fits the Volga-Don limits")
    runs: int = quantity("1", "simulated installations", digits=None)
    seed: int = quantity("1", "seed", digits=None)
    start_date: str = text("contract date (t = 0)")
    rfs_p50_date: str = text("P50 ready-for-service date")
    rfs_p90_date: str = text("P90 ready-for-service date")
    rfs_p50_days: float = quantity("d", "P50 RFS after the contract", digits=1)
    rfs_p90_days: float = quantity("d", "P90 RFS after the contract", digits=1)
    rfs_target_date: str = text("date the scenario names (install.rfs_target_date)")
    p_rfs_by_target: float = quantity("1", "P(RFS on or before the target date)", digits=4)
    vessel_days_mean: float = quantity("d", "mean lay-vessel days, mobilisation to release",
                                       digits=2)
    vessel_days_p90: float = quantity("d", "P90 lay-vessel days", digits=2)
    charged_vessel_days_mean: float = quantity(
        "d", "mean lay-vessel days paid at the day rate (the transit in is a lump sum; the "
        "winter lay-up at install.vessel.standby_rate_fraction)", digits=2)
    charged_vessel_days_p90: float = quantity("d", "P90 of the same", digits=2)
    workable_fraction_lay: tuple[float, ...] = quantity("1", "mean workable share of each "
                                                        "month (Jan-Dec), lay Hs limit",
                                                        digits=4)
    workable_fraction_shore: tuple[float, ...] = quantity("1", "same, shore pull-in Hs limit",
                                                          digits=4)
    milestones: tuple[MilestoneRow, ...] = text("milestone date distributions")
    activities: tuple[ActivityRow, ...] = text("activities (Gantt)")
    vessel_phases: tuple[VesselPhaseRow, ...] = text("lay-vessel days by phase")
    permits: tuple[PermitRow, ...] = text("the permit register")
    estimates: tuple[str, ...] = text("parameters that are estimates, not sourced")
    rfs_days: npt.NDArray[np.float64] = hidden(default_factory=lambda: np.zeros(0))
    vessel_days: npt.NDArray[np.float64] = hidden(default_factory=lambda: np.zeros(0))
    section_kp_km: npt.NDArray[np.float64] = hidden(default_factory=lambda: np.zeros(0))
    section_dol_m: npt.NDArray[np.float64] = hidden(default_factory=lambda: np.zeros(0))
    section_strike_factor: npt.NDArray[np.float64] = hidden(
        default_factory=lambda: np.zeros(0))
    section_strikes_per_year: npt.NDArray[np.float64] = hidden(
        default_factory=lambda: np.zeros(0))
    per_repeater_days: float = hidden(default=0.0)

    def for_design(self, repeaters: int) -> InstallView:
        """The schedule's money figures for a design with ``repeaters`` (powered wet plant):
        each repeater shifts lay end, RFS and vessel release by :attr:`per_repeater_days`
        (the mean handling time in calendar days at the lay season's workable fraction; a
        linear approximation of re-simulating with the repeaters, see docs/install.md)."""
        shift = float(max(int(repeaters), 0)) * self.per_repeater_days
        return InstallView(
            repeaters=int(repeaters), start_date=self.start_date,
            rfs_target_date=self.rfs_target_date, rfs_days=self.rfs_days + shift,
            vessel_days_mean=self.vessel_days_mean + shift,
            vessel_days_p90=self.vessel_days_p90 + shift,
            charged_vessel_days_mean=self.charged_vessel_days_mean + shift,
            charged_vessel_days_p90=self.charged_vessel_days_p90 + shift,
            burial_capex_usd=self.burial_capex_usd,
            section_strikes_per_year=self.section_strikes_per_year)

    def burial_at(self, kp_km: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """DoL at KPs [m] (the section each KP falls in)."""
        kp = np.asarray(kp_km, float)
        i = np.clip(np.searchsorted(self.section_kp_km, kp, side="right") - 1, 0,
                    max(self.section_dol_m.size - 1, 0))
        return np.asarray(self.section_dol_m[i], float)

    def summary(self) -> dict[str, Any]:
        return {"rfs_p50": self.rfs_p50_date, "rfs_p90": self.rfs_p90_date,
                "p_rfs_by_target": self.p_rfs_by_target}
