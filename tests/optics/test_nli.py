"""Span NLI coefficients: fast (Toeplitz) and generic paths, ISRS limits, SRS profile."""

from __future__ import annotations

import numpy as np
import pytest

from transcaspian.optics import FibreType, nli
from transcaspian.optics import fibre as fib


def comb(n: int = 96) -> tuple[np.ndarray, ...]:
    ft = FibreType()
    f = 191.35e12 + np.arange(n) * 50e9
    rs = np.full(n, 32e9)
    return (f, rs, fib.alpha_per_m(ft, f), fib.beta2_s2_per_m(ft, f),
            fib.gamma_per_w_per_m(ft, f))


def test_toeplitz_fast_path_equals_generic_path() -> None:
    f, rs, a, b2, g = comb()
    fast = nli.gn_eta(f, rs, a, b2, g, 80e3)
    generic = nli.gn_eta(f[None], rs[None], a[None], b2[None], g[None], 80e3)[0]
    np.testing.assert_allclose(fast, generic, rtol=1e-12)
    u1, v1 = nli.isrs_eta_parts(f, rs, a, b2, g)
    u2, v2 = nli.isrs_eta_parts(f[None], rs[None], a[None], b2[None], g[None])
    np.testing.assert_allclose(u1, u2[0], rtol=1e-12)
    np.testing.assert_allclose(v1, v2[0], rtol=1e-12)


def test_isrs_closed_form_without_srs_is_close_to_gn_closed_form() -> None:
    """Semrau et al. (JLT 2019) reduce to the GN closed form for C_r = 0, up to their own
    approximations of the SPM/XPM integrals: total NLI within 0.3 dB of eq. 120."""
    f, rs, a, b2, g = comb()
    p = np.full(f.size, 1e-3)
    gn = nli.nli_power(nli.gn_eta(f, rs, a, b2, g, 100e3), p)
    isrs0 = nli.nli_power(nli.isrs_eta(f, rs, a, b2, g, 0.0, p), p)
    assert np.abs(10 * np.log10(isrs0 / gn)).max() < 0.3


def test_srs_moves_power_to_low_frequencies_and_conserves_it() -> None:
    f, _, a, _, _ = comb()
    p = np.full(f.size, 2e-3)
    rho = nli.isrs_power_ratio(f, p, 0.028e-15, float(nli.effective_length_m(a[0], 100e3)))
    assert np.all(np.diff(rho) < 0)
    assert float((rho * p).sum()) == pytest.approx(float(p.sum()), rel=1e-12)
    # ISRS closed form: low-frequency channels (which gain power) get more NLI
    f_, rs, a_, b2, g = comb()
    eta = nli.isrs_eta(f_, rs, a_, b2, g, 0.028e-15, p)
    n_lo, n_hi = nli.nli_power(eta, p)[[10, -11]]
    assert n_lo > n_hi
