"""Memo of the expensive stages: one run per distinct input, reused by every later batch.

The route of a cable does not change when the launch power does: a sweep over 10⁵ launch
powers routes once. :class:`StageCache` keys a stage's result by the stage name, the base
scenario's fingerprint, the values of the swept fields the stage reads and the keys of its
upstream results. The stages are pure functions of those, so a cached result is the result the
stage would return: the cache changes the time a sweep takes, never its numbers.

One cache lives in each process (the in-process executor's, or a Dask worker's): two workers
may each compute a group once, never once per design.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["StageCache", "fingerprint", "process_cache"]


def fingerprint(data: Any) -> str:
    """A short stable hash of JSON-ready data."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class _Failure:
    """A stage's user error, as cached."""

    kind: type[Exception]
    message: str


class StageCache:
    """Least-recently-used memo of stage results, with counts of runs and reuses.

    Parameters
    ----------
    max_entries : int
        Results kept (a route result holds its grid and RPL: a few MB).
    """

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[tuple[str, str], Any] = OrderedDict()
        self.runs: Counter[str] = Counter()
        self.hits: Counter[str] = Counter()
        self.seconds: dict[str, float] = {}
        self._lock = threading.Lock()  # a Dask worker may run tasks in several threads

    def get_or_run(self, stage: str, key: str, compute: Callable[[], Any]) -> Any:
        """The cached result of ``stage`` for ``key``, else ``compute()`` (and keep it).

        A :class:`~transcaspian.errors.TranscaspianError` raised by ``compute`` is cached too
        (as the exception), so a failing group is not re-run in every batch.
        """
        k = (stage, key)
        with self._lock:
            found = k in self._data
            if found:
                self._data.move_to_end(k)
                self.hits[stage] += 1
                value = self._data[k]
        if not found:
            from .errors import TranscaspianError

            t0 = time.perf_counter()
            try:
                value = compute()
            except TranscaspianError as exc:
                # keep the class and message only: a stored exception's traceback would keep
                # the failing batch's frames (and its arrays) alive for the sweep's duration
                value = _Failure(type(exc), str(exc))
            with self._lock:
                self.runs[stage] += 1
                self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - t0
                self._data[k] = value
                if len(self._data) > self.max_entries:
                    self._data.popitem(last=False)
        if isinstance(value, _Failure):
            raise value.kind(value.message)
        return value

    def has(self, stage: str, key: str) -> bool:
        """Whether the result of ``stage`` for ``key`` is held."""
        with self._lock:
            return (stage, key) in self._data

    def clear(self) -> None:
        """Forget every result and count."""
        self._data.clear()
        self.runs.clear()
        self.hits.clear()
        self.seconds.clear()


_PROCESS_CACHE = StageCache()


def process_cache() -> StageCache:
    """The memo of this process (what a Dask worker's tasks share)."""
    return _PROCESS_CACHE
