"""Power feeding against the worked SEACOM and TCFO figures.

SEACOM PFE table (SEACOM NOC head, unofficial copy in the public GitHub repository
dibakarhalder-tech/cable-fault-locator, "Final data - v7.csv"): the first segment drops
68.97 - 11.9 = 57.07 V over 89.18 km of main cable (0.640 V/km), so with the 1.0 ohm/km main
cable I ~ 0.64 A; Mtunzini-Zafarana, 11,090 km, needs 9,173 V from one end, of which the repeaters
and branching units take 2,074 V.
"""

from __future__ import annotations

import pytest

from transcaspian.power.config import PowerConfig
from transcaspian.power.feeding import feed_budget, voltage_profile

SEACOM_V_PER_KM = (68.97 - 11.9) / 89.18  # first segment only
SEACOM_LINE_KM = 11_090.0
SEACOM_TOTAL_V = 9_173.0
SEACOM_REPEATERS_V = 2_074.0


def test_seacom_whole_line_from_its_first_segment() -> None:
    """The IR + repeater-drop model, with I·R taken from one 89 km segment, predicts the
    11,090 km line's 9,173 V within 0.5 % (no earth-potential allowance in a measured value)."""
    current = 0.64
    r = SEACOM_V_PER_KM / current
    assert r == pytest.approx(1.0, abs=0.01)  # the reference notes' "main-cable R ~ 1.0 ohm/km"
    b = feed_budget({"LW": SEACOM_LINE_KM}, {"LW": r}, current, [SEACOM_REPEATERS_V], 0.0)
    assert b.total_v == pytest.approx(SEACOM_TOTAL_V, rel=0.005)
    assert b.repeater_drop_v / b.total_v == pytest.approx(0.226, abs=0.002)  # "22.6 %"


@pytest.mark.parametrize(("v_rep", "expected_kv"), [(12.2, 0.35), (24.0, 0.40)])
def test_tcfo_repeatered_example(v_rep: float, expected_kv: float) -> None:
    """Reference-notes TCFO example: 4 repeaters, 340 km at 1.0 + 40 km at 1.35 ohm/km,
    0.64 A, earth allowance 46 V (0.12 V/km): 0.35-0.40 kV."""
    b = feed_budget({"LW": 340.0, "DA": 40.0}, {"LW": 1.0, "DA": 1.35}, 0.64, [v_rep] * 4, 0.12)
    assert b.conductor_drop_v == pytest.approx(252.0, abs=1.0)
    assert b.total_v / 1e3 == pytest.approx(expected_kv, abs=0.01)


def test_voltage_profile_falls_by_ir_and_repeater_steps() -> None:
    import numpy as np

    kp = np.array([0.0, 50.0, 100.0])
    _, v = voltage_profile(kp, np.array([1.0, 2.0]), 1.0, [75.0], 10.0, 300.0)
    assert v.tolist() == [300.0, 250.0, 300.0 - 50.0 - 100.0 - 10.0]



def test_bad_power_config_names_the_field() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="XX"):
        PowerConfig(conductor_resistance_ohm_per_km={"XX": 1.0})
