"""Collection of the whole repository: the tests, and the package's docstring examples.

``--doctest-modules`` (pyproject) imports every Python file on the test paths. Two kinds are
left out here:

- files under ``tests/`` that are not tests (shared helpers, reference generators run by hand
  with GNPy): their examples are not the package's, and a generator imports GNPy at the top;
- modules of the package that cannot be imported because an optional extra is missing (the
  ``dask`` and ``bench`` extras, Playwright): their examples run where the extra is installed.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
TESTS = ROOT / "tests"
SRC = ROOT / "src"
PACKAGE = SRC / "transcaspian"

#: Top-level import names of the optional extras in pyproject.toml.
OPTIONAL_IMPORTS = frozenset({"dask", "distributed", "pyarrow", "bokeh", "gnpy", "playwright"})


def _is_test_file(path: Path) -> bool:
    return path.name == "conftest.py" or path.name.startswith("test_")


def _missing_extra(path: Path) -> str | None:
    """The optional extra that importing the package module at ``path`` lacks, if any.

    Any other failure to import is left to the collector, which reports it against the file.
    """
    parts = path.relative_to(SRC).with_suffix("").parts
    module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = (exc.name or "").partition(".")[0]
        missing = top in OPTIONAL_IMPORTS and importlib.util.find_spec(top) is None
        return top if missing else None
    except Exception:
        return None
    return None


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave out helper files under tests/ and package modules whose optional extra is missing."""
    if collection_path.suffix != ".py":
        return None
    if TESTS in collection_path.parents and not _is_test_file(collection_path):
        return True
    if PACKAGE in collection_path.parents and _missing_extra(collection_path):
        return True
    return None
