"""The Giles–Desurvire EDF solver against limits derived by hand and an independent solver.

Every expected value here comes from the model's equations solved by hand in a limit (uniform
inversion, transparency), from conservation of energy, or from a different numerical method
(collocation with scipy's solve_bvp on the full equations, spontaneous emission in the rate
equations); none is the fast solver's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import constants

from transcaspian.optics.erbium import (
    EdfParameters,
    absorption_relative,
    emission_relative,
    giles_amplifier,
    giles_amplifier_bvp,
)

F_PUMP = constants.c / 1480e-9
C_BAND = np.linspace(191.4e12, 196.1e12, 8)


def test_mccumber_emission_equals_absorption_at_the_crossing_and_falls_at_1480_nm() -> None:
    f_eps = constants.c / 1531e-9
    assert emission_relative(np.array([f_eps]))[0] == pytest.approx(
        absorption_relative(np.array([f_eps]))[0], rel=1e-12)
    # σe/σa = exp(h(ν_ε − ν)/kT): at 1480 nm, 295 K, by hand 0.347 (hc/kT = 4.877e-5 m)
    ratio = emission_relative(np.array([F_PUMP]))[0] / absorption_relative(np.array([F_PUMP]))[0]
    by_hand = math.exp(-(1 / 1480e-9 - 1 / 1531e-9) * constants.h * constants.c
                       / (constants.k * 295.0))
    assert ratio == pytest.approx(by_hand, rel=1e-9)
    assert 0.30 < ratio < 0.40


def test_uniform_inversion_limit_matches_the_closed_form() -> None:
    """A pump far above saturation in a short fibre holds n2 at its 1480 nm ceiling
    n2_max = α_p/(α_p + g*_p) everywhere, so a weak signal's gain is
    exp(((α + g*) n2_max − α) L) (Giles & Desurvire 1991, Sec. II, with uniform n2)."""
    edf = EdfParameters(length_m=2.0, peak_absorption_db_per_m=6.0)
    a, g = edf.coefficients(C_BAND)
    ap, gp = edf.coefficients(np.array([F_PUMP]))
    n2_max = float(ap[0] / (ap[0] + gp[0]))
    expected_db = 10 / math.log(10) * ((a + g) * n2_max - a) * edf.length_m
    res = giles_amplifier(edf, C_BAND, np.full(8, 1e-9), F_PUMP, 20.0, ase_iterations=0)
    assert 10 * np.log10(res.gain) == pytest.approx(expected_db, abs=0.02)
    assert np.allclose(res.inversion, n2_max, atol=2e-3)


def test_transparency_pump_gives_zero_gain_at_the_signal() -> None:
    """Signal transparency n2 = α_s/(α_s + g*_s); with the pump alone setting n2,
    n2 = q α_p/(1 + q(α_p + g*_p)), q = P/(h ν_p ζ) (Giles & Desurvire 1991, Sec. II),
    so P_tr = h ν_p ζ n2 / (α_p − n2 (α_p + g*_p)). In a 5 cm fibre the pump barely changes."""
    edf = EdfParameters(length_m=0.05, peak_absorption_db_per_m=6.0)
    f_s = np.array([constants.c / 1550e-9])
    a_s, g_s = edf.coefficients(f_s)
    ap, gp = edf.coefficients(np.array([F_PUMP]))
    n2 = float(a_s[0] / (a_s[0] + g_s[0]))
    p_tr = constants.h * F_PUMP * edf.zeta * n2 / float(ap[0] - n2 * (ap[0] + gp[0]))
    res = giles_amplifier(edf, f_s, np.array([1e-9]), F_PUMP, p_tr, ase_iterations=0)
    assert 10 * math.log10(float(res.gain[0])) == pytest.approx(0.0, abs=2e-3)
    below = giles_amplifier(edf, f_s, np.array([1e-9]), F_PUMP, 0.8 * p_tr, ase_iterations=0)
    above = giles_amplifier(edf, f_s, np.array([1e-9]), F_PUMP, 1.2 * p_tr, ase_iterations=0)
    assert below.gain[0] < 1.0 < above.gain[0]


@pytest.mark.parametrize("pump_w", [0.005, 0.05])
def test_signal_gain_never_exceeds_the_absorbed_pump_photons(pump_w: float) -> None:
    """Energy conservation with the quantum defect: photons added to the signals ≤ photons
    taken from the pump (every emitted signal photon needs an absorbed pump photon)."""
    edf = EdfParameters(length_m=15.0, peak_absorption_db_per_m=6.0)
    p_in = np.full((3, 8), 1.0)
    p_in = p_in * np.array([1e-6, 1e-4, 1e-3])[:, None]
    res = giles_amplifier(edf, C_BAND, p_in, F_PUMP, pump_w)
    gained = np.sum(p_in * (res.gain - 1.0) / (constants.h * C_BAND), axis=-1)
    absorbed = (pump_w - res.pump_out_w[..., 0]) / (constants.h * F_PUMP)
    assert np.all(gained > 0.0)
    assert np.all(gained <= absorbed)


@pytest.mark.parametrize(("total_in_dbm", "pump_w"), [(-25.0, 0.01), (-10.0, 0.04)])
def test_fast_solver_matches_the_full_boundary_value_problem(total_in_dbm: float,
                                                            pump_w: float) -> None:
    """The full equations (ASE as a source and in the inversion, forward and backward bins)
    solved by collocation (scipy solve_bvp) against the fast solution (Saleh reduction with
    ASE-seeded inversion). Tolerances stated before running: 0.2 dB in gain, 0.2 dB in NF,
    10 % in the residual pump. ROPA conditions: a few to tens of mW of pump, a weak comb."""
    edf = EdfParameters(length_m=12.0, peak_absorption_db_per_m=6.0)
    p_in = np.full(8, 1e-3 * 10 ** (total_in_dbm / 10) / 8)
    ref = giles_amplifier_bvp(edf, C_BAND, p_in, F_PUMP, pump_w, bandwidth_hz=64e9)
    fast = giles_amplifier(edf, C_BAND, p_in, F_PUMP, pump_w, bandwidth_hz=64e9)
    assert 10 * np.log10(fast.gain) == pytest.approx(10 * np.log10(ref.gain), abs=0.2)
    assert 10 * np.log10(fast.noise_figure) == pytest.approx(10 * np.log10(ref.noise_figure),
                                                             abs=0.2)
    assert fast.pump_out_w[0] == pytest.approx(ref.pump_out_w[0], rel=0.1)


def test_line_node_count_is_converged() -> None:
    """The line's ROPA uses 25 nodes (amplifiers.ROPA_NODES): against 161 nodes, within
    0.02 dB in gain and 0.05 dB in NF for the default EDF (ASE-saturated to strong input)."""
    edf = EdfParameters(length_m=12.0, peak_absorption_db_per_m=6.0)
    f = np.linspace(191.4e12, 196.125e12, 64)
    p_in = np.full((3, 64), 1.0) * np.array([1e-8, 1e-6, 1e-4])[:, None]
    fine = giles_amplifier(edf, f, p_in, F_PUMP, 0.02, bandwidth_hz=64e9, n_nodes=161)
    coarse = giles_amplifier(edf, f, p_in, F_PUMP, 0.02, bandwidth_hz=64e9, n_nodes=25)
    assert np.max(np.abs(10 * np.log10(coarse.gain / fine.gain))) < 0.02
    assert np.max(np.abs(10 * np.log10(coarse.noise_figure / fine.noise_figure))) < 0.05


def test_leading_axes_are_independent_launch_states() -> None:
    edf = EdfParameters(length_m=12.0, peak_absorption_db_per_m=6.0)
    p = np.array([1e-7, 1e-5])[:, None] * np.ones(8)
    both = giles_amplifier(edf, C_BAND, p, F_PUMP, 0.02)
    one = giles_amplifier(edf, C_BAND, p[1], F_PUMP, 0.02)
    assert np.allclose(both.gain[1], one.gain, rtol=1e-9)
    assert np.all(both.gain[0] > both.gain[1])  # the stronger input saturates the EDF


def _ropa_line(model: str) -> dict[str, object]:
    fibre = {"loss_db_per_km": 0.2, "dispersion_ps_per_nm_km": 17.0, "effective_area_um2": 80.0}
    return {
        "name": "ropa_wiring",
        "spectrum": {"first_channel_thz": 191.4, "last_channel_thz": 196.1, "spacing_ghz": 100.0,
                     "symbol_rate_gbaud": 32.0},
        "fibres": {"SMF": fibre},
        "elements": [
            {"fibre": {"type": "SMF", "length_km": 100.0}},
            {"ropa": {"model": model, "pump_power_w": 1.0, "pump_path": "dedicated",
                      "insertion_loss_db": 1.0}},
            {"fibre": {"type": "SMF", "length_km": 80.0}},
        ],
    }


@pytest.mark.parametrize("model", ["giles", "pump_limited"])
def test_line_applies_the_ropa_per_channel(model: str) -> None:
    from transcaspian.optics import evaluate_line, line_case_from_dict

    case = line_case_from_dict(_ropa_line(model))
    before = evaluate_line(case, -5.0, upto=1)
    after = evaluate_line(case, -5.0, upto=2)
    (pos, resp), = after.ropas
    assert pos == pytest.approx(100.0)
    # residual pump through the 80 km dedicated fibre at 0.17 dB/km
    assert resp.residual_pump_w == pytest.approx(10 ** (-0.17 * 80 / 10), rel=1e-9)
    gain_db = 10 * np.log10(resp.gain_lin)
    np.testing.assert_allclose(after.signal_power_dbm,
                               before.signal_power_dbm - 1.0 + gain_db, atol=1e-9)
    ase_w = 1e-3 * 10 ** (after.ase_power_dbm / 10)
    np.testing.assert_allclose(ase_w, resp.ase_w, rtol=1e-9)  # no ASE before the ROPA
    if model == "giles":
        assert np.ptp(gain_db) > 1.0  # erbium gain spectrum: not flat
    else:
        assert np.ptp(gain_db) == pytest.approx(0.0, abs=1e-12)
