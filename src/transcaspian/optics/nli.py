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
    "SPM_WEIGHT",
    "XPM_WEIGHT",
    "effective_length_m",
    "gn_eta",
    "isrs_eta",
    "isrs_eta_parts",
    "isrs_power_ratio",
    "isrs_t",
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
    if np.ndim(length_m) == 0 and _uniform_grid(f, rs, a, beta2):
        return _gn_eta_uniform(f, float(rs[0]), float(a[0]), abs(float(beta2[0])),
                               np.asarray(gamma_per_w_per_m, dtype=float), float(length_m))
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


def _uniform_grid(f: FloatArray, *per_channel: FloatArray) -> bool:
    """True for one (1-D) equally spaced comb whose other per-channel parameters are equal:
    then η_ij depends on j − i only (a Toeplitz matrix) and 2n − 1 values define it."""
    if f.ndim != 1 or f.size < 2 or any(np.shape(x) != f.shape for x in per_channel):
        return False
    step = np.diff(f)
    if np.ptp(step) > 1e-9 * abs(float(step[0])):
        return False
    return all(np.ptp(x) <= 1e-12 * float(np.max(np.abs(x))) for x in per_channel)


def _offsets(n: int) -> FloatArray:
    """Matrix of j − i + (n − 1), to index a vector over offsets −(n−1)..(n−1)."""
    idx = np.arange(n)
    return np.asarray(idx[None, :] - idx[:, None] + (n - 1))


def _gn_eta_uniform(f: FloatArray, rs: float, a: float, b2: float, g: FloatArray,
                    length_m: float) -> FloatArray:
    """:func:`gn_eta` for a uniform comb, with ψ evaluated once per channel offset."""
    n = f.size
    df = np.arange(-(n - 1), n) * (f[1] - f[0])
    l_a = 1.0 / a
    l_eff = float(effective_length_m(a, length_m))
    k = math.pi**2 * l_a * b2 * rs
    psi = 0.5 * (np.arcsinh(k * (df + 0.5 * rs)) - np.arcsinh(k * (df - 0.5 * rs)))
    psi = psi * l_eff**2 / (2.0 * math.pi * b2 * l_a) / rs**2
    psi = psi * XPM_WEIGHT
    psi[n - 1] *= SPM_WEIGHT / XPM_WEIGHT
    return np.asarray((g**2)[:, None] * psi[_offsets(n)])


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


def _bracket_parts(
    phi: FloatArray, b: FloatArray, a: FloatArray, func: Callable[..., FloatArray]
) -> tuple[FloatArray, FloatArray]:
    """U, V with [(T − α²)/α F(φB/α) + (4α² − T)/(2α) F(φB/(2α))] / (3 α² φ) = T U + V."""
    f1 = func(phi * b / a)
    f2 = func(phi * b / (2.0 * a))
    den = 3.0 * a**2 * phi
    return np.asarray((f1 / a - f2 / (2.0 * a)) / den), np.asarray((2.0 * a * f2 - a * f1) / den)


def isrs_eta_parts(
    frequency_hz: FloatArray,
    symbol_rate_hz: FloatArray,
    alpha_per_m: FloatArray,
    beta2_s2_per_m: FloatArray,
    gamma_per_w_per_m: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Power-independent parts U, V (n, n) of the ISRS closed form: η_ik = U_ik T_k + V_ik.

    See :func:`isrs_eta`; T_k (:func:`isrs_t`) carries all the dependence on the launch powers,
    and it enters linearly, so a span's η is two (n, n) constants and one vector.
    """
    f = np.asarray(frequency_hz, dtype=float)
    b = np.asarray(symbol_rate_hz, dtype=float)
    a = np.asarray(alpha_per_m, dtype=float)
    beta2 = np.abs(np.asarray(beta2_s2_per_m, dtype=float))
    g = np.asarray(gamma_per_w_per_m, dtype=float)
    n = f.shape[-1]
    if _uniform_grid(f, b, a, beta2):
        return _isrs_parts_uniform(f, float(b[0]), float(a[0]), float(beta2[0]), g)
    eye = np.eye(n, dtype=bool)
    # SPM (diagonal): (4/9) γ² π / B_i² · bracket(asinh, φ_i = 3/2 π² β2, "B" = B_i²/π)
    phi_i = 1.5 * math.pi**2 * beta2
    u_s, v_s = _bracket_parts(phi_i, b**2 / math.pi, a, np.arcsinh)
    k_s = (4.0 / 9.0) * g**2 * math.pi / b**2
    # XPM: (32/27) γ_i² / B_k · bracket(atan, φ_ik = 2π² |f_k − f_i| β2, "B" = B_i), α_k
    df = np.abs(f[..., None, :] - f[..., :, None])
    phi_ik = 2.0 * math.pi**2 * np.where(eye, 1.0, df) * beta2[..., None, :]
    u_x, v_x = _bracket_parts(phi_ik, b[..., :, None], a[..., None, :], np.arctan)
    k_x = (32.0 / 27.0) * (g**2)[..., :, None] / b[..., None, :]
    u = np.where(eye, 0.0, k_x * u_x)
    v = np.where(eye, 0.0, k_x * v_x)
    idx = np.arange(n)
    u[..., idx, idx] = k_s * u_s
    v[..., idx, idx] = k_s * v_s
    return u, v


def _isrs_parts_uniform(f: FloatArray, b: float, a: float, beta2: float,
                        g: FloatArray) -> tuple[FloatArray, FloatArray]:
    """:func:`isrs_eta_parts` for a uniform comb: XPM brackets once per |channel offset|."""
    n = f.size
    off = np.abs(np.arange(-(n - 1), n)) * (f[1] - f[0])
    phi = 2.0 * math.pi**2 * np.where(off == 0.0, 1.0, off) * beta2
    u_x, v_x = _bracket_parts(phi, np.asarray(b), np.asarray(a), np.arctan)
    u_x = u_x * (32.0 / 27.0) / b
    v_x = v_x * (32.0 / 27.0) / b
    u_s, v_s = _bracket_parts(np.asarray(1.5 * math.pi**2 * beta2), np.asarray(b**2 / math.pi),
                              np.asarray(a), np.arcsinh)
    u_x[n - 1] = u_s * (4.0 / 9.0) * math.pi / b**2
    v_x[n - 1] = v_s * (4.0 / 9.0) * math.pi / b**2
    idx = _offsets(n)
    g2 = (g**2)[:, None]
    return np.asarray(g2 * u_x[idx]), np.asarray(g2 * v_x[idx])


def isrs_t(
    frequency_hz: FloatArray,
    alpha_per_m: FloatArray,
    raman_slope_per_w_per_m_per_hz: float,
    power_w: FloatArray,
) -> FloatArray:
    """T_k = (2α_k − P_tot C_r (f_k − f_c))² [1/m²] of the ISRS closed form ([3] eq. 10).

    f_c is the power centroid (first-order expansion of the triangular-gain profile, eq. 2).
    """
    f = np.asarray(frequency_hz, dtype=float)
    p = np.asarray(power_w, dtype=float)
    p_tot = p.sum(axis=-1, keepdims=True)
    f_c = (p * f).sum(axis=-1, keepdims=True) / p_tot
    a = np.asarray(alpha_per_m, dtype=float)
    return np.asarray((2.0 * a - p_tot * raman_slope_per_w_per_m_per_hz * (f - f_c)) ** 2)


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
    frequency_hz, symbol_rate_hz, alpha_per_m, beta2_s2_per_m, gamma_per_w_per_m : array (n,)
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
    channel; for C_r = 0 both reduce to the GN closed form of [2]. The bracket is linear in T,
    so η_ik = U_ik T_k + V_ik (:func:`isrs_eta_parts`, :func:`isrs_t`).
    """
    u, v = isrs_eta_parts(frequency_hz, symbol_rate_hz, alpha_per_m, beta2_s2_per_m,
                          gamma_per_w_per_m)
    t = isrs_t(frequency_hz, alpha_per_m, raman_slope_per_w_per_m_per_hz, power_w)
    return np.asarray(u * t[..., None, :] + v)


def nli_power(eta: FloatArray, power_w: FloatArray) -> FloatArray:
    """P_NLI,i = P_i Σ_j η_ij P_j² [W] (eq. 120 of [1])."""
    p = np.asarray(power_w, dtype=float)
    return np.asarray(p * np.einsum("...ij,...j->...i", eta, p**2))
