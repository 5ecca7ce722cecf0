"""Optical transmission: per-channel GSNR of a line (GN / ISRS GN closed forms), unrepeatered
amplification (booster, distributed Raman, ROPA) and the design comparison.

Public API: input models in :mod:`.elements` and :mod:`.config`; :func:`load_line_case`,
:func:`evaluate_line` (explicit lines); :func:`compare_designs` and
:func:`~.stage.run_optics` (the optics stage); :func:`uniform_line_gsnr_db` (sweeps).

Names load on first use (PEP 562), so ``import transcaspian.optics.config`` (e.g. from the
scenario model) pulls in only the input models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
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
    from .linecase import LineCase, example_line_case_path, line_case_from_dict, load_line_case
    from .stage import run_optics
    from .sweep import uniform_line_gsnr_db

_WHERE = {
    "Band": "elements",
    "Edfa": "elements",
    "FibreSection": "elements",
    "FibreType": "elements",
    "LossTable": "elements",
    "RamanPump": "elements",
    "Ropa": "elements",
    "Spectrum": "elements",
    "TransceiverNoise": "elements",
    "OpticsConfig": "config",
    "DesignResult": "design",
    "OpticsResult": "design",
    "compare_designs": "design",
    "LineResult": "line",
    "evaluate_line": "line",
    "LineCase": "linecase",
    "example_line_case_path": "linecase",
    "line_case_from_dict": "linecase",
    "load_line_case": "linecase",
    "run_optics": "stage",
    "uniform_line_gsnr_db": "sweep",
}

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
    "example_line_case_path",
    "line_case_from_dict",
    "load_line_case",
    "run_optics",
    "uniform_line_gsnr_db",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
