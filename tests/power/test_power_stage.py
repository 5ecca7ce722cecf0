"""The power stage on an RPL: cable tally → feed voltage; an unfeedable design is flagged."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from transcaspian.geo.rpl import Rpl
from transcaspian.power.stage import run_power
from transcaspian.scenario import default_scenario


def _route() -> SimpleNamespace:
    """100 km: 10 km DA, 80 km LW, 10 km DA (no slack)."""
    kp = np.array([0.0, 10.0, 90.0, 100.0])
    n = kp.size
    rpl = Rpl(kp_km=kp, lat_deg=np.zeros(n), lon_deg=kp / 100.0, depth_m=np.zeros(n),
              event=("",) * n, course_deg=np.zeros(n), cable_type=("DA", "LW", "DA", "DA"),
              burial_m=np.zeros(n), slack_percent=np.zeros(n), cable_kp_km=kp)
    return SimpleNamespace(rpl=rpl)


def _fixed_drop(v: float) -> object:
    sc = default_scenario()
    return sc.model_copy(update={"power": sc.power.model_copy(
        update={"repeater_voltage_drop_v": v})})


def test_feed_voltage_from_the_cable_tally() -> None:
    sc = _fixed_drop(24.0)  # a fixed drop still overrides the electrical model
    res = run_power(sc, _route(), {"unrepeatered": 0, "repeatered_2": 2})  # type: ignore
    assert [f.design for f in res.feeds] == ["repeatered_2"]
    f = res.feeds[0]
    # 1 A x (20 km x 1.35 + 80 km x 1.0) + 2 x 24 V + 0.1 V/km x 100 km = 107 + 48 + 10 = 165 V
    assert f.budget.total_v == pytest.approx(165.0, rel=1e-12)
    assert f.feasible and f.feeding == "single_end"
    # the voltage falls along KP and ends near the earth allowance above zero
    assert f.volts[0] == pytest.approx(165.0)
    assert f.volts[-1] == pytest.approx(10.0)


def test_a_design_that_cannot_be_fed_is_infeasible_with_its_reason() -> None:
    sc = default_scenario()
    power = sc.power.model_copy(update={"pfe_rating_v": 150.0, "margin_fraction": 0.5})
    sc = sc.model_copy(update={"power": power})
    res = run_power(sc, _route(), {"repeatered_2": 2})  # type: ignore[arg-type]
    f = res.feeds[0]
    assert f.feeding == "double_end" and not f.feasible
    assert "cannot be fed" in f.reason and res.feasible == {"repeatered_2": False}
