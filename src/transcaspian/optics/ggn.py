"""Generalised GN model (GGN) on every channel, spectrally separated, with the SRS power profile.

The NLI of cut channel i from interferer (pump) channel j is the GGN double integral, eq. 21 of
[1], evaluated at the cut's centre frequency f (locally white NLI):

    ψ_ij = ∫∫ s_j(f1) s_i(f2) s_j(f1 + f2 − f) |ρ_j(Δβ)|² df1 df2,
    ρ_j(Δβ) = ∫_0^L ρ̃_j(z)² e^{(iΔβ − α_j) z} dz,   Δβ = 4π² β2 (f1 − f)(f2 − f),
    P_NLI,i = P_i Σ_j γ_i² w_ij ψ_ij P_j² / R_j²,     w_ii = 16/27, w_ij = 32/27,

with s the raised-cosine spectral shapes and ρ̃_j(z)² = P_j(z) e^{α_j z} / P_j(0) the channel's
power profile relative to pure loss, from the stimulated Raman scattering (SRS) solution. The
spectral-separation assumption puts f1 and f1 + f2 − f in the interferer, f2 in the cut.

How it is fast
--------------
|ρ_j|² depends on (f1, f2) only through the scalar u = |Δβ|. Writing the quadrature of the
double integral as Σ_p c_p |ρ_j(u_p)|² (points p, weights c_p, all fixed by the channel plan
and β2) and |ρ_j|² by linear interpolation on a grid u_b, the sum becomes Σ_b K_{j−i}(b) G_j(b):
a kernel per channel offset j − i (launch- and power-independent, built once per geometry and
cached) against G_j(b) = |ρ_j(u_b)|², which the launch power changes. G for all channels is one
complex matrix product (the z integral is exact for ρ̃² piecewise linear between the solver's
nodes, as in [2]); ψ for all pairs is one real matrix product. No loop over channels.

The quadrature follows GNPy's [2] so that the two compute the same quantity: the full 2-D
integral with raised cosines for the cut itself and for interferers closer than GNPy's
frequency-offset threshold, and GNPy's fast rule for the others (the interferer's two band
edges, f2 over the cut's half-band without the raised cosine, ``_fast_generalized_psi``), on
GNPy's frequency steps (dispersion and phase-shift tolerances). Limits: β2 is taken constant
over the band (no dispersion slope; a fibre with ``dispersion_slope_ps_per_nm2_km`` is refused),
channels share one symbol rate and roll-off.

SRS
---
dP_i/dz = (−α_i + Σ_j C_ij P_j) P_i [3] with C from the measured SSMF Raman gain of [4]
(bundled table, ``data/raman_gain_ssmf_damico2022.csv``), scaled by the pump-signal
effective-area overlap and with the vibrational loss of the higher frequency, as GNPy's
``Fiber.cr``. Solved to second order in C (GNPy's ``perturbative`` method, order 2): P_i(z) =
P_i(0) e^{−α_i z + γ1_i + γ2_i}, γ1_i = Σ_j C_ij P_j L_j(z), γ2_i = Σ_j C_ij P_j ∫_0^z e^{−α_j
z'} γ1_j(z') dz', the integral in closed form (:func:`srs_exponent`).

References
----------
.. [1] M. Cantono, D. Pilori, A. Ferrari, C. Catanese, J. Thouras, J.-L. Augé, V. Curri, "On
   the interplay of nonlinear interference generation with stimulated Raman scattering for QoT
   estimation", JLT 36(15):3131-3141, 2018, doi:10.1109/JLT.2018.2814840, arXiv:1710.02225.
.. [2] GNPy 3.0.1 (Telecom Infra Project), ``gnpy.core.science_utils.NliSolver`` and
   ``RamanSolver``: the reference implementation compared against in
   ``tests/validation/test_gnpy_ggn.py``.
.. [3] D. N. Christodoulides, R. B. Jander, "Evolution of stimulated Raman crosstalk in
   wavelength division multiplexed systems", IEEE PTL 8(12):1722-1724, 1996.
.. [4] A. D'Amico, B. Correia, E. London, E. Virgillito, G. Borraccini, A. Napoli, V. Curri,
   "Scalable and disaggregated GGN approximation applied to a C+L+S optical network", JLT
   40(11):3499-3511, 2022 (Sec. III.D: the SSMF Raman gain profile).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..errors import OpticsError
from ..units import FloatArray
from . import fibre as fib
from .elements import FibreType

__all__ = [
    "DISPERSION_TOLERANCE",
    "NODE_STEP_M",
    "PHASE_SHIFT_TOLERANCE",
    "RAMAN_REFERENCE_FREQUENCY_HZ",
    "GgnSpan",
    "build_ggn_span",
    "raised_cosine",
    "raman_gain_table",
    "srs_coefficients",
    "srs_exponent",
]

#: Pump frequency the bundled Raman gain table refers to [Hz] (1454 nm) [4].
RAMAN_REFERENCE_FREQUENCY_HZ: float = 206.184634112792e12
#: Spacing of the z nodes of the power profile in the NLI integral [m] (GNPy's
#: ``result_spatial_resolution`` of the reference cases; the last node is the span end).
NODE_STEP_M: float = 10e3
#: GNPy's ``dispersion_tolerance`` and ``phase_shift_tolerance``: they set the frequency steps
#: of the double integral (steps small enough that Δβ changes by less than min(tol_D α,
#: tol_φ / Δz) between neighbouring points).
DISPERSION_TOLERANCE: float = 1.0
PHASE_SHIFT_TOLERANCE: float = 0.1
#: Interferers closer than this get the full 2-D integral; GNPy's rule
#: Δf_th = 5 · 50 GHz · 32 GBd · 21.3 ps²/km / (|β2| R_j).
_THRESHOLD_NUMERATOR = 5.0 * 50e9 * 32e9 * 21.3e-27
#: u grid: uniform with step min(α, 2π/L)/_U_PER_SCALE up to _U_UNIFORM_SCALES·α, then
#: geometric with ratio 1 + _U_RATIO (beyond, |ρ|² ≈ A/u² and its ripple averages out).
_U_PER_SCALE = 10.0
_U_UNIFORM_SCALES = 200.0
_U_RATIO = 0.01


@functools.lru_cache(maxsize=1)
def raman_gain_table() -> tuple[FloatArray, FloatArray]:
    """Frequency offsets [Hz] and γ_R = g0·A_overlap [m/W] of the bundled SSMF Raman gain [4].

    The same measured table as the Raman solver's default spectrum
    (:func:`.raman.raman_gain_spectrum`, ``data/raman_gain_ssmf_damico2022.csv``), as
    read-only arrays.
    """
    from .raman import raman_gain_spectrum

    spec = raman_gain_spectrum("ssmf_damico2022")
    offset, gain = np.array(spec.offset_hz, dtype=float), np.array(spec.gain_m_per_w, dtype=float)
    offset.flags.writeable = False
    gain.flags.writeable = False
    return offset, gain


def srs_coefficients(fibre: FibreType, frequency_hz: FloatArray) -> FloatArray:
    """SRS coupling matrix C_ij [1/(W m)] of dP_i/dz = (−α_i + Σ_j C_ij P_j) P_i.

    Parameters
    ----------
    fibre : FibreType
    frequency_hz : array (n,)
        Channel frequencies [Hz].

    Returns
    -------
    c : array (n, n)
        C_ij > 0 when f_j > f_i (i gains from j).

    Notes
    -----
    C_ij = γ_R(f_j − f_i) / f_R · f_j / Ā_ij for f_j > f_i and C_ij = −C_ji·(1) otherwise, i.e.
    the higher frequency loses what the lower gains, scaled by f_i/f_j (vibrational loss); γ_R
    the measured gain of [4] referred to f_R = 206.18 THz, Ā_ij = (A_eff(f_i) + A_eff(f_j))/2.
    This is GNPy's ``Fiber.cr``.
    """
    f = np.asarray(frequency_hz, dtype=float)
    offset, gain = raman_gain_table()
    area = fib.effective_area_m2(fibre, f)
    df = f[None, :] - f[:, None]
    g = np.interp(np.abs(df), offset, gain) / RAMAN_REFERENCE_FREQUENCY_HZ
    a_ov = 0.5 * (area[:, None] + area[None, :])
    return np.asarray(np.where(df > 0.0, g * f[None, :], -g * f[:, None]) / a_ov)


def _leff(alpha: FloatArray | float, z: FloatArray) -> FloatArray:
    """(1 − e^{−α z}) / α, broadcast."""
    return np.asarray(-np.expm1(-alpha * z) / alpha)


def srs_exponent(power_w: FloatArray, alpha_per_m: FloatArray, c: FloatArray,
                 z_m: FloatArray) -> FloatArray:
    """SRS part γ1 + γ2 of the exponent of P_i(z) = P_i(0) e^{−α_i z + γ1_i + γ2_i}.

    Parameters
    ----------
    power_w : array (..., n)
        Channel powers at the fibre input [W].
    alpha_per_m : array (n,)
        Attenuation [1/m].
    c : array (n, n)
        :func:`srs_coefficients` [1/(W m)].
    z_m : array (m,)
        Positions [m].

    Returns
    -------
    array (..., m, n)

    Notes
    -----
    Second-order perturbative solution (Picard iteration of the exponent, e^γ ≈ 1 + γ inside
    the integral; GNPy's ``perturbative`` method, order 2):
    γ1_i(z) = Σ_j C_ij P_j L_j(z), L_j(z) = (1 − e^{−α_j z})/α_j;
    γ2_i(z) = Σ_j C_ij P_j X_j(z), X_j(z) = Σ_k C_jk P_k M_jk(z),
    M_jk(z) = ∫_0^z e^{−α_j z'} L_k(z') dz' = (L(α_j, z) − L(α_j + α_k, z)) / α_k (exact;
    GNPy integrates it by the trapezoid rule on a 50 m grid).
    """
    p = np.asarray(power_w, dtype=float)
    a = np.asarray(alpha_per_m, dtype=float)
    z = np.asarray(z_m, dtype=float)[:, None]
    ct = c.T
    g1 = (p[..., None, :] * _leff(a, z)) @ ct
    if np.ptp(a) <= 1e-12 * float(a.max()):
        a0 = float(a[0])
        m = (_leff(a0, z) - _leff(2.0 * a0, z)) / a0  # (m, 1)
        x = m * (p @ ct)[..., None, :]
    else:
        mjk = (_leff(a[None, :, None], z[:, :, None])
               - _leff(a[None, :, None] + a[None, None, :], z[:, :, None])) / a[None, None, :]
        x = np.einsum("mjk,...k,jk->...mj", mjk, p, c)
    g2 = (p[..., None, :] * x) @ ct
    return np.asarray(g1 + g2)


def raised_cosine(frequency_offset_hz: FloatArray, symbol_rate_hz: float,
                  roll_off: float) -> FloatArray:
    """Raised-cosine spectral shape s(Δf) [-]: 1 in the pass band, 0 beyond R(1+β)/2.

    Notes
    -----
    s = ½ [1 + cos(π/(β R) (|Δf| − (1−β) R/2))] for (1−β)R/2 < |Δf| < (1+β)R/2 (Proakis,
    *Digital Communications*, eq. 9.2-26, in frequency); GNPy's ``raised_cosine``.
    """
    x = np.abs(np.asarray(frequency_offset_hz, dtype=float))
    lo = (1.0 - roll_off) * symbol_rate_hz / 2.0
    hi = (1.0 + roll_off) * symbol_rate_hz / 2.0
    out = np.where(x <= lo, 1.0, 0.0)
    if roll_off > 0.0:
        edge = (x > lo) & (x < hi)
        out = np.where(edge, 0.5 * (1.0 + np.cos(math.pi / (roll_off * symbol_rate_hz)
                                                 * (x - lo))), out)
    return np.asarray(out)


def _trapezoid_weights(n: int, step: float) -> FloatArray:
    w = np.full(n, step)
    if n:
        w[0] = w[-1] = 0.5 * step
    if n == 1:
        w[0] = 0.0
    return w


def _grid_points(start: float, stop: float, step: float) -> FloatArray:
    """``numpy.arange(start, stop, step)`` (GNPy's grids)."""
    return np.arange(start, stop, step)


def _u_grid(alpha_min: float, length_m: float, u_max: float) -> FloatArray:
    """Grid of u = |Δβ| [1/m]: uniform near 0, where |ρ|² has its peak (width α) and its ripple
    (period 2π/L), geometric beyond."""
    du = min(alpha_min, 2.0 * math.pi / length_m) / _U_PER_SCALE
    u1 = _U_UNIFORM_SCALES * alpha_min
    uniform = np.arange(0.0, u1 + du, du)
    if u_max <= uniform[-1]:
        return uniform
    n_geo = math.ceil(math.log(u_max / uniform[-1]) / math.log1p(_U_RATIO)) + 1
    geo = uniform[-1] * (1.0 + _U_RATIO) ** np.arange(1, n_geo + 1)
    return np.concatenate([uniform, geo])


def _deposit(u_grid: FloatArray, u: FloatArray, weight: FloatArray) -> FloatArray:
    """Σ_p weight_p g(u_p) with g linear between grid nodes = Σ_b K_b g(u_b): returns K."""
    n = u_grid.size
    idx = np.clip(np.searchsorted(u_grid, u, side="right") - 1, 0, n - 2)
    t = (u - u_grid[idx]) / (u_grid[idx + 1] - u_grid[idx])
    return np.asarray(np.bincount(idx, weight * (1.0 - t), minlength=n)
                      + np.bincount(idx + 1, weight * t, minlength=n))


@dataclass(frozen=True)
class GgnSpan:
    """Launch-independent part of the GGN of one span (cached by ``line.SpanCache``).

    ``kernel[d]`` (2n − 1, n_u): quadrature kernel of channel offset j − i = d − (n − 1) on the
    u grid; ``basis`` (2m, n_u): e^{w z_k}/w and e^{w z_k}/w² (w = iu − α) for the exact z
    integral, one block per distinct α (``alpha_groups``).
    """

    z: FloatArray
    alpha: FloatArray
    c: FloatArray
    u: FloatArray
    kernel_t: FloatArray
    bases: tuple[tuple[npt.NDArray[np.intp], npt.NDArray[np.complex128]], ...]
    offset_index: npt.NDArray[np.intp]
    weight: FloatArray
    gamma2_over_rs2: FloatArray

    def at(self, z_m: FloatArray, exponent: FloatArray) -> FloatArray:
        """``exponent`` (..., m, n) at the nodes, interpolated linearly to ``z_m`` (s,)."""
        eye = np.eye(self.z.size)
        wz = np.stack([np.interp(z_m, self.z, eye[k]) for k in range(self.z.size)], axis=-1)
        return np.asarray(wz @ exponent)

    def exponent(self, power_w: FloatArray) -> FloatArray:
        """SRS exponent γ1 + γ2 at the nodes ``z`` (..., m, n) (:func:`srs_exponent`)."""
        return srs_exponent(power_w, self.alpha, self.c, self.z)

    def nli(self, power_w: FloatArray) -> tuple[FloatArray, FloatArray]:
        """NLI power at the span input [W] and the SRS exponent at the nodes (..., m, n)."""
        p = np.asarray(power_w, dtype=float)
        gexp = self.exponent(p)
        r = np.exp(gexp)  # ρ̃² at the nodes, (..., m, n)
        rt = np.swapaxes(r, -1, -2)  # (..., n, m)
        d = np.diff(rt, axis=-1) / np.diff(self.z)  # slopes, (..., n, m-1)
        zeros = np.zeros((*d.shape[:-1], 1))
        s = np.concatenate([d, zeros], axis=-1) - np.concatenate([zeros, d], axis=-1)
        b = np.zeros_like(rt)
        b[..., 0] = -rt[..., 0]
        b[..., -1] = rt[..., -1]
        coef = np.concatenate([b, s], axis=-1)  # (..., n, 2m)
        g = np.empty((*p.shape, self.u.size))
        for channels, basis in self.bases:
            rho = coef[..., channels, :] @ basis  # (..., n_g, n_u) complex
            g[..., channels, :] = rho.real**2 + rho.imag**2
        psi_by_offset = g @ self.kernel_t  # (..., n_j, 2n-1)
        idx = self.offset_index  # (n_j, n_i): column j - i + n - 1
        psi_ji = np.take_along_axis(
            psi_by_offset, np.broadcast_to(idx, (*p.shape[:-1], *idx.shape)), axis=-1)
        # P_NLI,i = P_i γ_i² Σ_j w_ij ψ_ij P_j² / R_j²
        p2 = p * p
        weighted = psi_ji * self.weight  # (..., n_j, n_i)
        nli = p * self.gamma2_over_rs2 * np.einsum("...ji,...j->...i", weighted, p2)
        return np.asarray(nli), gexp


def build_ggn_span(fibre: FibreType, frequency_hz: FloatArray, symbol_rate_hz: float,
                   roll_off: float, spacing_hz: float, alpha_per_m: FloatArray,
                   length_m: float) -> GgnSpan:
    """The launch-independent GGN quantities of one span (see the module notes).

    Raises
    ------
    OpticsError
        A fibre with a dispersion slope (β2 must be constant over the band).
    """
    if fibre.dispersion_slope_ps_per_nm2_km is not None:
        raise OpticsError("nli_model generalised_gn: fibres with a dispersion slope are not "
                          "supported (β2 is taken constant over the band); remove "
                          "dispersion_slope_ps_per_nm2_km or use isrs_gn_closed_form")
    f = np.asarray(frequency_hz, dtype=float)
    # channels on a uniform grid, all lit (n = f.size) or a band plan's subset of it: kernels
    # are indexed by the grid offset m_j - m_i
    m = np.rint((f - f[0]) / spacing_hz).astype(np.intp)
    n = int(m[-1]) + 1 if f.size else 0
    alpha = np.asarray(alpha_per_m, dtype=float)
    beta2 = abs(float(fib.beta2_s2_per_m(fibre, f)[0]))
    gamma = fib.gamma_per_w_per_m(fibre, f)
    z = np.unique(np.append(np.arange(0.0, length_m, NODE_STEP_M), length_m))
    band = symbol_rate_hz * (1.0 + roll_off)
    k = 4.0 * math.pi**2 * beta2
    tol = min(DISPERSION_TOLERANCE * float(alpha.min()), PHASE_SHIFT_TOLERANCE / NODE_STEP_M)
    step_pump = tol / beta2 / (4.0 * math.pi**2 * spacing_hz)
    threshold = _THRESHOLD_NUMERATOR / (beta2 * symbol_rate_hz)
    u_max = k * ((n - 1) * spacing_hz + band / 2.0) * band / 2.0 * 1.0001 + 1e-12
    u = _u_grid(float(alpha.min()), length_m, u_max)
    kernel = np.zeros((2 * n - 1, u.size))
    for dn in range(-(n - 1), n):
        df = dn * spacing_hz
        step_cut = tol / beta2 / (4.0 * math.pi**2 * (1 + abs(dn)) * spacing_hz)
        if dn == 0 or abs(df) <= threshold:
            kernel[dn + n - 1] = _near_kernel(u, k, df, band, symbol_rate_hz, roll_off,
                                              step_pump, step_cut)
        else:
            kernel[dn + n - 1] = _far_kernel(u, k, df, band, symbol_rate_hz, step_cut)
    bases: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.complex128]]] = []
    for value in np.unique(alpha):
        channels = np.flatnonzero(alpha == value)
        w = 1j * u[None, :] - value
        e = np.exp(w * z[:, None])  # (m, n_u)
        bases.append((channels, np.concatenate([e / w, e / w**2], axis=0)))
    offset_index = m[:, None] - m[None, :] + (n - 1)  # [j, i] -> m_j - m_i + n - 1
    weight = np.where(np.eye(f.size, dtype=bool), 16.0 / 27.0, 32.0 / 27.0)
    span = GgnSpan(z=z, alpha=alpha, c=srs_coefficients(fibre, f), u=u,
                   kernel_t=np.ascontiguousarray(kernel.T), bases=tuple(bases),
                   offset_index=offset_index, weight=weight,
                   gamma2_over_rs2=gamma**2 / symbol_rate_hz**2)
    for arr in (span.z, span.c, span.u, span.kernel_t, span.offset_index, span.weight,
                span.gamma2_over_rs2):
        arr.flags.writeable = False
    return span


def _near_kernel(u: FloatArray, k: float, df: float, band: float, rs: float, roll_off: float,
                 step_pump: float, step_cut: float) -> FloatArray:
    """Kernel of the full 2-D integral (cut and close interferers, GNPy's
    ``_generalized_psi``): trapezoid in f1 over the interferer, in f2 over the cut."""
    x = _grid_points(df - band / 2.0, df + band / 2.0, step_pump)  # f1 − f
    y = _grid_points(-band / 2.0, band / 2.0, step_cut)  # f2 − f
    w = (_trapezoid_weights(x.size, step_pump) * raised_cosine(x - df, rs, roll_off))[:, None] \
        * (_trapezoid_weights(y.size, step_cut) * raised_cosine(y, rs, roll_off))[None, :] \
        * raised_cosine(x[:, None] + y[None, :] - df, rs, roll_off)
    uu = np.abs(k * x[:, None] * y[None, :])
    keep = w != 0.0
    return _deposit(u, uu[keep], w[keep])


def _far_kernel(u: FloatArray, k: float, df: float, band: float, rs: float,
                step_cut: float) -> FloatArray:
    """Kernel of GNPy's fast rule for distant interferers (``_fast_generalized_psi``):
    ψ = ½ R_j Σ_{f1 = band edges} 2 ∫_0^{B/2} |ρ(Δβ(f1, f2))|² d(f2 − f), trapezoid in f2."""
    y = _grid_points(0.0, band / 2.0, step_cut)
    wy = _trapezoid_weights(y.size, step_cut) * rs  # ½ · 2 · R_j
    x = np.array([df - band / 2.0, df + band / 2.0])
    uu = np.abs(k * x[:, None] * y[None, :]).ravel()
    return _deposit(u, uu, np.tile(wy, 2))
