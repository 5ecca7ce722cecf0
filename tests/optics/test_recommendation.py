"""The recommended design: the simplest feasible design that reaches the capacity target."""

from __future__ import annotations

import pytest

from transcaspian.optics.config import OpticsConfig
from transcaspian.optics.design import compare_designs


@pytest.fixture(scope="module")
def results():
    out = {}
    for target in (None, 1.0, 100000.0):
        cfg = OpticsConfig(target_system_capacity_tbps=target)
        out[target] = compare_designs(cfg, cable_length_km=372.0, fibre_pairs=32)
    return out


def test_small_target_takes_the_fewest_repeaters_and_stages(results) -> None:
    res = results[1.0]
    rec = res.design(res.recommended)
    feasible = [d for d in res.designs if d.feasible]
    assert rec.feasible
    assert rec.repeaters == min(d.repeaters for d in feasible)
    assert "target" in res.recommendation_reason


def test_no_target_or_unreachable_target_takes_the_most_capacity(results) -> None:
    for target in (None, 100000.0):
        res = results[target]
        rec = res.design(res.recommended)
        top = max(d.capacity_tbps_per_fibre_pair for d in res.designs if d.feasible)
        assert rec.capacity_tbps_per_fibre_pair >= 0.99 * top
    assert "no feasible design reaches" in results[100000.0].recommendation_reason


def test_target_between_designs_picks_the_first_that_reaches_it(results) -> None:
    res = results[None]
    caps = sorted({d.system_capacity_tbps for d in res.designs if d.feasible})
    if len(caps) < 2:
        pytest.skip("needs two capacity levels")
    target = 0.5 * (caps[-2] + caps[-1])
    cfg = OpticsConfig(target_system_capacity_tbps=target)
    picked = compare_designs(cfg, cable_length_km=372.0, fibre_pairs=32)
    rec = picked.design(picked.recommended)
    assert rec.system_capacity_tbps >= target
    reaching = [d for d in picked.designs if d.feasible and d.system_capacity_tbps >= target]
    assert rec.repeaters == min(d.repeaters for d in reaching)
