"""Use the second core for independent work: a call forked into a child process.

The pipeline's stages and the report's sections are pure functions of their inputs, so two
independent ones can run at once: the optics stage beside the corridor stage, half of the
report's figures beside the other half. :class:`ForkedCall` runs a function in a child made with
``fork`` (the child inherits the inputs as they are: nothing is pickled on the way in, only the
result on the way back) while the caller goes on.

Nothing changes but the wall time. The call runs here instead, in the usual order, whenever that
is safer: not a POSIX system with fork, a single CPU, other Python threads alive (forking a
multi-threaded process can deadlock the child), a daemonic process (a Dask worker may not have
children), ``TRANSCASPIAN_SERIAL=1``; and whenever the child fails, the call is run again here so
that any error is raised here, exactly as in a serial run.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_PENDING: dict[int, Callable[[], Any]] = {}  # read by a forked child only


def can_fork() -> bool:
    """True when a call may run in a forked child (see the module notes)."""
    if os.environ.get("TRANSCASPIAN_SERIAL") == "1":
        return False
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    if multiprocessing.current_process().daemon:
        return False
    return (os.cpu_count() or 1) >= 2 and threading.active_count() == 1


def one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """One BLAS thread per process while the pipeline runs its own processes side by side.

    The optics stage's small matrix products gain nothing from OpenBLAS's threads (1.85 s
    either way on the default, 2 cores) but its spinning threads took 1.85 s more CPU from the
    corridor stage running beside it. Limited with ``threadpoolctl`` (the scikit-learn team's
    library), only when :func:`can_fork`; children inherit the limit.
    """
    if not can_fork():
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to kill this child when its parent dies (Linux ``PR_SET_PDEATHSIG``).

    A parent killed by SIGKILL runs no clean-up, so only the kernel can stop its children; on
    systems without ``prctl`` the child still ends when it has sent its result.
    """
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _child(key: int, conn: Any, parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    try:
        conn.send(("ok", _PENDING[key]()))
    except BaseException:  # the parent runs the call again and raises the error itself
        conn.send(("failed", None))
    finally:
        conn.close()


class ForkedCall(Generic[T]):
    """``fn()`` computed in a forked child (or here, lazily, when forking is not safe)."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn
        self._proc: Any = None
        self._conn: Any = None
        if not can_fork():
            return
        ctx = multiprocessing.get_context("fork")
        parent_conn, child_conn = ctx.Pipe(duplex=False)
        key = id(self)
        _PENDING[key] = fn
        try:
            proc = ctx.Process(target=_child, args=(key, child_conn, os.getpid()), daemon=True)
            proc.start()
        except Exception:  # no child: run here later
            parent_conn.close()
            return
        finally:
            _PENDING.pop(key, None)
            child_conn.close()
        self._proc, self._conn = proc, parent_conn

    def result(self) -> T:
        """The call's value (waits for the child; runs the call here if it failed)."""
        if self._proc is None:
            return self._fn()
        status: str = "failed"
        value: Any = None
        try:
            status, value = self._conn.recv()
        except (EOFError, OSError):
            pass
        finally:
            self.cancel()
        if status == "ok":
            return value
        return self._fn()

    def cancel(self) -> None:
        """Stop the child (if any) and release its pipe."""
        if self._proc is None:
            return
        self._conn.close()
        self._proc.join(timeout=0.5)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join()
        self._proc = None
