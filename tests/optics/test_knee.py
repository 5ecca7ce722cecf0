"""The capacity knee (:mod:`transcaspian.optics.knee`): the fewest repeaters within a share of
the most-repeater design's capacity, among the designs that close and can be fed."""

from __future__ import annotations

from functools import cache

import pytest

from transcaspian.optics.config import OpticsConfig
from transcaspian.optics.design import OpticsResult, compare_designs
from transcaspian.optics.knee import capacity_knee


@cache
def _long() -> OpticsResult:
    cfg = OpticsConfig.model_validate({"transceivers": "submarine", "design_space": {
        "include_unrepeatered": [], "max_repeaters": None}})
    return compare_designs(cfg, cable_length_km=6600.0, fibre_pairs=8)


def test_the_knee_is_the_fewest_repeaters_within_the_share() -> None:
    designs = [d for d in _long().designs if d.repeaters > 0 and d.closes]
    most = max(designs, key=lambda d: d.repeaters)
    for share in (0.8, 0.95, 1.0):
        knee = capacity_knee(designs, fraction=share)
        assert knee is not None
        assert knee.capacity_tbps_per_fibre_pair >= share * most.capacity_tbps_per_fibre_pair - 1e-9
        fewer = [d for d in designs if d.repeaters < knee.repeaters]
        assert all(d.capacity_tbps_per_fibre_pair < share * most.capacity_tbps_per_fibre_pair
                   for d in fewer)


def test_an_unfeedable_design_is_no_candidate_nor_the_reference() -> None:
    designs = _long().designs
    most = max((d for d in designs if d.closes), key=lambda d: d.repeaters)
    knee = capacity_knee(designs, feedable={most.name: False})
    assert knee is not None and knee.name != most.name
    assert capacity_knee(designs, feedable={d.name: False for d in designs}) is None


def test_an_unrepeatered_design_is_the_knee_when_it_carries_enough() -> None:
    """Zero repeaters is the fewest: on a 150 km cable an unrepeatered design that reaches the
    share is the knee (the simplest of equal ones)."""
    res = compare_designs(OpticsConfig.model_validate({"transceivers": "submarine"}),
                          cable_length_km=150.0, fibre_pairs=8)
    most = max((d for d in res.designs if d.closes), key=lambda d: d.repeaters)
    un = [d for d in res.designs if d.repeaters == 0 and d.closes]
    best_un = max(d.capacity_tbps_per_fibre_pair for d in un)
    assert best_un >= 0.95 * most.capacity_tbps_per_fibre_pair  # the case this test is about
    knee = capacity_knee(res.designs)
    assert knee is not None and knee.repeaters == 0
    assert knee.capacity_tbps_per_fibre_pair == best_un


def test_no_design_that_closes_gives_none_and_a_bad_share_is_refused() -> None:
    assert capacity_knee([d for d in _long().designs if not d.closes]) is None
    with pytest.raises(ValueError, match="fraction"):
        capacity_knee(_long().designs, fraction=0.0)
