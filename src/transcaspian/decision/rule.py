"""The rule that picks the design to build: one function, vectorised over scenarios.

:func:`recommend` serves ``plan()`` (one scenario, the candidates on the last axis) and the
sweep (many scenarios on leading axes, e.g. one capacity target per row). The rule:

1. **Hard constraints** — the design carries every channel at end of life (``carries``) and can
   be power-fed (``feedable``). A design failing either is never chosen.
2. **Policy constraints** — end-of-life margin ≥ ``min_margin_db``; analytic availability ≥
   ``min_availability`` when one is set. When no design meets them, the choice falls back to the
   designs meeting the hard constraints, and the result says which constraint was relaxed.
3. **The capacity target** — among the designs left, those whose system capacity reaches the
   target; when none does, the choice is made among the rest and the result says so.
4. **The objective** — the highest NPV (``npv``), the lowest life-cycle cost
   (``lifecycle_cost``) or the most system capacity (``capacity``). Ties go to the lower CAPEX,
   then to the earlier candidate.

Examples
--------
>>> import numpy as np
>>> c = recommend(capacity_tbps=np.array([205.0, 614.0, 614.0]),
...               margin_db=np.array([1.8, 1.5, 2.7]), carries=np.array([True, True, True]),
...               feedable=np.array([True, True, True]), availability=np.full(3, 0.986),
...               npv=np.array([39.7, 48.8, 47.1]), lifecycle_cost=np.array([60.0, 58.0, 63.0]),
...               capex=np.array([44.5, 40.3, 43.0]), target_tbps=np.array([200.0, 400.0]),
...               min_margin_db=1.0, objective="npv")
>>> c.index.tolist()  # the 200 Tb/s target does not make the dearer design win
[1, 1]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["CONSTRAINTS", "Choice", "recommend"]

#: Constraint codes, in the order of their bits in :attr:`Choice.fails`.
CONSTRAINTS = ("carries", "feedable", "min_margin", "min_availability", "target")

_CARRIES, _FEEDABLE, _MARGIN, _AVAIL, _TARGET = (1 << i for i in range(len(CONSTRAINTS)))


@dataclass(frozen=True)
class Choice:
    """What :func:`recommend` chose, per scenario (leading axes).

    Attributes
    ----------
    index : ndarray of int
        The chosen candidate, ``-1`` where no candidate meets the hard constraints.
    fails : ndarray of int
        Per candidate (last axis), the bits of :data:`CONSTRAINTS` it fails.
    target_met : ndarray of bool
        Whether the chosen design reaches the capacity target (``True`` without a target).
    policy_relaxed : ndarray of bool
        Whether no candidate met the policy constraints, so they were relaxed.
    best_without_target : ndarray of int
        The candidate the rule would choose with no capacity target (what the target costs
        is measured against it).
    """

    index: npt.NDArray[np.int64]
    fails: npt.NDArray[np.int64]
    target_met: npt.NDArray[np.bool_]
    policy_relaxed: npt.NDArray[np.bool_]
    best_without_target: npt.NDArray[np.int64]


def failed_constraints(bits: int) -> tuple[str, ...]:
    """The constraint codes set in ``bits``."""
    return tuple(c for i, c in enumerate(CONSTRAINTS) if bits & (1 << i))


def _best(pool: npt.NDArray[np.bool_], score: npt.NDArray[np.float64],
          capex: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Index of the highest score in ``pool`` (ties: lower CAPEX, then lower index); -1 if empty."""
    n = pool.shape[-1]
    order = np.broadcast_to(np.arange(n, dtype=float), pool.shape)
    s = np.where(pool, -np.nan_to_num(score, nan=-np.inf), np.inf)
    c = np.where(pool, np.nan_to_num(capex, nan=np.inf), np.inf)
    # lexsort sorts by the last key first: score, then CAPEX, then position
    first = np.lexsort((order, c, s), axis=-1)[..., 0]
    return np.where(pool.any(axis=-1), first, -1).astype(np.int64)


def recommend(
    *,
    capacity_tbps: npt.ArrayLike,
    margin_db: npt.ArrayLike,
    carries: npt.ArrayLike,
    feedable: npt.ArrayLike,
    availability: npt.ArrayLike,
    npv: npt.ArrayLike,
    lifecycle_cost: npt.ArrayLike,
    capex: npt.ArrayLike,
    target_tbps: npt.ArrayLike | None = None,
    min_margin_db: npt.ArrayLike = 1.0,
    min_availability: npt.ArrayLike | None = None,
    objective: str = "npv",
) -> Choice:
    """Choose one candidate per scenario (see the module notes for the rule).

    Parameters
    ----------
    capacity_tbps : array_like
        System capacity at end of life [Tb/s], candidates on the last axis.
    margin_db : array_like
        Worst channel's end-of-life margin [dB] (NaN: carries nothing).
    carries, feedable : array_like of bool
        Every channel served at end of life; the power feed is within the PFE rating.
    availability : array_like
        Analytic line availability [fraction].
    npv, lifecycle_cost, capex : array_like
        Net present value, present value of all costs, build CAPEX [currency].
    target_tbps : array_like, optional
        Capacity target per scenario [Tb/s] (leading axes); ``None`` or NaN: no target.
    min_margin_db : array_like
        Smallest acceptable end-of-life margin [dB] per scenario.
    min_availability : array_like, optional
        Smallest acceptable availability per scenario; ``None`` or NaN: no constraint.
    objective : {'npv', 'lifecycle_cost', 'capacity'}

    Returns
    -------
    Choice
    """
    arrays: Any = np.broadcast_arrays(
        np.asarray(capacity_tbps, float), np.asarray(margin_db, float),
        np.asarray(carries, bool), np.asarray(feedable, bool), np.asarray(availability, float),
        np.asarray(npv, float), np.asarray(lifecycle_cost, float), np.asarray(capex, float))
    cap, margin, carry, feed, avail, npv_a, lcc, cx = arrays
    lead = cap.shape[:-1]

    def per_scenario(x: npt.ArrayLike | None, fill: float) -> npt.NDArray[np.float64]:
        v = np.nan_to_num(np.asarray(fill if x is None else x, float), nan=fill)
        return v[..., None] if v.ndim else np.full((*lead, 1), v)

    target = per_scenario(target_tbps, -np.inf)
    if target.shape[:-1] != lead:  # a target per sweep row: broadcast the candidates to it
        cap, margin, carry, feed, avail, npv_a, lcc, cx = (
            np.broadcast_to(a, (*target.shape[:-1], a.shape[-1]))
            for a in (cap, margin, carry, feed, avail, npv_a, lcc, cx))
    min_m = per_scenario(min_margin_db, -np.inf)
    min_a = per_scenario(min_availability, -np.inf)
    hard = carry & feed
    policy = (np.nan_to_num(margin, nan=-np.inf) >= min_m - 1e-9) & (avail >= min_a)
    reach = cap >= target * (1.0 - 1e-9)
    fails = ((~carry) * _CARRIES + (~feed) * _FEEDABLE
             + (np.nan_to_num(margin, nan=-np.inf) < min_m - 1e-9) * _MARGIN
             + (avail < min_a) * _AVAIL + (~reach) * _TARGET).astype(np.int64)
    ok = hard & policy
    relaxed = ~ok.any(axis=-1)
    eligible = np.where(relaxed[..., None], hard, ok)
    with_target = eligible & reach
    target_met = with_target.any(axis=-1)
    pool = np.where(target_met[..., None], with_target, eligible)
    if objective == "npv":
        score = npv_a
    elif objective == "lifecycle_cost":
        score = -lcc
    elif objective == "capacity":
        score = cap
    else:
        from ..errors import DecisionError

        raise DecisionError(f"decision.objective: unknown {objective!r} (npv, lifecycle_cost, "
                            "capacity)")
    index = _best(pool, score, cx)
    best_free = _best(eligible, score, cx)
    no_target = np.isneginf(target[..., 0])
    return Choice(index=index, fails=fails, target_met=target_met | no_target,
                  policy_relaxed=relaxed & hard.any(axis=-1), best_without_target=best_free)
