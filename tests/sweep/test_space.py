"""Parameter specs, their validation against the scenario model, and the samplers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from transcaspian.errors import SweepError
from transcaspian.scenario import default_scenario
from transcaspian.sweep.space import Space, design_seed_sequence, get_path, parse_param


@pytest.fixture(scope="module")
def data() -> dict:
    return default_scenario().model_dump(mode="json")


def test_range_includes_its_end_and_takes_the_field_type(data: dict) -> None:
    p = parse_param("cable.fibre_pairs=8:32:8", data)
    assert p.kind == "int"
    assert p.values == (8, 16, 24, 32)
    q = parse_param("route.caspian_level_m=-34:-29:0.5", data)
    assert q.kind == "float"
    assert len(q.values) == 11
    assert q.values[-1] == pytest.approx(-29.0)


def test_lists_of_numbers_and_words(data: dict) -> None:
    assert parse_param("cable.fibre_pairs=4, 8,16", data).values == (4, 8, 16)
    p = parse_param("optics.nli_model=gn_closed_form,isrs_gn_closed_form", data)
    assert p.kind == "str"
    assert p.values == ("gn_closed_form", "isrs_gn_closed_form")


def test_list_items_by_index(data: dict) -> None:
    p = parse_param("cable.armour_bands.2.slack_percent=2,3", data)
    assert p.kind == "float"
    assert get_path(data, "cable.armour_bands.2.slack_percent") == 3.0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("cable.fibre_pair=1:4:1", ["cable.fibre_pair", "fibre_pairs"]),
        ("cable.fibre_pairs=5:1:1", ["cable.fibre_pairs", "empty range"]),
        ("cable.fibre_pairs=1:4:0", ["cable.fibre_pairs", "step"]),
        ("cable.fibre_pairs=", ["cable.fibre_pairs", "empty SPEC"]),
        ("cable.armour_bands.9.slack_percent=1,2", ["armour_bands", "index"]),
        ("cable=1,2", ["cable", "group of fields"]),
        ("cable.fibre_pairs=uniform(4,2)", ["cable.fibre_pairs", "empty interval"]),
        ("cable.fibre_pairs=gauss(1,2)", ["cable.fibre_pairs", "unknown distribution"]),
        ("cable.fibre_pairs=1,1", ["cable.fibre_pairs", "repeated"]),
        ("optics.fibre.loss_db_per_km=a,b", ["loss_db_per_km", "not a number"]),
    ],
)
def test_bad_specs_name_the_parameter(data: dict, text: str, words: list[str]) -> None:
    with pytest.raises(SweepError) as err:
        parse_param(text, data)
    msg = str(err.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg


def test_unknown_field_suggests_the_real_one(data: dict) -> None:
    with pytest.raises(SweepError, match="optics.spectrum.launch_power_dbm_per_channel"):
        parse_param("optics.launch_power_dbm=0:4:1", data)


def test_grid_is_the_cartesian_product_last_fastest(data: dict) -> None:
    a = parse_param("cable.fibre_pairs=8,16,24", data)
    b = parse_param("optics.nli_model=gn_closed_form,isrs_gn_closed_form", data)
    space = Space.build([a, b])
    assert space.n == 6
    got = space.designs(0, 6)
    expected = list(itertools.product(a.values, b.values))
    assert list(zip(got["cable.fibre_pairs"].tolist(), got["optics.nli_model"].tolist(),
                    strict=True)) == expected
    part = space.designs(2, 5)
    assert part["cable.fibre_pairs"].tolist() == [16, 16, 24]


def test_grid_refuses_distributions_and_n(data: dict) -> None:
    d = parse_param("route.caspian_level_m=uniform(-34,-28)", data)
    with pytest.raises(SweepError, match="--sample lhs"):
        Space.build([d])
    r = parse_param("cable.fibre_pairs=1:4:1", data)
    with pytest.raises(SweepError, match="--n"):
        Space.build([r], "grid", n=10)
    with pytest.raises(SweepError, match="--n"):
        Space.build([r], "sobol")
    with pytest.raises(SweepError, match="given twice"):
        Space.build([r, r])


def test_sobol_partitions_are_pieces_of_one_sequence(data: dict) -> None:
    params = [parse_param("route.caspian_level_m=uniform(-34,-28)", data),
              parse_param("cable.fibre_pairs=1:64:1", data)]
    space = Space.build(params, "sobol", n=256, seed=7)
    whole = space.designs(0, 256)
    pieces = [space.designs(a, b) for a, b in ((0, 100), (100, 137), (137, 256))]
    for path in space.paths:
        np.testing.assert_array_equal(whole[path], np.concatenate([p[path] for p in pieces]))
    assert whole["route.caspian_level_m"].min() >= -34.0
    assert whole["route.caspian_level_m"].max() <= -28.0
    assert whole["cable.fibre_pairs"].dtype == np.int64
    assert set(whole["cable.fibre_pairs"].tolist()) <= set(range(1, 65))
    other = Space.build(params, "sobol", n=256, seed=8).designs(0, 256)
    assert not np.array_equal(whole["route.caspian_level_m"], other["route.caspian_level_m"])


def test_lhs_hits_every_stratum_once(data: dict) -> None:
    p = parse_param("route.caspian_level_m=uniform(-34,-29)", data)
    n = 50
    x = Space.build([p], "lhs", n=n, seed=3).designs(0, n)["route.caspian_level_m"]
    strata = np.floor((x + 34.0) / 5.0 * n).astype(int)
    assert sorted(strata.tolist()) == list(range(n))
    again = Space.build([p], "lhs", n=n, seed=3).designs(0, n)["route.caspian_level_m"]
    np.testing.assert_array_equal(x, again)


def test_truncnorm_and_loguniform_stay_in_bounds(data: dict) -> None:
    t = parse_param("optics.fibre.loss_db_per_km=truncnorm(0.165,0.01,0.15,0.18)", data)
    g = parse_param("optics.repeater.noise_figure_db=loguniform(3.5,6)", data)
    d = Space.build([t, g], "lhs", n=400, seed=1).designs(0, 400)
    x = d["optics.fibre.loss_db_per_km"]
    assert x.min() >= 0.15 and x.max() <= 0.18
    assert abs(float(np.median(x)) - 0.165) < 0.003
    y = d["optics.repeater.noise_figure_db"]
    assert y.min() >= 3.5 and y.max() <= 6.0


def test_design_seeds_depend_on_seed_and_index_only() -> None:
    a = design_seed_sequence(5, 123).generate_state(2)
    assert np.array_equal(a, design_seed_sequence(5, 123).generate_state(2))
    assert not np.array_equal(a, design_seed_sequence(5, 124).generate_state(2))
    assert not np.array_equal(a, design_seed_sequence(6, 123).generate_state(2))
