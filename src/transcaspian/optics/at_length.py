"""The optics study of a scenario at a given cable length, without a route.

``transcaspian optics --cable-length-km L`` (or ``optics.cable_length_km``) and the validation
against published systems both ask the same question: for this scenario's optics and power
feed, on a cable of length L, which designs close, which the power feed can feed, and where is
the capacity knee. :func:`study_at_length` answers it once, so the command and the validation
cannot drift apart:

1. the designs of :func:`~transcaspian.optics.design.compare_designs` with the scenario's
   optics, its margin policy resolved as the optics stage resolves it
   (:func:`~transcaspian.optics.stage.optics_config`: ``decision.min_margin_db``, else
   ``report.thin_margin_db``);
2. each repeatered design's power verdict from the scenario's power feed, the whole length of
   the main cable type, each repeater at its design's total amplifier output
   (:func:`~transcaspian.power.stage.feed_for_length`);
3. when the feed cannot power the most repeaters designed, the designs again up to the largest
   count it can power (:func:`largest_fed_count`);
4. the knee among the designs that close and can be fed (:mod:`.knee`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .design import DesignResult, OpticsResult, check_channel_plan, compare_designs
from .knee import capacity_knee, knee_reference
from .stage import optics_config

if TYPE_CHECKING:  # pragma: no cover
    from ..power.stage import PowerResult
    from ..scenario import Scenario

__all__ = ["LengthStudy", "largest_fed_count", "study_at_length"]


@dataclass(frozen=True)
class LengthStudy:
    """Designs, power verdicts and capacity knee of a scenario at one cable length.

    Attributes
    ----------
    cable_length_km : float
        Cable length studied [km].
    optics : OpticsResult
        The design comparison.
    power : PowerResult
        The power feed's verdict on each repeatered design (no power-limited trade).
    knee : DesignResult or None
        The capacity knee (:func:`~transcaspian.optics.knee.capacity_knee`); ``None`` when no
        design closes and can be fed.
    knee_reference : DesignResult or None
        The design the knee is measured against.
    """

    cable_length_km: float
    optics: OpticsResult
    power: PowerResult
    knee: DesignResult | None
    knee_reference: DesignResult | None

    @property
    def feedable(self) -> dict[str, bool]:
        """Power verdict per design name; a design without repeaters needs no feed."""
        return _feedable(self.optics.designs, self.power)


def _feedable(designs: tuple[DesignResult, ...], power: PowerResult) -> dict[str, bool]:
    fed = power.feasible
    return {d.name: fed.get(d.name, True) for d in designs}


def _output_dbm(d: DesignResult) -> float:
    """Total output of a design's amplifiers [dBm]: launch per channel + 10 log10(channels)."""
    return d.launch_power_dbm + 10.0 * math.log10(max(d.frequency_thz.size, 1))


def _feed(scenario: Scenario, length_km: float, designs: tuple[DesignResult, ...]) -> PowerResult:
    from ..power.stage import feed_for_length

    return feed_for_length(scenario.power, length_km, int(scenario.cable.fibre_pairs),
                           {d.name: d.repeaters for d in designs},
                           {d.name: _output_dbm(d) for d in designs}, with_trade=False)


def largest_fed_count(scenario: Scenario, length_km: float, designs: tuple[DesignResult, ...],
                      feedable: dict[str, bool]) -> int | None:
    """The most repeaters the power feed can feed between the designed counts, when the
    comparison's counts leave a gap there.

    Between the largest feedable count a (among the designs that close) and the smallest
    unfeedable count b above it, the feed voltage grows with the count, so the largest count
    fed is found by bisection on the power feed alone (no optics), each repeater at the larger
    of the two designs' total amplifier outputs (the launch changes little between neighbouring
    counts; the design at the count found is then checked with its own output).

    Returns
    -------
    int or None
        The count, when it lies strictly between a and b; ``None`` otherwise (no gap, or no
        feedable or no unfeedable design that closes).
    """
    from ..power.stage import feed_for_length

    closing = [d for d in designs if d.repeaters > 0 and d.closes]
    fed = [d for d in closing if feedable.get(d.name, True)]
    if not fed:
        return None
    a = max(fed, key=lambda d: d.repeaters)
    above = [d for d in closing if d.repeaters > a.repeaters and not feedable.get(d.name, True)]
    if not above:
        return None
    b = min(above, key=lambda d: d.repeaters)
    out = max(_output_dbm(a), _output_dbm(b))
    pairs = int(scenario.cable.fibre_pairs)

    def can_feed(k: int) -> bool:
        power = feed_for_length(scenario.power, length_km, pairs, {"k": k}, {"k": out},
                                with_trade=False)
        return bool(power.feasible["k"])

    lo, hi = a.repeaters, b.repeaters  # lo is fed (at its own output), hi is not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if can_feed(mid):
            lo = mid
        else:
            hi = mid
    return lo if lo > a.repeaters else None


def study_at_length(scenario: Scenario, cable_length_km: float) -> LengthStudy:
    """The optics study of ``scenario`` on a cable of ``cable_length_km`` [km].

    The design comparison's repeater counts are chosen on capacity alone
    (:func:`~transcaspian.optics.design.choose_repeater_counts`); on a long cable whose feed
    cannot power the most repeaters the counts it designed can leave a gap below the feed's
    limit (e.g. 88 repeaters fed, 120 not). The study then designs again up to the largest
    count the feed can power (:func:`largest_fed_count`), so that the knee is measured against
    the best design the feed allows, not the best designed one; the designs above it stay in
    the comparison, marked unfeedable.

    Parameters
    ----------
    scenario : Scenario
        Its ``optics`` (fibre, spectrum, modems, margins, design space), ``cable.fibre_pairs``,
        ``power`` (PFE rating and repeater electrical model) and margin policy are used; the
        route is not.
    cable_length_km : float
        Cable length [km], > 0.

    Returns
    -------
    LengthStudy
    """
    length = float(cable_length_km)
    pairs = int(scenario.cable.fibre_pairs)
    cfg = optics_config(scenario)
    check_channel_plan(cfg)
    result = compare_designs(cfg, cable_length_km=length, fibre_pairs=pairs)
    power = _feed(scenario, length, result.designs)
    top = largest_fed_count(scenario, length, result.designs, _feedable(result.designs, power))
    if top is not None:
        below = compare_designs(
            cfg.model_copy(update={"design_space": cfg.design_space.model_copy(
                update={"max_repeaters": top})}), cable_length_km=length, fibre_pairs=pairs)
        merged = {d.name: d for d in result.designs} | {d.name: d for d in below.designs}
        designs = tuple(sorted(merged.values(), key=lambda d: (d.repeaters > 0, d.repeaters)))
        result = replace(result, designs=designs)
        power = _feed(scenario, length, designs)
    fed = _feedable(result.designs, power)
    return LengthStudy(length, result, power, capacity_knee(result.designs, feedable=fed),
                       knee_reference(result.designs, feedable=fed))
