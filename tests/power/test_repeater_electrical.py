"""Repeater electrical power from its optical output and fibre pairs, and the feed voltage it
drives: hand-computed values and monotonic properties (more pairs, more output, more repeaters
never lower the voltage needed; double-end feeding halves each end's share)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from transcaspian.power.config import PowerConfig, RepeaterPowerModel
from transcaspian.power.feeding import line_voltage_v, per_end_voltage_v
from transcaspian.power.repeater import amplifier_pump_power_w, repeater_power_w
from transcaspian.power.stage import feed_for_length, reference_repeaters


def test_repeater_power_by_hand() -> None:
    """16 pairs at 20 dBm (100 mW), PCE 0.4, pump efficiency 0.2, 8 W + 0.5 W/pair:
    pump per amplifier 0.1/0.4 = 0.25 W; 32 amplifiers x 0.25 W / 0.2 = 40 W; + 8 + 8 = 56 W."""
    m = RepeaterPowerModel(pump_wall_plug_efficiency=0.2, edfa_power_conversion_efficiency=0.4,
                           overhead_w=8.0, per_fibre_pair_w=0.5)
    assert float(amplifier_pump_power_w(20.0, m)) == pytest.approx(0.25)
    assert float(repeater_power_w(20.0, 16, m)) == pytest.approx(56.0)


def test_quantum_limit_on_conversion_efficiency_is_enforced() -> None:
    with pytest.raises(ValidationError, match="edfa_power_conversion_efficiency"):
        RepeaterPowerModel(edfa_power_conversion_efficiency=0.7)  # above 980/1550 = 0.63


def test_line_voltage_by_hand() -> None:
    """1,000 km at 0.8 ohm/km, 0.9 A, 15 repeaters of 40 V, 0.1 V/km: 720 + 600 + 100 V."""
    v = line_voltage_v(1000.0, 0.8, 0.9, 15, 40.0, 0.1)
    assert float(v) == pytest.approx(1420.0)
    assert float(per_end_voltage_v(v, "double_end")) == pytest.approx(710.0)
    with pytest.raises(ValueError, match="feeding mode"):
        per_end_voltage_v(v, "triple_end")


@settings(max_examples=60, deadline=None)
@given(
    length=st.floats(50.0, 14000.0),
    pairs=st.integers(1, 40),
    out_dbm=st.floats(5.0, 24.0),
    extra_pairs=st.integers(0, 8),
    extra_db=st.floats(0.0, 4.0),
    extra_reps=st.integers(0, 40),
)
def test_more_pairs_pump_or_repeaters_never_lower_the_voltage(
        length: float, pairs: int, out_dbm: float, extra_pairs: int, extra_db: float,
        extra_reps: int) -> None:
    cfg = PowerConfig(feeding="single_end")
    n = reference_repeaters(length, 60.0)

    def volts(p: int, dbm: float, reps: int) -> float:
        res = feed_for_length(cfg, length, p, {"d": reps}, {"d": dbm}, with_trade=False)
        return res.feeds[0].pfe_v_per_end if res.feeds else 0.0

    base = volts(pairs, out_dbm, n)
    assert volts(pairs + extra_pairs, out_dbm, n) >= base - 1e-9
    assert volts(pairs, out_dbm + extra_db, n) >= base - 1e-9
    assert volts(pairs, out_dbm, n + extra_reps) >= base - 1e-9


@pytest.mark.parametrize("length", [2000.0, 6600.0, 12000.0])
def test_double_end_halves_each_end(length: float) -> None:
    """The same line fed from both ends needs half the voltage per end (the earth allowance is
    part of the total in both cases, so the halving is exact in this model)."""
    n = reference_repeaters(length, 60.0)
    one = feed_for_length(PowerConfig(feeding="single_end"), length, 8, {"d": n},
                          with_trade=False).feeds[0]
    two = feed_for_length(PowerConfig(feeding="double_end"), length, 8, {"d": n},
                          with_trade=False).feeds[0]
    assert two.pfe_v_per_end == pytest.approx(0.5 * one.pfe_v_per_end, rel=1e-12)
    assert one.feeding == "single_end" and two.feeding == "double_end"


def test_auto_feeding_switches_to_double_end_past_one_pfe() -> None:
    cfg = PowerConfig()
    short = feed_for_length(cfg, 1000.0, 8, {"d": 16}, with_trade=False).feeds[0]
    long = feed_for_length(cfg, 12000.0, 8, {"d": 199}, with_trade=False).feeds[0]
    assert short.feeding == "single_end"
    assert long.feeding == "double_end"
    assert long.budget.total_v > cfg.usable_v_per_end >= long.pfe_v_per_end


def test_repeater_drop_follows_pairs_and_output_not_a_constant() -> None:
    """The fixed 24 V of before is gone: an 8-pair and a 24-pair repeater differ."""
    cfg = PowerConfig()
    a = feed_for_length(cfg, 6600.0, 8, {"d": 109}, with_trade=False).feeds[0]
    b = feed_for_length(cfg, 6600.0, 24, {"d": 109}, with_trade=False).feeds[0]
    assert b.repeater_drop_v > a.repeater_drop_v
    expected = (cfg.repeater.overhead_w + 24 * cfg.repeater.per_fibre_pair_w
                + 48 * 10 ** (cfg.repeater.output_power_dbm / 10) * 1e-3
                / (cfg.repeater.edfa_power_conversion_efficiency
                   * cfg.repeater.pump_wall_plug_efficiency)) / cfg.line_current_a
    assert b.repeater_drop_v == pytest.approx(expected)
    fixed = PowerConfig(repeater_voltage_drop_v=24.0)
    c = feed_for_length(fixed, 6600.0, 24, {"d": 109}, with_trade=False).feeds[0]
    assert c.repeater_drop_v == 24.0 and "fixed" in c.drop_source


def test_voltage_profile_ends_at_the_earth_allowance() -> None:
    res = feed_for_length(PowerConfig(feeding="single_end"), 3000.0, 8, {"d": 49},
                          with_trade=False)
    f = res.feeds[0]
    assert f.volts[0] == pytest.approx(f.pfe_v_per_end)
    assert f.volts[-1] == pytest.approx(f.budget.earth_allowance_v)
    assert np.all(np.diff(f.volts) <= 0.0)
