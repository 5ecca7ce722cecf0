"""The second-core helper changes nothing but the wall time."""

from __future__ import annotations

import os

import pytest

from transcaspian._parallel import ForkedCall, can_fork
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
