"""The power stage: the feed voltage of every repeatered design of the optics stage.

``run_power(scenario, route, repeaters_by_design, output_power_dbm_by_design)`` takes the
repeater count and amplifier output of each design (``plan()`` reads them off the optics result)
so that this package depends on neither optics nor economics. Each repeater's drop comes from
its electrical power (:mod:`.repeater`: pump power from the output, times the fibre pairs) unless
``power.repeater_voltage_drop_v`` fixes it. The result also carries the power-limited design of
the cable (:mod:`.tradeoff`).

:func:`feed_for_length` does the same for a cable length without a route (one main cable type):
``transcaspian power --cable-length-km`` and ``optics --cable-length-km``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .config import PowerConfig
from .feeding import FeedBudget, feed_budget, voltage_profile
from .repeater import amplifier_pump_power_w, repeater_power_w
from .tradeoff import PowerTrade, power_limited_design

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
    fibre_pairs: int = 0
    output_power_dbm: float | None = None
    pump_power_w_per_amplifier: float | None = None
    repeater_power_w: float = 0.0
    repeater_drop_v: float = 0.0
    drop_source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "design": self.design,
            "repeaters": self.repeaters,
            "fibre_pairs": self.fibre_pairs,
            "output_power_dbm": self.output_power_dbm,
            "pump_power_w_per_amplifier": self.pump_power_w_per_amplifier,
            "repeater_power_w": self.repeater_power_w,
            "drop_per_repeater_v": self.repeater_drop_v,
            "repeater_drop_source": self.drop_source,
            **self.budget.to_dict(),
            "feeding": self.feeding,
            "pfe_v_per_end": self.pfe_v_per_end,
            "margin_v": self.margin_v,
            "feasible": self.feasible,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class PowerResult:
    """Feeding of every repeatered design, by design name, and the power-limited design."""

    pfe_rating_v: float
    margin_fraction: float
    feeds: tuple[PowerFeed, ...]
    trade: PowerTrade | None = None

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
            "power_limited_design": None if self.trade is None else self.trade.to_dict(),
        }


def repeater_drop(cfg: PowerConfig, output_power_dbm: float | None,
                  fibre_pairs: int) -> tuple[float, float, float | None, float, str]:
    """One repeater's drop [V], power [W], pump per amplifier [W], output [dBm] and source."""
    out = cfg.repeater.output_power_dbm if output_power_dbm is None else float(output_power_dbm)
    pump = float(amplifier_pump_power_w(out, cfg.repeater))
    p_el = float(repeater_power_w(out, fibre_pairs, cfg.repeater))
    if cfg.repeater_voltage_drop_v is not None:
        v = float(cfg.repeater_voltage_drop_v)
        return v, v * cfg.line_current_a, pump, out, "fixed (power.repeater_voltage_drop_v)"
    src = ("model: optics output" if output_power_dbm is not None
           else "model: power.repeater.output_power_dbm")
    return p_el / cfg.line_current_a, p_el, pump, out, src


def _feed(cfg: PowerConfig, name: str, n: int, type_km: Mapping[str, float],
          cable_kp: np.ndarray, section_ohm: np.ndarray, fibre_pairs: int,
          output_power_dbm: float | None) -> PowerFeed:
    length = float(cable_kp[-1])
    v_rep, p_rep, pump, out, src = repeater_drop(cfg, output_power_dbm, fibre_pairs)
    budget = feed_budget(type_km, cfg.conductor_resistance_ohm_per_km, cfg.line_current_a,
                         [v_rep] * n, cfg.earth_potential_v_per_km)
    usable = cfg.usable_v_per_end
    if cfg.feeding == "single_end" or (cfg.feeding == "auto" and budget.total_v <= usable):
        mode, per_end = "single_end", budget.total_v
    else:
        mode, per_end = "double_end", budget.per_end_double_v
    ok = per_end <= usable
    rating = (f"{usable / 1e3:.2f} kV ({cfg.pfe_rating_v / 1e3:g} kV rating less "
              f"{cfg.margin_fraction:.0%} margin)")
    reason = (f"{mode.replace('_', '-')} feed {per_end / 1e3:.2f} kV per end within {rating}; "
              f"{n} repeaters x {v_rep:.1f} V ({p_rep:.1f} W)") if ok else (
              f"cannot be fed: {mode.replace('_', '-')} needs {per_end / 1e3:.2f} kV per end, "
              f"more than {rating}; {n} repeaters x {v_rep:.1f} V ({p_rep:.1f} W)")
    reps = [length * (i + 1) / (n + 1) for i in range(n)]
    kp, volts = voltage_profile(cable_kp, section_ohm, cfg.line_current_a, reps, v_rep, per_end)
    return PowerFeed(name, n, budget, mode, per_end, usable - per_end, ok, reason, kp, volts,
                     fibre_pairs=int(fibre_pairs), output_power_dbm=out,
                     pump_power_w_per_amplifier=pump, repeater_power_w=p_rep,
                     repeater_drop_v=v_rep, drop_source=src)


def _output(by_design: Mapping[str, float] | None, name: str) -> float | None:
    if by_design is None or name not in by_design:
        return None
    v = float(by_design[name])
    return v if math.isfinite(v) else None


def run_power(scenario: Scenario, route: RouteResult,
              repeaters_by_design: Mapping[str, int],
              output_power_dbm_by_design: Mapping[str, float] | None = None) -> PowerResult:
    """Feed voltage and feasibility of every design with repeaters (others need no feeding).

    Parameters
    ----------
    scenario : Scenario
        Reads ``power`` and ``cable.fibre_pairs``.
    route : RouteResult
        The RPL's cable-type tally sets the conductor resistance.
    repeaters_by_design : mapping
        Repeater count of each optical design.
    output_power_dbm_by_design : mapping, optional
        Total output of each design's amplifiers [dBm]; a design not in it takes
        ``power.repeater.output_power_dbm``.
    """
    cfg: PowerConfig = scenario.power
    pairs = int(scenario.cable.fibre_pairs)
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
        _feed(cfg, name, int(n), type_km, cable_kp, section_ohm, pairs,
              _output(output_power_dbm_by_design, name))
        for name, n in repeaters_by_design.items() if n > 0
    )
    length = float(cable_kp[-1])
    ohm = float(sum(r[t] * km for t, km in type_km.items())) / max(length, 1e-9)
    trade = power_limited_design(cfg, length, ohm) if length > 0 else None
    return PowerResult(cfg.pfe_rating_v, cfg.margin_fraction, feeds, trade)


def feed_for_length(cfg: PowerConfig, cable_length_km: float, fibre_pairs: int,
                    repeaters_by_design: Mapping[str, int],
                    output_power_dbm_by_design: Mapping[str, float] | None = None,
                    with_trade: bool = True) -> PowerResult:
    """:func:`run_power` for a cable length without a route: all of it the main cable type.

    Parameters
    ----------
    cfg : PowerConfig
    cable_length_km : float
        Cable length [km].
    fibre_pairs : int
    repeaters_by_design, output_power_dbm_by_design : mapping
        As in :func:`run_power`.
    with_trade : bool
        Also compute the power-limited design.
    """
    kind = cfg.main_cable_type
    kp = np.array([0.0, float(cable_length_km)])
    ohm = np.array([cfg.conductor_resistance_ohm_per_km[kind]])
    feeds = tuple(
        _feed(cfg, name, int(n), {kind: float(cable_length_km)}, kp, ohm, int(fibre_pairs),
              _output(output_power_dbm_by_design, name))
        for name, n in repeaters_by_design.items() if n > 0
    )
    trade = power_limited_design(cfg, float(cable_length_km)) if with_trade else None
    return PowerResult(cfg.pfe_rating_v, cfg.margin_fraction, feeds, trade)


def reference_repeaters(cable_length_km: float, span_km: float) -> int:
    """Repeaters of a line of ``span_km`` spans: ceil(L / span) − 1 (none if one span)."""
    return max(math.ceil(cable_length_km / span_km - 1e-9) - 1, 0)
