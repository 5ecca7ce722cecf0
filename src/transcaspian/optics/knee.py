"""The capacity knee of a repeater-count comparison, for a study with no route.

Without a route the decision (which weighs CAPEX, reliability and NPV) cannot run, and the
design comparison alone ranks repeatered designs by capacity, which keeps rising with every
repeater added. The knee is the planner's capacity-only pick: the fewest repeaters whose
capacity per fibre pair reaches a fraction (default 95 %) of the capacity of the most-repeater
design, among the designs that close and that the power feed can feed (an unrepeatered design
counts as zero repeaters, so on a short cable the knee can be one). Beyond it each repeater adds
little capacity for its cost. It is a stated planner default, not a published rule; the
real-systems validation takes its design the same way (``tests/validation``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .design import DesignResult

__all__ = ["KNEE_FRACTION", "capacity_knee", "knee_reference"]

#: Share of the most-repeater design's capacity the knee must reach [-].
KNEE_FRACTION = 0.95


def _candidates(designs: Sequence[DesignResult],
                feedable: Mapping[str, bool] | None) -> list[DesignResult]:
    return [d for d in designs if d.closes and (feedable is None or feedable.get(d.name, True))]


def knee_reference(designs: Sequence[DesignResult], *,
                   feedable: Mapping[str, bool] | None = None) -> DesignResult | None:
    """The design the knee is measured against: the most repeaters among those that close and
    can be fed (the larger capacity among equal counts); ``None`` when there is none."""
    ok = _candidates(designs, feedable)
    return max(ok, key=lambda d: (d.repeaters, d.capacity_tbps_per_fibre_pair)) if ok else None


def capacity_knee(designs: Sequence[DesignResult], *, feedable: Mapping[str, bool] | None = None,
                  fraction: float = KNEE_FRACTION) -> DesignResult | None:
    """The fewest-repeater design within ``fraction`` of the most-repeater design's capacity.

    Parameters
    ----------
    designs : sequence of DesignResult
        The comparison's designs (an unrepeatered one counts as zero repeaters).
    feedable : mapping of str to bool, optional
        Power verdict per design name (:class:`transcaspian.power.stage.PowerResult`
        ``feasible``); a design marked ``False`` is not a candidate. ``None``: all are.
    fraction : float
        Share of the most-repeater candidate's capacity per fibre pair to reach, in (0, 1].

    Returns
    -------
    DesignResult or None
        The knee (among equal repeater counts, the larger capacity); ``None`` when no design
        closes and can be fed.

    Raises
    ------
    ValueError
        ``fraction`` outside (0, 1].

    Examples
    --------
    >>> from transcaspian.optics.config import OpticsConfig
    >>> from transcaspian.optics.design import compare_designs
    >>> cfg = OpticsConfig.model_validate({"transceivers": "submarine",
    ...     "design_space": {"include_unrepeatered": [], "max_repeaters": None}})
    >>> res = compare_designs(cfg, cable_length_km=6000.0, fibre_pairs=8)
    >>> knee = capacity_knee(res.designs)
    >>> most = max(res.designs, key=lambda d: d.repeaters)
    >>> knee.repeaters <= most.repeaters
    True
    >>> knee.capacity_tbps_per_fibre_pair >= 0.95 * most.capacity_tbps_per_fibre_pair
    True
    """
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    most = knee_reference(designs, feedable=feedable)
    if most is None:
        return None
    ok = _candidates(designs, feedable)
    floor = fraction * most.capacity_tbps_per_fibre_pair - 1e-12
    return min((d for d in ok if d.capacity_tbps_per_fibre_pair >= floor),
               key=lambda d: (d.repeaters, -d.capacity_tbps_per_fibre_pair))
