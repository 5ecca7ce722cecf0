"""Issue 22, 'Published budget': the US$50.8 M Sumgayit-Aktau budget was compared with the CAPEX
of any scenario whatever its landings. It is compared only when the scenario's landings are
that route's (within the tolerance, either order); otherwise it is named as another route's
reference, without a ratio, in the CLI, the report, its summary and report.json."""

from __future__ import annotations

import dataclasses

import pytest

from transcaspian.economics.config import BudgetRoute
from transcaspian.report.sections.economics import section_html
from transcaspian.report.summary import economics_paragraph
from transcaspian.scenario import default_scenario

SUMGAYIT = (40.590, 49.669)
AKTAU = (43.650, 51.150)
# Turkmenbashi port 40.02 N 52.96 E (Wikipedia "Türkmenbaşy"); Alat 39.94 N 49.41 E
TURKMENBASHI = (40.02, 52.96)
ALAT = (39.94, 49.41)


def test_applies_to_this_route_in_either_order_only() -> None:
    r = BudgetRoute()
    assert r.applies_to(SUMGAYIT, AKTAU)
    assert r.applies_to(AKTAU, SUMGAYIT)
    # 0.2 deg of latitude (22 km) away: still inside the 30 km tolerance; 0.5 deg (56 km) not
    assert r.applies_to((SUMGAYIT[0] + 0.2, SUMGAYIT[1]), AKTAU)
    assert not r.applies_to((SUMGAYIT[0] + 0.5, SUMGAYIT[1]), AKTAU)
    assert not r.applies_to(ALAT, TURKMENBASHI)
    assert not r.applies_to(SUMGAYIT, TURKMENBASHI)


def test_another_route_is_not_compared(default_plan) -> None:
    from transcaspian.economics.stage import run_economics

    p = default_plan
    assert p.economics.budget_applies  # the default is the Sumgayit-Aktau line
    sc = default_scenario()
    landings = sc.landings.model_copy(update={
        "a": sc.landings.a.model_copy(update={"name": "Alat", "lat_deg": ALAT[0],
                                              "lon_deg": ALAT[1]}),
        "b": sc.landings.b.model_copy(update={"name": "Turkmenbashi",
                                              "lat_deg": TURKMENBASHI[0],
                                              "lon_deg": TURKMENBASHI[1]})})
    sc = sc.model_copy(update={"landings": landings})
    e = run_economics(sc, p.route, p.optics.design(p.decision.recommended), p.network,
                      p.reliability)
    assert not e.budget_applies
    block = e.to_dict()["budget"]
    assert block["applies_to_this_line"] is False
    assert block["published_for_route"] == "Sumgayit–Aktau"
    assert "another route: not compared" in e.budget_text()
    assert "ratio" not in e.budget_text()
    html = section_html(e)
    assert "another route" in html
    assert f"{e.budget_ratio:.2f}" not in html.split("Cost against the published budget")[1][:800]
    summary = economics_paragraph(e)
    assert "another route: not compared" in summary and "ratio" not in summary


def test_the_same_route_is_compared(default_plan) -> None:
    e = default_plan.economics
    assert e.budget_text().endswith(f"ratio {e.budget_ratio:.2f}")
    assert "ratio" in economics_paragraph(e)
    other = dataclasses.replace(e, budget_applies=False)
    assert "another route" in section_html(other)


@pytest.mark.parametrize("field", ["tolerance_km"])
def test_tolerance_must_be_positive(field: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=field):
        BudgetRoute(**{field: 0.0})
