"""Malformed line cases never escape as anything but OpticsError (hypothesis)."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

from _lines import SSMF, spectrum
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzzlib import value_paths
from transcaspian.errors import OpticsError
from transcaspian.optics import evaluate_line, line_case_from_dict
from usererror import assert_user_error

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(),
                                                        max_size=2),
)


def base() -> dict[str, Any]:
    return {
        "name": "t",
        "spectrum": spectrum(4),
        "fibres": {"SSMF": dict(SSMF)},
        "elements": [{"fibre": {"type": "SSMF", "length_km": 50.0}},
                     {"amplifier": {"gain_db": 10.0, "noise_figure_db": 5.0}}],
    }


PATHS = value_paths(base())


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PATHS), JUNK)
def test_any_field_replaced_by_junk_gives_optics_error_or_a_valid_case(
        path: tuple[Any, ...], junk: Any) -> None:
    data = copy.deepcopy(base())
    cur: Any = data
    for key in path[:-1]:
        cur = cur[key]
    cur[path[-1]] = junk
    try:
        case = line_case_from_dict(data, source="fuzz.yaml")
    except OpticsError as exc:
        assert_user_error(exc, "fuzz.yaml")
        return
    res = evaluate_line(case, profile=False)
    assert res.gsnr_db.shape == (case.spectrum.n_channels,)


@settings(max_examples=50, deadline=None)
@given(JUNK)
def test_junk_top_level_or_elements(junk: Any) -> None:
    for data in (junk, dict(base(), elements=junk)):
        with contextlib.suppress(OpticsError):
            line_case_from_dict(data, source="fuzz.yaml")
