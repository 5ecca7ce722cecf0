"""Before and after: the measured RTT change of city pairs against the model's predicted change.

The check an operator runs once the line is lit: ping the same city pairs before and after,
and set the measured change beside what the model predicted for switching on the line and Baku
as an interconnection hub (issue 21 §6).

Pairs are matched across the two files by their two city names (case-insensitive, in either
order); a name measured twice in one file keeps its lowest RTT (``rtt_min_ms`` is a minimum).
Both measurements of a pair are placed with the *before* file's row (names, coordinates,
countries), once on the corridor of the before state and once on that of the after state
(:func:`.measured.compare_measured`), so the predicted change is the model's change for one
placement:

.. math::

   \\Delta_{q} = R^{after}_{q} - R^{before}_{q}, \\quad q \\in \\{P10, P50, P90\\}

with :math:`R_q` the calibrated quantile of the as-routed RTT (:mod:`.calibration`). Taking
the same quantile on both sides assumes a pair keeps its place in the measured / model
distribution when its path changes (the same host routing before and after); the predicted
interval is :math:`[\\min(\\Delta_{10}, \\Delta_{90}), \\max(\\Delta_{10}, \\Delta_{90})]`.

``in_predicted_interval`` is null for a pair the model expects unchanged (its interval has no
width). Summary: the pairs in both files; of those the model expects to change
(:math:`|\\Delta_{50}|` above ``CHANGE_MIN_MS``), the share whose measured change falls in the
predicted interval, the share where the measured change has the predicted sign, and the median
absolute error of :math:`\\Delta_{50}` [ms]; of those it expects unchanged, the median absolute
measured change [ms] (what routing noise alone does between the two campaigns).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from .calibration import LatencyCalibration
from .measured import MeasuredPair, compare_measured
from .routed_latency import CorridorView

CHANGE_MIN_MS = 0.5  # a predicted change smaller than this counts as "no change" [ms]


def pair_key(a: str, b: str) -> tuple[str, str]:
    """The two city names, case-folded, in sorted order."""
    x, y = a.strip().casefold(), b.strip().casefold()
    return (x, y) if x <= y else (y, x)


def _lowest(pairs: tuple[MeasuredPair, ...]) -> dict[tuple[str, str], MeasuredPair]:
    out: dict[tuple[str, str], MeasuredPair] = {}
    for p in pairs:
        k = pair_key(p.city_a, p.city_b)
        if k not in out or p.rtt_min_ms < out[k].rtt_min_ms:
            out[k] = p
    return out


@dataclass(frozen=True)
class BeforeAfter:
    """Per matched pair, measured and predicted change; the pairs in one file only."""

    pairs: tuple[dict[str, Any], ...]
    only_before: tuple[str, ...]
    only_after: tuple[str, ...]
    not_placed: tuple[dict[str, Any], ...]
    before_label: str
    after_label: str

    def summary(self) -> dict[str, Any]:
        """Counts and the scores of the module notes."""
        ok = [p for p in self.pairs if p["predicted_change_ms"] is not None]
        moving = [p for p in ok if abs(p["predicted_change_ms"]) > CHANGE_MIN_MS]
        still = [p for p in ok if abs(p["predicted_change_ms"]) <= CHANGE_MIN_MS]

        def share(xs: list[bool]) -> float | None:
            return float(np.mean(xs)) if xs else None

        def median(xs: list[float]) -> float | None:
            return float(np.median(xs)) if xs else None

        return {
            "matched": len(self.pairs),
            "only_before": len(self.only_before),
            "only_after": len(self.only_after),
            "not_placed": len(self.not_placed),
            "expected_to_change": len(moving),
            "in_predicted_interval": share([p["in_predicted_interval"] for p in moving]),
            "sign_agrees": share([
                np.sign(p["measured_change_ms"]) == np.sign(p["predicted_change_ms"])
                for p in moving
            ]),
            "median_abs_error_ms": median([
                abs(p["measured_change_ms"] - p["predicted_change_ms"]) for p in moving
            ]),
            "median_measured_change_ms": median([p["measured_change_ms"] for p in moving]),
            "median_predicted_change_ms": median([p["predicted_change_ms"] for p in moving]),
            "expected_unchanged": len(still),
            "unchanged_median_abs_measured_change_ms": median([
                abs(p["measured_change_ms"]) for p in still
            ]),
            "change_min_ms": CHANGE_MIN_MS,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before_label,
            "after": self.after_label,
            "summary": self.summary(),
            "pairs": list(self.pairs),
            "only_before": list(self.only_before),
            "only_after": list(self.only_after),
            "not_placed": list(self.not_placed),
        }


def compare_before_after(
    before: tuple[MeasuredPair, ...],
    after: tuple[MeasuredPair, ...],
    view_before: CorridorView,
    view_after: CorridorView,
    calibration: LatencyCalibration,
    **placement: Any,
) -> BeforeAfter:
    """Match the two files' pairs and set each measured change beside the predicted one.

    Parameters
    ----------
    before, after : tuple of MeasuredPair
        The two measurement campaigns (:func:`.measured.read_measured`).
    view_before, view_after : CorridorView
        The corridor before (without the line, no hub) and after (the line and the hub).
    calibration : LatencyCalibration
        Gives the P10 / P50 / P90 of the as-routed RTTs.
    **placement
        ``snap_km``, ``attach_km``, ``group_index``, ``node_latency_ms``, ``route_factor``,
        ``source`` of :func:`.measured.compare_measured`.
    """
    b, a = _lowest(before), _lowest(after)
    keys = [k for k in b if k in a]
    rows = tuple(
        dataclasses.replace(b[k], row=n) for n, k in enumerate(keys, start=1)
    )
    out: list[dict[str, Any]] = []
    not_placed: list[dict[str, Any]] = []
    if rows:
        cb = compare_measured(rows, view_before, calibration=calibration, **placement)
        ca = compare_measured(rows, view_after, calibration=calibration, **placement)
        after_of = {p["row"]: p for p in ca.pairs}
        not_placed = list(cb.not_placed)
        for pb in cb.pairs:
            pa = after_of.get(pb["row"])
            k = keys[pb["row"] - 1]
            y0, y1 = b[k].rtt_min_ms, a[k].rtt_min_ms
            d = {q: None for q in ("p10", "p50", "p90")}
            if pa is not None and pb["routed_rtt_ms"] is not None and pa["routed_rtt_ms"] \
                    is not None:
                d = {q: pa[f"routed_rtt_{q}_ms"] - pb[f"routed_rtt_{q}_ms"]
                     for q in ("p10", "p50", "p90")}
            lo = None if d["p10"] is None else min(d["p10"], d["p90"])
            hi = None if d["p10"] is None else max(d["p10"], d["p90"])
            change = y1 - y0
            out.append({
                "city_a": pb["city_a"],
                "city_b": pb["city_b"],
                "measured_before_ms": y0,
                "measured_after_ms": y1,
                "measured_change_ms": change,
                "routed_before_ms": pb["routed_rtt_ms"],
                "routed_after_ms": None if pa is None else pa["routed_rtt_ms"],
                "meeting_hub_before": pb["meeting_hub"],
                "meeting_hub_after": None if pa is None else pa["meeting_hub"],
                "predicted_change_ms": d["p50"],
                "predicted_change_p10_ms": d["p10"],
                "predicted_change_p90_ms": d["p90"],
                # scored only where the model expects a change (a zero-width interval is no test)
                "in_predicted_interval": (
                    None if lo is None or hi is None or d["p50"] is None
                    or abs(d["p50"]) <= CHANGE_MIN_MS else bool(lo <= change <= hi)
                ),
            })
    return BeforeAfter(
        pairs=tuple(out),
        only_before=tuple(f"{b[k].city_a} - {b[k].city_b}" for k in b if k not in a),
        only_after=tuple(f"{a[k].city_a} - {a[k].city_b}" for k in a if k not in b),
        not_placed=tuple(not_placed),
        before_label=view_before.label,
        after_label=view_after.label,
    )
