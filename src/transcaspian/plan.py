"""The pipeline spine: ``plan(scenario) -> Plan`` runs every stage in order.

Each stage is a plain function from typed inputs to an immutable result; later stages take
earlier results as arguments and never reach back up the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import __version__
from .geo.stage import RouteResult, run_route
from .optics.design import OpticsResult
from .optics.stage import run_optics
from .scenario import Scenario


@dataclass(frozen=True)
class Plan:
    """All results of one scenario."""

    scenario: Scenario
    route: RouteResult
    optics: OpticsResult

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready results (what ``report.json`` holds)."""
        return {
            "transcaspian_version": __version__,
            "scenario": self.scenario.model_dump(mode="json"),
            "route": self.route.to_dict(),
            "optics": self.optics.to_dict(),
        }


def plan(scenario: Scenario) -> Plan:
    """Run the whole pipeline on a scenario."""
    route = run_route(scenario)
    optics = run_optics(scenario, route)
    return Plan(scenario=scenario, route=route, optics=optics)
