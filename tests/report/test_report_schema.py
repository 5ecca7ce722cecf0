"""report.json has a documented schema: shipped in the package, regenerated from the results,
and every report.json of the default scenario validates against it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from transcaspian._json import to_json
from transcaspian.report.schema import build_report_schema, shipped_report_schema


@pytest.fixture(scope="module")
def report(default_plan: Any) -> dict[str, Any]:
    return json.loads(to_json(default_plan.to_dict()))


def test_report_json_validates_against_the_shipped_schema(report: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="pip install -e '.[test]'")
    jsonschema.validate(report, shipped_report_schema())


def test_the_shipped_schema_is_current(report: dict[str, Any]) -> None:
    pytest.importorskip("genson", reason="pip install -e '.[test]'")
    assert build_report_schema(report) == shipped_report_schema(), (
        "report.json changed shape: python -m transcaspian.report.schema > "
        "src/transcaspian/data/report.schema.json"
    )


def test_the_schema_refuses_a_broken_report(report: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="pip install -e '.[test]'")
    broken = dict(report)
    broken["route"] = {**report["route"], "cable_length_km": "372 km"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, shipped_report_schema())
    missing = {k: v for k, v in report.items() if k != "optics"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(missing, shipped_report_schema())
