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
    double_rayleigh_ratio,
    nli_profile_factor,
    raman_coefficients,
    raman_gain_spectrum,
    solve_raman,
    spontaneous_raman_ase_profile_w,
    spontaneous_raman_ase_w,
    undepleted_on_off_gain_np,
)

__all__ = ["MAX_RAMAN_ON_OFF_GAIN_DB", "Pump", "PumpedSpan", "pumped_span"]

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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (per-channel lists for a scalar launch power)."""
        on_off = self.on_off_gain_db
        out: dict[str, Any] = {
            "pumps": [{"power_w": p.power_w, "wavelength_nm": round(p.wavelength_nm, 3),
                       "direction": p.direction, "origin": p.origin} for p in self.pumps],
            "solver_iterations": self.iterations,
        }
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
    try:
        on = solve_raman(alpha, coeff, launch, forward, length_m)
    except OpticsError:
        est = undepleted_on_off_gain_np(coeff[:n, n:], launch[..., n:], alpha[n:], length_m)
        raise OpticsError(
            f"{where}: the coupled Raman equations diverge; the undepleted estimate of the "
            f"total distributed Raman on-off gain is {float(np.max(est)) * fib.DB_PER_NEPER:.0f} "
            f"dB (all pumps together), above the {MAX_RAMAN_ON_OFF_GAIN_DB:.0f} dB accepted "
            "(lower the pumps)") from None
    off = solve_raman(alpha[:n], coeff[:n, :n], p_in, forward[:n], length_m)
    ch = np.arange(n)
    pi = np.arange(n, f.size)
    out_on = on.output_w[..., :n]
    gain = out_on / np.maximum(p_in, 1e-300)
    with np.errstate(divide="ignore"):
        on_off_db = 10.0 * np.log10(out_on / off.output_w)
    worst = float(np.max(on_off_db))
    if worst > MAX_RAMAN_ON_OFF_GAIN_DB:
        raise OpticsError(
            f"{where}: total distributed Raman on-off gain {worst:.1f} dB (all pumps together, "
            f"worst channel) exceeds {MAX_RAMAN_ON_OFF_GAIN_DB:.0f} dB, beyond which double "
            "Rayleigh backscattering and pump noise limit real amplifiers (lower the pumps)")
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
    )


def pump_from_wavelength(power_w: float, wavelength_nm: float,
                         direction: Literal["counter", "co"], origin: str = "raman") -> Pump:
    """A :class:`Pump` from a vacuum wavelength [nm]."""
    if not (power_w > 0.0 and math.isfinite(power_w)):
        raise OpticsError(f"raman pump: power must be positive (got {power_w})")
    return Pump(float(power_w), constants.c / (wavelength_nm * 1e-9), direction, origin)
