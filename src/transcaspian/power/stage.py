"""The power stage: the feed voltage of every repeatered design of the optics stage.

``run_power(scenario, route, repeaters_by_design)`` takes the repeater count of each design
(``plan()`` reads it off the optics result) so that this package depends on neither optics nor
economics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .config import PowerConfig
from .feeding import FeedBudget, feed_budget, voltage_profile

if TYPE_CHECKING:  # pragma: no cover
    from ..geo.stage import RouteResult
    from ..scenario import Scenario


@dataclass(frozen=True)
class PowerFeed:
    """Power feeding of one repeatered design."""

    design: str
    repeaters: int
    budget: FeedBudget
    feeding: str  # single_end / double_end
    pfe_v_per_end: float
    margin_v: float
    feasible: bool
    reason: str
    kp_km: np.ndarray = field(repr=False)
    volts: np.ndarray = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "design": self.design,
            "repeaters": self.repeaters,
            **self.budget.to_dict(),
            "feeding": self.feeding,
            "pfe_v_per_end": self.pfe_v_per_end,
            "margin_v": self.margin_v,
            "feasible": self.feasible,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class PowerResult:
    """Feeding of every repeatered design, by design name."""

    pfe_rating_v: float
    margin_fraction: float
    feeds: tuple[PowerFeed, ...]

    @property
    def feasible(self) -> dict[str, bool]:
        return {f.design: f.feasible for f in self.feeds}

    @property
    def reasons(self) -> dict[str, str]:
        return {f.design: f.reason for f in self.feeds}

    def to_dict(self) -> dict[str, Any]:
        return {
            "pfe_rating_v": self.pfe_rating_v,
            "margin_fraction": self.margin_fraction,
            "designs": [f.to_dict() for f in self.feeds],
        }


def _feed(cfg: PowerConfig, name: str, n: int, type_km: Mapping[str, float],
          cable_kp: np.ndarray, section_ohm: np.ndarray) -> PowerFeed:
    length = float(cable_kp[-1])
    budget = feed_budget(type_km, cfg.conductor_resistance_ohm_per_km, cfg.line_current_a,
                         [cfg.repeater_voltage_drop_v] * n, cfg.earth_potential_v_per_km)
    usable = cfg.pfe_rating_v * (1.0 - cfg.margin_fraction)
    if cfg.feeding == "single_end" or (cfg.feeding == "auto" and budget.total_v <= usable):
        mode, per_end = "single_end", budget.total_v
    else:
        mode, per_end = "double_end", budget.per_end_double_v
    ok = per_end <= usable
    reason = (f"{mode.replace('_', '-')} feed {per_end / 1e3:.2f} kV per end within "
              f"{usable / 1e3:.2f} kV ({cfg.pfe_rating_v / 1e3:g} kV rating less "
              f"{cfg.margin_fraction:.0%} margin)") if ok else (
              f"cannot be fed: {mode.replace('_', '-')} needs {per_end / 1e3:.2f} kV per end, "
              f"more than {usable / 1e3:.2f} kV ({cfg.pfe_rating_v / 1e3:g} kV rating less "
              f"{cfg.margin_fraction:.0%} margin)")
    reps = [length * (i + 1) / (n + 1) for i in range(n)]
    kp, volts = voltage_profile(cable_kp, section_ohm, cfg.line_current_a, reps,
                                cfg.repeater_voltage_drop_v, per_end)
    return PowerFeed(name, n, budget, mode, per_end, usable - per_end, ok, reason, kp, volts)


def run_power(scenario: Scenario, route: RouteResult,
              repeaters_by_design: Mapping[str, int]) -> PowerResult:
    """Feed voltage and feasibility of every design with repeaters (others need no feeding)."""
    cfg: PowerConfig = scenario.power
    rpl = route.rpl
    type_km = {t: v["cable_km"] for t, v in rpl.type_lengths_km().items()}
    cable_kp = np.asarray(rpl.cable_kp_km, float)
    r = cfg.conductor_resistance_ohm_per_km
    missing = sorted(set(rpl.cable_type) - set(r))
    if missing:
        from ..errors import PowerError

        raise PowerError(f"power.conductor_resistance_ohm_per_km: no resistance for cable type "
                         f"{missing[0]!r}, which the route's RPL uses (have: {', '.join(r)})")
    section_ohm = np.array([r[t] for t in rpl.cable_type[:-1]], float)
    feeds = tuple(
        _feed(cfg, name, int(n), type_km, cable_kp, section_ohm)
        for name, n in repeaters_by_design.items() if n > 0
    )
    return PowerResult(cfg.pfe_rating_v, cfg.margin_fraction, feeds)
