"""Installation Monte Carlo: against the analytic PERT result on a small chain, weather
monotonicity, seeds, the Volga-Don season gate and the Weibull weather windows."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from scipy.stats import weibull_min

from transcaspian.install.config import MONTHS, Pert, Waterway, Weather
from transcaspian.install.permits import PermitEntry
from transcaspian.install.schedule import Plan, season_gate, simulate
from transcaspian.install.weather import workable_fraction

START = dt.date(2025, 3, 4)
WAY = Waterway()


def _pert(a: float, m: float, b: float) -> Pert:
    return Pert(min_days=a, mode_days=m, max_days=b)


def _plan(permits: tuple[PermitEntry, ...] = (), work: float = 20.0) -> Plan:
    return Plan(permits=permits, cable_km=380.0, load_lay_work_days=(work, work),
                load_cable_km=(190.0, 190.0), repeaters_per_load=(1, 1),
                survey=_pert(30, 40, 70), manufacture_per_100km=_pert(22, 28, 45),
                delivery=_pert(12, 18, 35), loading_km_per_h=5.0, mobilisation=_pert(20, 30, 60),
                shore_end=_pert(5, 10, 15), joint=_pert(0.5, 0.75, 1.0),
                reload_transit=_pert(1, 2, 4), repeater_handling=_pert(0.1, 0.25, 0.5),
                final_test=_pert(5, 10, 20), demobilisation=_pert(10, 15, 30),
                lay_time_factor=_pert(0.9, 1.0, 1.4))


F = np.full(12, 0.8)


def test_chain_matches_the_analytic_pert_mean_and_variance() -> None:
    """Three permits in series (A → B → C) gate the marine works: their grant is the sum of
    three Beta-PERTs, whose mean is Σ(a + 4m + b)/6 and variance Σ(μ - a)(b - μ)/7 for the
    classic PERT (α + β = 6) (Malcolm et al. 1959; Vose, Risk Analysis, 2008, §9.1.3)."""
    chain = ((2.0, 5.0, 14.0), (1.0, 3.0, 5.0), (4.0, 4.0, 10.0))
    names = ("a", "b", "c")
    permits = tuple(PermitEntry(n, "x", a, m, b, (names[i - 1],) if i else (),
                                ("marine_works",) if n == "c" else (), "test")
                    for i, (n, (a, m, b)) in enumerate(zip(names, chain, strict=True)))
    runs = 200_000
    sim = simulate(_plan(permits), WAY, F, F, START, 0.3, runs, 7)
    x = sim.milestones["permits_granted"]
    mean = 6.0 + 3.0 + 5.0  # (2+20+14)/6, (1+12+5)/6, (4+16+10)/6
    var = (6 - 2) * (14 - 6) / 7 + (3 - 1) * (5 - 3) / 7 + (5 - 4) * (10 - 5) / 7
    se_mean = math.sqrt(var / runs)
    assert abs(x.mean() - mean) < 4 * se_mean
    assert x.var() == pytest.approx(var, rel=0.02)


def test_more_weather_downtime_never_brings_rfs_earlier() -> None:
    runs = 3000
    for scale in (0.95, 0.8, 0.5):
        base = simulate(_plan(), WAY, F, F * 0.6, START, 0.3, runs, 11).milestones["rfs"]
        worse = simulate(_plan(), WAY, F * scale, F * 0.6 * scale, START, 0.3, runs,
                         11).milestones["rfs"]
        assert np.all(worse >= base - 1e-9)
        assert worse.mean() > base.mean()


def test_identical_seeds_identical_results() -> None:
    a = simulate(_plan(), WAY, F, F, START, 0.3, 2000, 5)
    b = simulate(_plan(), WAY, F, F, START, 0.3, 2000, 5)
    c = simulate(_plan(), WAY, F, F, START, 0.3, 2000, 6)
    np.testing.assert_array_equal(a.end, b.end)
    assert not np.array_equal(a.end, c.end)


def test_season_gate_waits_for_the_volga_don_to_open() -> None:
    # 4 Mar 2025 + t: day 0 is doy 63 (< opening 105) -> waits 42 d; mid-summer passes
    t = np.array([0.0, 120.0, (dt.date(2025, 12, 10) - START).days])
    out = season_gate(t, START, WAY)
    assert out[0] == pytest.approx(42.0)
    assert out[1] == 120.0
    assert START + dt.timedelta(days=float(out[2])) == dt.date(2026, 4, 15)


def test_workable_fraction_is_the_weibull_cdf() -> None:
    w = Weather()
    got = workable_fraction(w, 1.75)
    for j, m in enumerate(MONTHS):
        mean = w.monthly_mean_hs_m[m]
        scale = mean / math.gamma(1 + 1 / w.weibull_shape)
        assert got[j] == pytest.approx(weibull_min(w.weibull_shape, scale=scale).cdf(1.75))
    assert got[0] < got[6]  # winter worse than summer


def test_hindcast_csv_replaces_the_table(tmp_path: object) -> None:
    from pathlib import Path

    p = Path(str(tmp_path)) / "hs.csv"
    rows = ["time,hs_m"] + [f"2020-{m:02d}-{d:02d}T00:00,{1.0 if d % 2 else 2.5}"
                            for m in range(1, 13) for d in range(1, 29)]
    p.write_text("\n".join(rows) + "\n")
    got = workable_fraction(Weather(hindcast_csv=p), 1.75)
    np.testing.assert_allclose(got, 0.5)


def test_marine_works_start_inside_the_lay_season_and_a_narrower_season_is_never_earlier(
) -> None:
    """Lay starts only in the booked months; narrowing the season never brings RFS earlier."""
    from dataclasses import replace

    runs = 3000
    wide = simulate(_plan(), WAY, F, F, START, 0.3, runs, 13)
    season = replace(_plan(), lay_season_months=(5, 8))
    narrow = simulate(season, WAY, F, F, START, 0.3, runs, 13)
    i = narrow.names.index("shore end A")
    months = [(START + dt.timedelta(days=float(t))).month for t in narrow.start[i]]
    assert set(months) <= {5, 6, 7, 8}
    assert np.all(narrow.milestones["rfs"] >= wide.milestones["rfs"] - 1e-9)


def test_season_months_gate_waits_for_the_first_month() -> None:
    from transcaspian.install.schedule import season_months_gate

    start = dt.date(2025, 3, 4)
    t = np.array([0.0, 200.0, 300.0])  # 4 Mar, 20 Sep 2025, 29 Dec 2025
    got = season_months_gate(t, start, 4, 10)
    days = [(start + dt.timedelta(days=float(x))).isoformat() for x in got]
    assert days == ["2025-04-01", "2025-09-20", "2026-04-01"]
