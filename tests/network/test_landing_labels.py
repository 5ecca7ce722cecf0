"""New landing nodes carry the scenario's names, and their made-up backhauls say so."""

from __future__ import annotations

from typing import Any

import pytest

import transcaspian.network.stage as stage_module
from transcaspian.scenario import default_scenario


def test_the_pipeline_hands_the_landing_names_to_the_network_stage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}

    def capture(config: Any, **kwargs: Any) -> str:
        seen.update(kwargs)
        return "corridor"

    monkeypatch.setattr(stage_module, "analyse_corridor", capture)
    sc = default_scenario()
    a = sc.landings.a.model_copy(update={"name": "Buzovna", "lat_deg": 40.52, "lon_deg": 50.11})
    b = sc.landings.b.model_copy(update={"name": "Kuryk", "lat_deg": 43.19, "lon_deg": 51.68})
    sc = sc.model_copy(update={"landings": sc.landings.model_copy(update={"a": a, "b": b})})

    class _Route:
        cable_length_km = 340.0

    assert stage_module.run_network(sc, _Route()) == "corridor"  # type: ignore[arg-type]
    assert seen["line_landing_names"] == ("Buzovna", "Kuryk")
    assert seen["line_landings_deg"] == ((40.52, 50.11), (43.19, 51.68))
