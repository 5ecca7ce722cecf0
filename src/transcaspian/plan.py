"""The pipeline spine: ``plan(scenario) -> Plan`` runs every stage in order.

Each stage is a plain function from typed inputs to an immutable result; later stages take
earlier results as arguments and never reach back up the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import __version__
from .economics.result import EconomicsResult
from .economics.stage import run_economics
from .flags import Flag, plan_flags
from .geo.stage import RouteResult, run_route
from .network.analysis import CorridorResult
from .network.stage import run_network
from .optics.design import OpticsResult
from .optics.stage import run_optics
from .power.stage import PowerResult
from .reliability.stage import ReliabilityResult
from .scenario import Scenario


@dataclass(frozen=True)
class Plan:
    """All results of one scenario."""

    scenario: Scenario
    route: RouteResult
    optics: OpticsResult
    network: CorridorResult
    power: PowerResult | None = None
    reliability: ReliabilityResult | None = None
    economics: EconomicsResult | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready results (what ``report.json`` holds)."""
        return {
            "transcaspian_version": __version__,
            "scenario": self.scenario.model_dump(mode="json"),
            "route": self.route.to_dict(),
            "optics": self.optics.to_dict(),
            "network": self.network.to_dict(),
            "power": None if self.power is None else self.power.to_dict(),
            "reliability": None if self.reliability is None else self.reliability.to_dict(),
            "economics": None if self.economics is None else self.economics.to_dict(),
            "flags": [f.to_dict() for f in self.flags()],
        }

    def flags(self) -> tuple[Flag, ...]:
        """Conditions that weaken a headline figure (see :mod:`transcaspian.flags`)."""
        return plan_flags(self)


def plan(scenario: Scenario) -> Plan:
    """Run the whole pipeline on a scenario."""
    from ._parallel import ForkedCall
    from .power.feasibility import mark_unfeedable
    from .power.stage import run_power
    from .reliability.stage import run_reliability

    route = run_route(scenario)
    # optics and the corridor both need only the route: the optics stage runs on the second
    # core while this one runs the corridor (same results, see transcaspian._parallel)
    optics_call = ForkedCall(lambda: run_optics(scenario, route))
    try:
        network = run_network(scenario, route)
    except BaseException:
        optics_call.cancel()
        raise
    optics = optics_call.result()
    power = run_power(scenario, route, {d.name: d.repeaters for d in optics.designs})
    optics = mark_unfeedable(optics, power)
    reliability = run_reliability(scenario, route, optics, network)
    economics = run_economics(scenario, route, optics, network, reliability=reliability)
    return Plan(scenario=scenario, route=route, optics=optics, network=network, power=power,
                reliability=reliability, economics=economics)


def check_inputs(scenario: Scenario) -> None:
    """Read every file a scenario names and build each stage's inputs, without computing.

    What ``transcaspian scenario check`` runs: the reliability rate tables, the bathymetry grid
    and hazard layers, the optical design lines (channel plan vs amplifier bands, spans) at the
    landings' geodesic length, and the corridor graph with the scenario's additions.

    Raises
    ------
    TranscaspianError
        The first problem found, as one line.
    """
    from .economics.stage import check_economics_inputs
    from .geo.route import great_circle_km
    from .geo.stage import load_route_inputs
    from .network.topology import build_corridor
    from .optics.design import build_design_lines
    from .reliability.tables import plant_table, zone_tables

    zone_tables(scenario.reliability)
    plant_table(scenario.reliability)
    load_route_inputs(scenario)
    check_economics_inputs(scenario)
    a, b = scenario.landings.a, scenario.landings.b
    length_km = great_circle_km(a, b)
    build_design_lines(scenario.optics, length_km)
    build_corridor(
        scenario.network,
        trans_caspian_length_km=length_km,
        trans_caspian_landings_deg=((a.lat_deg, a.lon_deg), (b.lat_deg, b.lon_deg)),
        trans_caspian_landing_names=(a.name, b.name),
    )
