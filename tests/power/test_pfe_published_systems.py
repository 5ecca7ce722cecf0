"""PFE voltages of published systems, modelled with the toolkit's stated defaults (not tuned).

Sources (copied here; tests do not read the shared notes):

* Transpacific (Japan - US): "a DC constant current of about 0.5-1 A ... on a transpacific
  cable the voltage across its two ends (Japan - US) reaches 12,000-14,000 V; double-end
  feeding with + and - at the two ends is general" (5ch network board post quoting a
  textbook-style explanation; weak source [U]). Modelled as FASTER (Oregon - Japan, about
  9,000 km, 6 fibre pairs: CommsUpdate 15 Aug 2014; FierceTelecom 2016).
* SEACOM (Mtunzini - Zafarana, 11,090 km): 9,173 V single-end of which 2,074 V across repeaters
  and branching units (SEACOM PFE table, unofficial copy) — the structural check is in
  test_feeding.py; its repeater count and amplifier output are not published, so the
  electrical repeater model cannot be checked on it.

Assumptions fixed before the comparison = the PowerConfig defaults: 1 A, 1.0 ohm/km main cable,
0.1 V/km earth allowance, repeaters every 60 km, 17 dBm per amplifier, PCE 0.5, pump
efficiency 0.25, 5 W + 1 W per pair.
"""

from __future__ import annotations

import pytest

from transcaspian.power.config import PowerConfig
from transcaspian.power.stage import feed_for_length, reference_repeaters

TRANSPACIFIC_TOTAL_KV = (12.0, 14.0)
FASTER_KM = 9000.0
FASTER_PAIRS = 6


def _faster(current_a: float) -> float:
    cfg = PowerConfig(line_current_a=current_a, feeding="double_end")
    n = reference_repeaters(FASTER_KM, cfg.reference_span_km)
    f = feed_for_length(cfg, FASTER_KM, FASTER_PAIRS, {"faster": n}, with_trade=False).feeds[0]
    return f.budget.total_v / 1e3


def test_transpacific_end_to_end_voltage_at_the_default_current() -> None:
    """Default 1 A: 9.0 kV IR + 149 repeaters x 15.8 V (2.36 kV) + 0.9 kV earth allowance =
    12.26 kV, inside the published 12-14 kV (2 % above the floor); each PFE supplies half
    (6.1 kV), inside a 15 kV rating."""
    lo, hi = TRANSPACIFIC_TOTAL_KV
    assert lo <= _faster(1.0) <= hi


@pytest.mark.xfail(strict=True, reason=(
    "at the published range's low current (0.5 A) the model gives 10.1 kV, 16 % under the "
    "12 kV floor: the IR drop halves and the repeaters' drop (their power over the current) "
    "doubles; the source gives neither the current nor the repeater count of its cable, so "
    "the miss is reported, not tuned"))
def test_transpacific_at_half_an_ampere() -> None:
    lo, hi = TRANSPACIFIC_TOTAL_KV
    assert lo <= _faster(0.5) <= hi
