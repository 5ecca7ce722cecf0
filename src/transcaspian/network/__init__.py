"""The network stage: the Europe - Asia corridor with and without the Trans-Caspian line.

Latency (:mod:`.latency`), SRLG-disjoint diversity (:mod:`.diversity`), cuts
(:mod:`.resilience`), gravity demand (:mod:`.demand`) and min-cost multicommodity flows
(:mod:`.flows`) over a bundled, cited corridor graph (:mod:`.topology`); an importer for cable
maps in the TeleGeography format (:mod:`.telegeography`).

Example (the cable length comes from the route stage)::

    from transcaspian.network import NetworkConfig, analyse_corridor

    result = analyse_corridor(NetworkConfig(), trans_caspian_length_km=372.0)
    result.to_dict()["latency"][3]   # Baku - Almaty RTT with and without the line
"""

from __future__ import annotations

from .analysis import CorridorResult, analyse_corridor
from .config import (
    CorridorDataset,
    CutScenario,
    DemandOptions,
    LinkSpec,
    NetworkConfig,
    NodeSpec,
    TeleGeographyImport,
)
from .resilience import SrlgCutEngine
from .telegeography import read_telegeography
from .topology import Corridor, build_corridor, read_dataset

__all__ = [
    "Corridor",
    "CorridorDataset",
    "CorridorResult",
    "CutScenario",
    "DemandOptions",
    "LinkSpec",
    "NetworkConfig",
    "NodeSpec",
    "SrlgCutEngine",
    "TeleGeographyImport",
    "analyse_corridor",
    "build_corridor",
    "read_dataset",
    "read_telegeography",
]
