"""Issue 22, 'Figures that mislead': bounded repair phases, outages split across calendar years,
and listed repair phases that add up to the stated totals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError
from scipy import integrate, stats

from transcaspian.reliability.config import Phase, ReliabilityConfig
from transcaspian.reliability.montecarlo import simulate_line, year_down_days
from transcaspian.reliability.repair import (
    DAYS_PER_YEAR,
    _lognormal,
    closure_wait_days,
    joint_phase,
    mean_phase_days,
    mean_repair_days,
    sample_repair_days,
)

CFG = ReliabilityConfig()
HOURS_PER_YEAR = DAYS_PER_YEAR * 24.0


def test_year_down_days_splits_outages_at_year_boundaries() -> None:
    y = DAYS_PER_YEAR
    # one outage from day 300 of year 0 to day 800: the rest of year 0, all of year 1, some of 2
    got = year_down_days(np.array([300.0]), np.array([800.0]), 3)
    assert got == pytest.approx([y - 300.0, y, 800.0 - 2 * y])
    # overlapping outages count once; an outage past the last year wraps to the first
    got = year_down_days(np.array([10.0, 20.0, 3 * y - 5.0]), np.array([30.0, 40.0, 3 * y + 7.0]),
                         3)
    assert got == pytest.approx([30.0 + 7.0, 0.0, 5.0])


def test_no_simulated_year_has_more_hours_than_a_year() -> None:
    """Long outages (median 200 d) at 2 faults a year: before the fix the whole outage was
    charged to the year it started, giving 'years' of up to ~20,000 h."""
    rep = CFG.repair.model_copy(update={"permits": Phase(median_days=200.0, p90_days=400.0)})
    mc = simulate_line(np.array([2.0]), np.array([100.0]), rep, CFG.spares,
                       design_life_years=25, years=2000, seed=5)
    assert mc.outage_hours.max() <= HOURS_PER_YEAR * (1 + 1e-12)
    assert (mc.outage_hours >= HOURS_PER_YEAR * (1 - 1e-9)).any()  # some years down throughout
    # no outage time is lost or double counted: the years add up to the union of the outages
    union_days = float(np.sum(mc.outages.end_day - mc.outages.start_day))
    assert mc.outage_hours.sum() / 24.0 == pytest.approx(union_days, rel=2e-3)
    assert mc.outage_hours.sum() / 24.0 <= union_days * (1 + 1e-12)
    d = mc.to_dict()["outage_hours_histogram"]
    assert sum(d["years"]) == mc.years  # every year falls in a bar (none beyond the last edge)


def test_a_phase_is_a_truncated_lognormal_with_the_stated_maximum() -> None:
    ph = Phase(median_days=10.0, p90_days=45.0, max_days=90.0)
    # the mean formula against numerical integration of the truncated density
    parent = stats.lognorm(s=ph.sigma, scale=ph.median_days)
    num, _ = integrate.quad(lambda x: x * parent.pdf(x), 0.0, 90.0, limit=200)
    assert ph.mean_days == pytest.approx(num / parent.cdf(90.0), rel=1e-8)
    untruncated = Phase(median_days=10.0, p90_days=45.0)
    assert untruncated.mean_days == pytest.approx(parent.mean(), rel=1e-12)
    assert ph.mean_days < untruncated.mean_days
    draws = _lognormal(np.random.default_rng(1), ph, 400_000)
    assert draws.max() <= 90.0
    assert abs(draws.mean() - ph.mean_days) < 4 * draws.std() / math.sqrt(draws.size)
    # the parent's median survives up to the truncated share (P(X > 90) ≈ 3 %)
    assert np.median(draws) == pytest.approx(parent.ppf(0.5 * parent.cdf(90.0)), rel=0.01)
    with pytest.raises(ValidationError, match="max_days"):
        Phase(median_days=5.0, p90_days=30.0, max_days=20.0)


@pytest.mark.parametrize("vessel", ["local_retainer", "volga_don"])
def test_no_repair_is_longer_than_the_sum_of_the_phase_maxima(vessel: str) -> None:
    rep = CFG.repair.model_copy(update={"vessel": vessel})
    rng = np.random.default_rng(3)
    n = 300_000
    depth = rng.uniform(0.0, 800.0, n)
    day = rng.uniform(0.0, DAYS_PER_YEAR, n)
    t = sample_repair_days(rng, rep, depth, day)
    mob = rep.mobilisation_local if vessel == "local_retainer" else rep.mobilisation_volga_don
    fixed = [rep.locate.max_days, rep.permits.max_days, rep.transit.max_days, mob.max_days,
             rep.weather.max_days]
    assert all(m is not None for m in fixed)
    joint_max = np.array([joint_phase(rep, float(d)).max_days or math.inf for d in depth])
    bound = sum(m for m in fixed if m is not None) + joint_max
    if vessel == "volga_don":
        bound = bound + closure_wait_days(day, rep.volga_don_closed_months)
    assert np.all(t <= bound + 1e-9)
    # the model's mean repair (year-averaged phases) is the Monte Carlo's within sampling error
    assert abs(t.mean() - np.mean([mean_repair_days(rep, d) for d in (0.0, 800.0)])) \
        < 4 * t.std() / math.sqrt(n)


def test_phase_means_add_up_to_the_mean_repair() -> None:
    for vessel in ("local_retainer", "volga_don"):
        rep = CFG.repair.model_copy(update={"vessel": vessel})
        each = mean_phase_days(rep, 250.0)
        assert sum(each.values()) == pytest.approx(mean_repair_days(rep, 250.0), rel=1e-12)
        assert (each["volga_don_closure_wait"] > 0) == (vessel == "volga_don")


def test_default_report_lists_phases_that_add_up(default_plan) -> None:  # type: ignore[no-untyped-def]
    from transcaspian.report.html import render_report

    r = default_plan.reliability
    ph = r.repair_phases_mean_days
    listed = {k: v for k, v in ph.items() if not k.startswith(("spare", "total"))}
    assert {"locate", "permits", "mobilisation", "transit", "joint_at_mean_fault_depth",
            "weather_standby", "volga_don_closure_wait"} <= set(listed)
    assert sum(listed.values()) == pytest.approx(ph["total_at_mean_fault_depth"], rel=1e-9)
    assert ph["total_at_mean_fault_depth"] + ph["spare_stock_out_wait"] == pytest.approx(
        ph["total_with_spare_stock_outs"], rel=1e-12)
    # the total with stock-outs is the analytic mean repair of the report's text
    assert ph["total_with_spare_stock_outs"] == pytest.approx(r.analytic.mean_repair_days,
                                                              rel=1e-6)
    assert r.monte_carlo.outage_hours.max() <= HOURS_PER_YEAR * (1 + 1e-12)
    html = render_report(default_plan)
    assert f"= {ph['total_at_mean_fault_depth']:.1f} d" in html
    assert f"= {ph['total_with_spare_stock_outs']:.1f} d, the mean repair" in html
