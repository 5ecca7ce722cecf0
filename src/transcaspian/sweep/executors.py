"""Where the batches run: in this process (vectorised), or on a Dask cluster.

Both executors yield ``(partition, columns)`` as batches finish, so that the driver streams
each one to its Parquet file and holds at most a few batches in memory. A task is one batch
of designs (10³–10⁴ by default), never one design: Dask schedules thousands of tasks well and
millions badly. Tasks are :func:`~transcaspian.sweep.batch.evaluate_batch`, a pure function of
its arguments, so a batch gives the same table whichever worker runs it.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy.typing as npt

from ..errors import SweepError
from .batch import evaluate_batch
from .cache import StageCache
from .sink import PartitionSink
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


def evaluate_and_write(sink: PartitionSink, k: int, scenario_data: Mapping[str, Any],
                       params: dict[str, Any], start: int, stages: tuple[str, ...] | None,
                       seed: int) -> int:
    """A task that writes its own partition (workers sharing the output folder); its size."""
    columns = evaluate_batch(scenario_data, params, start, stages=stages, seed=seed)
    sink.write(k, columns)
    return len(columns["design"])


def dask_results(job: Job, todo: Sequence[int], client: Any, *, window: int | None = None,
                 say: Callable[[str], None] | None = None,
                 sink: PartitionSink | None = None) -> Iterator[tuple[int, Columns | int]]:
    """Evaluate the partitions on a Dask cluster, at most ``window`` in flight.

    The partitions come back in the order they finish, as columns that the driver writes at
    once; with ``sink`` (workers that see the output folder at the same path, as a
    LocalCluster's do) each task writes its own partition, atomically, and returns its number
    of designs, so that the Parquet encoding runs in parallel and no table crosses the wire.
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
        if sink is not None:
            return client.submit(evaluate_and_write, sink, k, data, params, start, job.stages,
                                 job.space.seed, key=key, pure=False, retries=2)
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


class ProgressLines:
    """Progress of a sweep on stderr: a bar on a terminal; elsewhere (CI logs, ``2> file``,
    pipes) one line at every 10 % of the partitions and, while a partition runs, at most one
    line every ``every_s`` seconds (a heartbeat thread), so a long sweep is never silent.

    Call it as ``show(partitions_done, designs_done)``; use it as a context manager to run
    the heartbeat.
    """

    def __init__(self, total: int, stream: Any = None, *, every_s: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.every_s, self.clock = total, every_s, clock
        self.out = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.out, "isatty", lambda: False)())
        self.t0 = self.last = clock()
        self.done, self.designs, self.next_step = 0, 0, 1
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _line(self, note: str = "") -> None:  # under the lock
        pct = 100.0 * self.done / self.total if self.total else 100.0
        self.out.write(f"sweep: {self.done}/{self.total} partitions ({pct:.0f} %), "
                       f"{self.designs} designs, {self.clock() - self.t0:.0f} s{note}\n")
        self.out.flush()
        self.last = self.clock()

    def __call__(self, done: int, designs: int) -> None:
        with self._lock:
            self.done, self.designs = done, designs
            if self.tty:
                width = 30
                frac = done / self.total if self.total else 1.0
                bar = "#" * int(width * frac)
                self.out.write(f"\r[{bar:<{width}}] {done}/{self.total} partitions, "
                               f"{designs} designs")
                if done == self.total:
                    self.out.write("\n")
                self.out.flush()
                return
            step = 10 * done // self.total if self.total else 10
            if done == self.total or step >= self.next_step or \
                    self.clock() - self.last >= self.every_s:
                self.next_step = step + 1
                self._line()

    def _beat(self) -> None:
        while not self._stop.wait(self.every_s / 4):
            with self._lock:
                if self.done < self.total and self.clock() - self.last >= self.every_s:
                    self._line(f"; working on partition {self.done + 1}")

    def __enter__(self) -> ProgressLines:
        if not self.tty and self.every_s > 0:
            self._thread = threading.Thread(target=self._beat, name="sweep-progress",
                                            daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def progress_printer(total: int, stream: Any = None) -> ProgressLines:
    """The default progress of a sweep (:class:`ProgressLines`)."""
    return ProgressLines(total, stream)
