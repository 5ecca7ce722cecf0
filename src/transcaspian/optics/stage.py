"""The optics stage of the pipeline: ``run_optics(scenario, route) -> OpticsResult``.

Takes the cable length from the route stage and the fibre-pair count from the scenario; the
optical inputs come from ``scenario.optics`` (an :class:`~transcaspian.optics.config.OpticsConfig`,
whose defaults are the Trans-Caspian assumptions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .design import OpticsResult, compare_designs

if TYPE_CHECKING:  # pragma: no cover
    from ..geo.stage import RouteResult
    from ..scenario import Scenario

__all__ = ["run_optics"]


def run_optics(scenario: Scenario, route: RouteResult) -> OpticsResult:
    """Compare the unrepeatered and repeatered designs of the routed cable at end of life."""
    return compare_designs(
        scenario.optics,
        cable_length_km=float(route.cable_length_km),
        fibre_pairs=int(scenario.cable.fibre_pairs),
    )
