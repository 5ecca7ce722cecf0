"""The decision stage: which design to build, chosen on everything the plan knows.

Every optical candidate with its power-feeding verdict, its reliability and its business case
(:func:`~transcaspian.decision.stage.run_decision`), weighed by one rule
(:func:`~transcaspian.decision.rule.recommend`) under the scenario's stated objective and
constraints (``decision:`` block).
"""

from __future__ import annotations

__all__ = ["DecisionConfig"]

from .config import DecisionConfig
