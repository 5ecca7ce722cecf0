"""Vectorised GSNR of many uniform line designs at once (design-space sweeps).

A uniform line: a cable of ``length_km`` cut into ``repeaters + 1`` equal spans of one fibre
type, an EDFA after each span restoring the launch power (flat launch per channel), GN closed
form with incoherent accumulation over spans. Every argument broadcasts; a sweep of 10⁵
designs is array work over (designs, channels), in chunks to bound memory.

The span NLI needs no per-design channel-pair matrix: in eq. 120 of arXiv:1209.0394 the span
length enters only through L_eff², so η_i(L) = η_i(∞) (α L_eff(L))² with η_i(∞) = Σ_j η_ij
computed once per fibre type (L_eff → 1/α). Against :func:`~transcaspian.optics.evaluate_line`
on the same line the only difference is GNPy's span-by-span bookkeeping (NLI from the total
power including ASE), worth < 0.05 dB near the optimum launch power.

With ``nli_model="isrs_gn_closed_form"`` the spans are propagated one by one (the SRS tilt
accumulates and changes each span's NLI), still vectorised over designs: each span costs two
(designs × n) @ (n × n) products, using the decomposition η_ik = w1_ik T_k + w2_ik of
:func:`~transcaspian.optics.nli.isrs_eta_parts`. The result equals
:func:`~transcaspian.optics.evaluate_line` on the same line.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import constants

from ..errors import OpticsError
from ..units import FloatArray
from . import fibre as fib
from .elements import FibreType, Spectrum
from .line import channel_frequencies_hz
from .nli import effective_length_m, gn_eta, isrs_eta_parts, isrs_power_ratio, isrs_t

__all__ = ["uniform_line_gsnr_db"]


def _fibre_tables(fibres: Sequence[FibreType], f: FloatArray,
                  rs: FloatArray) -> tuple[FloatArray, FloatArray]:
    """α (t, n) [1/m] and η(∞) summed over interferers (t, n) [1/W²] per fibre type."""
    alpha = np.stack([fib.alpha_per_m(ft, f) for ft in fibres])
    eta_inf = np.stack([
        gn_eta(f, rs, fib.alpha_per_m(ft, f), fib.beta2_s2_per_m(ft, f),
               fib.gamma_per_w_per_m(ft, f), 1e9).sum(axis=-1)
        for ft in fibres
    ])
    return alpha, eta_inf


def _isrs_tables(fibres: Sequence[FibreType], f: FloatArray,
                 rs: FloatArray) -> list[tuple[FloatArray, FloatArray, FloatArray, float]]:
    """Per fibre type: α (n,), W1, W2 (n, n) for L_eff = 1/α, and C_r (see line._span)."""
    out = []
    for ft in fibres:
        a = fib.alpha_per_m(ft, f)
        b2 = fib.beta2_s2_per_m(ft, f)
        g = fib.gamma_per_w_per_m(ft, f)
        eta = gn_eta(f, rs, a, b2, g, 1e9)
        u, v = isrs_eta_parts(f, rs, a, b2, g)
        scale = eta / (u * isrs_t(f, a, 0.0, np.ones_like(f)) + v)
        out.append((a, u * scale, v * scale, fib.raman_gain_slope_per_w_per_m_per_hz(ft)))
    return out


def _isrs_chunk(tables: list[tuple[FloatArray, FloatArray, FloatArray, float]], idx: FloatArray,
                length_m: FloatArray, spans: FloatArray, p_w: FloatArray, nf: FloatArray,
                extra_lin: FloatArray, f: FloatArray, hfb: FloatArray) -> FloatArray:
    """Span-by-span ISRS propagation of one chunk; returns (signal, noise) (m, n)."""
    m, n = idx.size, f.size
    launch = np.broadcast_to(p_w, (m, n))
    sig = launch.copy()
    ase = np.zeros((m, n))
    nli = np.zeros((m, n))
    for t, (a, w1, w2, cr) in enumerate(tables):
        sel = idx == t
        if not sel.any():
            continue
        span_m = (length_m[sel] / spans[sel])[:, None]
        a_mean = float(a.mean())
        l_eff = effective_length_m(a_mean, span_m)          # (k, 1)
        leff_scale = (a_mean * l_eff) ** 2
        loss = np.exp(-a * span_m) / extra_lin[sel][:, None]
        s, e, q = sig[sel], ase[sel], nli[sel]
        lw = launch[sel]
        for k in range(int(spans[sel].max())):
            on = (k < spans[sel])[:, None]
            tot = s + e + q
            tk = isrs_t(f, a, cr, tot)
            t2 = tot**2
            new = np.minimum(tot * ((tk * t2) @ w1.T + t2 @ w2.T) * leff_scale, 0.99 * tot)
            r = new / tot
            rho = isrs_power_ratio(f, tot, cr, l_eff[:, 0])
            s2, e2, q2 = s * (1 - r), e * (1 - r), q * (1 - r) + new
            evol = loss * rho
            s2, e2, q2 = s2 * evol, e2 * evol, q2 * evol
            gain = lw.sum(axis=-1, keepdims=True) / (s2 + e2 + q2).sum(axis=-1, keepdims=True)
            s2, e2, q2 = s2 * gain, e2 * gain + nf[sel] * hfb * gain, q2 * gain
            s, e, q = np.where(on, s2, s), np.where(on, e2, e), np.where(on, q2, q)
        sig[sel], ase[sel], nli[sel] = s, e, q
    return np.asarray(sig / (ase + nli))


def uniform_line_gsnr_db(
    spectrum: Spectrum,
    fibres: Sequence[FibreType],
    *,
    fibre_index: npt.ArrayLike,
    length_km: npt.ArrayLike,
    repeaters: npt.ArrayLike,
    launch_power_dbm: npt.ArrayLike,
    noise_figure_db: npt.ArrayLike = 5.0,
    extra_loss_db_per_span: npt.ArrayLike = 0.0,
    b2b_snr_db: float | None = None,
    reduce: str = "min",
    nli_model: str = "gn_closed_form",
    chunk: int = 4096,
) -> FloatArray:
    """GSNR of uniform repeatered/unrepeatered lines, vectorised over designs.

    Parameters
    ----------
    spectrum : Spectrum
        Channel plan (flat launch: tilt and pre-emphasis are ignored here).
    fibres : sequence of FibreType
        Candidate fibre types; ``fibre_index`` selects one per design.
    fibre_index, length_km, repeaters, launch_power_dbm, noise_figure_db,
    extra_loss_db_per_span : array_like, broadcast together
        Design parameters: fibre type index, cable length [km], number of in-line
        repeaters (spans = repeaters + 1), launch power per channel [dBm], EDFA noise figure
        [dB], extra loss per span (ageing, repairs, connectors) [dB].
    b2b_snr_db : float, optional
        Transceiver back-to-back SNR [dB].
    reduce : {"min", "none"}
        Return the worst channel's GSNR (shape = broadcast shape) or every channel (+ n axis).
    nli_model : {"gn_closed_form", "isrs_gn_closed_form"}
        GN closed form (spans add up in closed form), or the ISRS closed form propagated span
        by span with GNPy's bookkeeping (SRS tilt accumulating, EDFAs restoring the total
        power) -- the same physics as :func:`~transcaspian.optics.evaluate_line`.
    chunk : int
        Designs per chunk.

    Returns
    -------
    gsnr_db : ndarray

    Notes
    -----
    Per span: P_ASE = NF h f R_s G with G the span loss (GNPy convention), P_NLI = η(L) P³;
    over N spans both add up incoherently (Poggiolini et al., JLT 32(4) 2014, eqs. 3 and 40 with
    ε = 0); GSNR = P / (N P_ASE + N P_NLI) combined with the back-to-back SNR.
    """
    if reduce not in ("min", "none"):
        raise OpticsError(f"reduce: must be 'min' or 'none' (got {reduce!r})")
    if nli_model not in ("gn_closed_form", "isrs_gn_closed_form"):
        raise OpticsError(f"nli_model: unknown model {nli_model!r}")
    if not fibres:
        raise OpticsError("fibres: give at least one fibre type")
    arrays = np.broadcast_arrays(
        np.asarray(fibre_index), np.asarray(length_km, dtype=float),
        np.asarray(repeaters), np.asarray(launch_power_dbm, dtype=float),
        np.asarray(noise_figure_db, dtype=float), np.asarray(extra_loss_db_per_span, dtype=float))
    shape = arrays[0].shape
    idx, length, reps, p_dbm, nf_db, extra = (a.ravel() for a in arrays)
    if idx.size and (idx.min() < 0 or idx.max() >= len(fibres)):
        raise OpticsError("fibre_index: out of range of the fibre list")
    if np.any(length <= 0) or np.any(reps < 0):
        raise OpticsError("length_km must be > 0 and repeaters >= 0")
    f = channel_frequencies_hz(spectrum)
    rs = np.full_like(f, spectrum.symbol_rate_gbaud * 1e9)
    alpha_t, eta_t = _fibre_tables(fibres, f, rs)
    tables = _isrs_tables(fibres, f, rs) if nli_model == "isrs_gn_closed_form" else []
    hfb = constants.h * f * rs  # (n,)
    inv_b2b = 0.0 if b2b_snr_db is None else 10.0 ** (-b2b_snr_db / 10.0)
    n = f.size
    out = np.empty((idx.size,) if reduce == "min" else (idx.size, n))
    for s in range(0, idx.size, chunk):
        sl = slice(s, s + chunk)
        a = alpha_t[idx[sl].astype(int)]                      # (m, n)
        spans = reps[sl].astype(float) + 1.0
        span_m = (length[sl] * 1e3 / spans)[:, None]          # (m, 1)
        x = a * span_m
        gain = np.exp(x) * (10.0 ** (extra[sl] / 10.0))[:, None]
        l_eff_a = -np.expm1(-x)                               # α L_eff
        p = (1e-3 * 10.0 ** (p_dbm[sl] / 10.0))[:, None]
        nf = (10.0 ** (nf_db[sl] / 10.0))[:, None]
        ase = spans[:, None] * nf * hfb * gain
        nli = spans[:, None] * eta_t[idx[sl].astype(int)] * l_eff_a**2 * p**3
        if tables:
            snr = _isrs_chunk(tables, idx[sl].astype(int), length[sl] * 1e3, spans, p, nf,
                              10.0 ** (extra[sl] / 10.0), f, hfb)
            inv = 1.0 / snr + inv_b2b
        else:
            inv = (ase + nli) / p + inv_b2b
        g = -10.0 * np.log10(inv)
        out[sl] = g.min(axis=-1) if reduce == "min" else g
    return out.reshape(shape if reduce == "min" else (*shape, n))
