"""Amplifier physics: lumped EDFA, distributed counter-pumped Raman, remote optically pumped
amplifier (ROPA). Pure functions on arrays, SI units.

References
----------
.. [1] J. Bromage, "Raman amplification for fiber communications systems", JLT 22(1):79-93,
   2004, doi:10.1109/JLT.2003.822828.
.. [2] G. P. Agrawal, *Fiber-Optic Communication Systems*, 4th ed., Wiley 2010, Sec. 7.3
   (distributed Raman amplification, eqs. 7.3.3-7.3.9).
.. [3] E. Desurvire, *Erbium-Doped Fiber Amplifiers: Principles and Applications*, Wiley 1994,
   ch. 2 and 5 (inversion, power-conversion efficiency, noise figure 2 n_sp).
.. [4] ITU-T G.973 (07/2010), *Characteristics of repeaterless optical fibre submarine cable
   systems*, Appendix on remote optically pumped amplifiers.
.. [5] C. R. Giles and E. Desurvire, "Modeling erbium-doped fiber amplifiers", J. Lightw.
   Technol. 9(2):271-283, 1991 (the ``giles`` ROPA model, :mod:`.erbium`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import constants

from ..units import FloatArray
from .elements import RamanPump, Ropa

__all__ = [
    "RAMAN_GAIN_MODELS",
    "RamanProfile",
    "RopaResponse",
    "edfa_ase_w",
    "raman_profile",
    "ropa_residual_pump_w",
    "ropa_response",
    "spontaneous_occupancy",
]


def edfa_ase_w(noise_figure_db: float, gain_lin: FloatArray, frequency_hz: FloatArray,
               bandwidth_hz: FloatArray) -> FloatArray:
    """ASE power at an EDFA output in the bandwidth B [W].

    Notes
    -----
    P_ASE = NF h f G B (both polarisations; the convention GNPy uses, i.e. the high-gain limit
    of 2 n_sp h f (G − 1) B, ref. [3] eq. 5.2; design.md).
    """
    nf = 10.0 ** (noise_figure_db / 10.0)
    return np.asarray(nf * constants.h * np.asarray(frequency_hz) * gain_lin
                      * np.asarray(bandwidth_hz))


def spontaneous_occupancy(frequency_shift_hz: float, temperature_k: float) -> float:
    """Spontaneous-emission factor of Raman gain n_sp = 1 + 1/(exp(hΔν/kT) − 1) [-] ([1] eq. 8)."""
    x = constants.h * frequency_shift_hz / (constants.k * temperature_k)
    return 1.0 + 1.0 / math.expm1(x)


@dataclass(frozen=True)
class RamanProfile:
    """Distributed Raman gain along a fibre.

    Attributes
    ----------
    z_m : array (m,)
        Sample positions from the fibre input [m].
    log_gain : array (m,)
        ∫₀^z g_R P_p(z') dz' [Np] (on-off gain so far, natural log).
    pump_power_w : float
        Pump power launched into the fibre end [W].
    on_off_gain_db : float
        Total on-off gain [dB].
    """

    z_m: FloatArray
    log_gain: FloatArray
    pump_power_w: float
    on_off_gain_db: float


def _pump_integral(p0: float, alpha_p: float, length_m: float, z: FloatArray,
                   direction: str = "counter") -> FloatArray:
    """∫₀^z P_p(z') dz' [W m] for P_p = P0 e^{−α_p (L − z)} (counter) or P0 e^{−α_p z} (co)."""
    if direction == "co":
        return np.asarray(-p0 * np.expm1(-alpha_p * z) / alpha_p)
    return np.asarray(p0 * np.exp(-alpha_p * length_m) * np.expm1(alpha_p * z) / alpha_p)


def _raman_from_pump(pump: RamanPump, efficiency: float, alpha_p: float, length_m: float,
                     z: FloatArray) -> RamanProfile:
    """Undepleted counter-propagating pump ([1] eq. 3; [2] eq. 7.3.5)."""
    p0 = float(pump.pump_power_w or 0.0)
    lg = efficiency * _pump_integral(p0, alpha_p, length_m, z, pump.direction)
    return RamanProfile(z, lg, p0, float(10.0 * lg[-1] / math.log(10.0)))


def _raman_from_gain(pump: RamanPump, efficiency: float, alpha_p: float, length_m: float,
                     z: FloatArray) -> RamanProfile:
    """Given on-off gain: the pump power that yields it under the undepleted-pump solution."""
    g_db = float(pump.on_off_gain_db or 0.0)
    l_eff_p = -math.expm1(-alpha_p * length_m) / alpha_p
    p0 = g_db * math.log(10.0) / 10.0 / (efficiency * l_eff_p)
    lg = efficiency * _pump_integral(p0, alpha_p, length_m, z, pump.direction)
    return RamanProfile(z, lg, p0, g_db)


#: Raman gain models (``RamanPump.model``) → profile function.
_RamanFn = Callable[[RamanPump, float, float, float, FloatArray], RamanProfile]
RAMAN_GAIN_MODELS: dict[str, _RamanFn] = {
    "undepleted_pump": _raman_from_pump,
    "given_gain": _raman_from_gain,
}


def raman_profile(pump: RamanPump, efficiency_per_w_per_m: float, pump_alpha_per_m: float,
                  length_m: float, z_m: FloatArray) -> RamanProfile:
    """Raman on-off gain profile along a counter-pumped fibre.

    Parameters
    ----------
    pump : RamanPump
    efficiency_per_w_per_m : float
        g_R / A_eff [1/(W m)] (polarisation-averaged).
    pump_alpha_per_m : float
        Fibre attenuation at the pump [1/m].
    length_m : float
        Fibre length [m].
    z_m : array (m,)
        Positions [m].

    Notes
    -----
    Undepleted pump: G_on-off(z) = exp(g_R ∫₀^z P_p), P_p(z) = P_0 e^{−α_p (L − z)}
    (counter-pumped; P_0 e^{−α_p z} co-pumped);
    total G_on-off = exp(g_R P_0 L_eff,p), L_eff,p = (1 − e^{−α_p L})/α_p ([1] eq. 3). The gain
    is taken flat over the band (a gain-flattened multi-pump design, [1] Sec. V); pump
    depletion by the signals is neglected (valid while the signal power near the pump end is
    ≪ the pump power).
    """
    return RAMAN_GAIN_MODELS[pump.model](pump, efficiency_per_w_per_m, pump_alpha_per_m,
                                         length_m, np.asarray(z_m, dtype=float))


@dataclass(frozen=True)
class RopaResponse:
    """Per-channel gain and noise of a ROPA (arrays: leading axes × channels).

    Attributes
    ----------
    residual_pump_w : float
        Pump power reaching the erbium-doped fibre [W].
    gain_lin : array (..., n)
        Channel power gain [-].
    ase_w : array (..., n)
        ASE added at the output in each channel's bandwidth, both polarisations [W].
    noise_figure_lin : array (..., n)
        Noise figure [-] (``pump_limited``: P_ASE / (h f G B), the line's convention;
        ``giles``: 1/G + P_ASE / (G h f B)).
    """

    residual_pump_w: float
    gain_lin: FloatArray
    ase_w: FloatArray
    noise_figure_lin: FloatArray
    model: str = "giles"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (per-channel lists for a single launch state)."""
        out: dict[str, Any] = {"model": self.model,
                               "residual_pump_mw": round(1e3 * self.residual_pump_w, 4)}
        if self.gain_lin.ndim == 1:
            out["gain_db"] = [round(float(g), 3) for g in 10.0 * np.log10(self.gain_lin)]
            out["noise_figure_db"] = [round(float(g), 3)
                                      for g in 10.0 * np.log10(self.noise_figure_lin)]
        return out


def ropa_residual_pump_w(ropa: Ropa, pump_distance_m: float,
                         line_pump_alpha_per_m: float) -> float:
    """Pump power reaching the ROPA [W]: P_r = P_0 exp(−α_p d), with α_p of the line fibre
    (``pump_path: line``) or of the dedicated pump fibre (``dedicated``).

    Notes
    -----
    The remote pump's own Raman transfer to the signals (and from shorter-wavelength Raman
    pumps in the same fibre) on its way is not subtracted: the signals near the receive end
    are µW per channel against hundreds of mW of pump (the undepleted-pump condition of [1]:
    the signal power where the pump is strong is ≪ the pump power). With ``pump_path: line`` the
    coupled Raman solution of the fibre (:attr:`PumpedSpan.pump_out_w` of the "ropa pump")
    gives the same residual within 0.1 % on the 1994 410 km line of
    ``tests/optics/test_ropa_validation.py``; shorter-wavelength Raman pumps in the same fibre
    would add to it by pump-pump transfer, which this value leaves out.
    """
    if ropa.pump_path == "line":
        alpha_p = line_pump_alpha_per_m
    else:
        alpha_p = ropa.dedicated_fibre_loss_db_per_km / (10.0 * math.log10(math.e)) / 1e3
    return float(ropa.pump_power_w * math.exp(-alpha_p * pump_distance_m))


def _pump_limited_gain(ropa: Ropa, p_r: float, total_in_w: FloatArray,
                       signal_wavelength_m: float) -> tuple[FloatArray, float]:
    """Flat gain [-] and NF [-] of the pump-limited ROPA (the flat approximation).

    Notes
    -----
    The signal output cannot exceed P_in + η_PCE (λ_p/λ_s) P_r (energy conservation with the
    quantum defect, [3] ch. 5 "power conversion efficiency"), so G = min(G_ss, 1 + η_PCE
    (λ_p/λ_s) P_r / P_in). The inversion falls as the residual pump P_r approaches the EDF's
    transparency pump power P_th: NF = NF_min (1 + P_th / P_r) (n_sp = N2/(N2 − N1) with
    N2/N1 ∝ P_r/P_th, [3] ch. 2; G.973 App. I lists ROPA NF 4-6 dB and gain 10-20 dB for a few
    tens of mW of residual pump).
    """
    quantum = ropa.pump_wavelength_nm * 1e-9 / signal_wavelength_m
    p_in = np.maximum(np.asarray(total_in_w, dtype=float), 1e-15)
    g_sat = 1.0 + ropa.power_conversion_efficiency * quantum * p_r / p_in
    g_ss = 10.0 ** (ropa.small_signal_gain_db / 10.0)
    gain = np.minimum(g_ss, g_sat)
    nf = 10.0 ** (ropa.min_noise_figure_db / 10.0) * (1.0 + ropa.transparency_pump_power_mw
                                                       * 1e-3 / max(p_r, 1e-12))
    return np.asarray(gain), float(nf)


def _giles(ropa: Ropa, p_r: float, frequency_hz: FloatArray, input_power_w: FloatArray,
           bandwidth_hz: FloatArray) -> RopaResponse:
    """Giles–Desurvire EDF (:func:`.erbium.giles_amplifier`), backward-pumped by the residual
    pump, per channel."""
    from .erbium import EdfParameters, giles_amplifier

    edf = EdfParameters(ropa.edf_length_m, ropa.edf_peak_absorption_db_per_m,
                        ropa.edf_saturation_parameter_per_m_s)
    f_p = constants.c / (ropa.pump_wavelength_nm * 1e-9)
    p_in = np.asarray(input_power_w, dtype=float)
    flat = p_in.reshape(-1, p_in.shape[-1])
    gain = np.empty_like(flat)
    ase = np.empty_like(flat)
    nf = np.empty_like(flat)
    # chunks of launch states: the solver holds ~6 arrays of (states, nodes, waves) doubles
    for i in range(0, flat.shape[0], ROPA_CHUNK):
        res = giles_amplifier(edf, frequency_hz, flat[i:i + ROPA_CHUNK], f_p, p_r,
                              bandwidth_hz=bandwidth_hz, n_nodes=ROPA_NODES)
        gain[i:i + ROPA_CHUNK] = res.gain
        ase[i:i + ROPA_CHUNK] = res.ase_w
        nf[i:i + ROPA_CHUNK] = res.noise_figure
    shape = p_in.shape
    return RopaResponse(p_r, gain.reshape(shape), ase.reshape(shape), nf.reshape(shape),
                        "giles")


#: Launch states solved at once by the line's ``giles`` ROPA (bounds its memory to
#: ~6 × ROPA_CHUNK × ROPA_NODES × (channels + 54) doubles, 35 MB at 384 channels).
ROPA_CHUNK: int = 64
#: Nodes along the EDF in the line's ``giles`` ROPA (25: gain within 0.02 dB and NF within
#: 0.03 dB of a 161-node solution for the default ROPA; tests/optics/test_erbium.py).
ROPA_NODES: int = 25


def ropa_response(ropa: Ropa, pump_distance_m: float, line_pump_alpha_per_m: float,
                  frequency_hz: FloatArray, input_power_w: FloatArray,
                  bandwidth_hz: FloatArray) -> RopaResponse:
    """Per-channel gain, ASE and NF of a ROPA pumped from a terminal ``pump_distance_m`` away.

    Parameters
    ----------
    ropa : Ropa
    pump_distance_m : float
        Fibre length between the pump laser and the ROPA [m].
    line_pump_alpha_per_m : float
        Line-fibre attenuation at the pump wavelength [1/m] (used for ``pump_path: line``).
    frequency_hz : array (n,)
        Channel frequencies [Hz].
    input_power_w : array (..., n)
        Per-channel power entering the erbium-doped fibre (signal + noise) [W].
    bandwidth_hz : array (n,)
        Bandwidth of the reported ASE [Hz] (the line uses the symbol rate).

    Notes
    -----
    ``giles``: the two-level Giles–Desurvire EDF of :mod:`.erbium`, pumped backward (from the
    receive end) by the residual pump :func:`ropa_residual_pump_w`. ``pump_limited``: the flat
    gain of :func:`_pump_limited_gain` for the total input, ASE = NF h f G B
    (:func:`edfa_ase_w`).
    """
    f = np.asarray(frequency_hz, dtype=float)
    p_in = np.asarray(input_power_w, dtype=float)
    p_r = ropa_residual_pump_w(ropa, pump_distance_m, line_pump_alpha_per_m)
    if ropa.model == "giles":
        return _giles(ropa, p_r, f, p_in, np.asarray(bandwidth_hz, dtype=float))
    lam = constants.c / float(f.mean())
    gain, nf = _pump_limited_gain(ropa, p_r, p_in.sum(axis=-1, keepdims=True), lam)
    gain = np.broadcast_to(gain, p_in.shape)
    ase = edfa_ase_w(10.0 * math.log10(nf), gain, f, np.asarray(bandwidth_hz, dtype=float))
    return RopaResponse(p_r, np.asarray(gain), np.asarray(ase), np.full(p_in.shape, nf),
                        "pump_limited")
