"""The power stage on an RPL with each design's amplifier output from the optics stage: the
repeater drop comes from the electrical model (not a fixed 24 V) and the result carries the
power-limited design at the routed length."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from transcaspian.geo.rpl import Rpl
from transcaspian.power.stage import run_power
from transcaspian.scenario import default_scenario


def _route() -> SimpleNamespace:
    """1,000 km: 20 km DA, 960 km LW, 20 km DA."""
    kp = np.array([0.0, 20.0, 980.0, 1000.0])
    n = kp.size
    rpl = Rpl(kp_km=kp, lat_deg=np.zeros(n), lon_deg=kp / 100.0, depth_m=np.zeros(n),
              event=("",) * n, course_deg=np.zeros(n), cable_type=("DA", "LW", "DA", "DA"),
              burial_m=np.zeros(n), slack_percent=np.zeros(n), cable_kp_km=kp)
    return SimpleNamespace(rpl=rpl)


def test_drop_from_each_designs_output_and_the_cable_pairs() -> None:
    sc = default_scenario()
    pairs = sc.cable.fibre_pairs
    m = sc.power.repeater
    res = run_power(sc, _route(), {"a": 15, "b": 15}, {"a": 14.0, "b": 20.0})  # type: ignore
    a, b = res.feeds
    for f, dbm in ((a, 14.0), (b, 20.0)):
        watts = (m.overhead_w + pairs * m.per_fibre_pair_w + 2 * pairs * 1e-3 * 10 ** (dbm / 10)
                 / (m.edfa_power_conversion_efficiency * m.pump_wall_plug_efficiency))
        assert f.repeater_power_w == pytest.approx(watts)
        assert f.repeater_drop_v == pytest.approx(watts / sc.power.line_current_a)
        # IR: 40 km x 1.35 + 960 km x 1.0 at 1 A; + 15 drops; + 0.1 V/km x 1,000 km
        assert f.budget.total_v == pytest.approx(1014.0 + 15 * f.repeater_drop_v + 100.0)
        assert f.fibre_pairs == pairs and f.output_power_dbm == dbm
    assert b.pfe_v_per_end > a.pfe_v_per_end
    assert res.trade is not None and res.trade.cable_length_km == pytest.approx(1000.0)
    assert res.trade.ohm_per_km == pytest.approx(1.014)
    d = res.to_dict()
    assert d["power_limited_design"]["best"] is not None


def test_a_design_without_an_output_takes_the_configured_one() -> None:
    sc = default_scenario()
    res = run_power(sc, _route(), {"a": 15}, {"a": float("nan")})  # type: ignore
    f = res.feeds[0]
    assert f.output_power_dbm == sc.power.repeater.output_power_dbm
    assert "power.repeater.output_power_dbm" in f.drop_source
