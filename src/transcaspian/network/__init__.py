"""The network stage: the Europe - Asia corridor with and without the Trans-Caspian line.

Latency (:mod:`.latency`), SRLG-disjoint diversity (:mod:`.diversity`), cuts
(:mod:`.resilience`), gravity demand (:mod:`.demand`) and min-cost multicommodity flows
(:mod:`.flows`) over a bundled, cited corridor graph (:mod:`.topology`).
"""

from __future__ import annotations

from .analysis import CorridorResult, analyse_corridor
from .config import CutScenario, DemandOptions, LinkSpec, NetworkConfig, NodeSpec

__all__ = [
    "CorridorResult",
    "CutScenario",
    "DemandOptions",
    "LinkSpec",
    "NetworkConfig",
    "NodeSpec",
    "analyse_corridor",
]
