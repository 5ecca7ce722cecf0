"""Fibre parameters against their textbook definitions and GNPy's reference values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import constants

from transcaspian.optics import FibreType
from transcaspian.optics import fibre as fib


def test_gamma_per_channel_matches_gnpy_reference() -> None:
    """GNPy 3.0.1 used γ = 1.236078 /W/km at 191.35 THz and 1.3145 at 196.10 THz for SSMF
    (A_eff 83 µm², n2 2.6e-20, step-index scaling; CSV column gamma_used_per_w_km)."""
    g = fib.gamma_per_w_per_m(FibreType(), np.array([191.35e12, 196.10e12])) * 1e3
    np.testing.assert_allclose(g, [1.236078, 1.3145], atol=5e-4)


def test_beta2_from_dispersion() -> None:
    """β2 = −D λ²/(2πc): −21.30 ps²/km for D = 16.7 ps/(nm km) at 1550 nm (GNPy CSV)."""
    b2 = fib.beta2_s2_per_m(FibreType(), np.array([191.35e12, 196.1e12])) * 1e27
    np.testing.assert_allclose(b2, -21.299985, atol=1e-4)
    sloped = FibreType(dispersion_slope_ps_per_nm2_km=0.06)
    f_ref = constants.c / 1550e-9
    b = fib.beta2_s2_per_m(sloped, np.array([f_ref - 1e12, f_ref, f_ref + 1e12])) * 1e27
    assert b[1] == pytest.approx(-21.299985, abs=1e-4)
    assert b[0] < b[1] < b[2]  # |β2| shrinks towards shorter wavelengths with a positive slope


def test_loss_table_and_alpha() -> None:
    ft = FibreType(loss_table={"frequency_thz": [191.0, 196.0], "loss_db_per_km": [0.2, 0.18]})
    a = fib.alpha_per_m(ft, np.array([190.0e12, 193.5e12, 197.0e12]))
    db_km = a * 1e3 * 10 * math.log10(math.e)
    np.testing.assert_allclose(db_km, [0.2, 0.19, 0.18], atol=1e-12)


def test_gamma_override_and_constant_area() -> None:
    ft = FibreType(gamma_per_w_per_km=0.8, effective_area_model="constant")
    g = fib.gamma_per_w_per_m(ft, np.array([191e12, 196e12])) * 1e3
    np.testing.assert_allclose(g, 0.8)
    a = fib.effective_area_m2(ft, np.array([191e12]))
    assert a[0] == pytest.approx(83e-12)
