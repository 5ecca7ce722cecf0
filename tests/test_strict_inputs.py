"""Wrong types, duplicate keys and every problem on its own line, in every loader (issue 8).

Findings 2 (booleans and numeric strings where numbers are expected, duplicate keys), 3 (list
every problem, with a difflib hint for an unknown key) and 8 (messages: non-UTF-8 byte
position, a scenario given as a line case).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import Field

from transcaspian.cli import main
from transcaspian.errors import DataError, OpticsError, ScenarioError
from transcaspian.model import StrictModel
from transcaspian.scenario import default_scenario_text, load_scenario, loads_scenario
from usererror import assert_user_error

DEFAULT = default_scenario_text()


def _swap(old: str, new: str) -> str:
    assert old in DEFAULT, old
    return DEFAULT.replace(old, new, 1)


# --------------------------------------------------------------------------------------------
# Finding 2: wrong types in the scenario


@pytest.mark.parametrize(
    ("old", "new", "field", "got"),
    [
        ("fibre_pairs: 32", "fibre_pairs: true", "cable.fibre_pairs", "True"),
        ("fibre_pairs: 32", 'fibre_pairs: "32"', "cable.fibre_pairs", "'32'"),
        ("fibre_pairs: 32", "fibre_pairs: 32.0", "cable.fibre_pairs", "32.0"),
        ("caspian_level_m: -29.18", "caspian_level_m: false", "route.caspian_level_m", "False"),
        ("caspian_level_m: -29.18", 'caspian_level_m: "-29.18"', "route.caspian_level_m", None),
    ],
)
def test_wrong_types_in_the_scenario_are_refused(
    old: str, new: str, field: str, got: str | None
) -> None:
    with pytest.raises(ScenarioError) as exc:
        loads_scenario(_swap(old, new), source="my.yaml")
    assert_user_error(exc.value, "my.yaml")
    msg = str(exc.value)
    assert f"{field}: Input should be a valid" in msg
    assert msg.startswith("my.yaml: line ")  # the line of the key in the file
    if got:
        assert f"(got {got})" in msg


def test_bool_loss_in_the_optics_fibre_is_refused() -> None:
    text = DEFAULT + "\n" if "optics:" in DEFAULT else DEFAULT
    data = yaml.safe_load(text)
    data.setdefault("optics", {}).setdefault("fibre", {})["loss_db_per_km"] = True
    with pytest.raises(ScenarioError, match=r"optics\.fibre\.loss_db_per_km: Input should be a "
                       r"valid number \(got True\)"):
        loads_scenario(yaml.safe_dump(data), source="my.yaml")


def test_an_int_is_still_a_valid_float() -> None:
    sc = loads_scenario(_swap("caspian_level_m: -29.18", "caspian_level_m: -29"))
    assert sc.route.caspian_level_m == -29.0
    assert isinstance(sc.route.caspian_level_m, float)


def test_duplicate_key_names_both_lines() -> None:
    text = _swap("fibre_pairs: 32", "fibre_pairs: 32\n  fibre_pairs: 1")
    with pytest.raises(ScenarioError) as exc:
        loads_scenario(text, source="my.yaml")
    line = DEFAULT.splitlines().index(
        next(s for s in DEFAULT.splitlines() if "fibre_pairs: 32" in s)
    ) + 1
    assert str(exc.value) == (
        f"my.yaml: duplicate key 'fibre_pairs' at line {line + 1} (first given at line {line}); "
        "each key may appear once"
    )


def test_a_yaml_merge_may_override_a_merged_key() -> None:
    from transcaspian._load import parse_yaml

    data = parse_yaml("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  x: 3\n", source="s",
                      error=ScenarioError)
    assert data["other"] == {"x": 3, "y": 2}


def test_alias_bomb_is_refused() -> None:
    from transcaspian._load import parse_yaml

    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for k in range(1, 8):
        prev = f"*a{k - 1}"
        lines.append(f"a{k}: &a{k} [{', '.join([prev] * 10)}]")
    with pytest.raises(ScenarioError, match="expands to more than"):
        parse_yaml("\n".join(lines), source="bomb.yaml", error=ScenarioError)


def test_every_stage_model_inherits_strictness() -> None:
    """A configuration written later (reliability, economics...) gets it without any work."""

    class Later(StrictModel):
        rate_per_year: float = Field(ge=0.0)
        count: int = 1
        enabled: bool = True
        table: tuple[float, ...] = ()
        by_name: dict[str, float] = Field(default_factory=dict)
        optional_km: float | None = None

    assert Later(rate_per_year=2, table=[1, 2.5], by_name={"a": 3}).table == (1.0, 2.5)
    for bad in (
        {"rate_per_year": True},
        {"rate_per_year": "0.5"},
        {"rate_per_year": 1.0, "count": True},
        {"rate_per_year": 1.0, "count": "2"},
        {"rate_per_year": 1.0, "enabled": 1},
        {"rate_per_year": 1.0, "enabled": "yes"},
        {"rate_per_year": 1.0, "table": [1.0, False]},
        {"rate_per_year": 1.0, "by_name": {"a": "1"}},
        {"rate_per_year": 1.0, "optional_km": True},
    ):
        with pytest.raises(ValueError, match="Input should be a valid"):
            Later.model_validate(bad)


# --------------------------------------------------------------------------------------------
# Finding 3: every problem, each on its own line, with a hint


def test_a_typo_lists_both_problems_with_a_hint() -> None:
    with pytest.raises(ScenarioError) as exc:
        loads_scenario(_swap("fibre_pairs: 32", "fibre_pair: 32"), source="my.yaml")
    err = exc.value
    assert_user_error(err, "my.yaml")
    assert err.message == "my.yaml: 2 problems"
    assert len(err.problems) == 2
    assert any(p.endswith("cable.fibre_pairs: required field is missing") for p in err.problems)
    assert any(
        p.endswith("cable.fibre_pair: unknown key (did you mean `fibre_pairs`?)")
        for p in err.problems
    )
    assert all(p.startswith("line ") for p in err.problems)


def test_three_problems_in_file_order() -> None:
    text = _swap("fibre_pairs: 32", "fibre_pairs: true")
    text = text.replace("caspian_level_m: -29.18", "caspian_level_m: hello", 1)
    text = text.replace("design_life_years: 25", "design_lif_years: 25", 1)
    with pytest.raises(ScenarioError) as exc:
        loads_scenario(text, source="my.yaml")
    problems = exc.value.problems
    assert exc.value.message == "my.yaml: 4 problems"  # the typo is two: missing + unknown
    lines = [int(p.split(":")[0].removeprefix("line ")) for p in problems]
    assert lines == sorted(lines)
    assert any("design_lif_years: unknown key (did you mean `design_life_years`?)" in p
               for p in problems)


def test_cli_prints_the_problems_and_exits_2(tmp_path: Path, capsys) -> None:
    p = tmp_path / "my.yaml"
    p.write_text(_swap("fibre_pairs: 32", "fibre_pair: 32"), encoding="utf-8")
    assert main(["scenario", "check", str(p)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"transcaspian: error: {p}: 2 problems"
    assert len(err) == 3 and all(line.startswith("  line ") for line in err[1:])


def test_line_case_lists_every_problem() -> None:
    from transcaspian.optics import line_case_from_dict

    data = {
        "name": "t",
        "spectrum": {"launch_power_dbm_per_channel": True},
        "fibres": {"SSMF": {"loss_db_per_km": "0.2"}},
        "elements": [{"fibre": {"type": "SSMF", "lenght_km": 80}}, {"fibr": {}}],
    }
    with pytest.raises(OpticsError) as exc:
        line_case_from_dict(data, source="case.yaml")
    assert_user_error(exc.value, "case.yaml")
    text = "\n".join(exc.value.problems)
    assert ("spectrum.launch_power_dbm_per_channel: Input should be a valid number (got True)"
            in text)
    assert "fibres.SSMF.loss_db_per_km: Input should be a valid number (got '0.2')" in text
    assert "elements.0.fibre.lenght_km: unknown key (did you mean `length_km`?)" in text
    assert "elements.0.fibre.length_km: required field is missing" in text
    assert "elements.1: unknown element 'fibr'" in text and "did you mean `fibre`?" in text


# --------------------------------------------------------------------------------------------
# The other loaders: line cases, GNPy JSON, corridor datasets, hazards, TeleGeography, tables


def test_line_case_file_with_duplicate_key(tmp_path: Path) -> None:
    from transcaspian.optics import load_line_case

    p = tmp_path / "case.yaml"
    p.write_text("name: a\nname: b\n", encoding="utf-8")
    with pytest.raises(OpticsError, match=r"duplicate key 'name' at line 2 \(first given at "
                       r"line 1\)"):
        load_line_case(p)


def test_gnpy_json_nan_and_duplicates(tmp_path: Path) -> None:
    from transcaspian.optics.gnpy_equipment import read_gnpy_equipment

    p = tmp_path / "eqpt.json"
    p.write_text('{"Edfa": [], "SI": [{"f_min": NaN}]}', encoding="utf-8")
    with pytest.raises(OpticsError, match="NaN is not a JSON number"):
        read_gnpy_equipment(p)
    p.write_text('{"Edfa": [], "Edfa": []}', encoding="utf-8")
    with pytest.raises(OpticsError, match="duplicate key 'Edfa'"):
        read_gnpy_equipment(p)


def _dataset() -> dict[str, Any]:
    from importlib import resources

    text = resources.files("transcaspian").joinpath("data", "corridor", "corridor.yaml")
    return yaml.safe_load(text.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_corridor_dataset_bool_capacity_and_duplicate_key(tmp_path: Path) -> None:
    from transcaspian.network.topology import read_dataset

    data = _dataset()
    data["links"][0]["capacity_tbps"] = True
    p = tmp_path / "corridor.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataError, match=r"links\.0\.capacity_tbps: Input should be a valid number"):
        read_dataset(p)
    p.write_text("version: 1\nversion: 1\n", encoding="utf-8")
    with pytest.raises(DataError, match="duplicate key 'version'"):
        read_dataset(p)


def _hazard_layer(**props: Any) -> dict[str, Any]:
    base = {"name": "x", "kind": "platform", "action": "forbid", "buffer_m": 500}
    base.update(props)
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": base,
                      "geometry": {"type": "Point", "coordinates": [50.5, 41.0]}}],
    }


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        (_hazard_layer(approximate="no"), "property 'approximate' has the wrong type"),
        (_hazard_layer(buffer_m=True), "property 'buffer_m' has the wrong type"),
        (_hazard_layer(bufer_m=800), "unknown property 'bufer_m' (did you mean `buffer_m`?)"),
    ],
)
def test_hazard_properties_are_typed(layer: dict[str, Any], message: str) -> None:
    from transcaspian.geo.hazards import parse_hazards

    with pytest.raises(DataError) as exc:
        parse_hazards(layer, source="layer.geojson")
    assert message in str(exc.value)


def test_hazard_coordinates_must_be_numbers(tmp_path: Path) -> None:
    from transcaspian.geo.hazards import parse_hazards, read_hazards

    layer = _hazard_layer()
    layer["features"][0]["geometry"]["coordinates"] = [True, 41.0]
    with pytest.raises(DataError, match=r"coordinate True is not a number"):
        parse_hazards(layer, source="layer.geojson")
    p = tmp_path / "dup.geojson"
    p.write_text('{"type": "FeatureCollection", "type": "x", "features": []}', encoding="utf-8")
    with pytest.raises(DataError, match="duplicate key 'type'"):
        read_hazards(p)


def test_telegeography_coordinates_must_be_numbers(tmp_path: Path) -> None:
    from transcaspian.network.config import TeleGeographyImport
    from transcaspian.network.telegeography import read_telegeography

    lp = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "a"},
         "geometry": {"type": "Point", "coordinates": ["41.6", 42.1]}}]}
    files = {}
    for name, doc in (("lp.json", lp), ("geo.json", {"type": "FeatureCollection",
                                                     "features": []}), ("meta.json", [])):
        files[name] = tmp_path / name
        files[name].write_text(json.dumps(doc), encoding="utf-8")
    opts = TeleGeographyImport(landing_points_geojson=files["lp.json"],
                               cables_geojson=files["geo.json"], cables_meta=files["meta.json"])
    with pytest.raises(DataError, match="feature 0: needs properties.id and a Point"):
        read_telegeography(opts)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("AZE,Azerbaijan,caucasus,nan,80", "not finite"),
        ("AZE,Azerbaijan,caucasus,inf,80", "not finite"),
        ("AZE,Azerbaijan,caucasus,true,80", "not a number"),
    ],
)
def test_country_table_refuses_non_numbers(tmp_path: Path, row: str, message: str) -> None:
    from transcaspian.network.demand import read_countries

    p = tmp_path / "countries.csv"
    p.write_text(f"iso3,name,group,population,internet_users_pct\n{row}\n", encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_countries(p)


def test_country_table_refuses_a_country_twice(tmp_path: Path) -> None:
    from transcaspian.network.demand import read_countries

    p = tmp_path / "countries.csv"
    p.write_text("iso3,name,group,population,internet_users_pct\n"
                 "AZE,Azerbaijan,caucasus,10,80\nAZE,Azerbaijan,caucasus,11,80\n",
                 encoding="utf-8")
    with pytest.raises(DataError, match="row 3: country 'AZE' is listed twice"):
        read_countries(p)


def test_transceiver_table_refuses_a_bool_rate(tmp_path: Path) -> None:
    from transcaspian.optics.transceivers import transceiver_library_from_dict

    mode = {"name": "m", "bit_rate_gbps": True, "symbol_rate_gbaud": 64.0,
            "min_spacing_ghz": 75.0, "required_snr_db": 10.0, "source": "s", "cited": True}
    with pytest.raises(DataError, match=r"bit_rate_gbps: Input should be a valid number"):
        transceiver_library_from_dict({"name": "x", "modes": [mode]}, source="t.yaml")


# --------------------------------------------------------------------------------------------
# Finding 8: messages a user can act on


def test_non_utf8_file_names_the_byte(tmp_path: Path) -> None:
    p = tmp_path / "latin1.yaml"
    p.write_bytes(b"name: Aktau\ndescription: caf" + b"\xe9\n")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    assert str(exc.value) == (
        f"{p}: scenario file is not UTF-8 text: byte 0xe9 at offset 28 (line 2, column 17); "
        "save the file as UTF-8"
    )


def test_a_scenario_given_as_a_line_case(tmp_path: Path, capsys) -> None:
    p = tmp_path / "my.yaml"
    p.write_text(DEFAULT, encoding="utf-8")
    assert main(["optics", "line", str(p)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"transcaspian: error: {p}: this is a scenario, not a line case (run it with "
        "`transcaspian run FILE` or `transcaspian optics FILE`)\n"
    )


def test_a_line_case_given_as_a_scenario() -> None:
    with pytest.raises(ScenarioError, match="this is a line case, not a scenario"):
        loads_scenario("name: t\nspectrum: {}\nelements: []\n", source="case.yaml")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["network", "--cable-length-km", "380", "--capacity-tbps", "nan"],
         "--capacity-tbps: must be a finite number >= 0 and <= 100000 Tbit/s, got nan"),
        (["network", "--cable-length-km", "inf"],
         "--cable-length-km: must be a finite number > 0 and <= 40000 km, got inf"),
    ],
)
def test_cli_numbers_are_named_by_their_option(argv: list[str], expected: str,
                                               capsys) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err == f"transcaspian: error: {expected}\n"


def test_telegeography_cable_without_coordinates(tmp_path: Path) -> None:
    """Found by the fuzz suite: a MultiLineString with no 'coordinates' raised KeyError."""
    from transcaspian.network.config import TeleGeographyImport
    from transcaspian.network.telegeography import read_telegeography

    docs = {
        "lp.json": {"type": "FeatureCollection", "features": []},
        "geo.json": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "MultiLineString"},
             "properties": {"id": "cable"}}]},
        "meta.json": [],
    }
    paths = {}
    for name, doc in docs.items():
        paths[name] = tmp_path / name
        paths[name].write_text(json.dumps(doc), encoding="utf-8")
    opts = TeleGeographyImport(landing_points_geojson=paths["lp.json"],
                               cables_geojson=paths["geo.json"], cables_meta=paths["meta.json"])
    with pytest.raises(DataError, match="cable cable: geometry has no coordinates list"):
        read_telegeography(opts)
