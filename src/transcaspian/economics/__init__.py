"""The economics stage: cost book, CAPEX/OPEX, products and revenue, finance, consortium split
and sensitivity (:func:`run_economics`; the vectorised kernel is
:func:`transcaspian.economics.kernel.evaluate_batch`).

The stage loads on first use, so importing the scenario (which needs only
:mod:`transcaspian.economics.config`) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["run_economics"]

if TYPE_CHECKING:  # pragma: no cover
    from .stage import run_economics


def __getattr__(name: str) -> Any:
    if name == "run_economics":
        from .stage import run_economics

        return run_economics
    raise AttributeError(f"module 'transcaspian.economics' has no attribute {name!r}")
