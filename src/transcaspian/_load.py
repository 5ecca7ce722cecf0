"""Shared input plumbing: read a text file, parse YAML, and turn a pydantic ValidationError into
the one-line message every user error gets (``file: field.path: problem (got value)``).

Each loader passes the exception class of its domain (ScenarioError, DataError, OpticsError…).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import TranscaspianError


def validation_message(err: ValidationError, source: str) -> str:
    """One line naming the source, the first invalid field's path and the problem."""
    errors = err.errors()
    first = errors[0]
    # keys are user data: repr() any that would break the one-line message (e.g. "\n")
    loc = ".".join(str(p) if str(p).isprintable() else repr(p) for p in first["loc"])
    msg = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        msg = "unknown key"
    elif first["type"] == "missing":
        msg = "required field is missing"
    value = first.get("input")
    shown = ""
    if first["type"] != "missing" and isinstance(value, int | float | str | bool):
        shown = f" (got {value!r})"
    more = len(errors) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    where = f"{source}: {loc}" if loc else source
    return f"{where}: {msg}{shown}{tail}"


def read_text(
    path: str | os.PathLike[str], *, what: str, error: type[TranscaspianError]
) -> str:
    """The UTF-8 text of a file, or ``error`` with one line: '<path>: <what> not found'."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{p}: {what} not found") from None
    except IsADirectoryError:
        raise error(f"{p}: {what} is a folder, not a file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{p}: cannot read {what} ({exc.__class__.__name__})") from None


def parse_yaml(text: str, *, source: str, error: type[TranscaspianError]) -> Any:
    """Parse YAML, or ``error`` with one line giving the position of the syntax error."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise error(f"{source}: YAML syntax error{where}: {problem}") from None
