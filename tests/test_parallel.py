"""The second-core helper changes nothing but the wall time."""

from __future__ import annotations

import os

import pytest

from transcaspian._parallel import ForkedCall, can_fork, one_blas_thread
from transcaspian.errors import OpticsError


def test_a_forked_call_returns_the_value_computed_in_the_child() -> None:
    pid = os.getpid()
    call = ForkedCall(lambda: (os.getpid(), [1.5, 2.5]))
    child_pid, value = call.result()
    assert value == [1.5, 2.5]
    if can_fork():
        assert child_pid != pid  # it really ran in a child
    else:
        assert child_pid == pid


def test_an_error_in_the_child_is_raised_here_as_in_a_serial_run() -> None:
    def fails() -> None:
        raise OpticsError("optics: one clear line")

    with pytest.raises(OpticsError, match="one clear line"):
        ForkedCall(fails).result()


def test_serial_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSCASPIAN_SERIAL", "1")
    assert not can_fork()
    assert ForkedCall(os.getpid).result() == os.getpid()


def test_one_blas_thread_only_while_forking(monkeypatch: pytest.MonkeyPatch) -> None:
    from threadpoolctl import threadpool_info

    with one_blas_thread():
        inside = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    if can_fork():
        assert all(n == 1 for n in inside)
    monkeypatch.setenv("TRANSCASPIAN_SERIAL", "1")
    before = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    with one_blas_thread():
        assert [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"] == before


def _children(pid: int) -> set[int]:
    """Live processes whose parent is ``pid`` (Linux /proc)."""
    from pathlib import Path

    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    from pathlib import Path

    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not os.path.isdir("/proc") or not can_fork(),
                    reason="needs Linux /proc and fork")
@pytest.mark.parametrize("signame", ["SIGKILL", "SIGTERM"])
def test_a_killed_run_leaves_no_child_behind(tmp_path, signame: str) -> None:  # type: ignore[no-untyped-def]
    """The spine's forked children die with the parent, however it is killed."""
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-m", "transcaspian.cli", "run", "--out",
                             str(tmp_path / "out")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        kids: set[int] = set()
        deadline = time.monotonic() + 60
        while not kids and time.monotonic() < deadline and proc.poll() is None:
            kids = _children(proc.pid)
            time.sleep(0.02)
        assert kids, "the run never forked a child"
        proc.send_signal(getattr(signal, signame))
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(k) for k in kids), f"children left after {signame}: {kids}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.skipif(not can_fork(), reason="needs fork and two CPUs")
def test_sections_drawn_ahead_are_the_sections_drawn_after(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``plan(draw=...)`` draws the route and corridor sections while later stages compute;
    the report's sections are the same as a serial drawing's, and a report of the other kind
    is drawn afresh."""
    from transcaspian.plan import Plan, plan, render_sections
    from transcaspian.scenario import default_scenario

    p = plan(default_scenario(), draw=True)
    assert set(p.ahead["names"]) == {"route", "network"}
    drawn = render_sections(p, interactive=True)
    monkeypatch.setenv("TRANSCASPIAN_SERIAL", "1")
    serial = render_sections(Plan(scenario=p.scenario, results=p.results), interactive=True)
    assert drawn == serial
    assert render_sections(p, interactive=False) != serial  # static: drawn again, no script
