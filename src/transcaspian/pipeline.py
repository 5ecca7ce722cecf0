"""The pipeline, declared once: every stage, what it needs, reads, runs, flags and shows.

:data:`STAGES` is the one list that ``plan()``, every sub-command, ``scenario check``, the sweep's
kernels, the report's sections, the flags and ``docs/architecture.md`` walk. A stage is a pure
function of the scenario fields it declares (``reads``) and of the results of the stages it
``needs``; it never re-runs an earlier stage or reads its internals.

Adding a stage means one package plus one :class:`Stage` line in :data:`STAGES`.

The stages today::

    route ──► optics ──► power ──┐
      │──► network ──────────────├─► decision ──► reliability ──► economics
      └──► install ──────────────┘

``install`` designs the burial by risk (CBRA), simulates the installation (weather, the
Volga-Don season, permits) and gives the ready-for-service date distribution; the decision
weighs every candidate with it (residual anchor risk in its availability, vessel days, burial
CAPEX and the RFS dates in its business case, each repeater adding handling time), and
``reliability`` and ``economics`` give the chosen design the same figures.
``decision`` weighs every optical candidate with its power verdict, availability and business
case (the cores of the reliability and economics stages) and chooses the design to build;
``reliability`` and ``economics`` then give the chosen design its full study (Monte Carlo,
corridor availability, tornado, consortium split): report material the sweep skips
(``sweep=None``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ._memo import StageCache, fingerprint

if TYPE_CHECKING:  # pragma: no cover
    from .flags import Flag
    from .scenario import Scenario

__all__ = ["STAGES", "Stage", "SweepSpec", "stage", "stage_names", "upstream_of"]

ColumnKind = Literal["float", "int", "str", "bool"]
Results = Mapping[str, Any]


@dataclass(frozen=True)
class SweepSpec:
    """How the sweep evaluates a stage (see :mod:`transcaspian.sweep.kernels`).

    Attributes
    ----------
    outputs : mapping of str to ColumnKind
        The stage's result columns.
    columns : callable
        ``columns(result, scenario) -> {column: scalar}``.
    vector_reads : tuple of str
        Swept fields the stage reads that do not define its groups: ``vector`` turns them into
        per-design columns (or, without ``vector``, they do not change what later stages use).
    vector : callable, optional
        ``vector(result, scenario, params) -> {column: array}``.
    ignores : mapping of str to str
        Fields under ``reads`` that must not be swept, with the reason.
    key_of : callable, optional
        What of the upstream results the stage uses (e.g. the cable length).
    run : callable, optional
        A lighter run for the sweep (the route without its sea-level re-routes).
    """

    outputs: Mapping[str, ColumnKind] = field(default_factory=dict)
    columns: Callable[[Any, Scenario], Mapping[str, Any]] | None = None
    vector_reads: tuple[str, ...] = ()
    vector: Callable[[Any, Scenario, Mapping[str, Any]], Mapping[str, Any]] | None = None
    ignores: Mapping[str, str] = field(default_factory=dict)
    key_of: Callable[[Mapping[str, Any]], Any] | None = None
    run: Callable[[Scenario, Results], Any] | None = None


@dataclass(frozen=True)
class Stage:
    """One stage of the pipeline.

    Attributes
    ----------
    name : str
        Its name (the key of its result in a plan, its report section id).
    title : str
        Its report section's heading.
    needs : tuple of str
        Earlier stages whose results ``run`` takes.
    reads : tuple of str
        Scenario field paths (prefixes) the stage reads; nothing else of the scenario.
    unread : tuple of str
        Fields under ``reads`` that the stage does not read (left out of its memo key).
    run : callable
        ``run(scenario, results, **options) -> result``: the stage, pure; ``results`` holds the
        ``needs``' results.
    check : callable, optional
        ``check(scenario)``: read the stage's files and check its inputs without computing
        (``scenario check``); raises a :class:`~transcaspian.errors.TranscaspianError`.
    flags : callable, optional
        ``flags(scenario, results) -> flags`` raised by the stage's result (``results`` holds
        every result so far, the stage's own included).
    sweep : SweepSpec, optional
        How the sweep evaluates it; ``None``: report material, the sweep skips it.
    section : callable, optional
        ``section(plan, interactive) -> html``: its report section.
    section_reads : tuple of str, optional
        The results its section reads, when that is fewer than all: the section is then drawn
        on an idle core as soon as they are done (``plan(..., draw=...)``), while later stages
        compute. ``None``: the section may read any result and is drawn after the last stage.
    """

    name: str
    title: str
    needs: tuple[str, ...]
    reads: tuple[str, ...]
    run: Callable[..., Any]
    unread: tuple[str, ...] = ()
    check: Callable[[Scenario], Any] | None = None
    flags: Callable[[Scenario, Results], Sequence[Flag]] | None = None
    sweep: SweepSpec | None = None
    section: Callable[[Any, bool], str] | None = None
    section_reads: tuple[str, ...] | None = None


# --------------------------------------------------------------------------------------------
# The stages' runners: thin adapters from (scenario, results) to each package's entry.


def _route(scenario: Scenario, r: Results) -> Any:
    from .geo.stage import run_route

    return run_route(scenario)


def _route_sweep(scenario: Scenario, r: Results) -> Any:
    from .geo.stage import run_route

    # the sea-level re-routes are report material, not a sweep result: skip them
    route = scenario.route.model_copy(update={"sea_level_sensitivity_m": ()})
    return run_route(scenario.model_copy(update={"route": route}))


def _optics(scenario: Scenario, r: Results) -> Any:
    from .optics.stage import run_optics

    return run_optics(scenario, r["route"])


def _power(scenario: Scenario, r: Results) -> Any:
    from .power.stage import run_power

    designs = r["optics"].designs
    # each design's total amplifier output: launch power per channel x channels [dBm]
    out = {d.name: d.launch_power_dbm + 10.0 * math.log10(max(d.frequency_thz.size, 1))
           for d in designs}
    return run_power(scenario, r["route"], {d.name: d.repeaters for d in designs}, out)


def _network(scenario: Scenario, r: Results, beside: Any = None) -> Any:
    from .network.stage import run_network

    return run_network(scenario, r["route"], beside=beside)


def _network_beside(scenario: Scenario, r: Results) -> Any:
    """The corridor with its latency tables in a forked child (the spine's parallelism)."""
    from ._parallel import ForkedCall

    return _network(scenario, r, beside=ForkedCall)


def _decision(scenario: Scenario, r: Results) -> Any:
    from .decision.stage import run_decision

    return run_decision(scenario, r["route"], r["optics"], r["power"], r["network"],
                        install=r.get("install"))


def _chosen(r: Results) -> Any:
    return r["optics"].design(r["decision"].recommended)


def _install(scenario: Scenario, r: Results, progress: Any = None) -> Any:
    from .install.stage import run_install

    return run_install(scenario, r["route"], progress=progress)


def _install_view(r: Results) -> Any:
    """The install stage's figures for the chosen design (its repeaters), or None."""
    inst = r.get("install")
    return None if inst is None else inst.for_design(int(_chosen(r).repeaters))


def _reliability(scenario: Scenario, r: Results, progress: Any = None) -> Any:
    from .reliability.stage import run_reliability

    return run_reliability(scenario, r["route"], _chosen(r), r["network"], progress=progress,
                           install=_install_view(r))


def _economics(scenario: Scenario, r: Results) -> Any:
    from .economics.stage import run_economics

    return run_economics(scenario, r["route"], _chosen(r), r["network"], r["reliability"],
                         install=_install_view(r))


# checks ------------------------------------------------------------------------------------


def _check_route(scenario: Scenario) -> None:
    from .geo.stage import load_route_inputs

    load_route_inputs(scenario)


def _geodesic_km(scenario: Scenario) -> float:
    from .geo.route import great_circle_km

    return float(great_circle_km(scenario.landings.a, scenario.landings.b))


def _check_optics(scenario: Scenario) -> None:
    from .optics.design import build_design_lines, check_channel_plan

    check_channel_plan(scenario.optics)
    build_design_lines(scenario.optics, _geodesic_km(scenario))


def _corridor_of(scenario: Scenario) -> Any:
    from .network.stage import line_keywords
    from .network.topology import build_corridor

    return build_corridor(scenario.network, **line_keywords(scenario, _geodesic_km(scenario)))


def _check_network(scenario: Scenario) -> None:
    _corridor_of(scenario)


def _check_reliability(scenario: Scenario) -> None:
    from .reliability.corridor import check_groups
    from .reliability.tables import plant_table, zone_tables

    zone_tables(scenario.reliability)
    plant_table(scenario.reliability)
    check_groups(_corridor_of(scenario), scenario.reliability)


def _check_install(scenario: Scenario) -> None:
    from .install.stage import check_install_inputs

    check_install_inputs(scenario)


def _check_economics(scenario: Scenario) -> None:
    from .economics.stage import check_economics_inputs

    check_economics_inputs(scenario)


# flags -------------------------------------------------------------------------------------


def _decision_flags(scenario: Scenario, r: Results) -> Sequence[Flag]:
    from .flags import decision_flags

    return decision_flags(scenario, r["optics"], r["decision"])


def _route_flags(scenario: Scenario, r: Results) -> Sequence[Flag]:
    from .flags import route_flags

    return route_flags(r["route"])


def _network_flags(scenario: Scenario, r: Results) -> Sequence[Flag]:
    from .flags import network_flags

    return network_flags(r["network"])


# report sections ---------------------------------------------------------------------------


def _route_section(plan: Any, interactive: bool) -> str:
    from .report.sections.route import section_html

    return section_html(plan.route, interactive=interactive)


def _optics_section(plan: Any, interactive: bool) -> str:
    from .optics.design import denser_plan_note
    from .report.sections.optics import section_html

    return section_html(plan.optics, plan.decision,
                        system_margin_db=plan.scenario.optics.system_margin_db,
                        plan_note=denser_plan_note(plan.scenario.optics))


def _network_section(plan: Any, interactive: bool) -> str:
    from .report.sections.network import section_html

    return section_html(plan.network)


def _decision_section(plan: Any, interactive: bool) -> str:
    from .report.sections.decision import section_html

    return section_html(plan.decision, interactive=interactive)


def _reliability_section(plan: Any, interactive: bool) -> str:
    from .report.sections.reliability import section_html

    names = {n.id: n.name for n in plan.network.corridor.nodes}
    return section_html(plan.reliability, plan.power, names, interactive=interactive)


def _install_section(plan: Any, interactive: bool) -> str:
    from .report.sections.install import section_html

    econ = plan.results.get("economics")
    chosen = _chosen(plan.results) if "decision" in plan.results else None
    return section_html(plan.results["install"], getattr(econ, "rfs", None),
                        repeaters=None if chosen is None else int(chosen.repeaters),
                        interactive=interactive)


def _economics_section(plan: Any, interactive: bool) -> str:
    from .report.sections.economics import section_html

    return section_html(plan.economics, interactive=interactive)


# sweep columns -----------------------------------------------------------------------------


def _route_columns(result: Any, scenario: Scenario) -> dict[str, Any]:
    return {"route_length_km": float(result.route_length_km),
            "cable_length_km": float(result.cable_length_km),
            "max_depth_m": float(result.max_depth_m)}


def _network_columns(result: Any, scenario: Scenario) -> dict[str, Any]:
    return {"hub_transit_tbps": float(result.hub_transit_tbps),
            "hub_transit_tbps_without": float(result.hub_transit_tbps_without)}


def _install_columns(result: Any, scenario: Scenario) -> dict[str, Any]:
    return {"rfs_p50_days": float(result.rfs_p50_days),
            "rfs_p90_days": float(result.rfs_p90_days),
            "burial_capex_usd": float(result.burial_capex_usd),
            "residual_faults_per_year": float(result.residual_faults_per_year)}


def _cable_length_key(upstream: Mapping[str, Any]) -> float:
    return float(upstream["route"].cable_length_km)


FIBRE_PAIRS = "cable.fibre_pairs"
TARGET = "optics.target_system_capacity_tbps"


def _decision_sweep() -> SweepSpec:
    from .decision.columns import DECISION_COLUMNS, decision_columns, decision_vector

    return SweepSpec(outputs=DECISION_COLUMNS, columns=decision_columns, vector_reads=(TARGET,),
                     vector=decision_vector)


# --------------------------------------------------------------------------------------------
# The declaration

STAGES: tuple[Stage, ...] = (
    Stage("route", "Route", (), ("landings", "route", "cable.armour_bands"), _route,
          check=_check_route, flags=_route_flags, section=_route_section,
          section_reads=("route",),
          sweep=SweepSpec(
              outputs={"route_length_km": "float", "cable_length_km": "float",
                       "max_depth_m": "float"},
              columns=_route_columns, run=_route_sweep,
              ignores={"route.sea_level_sensitivity_m": "re-routes shown in the report only; "
                       "sweep route.caspian_level_m instead"})),
    Stage("optics", "Optics", ("route",),
          ("optics", FIBRE_PAIRS, "decision.min_margin_db", "report.thin_margin_db"), _optics,
          unread=(TARGET,), check=_check_optics, section=_optics_section,
          sweep=SweepSpec(
              vector_reads=(FIBRE_PAIRS, TARGET),
              ignores={"optics.spectrum.launch_power_dbm_per_channel": "the optics design "
                       "search sets the launch power; sweep optics.design_space.launch_max_dbm "
                       "(the highest launch searched) instead"})),
    Stage("power", "Power feeding", ("route", "optics"), ("power", FIBRE_PAIRS), _power,
          sweep=SweepSpec()),
    Stage("network", "Corridor", ("route",), ("network", "landings"), _network,
          unread=("network.onward_capacity_growth_per_year",), check=_check_network,
          flags=_network_flags, section=_network_section, section_reads=("network",),
          sweep=SweepSpec(outputs={"hub_transit_tbps": "float",
                                   "hub_transit_tbps_without": "float"},
                          columns=_network_columns, key_of=_cable_length_key,
                          run=_network_beside)),
    Stage("install", "Installation and ready for service", ("route",),
          ("install", "cable.design_life_years"), _install,
          check=_check_install, section=_install_section,
          sweep=SweepSpec(outputs={"rfs_p50_days": "float", "rfs_p90_days": "float",
                                   "burial_capex_usd": "float",
                                   "residual_faults_per_year": "float"},
                          columns=_install_columns)),
    Stage("decision", "Decision", ("route", "optics", "power", "network", "install"),
          ("decision", TARGET, "report.thin_margin_db", FIBRE_PAIRS, "cable.design_life_years",
           "economics", "consortium", "reliability", "landings",
           "network.onward_capacity_growth_per_year"), _decision,
          flags=_decision_flags, section=_decision_section,
          sweep=_decision_sweep()),
    Stage("reliability", "Reliability", ("route", "optics", "network", "decision", "install"),
          ("reliability", FIBRE_PAIRS, "cable.design_life_years", "optics.end_of_life",
           "optics.fibre.loss_db_per_km"), _reliability,
          check=_check_reliability, section=_reliability_section),
    Stage("economics", "Business case",
          ("route", "optics", "network", "decision", "install", "reliability"),
          ("economics", "consortium", "landings", FIBRE_PAIRS, "cable.design_life_years",
           "network.onward_capacity_growth_per_year"),
          _economics,
          check=_check_economics, section=_economics_section),
)


def stage(name: str) -> Stage:
    """The stage called ``name``."""
    for s in STAGES:
        if s.name == name:
            return s
    from .errors import TranscaspianError

    raise TranscaspianError(f"unknown stage {name!r} (known: {', '.join(stage_names())})")


def stage_names() -> tuple[str, ...]:
    """Names of the declared stages, in order."""
    return tuple(s.name for s in STAGES)


def upstream_of(name: str) -> tuple[str, ...]:
    """``name`` and every stage it needs, directly or not, in pipeline order."""
    want = {name}
    for s in reversed(STAGES):
        if s.name in want:
            want.update(s.needs)
    return tuple(s.name for s in STAGES if s.name in want)


def read_values(data: Mapping[str, Any], reads: Sequence[str],
                unread: Sequence[str] = ()) -> list[tuple[str, Any]]:
    """The values at ``reads`` in a scenario's JSON dump, less the ``unread`` fields under them.

    What a stage's memo key is made of, in ``plan()`` and in the sweep's kernels alike.
    """
    out: list[tuple[str, Any]] = []
    for path in reads:
        node: Any = data
        for part in path.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        drop = [u[len(path) + 1:].split(".") for u in unread if u.startswith(path + ".")]
        out.append((path, _without(node, drop)))
    return out


def _without(node: Any, drop: list[list[str]]) -> Any:
    """``node`` without the nested keys ``drop`` (each a key path), copied where it changes."""
    if not drop or not isinstance(node, Mapping):
        return node
    out = dict(node)
    for key in {d[0] for d in drop}:
        rest = [d[1:] for d in drop if d[0] == key and len(d) > 1]
        if any(d == [key] for d in drop):
            out.pop(key, None)
        elif key in out:
            out[key] = _without(out[key], rest)
    return out


def stage_key(s: Stage, data: Mapping[str, Any], upstream_keys: Mapping[str, str]) -> str:
    """Memo key of a stage's result: its read values (``data``: the scenario's JSON dump) and
    its upstream results' keys."""
    return fingerprint([s.name, read_values(data, s.reads, s.unread),
                        [upstream_keys[n] for n in s.needs]])


_PLAN_MEMO = StageCache(max_entries=48)


def plan_memo() -> StageCache:
    """The process's memo of stage results for ``plan()`` (pure stages: a hit is the result)."""
    return _PLAN_MEMO


_FLOORS = (
    ("inputs", "scenario.py, model.py and each stage package's config.py: strict pydantic models"),
    ("stages", "one package per stage (below), each with its stage entry and modules named for "
               "its concepts; a stage takes earlier results as arguments, never re-runs them"),
    ("spine", "pipeline.py declares the stages (this page is drawn from it); plan.py walks them "
              "(memo by declared reads, the only place that forks processes)"),
    ("shells", "commands/ (one module per CLI verb), report/ (sections declared per stage), "
               "sweep/ (kernels built from the declaration): nothing is computed in them"),
    ("records", "records.py: typed result fields with unit and description; to_dict, tables, "
                "CSV and JSON schema follow from them"),
)


def architecture_markdown() -> str:
    """``docs/architecture.md``, drawn from :data:`STAGES` (a test keeps the file in step)."""
    lines = [
        "# Architecture",
        "",
        "Generated from `transcaspian.pipeline.STAGES` by `architecture_markdown()` (`python -c "
        "'from transcaspian.pipeline import architecture_markdown as a; print(a(), end=\"\")' "
        "> docs/architecture.md`); a test fails when it is stale.",
        "",
        "## Floors",
        "",
    ]
    lines += [f"- **{name}**: {text}." for name, text in _FLOORS]
    lines += ["", "## The stages, in order", "",
              "| stage | needs | reads (scenario fields) | sweep | report section | entry |",
              "|---|---|---|---|---|---|"]
    for s in STAGES:
        entry = getattr(s.run, "__name__", "?")
        lines.append(
            f"| `{s.name}` | {', '.join(f'`{n}`' for n in s.needs) or '-'} | "
            f"{', '.join(f'`{r}`' for r in s.reads)} | "
            f"{'columns: ' + ', '.join(s.sweep.outputs) if s.sweep and s.sweep.outputs else ('grouped, no columns' if s.sweep else 'report only')} | "  # noqa: E501
            f"{s.title if s.section else '-'} | `pipeline.{entry}` |")
    lines += [
        "", "## Where each concept lives", "",
        "- route and RPL: `geo/` (grid, least-cost route, RPL, hazards, exports)",
        "- optical candidates: `optics/` (fibre, amplifiers, Raman, ROPA, GN/ISRS/GGN, "
        "transceivers, design search)",
        "- power feeding: `power/`",
        "- corridor: `network/` (topology, latency, diversity, flows, cuts, Digital Hub)",
        "- the decision: `decision/` (rule.py: `recommend()`, vectorised; stage.py: the table)",
        "- reliability: `reliability/` (faults, repair, analytic and Monte Carlo availability)",
        "- installation: `install/` (CBRA burial, soils, weather windows, permits, schedule "
        "Monte Carlo)",
        "- business case: `economics/` (cost book, CAPEX/OPEX, revenue, kernel, finance)",
        "",
        "## Adding a stage", "",
        "1. A package with `config.py` (its inputs, added to `Scenario`) and `stage.py` "
        "(a pure function from the scenario and earlier results to a typed, frozen result with "
        "`to_dict()`).",
        "2. One `Stage(...)` line in `pipeline.STAGES`: name, needs, the scenario fields it reads, "
        "its runner, and optionally its input check, flags, sweep columns and report section.",
        "3. Add its bad input to `tests/test_pipeline_contract.py::_bad`; the contract checks "
        "(no input mutation, deterministic, picklable, JSON-clean, reads only what it declares, "
        "user errors) then run over it, and `plan()`, the CLI, the sweep and the report walk it.",
        "",
    ]
    return "\n".join(lines)
