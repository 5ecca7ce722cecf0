"""One batch of designs through every stage kernel: the pure task of a sweep.

:func:`evaluate_batch` takes the base scenario (its JSON dump), the swept values of the batch's
designs (arrays on the leading axis) and returns the batch's table as columns: ``design``
(index), the parameters, then every kernel's result columns and ``error``. It depends on
nothing else (the stage memo only saves time), so a batch gives bitwise the same table in this
process or on any Dask worker.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import TranscaspianError
from .cache import StageCache, fingerprint, process_cache
from .kernels import ArrayKernel, GroupedKernel, Kernel, empty_column, select_kernels, under
from .space import set_path

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario import Scenario

__all__ = ["evaluate_batch", "result_schema"]

Array = npt.NDArray[Any]


@dataclass
class _Groups:
    """A grouped kernel's groups within one batch."""

    inv: npt.NDArray[np.int64]  # group of each design
    keys: list[str]
    results: list[Any]  # stage result, or None where it failed


def _codes(values: Array) -> npt.NDArray[np.int64]:
    arr = values.astype(str) if values.dtype == object else values
    _, inv = np.unique(arr, return_inverse=True)
    return np.asarray(inv, dtype=np.int64).ravel()


def _plain(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


def _variant(base_data: Mapping[str, Any], values: Mapping[str, Any]) -> Scenario:
    from ..scenario import scenario_from_dict

    data = copy.deepcopy(dict(base_data))
    for path, v in values.items():
        set_path(data, path, _plain(v))
    return scenario_from_dict(data, source="sweep design")


def _members(inv: npt.NDArray[np.int64], n_groups: int) -> list[npt.NDArray[np.int64]]:
    order = np.argsort(inv, kind="stable")
    counts = np.bincount(inv, minlength=n_groups)
    return np.split(order, np.cumsum(counts)[:-1])


def _run_grouped(k: GroupedKernel, ctx: _Batch) -> None:
    params, n = ctx.params, ctx.n
    own = tuple(p for p in params if under(p, k.reads) and not under(p, k.vector_reads))
    vec = tuple(p for p in params if under(p, k.vector_reads))
    ups = [ctx.groups[u] for u in k.needs]
    code_cols = ([_codes(params[p]) for p in own] + [g.inv for g in ups]
                 + [_codes(ctx.columns[c]) for c in k.group_columns])
    if code_cols:
        _, inv = np.unique(np.stack(code_cols, axis=1), axis=0, return_inverse=True)
        inv = np.asarray(inv, dtype=np.int64).ravel()
    else:
        inv = np.zeros(n, dtype=np.int64)
    n_groups = int(inv.max()) + 1 if n else 0
    out = {c: empty_column(kind, n) for c, kind in k.outputs.items()}
    keys: list[str] = []
    results: list[Any] = []
    for _g, members in enumerate(_members(inv, n_groups)):
        rep = int(members[0])
        upstream = {u: ctx.groups[u].results[int(ctx.groups[u].inv[rep])] for u in k.needs}
        up_keys = [ctx.groups[u].keys[int(ctx.groups[u].inv[rep])] for u in k.needs]
        group_vals = {c: _plain(ctx.columns[c][rep]) for c in k.group_columns}
        values = {p: params[p][rep] for p in own}
        up_part: Any = up_keys
        if k.key_of is not None and all(r is not None for r in upstream.values()):
            up_part = k.key_of(upstream)
        # the stage's result depends on the base scenario only through the fields it reads (the
        # pipeline's contract tests check the declaration), so two sweeps of scenarios that
        # differ elsewhere share its runs
        key = fingerprint([k.name, _read_key(ctx, k), sorted((p, _plain(values[p])) for p in own),
                           up_part, sorted(group_vals.items())])
        keys.append(key)
        if any(r is None for r in upstream.values()):
            results.append(None)  # an upstream stage failed: its error is already recorded
            continue
        if k.group_columns:
            upstream = {**upstream, "columns": group_vals}
        try:
            own_values = sorted((p, _plain(values[p])) for p in own)
            scenario = ctx.cache.get_or_run(  # validated once per distinct variant
                "scenario variants", fingerprint([ctx.base_key, own_values]),
                partial(_variant, ctx.base_data, values))
            result = ctx.cache.get_or_run(k.name, key, partial(k.run, scenario, upstream))
            cols = dict(k.columns(result, scenario))
            if vec and k.vector is not None:
                cols.update(k.vector(result, scenario, {p: params[p][members] for p in vec}))
        except TranscaspianError as exc:
            results.append(None)
            ctx.fail(members, f"{k.name}: {exc}")
            continue
        results.append(result)
        for c in k.outputs:
            out[c][members] = cols[c]
    ctx.groups[k.name] = _Groups(inv=inv, keys=keys, results=results)
    ctx.columns.update(out)


def _read_key(ctx: _Batch, k: GroupedKernel) -> str:
    """Fingerprint of the base scenario's values of the fields ``k`` reads (less ``unread``)."""
    from ..pipeline import read_values

    return fingerprint(read_values(ctx.base_data, k.reads, k.unread))


def _run_array(k: ArrayKernel, ctx: _Batch) -> None:
    params = {p: v for p, v in ctx.params.items() if under(p, k.reads)}
    try:
        cols = k.evaluate(params, ctx.columns, ctx.base, ctx.seed)
    except TranscaspianError as exc:
        ctx.fail(np.arange(ctx.n), f"{k.name}: {exc}")
        cols = {}
    for c, kind in k.outputs.items():
        ctx.columns[c] = np.asarray(cols[c]) if c in cols else empty_column(kind, ctx.n)


@dataclass
class _Batch:
    base_data: Mapping[str, Any]
    base: Scenario
    base_key: str
    params: dict[str, Array]
    n: int
    seed: int
    cache: StageCache
    columns: dict[str, Array]
    error: Array
    groups: dict[str, _Groups]

    def fail(self, members: npt.NDArray[np.int64], message: str) -> None:
        """Record the first error of these designs."""
        first = self.error[members] == ""
        self.error[members[first]] = " ".join(message.split())  # one line


def evaluate_batch(
    scenario_data: Mapping[str, Any],
    params: Mapping[str, Array],
    start: int,
    *,
    stages: Sequence[str] | None = None,
    seed: int = 0,
    cache: StageCache | None = None,
) -> dict[str, Array]:
    """Evaluate designs ``start`` to ``start + n - 1`` with every selected stage kernel.

    Parameters
    ----------
    scenario_data : mapping
        The base scenario, ``Scenario.model_dump(mode="json")``.
    params : mapping of str to ndarray
        Swept values of the batch's designs by field path, all of length n.
    start : int
        Index of the batch's first design.
    stages : sequence of str, optional
        Kernels to run (with the ones they need); default every registered one.
    seed : int
        Sweep seed (for kernels that draw random numbers).
    cache : StageCache, optional
        Memo of stage results; default the process's.

    Returns
    -------
    dict of str to ndarray
        ``design``, the parameters, each kernel's outputs, ``error`` (``""`` when none).
    """
    from ..scenario import scenario_from_dict

    n = len(next(iter(params.values()))) if params else 0
    base = scenario_from_dict(dict(scenario_data), source="sweep base scenario")
    ctx = _Batch(
        base_data=scenario_data, base=base, base_key=fingerprint(scenario_data),
        params={p: np.asarray(v) for p, v in params.items()}, n=n, seed=seed,
        cache=cache if cache is not None else process_cache(),
        columns={"design": np.arange(start, start + n, dtype=np.int64)},
        error=np.full(n, "", dtype=object), groups={},
    )
    ctx.columns.update(ctx.params)
    kernels: tuple[Kernel, ...] = select_kernels(None if stages is None else tuple(stages))
    for k in kernels:
        if isinstance(k, GroupedKernel):
            _run_grouped(k, ctx)
        else:
            _run_array(k, ctx)
    ctx.columns["error"] = ctx.error
    return ctx.columns


def result_schema(stages: Sequence[str] | None = None) -> dict[str, str]:
    """Result columns (after the parameters) and their kinds, in order."""
    out: dict[str, str] = {}
    for k in select_kernels(None if stages is None else tuple(stages)):
        out.update(k.outputs)
    out["error"] = "str"
    return out
