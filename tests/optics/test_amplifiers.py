"""Distributed Raman and ROPA models against their closed forms and published ranges."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _lines import SSMF, spectrum
from scipy import constants

from transcaspian.optics import RamanPump, Ropa, evaluate_line, line_case_from_dict
from transcaspian.optics.amplifiers import raman_profile, ropa_response


def test_undepleted_counter_pump_gain_is_exp_gr_p_leff() -> None:
    """G_on-off = exp(g_R P0 L_eff,p) (Bromage, JLT 22(1) 2004, eq. 3)."""
    g_r, alpha_p, length = 0.4e-3, 0.25 / 4.343 / 1e3, 100e3
    z = np.linspace(0.0, length, 201)
    prof = raman_profile(RamanPump(pump_power_w=0.5), g_r, alpha_p, length, z)
    l_eff = (1 - math.exp(-alpha_p * length)) / alpha_p
    assert prof.on_off_gain_db == pytest.approx(10 * math.log10(math.e) * g_r * 0.5 * l_eff,
                                                 rel=1e-9)
    # counter-pumped: most of the gain in the last L_eff,p of the fibre
    assert prof.log_gain[100] < 0.1 * prof.log_gain[-1]
    co = raman_profile(RamanPump(pump_power_w=0.5, direction="co"), g_r, alpha_p, length, z)
    assert co.on_off_gain_db == pytest.approx(prof.on_off_gain_db, rel=1e-9)
    assert co.log_gain[100] > 0.9 * co.log_gain[-1]


def test_given_gain_reproduces_the_gain() -> None:
    z = np.linspace(0.0, 80e3, 101)
    prof = raman_profile(RamanPump(model="given_gain", on_off_gain_db=12.0), 0.4e-3, 6e-5,
                         80e3, z)
    assert 10 * math.log10(math.e) * prof.log_gain[-1] == pytest.approx(12.0, rel=1e-9)


def _raman_line(gain_db: float) -> dict:
    return {
        "name": "raman",
        "spectrum": spectrum(8, -10.0),
        "fibres": {"SSMF": dict(SSMF)},
        "elements": [
            {"fibre": {"type": "SSMF", "length_km": 100.0,
                       "raman": {"model": "given_gain", "on_off_gain_db": gain_db}}},
            {"amplifier": {"gain_db": 0.0, "noise_figure_db": 3.0}},
        ],
    }


def test_backward_raman_equivalent_noise_figure_is_in_published_range() -> None:
    """Equivalent NF of backward-pumped distributed Raman with 10-20 dB on-off gain over
    100 km of SMF: about -4 to 0 dB (Bromage 2004, Sec. III-B and Fig. 7)."""
    for gain_db in (10.0, 15.0, 20.0):
        res = evaluate_line(line_case_from_dict(_raman_line(gain_db)))
        f = res.frequency_thz * 1e12
        hfb = constants.h * f * 32e9
        ase = 10 ** (res.ase_power_dbm / 10) * 1e-3 - 10 ** 0.3 * hfb  # minus the NF-3 dB stage
        nf_eq_db = 10 * np.log10(ase / (hfb * 10 ** (gain_db / 10)))
        assert np.all((nf_eq_db > -4.5) & (nf_eq_db < 0.5)), (gain_db, nf_eq_db)
        # the signal gains exactly the on-off gain over the passive fibre
        assert res.signal_power_dbm[4] == pytest.approx(-10.0 - 20.0 + gain_db, abs=0.01)


def _ropa_at_1550(ropa: Ropa, d_m: float, p_in_w: float):
    """One channel at 1550 nm through ``ropa`` pumped ``d_m`` away."""
    return ropa_response(ropa, d_m, 0.0, np.array([constants.c / 1550e-9]),
                         np.array([p_in_w]), np.array([32e9]))


def test_ropa_small_signal_and_pump_limited_gain() -> None:
    ropa = Ropa(model="pump_limited", pump_power_w=1.0, pump_path="dedicated",
                dedicated_fibre_loss_db_per_km=0.2, small_signal_gain_db=25.0,
                power_conversion_efficiency=0.5)
    d = 100e3
    weak = _ropa_at_1550(ropa, d, 1e-7)
    p_res = 1.0 * 10 ** (-0.2 * 100 / 10)
    assert weak.residual_pump_w == pytest.approx(p_res, rel=1e-9)
    assert 10 * math.log10(float(weak.gain_lin[0])) == pytest.approx(25.0)
    strong = _ropa_at_1550(ropa, d, 1e-3)
    expected = 1 + 0.5 * (1480 / 1550) * p_res / 1e-3
    assert float(strong.gain_lin[0]) == pytest.approx(expected, rel=1e-9)


def test_ropa_noise_figure_rises_as_the_residual_pump_falls() -> None:
    ropa = Ropa(model="pump_limited", pump_power_w=1.0)
    nf = [float(_ropa_at_1550(ropa, d * 1e3, 1e-5).noise_figure_lin[0])
          for d in (50, 100, 150, 200)]
    assert nf == sorted(nf)
    assert 10 * math.log10(nf[0]) == pytest.approx(ropa.min_noise_figure_db, abs=0.1)
