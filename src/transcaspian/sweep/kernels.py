"""The registry of batch evaluators a sweep drives, one per pipeline stage.

Two kinds of kernel, both taking the designs of a batch on the leading axis:

* :class:`GroupedKernel` — an expensive stage (route, optics, network, decision) run **once
  per distinct input**: the batch's designs are grouped by the values of the swept fields the
  stage reads (``reads``) and by their upstream groups; the stage function runs once per group
  (memoised across batches by :class:`~transcaspian.sweep.cache.StageCache`) and its key results are
  broadcast to the group's designs. Swept fields the stage only needs per design
  (``vector_reads``, e.g. the fibre-pair count for the optics' system capacity) stay out of
  the grouping and are handled as array work by ``vector``.
* :class:`ArrayKernel` — a stage that is array work over the whole batch (a business case
  over prices and discount rates): ``evaluate(params, columns, scenario)`` returns columns.

The built-in kernels are the declared pipeline's stages that have a sweep spec
(:data:`transcaspian.pipeline.STAGES`, :func:`default_kernels`): a stage added there is swept
with no change here. :func:`register` adds a kernel of a user's own after them, e.g. an extra
column computed from the decision's result::

    register(GroupedKernel(
        name="capacity_per_capex", reads=(), needs=("decision",),
        outputs={"tbps_per_musd": "float"},
        run=lambda scenario, up: up["decision"].chosen,
        columns=lambda c, scenario: {"tbps_per_musd": c.system_capacity_tbps / c.capex * 1e6},
    ))

Missing values: ``nan`` for floats, ``-1`` for integers, ``""`` for text, ``False`` for flags;
the row's ``error`` column says which stage failed and why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from ..errors import SweepError

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario import Scenario

__all__ = [
    "ArrayKernel",
    "ColumnKind",
    "GroupedKernel",
    "Kernel",
    "default_kernels",
    "fill_value",
    "register",
    "registered_kernels",
]

ColumnKind = Literal["float", "int", "str", "bool"]
Columns = Mapping[str, npt.NDArray[Any]]


def fill_value(kind: ColumnKind) -> Any:
    """The value a result column holds where its stage has no result."""
    return {"float": np.nan, "int": -1, "str": "", "bool": False}[kind]


def _dtype(kind: ColumnKind) -> Any:
    return {"float": np.float64, "int": np.int64, "str": object, "bool": np.bool_}[kind]


def empty_column(kind: ColumnKind, n: int) -> npt.NDArray[Any]:
    """A column of ``n`` missing values."""
    return np.full(n, fill_value(kind), dtype=_dtype(kind))


@dataclass(frozen=True)
class GroupedKernel:
    """A stage run once per distinct group of its inputs.

    Attributes
    ----------
    name : str
        Stage name (``route``, ``optics``...), also the prefix of its error messages.
    reads : tuple of str
        Scenario path prefixes the stage function reads (its variant scenario has the swept
        values of these fields only; upstream stages' fields reach it through their results).
    needs : tuple of str
        Upstream kernels whose per-group results ``run`` takes.
    outputs : mapping of str to ColumnKind
        The result columns, in order.
    run : callable
        ``run(scenario, upstream_results) -> result``; pure.
    columns : callable
        ``columns(result, scenario) -> {column: scalar}``: the key results of one group.
    vector_reads : tuple of str
        Paths the stage takes per design in ``vector`` rather than by grouping.
    vector : callable, optional
        ``vector(result, scenario, params) -> {column: array}`` for the group's designs, with
        ``params`` the group's values of the swept ``vector_reads`` fields.
    ignores : mapping of str to str
        Fields under ``reads`` that must not be swept, with the reason.
    key_of : callable, optional
        ``key_of(upstream_results) -> JSON-ready value``: what of the upstream results the
        stage uses (e.g. the cable length), so that two routes of equal length share one
        optics run; default the upstream results' own identity.
    group_columns : tuple of str
        Result columns of earlier kernels that also define the groups (e.g. ``optics_design``:
        the availability depends on which design the optics recommended for that design's
        fibre-pair count and target); ``run`` finds their values in
        ``upstream["columns"]``.
    """

    name: str
    reads: tuple[str, ...]
    needs: tuple[str, ...]
    outputs: Mapping[str, ColumnKind]
    run: Callable[[Scenario, Mapping[str, Any]], Any]
    columns: Callable[[Any, Scenario], Mapping[str, Any]]
    vector_reads: tuple[str, ...] = ()
    vector: Callable[[Any, Scenario, Columns], Mapping[str, npt.NDArray[Any]]] | None = None
    ignores: Mapping[str, str] = field(default_factory=dict)
    key_of: Callable[[Mapping[str, Any]], Any] | None = None
    group_columns: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArrayKernel:
    """A stage evaluated as array work over the whole batch.

    ``evaluate(params, columns, scenario, seed)`` receives the batch's swept values under
    ``reads`` (by path), every column produced so far (``columns["design"]`` holds the design
    indices), the base scenario and the sweep seed; it returns its ``outputs`` as arrays over
    the batch (``nan`` where an input column is missing). A random draw for design ``i`` uses
    :func:`~transcaspian.sweep.space.design_seed_sequence` ``(seed, i)``, so that it does not
    depend on the batch the design falls in.
    """

    name: str
    reads: tuple[str, ...]
    needs: tuple[str, ...]
    outputs: Mapping[str, ColumnKind]
    evaluate: Callable[[Columns, Columns, Scenario, int], Mapping[str, npt.NDArray[Any]]]
    ignores: Mapping[str, str] = field(default_factory=dict)


Kernel = GroupedKernel | ArrayKernel


def under(path: str, prefixes: tuple[str, ...]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or inside one."""
    return any(path == p or path.startswith(p + ".") for p in prefixes)


# --------------------------------------------------------------------------------------------
# Built-in kernels: the declared pipeline's stages that have a sweep spec


def default_kernels() -> tuple[Kernel, ...]:
    """A grouped kernel per declared stage the sweep evaluates, in pipeline order.

    Built from :data:`transcaspian.pipeline.STAGES` (stages with a ``sweep`` spec: route,
    optics, power, network and the decision, whose columns are the recommended design's
    capacity, margin, availability, CAPEX and NPV); the report-only stages (reliability's Monte
    Carlo, the business case's tornado) are skipped. The decision groups by everything it reads
    but the capacity target, and picks per design with the rule ``plan()`` uses.
    """
    from ..pipeline import STAGES

    kernels: list[Kernel] = []
    for st in STAGES:
        spec = st.sweep
        if spec is None:
            continue
        kernels.append(GroupedKernel(
            name=st.name,
            reads=st.reads,
            needs=st.needs,
            outputs=dict(spec.outputs),
            run=spec.run or st.run,
            columns=spec.columns or _no_columns,
            vector_reads=spec.vector_reads,
            vector=spec.vector,
            ignores=dict(spec.ignores),
            key_of=spec.key_of,
            unread=st.unread,
        ))
    return tuple(kernels)


def _no_columns(result: Any, scenario: Scenario) -> dict[str, Any]:
    return {}


_REGISTRY: list[Kernel] = []


def register(kernel: Kernel) -> Kernel:
    """Add a stage kernel after the built-in ones (its ``needs`` must already be registered).

    Registration happens at import time of the module defining the kernel, so that the same
    kernels exist in every Dask worker process that imports it.
    """
    names = [k.name for k in registered_kernels()]
    if kernel.name in names:
        raise SweepError(f"kernel {kernel.name!r}: already registered")
    missing = [n for n in kernel.needs if n not in names]
    if missing:
        raise SweepError(f"kernel {kernel.name!r}: needs unknown kernel {missing[0]!r}")
    _REGISTRY.append(kernel)
    return kernel


def registered_kernels() -> tuple[Kernel, ...]:
    """Built-in kernels, then the registered ones, in pipeline order."""
    return (*default_kernels(), *_REGISTRY)


def select_kernels(names: tuple[str, ...] | None) -> tuple[Kernel, ...]:
    """The kernels called ``names`` (default all) with every kernel they need."""
    every = registered_kernels()
    if names is None:
        return every
    known = {k.name: k for k in every}
    bad = [n for n in names if n not in known]
    if bad:
        raise SweepError(f"--stages: unknown stage {bad[0]!r} (known: {', '.join(known)})")
    want = set(names)
    for k in reversed(every):
        if k.name in want:
            want.update(k.needs)
    return tuple(k for k in every if k.name in want)
