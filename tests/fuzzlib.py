"""Strategies and bookkeeping of the loader fuzz suite (``tests/test_fuzz.py``).

Each loader is fed mutations of a valid input — values replaced by junk (booleans, numeric
strings, NaN, huge numbers, lists...), keys deleted or misspelt, numbers scaled to extremes —
and text-level damage (truncation, duplicated lines, bytes that are not UTF-8). Every input
must end in a valid result with finite numbers or in one TranscaspianError message; anything
else fails the test. ``record`` counts the outcomes per loader; the counts are printed at the
end of the session (``conftest.pytest_terminal_summary``).

``TRANSCASPIAN_FUZZ_EXAMPLES`` sets the examples per loader: a small sample in ``make test``,
10 000 in ``make fuzz``.
"""

from __future__ import annotations

import copy
import math
import os
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from transcaspian.errors import TranscaspianError
from usererror import assert_user_error

#: Examples per loader: a fast sample by default, ``make fuzz`` sets 10000.
EXAMPLES = int(os.environ.get("TRANSCASPIAN_FUZZ_EXAMPLES", "20"))
#: Per-example deadline: an input that takes longer counts as a hang [ms].
DEADLINE_MS = 5000

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=DEADLINE_MS,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)

#: loader -> outcome class -> count (valid, or the TranscaspianError subclass name)
OUTCOMES: defaultdict[str, Counter[str]] = defaultdict(Counter)


def run_loader(loader: str, call: Callable[[], Any], check: Callable[[Any], None]) -> str:
    """Call a loader; a valid result is checked, a user error must be well formed."""
    try:
        result = call()
    except TranscaspianError as exc:
        assert_user_error(exc)
        outcome = type(exc).__name__
    else:
        check(result)
        outcome = "valid"
    OUTCOMES[loader][outcome] += 1
    return outcome


def assert_finite(obj: Any, where: str = "$") -> None:
    """Every number in a JSON-like structure (or numpy array) is finite."""
    import numpy as np

    if isinstance(obj, dict):
        for k, v in obj.items():
            assert_finite(v, f"{where}.{k}")
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            assert_finite(v, f"{where}[{i}]")
    elif isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc":
            assert np.all(np.isfinite(obj)), f"non-finite value at {where}"
    elif isinstance(obj, float):
        assert math.isfinite(obj), f"non-finite value {obj} at {where}"


# --------------------------------------------------------------------------------------------
# Mutations of a valid document

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["32", "0.2", "1e400", "nan", "true", "-0", "", " ", "\x00", "é"]),
    st.lists(st.one_of(st.integers(-5, 5), st.floats(-1e3, 1e3), st.booleans()), max_size=4),
    st.dictionaries(st.text(max_size=4), st.integers(-3, 3), max_size=2),
)
SCALES = st.sampled_from([-1.0, 0.0, 1e-9, 1e-3, 1e3, 1e9, 1e300])


def value_paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key/index path into a nested dict/list document."""
    out = [prefix] if prefix else []
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += value_paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += value_paths(v, (*prefix, i))
    return out


def _typo(key: Any) -> Any:
    if not isinstance(key, str) or len(key) < 2:
        return f"{key}_"
    return key[:-1] if len(key) > 3 else key + "x"


@st.composite
def mutated(draw: st.DrawFn, base: Any, max_mutations: int = 3) -> Any:
    """``base`` with 0..max_mutations random edits (replace, delete, misspell, scale)."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(0, max_mutations))):
        paths = value_paths(data)
        if not paths:
            return draw(JUNK)
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        op = draw(st.sampled_from(["replace", "replace", "delete", "typo", "scale"]))
        if op == "replace":
            parent[key] = draw(JUNK)
        elif op == "delete":
            del parent[key]
        elif op == "typo" and isinstance(parent, dict):
            parent[_typo(key)] = parent.pop(key)
        elif op == "scale":
            value = parent[key]
            if isinstance(value, int | float) and not isinstance(value, bool):
                try:
                    parent[key] = value * draw(SCALES)
                except OverflowError:
                    parent[key] = math.inf
    return data


@st.composite
def damaged_text(draw: st.DrawFn, text: str) -> bytes:
    """``text`` encoded, then truncated, with a line duplicated, or with non-UTF-8 bytes."""
    raw = text.encode("utf-8")
    op = draw(st.sampled_from(["truncate", "duplicate_line", "bad_bytes", "splice"]))
    if op == "truncate":
        return raw[: draw(st.integers(0, len(raw)))]
    lines = raw.split(b"\n")
    if op == "duplicate_line" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        return b"\n".join([*lines[: i + 1], lines[i], *lines[i + 1:]])
    pos = draw(st.integers(0, len(raw)))
    if op == "bad_bytes":
        bad = draw(st.sampled_from([b"\xff", b"\xc3", b"\xe9", b"\x80\x80"]))
        return raw[:pos] + bad + raw[pos:]
    junk = draw(st.binary(max_size=12))
    return raw[:pos] + junk + raw[pos:]
