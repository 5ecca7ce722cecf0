"""The reliability stage's tables are typed records: units, descriptions, a schema that holds."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from transcaspian.decision.stage import Candidate, DecisionResult
from transcaspian.reliability.stage import FaultZone, ProtectionOption, RepairAllowance


@pytest.mark.parametrize("cls", [FaultZone, RepairAllowance, ProtectionOption, Candidate,
                                 DecisionResult])
def test_every_field_is_described_and_numbers_have_units(cls: Any) -> None:
    import dataclasses
    import typing

    hints = typing.get_type_hints(cls)
    for name, unit, desc in cls.fields_table():
        assert desc, f"{cls.__name__}.{name} has no description"
        tp = hints[name]
        numeric = tp in (int, float) or set(typing.get_args(tp)) & {int, float}
        if numeric:
            assert unit, f"{cls.__name__}.{name} is a number without a unit"
    assert dataclasses.is_dataclass(cls)


def test_default_results_validate_against_their_record_schemas(default_plan: Any) -> None:
    rel = default_plan.reliability
    for z in rel.zones:
        jsonschema.validate(z.to_dict(), FaultZone.json_schema())
    jsonschema.validate(rel.allowance.to_dict(), RepairAllowance.json_schema())
    for p in rel.protection:
        jsonschema.validate(p.to_dict(), ProtectionOption.json_schema())
    jsonschema.validate(default_plan.decision.to_dict(), DecisionResult.json_schema())
    bad = {**rel.allowance.to_dict(), "enough": "yes"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, RepairAllowance.json_schema())
