"""The decision stage: ``run_decision(scenario, route, optics, power, network)``.

Every optical candidate of the optics stage, with the power stage's verdict on feeding it, is
given its analytic availability (:func:`transcaspian.reliability.stage.candidate_availability`)
and its business case (:func:`transcaspian.economics.stage.business_case`) - the cores of the
reliability and economics stages, so the chosen design gets the same figures there - and one
rule (:func:`transcaspian.decision.rule.recommend`) chooses, under ``decision.objective`` and the
constraints. The result is the decision table, the choice and two sentences: why it wins, and
what the capacity target costs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import DecisionError
from ..records import Record, flag, quantity, text
from .rule import CONSTRAINTS, Choice, failed_constraints, recommend

if TYPE_CHECKING:  # pragma: no cover
    from ..economics.stage import BusinessCase
    from ..geo.stage import RouteResult
    from ..network.analysis import CorridorResult
    from ..optics.design import OpticsResult
    from ..power.stage import PowerResult
    from ..scenario import Scenario

__all__ = ["Candidate", "DecisionResult", "run_decision"]

_WHY = {
    "carries": "does not carry every channel at end of life",
    "feedable": "cannot be power-fed within the PFE rating",
    "min_margin": "end-of-life margin below the minimum",
    "min_availability": "availability below the minimum",
    "target": "below the capacity target",
}


@dataclass(frozen=True)
class Candidate(Record):
    """One row of the decision table."""

    name: str = text("design name")
    label: str = text("what the design is")
    repeaters: int = quantity("1", "submerged repeaters", digits=None)
    capacity_tbps_per_fibre_pair: float = quantity("Tb/s", "capacity per fibre pair at end of "
                                                   "life", digits=4)
    system_capacity_tbps: float = quantity("Tb/s", "capacity of all fibre pairs at end of life",
                                           digits=4)
    margin_db: float = quantity("dB", "worst channel's end-of-life margin", digits=3)
    carries: bool = flag("every channel served at end of life")
    feedable: bool = flag("power feed within the PFE rating (always true without repeaters)")
    feed_note: str = text("the power stage's verdict")
    availability: float = quantity("1", "analytic line availability", digits=9)
    outage_hours_per_year: float = quantity("h/yr", "expected outage of the line", digits=3)
    capex: float = quantity("currency", "build CAPEX", digits=0)
    lifecycle_cost: float = quantity("currency", "present value of all costs over the life",
                                     digits=0)
    npv: float = quantity("currency", "net present value", digits=0)
    irr: float | None = quantity("1", "internal rate of return")
    demand_final_tbps: float = quantity("Tb/s", "demand wanting the line in the last year",
                                        digits=3)
    deliverable_final_tbps: float = quantity("Tb/s", "what the corridor can deliver to and from "
                                             "the line in the last year", digits=3)
    lit_fibre_pairs_final: int | None = quantity("1", "fibre pairs lit in the last year",
                                                 digits=None)
    fails: tuple[str, ...] = text("constraints the design fails (carries, feedable, "
                                  "min_margin, min_availability, target)")
    recommended: bool = flag("the design the rule chose")


@dataclass(frozen=True)
class DecisionResult(Record):
    """The decision: every candidate, the rule's inputs, the choice and why."""

    objective: str = text("what the choice maximises (decision.objective)")
    target_tbps: float | None = quantity("Tb/s", "capacity target "
                                         "(optics.target_system_capacity_tbps)", digits=3)
    min_margin_db: float = quantity("dB", "smallest end-of-life margin allowed", digits=3)
    min_availability: float | None = quantity("1", "smallest availability allowed", digits=6)
    currency: str = text("currency of the money fields")
    fibre_pairs: int = quantity("1", "fibre pairs of the cable", digits=None)
    candidates: tuple[Candidate, ...] = text("the decision table")
    recommended: str = text("the design to build")
    target_met: bool = flag("the recommended design reaches the capacity target")
    policy_relaxed: bool = flag("no design met the margin/availability minimums, so they were "
                                "relaxed")
    best_without_target: str = text("the design the rule would choose with no target")
    target_cost_npv: float | None = quantity("currency", "NPV given up for the capacity target "
                                             "(best design without it minus the choice)",
                                             digits=0)
    reason: str = text("why the recommended design wins")
    target_cost: str = text("what the capacity target costs, and the demand it serves")

    def candidate(self, name: str) -> Candidate:
        """The row of design ``name``."""
        for c in self.candidates:
            if c.name == name:
                return c
        raise DecisionError(f"decision: no candidate named {name!r}")

    @property
    def chosen(self) -> Candidate:
        """The recommended design's row."""
        return self.candidate(self.recommended)


def _money(x: float, currency: str) -> str:
    return f"{currency} {x / 1e6:,.1f} M"


def _objective_phrase(objective: str, c: Candidate, currency: str) -> str:
    if objective == "npv":
        return f"the highest NPV ({_money(c.npv, currency)})"
    if objective == "lifecycle_cost":
        return f"the lowest life-cycle cost ({_money(c.lifecycle_cost, currency)})"
    return f"the most capacity ({c.system_capacity_tbps:.0f} Tb/s)"


def _sentences(res: DecisionResult, final_year: int) -> tuple[str, str]:
    rec = res.chosen
    cur = res.currency
    eligible = [c for c in res.candidates
                if not (set(c.fails) & {"carries", "feedable"})
                and (res.policy_relaxed or not (set(c.fails) & {"min_margin", "min_availability"}))]
    pool = [c for c in eligible if res.target_met and "target" not in c.fails] or eligible
    conds = ["carry every channel", "can be power-fed"]
    if not res.policy_relaxed:
        conds.append(f"keep at least {res.min_margin_db:.1f} dB of end-of-life margin")
        if res.min_availability is not None:
            conds.append(f"reach {res.min_availability:.3%} availability")
    if res.target_tbps is not None and res.target_met:
        conds.append(f"reach the {res.target_tbps:g} Tb/s target")
    others = sorted((c for c in pool if c.name != rec.name),
                    key=lambda c: -c.npv if math.isfinite(c.npv) else math.inf)
    runner = (f"; next best {others[0].label.lower()} ({_money(others[0].npv, cur)} NPV, "
              f"{others[0].margin_db:.1f} dB margin)") if others else ""
    why = (f"{rec.label} is recommended: {_objective_phrase(res.objective, rec, cur)} of the "
           f"{len(pool)} design{'s' if len(pool) != 1 else ''} that "
           f"{', '.join(conds[:-1])} and {conds[-1]}"
           f" ({rec.system_capacity_tbps:.0f} Tb/s, {rec.margin_db:.1f} dB margin, CAPEX "
           f"{_money(rec.capex, cur)}, NPV {_money(rec.npv, cur)}){runner}.")
    if res.policy_relaxed:
        why += (f" No design keeps {res.min_margin_db:.1f} dB of margin"
                + (f" and {res.min_availability:.3%} availability" if res.min_availability
                   else "") + ": that minimum was relaxed.")
    demand = (f"demand wanting the line reaches {rec.demand_final_tbps:.1f} Tb/s by "
              f"{final_year}, of which the corridor can deliver "
              f"{rec.deliverable_final_tbps:.1f} Tb/s ({rec.lit_fibre_pairs_final} of "
              f"{res.fibre_pairs} fibre pairs lit), against {rec.system_capacity_tbps:.0f} Tb/s "
              "of design capacity")
    if res.target_tbps is None:
        cost = f"No capacity target is set; {demand}."
    elif not res.target_met:
        cost = (f"No design that can be built reaches the {res.target_tbps:g} Tb/s target; the "
                f"choice is made among the rest; {demand}.")
    elif res.best_without_target == rec.name:
        cost = (f"The {res.target_tbps:g} Tb/s target costs nothing: the best design without "
                f"it reaches it too; {demand}.")
    else:
        free = res.candidate(res.best_without_target)
        lost = _money(res.target_cost_npv or 0.0, cur)
        cost = (f"The {res.target_tbps:g} Tb/s target costs {lost} "
                f"of NPV against the best design without it ({free.label.lower()}, "
                f"{free.system_capacity_tbps:.0f} Tb/s); {demand}.")
    return why, cost


def choose(rows: Sequence[Candidate], *, target_tbps: Any, min_margin_db: float,
           min_availability: float | None, objective: str) -> Choice:
    """The rule (:func:`~transcaspian.decision.rule.recommend`) over decision-table rows;
    ``target_tbps`` a number, ``None`` or an array of targets (one choice each)."""

    def col(name: str) -> np.ndarray:
        return np.array([getattr(r, name) for r in rows], dtype=float)

    return recommend(
        capacity_tbps=col("system_capacity_tbps"), margin_db=col("margin_db"),
        carries=np.array([r.carries for r in rows]), feedable=np.array([r.feedable for r in rows]),
        availability=col("availability"), npv=col("npv"), lifecycle_cost=col("lifecycle_cost"),
        capex=col("capex"), target_tbps=target_tbps, min_margin_db=min_margin_db,
        min_availability=min_availability, objective=objective)


def decide(scenario: Scenario, rows: list[Candidate], final_year: int) -> DecisionResult:
    """Apply the rule to the candidate rows and write the decision (no evaluation here)."""
    cfg = scenario.decision
    target = scenario.optics.target_system_capacity_tbps
    from ..scenario import min_margin_db

    min_margin = min_margin_db(scenario)

    choice = choose(rows, target_tbps=target, min_margin_db=min_margin,
                    min_availability=cfg.min_availability, objective=cfg.objective)
    i = int(choice.index)
    if i < 0:
        why = "; ".join(
            f"{r.name}: "
            f"{', '.join(_WHY[f] for f in failed_constraints(int(choice.fails[k])) if f in _WHY)}"
            for k, r in enumerate(rows))
        raise DecisionError(
            "decision: no candidate design can be built (it must carry every channel and be "
            f"power-fed; check power.pfe_rating_v and optics): {why}")
    rows = [replace(r, fails=failed_constraints(int(choice.fails[k])), recommended=k == i)
            for k, r in enumerate(rows)]
    free = int(choice.best_without_target)
    cost = None
    if target is not None and bool(choice.target_met) and free >= 0:
        cost = float(rows[free].npv - rows[i].npv)
    res = DecisionResult(
        objective=cfg.objective, target_tbps=target, min_margin_db=float(min_margin),
        min_availability=cfg.min_availability, currency=scenario.economics.currency,
        fibre_pairs=int(scenario.cable.fibre_pairs), candidates=tuple(rows),
        recommended=rows[i].name, target_met=bool(choice.target_met),
        policy_relaxed=bool(choice.policy_relaxed),
        best_without_target=rows[free].name if free >= 0 else rows[i].name,
        target_cost_npv=cost, reason="", target_cost="")
    why, cost_text = _sentences(res, final_year)
    return replace(res, reason=why, target_cost=cost_text)


def run_decision(
    scenario: Scenario,
    route: RouteResult,
    optics: OpticsResult,
    power: PowerResult,
    network: CorridorResult | None,
    install: Any = None,
) -> DecisionResult:
    """Evaluate every candidate design and choose the one to build.

    ``install`` (the install stage's result, optional): each candidate's availability takes
    the burial plan's residual anchor risk and its business case the simulated vessel days,
    burial CAPEX and RFS dates for its repeaters.

    Raises
    ------
    DecisionError
        No candidate carries every channel and can be fed.
    """
    from ..economics.stage import business_case
    from ..reliability.stage import candidate_availability

    fp = int(scenario.cable.fibre_pairs)
    feed: Mapping[str, bool] = power.feasible
    notes = power.reasons
    avail = candidate_availability(scenario, route, optics.designs, install)
    rows: list[Candidate] = []
    final_year = int(scenario.economics.construction_year) + int(
        scenario.cable.design_life_years)
    for d, a in zip(optics.designs, avail, strict=True):
        bc: BusinessCase | None = None
        if d.feasible:
            bc = business_case(scenario, route, d, network, a,
                               None if install is None else install.for_design(d.repeaters))
        nan = float("nan")
        rows.append(Candidate(
            name=d.name, label=d.label, repeaters=int(d.repeaters),
            capacity_tbps_per_fibre_pair=float(d.capacity_tbps_per_fibre_pair),
            system_capacity_tbps=float(d.capacity_tbps_per_fibre_pair) * fp,
            margin_db=float(d.margin_db), carries=bool(d.feasible),
            feedable=bool(feed.get(d.name, True)),
            feed_note=notes.get(d.name, "no repeaters: nothing to feed"),
            availability=a.availability, outage_hours_per_year=a.outage_hours_per_year,
            capex=nan if bc is None else bc.capex,
            lifecycle_cost=nan if bc is None else bc.lifecycle_cost,
            npv=nan if bc is None else bc.npv, irr=None if bc is None else bc.irr,
            demand_final_tbps=nan if bc is None else bc.demand_final_tbps,
            deliverable_final_tbps=nan if bc is None else bc.deliverable_final_tbps,
            lit_fibre_pairs_final=None if bc is None else bc.lit_fibre_pairs_final,
            fails=(), recommended=False))
    return decide(scenario, rows, final_year)


__all__ += ["CONSTRAINTS", "choose", "decide"]
