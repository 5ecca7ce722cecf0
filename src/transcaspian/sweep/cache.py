"""The stage memo the sweep shares with ``plan()`` (:mod:`transcaspian._memo`)."""

from __future__ import annotations

from .._memo import StageCache, fingerprint, process_cache

__all__ = ["StageCache", "fingerprint", "process_cache"]
