"""The reliability stage: fault model along the route, repair model for a landlocked sea,
analytic and Monte Carlo availability of the line, and corridor availability with and without it.
"""

from __future__ import annotations

__all__ = ["ReliabilityConfig", "ReliabilityResult", "run_reliability"]


def __getattr__(name: str) -> object:  # lazy: keep ``import transcaspian`` light
    if name == "ReliabilityConfig":
        from .config import ReliabilityConfig

        return ReliabilityConfig
    if name in ("ReliabilityResult", "run_reliability"):
        from . import stage

        return getattr(stage, name)
    raise AttributeError(name)
