"""Where the batches run: in this process (vectorised), or on a Dask cluster.

Both executors yield ``(partition, columns)`` as batches finish, so that the driver streams
each one to its Parquet file and holds at most a few batches in memory. A task is one batch
of designs (10³–10⁴ by default), never one design: Dask schedules thousands of tasks well and
millions badly. Tasks are :func:`~transcaspian.sweep.batch.evaluate_batch`, a pure function of
its arguments, so a batch gives the same table whichever worker runs it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy.typing as npt

from ..errors import SweepError
from .batch import evaluate_batch
from .cache import StageCache
from .space import Space

__all__ = ["Job", "dask_client", "dask_results", "local_results"]

INSTALL_HINT = "pip install 'transcaspian[dask]'"
Columns = dict[str, npt.NDArray[Any]]


@dataclass(frozen=True)
class Job:
    """What every batch of a sweep needs."""

    scenario_data: Mapping[str, Any]
    space: Space
    batch_size: int
    stages: tuple[str, ...] | None
    token: str

    @property
    def n_partitions(self) -> int:
        return -(-self.space.n // self.batch_size)

    def bounds(self, k: int) -> tuple[int, int]:
        """First and one-past-last design of partition ``k``."""
        start = k * self.batch_size
        return start, min(start + self.batch_size, self.space.n)

    def task_args(self, k: int) -> tuple[Mapping[str, Any], dict[str, Any], int]:
        start, stop = self.bounds(k)
        return self.scenario_data, self.space.designs(start, stop), start


def local_results(job: Job, todo: Sequence[int], cache: StageCache | None = None
                  ) -> Iterator[tuple[int, Columns]]:
    """Evaluate the partitions in this process, one after the other."""
    for k in todo:
        data, params, start = job.task_args(k)
        yield k, evaluate_batch(data, params, start, stages=job.stages, seed=job.space.seed,
                                cache=cache)


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise SweepError(f"--workers/--scheduler need Dask: {INSTALL_HINT}") from None
    return distributed


def dask_client(workers: int | None, scheduler: str | None
                ) -> AbstractContextManager[Any]:
    """A client on a new LocalCluster (``workers`` processes, loopback) or on ``scheduler``."""
    distributed = _import_distributed()
    if scheduler is not None:
        try:
            return distributed.Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise SweepError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    if workers is None or workers < 1:
        raise SweepError("--workers: give a number of workers >= 1")
    cluster = distributed.LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address="127.0.0.1:0")
    client = distributed.Client(cluster)
    return _Closing(client, cluster)


class _Closing(AbstractContextManager[Any]):
    """Close the client, then the cluster we started."""

    def __init__(self, client: Any, cluster: Any) -> None:
        self.client, self.cluster = client, cluster

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.cluster.close()


def dask_results(job: Job, todo: Sequence[int], client: Any, *, window: int | None = None,
                 say: Callable[[str], None] | None = None) -> Iterator[tuple[int, Columns]]:
    """Evaluate the partitions on a Dask cluster, at most ``window`` in flight.

    The partitions come back in the order they finish; the driver writes each at once.
    """
    distributed = _import_distributed()
    link = getattr(client, "dashboard_link", None)
    if say is not None and link:
        say(f"Dask dashboard: {link}")
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = window or 3 * n_workers
    pending = iter(todo)
    keys: dict[str, int] = {}

    def submit(k: int) -> Any:
        data, params, start = job.task_args(k)
        key = f"transcaspian-sweep-{job.token}-{k:05d}"
        keys[key] = k
        return client.submit(evaluate_batch, data, params, start, stages=job.stages,
                             seed=job.space.seed, key=key, pure=False, retries=2)

    done = distributed.as_completed([submit(k) for k in islice(pending, window)])
    for fut in done:
        k = keys.pop(fut.key)
        columns = fut.result()
        fut.release()
        yield k, columns
        nxt = next(pending, None)
        if nxt is not None:
            done.add(submit(nxt))


def no_client() -> AbstractContextManager[None]:
    """Context of the in-process executor (nothing to start)."""
    return nullcontext()


def progress_printer(total: int, stream: Any = None) -> Callable[[int, int], None]:
    """A progress bar on a terminal (carriage return), else nothing until the end."""
    out = stream if stream is not None else sys.stderr
    tty = bool(getattr(out, "isatty", lambda: False)())

    def show(done: int, designs: int) -> None:
        if not tty:
            return
        width = 30
        frac = done / total if total else 1.0
        bar = "#" * int(width * frac)
        out.write(f"\r[{bar:<{width}}] {done}/{total} partitions, {designs} designs")
        if done == total:
            out.write("\n")
        out.flush()

    return show
