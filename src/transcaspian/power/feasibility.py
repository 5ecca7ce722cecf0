"""Mark the designs that cannot be fed as infeasible in the optics comparison.

Works on any frozen result with a ``designs`` tuple of frozen entries carrying ``name`` and
``feasible`` (the optics stage's ``OpticsResult``) through :func:`dataclasses.replace`, so this
package does not import the optics package.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from .stage import PowerResult

T = TypeVar("T")


def mark_unfeedable(optics: T, power: PowerResult) -> T:
    """A copy of ``optics`` whose designs that power cannot feed have ``feasible=False``.

    The reason stays in ``power`` (``PowerResult.reasons``) and in the report.
    """
    bad = {name for name, ok in power.feasible.items() if not ok}
    if not bad:
        return optics
    designs: Any = optics.designs  # type: ignore[attr-defined]
    new = tuple(replace(d, feasible=False) if d.name in bad else d for d in designs)
    return replace(optics, designs=new)  # type: ignore[type-var]
