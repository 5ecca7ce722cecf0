# ruff: noqa
"""Vectorised drop-in replacements for GNPy 3.0.1's generalised-GN inner integrals (same formulas, same grids).

GNPy's ``NliSolver._generalized_psi`` loops in Python over the pump-channel frequency samples f1 and
``_generalized_rho_nli`` over the z samples (about 1 s per computed channel per span). Here the
(f1, f2) double integral is evaluated on the same 2-D grid at once. Every arithmetic expression is
the one in gnpy/core/science_utils.py; only grid points where the raised-cosine product rc1*rc2*rc3 is
non-zero are evaluated (the others contribute exactly 0 in GNPy too).

install('rec') (used for the reference CSVs) computes exp(w z_k) by the recurrence E_k+1 = E_k exp(w dz_k)
and accumulates the derivative sum before one division by w^2: it differs from GNPy's own expression by
rounding only (~1e-14 relative). install('exact') keeps GNPy's expression term by term.

Usage: ``import ggn_vectorised; ggn_vectorised.install('rec')`` before propagating.
"""
import numpy as np
from numpy import pi, exp, outer, arange, array, trapezoid, abs as npabs, sum as npsum
from scipy.interpolate import interp1d

from gnpy.core.science_utils import NliSolver

_ORIG = {}


def _raised_cosine(frequency, channel_frequency, channel_baud_rate, channel_roll_off):
    """gnpy.core.science_utils.raised_cosine, for arrays of any shape."""
    mask = np.zeros(frequency.shape)
    base_frequency = frequency - channel_frequency
    ts = 1 / channel_baud_rate
    pass_band = (1 - channel_roll_off) * channel_baud_rate / 2
    stop_band = (1 + channel_roll_off) * channel_baud_rate / 2
    flat = (npabs(base_frequency) <= pass_band) == 1
    cosc = (pass_band < npabs(base_frequency)) * (npabs(base_frequency) < stop_band) == 1
    mask[flat] = 1
    mask[cosc] = 0.5 * (1 + np.cos(pi * ts / channel_roll_off * (npabs(base_frequency[cosc]) - pass_band)))
    return mask


def _rho_nli(delta_beta, rho_pump, z, alpha):
    """NliSolver._generalized_rho_nli, any shape of delta_beta; exp(w z_k) computed once per k."""
    w = 1j * delta_beta - alpha
    e_prev = exp(w * z[0])
    g = (rho_pump[-1] ** 2 * exp(w * z[-1]) - rho_pump[0] ** 2 * e_prev) / w
    w2 = w ** 2
    for k in range(0, len(z) - 1):
        e_next = exp(w * z[k + 1])
        derivative_rho = (rho_pump[k + 1] ** 2 - rho_pump[k] ** 2) / (z[k + 1] - z[k])
        g -= derivative_rho * (e_next - e_prev) / w2
        e_prev = e_next
    return npabs(g) ** 2


def _rho_nli_rec(delta_beta, rho_pump, z, alpha):
    """Same quantity as _rho_nli, with exp(w z_k) by the recurrence E_k+1 = E_k exp(w dz_k)
    (one exp per distinct step) and the derivative sum accumulated before one division by w^2;
    differs from GNPy's expression by rounding only (~1e-14 relative)."""
    w = 1j * delta_beta - alpha
    dz = np.diff(z)
    steps = {}
    for d in np.unique(dz):
        steps[d] = exp(w * d)
    first = exp(w * z[0]) if z[0] != 0 else np.ones_like(w)
    e = first.copy()
    nxt = np.empty_like(w)
    acc = np.zeros_like(w)
    for k in range(0, len(z) - 1):
        np.multiply(e, steps[dz[k]], out=nxt)                 # E_k+1
        derivative_rho = (rho_pump[k + 1] ** 2 - rho_pump[k] ** 2) / dz[k]
        np.subtract(nxt, e, out=e)                            # E_k+1 - E_k
        e *= derivative_rho
        acc += e
        e, nxt = nxt, e
    g = (rho_pump[-1] ** 2 * e - rho_pump[0] ** 2 * first) / w - acc / w ** 2
    return npabs(g) ** 2


MODE = {'rho': _rho_nli}


def _generalized_psi(f_eval, cut_frequency, cut_baud_rate, cut_roll_off, pump_frequency, pump_baud_rate,
                     pump_roll_off, f_cut_resolution, f_pump_resolution, srs, alpha, beta2, beta3, f_ref_beta):
    z = srs.z
    rho_norm = srs.rho * exp(outer(alpha / 2, z))
    rho_pump = interp1d(srs.frequency, rho_norm, axis=0)(pump_frequency)
    f1_array = arange(pump_frequency - (pump_baud_rate * (1 + pump_roll_off) / 2),
                      pump_frequency + (pump_baud_rate * (1 + pump_roll_off) / 2),
                      f_pump_resolution)
    f2_array = arange(cut_frequency - (cut_baud_rate * (1 + cut_roll_off) / 2),
                      cut_frequency + (cut_baud_rate * (1 + cut_roll_off) / 2),
                      f_cut_resolution)
    rc1 = _raised_cosine(f1_array, pump_frequency, pump_baud_rate, pump_roll_off)
    rc2 = _raised_cosine(f2_array, cut_frequency, cut_baud_rate, cut_roll_off)
    f1 = f1_array[:, None]
    f2 = f2_array[None, :]
    f3 = f1 + f2 - f_eval
    rc3 = _raised_cosine(f3, pump_frequency, pump_baud_rate, pump_roll_off)
    weight = rc1[:, None] * rc2[None, :] * rc3
    integrand = np.zeros(weight.shape)
    nz = weight != 0
    f1b = np.broadcast_to(f1, weight.shape)[nz]
    f2b = np.broadcast_to(f2, weight.shape)[nz]
    delta_beta = 4 * pi ** 2 * (f1b - f_eval) * (f2b - f_eval) * (beta2 + pi * beta3 * (f1b + f2b - 2 * f_ref_beta))
    integrand[nz] = weight[nz] * MODE['rho'](delta_beta, rho_pump, z, alpha)
    integrand_f1 = trapezoid(integrand, f2_array, axis=1)
    return trapezoid(integrand_f1, f1_array)


def _fast_generalized_psi(f_eval, cut_frequency, cut_baud_rate, cut_roll_off, pump_frequency, pump_baud_rate,
                          pump_roll_off, f_cut_resolution, srs, alpha, beta2, beta3, f_ref_beta):
    z = srs.z
    rho_norm = srs.rho * exp(outer(alpha / 2, z))
    rho_pump = interp1d(srs.frequency, rho_norm, axis=0)(pump_frequency)
    f1_array = array([pump_frequency - (pump_baud_rate * (1 + pump_roll_off) / 2),
                      pump_frequency + (pump_baud_rate * (1 + pump_roll_off) / 2)])
    f2_array = arange(cut_frequency, cut_frequency + (cut_baud_rate * (1 + cut_roll_off) / 2), f_cut_resolution)
    f1 = f1_array[:, None]
    f2 = f2_array[None, :]
    delta_beta = 4 * pi ** 2 * (f1 - f_eval) * (f2 - f_eval) * (beta2 + pi * beta3 * (f1 + f2 - 2 * f_ref_beta))
    integrand_f2 = MODE['rho'](delta_beta, rho_pump, z, alpha)
    integrand_f1 = 2 * trapezoid(integrand_f2, f2_array, axis=1)
    return 0.5 * npsum(integrand_f1) * pump_baud_rate


def install(mode='exact'):
    MODE['rho'] = _rho_nli if mode == 'exact' else _rho_nli_rec
    if not _ORIG:
        _ORIG['psi'] = NliSolver._generalized_psi
        _ORIG['fast'] = NliSolver._fast_generalized_psi
    NliSolver._generalized_psi = staticmethod(_generalized_psi)
    NliSolver._fast_generalized_psi = staticmethod(_fast_generalized_psi)


def uninstall():
    if _ORIG:
        NliSolver._generalized_psi = staticmethod(_ORIG['psi'])
        NliSolver._fast_generalized_psi = staticmethod(_ORIG['fast'])
