"""Inputs of the optics stage: :class:`OpticsConfig` with defaults for the Trans-Caspian line.

Defaults and where they come from (the project reference note on submarine systems, §3-4):

* Fibre: ultra-low-loss pure-silica-core G.654 (e.g. Sumitomo Z-PLUS 130 ULL, Corning Vascade
  EX2000): 0.165 dB/km cabled *including splices* (the 2014 409.6 km record: 68.2 dB / 409.6 km
  = 0.1665 dB/km), A_eff 125 µm², D 21 ps/(nm km) (ITU-T G.654.D, Vascade EX2000 data sheet
  20.7), γ from n2 = 2.6e-20 m²/W (0.84 /W/km, GNPy's "LOF"), pump-band loss 0.19 dB/km.
* C band 191.4-196.125 THz: 64 × 75 GHz, 64 GBd (4.8 THz).
* End-of-life allowances in the style of ITU-T G.977 (2015) §9 / G-Sup.41 power budgets, whose
  numbers are not public: cable ageing per span, a number of repairs over the design life each
  adding extra cable (≈ 2-3 × water depth, laid as a bight) and two splices, all repairs put in
  the worst span (conservative), plus the terminal (beach joint, connectors, ODF) loss.
* Transceiver: GNPy's ``sys_margins`` (2 dB) on top of each mode's threshold; back-to-back SNR
  of a submarine-class modem (assumption, 21 dB in the symbol bandwidth).
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..model import StrictModel
from .elements import Band, Edfa, FibreType, NliModel, RamanPump, Ropa, Spectrum, TransceiverNoise

__all__ = ["DesignSpace", "EndOfLife", "OpticsConfig", "PumpDesignConfig", "default_fibre",
           "default_spectrum"]


def default_fibre() -> FibreType:
    """ULL G.654 submarine fibre, cabled, 0.165 dB/km including splices."""
    return FibreType(
        loss_db_per_km=0.165,
        pump_loss_db_per_km=0.19,
        dispersion_ps_per_nm_km=21.0,
        effective_area_um2=125.0,
        n2_m2_per_w=2.6e-20,
        reference_wavelength_nm=1550.0,
        effective_area_model="constant",
    )


def default_spectrum() -> Spectrum:
    """C band, 64 × 75 GHz at 64 GBd (4.8 THz)."""
    return Spectrum(
        first_channel_thz=191.4,
        last_channel_thz=196.125,
        spacing_ghz=75.0,
        symbol_rate_gbaud=64.0,
        roll_off=0.15,
        launch_power_dbm_per_channel=0.0,
    )


class EndOfLife(StrictModel):
    """End-of-life loss allowances (ITU-T G.977 / G.973 power-budget conventions).

    Loss added to a span at end of life = ``ageing_db_per_span`` + (for the worst span)
    ``repairs`` × (``repair_extra_cable_km`` × fibre loss + 2 × ``repair_splice_db``);
    ``terminal_loss_db`` is added at each end of an unrepeatered span and of the first/last
    spans of a repeatered one.
    """

    ageing_db_per_span: float = Field(
        1.0, ge=0.0, le=10.0, description="Fibre/cable ageing allowance per span [dB]."
    )
    repairs: int = Field(
        3, ge=0, le=50, description="Number of repairs over the design life (shore-end heavy)."
    )
    repair_extra_cable_km: float = Field(
        2.0, ge=0.0, le=20.0,
        description="Extra cable inserted by one repair [km] (≈ 2-3 × water depth; Caspian "
        "route depth up to ~800 m).",
    )
    repair_splice_db: float = Field(
        0.1, ge=0.0, le=2.0, description="Loss of one repair splice/joint [dB] (two per repair)."
    )
    terminal_loss_db: float = Field(
        0.5, ge=0.0, le=5.0, description="Beach joint, connectors and ODF loss at each end [dB]."
    )


class DesignSpace(StrictModel):
    """Which designs to compare and the launch-power search."""

    max_repeaters: int | None = Field(
        6, ge=0, le=400, description="Repeatered designs with 1..k repeaters; null = as many "
        "as spans of min_span_km allow (at most 400)."
    )
    min_span_km: float = Field(
        40.0, ge=5.0, le=500.0, description="Shortest span of the repeatered designs when "
        "max_repeaters is null [km]."
    )
    max_span_loss_db: float = Field(
        45.0, ge=5.0, le=100.0, description="Largest end-of-life span loss of a repeatered "
        "design [dB] (the gain a repeater EDFA can give; assumption: single-stage EDFAs stay "
        "below ~40-45 dB of gain); counts with longer spans are not candidates."
    )
    max_candidates: int = Field(
        8, ge=2, le=64, description="Most repeatered designs compared: with more repeater "
        "counts than this the count is searched (bisection on the capacity, monotone in the "
        "count) and only the chosen counts are designed in full."
    )
    include_unrepeatered: tuple[Literal["booster", "booster_raman", "booster_raman_ropa"], ...] = (
        Field(("booster", "booster_raman", "booster_raman_ropa"),
              description="Unrepeatered amplification schemes to compare.")
    )
    ropa_distances_km: tuple[Annotated[float, Field(gt=0.0, le=300.0)], ...] = Field(
        tuple(float(d) for d in range(60, 201, 20)),
        min_length=1,
        max_length=100,
        description="ROPA positions from the receive end searched when ropa_distance_km is null "
        "[km].",
    )
    launch_tilts_db: tuple[Annotated[float, Field(ge=-20.0, le=20.0)], ...] = Field(
        (-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0),
        min_length=1,
        max_length=41,
        description="Linear launch tilts searched with the launch power [dB, first to last "
        "channel, zero mean]; positive pre-compensates the SRS tilt.",
    )
    pre_emphasis_iterations: int = Field(
        4,
        ge=0,
        le=20,
        description="Iterations of per-channel pre-emphasis after the launch/tilt search: each "
        "channel's launch is moved against its received GSNR at the same total launch power "
        "(Chraplyvy et al. 1992), kept while the worst channel improves without losing "
        "capacity [-]; 0: launch and tilt only.",
    )
    launch_min_dbm: float = Field(-6.0, ge=-30.0, le=20.0, description="Lowest launch [dBm/ch].")
    launch_max_dbm: float = Field(14.0, ge=-30.0, le=25.0, description="Highest launch [dBm/ch].")
    launch_step_db: float = Field(
        0.25, ge=0.01, le=5.0, description="Launch search step [dB] (at least 0.01 dB)."
    )

    @model_validator(mode="after")
    def _order(self) -> DesignSpace:
        if self.launch_max_dbm <= self.launch_min_dbm:
            raise ValueError("launch_max_dbm must be above launch_min_dbm")
        return self


class PumpDesignConfig(StrictModel):
    """Bounds of the Raman pump design of the unrepeatered designs.

    The search runs over the pumping schemes in ``schemes`` (backward first-order pumps from
    the receive end; the same plus forward pumps from the transmit end; a second-order 13xx nm
    pump feeding first-order 14xx nm pumps/seeds of its direction inside the fibre, counter
    and, with forward pumps, co) and, for the ROPA
    design, the ROPA's position (``design_space.ropa_distances_km``) and feed
    (``ropa_feeds``), with the pump wavelengths and powers within the bounds below.

    Defaults (assumptions, stated, from commercial unrepeatered systems): up to 3 first-order
    pumps per direction on a 15 nm grid 1420-1495 nm (the 14xx nm band of fibre-Bragg-grating-
    stabilised pump diodes), at most 1.0 W per wavelength (polarisation-multiplexed diode
    pairs), at most 2.5 W per direction (the commercial Raman DWDM system of the 2014
    record ran under 2.5 W per direction: D. Chang et al., Opt. Express 22(25) 31057, 2014);
    second-order pump at 1365 nm (one Raman shift, ~13.2 THz, above 1455 nm; the
    high-order Raman schemes of commercial unrepeatered systems: H. Bissessur, OFC 2013
    OTh4C.3), a Raman fibre laser bounded by its direction's budget only, lit with at least one
    first-order seed of its direction (bidirectional higher-order pumping: F. Di Pasquale et
    al., Proc. SPIE 6019 60190G, 2005); pump RIN −150 dB/Hz (low-RIN pumps for forward
    pumping).
    """

    enabled: bool = Field(
        True, description="Design the pumps (false: use `raman` as given)."
    )
    schemes: tuple[Literal["backward", "forward_backward", "second_order"], ...] = Field(
        ("backward", "forward_backward", "second_order"), min_length=1,
        description="Pumping schemes searched: backward (counter, first order), "
        "forward_backward (co + counter), second_order (a 13xx nm pump with first-order "
        "pumps/seeds of its direction: counter, and co with forward_backward). In the ROPA "
        "design forward pumps go into the transmit-end fibre.",
    )
    max_pumps: int = Field(3, ge=1, le=8,
                           description="Most first-order pump wavelengths lit per direction.")
    wavelength_min_nm: float = Field(1420.0, ge=1300.0, le=1530.0,
                                     description="Shortest pump wavelength of the grid [nm].")
    wavelength_max_nm: float = Field(1495.0, ge=1300.0, le=1530.0,
                                     description="Longest pump wavelength of the grid [nm].")
    wavelength_step_nm: float = Field(15.0, ge=1.0, le=50.0,
                                      description="Pump wavelength grid step [nm].")
    second_order_wavelengths_nm: tuple[Annotated[float, Field(ge=1300.0, le=1420.0)], ...] = \
        Field((1365.0,), max_length=4,
              description="Second-order (cascaded) pump wavelengths [nm].")
    max_power_per_pump_w: float = Field(
        1.0, gt=0.0, le=5.0,
        description="Largest power of one first-order pump [W] (a second-order pump is "
        "bounded by its direction's total).")
    max_total_power_w: float = Field(
        2.5, gt=0.0, le=5.0,
        description="Largest total power of the backward (counter) pumps, all orders, "
        "including a ROPA pump sent through the line fibre [W].")
    max_forward_power_w: float = Field(
        2.5, ge=0.0, le=5.0,
        description="Largest total power of the forward (co) pumps [W].")
    pump_rin_db_per_hz: float = Field(
        -150.0, ge=-180.0, le=-90.0,
        description="RIN of the designed pumps [dB/Hz] (transferred by forward pumping).")
    ropa_feeds: tuple[Literal["dedicated", "line"], ...] = Field(
        ("dedicated", "line"), min_length=1,
        description="ROPA pump feeds searched: a dedicated pump fibre, or the signal fibre "
        "(then the ROPA pump counts against max_total_power_w and Raman-amplifies the "
        "signal on its way).")
    generations: int = Field(10, ge=1, le=500,
                             description="Differential-evolution generations per scheme.")
    seed: int = Field(7, ge=0, description="Seed of the optimiser.")

    @model_validator(mode="after")
    def _grid(self) -> PumpDesignConfig:
        if self.wavelength_max_nm < self.wavelength_min_nm:
            raise ValueError("wavelength_max_nm must not be below wavelength_min_nm")
        if (self.wavelength_max_nm - self.wavelength_min_nm) / self.wavelength_step_nm > 40:
            raise ValueError("the pump wavelength grid has more than 41 wavelengths")
        return self

    def wavelengths_nm(self) -> tuple[float, ...]:
        """The pump wavelength grid [nm]."""
        k = math.floor((self.wavelength_max_nm - self.wavelength_min_nm)
                       / self.wavelength_step_nm + 1e-9)
        return tuple(self.wavelength_min_nm + i * self.wavelength_step_nm for i in range(k + 1))


class OpticsConfig(StrictModel):
    """Everything the optics stage needs besides the cable length and fibre-pair count."""

    spectrum: Spectrum = Field(
        default_factory=default_spectrum,
        description="Channel plan (default 64 x 75 GHz at 64 GBd); a partial mapping takes the "
        "missing keys from Spectrum's own defaults (96 x 50 GHz), so give the whole plan.",
    )
    fibre: FibreType = Field(default_factory=default_fibre, description="Cabled line fibre.")
    nli_model: NliModel = Field(
        "isrs_gn_closed_form", description="NLI model (ISRS matters at unrepeatered powers)."
    )
    booster: Edfa = Field(
        default_factory=lambda: Edfa(gain_db=20.0, noise_figure_db=5.5,
                                     max_output_power_dbm=27.0, band=Band()),
        description="Transmit-terminal booster (high-power EDFA).",
    )
    preamplifier: Edfa = Field(
        default_factory=lambda: Edfa(gain_db=None, noise_figure_db=5.0,
                                     max_output_power_dbm=20.0, band=Band(),
                                     gain_shape="equalise"),
        description="Receive-terminal pre-amplifier (restores the launch spectrum).",
    )
    repeater: Edfa = Field(
        default_factory=lambda: Edfa(gain_db=None, noise_figure_db=4.5,
                                     max_output_power_dbm=20.0, band=Band(),
                                     gain_shape="equalise"),
        description="Submarine repeater EDFA (one per fibre and direction); by default it "
        "equalises (restores the launch spectrum to within equalisation_error_db).",
    )
    raman: RamanPump = Field(
        default_factory=lambda: RamanPump(model="undepleted_pump", pump_power_w=0.6,
                                          pump_frequency_thz=206.5),
        description="Counter-pumped distributed Raman at the receive end when "
        "raman_pump_design.enabled is false.",
    )
    raman_pump_design: PumpDesignConfig = Field(
        default_factory=PumpDesignConfig,
        description="Bounds of the Raman pump design of the unrepeatered Raman designs.",
    )
    ropa: Ropa = Field(default_factory=Ropa, description="Remote optically pumped amplifier.")
    ropa_distance_km: float | None = Field(
        None, gt=0.0, le=300.0, description="ROPA position from the receive end [km]; null = "
        "the best of design_space.ropa_distances_km."
    )
    end_of_life: EndOfLife = Field(default_factory=EndOfLife)
    transceiver: TransceiverNoise = Field(
        default_factory=lambda: TransceiverNoise(b2b_snr_db=21.0),
        description="Back-to-back SNR of the modem pair (assumption).",
    )
    system_margin_db: float = Field(
        2.0, ge=0.0, le=20.0, description="Margin on top of each mode's threshold [dB] (GNPy "
        "sys_margins)."
    )
    margin_policy_db: float | None = Field(
        None, ge=0.0, le=20.0,
        description="End-of-life margin each channel keeps on top of system_margin_db wherever "
        "a lower-rate mode allows it [dB]: a wave is provisioned at the highest rate that keeps "
        "it, and only a channel that cannot keep it at any rate runs thin. Null: the decision's "
        "minimum (decision.min_margin_db, else report.thin_margin_db) in a scenario; 0 in a "
        "bare optics study.",
    )
    transceivers: str = Field(
        "default", min_length=1,
        description="Transceiver library: a bundled name (default: pluggable and fixed-format "
        "modes; submarine: rate-adaptive submarine-class modems) or the path of a library "
        "YAML file.",
    )
    modem_year: int | None = Field(
        None, ge=1990, le=2100,
        description="Model the line cards generally available in this year: the bundled "
        "submarine modem generation of that year, restricted to its members shipping by then "
        "(transceivers.generation_library). For a built system's design capacity, the year of "
        "its supply contract. Replaces `transceivers` (giving both is refused). Null: "
        "`transceivers` decides.",
    )
    cable_length_km: float | None = Field(
        None, gt=0.0, le=20000.0,
        description="Cable length of the optics study [km] when no route is computed (the "
        "optics command uses it like --cable-length-km); null = the routed length.",
    )
    transceiver_families: tuple[str, ...] | None = Field(
        None, description="Restrict the bundled transceiver library to these families."
    )
    max_rate_gbps: float | None = Field(
        None, gt=0.0, le=10_000.0,
        description="Highest net rate a wave is provisioned at [Gb/s]: the library's modes "
        "above it are dropped and its adaptive modems capped at it (a design specified at a "
        "line rate, e.g. '96 x 200G'; the transponders an operator buys). Null: no cap.",
    )
    allow_illustrative_modes: bool = Field(
        False, description="Let designs use library modes marked illustrative (example values "
        "of no product or standard); a design that does is flagged relies_on_illustrative_mode."
    )
    design_space: DesignSpace = Field(default_factory=DesignSpace)
    target_system_capacity_tbps: float | None = Field(
        400.0,
        gt=0.0,
        le=100000.0,
        description="Capacity the system must reach at end of life [Tb/s]: a constraint of the "
        "decision (decision.objective chooses among the designs that reach it; when none "
        "does, among the rest, and the report says so). Default: the consortium's 'up to 400 "
        "Tbit/s' (astanatimes 2023-08-24). null = no target.",
    )

    @model_validator(mode="after")
    def _one_library(self) -> OpticsConfig:
        if self.modem_year is not None and self.transceivers != "default":
            raise ValueError("give either modem_year (the modems of a year) or transceivers "
                             "(a library), not both")
        return self
