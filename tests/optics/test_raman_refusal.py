"""Issue 19: a launch power or a pump candidate the Raman guard refuses is marked infeasible with
its reason; it never fails a batched sweep or a design search, and the guard reads the solver's
own depleted result (never an undepleted estimate)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from transcaspian.errors import OpticsError
from transcaspian.optics import evaluate_line, line_case_from_dict
from transcaspian.optics.raman import raman_coefficients, raman_gain_spectrum, solve_raman


def strong_line(pump_w: float = 0.9, pumps: int = 2) -> dict[str, Any]:
    """100 km of 0.17 dB/km fibre, 150 channels, ``pumps`` counter pumps at 1452 nm."""
    band = {"low_thz": 191.0, "high_thz": 196.5}
    return {
        "name": "strong",
        "spectrum": {"first_channel_thz": 191.35,
                     "last_channel_thz": round(191.35 + 149 * 0.033, 6),
                     "spacing_ghz": 33.0, "symbol_rate_gbaud": 30.0, "roll_off": 0.1},
        "fibres": {"f": {"loss_db_per_km": 0.17, "pump_loss_db_per_km": 0.19,
                         "dispersion_ps_per_nm_km": 20.7, "effective_area_um2": 112.0,
                         "effective_area_model": "constant"}},
        "elements": [
            {"amplifier": {"gain_db": 15.0, "noise_figure_db": 5.5, "max_output_power_dbm": 27.0,
                           "band": band}},
            {"fibre": {"type": "f", "length_km": 100.0, "raman_pumps": [
                {"power_w": pump_w, "wavelength_nm": 1452.0}] * pumps}},
            {"amplifier": {"noise_figure_db": 5.0, "band": band}},
        ],
        "transceiver": {"b2b_snr_db": 21.0},
    }


def test_a_refused_launch_never_fails_a_batched_sweep() -> None:
    case = line_case_from_dict(strong_line())
    launch = np.array([-20.0, -10.0, 0.0])
    res = evaluate_line(case, launch)
    assert res.refused is not None
    # -20 dBm: the depleted gain of the pair exceeds 35 dB -> refused (NaN), with the reason
    assert res.refused.tolist() == [True, False, False]
    assert np.isnan(res.gsnr_db[0]).all() and np.isfinite(res.gsnr_db[1:]).all()
    assert any("depleted coupled solution" in r for r in res.refusal)
    # the same launch alone raises the same one-line reason
    with pytest.raises(OpticsError, match="depleted coupled solution"):
        evaluate_line(case, -20.0)


def test_guard_reads_the_depleted_gain_not_an_undepleted_estimate() -> None:
    """At -10 dBm/ch the undepleted estimate of two 0.9 W pumps is ~52 dB, the depleted
    solution 34.3 dB: accepted (the old guard refused it from the estimate)."""
    res = evaluate_line(line_case_from_dict(strong_line()), -10.0)
    gain = res.raman_spans[0][1].on_off_gain_db
    assert 30.0 < gain.max() <= 35.0


def test_strong_counter_pumps_converge_by_shooting() -> None:
    """0.9 W into 100 km against 22 dBm of signal: the forward-backward relaxation oscillates;
    the shooting fallback converges, and energy is conserved (the pump power that entered
    leaves as pump, signal gain or loss: the pump never ends above its launch)."""
    f_ch = 191.35e12 + np.arange(150) * 33e9
    f = np.append(f_ch, 2.998e8 / 1452e-9)
    c = raman_coefficients(f, np.full(f.size, 112e-12), raman_gain_spectrum())
    alpha = np.full(f.size, 0.17 / 4.343e3)
    alpha[-1] = 0.19 / 4.343e3
    launch = np.append(np.full(150, 1e-3), 0.9)
    fwd = np.append(np.ones(150, bool), False)
    sol = solve_raman(alpha, c, launch, fwd, 100e3, on_divergence="mask")
    assert sol.converged_mask.all()
    p = sol.power_w
    assert p[..., :, -1].max() <= 0.9 * (1 + 2e-4)  # (the solve stops within 1e-4 Np)
    assert np.isclose(p[..., -1, -1], 0.9, rtol=1e-3)  # its boundary value at z = L holds
    # photon flux can only decrease (loss) along the direction of travel, summed over waves
    flux_in = (launch / f).sum()
    flux_out = (sol.output_w / f).sum()
    assert flux_out < flux_in


def test_solver_marks_instead_of_raising_in_mask_mode() -> None:
    f = np.array([193e12, 206e12])
    c = raman_coefficients(f, np.full(2, 80e-12), raman_gain_spectrum())
    alpha = np.full(2, 0.2 / 4.343e3)
    # a runaway only in the second variant (absurd pump power for a 0.1 mW signal)
    launch = np.array([[1e-4, 0.5], [1e-4, 500.0]])
    sol = solve_raman(alpha, c * 50.0, launch, np.array([True, False]), 200e3,
                      on_divergence="mask")
    assert sol.converged_mask.tolist()[0] is True
    assert np.all(np.isfinite(sol.power_w))
