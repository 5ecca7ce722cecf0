"""The economics stage: cost book, CAPEX/OPEX, products and revenue, finance, consortium split
and sensitivity (:func:`run_economics`; the vectorised kernel is
:func:`transcaspian.economics.kernel.evaluate_batch`)."""

from __future__ import annotations

from .stage import run_economics

__all__ = ["run_economics"]
