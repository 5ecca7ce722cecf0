"""The generalised GN (``nli_model: generalised_gn``) against independent evaluations.

GNPy agreement is in ``tests/validation/test_gnpy_ggn.py``; here the kernel/basis machinery of
:mod:`transcaspian.optics.ggn` is checked against brute-force quadrature of the same integrals
with the exact single-span link function, and the SRS solution against a numerical ODE solve.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from transcaspian.errors import OpticsError
from transcaspian.optics import fibre as fib
from transcaspian.optics import line_case_from_dict
from transcaspian.optics.elements import FibreType
from transcaspian.optics.ggn import raised_cosine, srs_coefficients, srs_exponent
from transcaspian.optics.line import SpanCache, evaluate_line

SSMF = {"loss_db_per_km": 0.2, "dispersion_ps_per_nm_km": 16.7, "effective_area_um2": 83.0}
LENGTH_KM = 80.0


def _line(n: int, spacing_ghz: float, fibre: dict | None = None):  # type: ignore[no-untyped-def]
    return line_case_from_dict({
        "name": "ggn",
        "spectrum": {"first_channel_thz": 193.0, "last_channel_thz":
                     round(193.0 + (n - 1) * spacing_ghz / 1e3, 6), "spacing_ghz": spacing_ghz,
                     "symbol_rate_gbaud": 32.0, "roll_off": 0.15,
                     "launch_power_dbm_per_channel": -20.0},
        "fibres": {"F": fibre or SSMF},
        "elements": [{"fibre": {"type": "F", "length_km": LENGTH_KM}},
                     {"amplifier": {"gain_db": 16.0, "noise_figure_db": 5.0}}],
        "nli_model": "generalised_gn",
    })


def _link(delta_beta: np.ndarray, alpha: float, length_m: float) -> np.ndarray:
    """|∫_0^L e^{(iΔβ − α) z} dz|², no SRS (exact)."""
    w = 1j * delta_beta - alpha
    return np.asarray(np.abs(np.expm1(w * length_m) / w) ** 2)


def _constants(n: int, spacing_ghz: float):  # type: ignore[no-untyped-def]
    ft = FibreType(**SSMF)
    f = 193.0e12 + np.arange(n) * spacing_ghz * 1e9
    alpha = float(fib.alpha_per_m(ft, f)[0])
    beta2 = abs(float(fib.beta2_s2_per_m(ft, f)[0]))
    gamma = fib.gamma_per_w_per_m(ft, f)
    return alpha, beta2, gamma


def _nli_ratio(n: int, spacing_ghz: float) -> np.ndarray:
    """P_NLI / P³ of each channel from evaluate_line, all channels at -20 dBm (no SRS)."""
    res = evaluate_line(_line(n, spacing_ghz), span_cache=SpanCache())
    p = 1e-3 * 10.0 ** (-20.0 / 10.0)
    return np.asarray(10.0 ** (-res.snr_nli_db / 10.0) / p**2)


def test_self_channel_against_brute_force_double_integral() -> None:
    """One channel: ψ = ∫∫ s(f1) s(f2) s(f1 + f2 − f) |link(Δβ)|², fine midpoint grid."""
    alpha, beta2, gamma = _constants(1, 50.0)
    rs, b = 32e9, 32e9 * 1.15
    x = np.linspace(-b / 2, b / 2, 1201)
    x = 0.5 * (x[1:] + x[:-1])
    dx = x[1] - x[0]
    w = raised_cosine(x, rs, 0.15)
    xx, yy = np.meshgrid(x, x, indexing="ij")
    integrand = (w[:, None] * w[None, :] * raised_cosine(xx + yy, rs, 0.15)
                 * _link(4 * math.pi**2 * beta2 * xx * yy, alpha, LENGTH_KM * 1e3))
    psi = integrand.sum() * dx * dx
    expected = gamma[0] ** 2 * (16.0 / 27.0) * psi / rs**2
    assert _nli_ratio(1, 50.0)[0] == pytest.approx(expected, rel=2e-3)  # measured 5e-4


def test_distant_pair_against_brute_force_fast_rule() -> None:
    """Two channels 1 THz apart (beyond GNPy's 250 GHz threshold): XPM by the fast rule
    ψ = R_s Σ_{f1 = band edges} ∫_0^{B/2} |link(Δβ)|² d(f2 − f), plus the self term."""
    alpha, beta2, gamma = _constants(2, 1000.0)
    rs, b = 32e9, 32e9 * 1.15
    y = np.linspace(0.0, b / 2, 400001)
    xpm = 0.0
    for x1 in (1e12 - b / 2, 1e12 + b / 2):
        xpm += rs * np.trapezoid(_link(4 * math.pi**2 * beta2 * x1 * y, alpha,
                                       LENGTH_KM * 1e3), y)
    spm = _nli_ratio(1, 50.0)[0]  # the self term alone (checked above)
    expected = spm + gamma[0] ** 2 * (32.0 / 27.0) * xpm / rs**2
    assert _nli_ratio(2, 1000.0)[0] == pytest.approx(expected, rel=1e-3)  # measured 1e-5


def test_srs_second_order_solution_against_ode() -> None:
    """96 channels at 2 dBm over 80 km SSMF: e^{γ1+γ2} against scipy's ODE solution of
    dP/dz = P (−α + C P) -- second order leaves < 0.002 dB (measured 0.0004 dB)."""
    ft = FibreType(**SSMF)
    f = 191.35e12 + np.arange(96) * 50e9
    c = srs_coefficients(ft, f)
    np.testing.assert_allclose(c, -c.T, atol=0.0)  # SRS moves power, conserves it
    alpha = fib.alpha_per_m(ft, f)
    p0 = np.full(96, 1e-3 * 10 ** 0.2)
    z = np.linspace(0.0, LENGTH_KM * 1e3, 9)
    sol = solve_ivp(lambda _z, p: p * (-alpha + c @ p), (0.0, z[-1]), p0, t_eval=z,
                    rtol=1e-10, atol=1e-15, method="DOP853")
    exact_db = 10 * np.log10(sol.y.T / p0) + 10 * np.log10(np.e) * alpha * z[:, None]
    ours_db = 10 * np.log10(np.e) * srs_exponent(p0, alpha, c, z)
    tilt = exact_db[-1, 0] - exact_db[-1, -1]
    assert 1.0 < tilt < 4.0  # low frequencies gain
    assert np.abs(ours_db - exact_db).max() < 0.002


def test_generalised_gn_refuses_what_it_does_not_model() -> None:
    sloped = {**SSMF, "dispersion_slope_ps_per_nm2_km": 0.057}
    with pytest.raises(OpticsError, match="dispersion slope"):
        evaluate_line(_line(4, 50.0, sloped), span_cache=None)
