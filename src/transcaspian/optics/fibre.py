"""Fibre physics: attenuation, dispersion and nonlinear coefficient per channel frequency.

Pure functions of a :class:`~transcaspian.optics.elements.FibreType` and an array of
frequencies [Hz]; SI units inside (1/m, s²/m, 1/(W m)).
"""

from __future__ import annotations

import math

import numpy as np

from ..units import SPEED_OF_LIGHT_M_PER_S, FloatArray
from .elements import FibreType

__all__ = [
    "DB_PER_NEPER",
    "alpha_per_m",
    "beta2_s2_per_m",
    "effective_area_m2",
    "gamma_per_w_per_m",
    "pump_alpha_per_m",
    "raman_efficiency_per_w_per_m",
    "raman_gain_slope_per_w_per_m_per_hz",
    "reference_frequency_hz",
]

#: Decibels per neper of power: 10 log10(e) [dB].
DB_PER_NEPER: float = 10.0 * math.log10(math.e)

#: Slope of the triangular approximation of the SSMF Raman gain [1/(W km THz)] at A_eff 80 µm².
#: Equal-area fit of C_r Δf to g_R(Δf)/A_eff over 0-4.75 THz (a full C band) of the SSMF Raman
#: gain table GNPy 3.0.1 uses by default (D'Amico et al., JLT 2022), scaled to a C-band pump
#: frequency and referred to 80 µm² (the least-squares fit over 0-5 THz gives 0.029); Semrau et
#: al. (JLT 2019, Sec. IV) use 0.028 1/(W km THz) for SSMF.
SSMF_RAMAN_SLOPE_PER_W_KM_THZ_80UM2: float = 0.0300
#: Peak Raman efficiency g_R/A_eff of SSMF for a ~13 THz pump-signal offset [1/(W km)] at 80 µm²
#: (Bromage, JLT 22(1) 2004, Fig. 2: ~0.4-0.45 1/(W km) for SMF with a 1450 nm pump).
SSMF_RAMAN_EFFICIENCY_PER_W_KM_80UM2: float = 0.42


def reference_frequency_hz(fibre: FibreType) -> float:
    """Frequency of the fibre's reference wavelength [Hz]."""
    return SPEED_OF_LIGHT_M_PER_S / (fibre.reference_wavelength_nm * 1e-9)


def alpha_per_m(fibre: FibreType, frequency_hz: FloatArray) -> FloatArray:
    """Power attenuation coefficient α [1/m] at each frequency.

    Notes
    -----
    α = loss_dB/km / (10 log10 e) / 1000; from ``loss_table`` by linear interpolation when given.
    """
    f = np.asarray(frequency_hz, dtype=float)
    if fibre.loss_table is not None:
        loss = np.interp(
            f,
            np.asarray(fibre.loss_table.frequency_thz) * 1e12,
            np.asarray(fibre.loss_table.loss_db_per_km),
        )
    else:
        loss = np.full_like(f, fibre.loss_db_per_km)
    return np.asarray(loss / DB_PER_NEPER / 1e3, dtype=float)


def pump_alpha_per_m(fibre: FibreType) -> float:
    """Attenuation at the Raman/ROPA pump wavelength [1/m] (default: signal loss + 0.03 dB/km)."""
    loss = fibre.pump_loss_db_per_km
    if loss is None:
        loss = fibre.loss_db_per_km + 0.03
    return loss / DB_PER_NEPER / 1e3


def beta2_s2_per_m(fibre: FibreType, frequency_hz: FloatArray) -> FloatArray:
    """Group-velocity dispersion β2 [s²/m] at each frequency.

    Notes
    -----
    β2 = −D λ² / (2π c) at the reference wavelength and β3 = λ² (λ² S + 2 λ D) / (2π c)²,
    β2(f) = β2 + 2π β3 (f − f_ref) (Agrawal, *Nonlinear Fiber Optics*, eq. 1.2.11-1.2.13).
    Without a slope (``null``) β2 is constant over the band, as in GNPy.
    """
    lam = fibre.reference_wavelength_nm * 1e-9
    d = fibre.dispersion_ps_per_nm_km * 1e-6  # s/m²
    f = np.asarray(frequency_hz, dtype=float)
    if fibre.dispersion_slope_ps_per_nm2_km is None:
        return np.full_like(f, -d * lam**2 / (2.0 * math.pi * SPEED_OF_LIGHT_M_PER_S))
    s = fibre.dispersion_slope_ps_per_nm2_km * 1e3  # s/m³
    c = SPEED_OF_LIGHT_M_PER_S
    beta2 = -d * lam**2 / (2.0 * math.pi * c)
    beta3 = lam**2 * (lam**2 * s + 2.0 * lam * d) / (2.0 * math.pi * c) ** 2
    return np.asarray(beta2 + 2.0 * math.pi * beta3 * (f - reference_frequency_hz(fibre)))


def effective_area_m2(fibre: FibreType, frequency_hz: FloatArray) -> FloatArray:
    """Effective area A_eff(f) [m²].

    Notes
    -----
    ``step_index_scaling``: Gaussian mode of a step-index fibre of core radius a (Marcuse, BSTJ
    56, 1977, eq. 10 in the simplified form w = a / sqrt(ln V)): A_eff = π w² = π a² / ln V with
    V ∝ f, so A_eff(f) = π a² / (π a² / A_eff,ref + ln(f / f_ref)). This is the scaling GNPy
    3.0.1 applies (``FiberParams.effective_area_scaling``; core radius 4.2 µm).
    """
    f = np.asarray(frequency_hz, dtype=float)
    a_ref = fibre.effective_area_um2 * 1e-12
    if fibre.effective_area_model == "constant":
        return np.full_like(f, a_ref)
    pa2 = math.pi * (fibre.core_radius_um * 1e-6) ** 2
    return np.asarray(pa2 / (pa2 / a_ref + np.log(f / reference_frequency_hz(fibre))))


def gamma_per_w_per_m(fibre: FibreType, frequency_hz: FloatArray) -> FloatArray:
    """Nonlinear coefficient γ(f) [1/(W m)].

    Notes
    -----
    γ = 2π n2 f / (c A_eff(f)) (Agrawal, *Nonlinear Fiber Optics*, eq. 2.3.29), evaluated at each
    channel frequency as GNPy does; a given ``gamma_per_w_per_km`` rescales it so that γ(f_ref)
    equals the given value. With ``effective_area_model: constant`` γ is constant.
    """
    f = np.asarray(frequency_hz, dtype=float)
    f_ref = reference_frequency_hz(fibre)
    c = SPEED_OF_LIGHT_M_PER_S
    a_ref = fibre.effective_area_um2 * 1e-12
    gamma_ref = 2.0 * math.pi * fibre.n2_m2_per_w * f_ref / (c * a_ref)
    given = fibre.gamma_per_w_per_km
    target = given * 1e-3 if given is not None else gamma_ref
    if fibre.effective_area_model == "constant":
        return np.full_like(f, target)
    gamma = 2.0 * math.pi * fibre.n2_m2_per_w * f / (c * effective_area_m2(fibre, f))
    return np.asarray(gamma * (target / gamma_ref))


def raman_gain_slope_per_w_per_m_per_hz(fibre: FibreType) -> float:
    """Slope C_r of the triangular Raman gain g_R(Δf)/A_eff ≈ C_r Δf [1/(W m Hz)].

    Notes
    -----
    Triangular approximation of the Raman gain spectrum up to ~15 THz (Christodoulides & Jander,
    IEEE PTL 8(12) 1996; Semrau et al., JLT 37(9) 2019, eq. 2). Default: SSMF value scaled by
    80 µm² / A_eff.
    """
    cr = fibre.raman_gain_slope_per_w_km_thz
    if cr is None:
        cr = SSMF_RAMAN_SLOPE_PER_W_KM_THZ_80UM2 * 80.0 / fibre.effective_area_um2
    return cr * 1e-3 / 1e12


def raman_efficiency_per_w_per_m(fibre: FibreType) -> float:
    """Peak Raman efficiency g_R/A_eff for a ~13 THz pump-signal offset [1/(W m)]."""
    eff = fibre.raman_efficiency_per_w_km
    if eff is None:
        eff = SSMF_RAMAN_EFFICIENCY_PER_W_KM_80UM2 * 80.0 / fibre.effective_area_um2
    return eff * 1e-3
