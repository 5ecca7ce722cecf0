"""The sweep driver: validate the space, run the missing partitions, stream them to disk.

:func:`prepare_sweep` does every check (fields, bounds, ranges, sampler, executor, output
folder) before any stage runs; :func:`run_sweep` evaluates the partitions not yet on disk with
the in-process or the Dask executor and writes each one as it finishes, then the summary.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..errors import ScenarioError, SweepError
from .cache import StageCache, fingerprint
from .executors import Job, dask_client, dask_results, local_results, progress_printer
from .kernels import select_kernels, under
from .sink import PartitionSink, have_pyarrow
from .space import Param, SamplingMethod, Space, parse_param, set_path

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario import Scenario

__all__ = ["PreparedSweep", "SweepResult", "prepare_sweep", "run_sweep"]

#: Designs per task by default: large enough to be array work, small enough to stream.
DEFAULT_BATCH = 10_000


@dataclass(frozen=True)
class PreparedSweep:
    """A validated sweep, ready to run."""

    job: Job
    sink: PartitionSink
    workers: int | None
    scheduler: str | None
    shared_out: bool = False


@dataclass(frozen=True)
class SweepResult:
    """What a sweep run did."""

    out: Path
    n_designs: int
    n_partitions: int
    computed_partitions: int
    format: str
    elapsed_s: float
    stage_runs: dict[str, int] = field(default_factory=dict)
    stage_reuses: dict[str, int] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    summary_html: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain Python."""
        return {
            "out": str(self.out),
            "n_designs": self.n_designs,
            "n_partitions": self.n_partitions,
            "computed_partitions": self.computed_partitions,
            "format": self.format,
            "elapsed_s": round(self.elapsed_s, 3),
            "stage_runs": dict(self.stage_runs),
            "stage_reuses": dict(self.stage_reuses),
            "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()},
            "summary_html": None if self.summary_html is None else str(self.summary_html),
        }


def _check_value(base_data: Mapping[str, Any], p: Param, value: Any) -> None:
    from ..scenario import scenario_from_dict

    data = copy.deepcopy(dict(base_data))
    set_path(data, p.path, value)
    try:
        scenario_from_dict(data, source="scenario")
    except ScenarioError as exc:
        raise SweepError(f"--param {p.path}: value {value!r} refused: "
                         f"{str(exc).removeprefix('scenario: ')}") from None


def check_params(params: Sequence[Param], base_data: Mapping[str, Any],
                 stages: tuple[str, ...] | None) -> None:
    """Each field read by a selected stage, sweepable, and every value within its bounds."""
    kernels = select_kernels(stages)
    for p in params:
        for k in kernels:
            for path, why in k.ignores.items():
                if under(p.path, (path,)):
                    raise SweepError(f"--param {p.path}: cannot be swept: {why}")
        readers = [k.name for k in kernels
                   if under(p.path, k.reads) or under(p.path, getattr(k, "vector_reads", ()))]
        if not readers:
            names = ", ".join(k.name for k in kernels)
            raise SweepError(f"--param {p.path}: no stage of this sweep reads it (stages: "
                             f"{names}); a sweep over it would give identical rows")
        for v in p.extremes():
            _check_value(base_data, p, v)


def prepare_sweep(
    scenario: Scenario,
    param_specs: Sequence[str],
    out: str | Path,
    *,
    method: SamplingMethod = "grid",
    n: int | None = None,
    seed: int = 0,
    batch_size: int = DEFAULT_BATCH,
    stages: Sequence[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    shared_out: bool = False,
) -> PreparedSweep:
    """Parse and check everything about a sweep before any work.

    ``shared_out``: the Dask workers of ``scheduler`` see ``out`` at the same path, so each
    writes its own partitions (always so for the LocalCluster of ``workers``).

    Raises
    ------
    SweepError
        One line naming the parameter, option or folder at fault.
    """
    # options first: nothing is created under --out until every option is checked
    if method not in ("grid", "lhs", "sobol"):
        raise SweepError(f"--sample: must be grid, lhs or sobol (got {method!r})")
    if workers is not None and workers < 1:
        raise SweepError(f"--workers: must be at least 1 (got {workers}; leave it out to run "
                         "in this process)")
    if not 1 <= batch_size <= 1_000_000:
        raise SweepError(f"--batch-size: must be within 1..1000000 (got {batch_size})")
    if shared_out and scheduler is None:
        raise SweepError("--shared-out: only with --scheduler (the --workers cluster and the "
                         "in-process executor always write where the driver does)")
    if workers is not None and scheduler is not None:
        raise SweepError("--workers and --scheduler: give one (a new local cluster, or an "
                         "existing one)")
    if workers is not None or scheduler is not None:
        from .executors import _import_distributed

        _import_distributed()
    base_data = scenario.model_dump(mode="json")
    sel = None if stages is None else tuple(stages)
    select_kernels(sel)
    params = [parse_param(text, base_data) for text in param_specs]
    space = Space.build(params, method, n, seed)
    check_params(space.params, base_data, sel)
    fmt = "parquet" if have_pyarrow() else "csv"
    manifest = {
        "transcaspian_sweep": 1,
        "transcaspian_version": __version__,
        "scenario_fingerprint": fingerprint(base_data),
        "space": space.to_dict(),
        "batch_size": batch_size,
        "n_partitions": -(-space.n // batch_size),
        "stages": None if sel is None else sorted(sel),
        "format": fmt,
    }
    job = Job(scenario_data=base_data, space=space, batch_size=batch_size, stages=sel,
              token=fingerprint(manifest))
    sink = PartitionSink(out, manifest, fmt)
    sink.open()
    return PreparedSweep(job=job, sink=sink, workers=workers, scheduler=scheduler,
                         shared_out=shared_out or workers is not None)


def run_sweep(
    prepared: PreparedSweep,
    *,
    cache: StageCache | None = None,
    say: Callable[[str], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    summary: bool = True,
) -> SweepResult:
    """Evaluate the missing partitions and write them; then the summary report.

    Parameters
    ----------
    prepared : PreparedSweep
    cache : StageCache, optional
        Stage memo of the in-process executor (default: a new one, counted in the result).
    say : callable, optional
        Where to print one-line notes (the Dask dashboard link, the CSV fallback).
    progress : callable, optional
        ``progress(partitions_done, designs_done)`` after each partition.
    summary : bool
        Write ``summary.html`` (Pareto fronts, best designs).
    """
    job, sink = prepared.job, prepared.sink
    t0 = time.perf_counter()
    todo = sink.missing()
    total = job.n_partitions
    done = total - len(todo)
    designs = sum(job.bounds(k)[1] - job.bounds(k)[0] for k in range(total) if k not in todo)
    show = progress if progress is not None else progress_printer(total)
    if say is not None and sink.fmt == "csv":
        say("pyarrow is not installed: writing CSV partitions (pip install "
            "'transcaspian[dask]' for Parquet)")
    if say is not None and done:
        say(f"resuming: {done} of {total} partitions already written")
    local_cache = cache if cache is not None else StageCache()
    # the default progress runs a heartbeat while partitions compute (lines on a non-TTY)
    with show if isinstance(show, AbstractContextManager) else nullcontext():
        _evaluate(prepared, todo, local_cache, show, say, done, designs)
    html = None
    if summary:
        from .report import write_summary

        html = write_summary(sink)
    return SweepResult(
        out=sink.out, n_designs=job.space.n, n_partitions=total, computed_partitions=len(todo),
        format=sink.fmt, elapsed_s=time.perf_counter() - t0,
        stage_runs=dict(local_cache.runs), stage_reuses=dict(local_cache.hits),
        stage_seconds=dict(local_cache.seconds),
        summary_html=html,
    )


def _evaluate(prepared: PreparedSweep, todo: Sequence[int], local_cache: StageCache,
              show: Callable[[int, int], None], say: Callable[[str], None] | None,
              done: int, designs: int) -> None:
    """Evaluate and write the partitions ``todo`` (in this process or on Dask)."""
    job, sink = prepared.job, prepared.sink
    if prepared.workers is None and prepared.scheduler is None:
        results = local_results(job, todo, local_cache)
        for k, columns in results:
            sink.write(k, columns)
            done += 1
            designs += len(columns["design"])
            show(done, designs)
        return
    writer = sink if prepared.shared_out else None
    with dask_client(prepared.workers, prepared.scheduler) as client:
        for k, got in dask_results(job, todo, client, say=say, sink=writer):
            if isinstance(got, int):
                designs += got
            else:
                sink.write(k, got)
                designs += len(got["design"])
            done += 1
            show(done, designs)


def load_spec_file(path: str | Path) -> dict[str, Any]:
    """A sweep described in YAML: ``params: {PATH: SPEC}``, ``sample``, ``n``, ``seed``,
    ``batch_size``, ``stages``."""
    from .._load import parse_yaml, read_text

    text = read_text(Path(path), what="sweep spec", error=SweepError)
    data = parse_yaml(text, source=str(path), error=SweepError)
    if not isinstance(data, dict):
        raise SweepError(f"{path}: the top level must be a mapping")
    allowed = {"params", "sample", "n", "seed", "batch_size", "stages"}
    extra = sorted(set(data) - allowed)
    if extra:
        raise SweepError(f"{path}: {extra[0]}: unknown key (known: {', '.join(sorted(allowed))})")
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise SweepError(f"{path}: params: a mapping of PATH: SPEC is expected")
    data["params"] = [f"{k}={_spec_text(v)}" for k, v in params.items()]
    return data


def _spec_text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v).lower() if isinstance(v, bool) else str(v) for v in value)
    return str(value)
