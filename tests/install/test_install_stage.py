"""The install stage on the default route: wet plant and burial lengthen installation; the
burial plan feeds reliability; the RFS distribution moves NPV the right way."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from transcaspian.economics.delay import npv_shift
from transcaspian.install.stage import run_install
from transcaspian.plan import plan
from transcaspian.reliability.faults import ANCHOR_SHARE_OF_HUMAN, with_anchor_risk
from transcaspian.scenario import default_scenario


@pytest.fixture(scope="module")
def base() -> tuple[Any, Any]:
    sc = default_scenario()
    sc = sc.model_copy(update={"install": sc.install.model_copy(update={"runs": 2000})})
    return sc, plan(sc, until="route").route


def test_powered_wet_plant_takes_longer_to_install(base: tuple[Any, Any]) -> None:
    sc, route = base
    none = run_install(sc, route, SimpleNamespace(name="unrepeatered", repeaters=0))
    wet = run_install(sc, route, SimpleNamespace(name="repeatered", repeaters=8))
    assert np.all(wet.rfs_days >= none.rfs_days)
    assert wet.rfs_days.mean() > none.rfs_days.mean()


def test_deeper_burial_targets_take_longer_and_cost_more(base: tuple[Any, Any]) -> None:
    sc, route = base
    cbra = sc.install.cbra.model_copy(update={"return_period_years_km": 3_000_000.0})
    strict = sc.model_copy(update={"install": sc.install.model_copy(update={"cbra": cbra})})
    loose = run_install(sc, route)
    tight = run_install(strict, route)
    assert tight.buried_km > loose.buried_km
    assert tight.burial_capex_usd > loose.burial_capex_usd
    assert tight.strikes_per_year < loose.strikes_per_year
    assert tight.rfs_days.mean() > loose.rfs_days.mean()


def test_for_design_shifts_by_the_repeaters(base: tuple[Any, Any]) -> None:
    sc, route = base
    r = run_install(sc, route)
    v = r.for_design(3)
    assert r.days_per_repeater > 0
    np.testing.assert_allclose(v.rfs_days, r.rfs_days + 3 * r.days_per_repeater)
    assert v.vessel_days_mean == pytest.approx(r.vessel_days_mean + 3 * r.days_per_repeater)


def test_rfs_quantiles_and_probability_agree_with_the_runs(base: tuple[Any, Any]) -> None:
    sc, route = base
    r = run_install(sc, route)
    assert r.rfs_p50_days == pytest.approx(float(np.percentile(r.rfs_days, 50)))
    assert r.rfs_p50_days <= r.rfs_p90_days
    names = [m.name for m in r.milestones]
    p50 = {m.name: m.p50_days for m in r.milestones}
    assert names.index("rfs") > names.index("lay_complete")
    assert p50["lay_start"] >= p50["permits_granted"]  # marine works wait for their permits


def test_residual_anchor_risk_replaces_the_band_anchor_share() -> None:
    rate = np.array([[0.74, 0.2, 0.06], [0.37, 0.1, 0.03]])
    out = with_anchor_risk(rate, np.array([0.0, 0.5]))
    assert out[0, 0] == pytest.approx(0.74 * (1 - 25 / 74))  # 0.49: fishing + other human
    assert out[1, 0] == pytest.approx(0.37 * (1 - ANCHOR_SHARE_OF_HUMAN) + 0.5)
    np.testing.assert_array_equal(out[:, 1:], rate[:, 1:])


def test_late_rfs_never_raises_npv_and_on_time_changes_nothing() -> None:
    revenue = np.array([0.0, 10.0, 9.0, 8.0, 7.0, 6.0])
    delays = np.array([0.0, 0.25, 0.5, 1.0, 2.0])
    shift = npv_shift(revenue, 0.08, delays, pm_cost_per_year=1.0)
    assert shift[0] == 0.0
    assert np.all(np.diff(shift) < 0)
    # half a year late: half of year 1's revenue lost (discounted one year) and half a year of PM
    assert shift[2] == pytest.approx(-(0.5 * 10.0 + 0.5 * 1.0) / 1.08)


def test_rpl_csv_carries_the_cbra_depth_of_lowering(base: tuple[Any, Any]) -> None:
    """Issue 23 §1: the burial plan feeds the RPL. With a target that buries part of the
    route, rpl.csv gets a ``cbra_dol_m`` column equal to the burial plan's DoL of the section
    starting at each row (empty on the last row), beside the armour band's ``burial_m``."""
    import csv
    import io

    from transcaspian.report.html import _cbra_dol

    sc, route = base
    cbra = sc.install.cbra.model_copy(update={"return_period_years_km": 1_000_000.0})
    strict = sc.model_copy(update={"install": sc.install.model_copy(update={"cbra": cbra})})
    inst = run_install(strict, route)
    assert inst.buried_km > 0  # a check with something buried
    fake_plan = SimpleNamespace(results={"install": inst}, route=route)
    rows = list(csv.DictReader(io.StringIO(route.rpl.to_csv(cbra_dol_m=_cbra_dol(fake_plan)))))
    assert len(rows) == route.rpl.kp_km.size
    got = np.array([float(r["cbra_dol_m"]) for r in rows[:-1]])
    mid_kp = 0.5 * (route.rpl.kp_km[:-1] + route.rpl.kp_km[1:])  # inside each section
    np.testing.assert_allclose(got, np.round(inst.burial_at(mid_kp), 2), atol=1e-9)
    assert rows[-1]["cbra_dol_m"] == "" and "burial_m" in rows[0]
    seg_dol = {round(s.dol_m, 2) for s in inst.segments}
    assert set(np.round(got, 2)) <= seg_dol and got.max() > 0
    assert _cbra_dol(SimpleNamespace(results={}, route=route)) is None  # no install: no column
    assert "cbra_dol_m" not in route.rpl.to_csv().splitlines()[0]
