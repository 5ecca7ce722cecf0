"""One Raman-pumped fibre section: the coupled-equation solution turned into what the line
needs per channel (net gain, on-off gain, pump ASE, double Rayleigh backscattering, NLI weight).

:func:`pumped_span` is called by :mod:`.line` for every fibre that carries ``raman_pumps``, a
legacy ``raman``/``forward_raman`` pump or a ROPA pump sent through the line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy import constants

from ..errors import OpticsError
from ..units import FloatArray
from . import fibre as fib
from .elements import FibreType
from .raman import (
    RamanSolution,
    double_rayleigh_ratio,
    nli_profile_factor,
    raman_coefficients,
    raman_gain_spectrum,
    solve_raman,
    spontaneous_raman_ase_profile_w,
    spontaneous_raman_ase_w,
)

__all__ = ["MAX_RAMAN_ON_OFF_GAIN_DB", "Pump", "PumpedSpan", "pumped_span",
           "rin_transfer_integrals", "rin_transfer_ratio"]

#: Largest total distributed Raman on-off gain of one fibre accepted [dB] (any channel, all
#: pumps together). Beyond ~25-30 dB double Rayleigh backscattering and pump noise transfer
#: limit real amplifiers (Bromage, JLT 22(1) 2004, Sec. IV).
MAX_RAMAN_ON_OFF_GAIN_DB: float = 35.0


@dataclass(frozen=True)
class Pump:
    """A pump of one fibre: launched power [W], frequency [Hz], direction, and its origin."""

    power_w: float
    frequency_hz: float
    direction: Literal["counter", "co"]
    origin: str = "raman"
    rin_db_per_hz: float = -150.0

    @property
    def wavelength_nm(self) -> float:
        """Vacuum wavelength [nm]."""
        return constants.c / self.frequency_hz * 1e9


@dataclass(frozen=True)
class PumpedSpan:
    """Per-channel effect of the pumps of one fibre (arrays: launch shape × channels).

    Attributes
    ----------
    pumps : tuple of Pump
    gain : array (..., n)
        Net channel power gain P(L)/P(0) [-] (loss, Raman, inter-channel SRS).
    on_off_gain_db : array (..., n)
        Output with the pumps over output without them (inter-channel SRS in both) [dB].
    ase_w : array (..., n)
        Spontaneous Raman emission of the pumps at the output, in R_s [W].
    drb_ratio : array (..., n)
        Double-Rayleigh power over signal power at the output [-] (0 when not counted).
    nli_factor : array (..., n)
        :func:`~transcaspian.optics.raman.nli_profile_factor` of each channel.
    z_m : array (m,)
    gain_profile : array (..., m, n)
        P(z)/P(0) of each channel.
    pump_out_w : array (..., p)
        Residual power of each pump where it leaves the fibre [W].
    iterations : int
    ase_profile_w : array (..., m, n)
        Spontaneous Raman emission of the pumps at each ``z_m``, in R_s [W] (the solved
        profile the report draws; its last node is ``ase_w``).
    """

    pumps: tuple[Pump, ...]
    gain: FloatArray
    on_off_gain_db: FloatArray
    ase_w: FloatArray
    drb_ratio: FloatArray
    nli_factor: FloatArray
    z_m: FloatArray
    gain_profile: FloatArray
    pump_out_w: FloatArray
    iterations: int
    ase_profile_w: FloatArray | None = None
    refused: np.ndarray | None = None
    refusal: tuple[str, ...] = ()
    rin_ratio: FloatArray | float = 0.0

    @property
    def refused_mask(self) -> np.ndarray:
        """Per launch variant: the pumps were refused (solver or 35 dB guard) [bool]."""
        lead = self.gain.shape[:-1]
        if self.refused is None:
            return np.zeros(lead, dtype=bool)
        return np.broadcast_to(self.refused, lead)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (per-channel lists for a scalar launch power)."""
        on_off = self.on_off_gain_db
        out: dict[str, Any] = {
            "pumps": [{"power_w": p.power_w, "wavelength_nm": round(p.wavelength_nm, 3),
                       "direction": p.direction, "origin": p.origin} for p in self.pumps],
            "solver_iterations": self.iterations,
        }
        if self.refusal:
            out["refused"] = list(self.refusal)
        if on_off.ndim == 1:
            out["on_off_gain_db"] = [round(float(g), 4) for g in on_off]
            out["gain_ripple_db"] = round(float(np.ptp(on_off)), 4)
            out["pump_out_w"] = [float(p) for p in self.pump_out_w]
        return out


def pumped_span(ft: FibreType, length_m: float, extra_alpha_per_m: float,
                pumps: list[Pump], frequency_hz: FloatArray, symbol_rate_hz: FloatArray,
                power_in_w: FloatArray, temperature_k: float, *,
                where: str = "fibre", profile: bool = False) -> PumpedSpan:
    """Solve one Raman-pumped fibre for the channel powers ``power_in_w`` (..., n).

    Notes
    -----
    Loss of every wave from the fibre's loss table at its frequency (without a table: the
    signal loss for channels, ``pump_loss_db_per_km`` for pumps) plus the section's spread
    extra loss; A_eff(f) from the fibre's effective-area model; coupling from its Raman
    gain spectrum (:func:`~transcaspian.optics.raman.raman_coefficients`, photon
    conserving). The pumps-off reference is solved with the same channels (inter-channel SRS
    included), so the on-off gain is the pumps' own contribution, as GNPy reports it. With
    ``profile`` the pumps' ASE is also given along the fibre (``ase_profile_w``).
    """
    f_ch = np.asarray(frequency_hz, dtype=float)
    n = f_ch.size
    f_p = np.array([p.frequency_hz for p in pumps])
    f = np.concatenate([f_ch, f_p])
    alpha = fib.alpha_per_m(ft, f)
    if ft.loss_table is None:  # without a table the pumps see the fibre's pump-band loss
        alpha[n:] = fib.pump_alpha_per_m(ft)
    alpha = alpha + extra_alpha_per_m
    coeff = raman_coefficients(f, fib.effective_area_m2(ft, f),
                               raman_gain_spectrum(ft.raman_gain_spectrum))
    forward = np.concatenate([np.ones(n, bool), [p.direction == "co" for p in pumps]])
    p_in = np.asarray(power_in_w, dtype=float)
    launch = np.concatenate([p_in, np.broadcast_to([p.power_w for p in pumps],
                                                   (*p_in.shape[:-1], f_p.size))], axis=-1)
    on = solve_raman(alpha, coeff, launch, forward, length_m, on_divergence="mask")
    off = solve_raman(alpha[:n], coeff[:n, :n], p_in, forward[:n], length_m,
                      on_divergence="mask")
    ch = np.arange(n)
    pi = np.arange(n, f.size)
    out_on = on.output_w[..., :n]
    with np.errstate(divide="ignore", invalid="ignore"):
        on_off_db = 10.0 * np.log10(out_on / off.output_w)
    # the guard works from the solver's own depleted result, per launch variant
    worst = np.max(on_off_db, axis=-1)
    diverged = ~on.converged_mask
    too_high = ~diverged & ~(worst <= MAX_RAMAN_ON_OFF_GAIN_DB)
    reasons: list[str] = []
    if diverged.any():
        reasons.append(
            f"{where}: the coupled Raman equations do not converge "
            f"({int(diverged.sum())} of {diverged.size} launch variants; the pumps are too "
            "strong for this fibre: lower them)")
    if too_high.any():
        reasons.append(
            f"{where}: total distributed Raman on-off gain "
            f"{float(np.max(np.where(too_high, worst, -np.inf))):.1f} dB (all pumps together, "
            f"worst channel, depleted coupled solution) exceeds "
            f"{MAX_RAMAN_ON_OFF_GAIN_DB:.0f} dB, beyond which double Rayleigh backscattering "
            "and pump noise limit real amplifiers (lower the pumps)")
    refused = diverged | too_high
    if refused.any():  # refused variants carry the pumps-off solution (finite, flagged)
        keep = refused[..., None, None]
        power = np.concatenate([off.power_w, np.zeros((*off.power_w.shape[:-1], f_p.size))],
                               axis=-1)
        on = RamanSolution(on.z_m, np.where(keep, power, on.power_w), on.forward,
                           on.iterations, on.residual_np)
        out_on = on.output_w[..., :n]
        on_off_db = np.where(refused[..., None], 0.0, on_off_db)
    gain = out_on / np.maximum(p_in, 1e-300)
    ase = spontaneous_raman_ase_w(on, f, coeff, ch, pi, symbol_rate_hz, temperature_k)
    if ft.rayleigh_backscatter_db is not None:
        r = 2.0 * alpha[:n] * 10.0 ** (ft.rayleigh_backscatter_db / 10.0)
        drb = double_rayleigh_ratio(on, ch, float(r.mean()))
    else:
        drb = np.zeros_like(gain)
    return PumpedSpan(
        pumps=tuple(pumps),
        gain=np.asarray(gain),
        on_off_gain_db=np.asarray(on_off_db),
        ase_w=ase,
        drb_ratio=np.asarray(drb),
        nli_factor=nli_profile_factor(on, ch, alpha[:n]),
        z_m=on.z_m,
        gain_profile=np.asarray(on.power_w[..., :n] / p_in[..., None, :]),
        pump_out_w=np.asarray(on.output_w[..., n:]),
        iterations=on.iterations,
        ase_profile_w=spontaneous_raman_ase_profile_w(on, f, coeff, ch, pi, symbol_rate_hz,
                                                      temperature_k) if profile else None,
        refused=refused if refused.any() else None,
        refusal=tuple(reasons),
        rin_ratio=rin_transfer_ratio(pumps, ft, length_m, alpha[n:], on_off_db,
                                     np.asarray(symbol_rate_hz, dtype=float), f_ch),
    )


def pump_from_wavelength(power_w: float, wavelength_nm: float,
                         direction: Literal["counter", "co"], origin: str = "raman") -> Pump:
    """A :class:`Pump` from a vacuum wavelength [nm]."""
    if not (power_w > 0.0 and math.isfinite(power_w)):
        raise OpticsError(f"raman pump: power must be positive (got {power_w})")
    return Pump(float(power_w), constants.c / (wavelength_nm * 1e-9), direction, origin)


def rin_transfer_ratio(pumps: list[Pump], ft: FibreType, length_m: float,
                       pump_alpha_per_m: FloatArray, on_off_gain_db: FloatArray,
                       symbol_rate_hz: FloatArray, frequency_hz: FloatArray) -> FloatArray:
    """Noise-to-signal ratio of the pump RIN that co-pumping transfers to each channel [-].

    Parameters
    ----------
    pumps : list of Pump
    ft : FibreType
    length_m : float
    pump_alpha_per_m : array (p,)
        Attenuation of each pump [1/m].
    on_off_gain_db : array (..., n)
        On-off gain of each channel from all pumps [dB] (depleted, solved).
    symbol_rate_hz, frequency_hz : array (n,)

    Returns
    -------
    ratio : array (..., n)
        σ²/4 with σ² = ∫_0^{R_s/2} RIN_s(f) df: the field-amplitude share of the transferred
        intensity noise in the receiver's baseband, counted as additive noise (0 without
        co-pumps).

    Notes
    -----
    Fludger, Handerek & Mears, "Pump to signal RIN transfer in Raman fiber amplifiers",
    JLT 19(8):1140-1148, 2001, eq. (4) (undepleted pump):
    RIN_s(f)/RIN_p(f) = (G_Np)² α² (1 + e^{−2αL} − 2 e^{−αL} cos(2π f d L))
    / [(α² + (2π f d)²) (1 − e^{−αL})²], with G_Np = ln G_on-off the share of the on-off gain
    that pump gives (split by pump power among the co-pumps; counter-pumps give ~0 because
    d ≈ 2n/c averages their noise out above a few kHz) and d = |D| |λ_p − λ_s| the walk-off
    (D at the reference wavelength; an approximation). Only the intensity noise is counted;
    the phase noise the pump's fluctuations write on the signal through XPM is not modelled
    (negligible when the RIN term is: both scale with RIN_p and the co-pumped gain).
    """
    g = np.asarray(on_off_gain_db, dtype=float)
    if not any(p.direction == "co" for p in pumps):
        return np.zeros_like(g)
    share = np.array([p.power_w if p.direction == "co" else 0.0 for p in pumps])
    share = share / sum(p.power_w for p in pumps)
    integrals = rin_transfer_integrals(pumps, ft, length_m, pump_alpha_per_m, symbol_rate_hz,
                                       frequency_hz)
    g_np = g / fib.DB_PER_NEPER
    return np.asarray(g_np**2 * ((share**2) @ integrals) / 4.0)


def rin_transfer_integrals(pumps: list[Pump], ft: FibreType, length_m: float,
                           pump_alpha_per_m: FloatArray, symbol_rate_hz: FloatArray,
                           frequency_hz: FloatArray) -> FloatArray:
    """∫_0^{R_s/2} RIN_p H(f) df per pump and channel, H the transfer of
    :func:`rin_transfer_ratio` without its (ln G)² factor (0 for counter pumps) [-]."""
    lam_s = constants.c / np.asarray(frequency_hz, dtype=float)
    rs = np.asarray(symbol_rate_hz, dtype=float)
    fgrid = np.linspace(0.0, 1.0, 65)[:, None] * (0.5 * rs)  # (65, n) baseband [Hz]
    d_s_per_m2 = abs(ft.dispersion_ps_per_nm_km) * 1e-12 / 1e-9 / 1e3  # [s/m²]
    out = np.zeros((len(pumps), lam_s.size))
    for k, p in enumerate(pumps):
        if p.direction != "co":
            continue
        a = float(np.asarray(pump_alpha_per_m)[k])
        walk = d_s_per_m2 * np.abs(lam_s - constants.c / p.frequency_hz)  # [s/m]
        el = math.exp(-a * length_m)
        w = 2.0 * math.pi * fgrid * walk
        h = a**2 * (1.0 + el**2 - 2.0 * el * np.cos(w * length_m)) / ((a**2 + w**2)
                                                                       * (1.0 - el) ** 2)
        out[k] = np.trapezoid(h, fgrid, axis=0) * 10.0 ** (p.rin_db_per_hz / 10.0)
    return out
