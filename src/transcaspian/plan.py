"""The pipeline spine: ``plan(scenario) -> Plan`` runs every stage in order.

Each stage is a plain function from typed inputs to an immutable result; later stages take
earlier results as arguments and never reach back up the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import __version__
from .flags import Flag, plan_flags
from .geo.stage import RouteResult, run_route
from .network.analysis import CorridorResult, analyse_corridor
from .optics.design import OpticsResult
from .optics.stage import run_optics
from .scenario import Scenario


@dataclass(frozen=True)
class Plan:
    """All results of one scenario."""

    scenario: Scenario
    route: RouteResult
    optics: OpticsResult
    network: CorridorResult

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready results (what ``report.json`` holds)."""
        return {
            "transcaspian_version": __version__,
            "scenario": self.scenario.model_dump(mode="json"),
            "route": self.route.to_dict(),
            "optics": self.optics.to_dict(),
            "network": self.network.to_dict(),
            "flags": [f.to_dict() for f in self.flags()],
        }

    def flags(self) -> tuple[Flag, ...]:
        """Conditions that weaken a headline figure (see :mod:`transcaspian.flags`)."""
        return plan_flags(self)


def plan(scenario: Scenario) -> Plan:
    """Run the whole pipeline on a scenario."""
    route = run_route(scenario)
    optics = run_optics(scenario, route)
    network = run_network(scenario, route)
    return Plan(scenario=scenario, route=route, optics=optics, network=network)


def run_network(scenario: Scenario, route: RouteResult) -> CorridorResult:
    """The corridor stage with the routed cable's length.

    The link's capacity in the flow model is the *lit* capacity of the corridor dataset
    (initially 4-6 Tbit/s per the operators), not the optics stage's fully-lit design capacity:
    demand is carried by lit wavelengths.
    """
    a, b = scenario.landings.a, scenario.landings.b
    return analyse_corridor(
        scenario.network,
        trans_caspian_length_km=route.cable_length_km,
        trans_caspian_landings_deg=((a.lat_deg, a.lon_deg), (b.lat_deg, b.lon_deg)),
    )


def check_inputs(scenario: Scenario) -> None:
    """Read every file a scenario names and build each stage's inputs, without computing.

    What ``transcaspian scenario check`` runs: the bathymetry grid and hazard layers, the
    optical design lines (channel plan vs amplifier bands, spans) at the landings' geodesic
    length, and the corridor graph with the scenario's additions.

    Raises
    ------
    TranscaspianError
        The first problem found, as one line.
    """
    from .geo.route import great_circle_km
    from .geo.stage import load_route_inputs
    from .network.topology import build_corridor
    from .optics.design import build_design_lines

    load_route_inputs(scenario)
    a, b = scenario.landings.a, scenario.landings.b
    length_km = great_circle_km(a, b)
    build_design_lines(scenario.optics, length_km)
    build_corridor(
        scenario.network,
        trans_caspian_length_km=length_km,
        trans_caspian_landings_deg=((a.lat_deg, a.lon_deg), (b.lat_deg, b.lon_deg)),
    )
