"""Non-dominated (Pareto) fronts of two objectives, streamed over partitions.

A design is on the front when no other design is at least as good on both objectives and
better on one. For two objectives the front is a sort and a running best (Kung, Luccio &
Preparata, "On finding the maxima of a set of vectors", J. ACM 22(4) 469, 1975, the 2-D case):
O(n log n), a few lines of numpy, so no library is pulled in for it. The front of a union is
the front of the union of the parts' fronts, so :class:`FrontAccumulator` keeps only the
current front while the partitions stream past: memory stays flat in the number of designs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__all__ = ["FrontAccumulator", "FrontSpec", "pareto_mask"]

Sense = Literal["max", "min"]


def pareto_mask(x: npt.ArrayLike, y: npt.ArrayLike, x_sense: Sense = "max",
                y_sense: Sense = "max") -> npt.NDArray[np.bool_]:
    """Which points are non-dominated (NaN points never are).

    Of several points with identical objectives, one (the first) is kept.

    Examples
    --------
    >>> pareto_mask([1, 2, 3, 2], [3, 2, 1, 1]).tolist()
    [True, True, True, False]
    """
    xa = np.asarray(x, dtype=float) * (1.0 if x_sense == "max" else -1.0)
    ya = np.asarray(y, dtype=float) * (1.0 if y_sense == "max" else -1.0)
    ok = np.isfinite(xa) & np.isfinite(ya)
    idx = np.flatnonzero(ok)
    mask = np.zeros(xa.shape, dtype=bool)
    if idx.size == 0:
        return mask
    # best x first; among equal x, best y first; stable so the first duplicate wins
    order = idx[np.lexsort((idx, -ya[idx], -xa[idx]))]
    ys = ya[order]
    prev_best = np.concatenate(([-np.inf], np.maximum.accumulate(ys)[:-1]))
    mask[order[ys > prev_best]] = True
    return mask


@dataclass(frozen=True)
class FrontSpec:
    """A front to draw: two result columns and whether more or less is better."""

    title: str
    x: str
    y: str
    x_sense: Sense
    y_sense: Sense


@dataclass
class FrontAccumulator:
    """The running front of one :class:`FrontSpec`, with the columns kept for its designs."""

    spec: FrontSpec
    keep: tuple[str, ...]
    rows: dict[str, npt.NDArray[Any]] = field(default_factory=dict)
    seen: int = 0

    def add(self, columns: Mapping[str, npt.NDArray[Any]]) -> None:
        """Merge one partition."""
        s = self.spec
        if s.x not in columns or s.y not in columns:
            return
        self.seen += len(columns[s.x])
        names = tuple(dict.fromkeys((s.x, s.y, *self.keep)))
        new = {c: np.asarray(columns[c]) for c in names if c in columns}
        merged = {c: np.concatenate([self.rows[c], new[c]]) if c in self.rows else new[c]
                  for c in new}
        m = pareto_mask(merged[s.x], merged[s.y], s.x_sense, s.y_sense)
        order = np.argsort(merged[s.x][m], kind="stable")
        self.rows = {c: v[m][order] for c, v in merged.items()}
