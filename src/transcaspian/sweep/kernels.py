"""The registry of batch evaluators a sweep drives, one per pipeline stage.

Two kinds of kernel, both taking the designs of a batch on the leading axis:

* :class:`GroupedKernel` — an expensive stage (route, optics, network) run **once per distinct
  input**: the batch's designs are grouped by the values of the swept fields the stage reads
  (``reads``) and by their upstream groups; the stage function runs once per group (memoised
  across batches by :class:`~transcaspian.sweep.cache.StageCache`) and its key results are
  broadcast to the group's designs. Swept fields the stage only needs per design
  (``vector_reads``, e.g. the fibre-pair count for the optics' system capacity) stay out of
  the grouping and are handled as array work by ``vector``.
* :class:`ArrayKernel` — a stage that is array work over the whole batch (a business case
  over prices and discount rates): ``evaluate(params, columns, scenario)`` returns columns.

A new stage plugs in with a few lines, e.g. an analytic availability::

    register(GroupedKernel(
        name="reliability", reads=("reliability", "cable"), needs=("route",),
        outputs={"availability": "float"},
        run=lambda scenario, up: run_reliability(scenario, up["route"]),
        columns=lambda result, scenario: {"availability": result.availability},
    ))

or a vectorised business case::

    register(ArrayKernel(
        name="economics", reads=("economics",), needs=("optics",),
        outputs={"capex_musd": "float", "npv_musd": "float", "irr": "float"},
        evaluate=business_case_batch,   # (params, columns, scenario, seed) -> {column: array}
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
# Built-in kernels: route, optics, network


def _run_route(scenario: Scenario, upstream: Mapping[str, Any]) -> Any:
    from ..geo.stage import run_route

    # the sea-level re-routes are report material, not a sweep result: skip them
    route = scenario.route.model_copy(update={"sea_level_sensitivity_m": ()})
    return run_route(scenario.model_copy(update={"route": route}))


def _route_columns(result: Any, scenario: Scenario) -> dict[str, Any]:
    return {
        "route_length_km": float(result.route_length_km),
        "cable_length_km": float(result.cable_length_km),
        "max_depth_m": float(result.max_depth_m),
    }


def _run_optics(scenario: Scenario, upstream: Mapping[str, Any]) -> Any:
    from ..optics.stage import run_optics

    return run_optics(scenario, upstream["route"])


_OPTICS_OUT: dict[str, ColumnKind] = {
    "optics_design": "str",
    "amplification": "str",
    "repeaters": "int",
    "launch_power_dbm": "float",
    "min_gsnr_db": "float",
    "margin_db": "float",
    "capacity_tbps_per_fibre_pair": "float",
    "system_capacity_tbps": "float",
    "feasible": "bool",
}


def _design_columns(d: Any) -> dict[str, Any]:
    return {
        "optics_design": d.name,
        "amplification": d.amplification,
        "repeaters": int(d.repeaters),
        "launch_power_dbm": float(d.launch_power_dbm),
        "min_gsnr_db": float(d.min_gsnr_db),
        "margin_db": float(d.margin_db),
        "capacity_tbps_per_fibre_pair": float(d.capacity_tbps_per_fibre_pair),
        "system_capacity_tbps": float(d.system_capacity_tbps),
        "feasible": bool(d.feasible),
    }


def _optics_columns(result: Any, scenario: Scenario) -> dict[str, Any]:
    return _design_columns(result.design(result.recommended))


_FIBRE_PAIRS = "cable.fibre_pairs"
_TARGET = "optics.target_system_capacity_tbps"


def _optics_vector(result: Any, scenario: Scenario, params: Columns) -> dict[str, Any]:
    """The recommended design per (fibre pairs, capacity target), as array work.

    The candidate designs' per-fibre-pair results do not depend on the fibre-pair count or on
    the target; the recommendation and the system capacity do. This is the optics stage's
    rule (``optics.design._recommend``) over arrays: among the feasible candidates whose system
    capacity reaches the target, the first in the order (repeaters, amplification stages,
    -margin); when none does (or no target), the same fallback design for every design of
    the group, which does not depend on either swept value.
    """
    from ..optics.design import _COMPLEXITY, _recommend

    designs = list(result.designs)
    n = len(next(iter(params.values())))
    pairs = np.asarray(params.get(_FIBRE_PAIRS, np.full(n, scenario.cable.fibre_pairs)))
    base_target = scenario.optics.target_system_capacity_tbps
    target = np.asarray(params.get(_TARGET, np.full(n, np.nan if base_target is None
                                                     else base_target)), dtype=float)
    cap = np.array([d.capacity_tbps_per_fibre_pair for d in designs])
    feasible = np.array([d.feasible for d in designs])
    order = np.lexsort(np.array([  # last key first; stable: ties keep the list order
        [-d.margin_db for d in designs],
        [_COMPLEXITY.get(d.amplification, 9) for d in designs],
        [d.repeaters for d in designs],
    ], dtype=float))
    fallback, _ = _recommend(designs, None)
    j_fallback = designs.index(fallback)
    sys_cap = cap[order][None, :] * pairs[:, None].astype(float)
    meets = feasible[order][None, :] & (sys_cap >= (target * (1 - 1e-9))[:, None])
    any_meets = meets.any(axis=1)
    chosen = np.where(any_meets, order[np.argmax(meets, axis=1)], j_fallback)
    rows = [_design_columns(d) for d in designs]
    out: dict[str, Any] = {}
    for col, kind in _OPTICS_OUT.items():
        out[col] = np.asarray([r[col] for r in rows], dtype=_dtype(kind))[chosen]
    out["system_capacity_tbps"] = cap[chosen] * pairs
    return out


def _run_network(scenario: Scenario, upstream: Mapping[str, Any]) -> Any:
    from ..plan import run_network

    return run_network(scenario, upstream["route"])


def _network_columns(result: Any, scenario: Scenario) -> dict[str, Any]:
    return {
        "transit_through_baku_tbps": float(result.transit_through_baku_tbps),
        "transit_through_baku_tbps_without": float(result.transit_through_baku_tbps_without),
    }


def _cable_length_key(upstream: Mapping[str, Any]) -> float:
    return float(upstream["route"].cable_length_km)


def default_kernels() -> tuple[Kernel, ...]:
    """The kernels of the stages built today: route, optics, network (pipeline order)."""
    route = GroupedKernel(
        name="route",
        reads=("landings", "route", "cable.armour_bands"),
        needs=(),
        outputs={"route_length_km": "float", "cable_length_km": "float", "max_depth_m": "float"},
        run=_run_route,
        columns=_route_columns,
        ignores={"route.sea_level_sensitivity_m": "re-routes shown in the report only; sweep "
                 "route.caspian_level_m instead"},
    )
    optics = GroupedKernel(
        name="optics",
        reads=("optics", _FIBRE_PAIRS),
        needs=("route",),
        outputs=_OPTICS_OUT,
        run=_run_optics,
        columns=_optics_columns,
        vector_reads=(_FIBRE_PAIRS, _TARGET),
        vector=_optics_vector,
        key_of=_cable_length_key,
        ignores={"optics.spectrum.launch_power_dbm_per_channel": "the optics design search "
                 "sets the launch power; sweep optics.design_space.launch_max_dbm (the highest "
                 "launch searched) instead"},
    )
    network = GroupedKernel(
        name="network",
        reads=("network", "landings"),
        needs=("route",),
        key_of=_cable_length_key,
        outputs={"transit_through_baku_tbps": "float",
                 "transit_through_baku_tbps_without": "float"},
        run=_run_network,
        columns=_network_columns,
    )
    return (route, optics, network)


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
