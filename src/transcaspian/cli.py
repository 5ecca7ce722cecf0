"""The ``transcaspian`` command line: a thin shell over the library.

Each sub-command lives in :mod:`transcaspian.commands` as a module with ``register(sub)``; it
parses, calls the library, and writes. Nothing is computed here. Exit status: 0 ok, 1 failed
(a bug or an internal error), 2 bad input (any :class:`~transcaspian.errors.TranscaspianError`,
or a command line argparse refuses), 130 interrupted (SIGINT, Ctrl-C), 143 terminated
(SIGTERM), 141 the reader of stdout went away (SIGPIPE): 128 + the signal, as a shell reports a
command the signal killed.

SIGTERM is handled like SIGINT: it raises :class:`Terminated` (a ``KeyboardInterrupt``) in the
main thread, so every clean-up that runs on Ctrl-C runs on ``kill`` too (the atomic output set
leaves the previous set or none, never a staging folder; a forked child is stopped).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from ._version import __version__
from .errors import TranscaspianError


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line plus a hint, not the whole usage.

    ``add_subparsers`` makes every sub-command's parser of this class too.
    """

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        """As argparse's, but an unrecognised argument is blamed on the sub-command that was
        given it (``transcaspian route: error: ...``, hint ``transcaspian route --help``)."""
        ns, extras = self.parse_known_args(args, namespace)
        if extras:
            self._innermost(ns).error(f"unrecognized arguments: {' '.join(extras)}")
        return ns

    def _innermost(self, ns: argparse.Namespace) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self
        while True:
            sub = next((a for a in parser._actions
                        if isinstance(a, argparse._SubParsersAction)), None)
            name = None if sub is None or sub.dest is None else getattr(ns, sub.dest, None)
            if sub is None or name not in sub.choices:
                return parser
            parser = sub.choices[name]

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n"
                     f"Try '{self.prog} --help' for more information.\n")


class Terminated(KeyboardInterrupt):
    """Raised in the main thread on SIGTERM, so that it unwinds like Ctrl-C."""


_EXIT_INTERRUPTED = 128 + int(signal.SIGINT)  # 130
_EXIT_TERMINATED = 128 + int(signal.SIGTERM)  # 143


def _raise_terminated(signum: int, frame: Any) -> None:
    # a second SIGTERM while the first one's clean-up runs is ignored (SIGKILL still works)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` for the duration (main thread only; the previous
    handler is put back after, so an embedding program keeps its own)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous is signal.SIG_IGN:  # started with SIGTERM ignored (nohup-like): respect it
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    from .commands import COMMAND_MODULES

    parser = _Parser(
        prog="transcaspian",
        description="Plan and evaluate a submarine cable system and the network it joins "
        "(default: the Trans-Caspian line Sumgayit - Aktau).",
    )
    parser.add_argument("--version", action="version", version=f"transcaspian {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


class _ArgumentError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status (0 ok, 1 failed, 2 bad input, 130 interrupted,
    143 terminated)."""
    with _sigterm_raises():
        try:
            return _main(argv)
        except Terminated:  # between two handlers (parsing, or after the command's own)
            print("transcaspian: terminated", file=sys.stderr)
            return _EXIT_TERMINATED
        except KeyboardInterrupt:
            print("transcaspian: interrupted", file=sys.stderr)
            return _EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its one-line error and hint
        return int(exc.code or 0)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(func(args) or 0)
    except TranscaspianError as exc:
        print(f"transcaspian: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except Terminated:
        print("transcaspian: terminated", file=sys.stderr)
        return _EXIT_TERMINATED
    except KeyboardInterrupt:
        print("transcaspian: interrupted", file=sys.stderr)
        return _EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`... | head`): stop quietly, as cat does
        import contextlib
        import io
        import os

        # no second error when Python flushes stdout at exit (nothing to do when stdout is
        # not a file descriptor, as when embedded)
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, the shell's status for a command killed by a broken pipe
    except Exception as exc:  # a bug: say so in one line, keep the details for --debug users
        if getattr(args, "debug", False):
            raise
        print(
            f"transcaspian: internal error: {exc.__class__.__name__}: {exc} "
            "(re-run with --debug for the traceback and please report it)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
