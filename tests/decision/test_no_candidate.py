"""When no design can be built, the decision's error names why, design by design."""

from __future__ import annotations

import pytest

from transcaspian.errors import DecisionError
from transcaspian.plan import plan
from transcaspian.scenario import default_scenario


def test_the_error_names_each_design_s_failed_constraints() -> None:
    """Repeatered designs only, and a PFE far too weak to feed any of them: every design fails
    "feedable", and the message says so for each (it used to list the names with no reason)."""
    base = default_scenario()
    optics = base.optics.model_copy(update={"design_space": base.optics.design_space.model_copy(
        update={"include_unrepeatered": ()})})
    power = base.power.model_copy(update={"pfe_rating_v": 100.0})
    scenario = base.model_copy(update={"optics": optics, "power": power})
    with pytest.raises(DecisionError) as info:
        plan(scenario, until="decision")
    message = str(info.value)
    names = [f"repeatered_{k}" for k in range(1, 7)]
    for name in names:
        assert f"{name}: cannot be power-fed within the PFE rating" in message
