"""Shape of a user error message: one line, or a header line and one line per problem."""

from __future__ import annotations

from transcaspian.errors import TranscaspianError


def assert_user_error(exc: BaseException, source: str | None = None) -> None:
    """``exc`` is a TranscaspianError whose every line is a single line naming ``source``.

    One problem: the message itself is the line. Several: the header names the count
    (``"<source>: N problems"``) and each problem is one line of its own.
    """
    assert isinstance(exc, TranscaspianError), repr(exc)
    assert "\n" not in exc.message, exc.message
    if source is not None:
        assert exc.message.startswith(f"{source}: "), exc.message
    assert all("\n" not in p for p in exc.problems), exc.problems
    if exc.problems:
        assert len(exc.problems) >= 2
        assert exc.message.endswith(" problems"), exc.message
    assert str(exc).count("\n") == len(exc.problems)
