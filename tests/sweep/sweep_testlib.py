"""Helpers of the sweep tests: run a sweep in-process and read its partitions back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from transcaspian.scenario import default_scenario
from transcaspian.sweep import prepare_sweep, run_sweep
from transcaspian.sweep.cache import StageCache
from transcaspian.sweep.driver import SweepResult
from transcaspian.sweep.sink import read_columns


def sweep(out: Path, params: list[str], cache: StageCache | None = None,
          **kw: Any) -> SweepResult:
    """An in-process sweep of the default scenario (route + optics unless told)."""
    kw.setdefault("stages", ("route", "optics"))
    summary = kw.pop("summary", False)
    prepared = prepare_sweep(default_scenario(), params, out, **kw)
    return run_sweep(prepared, cache=cache if cache is not None else StageCache(),
                     progress=lambda done, designs: None, summary=summary)


def table(out: Path) -> dict[str, np.ndarray]:
    """Every partition of a sweep folder, concatenated in order."""
    files = sorted((out / "parts").glob("part-*"))
    parts = list(read_columns(files))
    return {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
