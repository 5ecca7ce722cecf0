"""Issue 19: ``transcaspian optics`` with 2.5 W of pump per direction runs to an answer (it used
to abort when one candidate pump set did not converge), and the design search covers the
pumping schemes (forward, backward, second order, ROPA position and feed) within its bounds."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

from transcaspian.commands import optics as optics_command
from transcaspian.optics.elements import FibreType
from transcaspian.optics.pumps import PumpBounds, design_pumps, scheme_of
from transcaspian.scenario import default_scenario


def test_optics_with_2p5_w_per_direction_runs_to_an_answer(
        capsys: pytest.CaptureFixture[str]) -> None:
    pd = default_scenario().optics.raman_pump_design
    assert pd.max_total_power_w == 2.5 and pd.max_forward_power_w == 2.5  # the scenario's bounds
    parser = argparse.ArgumentParser(prog="transcaspian")
    optics_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["optics", "--json", "--cable-length-km", "409.6"])
    assert int(args.func(args) or 0) == 0
    doc = json.loads(capsys.readouterr().out)
    designs = {d["name"]: d for d in doc["designs"]}
    for name in ("unrepeatered_booster_raman", "unrepeatered_booster_raman_ropa"):
        plan = designs[name]["pump_plan"]
        assert plan is not None and plan["pumps"], name
        assert plan["power_by_direction_w"]["counter"] <= 2.5 + 1e-6
        assert plan["power_by_direction_w"]["co"] <= 2.5 + 1e-6
        assert plan["evaluations"] > 0
        assert plan["bounds"]["max_backward_power_w"] == 2.5
    assert "ROPA" in designs["unrepeatered_booster_raman_ropa"]["pump_plan"]["scheme"]


def fibre() -> FibreType:
    return FibreType(loss_db_per_km=0.165, pump_loss_db_per_km=0.19, effective_area_um2=125.0,
                     dispersion_ps_per_nm_km=21.0, effective_area_model="constant")


def test_search_never_raises_and_scores_infeasible_candidates() -> None:
    """Bounds far beyond what the fibre can take (5 W per direction into 80 km): most
    candidates diverge or exceed 35 dB; the search still returns a feasible plan."""
    f = 191.4e12 + np.arange(64) * 75e9
    rs = np.full(64, 64e9)
    sig = np.full(64, 1e-3 * 10 ** (-20 / 10))
    bounds = PumpBounds(3, (1430.0, 1450.0, 1470.0), 2.0, 5.0, schemes=("backward",),
                        generations=4)
    plan = design_pumps(fibre(), 80e3, 0.0, f, rs, sig, sig * 1e-3, 0.5, 5.0, None, bounds)
    assert plan.infeasible > 0
    assert plan.pumps and plan.worst_gsnr_db > 0.0
    assert plan.on_off_gain_db <= 35.0


def test_forward_pumps_help_a_long_span_and_schemes_are_named() -> None:
    """300 km at 0 dBm/ch: adding forward pumps to the backward ones raises the worst
    channel's GSNR (the signal is lifted before it reaches the noise floor)."""
    f = 191.4e12 + np.arange(32) * 150e9
    rs = np.full(32, 64e9)
    sig = np.full(32, 1e-3)
    common = dict(generations=6, max_forward_power_w=1.0)
    back = design_pumps(fibre(), 300e3, 0.0, f, rs, sig, sig * 1e-4, 0.5, 5.0, None,
                        PumpBounds(3, (1430.0, 1450.0, 1470.0), 1.0, 1.0,
                                   schemes=("backward",), **common))
    both = design_pumps(fibre(), 300e3, 0.0, f, rs, sig, sig * 1e-4, 0.5, 5.0, None,
                        PumpBounds(3, (1430.0, 1450.0, 1470.0), 1.0, 1.0,
                                   schemes=("backward", "forward_backward"), **common))
    assert back.scheme == "backward"
    assert all(p.direction == "counter" for p in back.pumps)
    assert both.worst_gsnr_db > back.worst_gsnr_db
    assert scheme_of(both.pumps).startswith("forward")


def test_forward_second_order_is_designed_without_a_backward_budget() -> None:
    """The transmit-end fibre of a ROPA line is designed with forward pumps only (no backward
    budget). Its 13xx nm co pump used to be capped by the backward budget, i.e. at 0 W, so the
    search could not design forward second-order pumping. 250 km at 1.5 dBm/ch: with
    ``second_order`` the search lights a co 13xx nm pump with first-order seeds and gains over
    first-order co pumps alone (the energy reaches the signal deeper in the fibre)."""
    f = 191.4e12 + np.arange(32) * 150e9
    rs = np.full(32, 64e9)
    sig = np.full(32, 1e-3 * 10 ** (1.5 / 10))
    grid = (1420.0, 1435.0, 1450.0, 1465.0, 1480.0, 1495.0)
    plans = {s: design_pumps(fibre(), 250e3, 0.0, f, rs, sig, sig * 1e-4, 0.5, 4.5, None,
                             PumpBounds(3, grid, 1.0, 0.0, schemes=s, max_forward_power_w=2.5,
                                        second_order_nm=(1365.0,)))
             for s in (("forward",), ("forward", "second_order"))}
    first, cascaded = plans[("forward",)], plans[("forward", "second_order")]
    assert first.scheme == "forward" and cascaded.scheme == "forward+second_order"
    second = [p for p in cascaded.pumps if p.wavelength_nm < 1420.0]
    assert second and all(p.direction == "co" for p in cascaded.pumps)
    assert second[0].power_w > 1.0  # above the 1 W per-diode cap of first-order pumps
    assert sum(p.power_w for p in cascaded.pumps) <= 2.5 + 1e-6
    assert cascaded.worst_gsnr_db > first.worst_gsnr_db + 0.5


def test_second_order_pump_bounds_and_seeds() -> None:
    """A co second-order pump is capped by the forward budget (not the backward one, nor the
    1 W per-diode cap of first-order pumps), and lit only with a lit (>= 1 mW) first-order seed
    of its direction (an unseeded cascade is outside what the solver models)."""
    from transcaspian.optics.pumps import _Candidates, _project

    cand = _Candidates(np.array([1365.0, 1450.0, 1365.0, 1450.0]),
                       np.array([True, True, False, False]),
                       np.array([True, False, True, False]))
    b = PumpBounds(3, (1450.0,), 1.0, 0.0, max_forward_power_w=2.5, second_order_nm=(1365.0,))
    x = _project(np.array([[1.8, 0.1, 0.5, 0.5], [1.8, 5e-4, 0.0, 0.0],
                           [2.4, 0.6, 0.0, 0.0]]), cand, b)
    np.testing.assert_allclose(x[0], [1.8, 0.1, 0.0, 0.0])  # no backward budget
    np.testing.assert_allclose(x[1], 0.0)  # seed under 1 mW: neither is lit
    np.testing.assert_allclose(x[2], [2.0, 0.5, 0.0, 0.0])  # scaled to the 2.5 W bound
