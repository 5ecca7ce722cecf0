"""The default plan carries power and reliability into report.json and the HTML report."""

from __future__ import annotations

import json

import pytest

from transcaspian._json import to_json


@pytest.fixture(scope="module")
def default_plan():
    from transcaspian.plan import plan
    from transcaspian.scenario import default_scenario

    return plan(default_scenario())


def test_report_json_and_section(default_plan) -> None:
    from transcaspian.report.html import render_report

    d = json.loads(to_json(default_plan.to_dict()))
    rel, pw = d["reliability"], d["power"]
    assert rel["ship_repairs_per_year"] == pytest.approx(default_plan.reliability
                                                         .ship_repairs_per_year)
    assert rel["availability"] == pytest.approx(default_plan.reliability.availability)
    assert all(f["feasible"] for f in pw["designs"])  # ~0.5 kV against a 15 kV PFE
    html = render_report(default_plan)
    for element_id in ("reliability-fault-density", "reliability-outage-hours",
                       "reliability-pairs", "power-voltage"):
        assert f'id="{element_id}"' in html
    assert '<section id="reliability">' in html
