"""GNPy-compatible equipment models: fibre types and EDFA types with GNPy's noise-figure models.

The noise figure of an EDFA type as a function of gain (and, for the OpenROADM types, of input
power), for every GNPy ``type_def``: ``variable_gain`` (two-coil model from nf_min/nf_max),
``fixed_gain``, ``dual_stage``, ``openroadm``, ``openroadm_preamp``, ``openroadm_booster`` and
``advanced_model``. Read from GNPy's equipment JSON by :mod:`.gnpy_equipment`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field, model_validator

from ..errors import OpticsError
from ..model import StrictModel
from .elements import Band, Edfa, FibreType

FloatArray = npt.NDArray[np.float64]

EdfaTypeDef = Literal[
    "variable_gain",
    "fixed_gain",
    "dual_stage",
    "openroadm",
    "openroadm_preamp",
    "openroadm_booster",
    "advanced_model",
]

#: GNPy's default EDFA band when an entry gives none (``DEFAULT_EDFA_CONFIG`` of
#: gnpy/core/parameters.py, 3.0.1) [THz].
GNPY_DEFAULT_EDFA_BAND_THZ = (191.275, 196.125)
#: First-coil to second-coil power step assumed by GNPy's variable-gain NF model [dB]
#: (``delta_p = 5`` in gnpy/core/science_utils.py::estimate_nf_model, 3.0.1).
GNPY_VG_DELTA_P_DB = 5.0
#: OpenROADM's OSNR-to-NF constant [dB]: NF = P_in − OSNR + 58 with P_in in dBm per 50 GHz
#: channel (OpenROADM MSA optical specification; ``+ 58`` in gnpy Edfa._nf). It is
#: −10·log10(h ν B_ref / 1 mW) = 57.95 dB at 193.4 THz, rounded by the MSA.
OPENROADM_NF_CONSTANT_DB = 58.0


def _db2lin(x: npt.ArrayLike) -> FloatArray:
    return np.power(10.0, np.asarray(x, dtype=float) / 10.0)


def _lin2db(x: npt.ArrayLike) -> FloatArray:
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(np.asarray(x, dtype=float))


# --------------------------------------------------------------------------------------------
# EDFA noise-figure physics (pure functions)


def variable_gain_nf_coefficients(
    gain_min_db: float, gain_flatmax_db: float, nf_min_db: float, nf_max_db: float
) -> tuple[float, float, float]:
    """First- and second-coil noise figures of GNPy's two-coil variable-gain EDFA model.

    Parameters
    ----------
    gain_min_db, gain_flatmax_db : float
        Gain range of the amplifier [dB].
    nf_min_db, nf_max_db : float
        Noise figure at ``gain_flatmax_db`` and at ``gain_min_db`` [dB].

    Returns
    -------
    (nf1_db, nf2_db, delta_p_db) : tuple of float
        NF of the first and second coil [dB] and the power step ΔP between them [dB].

    Raises
    ------
    ValueError
        When the inputs admit no physical two-coil model (GNPy raises the same cases).

    Notes
    -----
    The amplifier is two coils with an internal VOA between them. The first-coil gain net of
    the VOA is g1a = G − ΔP − (G_flatmax − G), so with the Friis cascade (H. T. Friis, "Noise
    figures of radio receivers", Proc. IRE 32(7) 419, 1944, doi:10.1109/JRPROC.1944.232049,
    eq. 7, with GNPy's high-gain simplification F2/G1 instead of (F2−1)/G1)

        nf(G) = nf1 + nf2 / g1a(G)          (linear)

    nf_min = nf(G_flatmax) and nf_max = nf(G_min) give two equations in nf1, nf2 with
    ΔP = 5 dB. If nf2 does not land in (nf1 + 0.3, nf1 + 2) dB it is clipped into that range
    and ΔP re-solved from nf_min; 1 dB < ΔP < 11 dB and nf1 ≥ 4 dB are required. This is the
    algorithm of GNPy 3.0.1 ``gnpy/core/science_utils.py::estimate_nf_model``, reimplemented.

    >>> [round(v, 4) for v in variable_gain_nf_coefficients(15.0, 26.0, 6.0, 10.0)]
    [5.9581, 6.8227, 5.0]
    """
    if nf_min_db < -10 or nf_max_db < -10:
        raise ValueError(f"nf_min {nf_min_db} / nf_max {nf_max_db} below -10 dB")
    delta_p = GNPY_VG_DELTA_P_DB
    g1a_min = gain_min_db - (gain_flatmax_db - gain_min_db) - delta_p
    g1a_max = gain_flatmax_db - delta_p
    denom = 1.0 / 10 ** (g1a_max / 10) - 1.0 / 10 ** (g1a_min / 10)
    num = 10 ** (nf_min_db / 10) - 10 ** (nf_max_db / 10)
    if denom == 0.0 or num / denom <= 0.0:
        raise ValueError(
            f"nf_min {nf_min_db} dB and nf_max {nf_max_db} dB admit no two-coil model over "
            f"gains {gain_min_db}-{gain_flatmax_db} dB"
        )
    nf2 = 10 * math.log10(num / denom)
    rest = 10 ** (nf_min_db / 10) - 10 ** (nf2 / 10) / 10 ** (g1a_max / 10)
    if rest <= 0.0:
        raise ValueError(f"first-coil noise figure undefined for nf_min {nf_min_db} dB")
    nf1 = 10 * math.log10(rest)
    if nf1 < 4:
        raise ValueError(f"first-coil noise figure {nf1:.2f} dB below 4 dB")
    if not nf1 + 0.3 < nf2 < nf1 + 2:
        nf2 = min(max(nf2, nf1 + 0.3), nf1 + 2)
        excess = 10 ** (nf_min_db / 10) - 10 ** (nf1 / 10)
        if excess <= 0.0:
            raise ValueError(f"coil step undefined for nf_min {nf_min_db} dB")
        g1a_max = 10 * math.log10(10 ** (nf2 / 10) / excess)
        delta_p = gain_flatmax_db - g1a_max
        g1a_min = gain_min_db - (gain_flatmax_db - gain_min_db) - delta_p
        if not 1 < delta_p < 11:
            raise ValueError(
                f"computed coil power step {delta_p:.2f} dB outside 1-11 dB "
                f"(nf1 {nf1:.2f} dB, nf2 {nf2:.2f} dB): revise nf_min/nf_max"
            )
    for target, g1a, label in ((nf_min_db, g1a_max, "nf_min"), (nf_max_db, g1a_min, "nf_max")):
        calc = 10 * math.log10(10 ** (nf1 / 10) + 10 ** (nf2 / 10) / 10 ** (g1a / 10))
        if abs(calc - target) > 0.01:
            raise ValueError(f"{label} {target} dB not reproduced by the model ({calc:.2f} dB)")
    return nf1, nf2, delta_p


def _padding_db(gain_db: FloatArray, gain_min_db: float) -> FloatArray:
    """Input-VOA padding GNPy applies below the minimum gain [dB]: max(G_min − G, 0)."""
    return np.maximum(gain_min_db - gain_db, 0.0)


def variable_gain_nf_db(
    gain_db: npt.ArrayLike,
    *,
    nf1_db: float,
    nf2_db: float,
    delta_p_db: float,
    gain_min_db: float,
    gain_flatmax_db: float,
) -> FloatArray:
    """Noise figure of the two-coil variable-gain EDFA model at gain ``gain_db``.

    Parameters
    ----------
    gain_db : array_like
        Amplifier gain [dB].
    nf1_db, nf2_db, delta_p_db : float
        Coil noise figures and power step from :func:`variable_gain_nf_coefficients` [dB].
    gain_min_db, gain_flatmax_db : float
        Gain range [dB].

    Returns
    -------
    ndarray
        Noise figure [dB], shape of ``gain_db``.

    Notes
    -----
    Below G_min the amplifier works at G_min behind an input attenuator of pad = G_min − G,
    which adds pad dB to the NF. Then, with G' = G + pad and dg = max(G_flatmax − G', 0),
    g1a = G' − ΔP − dg and NF = 10·log10(nf1 + nf2/g1a) + pad (linear inside the log), as in
    GNPy 3.0.1 ``gnpy/core/elements.py::Edfa._nf`` (branch ``variable_gain``).

    >>> nf1, nf2, dp = variable_gain_nf_coefficients(15.0, 26.0, 6.0, 10.0)
    >>> variable_gain_nf_db([15.0, 26.0], nf1_db=nf1, nf2_db=nf2, delta_p_db=dp,
    ...                     gain_min_db=15.0, gain_flatmax_db=26.0).round(3).tolist()
    [10.0, 6.0]
    """
    g = np.asarray(gain_db, dtype=float)
    pad = _padding_db(g, gain_min_db)
    g_eff = g + pad
    dg = np.maximum(gain_flatmax_db - g_eff, 0.0)
    g1a = g_eff - delta_p_db - dg
    return np.asarray(_lin2db(_db2lin(nf1_db) + _db2lin(nf2_db) / _db2lin(g1a)) + pad)


# --------------------------------------------------------------------------------------------
# Our models


class GnpyFibreType(StrictModel):
    """A fibre type of a GNPy equipment library, in our units."""

    type_variety: str = Field(min_length=1, description="GNPy name of the fibre type.")
    raman_fibre: bool = Field(False, description="From the RamanFiber section.")
    dispersion_ps_per_nm_km: float = Field(
        ge=-30.0, le=30.0, description="D at 1550 nm [ps/(nm km)]."
    )
    dispersion_slope_ps_per_nm2_km: float | None = Field(
        None, ge=-1.0, le=1.0, description="Dispersion slope [ps/(nm² km)]."
    )
    effective_area_um2: float = Field(
        ge=10.0, le=300.0, description="Effective area [µm²] (from gamma when only gamma is given)."
    )
    gamma_per_w_per_km: float | None = Field(
        None,
        gt=0.0,
        le=20.0,
        description="Nonlinear coefficient when given in the file [1/(W km)].",
    )
    pmd_coef_ps_per_sqrt_km: float = Field(ge=0.0, le=10.0, description="PMD coefficient [ps/√km].")
    raman_cr_per_w_per_km: tuple[float, ...] | None = Field(
        None, description="Raman gain efficiency table C_R [1/(W km)] (RamanFiber only)."
    )
    raman_frequency_offset_thz: tuple[float, ...] | None = Field(
        None, description="Pump-signal frequency offsets of the C_R table [THz]."
    )

    def to_fibre_type(self, *, loss_db_per_km: float) -> FibreType:
        """Our :class:`FibreType` with this type's dispersion, slope, A_eff and gamma.

        The attenuation is a property of each span in GNPy's topology, not of the equipment
        library, hence the required ``loss_db_per_km`` [dB/km]. GNPy's defaults are kept:
        reference wavelength 1550 nm, n2 = 2.6e-20 m²/W, step-index A_eff scaling with a
        4.2 µm core.
        """
        return FibreType(
            loss_db_per_km=loss_db_per_km,
            dispersion_ps_per_nm_km=self.dispersion_ps_per_nm_km,
            dispersion_slope_ps_per_nm2_km=self.dispersion_slope_ps_per_nm2_km,
            effective_area_um2=self.effective_area_um2,
            gamma_per_w_per_km=self.gamma_per_w_per_km,
        )


class EdfaType(StrictModel):
    """An EDFA type of a GNPy equipment library with its noise-figure model.

    ``type_def`` selects the NF model; the fields it needs are checked at construction. Call
    :meth:`noise_figure_db` for the NF at given gains.
    """

    type_variety: str = Field(min_length=1, description="GNPy name of the amplifier type.")
    type_def: EdfaTypeDef = Field(description="GNPy NF model.")
    gain_min_db: float = Field(ge=-10.0, le=60.0, description="Smallest gain without padding [dB].")
    gain_flatmax_db: float = Field(ge=-10.0, le=70.0, description="Largest flat gain [dB].")
    p_max_dbm: float = Field(ge=-20.0, le=40.0, description="Largest total output power [dBm].")
    f_min_thz: float = Field(ge=150.0, le=250.0, description="Lowest amplified frequency [THz].")
    f_max_thz: float = Field(ge=150.0, le=250.0, description="Highest amplified frequency [THz].")
    allowed_for_design: bool = Field(False, description="GNPy auto-design may pick it.")
    raman: bool = Field(False, description="Hybrid Raman (dual_stage with a Raman preamp).")
    out_voa_auto: bool = Field(False, description="GNPy output-VOA automation flag.")
    pmd_ps: float = Field(0.0, ge=0.0, le=100.0, description="PMD [ps].")
    pdl_db: float = Field(0.0, ge=0.0, le=20.0, description="PDL [dB].")
    nf_min_db: float | None = Field(
        None, ge=-10.0, le=30.0, description="variable_gain: NF at gain_flatmax [dB]."
    )
    nf_max_db: float | None = Field(
        None, ge=-10.0, le=40.0, description="variable_gain: NF at gain_min [dB]."
    )
    nf1_db: float | None = Field(None, description="variable_gain: first-coil NF [dB] (derived).")
    nf2_db: float | None = Field(None, description="variable_gain: second-coil NF [dB] (derived).")
    delta_p_db: float | None = Field(
        None, description="variable_gain: coil power step [dB] (derived)."
    )
    nf0_db: float | None = Field(None, ge=-10.0, le=30.0, description="fixed_gain: NF [dB].")
    nf_coef: tuple[float, ...] | None = Field(
        None,
        description="openroadm: OSNR [dB] polynomial in the input power per 50 GHz channel "
        "[dBm], highest degree first.",
    )
    nf_fit_coeff: tuple[float, ...] | None = Field(
        None,
        description="advanced_model: NF [dB] polynomial in −dg = G − G_flatmax [dB], highest "
        "degree first.",
    )
    preamp: EdfaType | None = Field(None, description="dual_stage: first stage.")
    booster: EdfaType | None = Field(None, description="dual_stage: second stage.")

    @model_validator(mode="after")
    def _needs(self) -> EdfaType:
        needs: dict[str, tuple[str, ...]] = {
            "variable_gain": ("nf_min_db", "nf_max_db", "nf1_db", "nf2_db", "delta_p_db"),
            "fixed_gain": ("nf0_db",),
            "dual_stage": ("preamp", "booster"),
            "openroadm": ("nf_coef",),
            "openroadm_preamp": (),
            "openroadm_booster": (),
            "advanced_model": ("nf_fit_coeff",),
        }
        missing = [k for k in needs[self.type_def] if getattr(self, k) is None]
        if missing:
            raise ValueError(f"type_def {self.type_def} needs {', '.join(missing)}")
        if self.f_max_thz <= self.f_min_thz:
            raise ValueError("f_max_thz must be above f_min_thz")
        return self

    def noise_figure_db(
        self,
        gain_db: npt.ArrayLike,
        *,
        input_power_per_channel_dbm: npt.ArrayLike | None = None,
        slot_width_ghz: float = 50.0,
    ) -> FloatArray:
        """Noise figure at the given gain(s) [dB], as GNPy computes it (ripple excluded).

        Parameters
        ----------
        gain_db : array_like
            Effective gain [dB] (after any output-power saturation the caller applies:
            GNPy uses min(G_target, p_max − P_in,total)).
        input_power_per_channel_dbm : array_like, optional
            Mean input power per channel [dBm]; required by the ``openroadm`` and
            ``openroadm_preamp`` models, whose NF depends on it, not on the gain.
        slot_width_ghz : float
            Channel slot width [GHz] for the OpenROADM models (specified per 50 GHz).

        Returns
        -------
        ndarray
            NF [dB], broadcast shape of the inputs; −inf for ``openroadm_booster`` (GNPy's
            noiseless booster).

        Notes
        -----
        Padding below ``gain_min_db`` adds dB-for-dB to the NF (all models but
        ``dual_stage``). variable_gain: :func:`variable_gain_nf_db`. advanced_model:
        NF = polyval(nf_fit_coeff, −dg) + pad with dg = max(G_flatmax − G', 0). openroadm:
        NF = P50 − polyval(nf_coef, P50) + 58 dB with P50 = P_ch + 10·log10(50 GHz/slot).
        openroadm_preamp: OSNR = min((4·P50 + 275)/7, 33) dB in the same formula.
        dual_stage: Friis cascade of preamp at its G_flatmax (G1) and booster at G − G1:
        NF = 10·log10(nf_pre + nf_boost/g1). All as in GNPy 3.0.1
        ``gnpy/core/elements.py::Edfa._nf`` and ``_calc_nf``.
        """
        g = np.asarray(gain_db, dtype=float)
        return _NF_MODELS[self.type_def](self, g, input_power_per_channel_dbm, slot_width_ghz)

    def to_edfa(
        self,
        gain_db: float,
        *,
        input_power_per_channel_dbm: float | None = None,
        slot_width_ghz: float = 50.0,
    ) -> Edfa:
        """Our flat-gain :class:`~transcaspian.optics.elements.Edfa` at one operating gain.

        The NF is :meth:`noise_figure_db` at ``gain_db`` [dB]; ``p_max`` becomes the output
        power limit and ``f_min``/``f_max`` the band. Raises OpticsError when the NF falls outside
        the 3-15 dB our EDFA model accepts (GNPy's hybrid-Raman "EDFAs" with a negative-NF
        preamp, its noiseless OpenROADM booster): model Raman gain with a RamanPump instead.
        """
        nf = float(
            self.noise_figure_db(
                [gain_db],
                input_power_per_channel_dbm=input_power_per_channel_dbm,
                slot_width_ghz=slot_width_ghz,
            )[0]
        )
        if not 3.0 <= nf <= 15.0:
            raise OpticsError(
                f"EDFA {self.type_variety!r} at {gain_db} dB gain: noise figure {nf:.2f} dB is "
                "outside the 3-15 dB of a physical EDFA (hybrid Raman or ideal booster in GNPy)"
            )
        return Edfa(
            gain_db=gain_db,
            noise_figure_db=nf,
            max_output_power_dbm=min(self.p_max_dbm, 40.0),
            band=Band(low_thz=self.f_min_thz, high_thz=self.f_max_thz),
        )


def _nf_variable_gain(amp: EdfaType, g: FloatArray, _p: Any, _s: float) -> FloatArray:
    assert amp.nf1_db is not None
    assert amp.nf2_db is not None
    assert amp.delta_p_db is not None
    return variable_gain_nf_db(
        g,
        nf1_db=amp.nf1_db,
        nf2_db=amp.nf2_db,
        delta_p_db=amp.delta_p_db,
        gain_min_db=amp.gain_min_db,
        gain_flatmax_db=amp.gain_flatmax_db,
    )


def _nf_fixed_gain(amp: EdfaType, g: FloatArray, _p: Any, _s: float) -> FloatArray:
    assert amp.nf0_db is not None
    return np.asarray(amp.nf0_db + _padding_db(g, amp.gain_min_db))


def _p50(amp: EdfaType, p: npt.ArrayLike | None, slot_width_ghz: float) -> FloatArray:
    if p is None:
        raise OpticsError(
            f"EDFA {amp.type_variety!r} ({amp.type_def}): the noise figure depends on the input "
            "power; give input_power_per_channel_dbm"
        )
    if not slot_width_ghz > 0:
        raise OpticsError(f"EDFA {amp.type_variety!r}: slot_width_ghz must be positive")
    return np.asarray(p, dtype=float) + 10.0 * np.log10(50.0 / slot_width_ghz)


def _nf_openroadm(amp: EdfaType, g: FloatArray, p: Any, s: float) -> FloatArray:
    assert amp.nf_coef is not None
    p50 = _p50(amp, p, s)
    nf = p50 - np.polyval(amp.nf_coef, p50) + OPENROADM_NF_CONSTANT_DB
    return np.asarray(nf + _padding_db(g, amp.gain_min_db))


def _nf_openroadm_preamp(amp: EdfaType, g: FloatArray, p: Any, s: float) -> FloatArray:
    p50 = _p50(amp, p, s)
    nf = p50 - np.minimum((4.0 * p50 + 275.0) / 7.0, 33.0) + OPENROADM_NF_CONSTANT_DB
    return np.asarray(nf + _padding_db(g, amp.gain_min_db))


def _nf_openroadm_booster(amp: EdfaType, g: FloatArray, _p: Any, _s: float) -> FloatArray:
    return np.full(g.shape, -np.inf)


def _nf_advanced(amp: EdfaType, g: FloatArray, _p: Any, _s: float) -> FloatArray:
    assert amp.nf_fit_coeff is not None
    pad = _padding_db(g, amp.gain_min_db)
    dg = np.maximum(amp.gain_flatmax_db - (g + pad), 0.0)
    return np.asarray(np.polyval(amp.nf_fit_coeff, -dg) + pad)


def _nf_dual_stage(amp: EdfaType, g: FloatArray, p: Any, s: float) -> FloatArray:
    assert amp.preamp is not None
    assert amp.booster is not None
    g1 = amp.preamp.gain_flatmax_db
    nf_pre = amp.preamp.noise_figure_db(
        np.full(g.shape, g1), input_power_per_channel_dbm=p, slot_width_ghz=s
    )
    p_booster = None if p is None else np.asarray(p, dtype=float) + g1
    nf_boost = amp.booster.noise_figure_db(
        g - g1, input_power_per_channel_dbm=p_booster, slot_width_ghz=s
    )
    return np.asarray(_lin2db(_db2lin(nf_pre) + _db2lin(nf_boost - g1)))


_NF_MODELS: dict[str, Callable[[EdfaType, FloatArray, Any, float], FloatArray]] = {
    "variable_gain": _nf_variable_gain,
    "fixed_gain": _nf_fixed_gain,
    "dual_stage": _nf_dual_stage,
    "openroadm": _nf_openroadm,
    "openroadm_preamp": _nf_openroadm_preamp,
    "openroadm_booster": _nf_openroadm_booster,
    "advanced_model": _nf_advanced,
}
