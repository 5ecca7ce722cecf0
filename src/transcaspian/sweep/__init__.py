"""Design-space sweeps: a driver of the pipeline's stage kernels, in-process or on Dask.

Not a stage: :func:`prepare_sweep` validates a space of scenario variants, :func:`run_sweep`
evaluates it batch by batch (:mod:`.batch`, :mod:`.kernels`), streams each batch to a Parquet
partition (:mod:`.sink`) and writes the Pareto summary (:mod:`.pareto`, :mod:`.report`).
Dask and pyarrow are the optional ``[dask]`` extra, imported only when used.
"""

from __future__ import annotations

from .driver import PreparedSweep, SweepResult, prepare_sweep, run_sweep
from .kernels import ArrayKernel, GroupedKernel, register

__all__ = [
    "ArrayKernel",
    "GroupedKernel",
    "PreparedSweep",
    "SweepResult",
    "prepare_sweep",
    "register",
    "run_sweep",
]
