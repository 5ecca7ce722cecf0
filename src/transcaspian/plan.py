"""The spine: ``plan(scenario, until=None) -> Plan`` walks the declared stages in order.

Every entry point ends here, in the manner of pvlib's ``ModelChain`` (``run_model``,
``run_model_from_poa``... end in one chain): ``transcaspian run`` walks every stage, ``optics``
until the decision, ``reliability`` and ``economics`` until theirs, ``scenario check`` runs
each stage's input check, and the sweep builds its kernels from the same declaration
(:data:`transcaspian.pipeline.STAGES`). Stages are pure, so a result is memoised by the
scenario fields the stage declares and its upstream results' keys: two commands in one process
get the same objects, and the same scenario gets one answer.

Process-level parallelism lives here only: the optics stage runs in a forked child beside the
corridor stage; a section that reads only finished stages (``Stage.section_reads``) is drawn in
a child while later stages compute (``plan(..., draw=...)``); the report's other sections are
shared between two processes (:func:`render_sections`). A child dies with its parent
(:mod:`transcaspian._parallel`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ._memo import StageCache
from ._version import __version__
from .pipeline import STAGES, Stage, plan_memo, stage, stage_key, upstream_of

if TYPE_CHECKING:  # pragma: no cover
    from .decision.stage import DecisionResult
    from .economics.result import EconomicsResult
    from .flags import Flag
    from .geo.stage import RouteResult
    from .network.analysis import CorridorResult
    from .optics.design import OpticsResult
    from .power.stage import PowerResult
    from .reliability.stage import ReliabilityResult
    from .scenario import Scenario

__all__ = ["Plan", "check_inputs", "plan", "render_sections"]


@dataclass(frozen=True)
class Plan:
    """The results of one scenario, by stage name (``plan.results["route"]``, ``plan.route``)."""

    scenario: Scenario
    results: dict[str, Any] = field(default_factory=dict)
    #: sections drawn ahead, while later stages computed (``plan(..., draw=...)``): the report
    #: kind, the sections' names and their pending call (or, once taken, their HTML)
    ahead: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __getitem__(self, name: str) -> Any:
        return self.results[name]

    def _get(self, name: str) -> Any:
        return self.results.get(name)

    @property
    def route(self) -> RouteResult:
        return self.results["route"]

    @property
    def optics(self) -> OpticsResult:
        return self.results["optics"]

    @property
    def network(self) -> CorridorResult:
        return self.results["network"]

    @property
    def power(self) -> PowerResult | None:
        return self._get("power")

    @property
    def decision(self) -> DecisionResult:
        return self.results["decision"]

    @property
    def reliability(self) -> ReliabilityResult | None:
        return self._get("reliability")

    @property
    def economics(self) -> EconomicsResult | None:
        return self._get("economics")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready results (what ``report.json`` holds), a key per declared stage."""
        out: dict[str, Any] = {
            "transcaspian_version": __version__,
            "scenario": self.scenario.model_dump(mode="json"),
        }
        for s in STAGES:
            r = self._get(s.name)
            out[s.name] = None if r is None else r.to_dict()
        if out.get("optics") is not None and out.get("decision") is not None:
            # aliases kept for one release (CHANGELOG): the choice is the decision's now
            out["optics"]["recommended"] = self.decision.recommended
            out["optics"]["recommendation_reason"] = self.decision.reason
        out["flags"] = [f.to_dict() for f in self.flags()]
        return out

    def flags(self) -> tuple[Flag, ...]:
        """Conditions that weaken a headline figure, from each stage's declared flags."""
        return self._flags

    @cached_property
    def _flags(self) -> tuple[Flag, ...]:
        # computed once per plan: the report, report.json and run's summary lines all ask
        found: list[Flag] = []
        for s in STAGES:
            if s.flags is not None and s.name in self.results:
                found.extend(s.flags(self.scenario, self.results))
        return tuple(found)


def _run_stage(s: Stage, scenario: Scenario, data: Mapping[str, Any],
               results: Mapping[str, Any], keys: dict[str, str], memo: StageCache | None,
               options: Mapping[str, Any]) -> Any:
    up = {n: results[n] for n in s.needs}
    keys[s.name] = stage_key(s, data, keys)
    if memo is None:
        return s.run(scenario, up, **options)
    return memo.get_or_run(s.name, keys[s.name], lambda: s.run(scenario, up, **options))


def plan(
    scenario: Scenario,
    until: str | None = None,
    *,
    memo: StageCache | bool | None = True,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    draw: bool | None = None,
) -> Plan:
    """Run the declared stages on a scenario, in order.

    Parameters
    ----------
    scenario : Scenario
    until : str, optional
        Run only this stage and the stages it needs (``"decision"``: route, optics, power,
        network, decision); default every stage.
    memo : StageCache or bool
        Memo of stage results: ``True`` the process's (:func:`transcaspian.pipeline.plan_memo`),
        ``False``/``None`` none.
    options : mapping, optional
        Keyword options per stage name, e.g. ``{"reliability": {"progress": callback}}``.
    draw : bool, optional
        The report about to be drawn (``True`` interactive, ``False`` static): the sections that
        read only finished stages (``Stage.section_reads``) are drawn in a child while the later
        stages compute, and :func:`render_sections` takes them from there. Default: none.

    Raises
    ------
    TranscaspianError
        A stage's user error (one line naming the field or file).
    """
    from ._parallel import ForkedCall

    wanted = set(upstream_of(until) if until is not None else (s.name for s in STAGES))
    cache = plan_memo() if memo is True else (memo or None)
    # the corridor's latency tables are computed beside its flows and cuts, in a forked child
    opts: dict[str, Mapping[str, Any]] = {"network": {"beside": ForkedCall}, **(options or {})}
    data = scenario.model_dump(mode="json")  # the stages' memo keys read it (one dump)
    results: dict[str, Any] = {}
    keys: dict[str, str] = {}
    ahead: dict[str, Any] = {}

    def run(name: str) -> Any:
        s = stage(name)
        return _run_stage(s, scenario, data, results, keys, cache, opts.get(name, {}))

    def draw_ahead() -> None:
        # once, as soon as every section that reads fewer than all stages can be drawn (the
        # first core is then about to wait for the optics, or to run the serial stages)
        if draw is not None and not ahead:
            ahead.update(_draw_ahead(scenario, results, wanted, draw))

    from ._parallel import one_blas_thread

    try:
        with one_blas_thread():
            _walk(scenario, data, wanted, results, keys, cache, opts, run, draw_ahead)
    except BaseException:
        if "call" in ahead:
            ahead["call"].cancel()
        raise
    return Plan(scenario=scenario, results=results, ahead=ahead)


def _walk(scenario: Scenario, data: dict[str, Any], wanted: set[str], results: dict[str, Any],
          keys: dict[str, str], cache: StageCache | None, opts: dict[str, Mapping[str, Any]],
          run: Callable[[str], Any], draw_ahead: Callable[[], None]) -> None:
    from ._parallel import ForkedCall

    results["route"] = run("route")
    if "optics" in wanted and "network" in wanted:
        # optics and the corridor both need only the route: the optics stage runs on the second
        # core while this one runs the corridor (same results, see transcaspian._parallel)
        optics_stage = stage("optics")
        keys["optics"] = stage_key(optics_stage, data, keys)
        if cache is None or not cache.has("optics", keys["optics"]):
            route = results["route"]
            side = ForkedCall(lambda: optics_stage.run(scenario, {"route": route}))
            try:
                # two cores: the corridor's own latency fork would make a third process
                results["network"] = _run_stage(stage("network"), scenario, data, results, keys,
                                                cache, {**opts.get("network", {}), "beside": None})
                draw_ahead()  # this core would only wait for the optics
                value = side.result()
            finally:
                side.cancel()
            results["optics"] = value if cache is None else cache.get_or_run(
                "optics", keys["optics"], lambda: value)
    draw_ahead()
    for s in STAGES[1:]:
        if s.name in wanted and s.name not in results:
            results[s.name] = run(s.name)
            draw_ahead()


def _draw_ahead(scenario: Scenario, results: dict[str, Any], wanted: set[str],
                interactive: bool) -> dict[str, Any]:
    """Draw, in a child, the wanted sections that declare ``section_reads`` once all of them
    can be (their stages are in ``results``); ``{}`` until then."""
    from ._parallel import ForkedCall

    early = [s for s in STAGES if s.section is not None and s.section_reads is not None
             and s.name in wanted]
    if not early or not all(set(s.section_reads or ()) <= results.keys() for s in early):
        return {}
    done = Plan(scenario=scenario, results=dict(results))
    jobs = [(s.name, _section_job(s, done, interactive)) for s in early]
    from .report.figures import preload

    preload()  # once here, inherited by this child, the sections' child and this process
    call = ForkedCall(lambda: {name: fn() for name, fn in jobs})
    return {"interactive": interactive, "names": tuple(n for n, _ in jobs), "call": call}


def check_inputs(scenario: Scenario) -> None:
    """Each declared stage's input check: read every file it names, build its inputs.

    What ``transcaspian scenario check`` runs (no stage computes). Raises the first problem
    found as a :class:`~transcaspian.errors.TranscaspianError` (one line).
    """
    for s in STAGES:
        if s.check is not None:
            s.check(scenario)


def _section_job(s: Stage, plan: Plan, interactive: bool) -> Callable[[], str]:
    fn = s.section
    assert fn is not None
    return lambda: fn(plan, interactive)


def render_sections(plan: Plan, *, interactive: bool) -> list[tuple[str, str, str]]:
    """``(stage, title, html)`` of each stage with a section, for the stages the plan holds.

    Sections drawn ahead by :func:`plan` are taken from there; the others are shared between
    this process and a forked child, each taking the next undrawn section from a common
    counter (a section the child did not deliver is drawn here). The HTML is the same as a
    serial run's.
    """
    import multiprocessing

    from ._parallel import ForkedCall, can_fork, one_blas_thread

    stages = [s for s in STAGES if s.section is not None and s.name in plan.results]
    html: dict[str, str] = {}
    ahead = plan.ahead
    drawn_ahead: tuple[str, ...] = ()
    if ahead.get("interactive") is interactive:
        drawn_ahead = tuple(ahead["names"])
    elif "call" in ahead:  # drawn for the other kind of report
        ahead.pop("call").cancel()
    jobs = [(s.name, _section_job(s, plan, interactive)) for s in stages
            if s.name not in drawn_ahead]
    if len(jobs) > 1 and can_fork():
        from .report.figures import preload

        preload()  # imported once, before the fork (a no-op after plan's draw-ahead)
        counter = multiprocessing.get_context("fork").Value("i", 0)

        def share() -> dict[str, str]:
            out: dict[str, str] = {}
            while True:
                with counter.get_lock():
                    i = counter.value
                    counter.value += 1
                if i >= len(jobs):
                    return out
                out[jobs[i][0]] = jobs[i][1]()

        with one_blas_thread():  # here and, inherited, in the child
            other = ForkedCall(share)
            try:
                html.update(share())
            except BaseException:
                other.cancel()
                raise
        html.update(other.result())
    for name, fn in jobs:
        if name not in html:  # serial, or a job the child did not deliver
            html[name] = fn()
    if drawn_ahead:  # taken last: the child drew them while these were drawn
        if "html" not in ahead:
            ahead["html"] = ahead.pop("call").result()
        html.update(ahead["html"])
    return [(s.name, s.title, html[s.name]) for s in stages]
