"""Inputs of power feeding (pydantic v2). Defaults from the SEACOM PFE table and SubCom notes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ..model import StrictModel

#: SEACOM PFE table (cable-fault-locator "Final data - v7.csv", SEACOM NOC [U: unofficial]):
#: main-cable drop 0.640 V/km at I ≈ 0.64 A → R ≈ 1.0 Ω/km; shore end marked "1.35 Ω/km".
DEFAULT_RESISTANCE = {"DA": 1.35, "SA": 1.35, "LWA": 1.35, "LWP": 1.0, "LW": 1.0}


class PowerConfig(StrictModel):
    """Power-feeding equipment (PFE) and cable electrical data."""

    line_current_a: float = Field(
        1.0, gt=0.0, le=5.0,
        description="Constant line current [A]: ~1 A typical (PFE tutorials), 0.64 A implied by "
        "SEACOM's PFE table, 1.6 A in an oil & gas system [S/U]; 1 A is the conservative pick.")
    conductor_resistance_ohm_per_km: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_RESISTANCE),
        description="Conductor resistance by cable type [Ω/km]: SEACOM main cable ≈ 1.0, shore "
        "end 1.35 (armoured types take the shore-end value) [D].")
    repeater_voltage_drop_v: float = Field(
        24.0, ge=0.0, le=500.0,
        description="Voltage drop across one repeater [V]: SEACOM 11.9-24 V by segment [S]; the "
        "high end by default.")
    earth_potential_v_per_km: float = Field(
        0.1, ge=0.0, le=10.0,
        description="Earth-potential allowance [V/km]: 'often 0.1 V/km' (SubCom, PTC'19) [S]; "
        "TAT-8 saw 0.12 V/km in the March 1989 storm (GRL 16:1145) [S].")
    pfe_rating_v: float = Field(
        15000.0, gt=0.0, le=50000.0,
        description="PFE voltage rating per end [V]: PFE up to ~15 kV (tutorials) [U]; repeater "
        "HV rating e.g. 12.5 kV (Bahsoun, NANOG 43) [S].")
    margin_fraction: float = Field(
        0.2, ge=0.0, lt=1.0,
        description="Design margin kept below the PFE rating [fraction] [U].")
    feeding: Literal["auto", "single_end", "double_end"] = Field(
        "auto",
        description="auto: single-end when one PFE suffices, else double-end (+V/2 at one end, "
        "-V/2 at the other, a virtual earth in between).")

    @field_validator("conductor_resistance_ohm_per_km")
    @classmethod
    def _resistance(cls, v: dict[str, float]) -> dict[str, float]:
        for k, r in v.items():
            if k not in DEFAULT_RESISTANCE:
                raise ValueError(f"unknown cable type {k!r} (one of DA, SA, LWA, LWP, LW)")
            if not 0.0 < r <= 100.0:
                raise ValueError(f"{k}: resistance must be in (0, 100] ohm/km, got {r}")
        return {**DEFAULT_RESISTANCE, **v}
