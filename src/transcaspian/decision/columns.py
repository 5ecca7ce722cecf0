"""The decision's sweep columns: the recommended design of each swept design, as array work.

A sweep groups its designs by the fields the decision reads except the capacity target; per
group the candidates are evaluated once (:func:`~transcaspian.decision.stage.run_decision`) and
the same rule that ``plan()`` uses (:func:`~transcaspian.decision.stage.choose`) picks, for every
design of the group at once, the candidate its target leads to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario import Scenario
    from .stage import Candidate, DecisionResult

__all__ = ["DECISION_COLUMNS", "decision_columns", "decision_vector"]

DECISION_COLUMNS: dict[str, Any] = {
    "design_choice": "str",
    "repeaters": "int",
    "capacity_tbps_per_fibre_pair": "float",
    "system_capacity_tbps": "float",
    "margin_db": "float",
    "feedable": "bool",
    "target_met": "bool",
    "availability": "float",
    "outage_hours_per_year": "float",
    "capex_musd": "float",
    "lifecycle_cost_musd": "float",
    "npv_musd": "float",
    "irr": "float",
}

TARGET = "optics.target_system_capacity_tbps"


def _row(c: Candidate, target_met: bool) -> dict[str, Any]:
    return {
        "design_choice": c.name,
        "repeaters": int(c.repeaters),
        "capacity_tbps_per_fibre_pair": float(c.capacity_tbps_per_fibre_pair),
        "system_capacity_tbps": float(c.system_capacity_tbps),
        "margin_db": float(c.margin_db),
        "feedable": bool(c.feedable),
        "target_met": bool(target_met),
        "availability": float(c.availability),
        "outage_hours_per_year": float(c.outage_hours_per_year),
        "capex_musd": c.capex / 1e6,
        "lifecycle_cost_musd": c.lifecycle_cost / 1e6,
        "npv_musd": c.npv / 1e6,
        "irr": np.nan if c.irr is None else float(c.irr),
    }


def decision_columns(result: DecisionResult, scenario: Scenario) -> dict[str, Any]:
    """The recommended design's columns."""
    return _row(result.chosen, result.target_met)


def decision_vector(result: DecisionResult, scenario: Scenario,
                    params: Mapping[str, Any]) -> dict[str, Any]:
    """The recommended design per swept capacity target (the rule over arrays)."""
    if TARGET not in params:
        return {}
    from .stage import choose

    target = np.asarray(params[TARGET], dtype=float)
    cands = result.candidates
    choice = choose(cands, target_tbps=target, min_margin_db=result.min_margin_db,
                    min_availability=result.min_availability, objective=result.objective)
    idx = np.asarray(choice.index)
    rows = [_row(c, True) for c in cands]
    out: dict[str, Any] = {}
    for name, kind in DECISION_COLUMNS.items():
        dtype = {"str": object, "int": np.int64, "float": np.float64, "bool": np.bool_}[kind]
        values: np.ndarray = np.asarray([r[name] for r in rows], dtype=dtype)
        out[name] = values[np.maximum(idx, 0)]
    out["target_met"] = np.asarray(choice.target_met, dtype=bool)
    return out
