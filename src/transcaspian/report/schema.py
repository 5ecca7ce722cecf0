"""JSON Schema of ``report.json``, shipped in the package as ``data/report.schema.json``.

The ``scenario`` part is the scenario input model's own schema (pydantic, the types are the
truth). The result parts are generated from the stage results' ``to_dict()`` output for the
default scenario with GenSON (types, required keys, nested objects and arrays), then the
``scenario`` schema is put in. Regenerate after changing a result type::

    python -m transcaspian.report.schema > src/transcaspian/data/report.schema.json

A test checks that the shipped schema is the regenerated one and that ``report.json``
validates against it, so the document and the code cannot drift apart.
"""

from __future__ import annotations

import json
import re
import sys
from importlib import resources
from typing import Any

SCHEMA_ID = "https://transcaspian.invalid/report.schema.json"  # an identifier, never fetched


def build_report_schema(report: dict[str, Any]) -> dict[str, Any]:
    """The schema of a ``report.json`` document like ``report`` (JSON-ready dict)."""
    from genson import SchemaBuilder

    from ..scenario import Scenario

    results = {k: v for k, v in report.items() if k != "scenario"}
    builder = SchemaBuilder(schema_uri="http://json-schema.org/draft-07/schema#")
    builder.add_object(json.loads(json.dumps(results)))
    schema: dict[str, Any] = _keyed_maps(builder.to_schema())
    schema["$id"] = SCHEMA_ID
    schema["title"] = "transcaspian report.json"
    schema["description"] = (
        "All results of one scenario: the scenario as validated, then one object per stage "
        "(route, optics, network, ...) and the flags. Units are in the key names."
    )
    scenario_schema = Scenario.model_json_schema(mode="serialization")
    definitions = scenario_schema.pop("$defs", {})
    definitions = json.loads(json.dumps(definitions).replace("#/$defs/", "#/definitions/"))
    schema.setdefault("definitions", {}).update(definitions)
    text = json.dumps(scenario_schema).replace("#/$defs/", "#/definitions/")
    schema["properties"]["scenario"] = json.loads(text)
    schema["required"] = sorted({*schema.get("required", []), "scenario"})
    return schema


_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _keyed_maps(node: Any) -> Any:
    """Objects keyed by data (cable types ``DA``, ISO3 codes ``AZE``) → maps of one value type.

    An inferred schema would otherwise require exactly the keys of the default run (a route
    with no ``SA`` cable would not validate). Field names are snake_case; data keys are not.
    """
    if isinstance(node, list):
        return [_keyed_maps(v) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _keyed_maps(v) for k, v in node.items()}
    props = node.get("properties")
    if node.get("type") == "object" and isinstance(props, dict) and props and not any(
        _FIELD_NAME.match(k) for k in props
    ):
        values = list(props.values())
        return {"type": "object", "additionalProperties": values[0] if all(
            v == values[0] for v in values) else {}}
    return node


def shipped_report_schema() -> dict[str, Any]:
    """The schema bundled with the package."""
    text = resources.files("transcaspian").joinpath("data/report.schema.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def main() -> None:  # pragma: no cover - developer tool
    from .._json import to_json
    from ..plan import plan
    from ..scenario import default_scenario

    report = json.loads(to_json(plan(default_scenario()).to_dict()))
    sys.stdout.write(json.dumps(build_report_schema(report), indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":  # pragma: no cover
    main()
