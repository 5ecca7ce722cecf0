"""Issue 22, 'Margin': the optics section says its margins are on top of the system margin and
shows the system margin beside them (a 0.00 dB margin is not a failure)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from transcaspian.optics.config import OpticsConfig
from transcaspian.optics.design import compare_designs
from transcaspian.report.sections.optics import section_html


@pytest.fixture(scope="module")
def optics_result():  # type: ignore[no-untyped-def]
    return compare_designs(OpticsConfig(), cable_length_km=372.0, fibre_pairs=8)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_margins_are_on_top_of_the_stated_system_margin(optics_result) -> None:  # type: ignore[no-untyped-def]
    dec = SimpleNamespace(recommended="repeatered_2")
    text = _text(section_html(optics_result, dec, system_margin_db=3.5))  # type: ignore[arg-type]
    assert "margin on top of the system margin [dB]" in text
    assert "on top of the 3.50 dB system margin (optics.system_margin_db)" in text
    assert "not that it fails" in text
    if any(d.repeaters == 0 and d.feasible for d in optics_result.designs):
        assert re.search(r"dB margin left on top of the 3\.50 dB system margin", text)


def test_without_the_value_the_parameter_and_its_default_are_named(optics_result) -> None:  # type: ignore[no-untyped-def]
    dec = SimpleNamespace(recommended="repeatered_2")
    text = _text(section_html(optics_result, dec))  # type: ignore[arg-type]
    default = OpticsConfig().system_margin_db
    assert (f"the system margin (optics.system_margin_db, {default:.2f} dB unless the scenario "
            "sets it)") in text
