"""Reliability inputs that used to give quiet wrong answers (issue 22) are one-line errors."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from transcaspian.cli import main
from transcaspian.errors import ReliabilityError
from transcaspian.network.topology import build_corridor
from transcaspian.reliability.config import ReliabilityConfig
from transcaspian.reliability.corridor import check_groups, failure_units
from transcaspian.reliability.tables import plant_table, zone_tables
from transcaspian.scenario import default_scenario_text, loads_scenario
from usererror import assert_user_error

PLANT_HEADER = "item,plant,fit,repair_hours,redundancy,count_per,applies_to,source\n"


# --------------------------------------------------------------------------------------------
# Plant file


@pytest.mark.parametrize(("text", "what"), [("", "an empty file"),
                                            ("\n\n", "an empty file"),
                                            (PLANT_HEADER, "a header and no rows")])
def test_an_empty_plant_file_is_refused(tmp_path: Path, text: str, what: str) -> None:
    path = tmp_path / "plant.csv"
    path.write_text(text, encoding="utf-8")
    cfg = ReliabilityConfig.model_validate({"plant_file": str(path)})
    with pytest.raises(ReliabilityError) as exc:
        plant_table(cfg)
    assert_user_error(exc.value, str(path))
    assert what in str(exc.value)


def test_an_empty_plant_file_is_exit_2_in_scenario_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plant.csv").write_text(PLANT_HEADER, encoding="utf-8")
    text = default_scenario_text().replace(
        "reliability:\n", "reliability:\n  plant_file: plant.csv\n", 1)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(text, encoding="utf-8")
    status = main(["scenario", "check", str(scenario)])
    err = capsys.readouterr().err.strip()
    assert status == 2, err
    assert "plant.csv: a header and no rows" in err and len(err.splitlines()) == 1, err


def test_a_plant_file_with_one_row_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "plant.csv"
    path.write_text(PLANT_HEADER + "slte,dry,10000,4,1,end_fibre_pair,all,mine\n",
                    encoding="utf-8")
    items = plant_table(ReliabilityConfig.model_validate({"plant_file": str(path)}))
    assert [i.item for i in items] == ["slte"]


# --------------------------------------------------------------------------------------------
# Depth bands


def _edge(key: str, value: float) -> dict[str, Any]:
    return {"factor": "depth_band_max_m", "key": key, "value": value}


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ([_edge("shelf", 20.0)], "reliability.zone_factors.0: depth_band_max_m 'shelf': 20 m"),
        ([_edge("shore", 500.0)], "reliability.zone_factors.0: depth_band_max_m 'shore': 500 m"),
        ([_edge("shore", 10.0), _edge("shelf", 2000.0)],
         "reliability.zone_factors.1: depth_band_max_m 'shelf': 2000 m"),
    ],
)
def test_depth_bands_out_of_order_are_refused(overrides: list[dict[str, Any]],
                                              named: str) -> None:
    cfg = ReliabilityConfig.model_validate({"zone_factors": overrides})
    with pytest.raises(ReliabilityError) as exc:
        zone_tables(cfg)
    assert_user_error(exc.value, named.partition(":")[0])
    assert str(exc.value).startswith(named), exc.value
    assert "out of order" in str(exc.value)


def test_a_depth_band_edge_equal_to_another_is_refused() -> None:
    cfg = ReliabilityConfig.model_validate({"zone_factors": [_edge("shore", 200.0)]})
    with pytest.raises(ReliabilityError, match=r"^reliability\.zone_factors\.0: "
                       r"depth_band_max_m 'shore': 200 m is the edge of band 'shelf' too"):
        zone_tables(cfg)


def test_an_edge_moved_within_its_neighbours_is_accepted() -> None:
    cfg = ReliabilityConfig.model_validate(
        {"zone_factors": [_edge("shore", 100.0), _edge("slope", 1500.0)]})
    tables = zone_tables(cfg)
    assert tables.band_names == ("shore", "shelf", "slope", "deep")
    assert tables.band_max_m[:3] == (100.0, 200.0, 1500.0)


def test_the_bundled_bands_are_in_order() -> None:
    assert zone_tables(ReliabilityConfig()).band_names == ("shore", "shelf", "slope", "deep")


# --------------------------------------------------------------------------------------------
# Risk groups of the corridor


def _corridor_and_config(groups: dict[str, Any]) -> tuple[Any, ReliabilityConfig]:
    scenario = loads_scenario(default_scenario_text())
    corridor = build_corridor(scenario.network, line_length_km=None, line_landings_deg=None,
                              line_landing_names=None)
    data = scenario.reliability.model_dump(mode="json")
    data["corridor"]["groups"] = groups
    return corridor, ReliabilityConfig.model_validate(data)


def test_a_misspelt_risk_group_is_refused() -> None:
    corridor, cfg = _corridor_and_config({"georgia_lands": {"rate_per_year": 2.0,
                                                            "mttr_days": 5.0}})
    with pytest.raises(ReliabilityError) as exc:
        failure_units(corridor, cfg, line_link=corridor.links[0].id, line_unavailability=0.0)
    assert_user_error(exc.value, "reliability.corridor.groups.georgia_lands")
    msg = str(exc.value)
    assert "not a shared-risk group" in msg
    assert "did you mean 'georgia_land'?" in msg
    assert all(g in msg for g in corridor.srlgs), msg


def test_a_known_risk_group_is_used() -> None:
    corridor, cfg = _corridor_and_config({"georgia_land": {"rate_per_year": 2.0,
                                                           "mttr_days": 5.0}})
    check_groups(corridor, cfg)
    units = failure_units(corridor, cfg, line_link=corridor.links[0].id, line_unavailability=0.0)
    q = units.q[units.names.index("georgia_land")]
    assert q == pytest.approx(-math.expm1(-2.0 * 5.0 / 365.25))
