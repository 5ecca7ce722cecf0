"""Input models of the optical layer: spectrum, fibre types and line elements.

Every model derives from :class:`transcaspian.scenario.StrictModel` (unknown keys refused,
frozen), carries its unit in each field name and bounds every number. Invariants that span
several fields (channels must not overlap, a band must be ordered, a ROPA needs a pump) are
checked where the model is built. The physics lives elsewhere (:mod:`.fibre`, :mod:`.nli`,
:mod:`.amplifiers`, :mod:`.line`); these classes only carry values in.

Model choices are ``Literal`` options; the physics modules dispatch them through a dict of
functions (e.g. :data:`transcaspian.optics.amplifiers.RAMAN_GAIN_MODELS`).
"""

from __future__ import annotations

import itertools
import math
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..model import StrictModel

__all__ = [
    "Band",
    "ChannelBand",
    "Edfa",
    "EffectiveAreaModel",
    "FibreSection",
    "FibreType",
    "GainShape",
    "LossTable",
    "NliModel",
    "PumpLaser",
    "RamanGainModel",
    "RamanGainSpectrumName",
    "RamanPump",
    "Ropa",
    "RopaModel",
    "Spectrum",
    "TransceiverNoise",
]

#: NLI model of a line: incoherent GN closed form, or the ISRS GN closed form (with
#: inter-channel stimulated Raman scattering).
NliModel = Literal["gn_closed_form", "isrs_gn_closed_form", "generalised_gn"]
#: How the effective area (hence gamma) varies with frequency.
EffectiveAreaModel = Literal["constant", "step_index_scaling"]
#: How a distributed Raman pump is described: launched pump power (undepleted-pump solution)
#: or a given on-off gain.
RamanGainModel = Literal["undepleted_pump", "given_gain"]
#: How a ROPA's gain and noise follow from the residual pump power.
RopaModel = Literal["pump_limited", "giles"]
#: Raman gain spectrum of a fibre (:func:`transcaspian.optics.raman.raman_gain_spectrum`):
#: measured SSMF profile (D'Amico et al. JLT 2022, GNPy's default) or the fused-silica
#: multi-vibrational-mode model (Hollenbeck & Cantrell, JOSA B 2002).
RamanGainSpectrumName = Literal["ssmf_damico2022", "silica_hollenbeck2002"]

Frequency_THz = Annotated[float, Field(ge=150.0, le=250.0)]


class Band(StrictModel):
    """An optical amplification band (e.g. an EDFA's C band)."""

    low_thz: Frequency_THz = Field(191.25, description="Lowest frequency amplified [THz].")
    high_thz: Frequency_THz = Field(196.25, description="Highest frequency amplified [THz].")
    noise_figure_db: float | None = Field(
        None, ge=3.0, le=15.0, description="Noise figure of this band's amplifier [dB]; null = "
        "the amplifier's noise_figure_db.")

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.high_thz <= self.low_thz:
            raise ValueError("high_thz must be above low_thz")
        return self


class ChannelBand(StrictModel):
    """One contiguous band of a band plan (e.g. C or L): channels on the plan's grid."""

    name: str = Field(min_length=1, max_length=20, description="Band name, e.g. 'C' or 'L'.")
    first_channel_thz: Frequency_THz = Field(description="Lowest channel of the band [THz].")
    last_channel_thz: Frequency_THz = Field(description="Highest channel of the band [THz].")


class Spectrum(StrictModel):
    """A channel plan: one uniform band, or a band plan of several contiguous bands.

    Channels sit at ``first_channel_thz + k * spacing_ghz`` up to ``last_channel_thz``; with a
    ``band_plan`` (e.g. C + L) only the channels inside its bands are lit, on the same grid
    (each band's first and last channel a whole number of spacings from the first), and
    ``first_channel_thz`` / ``last_channel_thz`` default to the plan's ends. One symbol rate,
    roll-off and spacing serve every band.
    The launch power is per channel at the input of every fibre span (GNPy's convention);
    ``tilt_db`` adds a linear pre-emphasis across the band (positive: more power on the
    high-frequency channels) and ``preemphasis_db`` an arbitrary per-channel offset.
    """

    first_channel_thz: Frequency_THz = Field(
        191.35, description="Centre frequency of the lowest channel [THz]."
    )
    last_channel_thz: Frequency_THz = Field(
        196.10, description="Centre frequency of the highest channel [THz]."
    )
    spacing_ghz: float = Field(50.0, ge=6.25, le=1000.0, description="Channel spacing [GHz].")
    symbol_rate_gbaud: float = Field(
        32.0, gt=0.5, le=500.0, description="Symbol rate of every channel [GBd]."
    )
    roll_off: float = Field(0.15, ge=0.0, le=1.0, description="Raised-cosine roll-off [-].")
    launch_power_dbm_per_channel: float = Field(
        0.0, ge=-40.0, le=30.0, description="Launch power per channel at each fibre input [dBm]."
    )
    tilt_db: float = Field(
        0.0,
        ge=-20.0,
        le=20.0,
        description="Linear launch-power tilt from the first to the last channel [dB] "
        "(positive: more power at high frequency); zero mean over the band.",
    )
    preemphasis_db: tuple[float, ...] | None = Field(
        None,
        description="Per-channel launch-power offsets [dB], one per channel, added to the tilt.",
    )
    band_plan: tuple[ChannelBand, ...] | None = Field(
        None, min_length=1, max_length=8,
        description="Contiguous bands lit (e.g. C and L), ascending and not overlapping, on "
        "the grid of first_channel_thz and spacing_ghz; null = every channel from "
        "first_channel_thz to last_channel_thz.",
    )

    @model_validator(mode="before")
    @classmethod
    def _plan_ends(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("band_plan"):
            bands = data["band_plan"]

            def end(b: object, key: str) -> object:
                return b.get(key) if isinstance(b, dict) else getattr(b, key, None)

            data = dict(data)
            data.setdefault("first_channel_thz", end(bands[0], "first_channel_thz"))
            data.setdefault("last_channel_thz", end(bands[-1], "last_channel_thz"))
        return data

    def _grid_index(self, f_thz: float) -> float:
        return (f_thz - self.first_channel_thz) * 1e3 / self.spacing_ghz

    @property
    def grid_indices(self) -> tuple[int, ...]:
        """Index of each lit channel on the uniform grid from ``first_channel_thz``."""
        if self.band_plan is None:
            return tuple(range(self.n_channels))
        out: list[int] = []
        for b in self.band_plan:
            lo = round(self._grid_index(b.first_channel_thz))
            hi = round(self._grid_index(b.last_channel_thz))
            out.extend(range(lo, hi + 1))
        return tuple(out)

    @model_validator(mode="after")
    def _check(self) -> Spectrum:
        if self.band_plan is not None:
            prev = -1
            for k, b in enumerate(self.band_plan):
                for key in ("first_channel_thz", "last_channel_thz"):
                    x = self._grid_index(getattr(b, key))
                    if abs(x - round(x)) > 1e-6 * max(1.0, abs(x)) or x < -1e-9:
                        raise ValueError(f"band_plan.{k}.{key}: not on the grid of "
                                         "first_channel_thz + k x spacing_ghz")
                lo = round(self._grid_index(b.first_channel_thz))
                hi = round(self._grid_index(b.last_channel_thz))
                if hi < lo or lo <= prev:
                    raise ValueError(f"band_plan.{k}: bands must be ascending, each ordered, "
                                     "and must not overlap")
                prev = hi
            if (abs(self.band_plan[0].first_channel_thz - self.first_channel_thz) > 1e-9
                    or abs(self.band_plan[-1].last_channel_thz - self.last_channel_thz) > 1e-9):
                raise ValueError("first_channel_thz and last_channel_thz must be the band "
                                 "plan's ends (or be left out)")
        if self.last_channel_thz < self.first_channel_thz:
            raise ValueError("last_channel_thz must not be below first_channel_thz")
        occupied_ghz = self.symbol_rate_gbaud * (1.0 + self.roll_off)
        if occupied_ghz > self.spacing_ghz * (1.0 + 1e-9):
            raise ValueError(
                f"channels overlap: symbol_rate_gbaud*(1+roll_off) = {occupied_ghz:.4g} GHz "
                f"exceeds spacing_ghz = {self.spacing_ghz:.4g} GHz"
            )
        span_ghz = (self.last_channel_thz - self.first_channel_thz) * 1e3
        steps = span_ghz / self.spacing_ghz
        if abs(steps - round(steps)) > 1e-6 * max(1.0, steps):
            raise ValueError(
                "last_channel_thz - first_channel_thz must be a whole number of spacing_ghz"
            )
        n = self.n_channels if self.band_plan is not None else round(steps) + 1
        if n > 2000:
            raise ValueError(f"too many channels ({n}); at most 2000")
        if self.preemphasis_db is not None:
            if len(self.preemphasis_db) != n:
                raise ValueError(f"preemphasis_db needs {n} values (one per channel)")
            if any(abs(v) > 20.0 or not math.isfinite(v) for v in self.preemphasis_db):
                raise ValueError("preemphasis_db values must be finite and within +-20 dB")
        return self

    @property
    def n_channels(self) -> int:
        """Number of (lit) channels."""
        if self.band_plan is not None:
            return sum(round(self._grid_index(b.last_channel_thz))
                       - round(self._grid_index(b.first_channel_thz)) + 1
                       for b in self.band_plan)
        span_ghz = (self.last_channel_thz - self.first_channel_thz) * 1e3
        return round(span_ghz / self.spacing_ghz) + 1


class LossTable(StrictModel):
    """Frequency-dependent fibre loss, linearly interpolated (flat outside the table)."""

    frequency_thz: tuple[Frequency_THz, ...] = Field(
        min_length=2, description="Frequencies of the table [THz], ascending."
    )
    loss_db_per_km: tuple[Annotated[float, Field(gt=0.0, le=5.0)], ...] = Field(
        min_length=2, description="Loss at each frequency [dB/km]."
    )

    @model_validator(mode="after")
    def _check(self) -> LossTable:
        if len(self.frequency_thz) != len(self.loss_db_per_km):
            raise ValueError("frequency_thz and loss_db_per_km must have the same length")
        f = self.frequency_thz
        if any(b <= a for a, b in itertools.pairwise(f)):
            raise ValueError("frequency_thz must be strictly ascending")
        return self


class FibreType(StrictModel):
    """A fibre type (cabled), described at a reference wavelength.

    gamma is ``2 pi n2 / (lambda_ref A_eff)`` unless ``gamma_per_w_per_km`` is given. With
    ``effective_area_model: step_index_scaling`` (GNPy's default) A_eff, hence gamma, is scaled
    with frequency by the Gaussian (Marcuse) approximation of a step-index fibre with
    ``core_radius_um``; β2 is derived from D at the reference wavelength and, without a slope,
    held constant over the band (GNPy's convention).
    """

    loss_db_per_km: float = Field(
        0.2, gt=0.0, le=5.0, description="Attenuation at the reference wavelength [dB/km]."
    )
    loss_table: LossTable | None = Field(
        None, description="Optional frequency-dependent loss; replaces loss_db_per_km."
    )
    pump_loss_db_per_km: float | None = Field(
        None,
        gt=0.0,
        le=5.0,
        description="Attenuation at Raman/ROPA pump wavelengths (~1450-1480 nm) [dB/km]; "
        "null = loss_db_per_km + 0.03.",
    )
    dispersion_ps_per_nm_km: float = Field(
        16.7, ge=-30.0, le=30.0, description="Chromatic dispersion D at the reference [ps/(nm km)]."
    )
    dispersion_slope_ps_per_nm2_km: float | None = Field(
        None,
        ge=-1.0,
        le=1.0,
        description="Dispersion slope dD/dλ [ps/(nm² km)]; null = β2 constant over the band "
        "(GNPy's convention without a slope).",
    )
    effective_area_um2: float = Field(
        83.0, ge=10.0, le=300.0, description="Effective area at the reference wavelength [µm²]."
    )
    effective_area_model: EffectiveAreaModel = Field(
        "step_index_scaling",
        description="Frequency scaling of A_eff: constant, or step-index (GNPy's default).",
    )
    core_radius_um: float = Field(
        4.2, gt=1.0, le=20.0, description="Core radius for step_index_scaling [µm] (GNPy: 4.2)."
    )
    n2_m2_per_w: float = Field(
        2.6e-20, gt=0.5e-20, le=10e-20, description="Nonlinear index n2 [m²/W]."
    )
    gamma_per_w_per_km: float | None = Field(
        None, gt=0.0, le=20.0, description="Nonlinear coefficient at the reference [1/(W km)]; "
        "null = from n2 and A_eff."
    )
    reference_wavelength_nm: float = Field(
        1550.0, ge=1200.0, le=1700.0, description="Reference wavelength [nm]."
    )
    raman_gain_slope_per_w_km_thz: float | None = Field(
        None,
        gt=0.0,
        le=1.0,
        description="Slope C_r of the triangular Raman gain approximation [1/(W km THz)] used "
        "by the ISRS model; null = 0.030 x 80/A_eff (SSMF value fitted to GNPy's default "
        "Raman gain over a C band, scaled with effective area).",
    )
    raman_efficiency_per_w_km: float | None = Field(
        None,
        gt=0.0,
        le=10.0,
        description="Peak Raman gain efficiency g_R/A_eff for a ~13 THz pump-signal offset "
        "[1/(W km)]; null = 0.42 x 80/A_eff (SSMF ~0.4). Used only by the flat given_gain "
        "Raman model; raman_pumps use raman_gain_spectrum.",
    )
    raman_gain_spectrum: RamanGainSpectrumName = Field(
        "ssmf_damico2022",
        description="Raman gain spectrum g_R(df) for raman_pumps and remote pumps: measured SSMF "
        "profile (D'Amico et al. JLT 40(11) 2022, GNPy's default) or the fused-silica "
        "13-mode model (Hollenbeck & Cantrell JOSA B 19(12) 2002).",
    )
    rayleigh_backscatter_db: float | None = Field(
        None,
        ge=-50.0,
        le=-20.0,
        description="Rayleigh backscatter of a long fibre, r/(2 alpha) [dB] (SSMF about -32 dB, "
        "pure-silica-core ULL about -34 dB); counts double Rayleigh backscattering of "
        "Raman-pumped fibres as noise. null = not counted (as GNPy).",
    )

    @model_validator(mode="after")
    def _dispersion(self) -> FibreType:
        if abs(self.dispersion_ps_per_nm_km) < 1.0:
            raise ValueError(
                "dispersion_ps_per_nm_km: |D| < 1 ps/(nm km) is outside the validity of the GN "
                "closed forms (they assume a dispersion-uncompensated, dispersive fibre)"
            )
        return self


class PumpLaser(StrictModel):
    """One Raman pump laser launched into a fibre (GNPy's ``raman_pumps`` entry)."""

    power_w: float = Field(gt=0.0, le=5.0, description="Power launched into the fibre [W].")
    wavelength_nm: float = Field(
        ge=1300.0, le=1530.0, description="Vacuum wavelength [nm] (first-order pumps ~1420-1500)."
    )
    direction: Literal["counter", "co"] = Field(
        "counter",
        description="counter: launched into the fibre's far end (backward); co: into its input.",
    )
    rin_db_per_hz: float = Field(
        -150.0, ge=-180.0, le=-90.0,
        description="Relative intensity noise of the pump [dB/Hz], transferred to the signal by "
        "co-pumping (Fludger et al. JLT 19(8) 2001); default: a low-RIN pump as used for "
        "forward Raman (assumption).",
    )


class FibreSection(StrictModel):
    """A length of a named fibre type, with lumped losses at its ends."""

    type: str = Field(min_length=1, description="Name of a fibre type in `fibres`.")
    length_km: float = Field(ge=0.001, le=1000.0, description="Length [km].")
    connector_in_db: float = Field(0.0, ge=0.0, le=10.0, description="Lumped loss at input [dB].")
    connector_out_db: float = Field(
        0.0, ge=0.0, le=10.0, description="Lumped loss at output [dB]."
    )
    extra_loss_db: float = Field(
        0.0,
        ge=0.0,
        le=40.0,
        description="Extra loss spread over the length (splices, repairs, ageing) [dB].",
    )
    raman: RamanPump | None = Field(
        None, description="Backward (counter) Raman pump launched into the fibre's far end."
    )
    forward_raman: RamanPump | None = Field(
        None, description="Forward (co-propagating) Raman pump launched into the fibre input."
    )
    raman_pumps: tuple[PumpLaser, ...] = Field(
        (),
        max_length=16,
        description="Raman pump lasers (any number, co and counter), solved with the coupled "
        "Raman equations over the fibre's Raman gain spectrum.",
    )
    temperature_k: float = Field(
        300.0, ge=200.0, le=400.0,
        description="Fibre temperature for the phonon occupancy of Raman emission [K].",
    )

    @model_validator(mode="after")
    def _pumps(self) -> FibreSection:
        given = [p for p in (self.raman, self.forward_raman) if p is not None
                 and p.model == "given_gain"]
        if given and self.raman_pumps:
            raise ValueError("raman_pumps cannot be combined with a given_gain raman pump on "
                             "the same fibre")
        return self


#: Gain shape of an amplifier: flat (one gain for every channel) or equalise (a gain-flattening
#: filter restores the launch spectrum, channel by channel, to within a residual error).
GainShape = Literal["flat", "equalise"]

#: Residual equalisation error of equalising repeaters [dB, peak-to-peak over the band]
#: (assumption, stated): the launch spectrum is restored at every repeater by its
#: gain-flattening filter and the periodic optical submarine equalisers (ITU-T G.977 (2015) §9,
#: "optical submarine equaliser") to within about 1 dB end to end, the order of the
#: ±0.2 dB-per-ten-repeater-section misalignment the analogue SD system's ocean-block
#: equalisers kept (Bell Syst. Tech. J. 43(4) 1964, "Repeaters and equalizers for the SD
#: submarine cable system"; transoceanic WDM systems quote ~1 dB end-to-end gain flatness).
DEFAULT_EQUALISATION_ERROR_DB: float = 1.0


class Edfa(StrictModel):
    """A lumped erbium-doped fibre amplifier with a noise figure and a gain shape.

    ASE referred to the input is ``NF h f B`` per channel in the bandwidth B (GNPy's
    convention, no "-1" term); the output ASE is G times that.

    ``gain_shape: flat`` applies one gain to every channel (``gain_db``, or the gain that
    restores the launch *total*). ``gain_shape: equalise`` is a submarine repeater with a
    gain-flattening filter: each channel's output power (signal + ASE + NLI) is set back to its
    launch power (the launch spectrum, pre-emphasis included) times a residual error, a linear
    ripple of ``equalisation_error_db`` peak-to-peak with the high-frequency channels low (the
    sense of the stimulated-Raman tilt it did not quite remove). The error does not build up
    from span to span: the launch spectrum is the reference of every repeater.
    """

    gain_db: float | None = Field(
        None,
        ge=0.0,
        le=50.0,
        description="Gain [dB]; null = restore the launch power (gain = loss since the last "
        "fibre input).",
    )
    noise_figure_db: float = Field(5.0, ge=3.0, le=15.0, description="Noise figure [dB].")
    max_output_power_dbm: float = Field(
        40.0, ge=-10.0, le=40.0, description="Largest total output power [dBm]."
    )
    band: Band = Field(default_factory=Band, description="Band amplified (every channel must "
                       "lie inside it or inside one of extra_bands).")
    extra_bands: tuple[Band, ...] = Field(
        (), max_length=7,
        description="Further bands amplified in parallel (a C+L repeater: C and L EDFAs "
        "behind band splitters), each with its own noise figure if given; the output limit "
        "max_output_power_dbm is the total of all bands.")
    gain_shape: GainShape = Field(
        "flat", description="flat: one gain for all channels; equalise: restore the launch "
        "spectrum channel by channel (gain-flattening filter; gain_db must be null).")
    equalisation_error_db: float = Field(
        DEFAULT_EQUALISATION_ERROR_DB, ge=0.0, le=10.0,
        description="Residual error of an equalising amplifier [dB, peak-to-peak over the "
        "band] (gain_shape equalise only; default 1 dB, an assumption, see "
        "DEFAULT_EQUALISATION_ERROR_DB).")

    @model_validator(mode="after")
    def _shape(self) -> Edfa:
        if self.gain_shape == "equalise" and self.gain_db is not None:
            raise ValueError("gain_shape equalise restores the launch spectrum: gain_db must "
                             "be null")
        return self


class RamanPump(StrictModel):
    """Distributed Raman amplification of one fibre section by one pump (counter- or co-).

    ``undepleted_pump`` (the name is historical): a pump of ``pump_power_w`` at
    ``pump_frequency_thz``, solved like a ``raman_pumps`` entry with the coupled Raman
    equations over the fibre's Raman gain spectrum (depletion included).
    ``given_gain``: a flat on-off gain is given, and the pump power that gives it at the
    fibre's peak efficiency in the undepleted-pump solution (Bromage 2004, eq. 3) is derived
    for the ASE.
    """

    model: RamanGainModel = Field("undepleted_pump", description="How the gain is specified.")
    direction: Literal["counter", "co"] = Field(
        "counter",
        description="Pump launched into the fibre's far end (counter, backward) or its input "
        "(co, forward).",
    )
    pump_power_w: float | None = Field(
        None, gt=0.0, le=5.0, description="Total pump power launched into the fibre end [W]."
    )
    on_off_gain_db: float | None = Field(
        None, ge=0.0, le=35.0, description="On-off gain for model given_gain [dB]."
    )
    pump_frequency_thz: float = Field(
        206.5, ge=195.0, le=230.0, description="(Mean) pump frequency [THz] (~1452 nm)."
    )
    temperature_k: float = Field(
        300.0, ge=200.0, le=400.0, description="Fibre temperature for the phonon occupancy [K]."
    )

    @model_validator(mode="after")
    def _check(self) -> RamanPump:
        if self.model == "undepleted_pump" and self.pump_power_w is None:
            raise ValueError("pump_power_w is required for model undepleted_pump")
        if self.model == "given_gain" and self.on_off_gain_db is None:
            raise ValueError("on_off_gain_db is required for model given_gain")
        return self


FibreSection.model_rebuild()


class Ropa(StrictModel):
    """A remote optically pumped amplifier: erbium-doped fibre spliced into the line.

    It is pumped from the receive terminal (through the line fibre or a dedicated pump
    fibre) and placed ``distance from the receiver`` into the cable; the residual pump
    P_r = P_0 exp(-α_p d) (minus the Raman depletion, ignored) is what reaches the EDF.

    Model ``giles`` (per channel): the two-level Giles–Desurvire EDF (JLT 9(2) 271, 1991) of
    ``edf_length_m`` with the bundled Al/Ge-silica erbium spectrum scaled to
    ``edf_peak_absorption_db_per_m``, backward-pumped by P_r at ``pump_wavelength_nm``; each
    channel gets its own gain, ASE and noise figure (:mod:`transcaspian.optics.erbium`).
    Model ``pump_limited`` (the flat approximation): P_r sets the largest signal output power
    by the power-conversion efficiency (quantum limit λp/λs times an efficiency); the gain is
    the smaller of the small-signal gain and that saturated gain, the same for every channel,
    and the noise figure rises from its minimum as the EDF is less inverted
    (``small_signal_gain_db``, ``min_noise_figure_db``, ``transparency_pump_power_mw``,
    ``power_conversion_efficiency`` apply to this model only; the ``edf_*`` fields to
    ``giles`` only).
    """

    model: RopaModel = Field(
        "giles", description="Gain/NF model: giles (erbium-doped fibre, per channel) or "
        "pump_limited (flat gain, the earlier approximation).")
    edf_length_m: float = Field(
        12.0, gt=0.0, le=200.0, description="Erbium-doped fibre length [m] (giles)."
    )
    edf_peak_absorption_db_per_m: float = Field(
        6.0, gt=0.0, le=50.0,
        description="Small-signal absorption of the EDF at its 1530 nm peak [dB/m] (giles; "
        "a data-sheet number: C-band EDFs 3-10 dB/m).",
    )
    edf_saturation_parameter_per_m_s: float | None = Field(
        None, gt=0.0, le=1e18,
        description="Giles-Desurvire saturation parameter zeta = pi b^2 rho / tau [1/(m s)] "
        "(giles); null = from the peak absorption with b = 1.5 um, overlap 0.75, "
        "sigma_a = 6e-25 m^2, tau = 10 ms.",
    )
    pump_power_w: float = Field(
        2.0, gt=0.0, le=5.0, description="Pump power launched at the receive terminal [W]."
    )
    pump_wavelength_nm: float = Field(
        1480.0, ge=1400.0, le=1500.0, description="Remote pump wavelength [nm]."
    )
    pump_path: Literal["line", "dedicated"] = Field(
        "dedicated",
        description="Pump through the signal fibre (line) or a dedicated pump fibre.",
    )
    line_pump_raman: bool = Field(
        True,
        description="With pump_path line: count the distributed Raman gain (and its ASE) the "
        "remote pump gives the signal on its way to the ROPA.",
    )
    dedicated_fibre_loss_db_per_km: float = Field(
        0.17, gt=0.0, le=1.0, description="Loss of the dedicated pump fibre at the pump [dB/km]."
    )
    small_signal_gain_db: float = Field(
        25.0, ge=0.0, le=40.0,
        description="Gain with a strong pump and weak signal [dB] (pump_limited)."
    )
    min_noise_figure_db: float = Field(
        4.5, ge=3.0, le=10.0, description="Noise figure with full inversion [dB] (pump_limited)."
    )
    transparency_pump_power_mw: float = Field(
        3.0,
        gt=0.0,
        le=100.0,
        description="Residual pump power at which the EDF's inversion has dropped so that "
        "n_sp doubles [mW] (NF = NF_min (1 + P_th / P_residual); pump_limited).",
    )
    power_conversion_efficiency: float = Field(
        0.6,
        gt=0.0,
        le=1.0,
        description="Fraction of the quantum limit reached by the pump-to-signal conversion [-] "
        "(pump_limited).",
    )
    insertion_loss_db: float = Field(
        1.0, ge=0.0, le=10.0, description="Passive loss of the ROPA housing (WDMs, isolator) [dB]."
    )


class TransceiverNoise(StrictModel):
    """Back-to-back noise of the transceiver pair (transmitter + receiver implementation)."""

    b2b_snr_db: float | None = Field(
        None, ge=5.0, le=60.0, description="Back-to-back SNR in the symbol-rate bandwidth [dB]; "
        "null = noiseless (GNPy's reference cases)."
    )
