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
3. the knee among the designs that close and can be fed (:mod:`.knee`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .design import DesignResult, OpticsResult, compare_designs
from .knee import capacity_knee, knee_reference
from .stage import optics_config

if TYPE_CHECKING:  # pragma: no cover
    from ..power.stage import PowerResult
    from ..scenario import Scenario

__all__ = ["LengthStudy", "study_at_length"]


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
        fed = self.power.feasible
        return {d.name: fed.get(d.name, True) for d in self.optics.designs}


def study_at_length(scenario: Scenario, cable_length_km: float) -> LengthStudy:
    """The optics study of ``scenario`` on a cable of ``cable_length_km`` [km].

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
    from ..power.stage import feed_for_length

    length = float(cable_length_km)
    pairs = int(scenario.cable.fibre_pairs)
    result = compare_designs(optics_config(scenario), cable_length_km=length, fibre_pairs=pairs)
    power = feed_for_length(
        scenario.power, length, pairs, {d.name: d.repeaters for d in result.designs},
        {d.name: d.launch_power_dbm + 10.0 * math.log10(max(d.frequency_thz.size, 1))
         for d in result.designs}, with_trade=False)
    study = LengthStudy(length, result, power, None, None)
    fed = study.feedable
    return LengthStudy(length, result, power, capacity_knee(result.designs, feedable=fed),
                       knee_reference(result.designs, feedable=fed))
