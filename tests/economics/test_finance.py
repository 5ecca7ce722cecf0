"""NPV, IRR, payback, break-even and levelised cost against hand-computed cases."""

from __future__ import annotations

import math

import pytest

from transcaspian.economics.finance import (
    break_even_factor,
    irr,
    levelised_cost,
    measures,
    npv,
    payback_index,
)


def test_npv_hand_computed() -> None:
    # -100 + 60/1.1 + 60/1.21 = -100 + 54.5455 + 49.5868 = 4.1322
    assert npv(0.1, [-100.0, 60.0, 60.0]) == pytest.approx(4.132231, abs=1e-6)
    # zero rate: plain sum
    assert npv(0.0, [-100.0, 30.0, 30.0, 30.0]) == pytest.approx(-10.0)
    # -50 % rate doubles each later flow: -100 + 60 x 2 = 20
    assert npv(-0.5, [-100.0, 60.0]) == pytest.approx(20.0)


def test_irr_hand_computed() -> None:
    # 60 v^2 + 60 v - 100 = 0 -> v = (-60 + sqrt(27600)) / 120 = 0.884433, IRR = 1/v - 1
    v = (-60.0 + math.sqrt(60.0**2 + 4 * 60.0 * 100.0)) / 120.0
    assert irr([-100.0, 60.0, 60.0]) == pytest.approx(1.0 / v - 1.0, abs=1e-9)
    # one period: -100 then 110 -> 10 %
    assert irr([-100.0, 110.0]) == pytest.approx(0.10, abs=1e-12)
    assert irr([10.0, 20.0]) is None  # never negative: no IRR
    assert irr([-10.0, -20.0]) is None


def test_payback_hand_computed() -> None:
    # cumulative -60, -20, +20 -> paid back in year index 3
    assert payback_index([-100.0, 40.0, 40.0, 40.0]) == 3
    # cumulative -50, 0: paid back when it reaches 0 (year 2)
    assert payback_index([-100.0, 50.0, 50.0]) == 2
    # discounted at 10 %: -100, 45.45, 41.32, 37.57 -> cumulative -54.5, -13.2, +24.3
    assert payback_index([-100.0, 50.0, 50.0, 50.0], rate=0.1) == 3
    assert payback_index([-100.0, 10.0, 10.0]) is None
    # falls back below zero (a reinvestment): payback is after the last negative stretch
    # cumulative -100, 20, -30, 10, 50
    assert payback_index([-100.0, 120.0, -50.0, 40.0, 40.0]) == 3


def test_measures_calendar_years() -> None:
    m = measures([-100.0, 40.0, 40.0, 40.0], 0.1, 2026)
    assert m.payback_year == 2029
    assert m.discounted_payback_year is None  # 36.4 + 33.1 + 30.1 = 99.5 < 100
    assert m.npv == pytest.approx(-100 + 40 / 1.1 + 40 / 1.21 + 40 / 1.331)


def test_break_even_and_levelised() -> None:
    # NPV -20 with a product whose revenue has PV 80: the price must rise by 25 %
    assert break_even_factor(-20.0, 80.0) == pytest.approx(1.25)
    assert break_even_factor(-20.0, 0.0) is None
    # constant cost 10/yr for 1 unit/yr: levelised cost 10 whatever the rate
    assert levelised_cost(0.08, [10.0] * 5, [1.0] * 5) == pytest.approx(10.0)
    # 100 up-front, 1 unit in each of years 1..2 at 0 %: 50 per unit
    assert levelised_cost(0.0, [100.0, 0.0, 0.0], [0.0, 1.0, 1.0]) == pytest.approx(50.0)
    assert levelised_cost(0.1, [1.0], [0.0]) is None
