"""Scenario loading: the default, the schema, and one clear line for every bad input."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcaspian.errors import ScenarioError
from transcaspian.scenario import (
    default_scenario,
    json_schema,
    load_scenario,
    loads_scenario,
    scenario_from_dict,
)
from usererror import assert_user_error


def test_default_scenario_is_the_trans_caspian_line() -> None:
    sc = default_scenario()
    assert (sc.landings.a.name, sc.landings.b.name) == ("Sumgayit", "Aktau")
    assert sc.cable.design_life_years == 25
    assert sum(m.share for m in sc.consortium.members) == pytest.approx(1.0)


def test_yaml_dump_load_is_identity(default_yaml: str) -> None:
    sc = loads_scenario(default_yaml)
    again = scenario_from_dict(yaml.safe_load(yaml.safe_dump(sc.model_dump(mode="json"))))
    assert again == sc


def test_schema_is_json_and_forbids_unknown_keys() -> None:
    schema = json_schema()
    json.dumps(schema)
    assert schema["additionalProperties"] is False
    assert "landings" in schema["required"]


def _edit(default_yaml: str, path: list[str], value: object) -> dict:
    data = yaml.safe_load(default_yaml)
    node = data
    for key in path[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    last = path[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (["cable", "fibre_pairs"], -3, "cable.fibre_pairs"),
        (["cable", "fibre_pairs"], "many", "cable.fibre_pairs"),
        (["landings", "a", "lat_deg"], 123.0, "landings.a.lat_deg"),
        (["route", "caspian_level_m"], 5.0, "route.caspian_level_m"),
        (["cable", "colour"], "red", "cable.colour: unknown key"),
        (["consortium", "members", "0", "share"], 0.7, "shares must sum to 1"),
        (["cable", "armour_bands", "3", "max_depth_m"], 2000, "last armour band"),
        (["route", "cost", "depth_band_factors"], [1.0], "one more entry"),
    ],
)
def test_bad_values_name_the_field(
    default_yaml: str, path: list[str], value: object, expected: str
) -> None:
    data = _edit(default_yaml, path, value)
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data, source="s.yaml")
    msg = str(err.value)
    assert expected in msg
    assert msg.startswith("s.yaml: ")
    assert "\n" not in msg


def test_key_with_a_newline_stays_on_one_line(default_yaml: str) -> None:
    data = _edit(default_yaml, ["cable", "bad\nkey"], 1)
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data)
    assert "\n" not in str(err.value)
    assert "'bad\\nkey'" in str(err.value)


def test_missing_file_and_yaml_syntax(tmp_path) -> None:
    with pytest.raises(ScenarioError, match="not found"):
        load_scenario(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.yaml: YAML syntax error at line"):
        load_scenario(bad)


yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text_gives_scenario_error_or_scenario(text: str) -> None:
    """Property: any text either loads or raises ScenarioError — never another exception."""
    try:
        loads_scenario(text)
    except ScenarioError as err:
        assert_user_error(err, "scenario")


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["landings", "cable", "route", "consortium", "name"]), yaml_values)
def test_malformed_sections_give_scenario_error(section: str, value: object) -> None:
    """Property: replacing a whole section by random YAML data never escapes as a crash."""
    from transcaspian.scenario import default_scenario_text

    data = yaml.safe_load(default_scenario_text())
    data[section] = value
    try:
        scenario_from_dict(data)
    except ScenarioError as err:
        assert_user_error(err, "scenario")
