"""The network stage's entry point: ``run_network(scenario, route) -> CorridorResult``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .analysis import CorridorResult, analyse_corridor

if TYPE_CHECKING:  # pragma: no cover
    from ..geo.stage import RouteResult
    from ..scenario import Scenario


def line_keywords(scenario: Scenario, length_km: float) -> dict[str, Any]:
    """The studied line's keywords for :func:`analyse_corridor` / ``build_corridor``: its
    length [km] and the scenario's landings (positions [deg] and names)."""
    a, b = scenario.landings.a, scenario.landings.b
    return {
        "line_length_km": float(length_km),
        "line_landings_deg": ((a.lat_deg, a.lon_deg), (b.lat_deg, b.lon_deg)),
        "line_landing_names": (a.name, b.name),
    }


def run_network(scenario: Scenario, route: RouteResult,
                beside: Callable[[Callable[[], Any]], Any] | None = None) -> CorridorResult:
    """The corridor stage with the routed cable's length.

    The link's capacity in the flow model is the *lit* capacity of the corridor dataset
    (initially 4-6 Tbit/s per the operators), not the optics stage's fully-lit design capacity:
    demand is carried by lit wavelengths. ``beside``: see
    :func:`~transcaspian.network.analysis.analyse_corridor` (the spine passes its forked call).
    """
    return analyse_corridor(scenario.network, **line_keywords(scenario, route.cable_length_km),
                            beside=beside)
