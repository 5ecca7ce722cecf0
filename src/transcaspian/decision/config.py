"""Inputs of the decision stage (``decision:`` block of a scenario)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..model import StrictModel

Objective = Literal["npv", "lifecycle_cost", "capacity"]


class DecisionConfig(StrictModel):
    """How the design to build is chosen among the candidates.

    The capacity target is ``optics.target_system_capacity_tbps``; the rule is
    :func:`transcaspian.decision.rule.recommend`.
    """

    objective: Objective = Field(
        "npv",
        description="What the choice maximises among the designs that meet the constraints: "
        "'npv' (the project's net present value), 'lifecycle_cost' (the lowest present value "
        "of CAPEX, upgrades and OPEX over the design life) or 'capacity' (the most system "
        "capacity at end of life). Ties go to the lower CAPEX.",
    )
    min_margin_db: float | None = Field(
        None,
        ge=-5.0,
        le=20.0,
        description="Smallest end-of-life margin [dB] a design may have to be chosen; default "
        "report.thin_margin_db (the margin below which the report flags a design as thin).",
    )
    min_availability: float | None = Field(
        None,
        gt=0.0,
        le=1.0,
        description="Smallest analytic line availability [fraction] a design may have to be "
        "chosen (cable and wet plant, from the reliability model); default: no constraint.",
    )
