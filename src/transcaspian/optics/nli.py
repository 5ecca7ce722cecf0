"""Nonlinear interference (NLI) of one fibre span: GN and ISRS GN closed forms, and the
inter-channel stimulated Raman scattering (ISRS) power profile.

All functions are vectorised: channel quantities on the last axis, channel pairs on the last
two axes (cut channel i, interferer j/k), design variants on leading axes. SI units.

References
----------
.. [1] P. Poggiolini, "The GN model of non-linear propagation in uncompensated coherent optical
   systems", JLT 30(24), 2012; and the long version, arXiv:1209.0394 (eqs. 120, 123).
.. [2] P. Poggiolini et al., "The GN-model of fiber non-linear propagation and its
   applications", JLT 32(4):694-721, 2014, doi:10.1109/JLT.2013.2295208.
.. [3] D. Semrau, R. I. Killey, P. Bayvel, "A closed-form approximation of the Gaussian noise
   model in the presence of inter-channel stimulated Raman scattering", JLT 37(9):1924-1936,
   2019, doi:10.1109/JLT.2019.2895237, arXiv:1808.07940.
.. [4] D. N. Christodoulides, R. B. Jander, "Evolution of stimulated Raman crosstalk in
   wavelength division multiplexed systems", IEEE PTL 8(12):1722-1724, 1996.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..units import FloatArray

__all__ = [
    "NLI_ETA_MODELS",
    "SPM_WEIGHT",
    "XPM_WEIGHT",
    "effective_length_m",
    "gn_eta",
    "isrs_eta",
    "isrs_power_ratio",
    "nli_power",
]

#: Weight of self-phase modulation in the GN sum (16/27, eq. 120 of [1]).
SPM_WEIGHT: float = 16.0 / 27.0
#: Weight of each cross-channel term (32/27, eq. 120 of [1]).
XPM_WEIGHT: float = 32.0 / 27.0


def effective_length_m(alpha_per_m: FloatArray | float, length_m: FloatArray | float) -> FloatArray:
    """Effective length L_eff = (1 − e^{−αL}) / α [m] (Agrawal, eq. 4.1.6)."""
    a = np.asarray(alpha_per_m, dtype=float)
    return np.asarray(-np.expm1(-a * np.asarray(length_m, dtype=float)) / a)


def gn_eta(
    frequency_hz: FloatArray,
    symbol_rate_hz: FloatArray,
    alpha_per_m: FloatArray,
    beta2_s2_per_m: FloatArray,
    gamma_per_w_per_m: FloatArray,
    length_m: float | FloatArray,
) -> FloatArray:
    """NLI coefficients η_ij [1/W²] of the incoherent GN model closed form for one span.

    The NLI power of cut channel i at the span input (referred to the input) is
    ``P_NLI,i = P_i Σ_j η_ij P_j²``.

    Parameters
    ----------
    frequency_hz : array (..., n)
        Channel centre frequencies [Hz].
    symbol_rate_hz : array (..., n)
        Symbol rates R_s [Hz]; the channel is a rectangle R_s wide.
    alpha_per_m : array (..., n)
        Power attenuation at each channel [1/m].
    beta2_s2_per_m : array (..., n)
        β2 at each channel [s²/m]; a pair uses the mean of its two channels.
    gamma_per_w_per_m : array (..., n)
        γ at each channel [1/(W m)]; the cut channel's γ is used.
    length_m : float or array (...)
        Span length [m].

    Returns
    -------
    eta : array (..., n, n)
        η_ij [1/W²], cut channel i on axis −2, interferer j on axis −1.

    Notes
    -----
    Eq. 120 with ψ from eq. 123 of [1] (GNPy's ``gn_analytic``):
    η_ij = γ_i² w_ij ψ_ij / R_j², w_ii = 16/27, w_ij = 32/27, and
    ψ_ij = L_eff² / (2π |β2| L_a) · ½ [asinh(π² L_a |β2| R_i (Δf_ij + R_j/2))
    − asinh(π² L_a |β2| R_i (Δf_ij − R_j/2))], with Δf_ij = f_j − f_i, L_a = 1/α (the
    interferer's α), L_eff = (1 − e^{−αL})/α.
    """
    f = np.asarray(frequency_hz, dtype=float)
    rs = np.asarray(symbol_rate_hz, dtype=float)
    a = np.asarray(alpha_per_m, dtype=float)
    beta2 = np.asarray(beta2_s2_per_m, dtype=float)
    b2 = np.abs(0.5 * (beta2[..., :, None] + beta2[..., None, :]))
    g = np.asarray(gamma_per_w_per_m, dtype=float)
    length = np.asarray(length_m, dtype=float)[..., None]
    n = f.shape[-1]
    l_eff = effective_length_m(a, length)[..., None, :]
    l_a = (1.0 / a)[..., None, :]
    df = f[..., None, :] - f[..., :, None]
    rs_i = rs[..., :, None]
    rs_j = rs[..., None, :]
    k = math.pi**2 * l_a * b2 * rs_i
    psi = 0.5 * (np.arcsinh(k * (df + 0.5 * rs_j)) - np.arcsinh(k * (df - 0.5 * rs_j)))
    psi = psi * l_eff**2 / (2.0 * math.pi * b2 * l_a)
    weight = np.full((n, n), XPM_WEIGHT)
    np.fill_diagonal(weight, SPM_WEIGHT)
    return np.asarray((g**2)[..., :, None] * weight * psi / rs_j**2)


def isrs_power_ratio(
    frequency_hz: FloatArray,
    power_w: FloatArray,
    raman_slope_per_w_per_m_per_hz: float,
    l_eff_m: FloatArray | float,
) -> FloatArray:
    """Power of each channel relative to the SRS-free case after a length with L_eff.

    Parameters
    ----------
    frequency_hz : array (..., n)
    power_w : array (..., n)
        Channel powers at the span input [W] (signal + noise in the channel).
    raman_slope_per_w_per_m_per_hz : float
        C_r of the triangular Raman gain [1/(W m Hz)].
    l_eff_m : float or array broadcastable to (...)
        Effective length up to the point of interest [m].

    Returns
    -------
    rho : array (..., n)
        P_i(z) / (P_i(0) e^{−αz}) [-].

    Notes
    -----
    ρ_i = P_tot e^{−P_tot C_r L_eff f_i} / Σ_k P_k e^{−P_tot C_r L_eff f_k}, eq. 2 of [3]
    (after [4]); energy is conserved in photon-number-blind form (the quantum defect is neglected).
    """
    f = np.asarray(frequency_hz, dtype=float)
    p = np.asarray(power_w, dtype=float)
    p_tot = p.sum(axis=-1, keepdims=True)
    f_c = (p * f).sum(axis=-1, keepdims=True) / p_tot
    leff = np.asarray(l_eff_m, dtype=float)
    if leff.ndim:
        leff = leff[..., None]
    x = -p_tot * raman_slope_per_w_per_m_per_hz * leff * (f - f_c)
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return np.asarray(p_tot * e / (p * e).sum(axis=-1, keepdims=True))


def _isrs_bracket(
    phi: FloatArray, b: FloatArray, a: FloatArray, t: FloatArray, func: Callable[..., FloatArray]
) -> FloatArray:
    """[(T − α²)/α f(φ B/α) + ((2α)² − T)/(2α) f(φ B/(2α))] / (φ α (3α)), with ᾱ = α."""
    a2 = 2.0 * a
    return np.asarray(
        ((t - a**2) / a * func(phi * b / a) + (a2**2 - t) / a2 * func(phi * b / a2))
        / (phi * a * 3.0 * a)
    )


def isrs_eta(
    frequency_hz: FloatArray,
    symbol_rate_hz: FloatArray,
    alpha_per_m: FloatArray,
    beta2_s2_per_m: FloatArray,
    gamma_per_w_per_m: FloatArray,
    raman_slope_per_w_per_m_per_hz: float,
    power_w: FloatArray,
) -> FloatArray:
    """NLI coefficients η_ij [1/W²] of the ISRS GN model closed form for one span.

    Same contract as :func:`gn_eta` (``P_NLI,i = P_i Σ_j η_ij P_j²`` with the span-input
    powers), but η now depends on the launch powers through the SRS gain/loss of each channel.

    Parameters
    ----------
    frequency_hz, symbol_rate_hz, alpha_per_m, beta2_s2_per_m, gamma_per_w_per_m : array (..., n)
        As in :func:`gn_eta`.
    raman_slope_per_w_per_m_per_hz : float
        C_r [1/(W m Hz)]; 0 gives the closed form without ISRS.
    power_w : array (..., n)
        Channel powers at the span input [W].

    Returns
    -------
    eta : array (..., n, n)

    Notes
    -----
    Eqs. 9-11 of [3] (long spans, ᾱ = α, incoherent accumulation ε = 0):
    SPM  η_ii = (4/9) γ² π / (B_i²) · [bracket with asinh(φ_i B_i² / (π a)), T_i],
    XPM  η_ik = (32/27) γ² / B_k · [bracket with atan(φ_ik B_i / a), T_k],
    with φ_i = (3/2) π² β2, φ_ik = 2π² (f_k − f_i) β2, T_k = (2α − P_tot C_r f_k)² (f_k from
    the power centroid, first-order expansion of eq. 2 of [3]) and
    bracket(x) = [(T − α²)/α x(a = α) + (4α² − T)/(2α) x(a = 2α)] / (3 α² φ).
    The XPM term assumes the interferer is narrow compared with its distance to the cut
    channel; for C_r = 0 both reduce to the GN closed form of [2].
    """
    f = np.asarray(frequency_hz, dtype=float)
    b = np.asarray(symbol_rate_hz, dtype=float)
    a = np.asarray(alpha_per_m, dtype=float)
    beta2 = np.abs(np.asarray(beta2_s2_per_m, dtype=float))
    g = np.asarray(gamma_per_w_per_m, dtype=float)
    p = np.asarray(power_w, dtype=float)
    p_tot = p.sum(axis=-1, keepdims=True)
    f_c = (p * f).sum(axis=-1, keepdims=True) / p_tot
    t = (2.0 * a - p_tot * raman_slope_per_w_per_m_per_hz * (f - f_c)) ** 2
    phi_i = 1.5 * math.pi**2 * beta2
    spm = (4.0 / 9.0) * g**2 * math.pi / b**2 * _isrs_bracket(
        phi_i, b**2 / math.pi, a, t, np.arcsinh
    )
    df = np.abs(f[..., None, :] - f[..., :, None])
    n = f.shape[-1]
    eye = np.eye(n, dtype=bool)
    df_safe = np.where(eye, 1.0, df)
    phi_ik = 2.0 * math.pi**2 * df_safe * beta2[..., None, :]
    xpm = (32.0 / 27.0) * (g**2)[..., :, None] / b[..., None, :] * _isrs_bracket(
        phi_ik, b[..., :, None], a[..., None, :], t[..., None, :], np.arctan
    )
    xpm = np.where(eye, 0.0, xpm)
    spm_full = np.zeros_like(xpm)
    idx = np.arange(n)
    spm_full[..., idx, idx] = spm
    return np.asarray(spm_full + xpm)


def nli_power(eta: FloatArray, power_w: FloatArray) -> FloatArray:
    """P_NLI,i = P_i Σ_j η_ij P_j² [W] (eq. 120 of [1])."""
    p = np.asarray(power_w, dtype=float)
    return np.asarray(p * np.einsum("...ij,...j->...i", eta, p**2))


#: Span NLI coefficient models by name.
NLI_ETA_MODELS: dict[str, str] = {
    "gn_closed_form": "gn_eta",
    "isrs_gn_closed_form": "isrs_eta",
}
