"""The design space of a sweep: parameter specs, their validation, and the samplers.

A parameter is a scenario field named by its dotted path (``cable.fibre_pairs``,
``route.caspian_level_m``, ``cable.armour_bands.2.slack_percent``) and a SPEC:

* a range ``a:b:step`` (``b`` included when it falls on the step),
* a list ``a,b,c`` (numbers or words, e.g. ``optics.nli_model=gn_closed_form,isrs_gn_closed_form``),
* a distribution for sampling: ``uniform(a,b)``, ``loguniform(a,b)``, ``triang(a,mode,b)``,
  ``truncnorm(mean,sd,a,b)`` (scipy.stats; every one bounded, so its bounds can be validated).

Designs are numbered 0..N-1. ``grid`` is the Cartesian product (design index decoded in
mixed radix, last parameter fastest); ``lhs`` and ``sobol`` map a scipy.stats.qmc sample of the
unit cube through each parameter's quantile function (a range or list is sampled as a discrete
uniform over its values). The QMC generator is seeded from ``numpy.random.SeedSequence(seed)``,
so a design's parameters depend only on (seed, design index): Sobol points are generated per
partition with ``fast_forward``; a Latin hypercube is one permutation of all N designs, built
once from the seed (it cannot be cut into independent pieces).

Every value is validated against the scenario model *before any work*: an unknown field, a
value outside the field's bounds or an empty range is one :class:`~transcaspian.errors.SweepError`
line naming the parameter.
"""

from __future__ import annotations

import difflib
import math
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ..errors import SweepError

__all__ = [
    "MAX_DESIGNS",
    "Param",
    "SamplingMethod",
    "Space",
    "design_seed_sequence",
    "get_path",
    "parse_param",
    "set_path",
]

SamplingMethod = Literal["grid", "lhs", "sobol"]
ValueKind = Literal["int", "float", "str", "bool"]

#: Largest number of designs a sweep may have (guards a typo such as a step of 1e-9).
MAX_DESIGNS = 100_000_000

_DISTRIBUTIONS = {"uniform": 2, "loguniform": 2, "triang": 3, "truncnorm": 4}
_DIST_RE = re.compile(r"^\s*([a-z]+)\s*\((.*)\)\s*$")


@dataclass(frozen=True)
class Param:
    """One swept scenario field.

    Attributes
    ----------
    path : str
        Dotted path of the field in the scenario (list items by index).
    kind : {"int", "float", "str", "bool"}
        Type of the field's values (from the scenario's current value).
    values : tuple
        The discrete values (range or list); empty for a distribution.
    distribution : str or None
        ``uniform``, ``loguniform``, ``triang`` or ``truncnorm``.
    args : tuple of float
        The distribution's arguments as written.
    """

    path: str
    kind: ValueKind
    values: tuple[Any, ...] = ()
    distribution: str | None = None
    args: tuple[float, ...] = ()

    @property
    def bounds(self) -> tuple[float, float]:
        """Support of a distribution [field unit]."""
        a = self.args
        if self.distribution == "triang":
            return a[0], a[2]
        if self.distribution == "truncnorm":
            return a[2], a[3]
        return a[0], a[1]

    def extremes(self) -> list[Any]:
        """Values checked against the scenario model: every listed value, or the bounds."""
        if self.distribution is None:
            return list(self.values)
        lo, hi = self.bounds
        return [self._cast(np.asarray([lo, hi]))[i].item() for i in (0, 1)]

    def _cast(self, x: npt.NDArray[Any]) -> npt.NDArray[Any]:
        if self.kind == "int":
            return np.rint(x).astype(np.int64)
        return np.asarray(x, dtype=float)

    def from_unit(self, u: npt.NDArray[np.float64]) -> npt.NDArray[Any]:
        """Map unit-cube samples to values (quantile function) [field unit]."""
        if self.distribution is None:
            k = len(self.values)
            idx = np.minimum((u * k).astype(np.int64), k - 1)
            return self.array()[idx]
        from scipy import stats

        a = self.args
        if self.distribution == "uniform":
            x = a[0] + (a[1] - a[0]) * u
        elif self.distribution == "loguniform":
            x = stats.loguniform(a[0], a[1]).ppf(u)
        elif self.distribution == "triang":
            c = (a[1] - a[0]) / (a[2] - a[0])
            x = stats.triang(c, loc=a[0], scale=a[2] - a[0]).ppf(u)
        else:
            mean, sd, lo, hi = a
            x = stats.truncnorm((lo - mean) / sd, (hi - mean) / sd, loc=mean, scale=sd).ppf(u)
        return self._cast(np.asarray(x))

    def array(self) -> npt.NDArray[Any]:
        """The discrete values as an array of the field's type."""
        if self.kind == "str":
            return np.asarray(self.values, dtype=object)
        if self.kind == "bool":
            return np.asarray(self.values, dtype=bool)
        return np.asarray(self.values, dtype=np.int64 if self.kind == "int" else float)


# --------------------------------------------------------------------------------------------
# Paths into the scenario (its JSON-mode dump: every field present, defaults filled in)


def _split(path: str) -> list[str]:
    parts = path.split(".")
    if not path or any(not p for p in parts):
        raise SweepError(f"--param {path!r}: a dotted scenario field path is expected, e.g. "
                         "cable.fibre_pairs")
    return parts


def get_path(data: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` in a scenario dump; :class:`SweepError` naming it if absent."""
    node: Any = data
    done: list[str] = []
    for part in _split(path):
        where = ".".join(done) or "the scenario"
        if isinstance(node, Mapping):
            if part not in node:
                close = ['.'.join([*done, c]) for c in
                         difflib.get_close_matches(part, [str(k) for k in node], n=3)]
                close = close or _similar_leaves(node, part, done)
                hint = f" (did you mean {' or '.join(close)}?)" if close else ""
                raise SweepError(f"--param {path}: no field {part!r} in {where}{hint}")
            node = node[part]
        elif isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise SweepError(f"--param {path}: {where} is a list of {len(node)} items; "
                                 f"{part!r} is not an index into it")
            node = node[int(part)]
        else:
            raise SweepError(f"--param {path}: {where} is a single value, it has no {part!r}")
        done.append(part)
    if isinstance(node, Mapping | list):
        raise SweepError(f"--param {path}: is a group of fields, not one value; sweep one of "
                         "its fields")
    return node


def _leaves(node: Any, prefix: list[str]) -> Iterator[list[str]]:
    if isinstance(node, Mapping):
        for k, v in node.items():
            yield from _leaves(v, [*prefix, str(k)])
    elif not isinstance(node, list):
        yield prefix


def _similar_leaves(node: Any, part: str, done: list[str]) -> list[str]:
    """Fields anywhere below ``node`` whose name contains ``part``'s words."""
    words = [w for w in part.split("_") if len(w) > 2 and w not in ("dbm", "db", "km", "per")]
    found = [".".join([*done, *leaf]) for leaf in _leaves(node, [])
             if words and all(w in leaf[-1] for w in words)]
    return found[:3]


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` in a (deep-copied) scenario dump in place."""
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def _kind_of(current: Any, path: str) -> ValueKind:
    if isinstance(current, bool):
        return "bool"
    if isinstance(current, int):
        return "int"
    if isinstance(current, float) or current is None:
        return "float"
    if isinstance(current, str):
        return "str"
    raise SweepError(f"--param {path}: a {type(current).__name__} field cannot be swept")


# --------------------------------------------------------------------------------------------
# SPEC parsing


def _number(text: str, path: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise SweepError(f"--param {path}: {text.strip()!r} is not a number") from None
    if not math.isfinite(x):
        raise SweepError(f"--param {path}: {text.strip()!r} is not a finite number")
    return x


def _range(spec: str, path: str, kind: ValueKind) -> tuple[Any, ...]:
    parts = spec.split(":")
    if len(parts) != 3:
        raise SweepError(f"--param {path}: a range is a:b:step (got {spec!r})")
    a, b, step = (_number(p, path) for p in parts)
    if step <= 0:
        raise SweepError(f"--param {path}: the step of {spec!r} must be > 0")
    if b < a:
        raise SweepError(f"--param {path}: empty range {spec!r} (end below start)")
    n = math.floor((b - a) / step + 1e-9) + 1
    if n > MAX_DESIGNS:
        raise SweepError(f"--param {path}: range {spec!r} has {n} values, too many")
    vals = a + step * np.arange(n)
    if kind == "int":
        if any(abs(v - round(v)) > 1e-9 for v in (a, step)):
            raise SweepError(f"--param {path}: an integer field needs an integer start and "
                             f"step (got {spec!r})")
        return tuple(round(v) for v in vals)
    return tuple(float(round(v, 12)) for v in vals)


def _list(spec: str, path: str, kind: ValueKind) -> tuple[Any, ...]:
    items = [s.strip() for s in spec.split(",")]
    if not items or any(not s for s in items):
        raise SweepError(f"--param {path}: empty value in list {spec!r}")
    if kind == "str":
        out: tuple[Any, ...] = tuple(items)
    elif kind == "bool":
        table = {"true": True, "false": False}
        if any(s.lower() not in table for s in items):
            raise SweepError(f"--param {path}: a yes/no field takes true,false (got {spec!r})")
        out = tuple(table[s.lower()] for s in items)
    else:
        nums = [_number(s, path) for s in items]
        if kind == "int":
            if any(abs(v - round(v)) > 1e-9 for v in nums):
                raise SweepError(f"--param {path}: an integer field takes whole numbers "
                                 f"(got {spec!r})")
            out = tuple(round(v) for v in nums)
        else:
            out = tuple(nums)
    if len(set(out)) != len(out):
        raise SweepError(f"--param {path}: repeated value in list {spec!r}")
    return out


def _distribution(name: str, inner: str, path: str, kind: ValueKind) -> Param:
    if name not in _DISTRIBUTIONS:
        raise SweepError(f"--param {path}: unknown distribution {name!r} (use "
                         f"{', '.join(_DISTRIBUTIONS)})")
    if kind not in ("int", "float"):
        raise SweepError(f"--param {path}: a distribution needs a numeric field")
    args = tuple(_number(s, path) for s in inner.split(",")) if inner.strip() else ()
    if len(args) != _DISTRIBUTIONS[name]:
        raise SweepError(f"--param {path}: {name} takes {_DISTRIBUTIONS[name]} numbers "
                         f"(got {len(args)})")
    p = Param(path=path, kind=kind, distribution=name, args=args)
    lo, hi = p.bounds
    if not hi > lo:
        raise SweepError(f"--param {path}: empty interval in {name}{tuple(args)}")
    if name == "loguniform" and lo <= 0:
        raise SweepError(f"--param {path}: loguniform needs 0 < a < b")
    if name == "triang" and not lo <= args[1] <= hi:
        raise SweepError(f"--param {path}: triang(a, mode, b) needs a <= mode <= b")
    if name == "truncnorm" and args[1] <= 0:
        raise SweepError(f"--param {path}: truncnorm needs a standard deviation > 0")
    return p


def parse_param(text: str, scenario_data: Mapping[str, Any]) -> Param:
    """Parse ``PATH=SPEC`` against a scenario dump (field must exist; values not yet checked)."""
    path, sep, spec = text.partition("=")
    path, spec = path.strip(), spec.strip()
    if not sep or not path:
        raise SweepError(f"--param {text!r}: expected PATH=SPEC, e.g. cable.fibre_pairs=8:32:8")
    if not spec:
        raise SweepError(f"--param {path}: empty SPEC (give a:b:step, a,b,c or uniform(a,b))")
    kind = _kind_of(get_path(scenario_data, path), path)
    m = _DIST_RE.match(spec)
    if m:
        return _distribution(m.group(1), m.group(2), path, kind)
    if ":" in spec and kind in ("int", "float"):
        return Param(path=path, kind=kind, values=_range(spec, path, kind))
    return Param(path=path, kind=kind, values=_list(spec, path, kind))


# --------------------------------------------------------------------------------------------
# Seeds


def design_seed_sequence(seed: int, design: int) -> np.random.SeedSequence:
    """The seed of every random draw made for one design: ``SeedSequence(seed, spawn_key=(i,))``.

    Identical whatever the batch the design falls in or the worker that evaluates it.
    """
    return np.random.SeedSequence(entropy=seed, spawn_key=(int(design),))


# --------------------------------------------------------------------------------------------
# The space


@dataclass(frozen=True)
class Space:
    """Swept parameters and how designs are drawn from them.

    Attributes
    ----------
    params : tuple of Param
    method : {"grid", "lhs", "sobol"}
    n : int
        Number of designs (grid: the product of the value counts).
    seed : int
        Sweep seed (QMC scrambling; per-design draws of the stages).
    """

    params: tuple[Param, ...]
    method: SamplingMethod = "grid"
    n: int = 0
    seed: int = 0
    _lhs: npt.NDArray[np.float64] | None = field(default=None, repr=False, compare=False)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(p.path for p in self.params)

    def designs(self, start: int, stop: int) -> dict[str, npt.NDArray[Any]]:
        """Parameter values of designs ``start..stop-1``, by path (pure in (space, start, stop))."""
        idx = np.arange(start, stop, dtype=np.int64)
        if self.method == "grid":
            out: dict[str, npt.NDArray[Any]] = {}
            rem = idx.copy()
            for p in reversed(self.params):
                k = len(p.values)
                out[p.path] = p.array()[rem % k]
                rem //= k
            return {p.path: out[p.path] for p in self.params}
        u = self._unit(start, stop)
        return {p.path: p.from_unit(u[:, j]) for j, p in enumerate(self.params)}

    def _unit(self, start: int, stop: int) -> npt.NDArray[np.float64]:
        from scipy.stats import qmc

        d = len(self.params)
        if self.method == "sobol":
            eng = qmc.Sobol(d, scramble=True, seed=np.random.default_rng(
                np.random.SeedSequence(self.seed)))
            if start:
                eng.fast_forward(start)
            with warnings.catch_warnings():
                # a partition is a piece of one sequence: its own length need not be 2^m
                warnings.filterwarnings("ignore", message=".*balance properties of Sobol",
                                        category=UserWarning)
                return np.asarray(eng.random(stop - start))
        if self._lhs is None:
            raise SweepError("internal: Latin hypercube not built (use Space.build)")
        return self._lhs[start:stop]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (what the output's manifest records)."""
        return {
            "method": self.method,
            "n": self.n,
            "seed": self.seed,
            "params": [
                {"path": p.path, "kind": p.kind, "values": list(p.values),
                 "distribution": p.distribution, "args": list(p.args)}
                for p in self.params
            ],
        }

    @staticmethod
    def build(params: Sequence[Param], method: SamplingMethod = "grid", n: int | None = None,
              seed: int = 0) -> Space:
        """Check the combination of specs and sampler; build the Latin hypercube if any."""
        if not params:
            raise SweepError("--param: give at least one PATH=SPEC")
        paths = [p.path for p in params]
        dup = sorted({p for p in paths if paths.count(p) > 1})
        if dup:
            raise SweepError(f"--param {dup[0]}: given twice")
        if not 0 <= seed < 2**63:
            raise SweepError(f"--seed: must be within 0..2^63-1 (got {seed})")
        if method == "grid":
            dist = [p.path for p in params if p.distribution is not None]
            if dist:
                raise SweepError(f"--param {dist[0]}: a distribution needs --sample lhs or "
                                 "--sample sobol")
            if n is not None:
                raise SweepError("--n: the grid's size is the product of the value counts; "
                                 "--n is for --sample lhs|sobol")
            total = math.prod(len(p.values) for p in params)
            if total > MAX_DESIGNS:
                raise SweepError(f"--param: the grid has {total} designs, more than "
                                 f"{MAX_DESIGNS}")
            return Space(params=tuple(params), method="grid", n=total, seed=seed)
        if n is None or not 1 <= n <= MAX_DESIGNS:
            raise SweepError(f"--n: --sample {method} needs a number of designs within "
                             f"1..{MAX_DESIGNS}")
        lhs = None
        if method == "lhs":
            from scipy.stats import qmc

            eng = qmc.LatinHypercube(len(params), seed=np.random.default_rng(
                np.random.SeedSequence(seed)))
            lhs = np.asarray(eng.random(n))
        return Space(params=tuple(params), method=method, n=int(n), seed=seed, _lhs=lhs)
