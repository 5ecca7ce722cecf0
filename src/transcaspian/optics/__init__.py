"""Optical transmission: per-channel GSNR of a line (GN / ISRS GN closed forms), unrepeatered
amplification (booster, distributed Raman, ROPA) and the design comparison.

Public API: input models in :mod:`.elements` and :mod:`.config`; :func:`load_line_case`,
:func:`evaluate_line` (explicit lines); :func:`compare_designs` (the optics stage).
"""

from __future__ import annotations

from .config import OpticsConfig
from .design import DesignResult, OpticsResult, compare_designs
from .elements import (
    Band,
    Edfa,
    FibreSection,
    FibreType,
    LossTable,
    RamanPump,
    Ropa,
    Spectrum,
    TransceiverNoise,
)
from .line import LineResult, evaluate_line
from .linecase import LineCase, line_case_from_dict, load_line_case
from .sweep import uniform_line_gsnr_db

__all__ = [
    "Band",
    "DesignResult",
    "Edfa",
    "FibreSection",
    "FibreType",
    "LineCase",
    "LineResult",
    "LossTable",
    "OpticsConfig",
    "OpticsResult",
    "RamanPump",
    "Ropa",
    "Spectrum",
    "TransceiverNoise",
    "compare_designs",
    "evaluate_line",
    "line_case_from_dict",
    "load_line_case",
    "uniform_line_gsnr_db",
]
