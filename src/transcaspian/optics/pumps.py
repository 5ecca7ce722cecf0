"""Raman pump design: choose pump wavelengths and powers within stated bounds to maximise the
worst channel's GSNR of a counter-pumped receive-end fibre.

The candidate pumps sit on a wavelength grid; a plan gives each grid wavelength a power (most
of them zero). The bounds: at most ``max_pumps`` lit, each at most ``max_power_per_pump_w``,
together at most ``max_total_power_w``. The optimiser is :func:`scipy.optimize.
differential_evolution`: the worst-channel objective is a max-min (not smooth) and multimodal in
the wavelength choice, and its population is evaluated in one vectorised call, which maps onto
the Raman solver's batch axis (one coupled-equation solve for the whole generation). Seeded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import constants, optimize

from ..units import FloatArray
from . import fibre as fib
from .elements import FibreType, PumpLaser
from .raman import raman_coefficients, raman_gain_spectrum, solve_raman, spontaneous_raman_ase_w
from .raman_span import MAX_RAMAN_ON_OFF_GAIN_DB

__all__ = ["PumpBounds", "PumpPlan", "design_pumps"]


@dataclass(frozen=True)
class PumpBounds:
    """Bounds of a pump plan (from :class:`~transcaspian.optics.config.PumpDesignConfig`)."""

    max_pumps: int
    wavelengths_nm: tuple[float, ...]
    max_power_per_pump_w: float
    max_total_power_w: float
    design_channels: int = 8
    generations: int = 10
    seed: int = 7


@dataclass(frozen=True)
class PumpPlan:
    """A designed pump plan for one fibre.

    Attributes
    ----------
    pumps : tuple of PumpLaser
        Lit pumps, counter-propagating.
    worst_gsnr_db : float
        Worst design channel's GSNR of the objective (fibre + pre-amplifier, upstream noise
        included, NLI of the pumped fibre excluded) [dB].
    evaluations : int
        Pump plans evaluated.
    bounds : PumpBounds
    """

    pumps: tuple[PumpLaser, ...]
    worst_gsnr_db: float
    evaluations: int
    bounds: PumpBounds

    @property
    def total_power_w(self) -> float:
        """Sum of the pump powers [W]."""
        return float(sum(p.power_w for p in self.pumps))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain Python."""
        b = self.bounds
        return {
            "pumps": [p.model_dump() for p in self.pumps],
            "total_power_w": round(self.total_power_w, 4),
            "objective_worst_gsnr_db": round(self.worst_gsnr_db, 3),
            "evaluations": self.evaluations,
            "bounds": {"max_pumps": b.max_pumps, "wavelengths_nm": list(b.wavelengths_nm),
                       "max_power_per_pump_w": b.max_power_per_pump_w,
                       "max_total_power_w": b.max_total_power_w},
            "optimiser": "scipy.optimize.differential_evolution (vectorised population)",
        }


def _project(x: FloatArray, bounds: PumpBounds) -> FloatArray:
    """Keep the ``max_pumps`` strongest pumps of each plan (rows) and scale the plan down to
    the total-power bound."""
    x = np.clip(np.asarray(x, dtype=float), 0.0, bounds.max_power_per_pump_w)
    if x.shape[-1] > bounds.max_pumps:
        cut = np.sort(x, axis=-1)[..., -bounds.max_pumps][..., None]
        x = np.where(x >= cut, x, 0.0)
    total = x.sum(axis=-1, keepdims=True)
    return np.asarray(x * np.minimum(1.0, bounds.max_total_power_w / np.maximum(total, 1e-30)))


def design_pumps(ft: FibreType, length_m: float, extra_alpha_per_m: float,
                 frequency_hz: FloatArray, symbol_rate_hz: FloatArray, signal_in_w: FloatArray,
                 noise_in_w: FloatArray, out_loss_db: float, preamp_noise_figure_db: float,
                 b2b_snr_db: float | None, bounds: PumpBounds,
                 temperature_k: float = 300.0) -> PumpPlan:
    """Counter-pump plan that maximises the worst channel's GSNR after the fibre.

    Parameters
    ----------
    ft : FibreType
    length_m, extra_alpha_per_m : float
        Fibre length [m] and spread extra loss (end of life) [1/m].
    frequency_hz, symbol_rate_hz : array (n,)
    signal_in_w, noise_in_w : array (..., n)
        Signal and accumulated noise (ASE + NLI) per channel at the fibre input [W]; leading
        axes are launch variants (e.g. tilts): a plan scores its best variant.
    out_loss_db : float
        Lumped loss between the fibre and the pre-amplifier [dB].
    preamp_noise_figure_db : float
    b2b_snr_db : float or None
        Transceiver back-to-back SNR [dB].
    bounds : PumpBounds

    Returns
    -------
    PumpPlan

    Notes
    -----
    Objective per channel: 1/GSNR = N_in G/(S_in G) + (P_ASE,R + NF h f R_s/η_out)/(S_in G η_out)
    + 1/SNR_b2b, with the net gain G and Raman ASE from :func:`.raman.solve_raman` on every
    ``n/design_channels``-th channel (the total input power kept, so the inter-channel SRS and
    the pump depletion are those of the full comb). The NLI added in the pumped fibre itself is
    left out (counter-pumping raises it little; the line evaluation counts it afterwards).
    A plan whose on-off gain exceeds the 35 dB guard scores −∞.
    """
    f_all = np.asarray(frequency_hz, dtype=float)
    step = max(1, math.ceil(f_all.size / bounds.design_channels))
    sub = np.arange(0, f_all.size, step)
    if sub[-1] != f_all.size - 1:
        sub = np.append(sub, f_all.size - 1)
    scale = f_all.size / sub.size
    f_ch = f_all[sub]
    n = f_ch.size
    f_p = constants.c / (np.asarray(bounds.wavelengths_nm) * 1e-9)
    k = f_p.size
    f = np.concatenate([f_ch, f_p])
    alpha = fib.alpha_per_m(ft, f)
    if ft.loss_table is None:
        alpha[n:] = fib.pump_alpha_per_m(ft)
    alpha = alpha + extra_alpha_per_m
    coeff = raman_coefficients(f, fib.effective_area_m2(ft, f),
                               raman_gain_spectrum(ft.raman_gain_spectrum))
    forward = np.arange(f.size) < n
    s_in = np.asarray(signal_in_w, dtype=float)[..., sub] * scale  # (T, n): launch variants
    n_in = np.asarray(noise_in_w, dtype=float)[..., sub] * scale
    p_in = s_in + n_in
    rs = np.asarray(symbol_rate_hz, dtype=float)[sub]
    off = solve_raman(alpha[:n], coeff[:n, :n], p_in, forward[:n], length_m).output_w
    eta_out = 10.0 ** (-out_loss_db / 10.0)
    pre = 10.0 ** (preamp_noise_figure_db / 10.0) * constants.h * f_ch * rs * scale
    trx = 0.0 if b2b_snr_db is None else 10.0 ** (-b2b_snr_db / 10.0)
    count = [0]

    def objective(x: FloatArray) -> FloatArray:
        powers = _project(np.asarray(x, dtype=float).T, bounds)  # (B, K)
        count[0] += powers.shape[0]
        lead = (powers.shape[0], *p_in.shape[:-1])
        pw = np.maximum(powers, 1e-9).reshape(powers.shape[0], *([1] * (p_in.ndim - 1)), k)
        launch = np.concatenate([np.broadcast_to(p_in, (*lead, n)),
                                 np.broadcast_to(pw, (*lead, k))], axis=-1)
        sol = solve_raman(alpha, coeff, launch, forward, length_m, tolerance_np=1e-5)
        out = sol.output_w[..., :n]
        g = out / p_in
        ase = spontaneous_raman_ase_w(sol, f, coeff, np.arange(n), np.arange(n, f.size), rs,
                                      temperature_k) * scale
        inv = n_in / s_in + (ase + pre / eta_out) / (s_in * g) + trx
        worst = 10.0 * np.log10(1.0 / inv.max(axis=-1))
        on_off_db = 10.0 * np.log10(out / off).max(axis=-1)
        worst = np.where(on_off_db > MAX_RAMAN_ON_OFF_GAIN_DB, -1e3, worst)
        return np.asarray(-worst.reshape(worst.shape[0], -1).max(axis=-1))

    res = optimize.differential_evolution(
        objective, [(0.0, bounds.max_power_per_pump_w)] * k, maxiter=bounds.generations,
        popsize=max(3, math.ceil(24 / k)), tol=1e-3, seed=bounds.seed, polish=False,
        vectorized=True, updating="deferred", init="sobol")
    best = _project(res.x[None, :], bounds)[0]
    lit = [i for i in range(k) if best[i] >= 1e-3]
    pumps = tuple(PumpLaser(power_w=round(float(best[i]), 4),
                            wavelength_nm=float(bounds.wavelengths_nm[i]), direction="counter")
                  for i in lit)
    return PumpPlan(pumps, float(-res.fun), count[0], bounds)
