"""The optics study at a given length (:mod:`transcaspian.optics.at_length`): the one path
behind ``transcaspian optics --cable-length-km`` and the real-systems validation."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import yaml

from transcaspian.cli import main
from transcaspian.optics.at_length import LengthStudy, study_at_length
from transcaspian.scenario import Scenario, default_scenario, default_scenario_text

LENGTH_KM = 6600.0


def _scenario(pfe_rating_v: float | None = None) -> Scenario:
    base = default_scenario()
    optics = base.optics.model_copy(update={
        "transceivers": "submarine", "target_system_capacity_tbps": None,
        "design_space": base.optics.design_space.model_copy(update={"max_repeaters": None})})
    update: dict[str, object] = {"optics": optics}
    if pfe_rating_v is not None:
        update["power"] = base.power.model_copy(update={"pfe_rating_v": pfe_rating_v})
    return base.model_copy(update=update)


@cache
def _study(pfe_rating_v: float | None = None) -> LengthStudy:
    return study_at_length(_scenario(pfe_rating_v), LENGTH_KM)


def test_the_scenario_margin_policy_is_kept() -> None:
    """A scenario's null ``optics.margin_policy_db`` is the decision's minimum margin (1 dB by
    default): the waves of the knee keep at least that on top of the system margin."""
    knee = _study().knee
    assert knee is not None and knee.closes
    assert knee.margin_db >= 1.0 - 1e-9


def test_a_weaker_power_feed_moves_the_knee_to_fewer_repeaters() -> None:
    """Every design the feed cannot power is no candidate: with a 9 kV PFE the longest designs
    of the 15 kV default are refused, and the knee is one the weaker feed can power."""
    strong, weak = _study(), _study(9000.0)
    assert strong.knee is not None and strong.feedable[strong.knee.name]
    assert strong.knee_reference is not None and not weak.feedable[strong.knee_reference.name]
    assert weak.knee is not None and weak.feedable[weak.knee.name]
    assert weak.knee.repeaters < strong.knee.repeaters
    assert all(weak.feedable[d.name] is False for d in weak.optics.designs
               if d.repeaters > weak.knee_reference.repeaters)  # type: ignore[union-attr]


def test_the_command_prints_the_study(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """``transcaspian optics SCENARIO --cable-length-km L --json`` reports the same knee and
    power verdicts as the library function."""
    doc = yaml.safe_load(default_scenario_text())
    doc["optics"] = {**(doc.get("optics") or {}), "transceivers": "submarine",
                     "target_system_capacity_tbps": None,
                     "design_space": {**(doc.get("optics", {}).get("design_space") or {}),
                                      "max_repeaters": None}}
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    code = main(["optics", str(path), "--cable-length-km", str(LENGTH_KM), "--json"])
    out = json.loads(capsys.readouterr().out)
    study = _study()
    assert code in (0, None)
    assert study.knee is not None and out["capacity_knee"] == study.knee.name
    assert {k: v["feedable"] for k, v in out["power"].items()} == study.feedable


def test_the_reference_is_the_largest_count_the_feed_powers() -> None:
    """With a 9 kV PFE the capacity-chosen counts leave a gap (88 fed, 120 not, on this
    cable); the study designs up to the largest count fed: that design is fed, one repeater
    more at the same output is not."""
    import math

    from transcaspian.power.stage import feed_for_length

    weak = _study(9000.0)
    ref = weak.knee_reference
    assert ref is not None and weak.feedable[ref.name]
    out = ref.launch_power_dbm + 10.0 * math.log10(ref.frequency_thz.size)
    scenario = _scenario(9000.0)
    more = feed_for_length(scenario.power, LENGTH_KM, scenario.cable.fibre_pairs,
                           {"more": ref.repeaters + 1}, {"more": out}, with_trade=False)
    assert not more.feasible["more"]
    refused = [d.repeaters for d in weak.optics.designs if not weak.feedable[d.name]]
    assert refused and ref.repeaters < min(refused) - 1  # strictly inside the gap
