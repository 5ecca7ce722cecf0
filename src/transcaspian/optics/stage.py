"""The optics stage of the pipeline: ``run_optics(scenario, route) -> OpticsResult``.

Takes the cable length from the route stage and the fibre-pair count from the scenario; the
optical inputs come from ``scenario.optics`` (an :class:`~transcaspian.optics.config.OpticsConfig`,
whose defaults are the Trans-Caspian assumptions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import OpticsConfig
from .design import OpticsResult, check_channel_plan, compare_designs

if TYPE_CHECKING:  # pragma: no cover
    from ..geo.stage import RouteResult
    from ..scenario import Scenario

__all__ = ["optics_config", "run_optics"]


def optics_config(scenario: Scenario) -> OpticsConfig:
    """``scenario.optics`` with its margin policy resolved: null means the decision's minimum
    end-of-life margin (``decision.min_margin_db``, else ``report.thin_margin_db``), so that the
    waves are provisioned at the margin the decision will demand of them."""
    from ..scenario import min_margin_db

    cfg = scenario.optics
    if cfg.margin_policy_db is not None:
        return cfg
    return cfg.model_copy(update={"margin_policy_db": max(min_margin_db(scenario), 0.0)})


def run_optics(scenario: Scenario, route: RouteResult) -> OpticsResult:
    """Compare the unrepeatered and repeatered designs of the routed cable at end of life
    (a channel plan no transceiver mode fits is refused: :func:`check_channel_plan`)."""
    cfg = optics_config(scenario)
    check_channel_plan(cfg)
    return compare_designs(
        cfg,
        cable_length_km=float(route.cable_length_km),
        fibre_pairs=int(scenario.cable.fibre_pairs),
    )
