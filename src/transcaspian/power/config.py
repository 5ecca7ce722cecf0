"""Inputs of power feeding (pydantic v2).

Defaults and their sources (tags as in the reference notes: [S] stated by the source, [D] derived,
[U] uncertain / rule of thumb); ``docs/power.md`` and ``data/SOURCES.md`` list the sources.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..model import StrictModel

#: SEACOM PFE table (cable-fault-locator "Final data - v7.csv", SEACOM NOC [U: unofficial]):
#: main-cable drop 0.640 V/km at I ≈ 0.64 A → R ≈ 1.0 Ω/km; shore end marked "1.35 Ω/km".
DEFAULT_RESISTANCE = {"DA": 1.35, "SA": 1.35, "LWA": 1.35, "LWP": 1.0, "LW": 1.0}


class RepeaterPowerModel(StrictModel):
    """Electrical power of one repeater from its optical output and fibre-pair count.

    P_el = P_fixed + N_fp·P_pair + 2·N_fp·P_out / (PCE · η_pump) (:mod:`..repeater`), the
    structure of the power-constrained SDM design papers (Sinkin et al., JLT 36(2) 2018;
    Dar et al., JLT 2018; Krause Perin et al., JLT 37(9) 2019; Downie, SPIE 12429 2023).
    """

    pump_wall_plug_efficiency: float = Field(
        0.25, gt=0.0, le=1.0,
        description="Pump optical power per electrical watt of the pump branch (980 nm laser "
        "diode with its driver and current regulation) [W/W]: laser chips reach ~0.3-0.5 "
        "[U]; the driver and the repeater's shunt regulation take a share [U]; 0.25 stated "
        "as a planner default.")
    edfa_power_conversion_efficiency: float = Field(
        0.5, gt=0.0, le=0.633,
        description="EDFA power conversion efficiency, signal out per pump watt [W/W]: at most "
        "the quantum limit 980/1550 = 0.63; high in deep saturation, lower in the less "
        "saturated regime that maximises power-limited capacity (Krause Perin et al., JLT "
        "37(9) 2019) [U]; 0.5 stated as a planner default.")
    overhead_w: float = Field(
        5.0, ge=0.0, le=200.0,
        description="Fixed electrical load of one repeater [W]: supervisory / line monitoring, "
        "control and the power-supply converter [U].")
    per_fibre_pair_w: float = Field(
        1.0, ge=0.0, le=50.0,
        description="Electrical load per fibre pair besides the pump light [W]: pump control and "
        "monitoring photodiodes of its two amplifiers [U].")
    output_power_dbm: float = Field(
        17.0, ge=-10.0, le=30.0,
        description="Total signal output of one amplifier [dBm] when the optics stage does not "
        "give it (the `power --cable-length-km` reference design): 17 dBm is a C-band "
        "submarine repeater's output in a traditional design [U].")


class TradeSpace(StrictModel):
    """The grid of the power-limited design (:mod:`..tradeoff`) and its line model."""

    fibre_pairs: tuple[int, int] = Field(
        (1, 32), description="Fibre pairs searched, first and last [count].")
    span_km: tuple[float, float, float] = Field(
        (40.0, 150.0, 5.0), description="Repeater spacing searched: first, last, step [km].")
    output_power_dbm: tuple[float, float, float] = Field(
        (0.0, 24.0, 0.5),
        description="Total amplifier output searched: first, last, step [dBm].")
    bandwidth_thz: float = Field(
        4.5, gt=0.0, le=20.0, description="Optical bandwidth per fibre (C band) [THz].")
    loss_db_per_km: float = Field(
        0.16, gt=0.0, le=1.0,
        description="Fibre loss [dB/km]: submarine pure-silica-core G.654 fibre, 0.15-0.17 [U].")
    dispersion_ps_per_nm_km: float = Field(
        21.0, ge=0.0, le=30.0, description="Chromatic dispersion [ps/(nm·km)] (G.654) [U].")
    gamma_per_w_km: float = Field(
        0.8, gt=0.0, le=5.0,
        description="Nonlinear coefficient γ [1/(W·km)]: 2π n2/(λ A_eff) with n2 = 2.6e-20 m²/W, "
        "A_eff = 130 µm² at 1550 nm ≈ 0.81 [D].")
    noise_figure_db: float = Field(
        4.5, ge=3.0, le=10.0,
        description="Repeater noise figure [dB]: ~4.5 dB (reference notes §3.5) [U].")
    implementation_gap_db: float = Field(
        0.0, ge=0.0, le=10.0,
        description="Gap to the Shannon limit applied to every SNR [dB] (0: the Shannon bound, "
        "as in the papers' capacity metric).")

    @model_validator(mode="after")
    def _ranges(self) -> TradeSpace:
        lo, hi = self.fibre_pairs
        if not 1 <= lo <= hi <= 256:
            raise ValueError(f"fibre_pairs: need 1 <= first <= last <= 256, got {lo}, {hi}")
        for name, (a, b, step) in (("span_km", self.span_km),
                                   ("output_power_dbm", self.output_power_dbm)):
            if not (b >= a and step > 0.0 and (b - a) / step <= 2000):
                raise ValueError(f"{name}: need first <= last, step > 0 and at most 2000 steps, "
                                 f"got {a}, {b}, {step}")
        if self.span_km[0] <= 0.0:
            raise ValueError(f"span_km: the first spacing must be > 0 km, got {self.span_km[0]}")
        return self


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
    main_cable_type: Literal["DA", "SA", "LWA", "LWP", "LW"] = Field(
        "LW",
        description="Cable type whose resistance a length without a route uses (`power "
        "--cable-length-km`, the power-limited design).")
    repeater_voltage_drop_v: float | None = Field(
        None, ge=0.0, le=500.0,
        description="A fixed voltage drop per repeater [V] instead of the electrical model "
        "(SEACOM 11.9-24 V by segment [S]); null (default): from each design's amplifier "
        "output power and fibre-pair count (power.repeater).")
    reference_span_km: float = Field(
        60.0, gt=0.0, le=500.0,
        description="Repeater spacing of the reference design that `power --cable-length-km` "
        "feeds [km]: submarine repeaters sit every ~40-80 km (mapyourtech repeater guide) [U].")
    repeater: RepeaterPowerModel = Field(
        default_factory=RepeaterPowerModel,
        description="Electrical power of a repeater from its pump power and fibre-pair count.")
    earth_potential_v_per_km: float = Field(
        0.1, ge=0.0, le=10.0,
        description="Earth-potential allowance [V/km]: 'often 0.1 V/km' (SubCom, PTC'19) [S]; "
        "TAT-8 saw 0.12 V/km in the March 1989 storm (GRL 16:1145) [S].")
    pfe_rating_v: float = Field(
        15000.0, gt=0.0, le=50000.0,
        description="PFE voltage rating per end [V]: PFE up to ~15 kV (tutorials) [U], 15-18 kV "
        "(mapyourtech TOP guide) [U]; repeater HV rating e.g. 12.5 kV (Bahsoun, NANOG 43) [S].")
    margin_fraction: float = Field(
        0.2, ge=0.0, lt=1.0,
        description="Design margin kept below the PFE rating [fraction] [U].")
    feeding: Literal["auto", "single_end", "double_end"] = Field(
        "auto",
        description="auto: single-end when one PFE suffices, else double-end (+V/2 at one end, "
        "-V/2 at the other, a virtual earth in between).")
    trade: TradeSpace = Field(
        default_factory=TradeSpace,
        description="The power-limited design: fibre pairs x amplifier output x repeater "
        "spacing under the PFE limit (power.tradeoff).")

    @field_validator("conductor_resistance_ohm_per_km")
    @classmethod
    def _resistance(cls, v: dict[str, float]) -> dict[str, float]:
        for k, r in v.items():
            if k not in DEFAULT_RESISTANCE:
                raise ValueError(f"unknown cable type {k!r} (one of DA, SA, LWA, LWP, LW)")
            if not 0.0 < r <= 100.0:
                raise ValueError(f"{k}: resistance must be in (0, 100] ohm/km, got {r}")
        return {**DEFAULT_RESISTANCE, **v}

    @property
    def usable_v_per_end(self) -> float:
        """PFE voltage usable per end: the rating less the margin [V]."""
        return self.pfe_rating_v * (1.0 - self.margin_fraction)
