"""Optical transmission: per-channel GSNR of a line (GN / ISRS GN closed forms), unrepeatered
amplification (booster, distributed Raman, ROPA) and the design comparison.

Public API: input models in :mod:`.elements` and :mod:`.config`; :func:`load_line_case`,
:func:`evaluate_line` (explicit lines); :func:`compare_designs` (the optics stage).
"""

from __future__ import annotations

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

__all__ = [
    "Band",
    "Edfa",
    "FibreSection",
    "FibreType",
    "LineCase",
    "LineResult",
    "LossTable",
    "RamanPump",
    "Ropa",
    "Spectrum",
    "TransceiverNoise",
    "evaluate_line",
    "line_case_from_dict",
    "load_line_case",
]
