"""The ``transcaspian`` command line: a thin shell over the library.

Each sub-command lives in :mod:`transcaspian.commands` as a module with ``register(sub)``; it
parses, calls the library, and writes. Nothing is computed here. Exit status: 0 ok, 1 failed
(a bug or an internal error), 2 bad input (any :class:`~transcaspian.errors.TranscaspianError`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ._version import __version__
from .errors import TranscaspianError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    from .commands import COMMAND_MODULES

    parser = argparse.ArgumentParser(
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
    """Run the CLI; return the exit status (0 ok, 1 failed, 2 bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its one-line usage error
        return int(exc.code or 0)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except TranscaspianError as exc:
        print(f"transcaspian: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("transcaspian: interrupted", file=sys.stderr)
        return 1
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
