"""The decision rule on hand-made candidate tables (the cases of issue 18), vectorised too."""

from __future__ import annotations

import numpy as np
import pytest

from transcaspian.decision.rule import recommend
from transcaspian.errors import DecisionError


def _table(**over):  # type: ignore[no-untyped-def]
    base = dict(capacity_tbps=[205.0, 288.0, 614.0, 614.0], margin_db=[1.8, 0.02, 1.45, 2.7],
                carries=[True] * 4, feedable=[True] * 4, availability=[0.9862, 0.986, 0.9859,
                                                                        0.9858],
                npv=[39.7, 44.7, 48.8, 48.1], lifecycle_cost=[70.0, 66.0, 62.0, 64.0],
                capex=[44.5, 41.8, 40.3, 40.8])
    base.update(over)
    return {k: np.asarray(v) for k, v in base.items()}


def test_thin_margin_design_is_not_chosen_when_a_safe_one_carries_the_same() -> None:
    # Kuryk-Buzovna: the ROPA design at 0.05 dB and one repeater at 1.57 dB, both 409.6 Tb/s
    t = _table(capacity_tbps=[409.6, 409.6], margin_db=[0.05, 1.57], carries=[True, True],
               feedable=[True, True], availability=[0.99, 0.99], npv=[50.0, 45.0],
               lifecycle_cost=[60.0, 62.0], capex=[40.0, 42.0])
    c = recommend(**t, target_tbps=400.0, min_margin_db=1.0)
    assert int(c.index) == 1 and not bool(c.policy_relaxed)


def test_a_lower_target_never_makes_the_choice_dearer() -> None:
    t = _table()
    low = recommend(**t, target_tbps=200.0, min_margin_db=1.0)
    high = recommend(**t, target_tbps=400.0, min_margin_db=1.0)
    assert int(low.index) == int(high.index) == 2  # two repeaters: highest NPV, lowest CAPEX


def test_unfeedable_and_non_carrying_designs_are_never_chosen() -> None:
    t = _table(feedable=[True, False, False, False])
    c = recommend(**t, target_tbps=400.0, min_margin_db=1.0)
    assert int(c.index) == 0 and not bool(c.target_met)
    t = _table(carries=[False, True, True, True])
    assert int(recommend(**t, target_tbps=None, min_margin_db=1.0).index) == 2


def test_policy_relaxed_only_when_no_design_meets_it() -> None:
    t = _table(margin_db=[0.1, 0.2, 0.3, 0.4])
    c = recommend(**t, target_tbps=400.0, min_margin_db=1.0)
    assert bool(c.policy_relaxed) and int(c.index) == 2
    c = recommend(**_table(), target_tbps=400.0, min_margin_db=1.0, min_availability=0.9861)
    assert int(c.index) == 0 and bool(c.policy_relaxed) is False and not bool(c.target_met)


def test_objectives_and_ties() -> None:
    t = _table()
    assert int(recommend(**t, objective="capacity", min_margin_db=1.0).index) == 2  # tie: CAPEX
    assert int(recommend(**t, objective="lifecycle_cost", min_margin_db=1.0).index) == 2
    t = _table(npv=[39.7, 44.7, 48.0, 48.0])
    assert int(recommend(**t, min_margin_db=1.0).index) == 2  # equal NPV: lower CAPEX
    with pytest.raises(DecisionError):
        recommend(**t, objective="cheapest")


def test_vectorised_rows_equal_scalar_calls() -> None:
    t = _table()
    targets = np.array([np.nan, 100.0, 250.0, 300.0, 614.0, 700.0])
    rows = recommend(**t, target_tbps=targets, min_margin_db=1.0)
    for k, target in enumerate(targets):
        one = recommend(**t, target_tbps=None if np.isnan(target) else target, min_margin_db=1.0)
        assert int(rows.index[k]) == int(one.index)
        assert bool(rows.target_met[k]) == bool(one.target_met)
