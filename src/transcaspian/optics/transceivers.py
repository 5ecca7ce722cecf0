"""Coherent transceiver modes, the bundled transceiver library, mode selection and capacity.

A transceiver *mode* is one operating point of a coherent modem: net bit rate, symbol rate,
minimum channel spacing and the GSNR it needs. Thresholds are published as a required OSNR in a
0.1 nm (12.5 GHz) reference bandwidth; the optics stage computes the GSNR in the channel's
symbol-rate bandwidth, so each mode carries both and converts with

    SNR = OSNR · B_ref / R_s,   B_ref = 12.5 GHz                                   (1)

(eq. in §4.2 of the project's reference note; GNPy uses the same 12.5 GHz convention in
``gnpy.core.utils.lin2db`` callers, e.g. ``osnr = snr + 10·log10(R_s / 12.5 GHz)``).

The bundled library (``transcaspian/data/transceivers.yaml``) has OpenROADM MSA 5.0 modes (as
in GNPy's ``eqpt_config_openroadm_ver5.json``), GNPy's generic example modes, 400ZR and
high-performance submarine-class modems. Every mode names its source; ``cited: false`` marks
an assumption (a weak or missing source) that must be checked before it drives a decision.

Modem generations. The submarine libraries (:data:`SUBMARINE_GENERATIONS`: ``submarine_2009``
first coherent 100G, ``submarine_2012`` WaveLogic 3 class, ``submarine_2016`` WaveLogic Ai,
``submarine`` 2020-2023 modems) date every modem with the year it became generally available
(``available_year``, cited). :func:`generation_library` gives the line cards a design
announced in a given year could use; a generation of fixed-format cards also names the grid
it was deployed on (``channel_plan``).

Back-to-back noise. The optics stage adds the configured back-to-back SNR
(``OpticsConfig.transceiver``) to the line's GSNR. That suits the adaptive modems, whose gap Γ
is defined without it (``threshold_basis: line``). A threshold measured back to back (the
OpenROADM / OpenZR+ required OSNRs, ``threshold_basis: back_to_back``, the default of a listed
mode) already contains the modem's own noise; :func:`select_modes` then compares it with the
line's noise plus the mode's published transmitter OSNR, not with the back-to-back SNR (see
its note on ``b2b_snr_db``), so that noise is not counted twice.

Mode selection (:func:`select_modes`) is vectorised: channels on the last axis, design
variants on leading axes; it loops over the (few) modes, never over channels or designs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, ValidationError, field_validator, model_validator

from .._load import parse_yaml, read_text, validation_message
from ..errors import DataError, OpticsError
from ..model import StrictModel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Reference optical bandwidth of an OSNR value [GHz]: 0.1 nm at 1550 nm, rounded to 12.5 GHz
#: as in ITU-T G.697 and GNPy (the exact value at 193.4 THz is 12.48 GHz).
REFERENCE_BANDWIDTH_GHZ: float = 12.5

#: Tolerance when a mode gives both a required OSNR and a required SNR [dB].
_SNR_CONSISTENCY_DB = 0.05

#: Tolerance on spacing comparisons [GHz] (87.5 GHz slot vs 87.5 GHz minimum spacing).
_SPACING_TOL_GHZ = 1e-6
#: Slot granularity of the flexible DWDM grid, ITU-T G.694.1 [GHz].
FLEX_GRID_GHZ = 12.5

#: Tolerance on the threshold comparison [dB], so that a GSNR exactly at threshold + margin is
#: not lost to floating-point rounding of the dB arithmetic.
_THRESHOLD_TOL_DB = 1e-9

DEFAULT_LIBRARY_RESOURCE = "transceivers.yaml"


def grid_slot_ghz(width_ghz: float, grid_ghz: float = FLEX_GRID_GHZ) -> float:
    """The narrowest slot of the flexible grid holding ``width_ghz`` [GHz] (ITU-T G.694.1 slots
    are multiples of 12.5 GHz).

    >>> grid_slot_ghz(38.5), grid_slot_ghz(50.0)
    (50.0, 50.0)
    """
    return grid_ghz * math.ceil(width_ghz / grid_ghz - 1e-9)


def osnr_to_snr_db(osnr_0p1nm_db: npt.ArrayLike, symbol_rate_gbaud: npt.ArrayLike) -> FloatArray:
    """Convert an OSNR in 0.1 nm into an SNR in the symbol-rate bandwidth.

    Parameters
    ----------
    osnr_0p1nm_db : array_like
        OSNR in a 12.5 GHz reference bandwidth [dB].
    symbol_rate_gbaud : array_like
        Symbol rate R_s [GBd]; the noise bandwidth of a matched receiver.

    Returns
    -------
    ndarray
        SNR in the R_s bandwidth [dB].

    Notes
    -----
    SNR = OSNR · B_ref / R_s with B_ref = 12.5 GHz (§4.2 of the reference note, after
    R.-J. Essiambre et al., "Capacity limits of optical fiber networks", JLT 28(4) 662, 2010,
    doi:10.1109/JLT.2009.2039464, eq. 46, for a single polarisation-multiplexed signal).

    >>> round(float(osnr_to_snr_db(24.0, 63.1)), 3)
    16.969
    """
    rs = np.asarray(symbol_rate_gbaud, dtype=float)
    return np.asarray(osnr_0p1nm_db, dtype=float) + 10.0 * np.log10(REFERENCE_BANDWIDTH_GHZ / rs)


def snr_to_osnr_db(snr_db: npt.ArrayLike, symbol_rate_gbaud: npt.ArrayLike) -> FloatArray:
    """Inverse of :func:`osnr_to_snr_db`: SNR in R_s [dB] → OSNR in 0.1 nm [dB]."""
    rs = np.asarray(symbol_rate_gbaud, dtype=float)
    return np.asarray(snr_db, dtype=float) - 10.0 * np.log10(REFERENCE_BANDWIDTH_GHZ / rs)


# --------------------------------------------------------------------------------------------
# Input models


class TransceiverMode(StrictModel):
    """One operating mode of a coherent transceiver, with the source of its threshold."""

    name: str = Field(min_length=1, description="Unique mode name, e.g. 'openroadm_v5_400g'.")
    family: str = Field("", description="Product family or standard (e.g. 'OpenROADM MSA 5.0').")
    modulation: str = Field("", description="Modulation format, e.g. 'DP-16QAM'.")
    bit_rate_gbps: float = Field(gt=0.0, le=10_000.0, description="Net (client) bit rate [Gb/s].")
    symbol_rate_gbaud: float = Field(gt=0.0, le=1_000.0, description="Symbol rate R_s [GBd].")
    roll_off: float | None = Field(
        None, ge=0.0, le=1.0, description="Raised-cosine roll-off [-]; null when unpublished."
    )
    min_spacing_ghz: float = Field(
        gt=0.0, le=2_000.0, description="Smallest channel spacing (slot width) the mode fits [GHz]."
    )
    required_osnr_0p1nm_db: float | None = Field(
        None, ge=-10.0, le=60.0, description="Required OSNR in 0.1 nm (12.5 GHz) [dB]."
    )
    required_snr_db: float | None = Field(
        None,
        ge=-20.0,
        le=60.0,
        description="Required SNR (GSNR) in the symbol-rate bandwidth [dB]; derived from the OSNR "
        "with SNR = OSNR·12.5 GHz/R_s when omitted.",
    )
    tx_osnr_0p1nm_db: float | None = Field(
        None, ge=0.0, le=80.0, description="Transmitter OSNR in 0.1 nm [dB], if published."
    )
    fec: str = Field("", description="Forward error correction (e.g. 'oFEC', 'C-FEC', 'SD-FEC').")
    source: str = Field(min_length=1, description="Citation of the threshold and rates.")
    cited: bool = Field(
        description="True when the numbers are stated by the cited source; false marks an "
        "assumption (weak source or engineering rule of thumb) to verify before use."
    )
    available_year: int | None = Field(
        None, ge=1990, le=2100, description="Year the mode's modem became generally "
        "available (cited in ``source``); null = unknown (never offered to a dated design)."
    )
    illustrative: bool = Field(
        False,
        description="True for example values that describe no product or standard (e.g. "
        "GNPy's example library); a design that relies on such a mode is flagged.",
    )
    note: str = Field("", description="Free-text remark (corrections, caveats).")
    threshold_basis: Literal["back_to_back", "line"] = Field(
        "back_to_back", description="What the threshold was measured against: 'back_to_back' "
        "(a receiver sensitivity measured with the transceiver pair alone, its own noise "
        "included, as OpenROADM and OpenZR+ state it) or 'line' (the line's GSNR with the "
        "transceiver's back-to-back noise added separately, as the adaptive modems' gap)."
    )

    @model_validator(mode="after")
    def _thresholds(self) -> TransceiverMode:
        if self.required_osnr_0p1nm_db is None and self.required_snr_db is None:
            raise ValueError("give required_osnr_0p1nm_db or required_snr_db (or both)")
        if self.required_osnr_0p1nm_db is not None and self.required_snr_db is not None:
            derived = float(osnr_to_snr_db(self.required_osnr_0p1nm_db, self.symbol_rate_gbaud))
            if abs(derived - self.required_snr_db) > _SNR_CONSISTENCY_DB:
                raise ValueError(
                    f"required_snr_db {self.required_snr_db} disagrees with required_osnr_0p1nm_db "
                    f"{self.required_osnr_0p1nm_db} at {self.symbol_rate_gbaud} GBd "
                    f"(expected {derived:.2f} dB)"
                )
        return self

    @property
    def occupied_bandwidth_ghz(self) -> float:
        """Occupied optical bandwidth R_s·(1 + β) of the raised-cosine spectrum [GHz].

        With an unpublished roll-off (``roll_off: null``) the Nyquist limit R_s is the only
        bandwidth known for certain, so it is used (and ``min_spacing_ghz`` still applies).
        """
        return self.symbol_rate_gbaud * (1.0 + (self.roll_off or 0.0))

    @property
    def slot_needed_ghz(self) -> float:
        """Narrowest slot the mode fits [GHz]: the larger of ``min_spacing_ghz`` and its
        occupied bandwidth R_s·(1 + β)."""
        return max(self.min_spacing_ghz, self.occupied_bandwidth_ghz)

    def fits_slot(self, spacing_ghz: float) -> bool:
        """True when the mode may be placed in a slot ``spacing_ghz`` wide [GHz]: its
        ``min_spacing_ghz`` and its occupied bandwidth R_s·(1 + β) both fit the slot."""
        return bool(self.slot_needed_ghz <= spacing_ghz + _SPACING_TOL_GHZ)

    @property
    def snr_threshold_db(self) -> float:
        """Required SNR in the symbol-rate bandwidth [dB] (given, or converted from the OSNR)."""
        if self.required_snr_db is not None:
            return self.required_snr_db
        assert self.required_osnr_0p1nm_db is not None  # guaranteed by the validator
        return float(osnr_to_snr_db(self.required_osnr_0p1nm_db, self.symbol_rate_gbaud))

    @property
    def osnr_threshold_0p1nm_db(self) -> float:
        """Required OSNR in 0.1 nm [dB] (given, or converted from the SNR)."""
        if self.required_osnr_0p1nm_db is not None:
            return self.required_osnr_0p1nm_db
        assert self.required_snr_db is not None
        return float(snr_to_osnr_db(self.required_snr_db, self.symbol_rate_gbaud))

    @property
    def shannon_rate_at_threshold_gbps(self) -> float:
        """Dual-polarisation Shannon rate 2·R_s·log2(1+SNR_req) at the mode's threshold [Gb/s].

        A mode whose ``bit_rate_gbps`` exceeds this claims to beat the AWGN Shannon limit: a
        data error.
        """
        snr = 10.0 ** (self.snr_threshold_db / 10.0)
        return float(2.0 * self.symbol_rate_gbaud * np.log2(1.0 + snr))


class AdaptiveModem(StrictModel):
    """A rate-adaptive coherent modem (probabilistic shaping, flexible symbol rate).

    Its net rate at a GSNR follows from stated quantities, not from a table of modes:

        GMI = 2 log2(1 + SNR / Γ)                    [bit per dual-polarisation symbol]  (3)
        R_net = R_s · GMI · η_FEC,   η_FEC = R_c / NGMI_th,   R_c = 1 / (1 + OH)         (4)

    (3) is the AWGN Shannon limit of each polarisation (Shannon 1948, Essiambre et al. JLT
    28(4) 662, 2010) with an implementation gap Γ (the shaping gap of a finite distribution
    matcher and DSP penalties not already in the line's back-to-back SNR); (4): a soft-decision
    FEC of overhead OH (code rate R_c) decodes when the normalised GMI reaches its threshold
    NGMI_th, so the net rate is R_c/NGMI_th of the GMI (J. Cho, P. J. Winzer, "Probabilistic
    constellation shaping for optical fiber communications", JLT 37(6) 1590, 2019,
    doi:10.1109/JLT.2019.2898855, §IV: net rate = GMI-based AIR minus the FEC's NGMI gap).
    The symbol rate adapts to the slot, R_s = min(``max_symbol_rate_gbaud``,
    slot / (1 + β)); the net rate is floored to ``rate_step_gbps`` within the modem's range
    (the lower bound scaled with R_s when the slot forces a lower symbol rate).
    """

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$",
                      description="Modem name (prefix of its generated mode names).")
    family: str = Field(min_length=1, description="Product family, e.g. 'Ciena WaveLogic 5 "
                        "Extreme'.")
    max_symbol_rate_gbaud: float = Field(gt=1.0, le=500.0, description="Highest symbol rate "
                                         "[GBd].")
    roll_off: float = Field(ge=0.0, le=1.0, description="Spectral roll-off β of the signal [-].")
    fec_overhead: float = Field(gt=0.0, le=1.0, description="FEC overhead OH [-] (0.25 = 25 %).")
    ngmi_threshold: float = Field(gt=0.5, le=1.0, description="Normalised-GMI threshold of the "
                                  "FEC [-].")
    implementation_gap_db: float = Field(ge=0.0, le=10.0, description="Gap Γ of the GMI to the "
                                         "AWGN Shannon limit [dB].")
    min_net_rate_gbps: float = Field(gt=0.0, le=10_000.0, description="Lowest net rate at the "
                                     "highest symbol rate [Gb/s].")
    max_net_rate_gbps: float = Field(gt=0.0, le=10_000.0, description="Highest net rate "
                                     "[Gb/s].")
    rate_step_gbps: float = Field(gt=0.0, le=100.0, description="Net-rate granularity [Gb/s].")
    min_symbol_rate_gbaud: float | None = Field(
        None, gt=1.0, le=500.0, description="Lowest symbol rate the modem runs at [GBd]: a slot "
        "narrower than it occupies (R_s,min·(1 + β)) holds none of its modes. Null: none "
        "stated (the modem follows any slot).")
    available_year: int | None = Field(None, ge=1990, le=2100, description="Year the modem "
                                       "became generally available (shipping, cited in "
                                       "``source``); null = unknown.")
    source: str = Field(min_length=1, description="Citation of the figures.")
    cited: bool = Field(description="True when the rates and symbol rate are stated by the "
                        "source (the gap and FEC figures may still be stated assumptions, see "
                        "note).")
    note: str = Field("", description="Which figures are assumptions.")

    @model_validator(mode="after")
    def _range(self) -> AdaptiveModem:
        if self.max_net_rate_gbps < self.min_net_rate_gbps:
            raise ValueError("max_net_rate_gbps must not be below min_net_rate_gbps")
        if (self.max_net_rate_gbps - self.min_net_rate_gbps) / self.rate_step_gbps > 2000:
            raise ValueError("more than 2000 rate steps: use a coarser rate_step_gbps")
        if (self.min_symbol_rate_gbaud is not None
                and self.min_symbol_rate_gbaud > self.max_symbol_rate_gbaud):
            raise ValueError("min_symbol_rate_gbaud must not exceed max_symbol_rate_gbaud")
        return self

    @property
    def narrowest_slot_ghz(self) -> float | None:
        """Narrowest slot the modem fits, R_s,min·(1 + β) [GHz]; ``None``: none stated."""
        if self.min_symbol_rate_gbaud is None:
            return None
        return self.min_symbol_rate_gbaud * (1.0 + self.roll_off)

    @property
    def fec_efficiency(self) -> float:
        """η_FEC = R_c / NGMI_th of eq. (4) [-]."""
        return 1.0 / (1.0 + self.fec_overhead) / self.ngmi_threshold

    def symbol_rate_for_slot_gbaud(self, spacing_ghz: float) -> float:
        """R_s = min(max symbol rate, slot / (1 + β)) [GBd]."""
        return min(self.max_symbol_rate_gbaud, spacing_ghz / (1.0 + self.roll_off))

    def net_rate_gbps(self, snr_db: npt.ArrayLike, spacing_ghz: float) -> FloatArray:
        """Continuous net rate of eqs. (3)-(4) at an SNR in the modem's own symbol rate [Gb/s]
        (before the rate steps and range)."""
        rs = self.symbol_rate_for_slot_gbaud(spacing_ghz)
        snr = 10.0 ** ((np.asarray(snr_db, dtype=float) - self.implementation_gap_db) / 10.0)
        return np.asarray(rs * 2.0 * np.log2(1.0 + snr) * self.fec_efficiency)

    def required_snr_db(self, net_rate_gbps: npt.ArrayLike, spacing_ghz: float) -> FloatArray:
        """SNR in the modem's symbol-rate bandwidth that eqs. (3)-(4) need for a net rate [dB]."""
        rs = self.symbol_rate_for_slot_gbaud(spacing_ghz)
        bits = np.asarray(net_rate_gbps, dtype=float) / (rs * self.fec_efficiency)
        return np.asarray(self.implementation_gap_db
                          + 10.0 * np.log10(np.expm1(0.5 * bits * np.log(2.0))))

    def modes_for_slot(self, spacing_ghz: float) -> tuple[TransceiverMode, ...]:
        """The modem's rate steps in a slot ``spacing_ghz`` wide, as transceiver modes (none in
        a slot narrower than :attr:`narrowest_slot_ghz`)."""
        narrowest = self.narrowest_slot_ghz
        if narrowest is not None and spacing_ghz + _SPACING_TOL_GHZ < narrowest:
            return ()
        rs = self.symbol_rate_for_slot_gbaud(spacing_ghz)
        lo = self.min_net_rate_gbps * rs / self.max_symbol_rate_gbaud
        step = self.rate_step_gbps
        first = max(step, np.ceil(lo / step - 1e-9) * step)
        rates = np.arange(first, self.max_net_rate_gbps + 1e-9, step)
        req = self.required_snr_db(rates, spacing_ghz)
        return tuple(
            TransceiverMode(
                name=f"{self.name}_{r:g}g", family=self.family, modulation="PCS-QAM",
                bit_rate_gbps=float(r), symbol_rate_gbaud=rs, roll_off=self.roll_off,
                min_spacing_ghz=rs * (1.0 + self.roll_off), required_snr_db=float(t),
                fec=f"SD-FEC {100 * self.fec_overhead:g}% OH", source=self.source,
                cited=self.cited, available_year=self.available_year, threshold_basis="line",
                note=f"generated by the adaptive model of {self.name}")
            for r, t in zip(rates, req, strict=True))


class GenerationPlan(StrictModel):
    """The fixed channel grid a modem generation was deployed on, with its source.

    Fixed-format modems of the first coherent generations do not adapt their symbol rate to
    the slot: a planner lays them on the grid they were built for, not on a wider plan that
    would leave most of each slot empty.
    """

    spacing_ghz: float = Field(gt=0.0, le=1000.0, description="Channel spacing [GHz].")
    symbol_rate_gbaud: float = Field(gt=0.5, le=500.0, description="Symbol rate [GBd].")
    roll_off: float = Field(ge=0.0, le=1.0, description="Raised-cosine roll-off [-].")
    source: str = Field(min_length=1, description="Citation of the grid.")


class TransceiverLibrary(StrictModel):
    """A named, ordered set of transceiver modes with unique names, and adaptive modems.

    ``modems`` are turned into modes for a given slot width by :meth:`for_slot`; a library
    may hold modes, modems or both.
    """

    name: str = Field(min_length=1, description="Library name.")
    description: str = Field("", description="What the library holds and where it comes from.")
    modes: tuple[TransceiverMode, ...] = Field((), description="The discrete modes.")
    modems: tuple[AdaptiveModem, ...] = Field((), description="Rate-adaptive modems.")
    expanded_modems: tuple[str, ...] = Field(
        (), description="Families of the adaptive modems already expanded into modes by "
        "for_slot (set by the code).")
    channel_plan: GenerationPlan | None = Field(
        None, description="The fixed channel grid the generation's modes were deployed on "
        "(published); null = the modems adapt to the scenario's channel plan.")

    def available_in(self, year: int) -> TransceiverLibrary:
        """The modes and modems generally available in ``year`` (``available_year <= year``;
        an undated member is never offered to a dated design).

        Raises
        ------
        OpticsError
            Nothing in the library was available in ``year``.
        """
        modes = tuple(m for m in self.modes
                      if m.available_year is not None and m.available_year <= year)
        modems = tuple(m for m in self.modems
                       if m.available_year is not None and m.available_year <= year)
        if not modes and not modems:
            raise OpticsError(f"transceiver library {self.name!r}: nothing generally "
                              f"available in {year}")
        return self.model_copy(update={"modes": modes, "modems": modems})

    @property
    def available_year(self) -> int | None:
        """The first year in which any member was generally available (None if undated)."""
        dated = [m.available_year for m in self.modes] + [m.available_year
                                                          for m in self.modems]
        years = [y for y in dated if y is not None]
        return min(years) if years else None

    @model_validator(mode="after")
    def _not_empty(self) -> TransceiverLibrary:
        if not self.modes and not self.modems:
            raise ValueError("a library needs at least one of modes and modems")
        return self

    def capped_at(self, rate_gbps: float) -> TransceiverLibrary:
        """The library provisioned at most at ``rate_gbps`` [Gb/s]: modes above it dropped,
        adaptive modems capped at it (their lower rates unchanged).

        Raises
        ------
        OpticsError
            Every mode and modem starts above the cap.
        """
        modes = tuple(m for m in self.modes if m.bit_rate_gbps <= rate_gbps + 1e-9)
        modems = tuple(m.model_copy(update={"max_net_rate_gbps": rate_gbps})
                       for m in self.modems if m.min_net_rate_gbps <= rate_gbps + 1e-9)
        if not modes and not modems:
            raise OpticsError(f"optics.max_rate_gbps: no mode or modem of library "
                              f"{self.name!r} runs at or below {rate_gbps:g} Gb/s")
        return self.model_copy(update={"modes": modes, "modems": modems})

    @property
    def narrowest_slot_ghz(self) -> float | None:
        """Narrowest slot a member of the library fits [GHz]: a mode's ``min_spacing_ghz`` and
        occupied bandwidth, a modem's :attr:`AdaptiveModem.narrowest_slot_ghz`. ``None`` when a
        modem states no lowest symbol rate (it follows any slot)."""
        widths = [m.slot_needed_ghz for m in self.modes]
        for modem in self.modems:
            if modem.narrowest_slot_ghz is None:
                return None
            widths.append(modem.narrowest_slot_ghz)
        return min(widths) if widths else None

    def narrowest_grid_slot_ghz(self, grid_ghz: float = FLEX_GRID_GHZ) -> float | None:
        """:attr:`narrowest_slot_ghz` on the flexible grid (:func:`grid_slot_ghz`) [GHz];
        ``None`` when unbounded."""
        width = self.narrowest_slot_ghz
        return None if width is None else grid_slot_ghz(width, grid_ghz)

    def for_slot(self, spacing_ghz: float) -> TransceiverLibrary:
        """The discrete modes plus every modem's rate steps in a slot ``spacing_ghz`` wide."""
        if not self.modems:
            return self
        extra = tuple(m for modem in self.modems for m in modem.modes_for_slot(spacing_ghz))
        return self.model_copy(update={
            "modes": self.modes + extra, "modems": (),
            "expanded_modems": self.expanded_modems + tuple(m.family for m in self.modems)})

    @property
    def capacity_model(self) -> str:
        """Which model sets the capacity: the adaptive modems' families, else the modes'."""
        adaptive = tuple(dict.fromkeys([*self.expanded_modems,
                                        *(m.family for m in self.modems)]))
        fams = adaptive or self.families
        kind = ("adaptive-rate model, GMI = 2 log2(1 + SNR/gap), net = R_s GMI / ((1 + OH) "
                "NGMI_th)" if adaptive else "discrete modes")
        return f"{self.name}: {kind} ({', '.join(fams)})"

    @field_validator("modes")
    @classmethod
    def _unique_names(cls, modes: tuple[TransceiverMode, ...]) -> tuple[TransceiverMode, ...]:
        seen: set[str] = set()
        for mode in modes:
            if mode.name in seen:
                raise ValueError(f"duplicate mode name {mode.name!r}")
            seen.add(mode.name)
        return modes

    @property
    def names(self) -> tuple[str, ...]:
        """Mode names in library order."""
        return tuple(m.name for m in self.modes)

    @property
    def families(self) -> tuple[str, ...]:
        """Distinct families in library order (modes, then modems)."""
        return tuple(dict.fromkeys([m.family for m in self.modes]
                                   + [m.family for m in self.modems]))

    def mode_names_fitting(self, spacing_ghz: float) -> tuple[str, ...]:
        """Names of the modes selectable in a slot ``spacing_ghz`` wide [GHz], in library
        order (:meth:`TransceiverMode.fits_slot`)."""
        return tuple(m.name for m in self.modes if m.fits_slot(spacing_ghz))

    def mode(self, name: str) -> TransceiverMode:
        """The mode called ``name`` (OpticsError if absent)."""
        for m in self.modes:
            if m.name == name:
                return m
        raise OpticsError(f"transceiver library {self.name!r}: no mode named {name!r}")

    def subset(
        self,
        *,
        names: Sequence[str] | None = None,
        families: Sequence[str] | None = None,
        cited_only: bool = False,
    ) -> TransceiverLibrary:
        """A library restricted to the given mode names and/or families (and cited modes)."""
        if names is not None:
            for n in names:
                self.mode(n)  # raises on an unknown name
        keep = [
            m
            for m in self.modes
            if (names is None or m.name in names)
            and (families is None or m.family in families)
            and (m.cited or not cited_only)
        ]
        modems = [m for m in self.modems if names is None
                  and (families is None or m.family in families) and (m.cited or not cited_only)]
        if not keep and not modems:
            raise OpticsError(f"transceiver library {self.name!r}: the selection is empty")
        return self.model_copy(update={"modes": tuple(keep), "modems": tuple(modems),
                                       "name": f"{self.name} (subset)"})


# --------------------------------------------------------------------------------------------
# Loading


def transceiver_library_from_dict(
    data: Any, *, source: str = "transceiver library"
) -> TransceiverLibrary:
    """Validate a mapping (parsed YAML) into a :class:`TransceiverLibrary`.

    Raises
    ------
    DataError
        One line naming ``source``, the field path and the problem.
    """
    if not isinstance(data, dict):
        raise DataError(f"{source}: the top level must be a mapping of keys to values")
    try:
        return TransceiverLibrary.model_validate(data)
    except ValidationError as err:
        raise DataError(validation_message(err, source)) from None


#: Bundled libraries by name (``optics.transceivers``): the default (pluggable and
#: fixed-format modes), ``submarine`` (rate-adaptive submarine-class modems of 2020-2023),
#: ``submarine_2016`` (the rate-adaptive generation of the 2017-2019 submarine designs),
#: ``submarine_2012`` (WaveLogic 3 class: fixed 100G DP-QPSK / 200G DP-16QAM on a 50 GHz
#: grid, 2012-2016) and ``submarine_2009`` (the first coherent card: 100G DP-QPSK, 2009-2011).
BUNDLED_LIBRARIES: dict[str, str] = {
    "default": DEFAULT_LIBRARY_RESOURCE,
    "submarine": "transceivers_submarine.yaml",
    "submarine_2016": "transceivers_submarine_2016.yaml",
    "submarine_2012": "transceivers_submarine_2012.yaml",
    "submarine_2009": "transceivers_submarine_2009.yaml",
}

#: The bundled submarine modem generations, oldest first (:func:`generation_library`).
SUBMARINE_GENERATIONS: tuple[str, ...] = ("submarine_2009", "submarine_2012", "submarine_2016",
                                           "submarine")


def load_transceiver_library(path: str | Path | None = None) -> TransceiverLibrary:
    """Load a transceiver library from YAML: a file, a bundled name (:data:`BUNDLED_LIBRARIES`)
    or the bundled default when ``path`` is None.

    Raises
    ------
    DataError
        The file is missing, is not YAML, or a field is invalid (one line).
    """
    if path is None or (isinstance(path, str) and path in BUNDLED_LIBRARIES):
        resource = BUNDLED_LIBRARIES[path or "default"]
        ref = resources.files("transcaspian").joinpath("data", resource)
        source = f"transcaspian/data/{resource}"
        text = ref.read_text(encoding="utf-8")
    else:
        source = str(Path(path))
        text = read_text(path, what="transceiver library file", error=DataError)
    data = parse_yaml(text, source=source, error=DataError)
    return transceiver_library_from_dict(data, source=source)


def generation_library(year: int) -> TransceiverLibrary:
    """The submarine modem generation of a design announced in ``year``.

    The newest bundled generation (:data:`SUBMARINE_GENERATIONS`) with a member generally
    available (shipping) by ``year``, restricted to the members available then
    (:meth:`TransceiverLibrary.available_in`). A capacity announced in a year is the
    capacity of the line cards that could be bought that year, not of those announced for
    later; the availability years are the cited facts of each library.

    Raises
    ------
    OpticsError
        ``year`` is before the first bundled generation.

    >>> [generation_library(y).name for y in (2010, 2014, 2017, 2021)]
    ['submarine_2009', 'submarine_2012', 'submarine_2016', 'submarine']
    """
    for name in reversed(SUBMARINE_GENERATIONS):
        lib = load_transceiver_library(name)
        first = lib.available_year
        if first is not None and first <= year:
            return lib.available_in(year)
    raise OpticsError(f"no bundled submarine modem generation was available in {year}")


# --------------------------------------------------------------------------------------------
# Mode selection and capacity


@dataclass(frozen=True)
class ModeSelection:
    """Per-channel transceiver choice. Arrays have the shape of the GSNR input (..., n_ch).

    Attributes
    ----------
    rate_gbps : ndarray
        Net bit rate carried by each channel [Gb/s]; 0 where no mode qualifies.
    mode_index : ndarray of int
        Index into ``mode_names`` of the chosen mode; -1 where no mode qualifies.
    margin_db : ndarray
        Margin left [dB]: GSNR at the mode's symbol rate − required SNR − system margin. Where
        no mode qualifies it is the (negative) shortfall to the easiest mode that fits the
        spacing; NaN if no mode fits the spacing at all.
    mode_names : tuple of str
        Names of the library modes, in library order.
    """

    rate_gbps: FloatArray
    mode_index: IntArray
    margin_db: FloatArray
    mode_names: tuple[str, ...]

    @property
    def capacity_tbps(self) -> FloatArray:
        """Sum of the channel rates over the last axis [Tb/s] (one fibre, one direction)."""
        return np.asarray(self.rate_gbps.sum(axis=-1) / 1e3, dtype=float)

    @property
    def n_channels_served(self) -> IntArray:
        """Number of channels carrying a mode, over the last axis."""
        return np.asarray((self.mode_index >= 0).sum(axis=-1), dtype=np.int64)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain Python (NaN margins become None)."""
        margin = np.where(np.isfinite(self.margin_db), self.margin_db, np.nan)
        return {
            "rate_gbps": self.rate_gbps.tolist(),
            "mode": np.vectorize(lambda i: self.mode_names[i] if i >= 0 else None, otypes=[object])(
                self.mode_index
            ).tolist()
            if self.mode_index.size
            else [],
            "margin_db": _nan_to_none(margin.tolist()),
            "capacity_tbps": _nan_to_none(self.capacity_tbps.tolist()),
        }


def _nan_to_none(value: Any) -> Any:
    if isinstance(value, list):
        return [_nan_to_none(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _equivalent_threshold_db(mode: TransceiverMode, b2b_snr_db: float | None,
                             margin_db: float = 0.0) -> float:
    """A mode's threshold + margin on a GSNR that includes the back-to-back SNR, eq. (3) of
    :func:`select_modes` [dB] (``inf`` when the transmitter's noise alone is too much)."""
    if b2b_snr_db is None or mode.threshold_basis == "line":
        return mode.snr_threshold_db + margin_db
    inv = 10.0 ** (-(mode.snr_threshold_db + margin_db) / 10.0) + 10.0 ** (-b2b_snr_db / 10.0)
    inv -= 1.0 / _tx_snr(mode)
    return float(-10.0 * np.log10(inv)) if inv > 0.0 else float("inf")


def _tx_snr(mode: TransceiverMode) -> float:
    """The transmitter's SNR in the mode's symbol-rate bandwidth [-] (``inf``: unpublished)."""
    if mode.tx_osnr_0p1nm_db is None:
        return float("inf")
    return float(10.0 ** (osnr_to_snr_db(mode.tx_osnr_0p1nm_db, mode.symbol_rate_gbaud) / 10.0))


def select_modes(
    gsnr_db: npt.ArrayLike,
    *,
    spacing_ghz: npt.ArrayLike,
    margin_db: npt.ArrayLike,
    library: TransceiverLibrary,
    reference_symbol_rate_gbaud: npt.ArrayLike,
    b2b_snr_db: float | None = None,
) -> ModeSelection:
    """Choose, per channel, the highest-rate mode whose required SNR + margin is met.

    Parameters
    ----------
    gsnr_db : array_like, shape (..., n_ch)
        GSNR of each channel in the bandwidth ``reference_symbol_rate_gbaud`` [dB]; channels on
        the last axis, design variants on leading axes.
    spacing_ghz : array_like
        Channel spacing (slot width) [GHz]; a scalar or broadcastable to ``gsnr_db``.
    margin_db : array_like
        System margin demanded on top of each mode's required SNR [dB] (e.g. GNPy's
        ``sys_margins``, ageing and repair allowances); broadcastable to ``gsnr_db``.
    library : TransceiverLibrary
        Candidate modes.
    reference_symbol_rate_gbaud : array_like
        Symbol rate at which ``gsnr_db`` was computed [GBd] (the channel plan's symbol rate);
        broadcastable to ``gsnr_db``.
    b2b_snr_db : float, optional
        Back-to-back SNR already included in ``gsnr_db`` [dB] (``OpticsConfig.transceiver``);
        ``None``: none is included (noiseless transceivers, GNPy's reference cases).

    Returns
    -------
    ModeSelection
        Rate [Gb/s], mode index and margin left [dB] per channel.

    Notes
    -----
    A mode m qualifies for a channel when

    1. it fits the slot (:meth:`TransceiverMode.fits_slot`): ``min_spacing_ghz(m) ≤
       spacing_ghz`` *and* its occupied bandwidth ``R_s(m)·(1 + β(m)) ≤ spacing_ghz``. A
       channel wider than its slot overlaps its neighbours: the plan's GSNR (computed for
       spectra that do not overlap) would not hold for it. GNPy's example modes of 66 GBd with
       β = 0.15 (75.9 GHz) on a 75 GHz grid are therefore refused there, although the example
       file lists 75 GHz as their minimum spacing; and
    2. ``GSNR_m − SNR_req(m) − margin_db ≥ 0``.

    **Symbol-rate rule.** The GSNR of the channel plan is computed for a channel of symbol rate
    R_ref. A mode with another symbol rate R_m is put in the same slot with the same channel
    power; the noise (ASE + NLI) power spectral density is taken as unchanged, so the noise
    power scales with the receiver bandwidth R_m:

        GSNR_m = GSNR_ref · R_ref / R_m                                              (2)

    This is exact for ASE (flat PSD) and first-order for NLI in a fully loaded band, whose PSD
    depends on the total power spectral density, not on how it is split into carriers
    (Poggiolini, JLT 30(24) 3857, 2012, doi:10.1109/JLT.2012.2217729, eq. 15 depends on the
    WDM PSD G_WDM only). It favours neither narrow nor wide modes: the bits per Hz of slot
    follow from the SNR per Hz.

    **Back-to-back thresholds.** When ``gsnr_db`` includes a back-to-back SNR S_b2b, a mode
    whose threshold S_req was measured back to back (``threshold_basis: back_to_back``) already
    holds its own transceiver noise in S_req; what must reach S_req is the line's noise plus
    the transmitter's (its published OSNR, S_tx = OSNR_tx·12.5 GHz/R_s; GNPy adds ``tx_osnr``
    the same way), with the margin M on that line GSNR as GNPy applies ``sys_margins``. With
    1/GSNR = 1/GSNR_line + 1/S_b2b, the condition 1/GSNR_line + 1/S_tx ≤ 1/(S_req M) reads, on
    the GSNR given,

        1/GSNR ≤ 1/(S_req M) − 1/S_tx + 1/S_b2b                                      (3)

    so the mode is compared with the equivalent threshold of (3) (a mode whose transmitter
    noise alone exceeds 1/(S_req M) never qualifies), and its margin left is stated on the line
    GSNR. S_b2b is taken in the mode's symbol-rate bandwidth. Without a back-to-back SNR
    (``b2b_snr_db=None``) thresholds are used as given.

    Among qualifying modes the highest net bit rate wins; ties go to the larger margin left,
    then to the earlier mode in the library. Channels with no qualifying mode carry 0 Gb/s and
    index -1.

    Cost: the modes are sorted once per distinct spacing value; each channel is then placed by
    a binary search (``np.searchsorted``), O(N log M) for N channels and M modes.

    Examples
    --------
    >>> lib = load_transceiver_library()
    >>> sel = select_modes([18.0, 10.0], spacing_ghz=87.5, margin_db=2.0, library=lib.subset(
    ...     families=["OpenROADM MSA 5.0"]), reference_symbol_rate_gbaud=63.1)
    >>> sel.rate_gbps.tolist()
    [300.0, 100.0]
    """
    gsnr = np.asarray(gsnr_db, dtype=float)
    if gsnr.ndim == 0:
        raise OpticsError("select_modes: gsnr_db must have a channel axis (got a scalar)")
    if np.isnan(gsnr).any():
        raise OpticsError("select_modes: gsnr_db contains NaN")
    spacing = np.asarray(spacing_ghz, dtype=float)
    margin = np.asarray(margin_db, dtype=float)
    r_ref = np.asarray(reference_symbol_rate_gbaud, dtype=float)
    try:
        shape = np.broadcast_shapes(spacing.shape, margin.shape, r_ref.shape, gsnr.shape)
    except ValueError:
        shape = ()
    if shape != gsnr.shape:
        raise OpticsError(
            f"select_modes: spacing_ghz, margin_db and reference_symbol_rate_gbaud do not "
            f"broadcast to the GSNR shape {gsnr.shape}"
        )
    if (spacing <= 0).any() or not np.isfinite(spacing).all():
        raise OpticsError("select_modes: spacing_ghz must be positive and finite")
    if (r_ref <= 0).any() or not np.isfinite(r_ref).all():
        raise OpticsError("select_modes: reference_symbol_rate_gbaud must be positive and finite")
    if not np.isfinite(margin).all():
        raise OpticsError("select_modes: margin_db must be finite")

    b2b_modes = b2b_snr_db is not None and any(
        m.threshold_basis == "back_to_back" for m in library.modes)
    margins = np.unique(margin)
    if b2b_modes and margins.size > 1:
        # eq. (3) puts the margin inside each mode's threshold: one selection per margin value
        parts = [(margin == mu, select_modes(
            gsnr, spacing_ghz=spacing, margin_db=float(mu), library=library,
            reference_symbol_rate_gbaud=r_ref, b2b_snr_db=b2b_snr_db)) for mu in margins]
        out = parts[0][1]
        for mask, sel in parts[1:]:
            m_ = np.broadcast_to(mask, shape)
            out = ModeSelection(np.where(m_, sel.rate_gbps, out.rate_gbps),
                                np.where(m_, sel.mode_index, out.mode_index),
                                np.where(m_, sel.margin_db, out.margin_db), out.mode_names)
        return out
    # Condition 2 rewritten with eq. (2): x = GSNR_ref[dB] + 10 log10(R_ref) - margin must reach
    # T_m = SNR_req(m)[dB] + 10 log10(R_m) ("required SNR per GBd"); margin left = x - T_m.
    # With back-to-back modes the (single) margin goes inside each threshold, eq. (3).
    mu = float(margins[0]) if b2b_modes else 0.0
    x = gsnr + (10.0 * np.log10(r_ref) - (0.0 if b2b_modes else margin))
    rate = np.array([m.bit_rate_gbps for m in library.modes])
    t_req = np.array(
        [_equivalent_threshold_db(m, b2b_snr_db, mu) + 10.0 * np.log10(m.symbol_rate_gbaud)
         for m in library.modes]
    )
    min_spacing = np.array([m.slot_needed_ghz for m in library.modes])

    best_rate = np.zeros(x.shape)
    best_index = np.full(x.shape, -1, dtype=np.int64)
    margin_left = np.full(x.shape, np.nan)
    spacing_values = np.unique(spacing)
    for value in spacing_values:
        # one spacing (the usual case): work on whole arrays, no masks
        where: Any = (
            slice(None) if spacing_values.size == 1 else np.broadcast_to(spacing == value, shape)
        )
        fitting = np.flatnonzero(min_spacing <= value + _SPACING_TOL_GHZ)
        if fitting.size == 0:
            continue  # rate 0, index -1, margin NaN
        # sort the fitting modes by requirement (ties: library order); the best mode reachable
        # at x is the highest-rate one among those with T <= x, the first such in this order
        # (smallest T, i.e. largest margin left) when rates tie.
        order = fitting[np.lexsort((fitting, t_req[fitting]))]
        t_sorted = t_req[order]
        r_sorted = rate[order]
        best_pos = np.zeros(order.size, dtype=np.int64)  # best mode among the first i + 1
        for i in range(1, order.size):
            prev = best_pos[i - 1]
            best_pos[i] = i if r_sorted[i] > r_sorted[prev] else prev
        # lookup tables indexed by the number n of modes whose requirement is met (0..M):
        # n = 0 is "unserved" (rate 0, index -1, margin = shortfall to the easiest mode)
        chosen = order[best_pos]
        table_rate = np.concatenate(([0.0], rate[chosen]))
        table_index = np.concatenate(([-1], chosen))
        table_t = np.concatenate(([t_sorted[0]], t_req[chosen]))
        xs = x[where]
        n_ok = np.searchsorted(t_sorted, xs + _THRESHOLD_TOL_DB, side="right")
        best_rate[where] = table_rate[n_ok]
        best_index[where] = table_index[n_ok]
        margin_left[where] = xs - table_t[n_ok]
    if b2b_modes and b2b_snr_db is not None:
        margin_left = _line_margin_db(gsnr + 10.0 * np.log10(r_ref), best_index, margin_left,
                                      library, b2b_snr_db, mu)
    return ModeSelection(
        rate_gbps=best_rate,
        mode_index=best_index,
        margin_db=margin_left,
        mode_names=library.names,
    )


def _line_margin_db(x: FloatArray, index: IntArray, fallback: FloatArray,
                    library: TransceiverLibrary, b2b_snr_db: float, margin_db: float) -> FloatArray:
    """Margin left by each served channel's mode, on the mode's own terms [dB]: the line's
    noise plus the transmitter's against a back-to-back threshold, the GSNR given against a
    line threshold (``x`` = GSNR_ref [dB] + 10 log10(R_ref))."""
    modes = library.modes
    served = index >= 0
    k = np.where(served, index, 0)
    rs = np.array([m.symbol_rate_gbaud for m in modes])[k]
    req = np.array([m.snr_threshold_db for m in modes])[k]
    b2b = np.array([m.threshold_basis == "back_to_back" for m in modes])[k]
    inv_tx = np.array([1.0 / _tx_snr(m) for m in modes])[k]
    g = 10.0 ** ((x - 10.0 * np.log10(rs)) / 10.0)
    inv = np.where(b2b, 1.0 / g - 10.0 ** (-b2b_snr_db / 10.0) + inv_tx, 1.0 / g)
    with np.errstate(divide="ignore", invalid="ignore"):
        left = -10.0 * np.log10(inv) - req - margin_db
    return np.asarray(np.where(served & np.isfinite(left), left, fallback), dtype=float)


def capacity_tbps(
    gsnr_db: npt.ArrayLike,
    *,
    spacing_ghz: npt.ArrayLike,
    margin_db: npt.ArrayLike,
    library: TransceiverLibrary,
    reference_symbol_rate_gbaud: npt.ArrayLike,
    b2b_snr_db: float | None = None,
) -> FloatArray:
    """Net capacity of one fibre pair [Tb/s]: Σ over channels of the selected mode rates.

    Parameters are those of :func:`select_modes`. The result has the leading (design) shape of
    ``gsnr_db``. "Per fibre pair" follows the industry convention: the rate carried in each
    direction of the pair (one fibre per direction, same channel plan), not the sum of both.

    >>> lib = load_transceiver_library().subset(families=["OpenROADM MSA 5.0"])
    >>> float(capacity_tbps([[18.0, 10.0], [5.0, 5.0]], spacing_ghz=87.5, margin_db=2.0,
    ...       library=lib, reference_symbol_rate_gbaud=63.1)[0])
    0.4
    """
    return select_modes(
        gsnr_db,
        spacing_ghz=spacing_ghz,
        margin_db=margin_db,
        library=library,
        reference_symbol_rate_gbaud=reference_symbol_rate_gbaud,
        b2b_snr_db=b2b_snr_db,
    ).capacity_tbps


def shannon_capacity_tbps(gsnr_db: npt.ArrayLike, symbol_rate_gbaud: npt.ArrayLike) -> FloatArray:
    """Dual-polarisation AWGN Shannon capacity summed over channels [Tb/s].

    Parameters
    ----------
    gsnr_db : array_like, shape (..., n_ch)
        GSNR per channel in the symbol-rate bandwidth [dB].
    symbol_rate_gbaud : array_like
        Symbol rate R_s [GBd], scalar or broadcastable to ``gsnr_db``.

    Returns
    -------
    ndarray
        C = Σ_ch 2·R_s·log2(1 + SNR) over the last axis [Tb/s], shape ``gsnr_db.shape[:-1]``.

    Notes
    -----
    Shannon's capacity of an AWGN channel, C = B·log2(1+SNR) per real-and-imaginary dimension
    pair, doubled for two polarisations (C. E. Shannon, "A mathematical theory of
    communication", Bell Syst. Tech. J. 27, 1948, doi:10.1002/j.1538-7305.1948.tb01338.x,
    Theorem 17; dual polarisation as in Essiambre et al., JLT 28(4) 662, 2010,
    doi:10.1109/JLT.2009.2039464). Treating NLI as additive Gaussian noise makes this a lower
    bound on the fibre's true capacity but an upper bound on any fixed-format transceiver.

    >>> round(float(shannon_capacity_tbps([10.0], 64.0)), 6)  # 2·64·log2(11) Gb/s
    0.442807
    """
    gsnr = np.asarray(gsnr_db, dtype=float)
    if gsnr.ndim == 0:
        raise OpticsError("shannon_capacity_tbps: gsnr_db must have a channel axis (got a scalar)")
    rs = np.asarray(symbol_rate_gbaud, dtype=float)
    if (rs <= 0).any() or not np.isfinite(rs).all():
        raise OpticsError("shannon_capacity_tbps: symbol_rate_gbaud must be positive and finite")
    snr = np.power(10.0, gsnr / 10.0)
    per_channel_gbps = 2.0 * rs * np.log2(1.0 + snr)
    return np.asarray(np.sum(per_channel_gbps, axis=-1) / 1e3, dtype=float)


__all__ = [
    "BUNDLED_LIBRARIES",
    "FLEX_GRID_GHZ",
    "REFERENCE_BANDWIDTH_GHZ",
    "SUBMARINE_GENERATIONS",
    "AdaptiveModem",
    "GenerationPlan",
    "ModeSelection",
    "TransceiverLibrary",
    "TransceiverMode",
    "capacity_tbps",
    "generation_library",
    "grid_slot_ghz",
    "load_transceiver_library",
    "osnr_to_snr_db",
    "select_modes",
    "shannon_capacity_tbps",
    "snr_to_osnr_db",
    "transceiver_library_from_dict",
]
