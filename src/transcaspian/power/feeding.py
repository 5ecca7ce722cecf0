"""Power-feed voltage of a repeatered line (constant-current DC with sea-earth return).

The PFE must supply V = I·Σ R_k L_k + Σ V_rep + e·L (conductor IR drop over each cable type,
the repeaters' drops, and the earth-potential allowance e per km), the budget of SubCom's
PTC'19 note ("system voltage = conductor IR drop + per-repeater drop + earth-potential
allowance"). Double-end feeding splits V between a +V/2 and a -V/2 PFE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class FeedBudget:
    """The voltage budget of one line [V]."""

    current_a: float
    conductor_ohm: float
    conductor_drop_v: float
    repeater_drop_v: float
    earth_allowance_v: float

    @property
    def total_v(self) -> float:
        """PFE voltage for single-end feeding [V]."""
        return self.conductor_drop_v + self.repeater_drop_v + self.earth_allowance_v

    @property
    def per_end_double_v(self) -> float:
        """Each PFE's voltage for double-end feeding [V]."""
        return 0.5 * self.total_v

    @property
    def power_w(self) -> float:
        """Electrical power the line draws (I·V) [W]."""
        return self.current_a * self.total_v

    def to_dict(self) -> dict[str, Any]:
        return {
            "current_a": self.current_a,
            "conductor_ohm": self.conductor_ohm,
            "conductor_drop_v": self.conductor_drop_v,
            "repeater_drop_v": self.repeater_drop_v,
            "earth_allowance_v": self.earth_allowance_v,
            "single_end_v": self.total_v,
            "double_end_v_per_end": self.per_end_double_v,
            "power_w": self.power_w,
        }


def feed_budget(
    cable_km_by_type: Mapping[str, float],
    resistance_ohm_per_km: Mapping[str, float],
    current_a: float,
    repeater_drops_v: Sequence[float],
    earth_v_per_km: float,
) -> FeedBudget:
    """The PFE voltage budget of a line.

    Parameters
    ----------
    cable_km_by_type : mapping
        Cable length per cable type (the RPL tally) [km].
    resistance_ohm_per_km : mapping
        Conductor resistance per cable type [Ω/km].
    current_a : float
        Line current [A].
    repeater_drops_v : sequence of float
        Voltage drop of each repeater (and branching unit) [V].
    earth_v_per_km : float
        Earth-potential allowance [V/km].

    Returns
    -------
    FeedBudget

    Examples
    --------
    The TCFO example of the reference notes: 340 km at 1.0 Ω/km + 40 km at 1.35 Ω/km, 0.64 A,
    four 12.2 V repeaters, 0.12 V/km → ≈ 0.35 kV.

    >>> b = feed_budget({"LW": 340, "DA": 40}, {"LW": 1.0, "DA": 1.35}, 0.64, [12.2] * 4, 0.12)
    >>> round(b.total_v)
    347
    """
    ohm = float(sum(resistance_ohm_per_km[t] * km for t, km in cable_km_by_type.items()))
    length = float(sum(cable_km_by_type.values()))
    return FeedBudget(
        current_a=float(current_a),
        conductor_ohm=ohm,
        conductor_drop_v=float(current_a) * ohm,
        repeater_drop_v=float(np.sum(repeater_drops_v)),
        earth_allowance_v=earth_v_per_km * length,
    )


def voltage_profile(
    cable_kp_km: FloatArray,
    section_ohm_per_km: FloatArray,
    current_a: float,
    repeater_kp_km: Sequence[float],
    repeater_drop_v: float,
    pfe_a_v: float,
) -> tuple[FloatArray, FloatArray]:
    """Line voltage to sea earth along the cable from the A-end PFE [V].

    Parameters
    ----------
    cable_kp_km : array
        Cable KP of the RPL rows [km].
    section_ohm_per_km : array
        Resistance of each section between rows [Ω/km] (one fewer than rows).
    current_a : float
    repeater_kp_km : sequence of float
        Cable KP of each repeater [km].
    repeater_drop_v : float
    pfe_a_v : float
        Voltage the A-end PFE applies [V] (the full budget single-ended, half double-ended).

    Returns
    -------
    kp_km, volts : arrays
        The voltage falls by I·R along the cable and by a step at each repeater.
    """
    kp = np.asarray(cable_kp_km, float)
    drop = np.concatenate([[0.0], np.cumsum(np.diff(kp) * section_ohm_per_km * current_a)])
    reps = np.sort(np.asarray(repeater_kp_km, float))
    steps = np.searchsorted(reps, kp, side="right") * repeater_drop_v
    return kp, pfe_a_v - drop - steps


def line_voltage_v(
    length_km: npt.ArrayLike,
    ohm_per_km: float,
    current_a: float,
    repeaters: npt.ArrayLike,
    repeater_drop_v: npt.ArrayLike,
    earth_v_per_km: float,
) -> FloatArray:
    """Single-end PFE voltage of uniform lines, vectorised over every argument [V].

    V = I·R·L + N_rep·V_rep + e·L, the budget of :func:`feed_budget` (SubCom PTC'19: conductor
    IR drop + per-repeater drop + earth-potential allowance) for one cable type.

    Parameters
    ----------
    length_km : array_like
        Cable length [km].
    ohm_per_km : float
        Conductor resistance [Ω/km].
    current_a : float
        Line current [A].
    repeaters : array_like
        Repeater count.
    repeater_drop_v : array_like
        Voltage drop of each repeater [V].
    earth_v_per_km : float
        Earth-potential allowance [V/km].
    """
    length = np.asarray(length_km, float)
    return np.asarray(current_a * ohm_per_km * length
                      + np.asarray(repeaters, float) * np.asarray(repeater_drop_v, float)
                      + earth_v_per_km * length, float)


def per_end_voltage_v(total_v: npt.ArrayLike, mode: str) -> FloatArray:
    """Each PFE's voltage for a line needing ``total_v`` from one end [V].

    Double-end feeding puts +V/2 at one end and −V/2 at the other with a virtual earth between
    (vectree PFE tutorial; Martin & Rey, SubTel Forum 2020), so each end supplies half; the
    earth-potential allowance is already in ``total_v``.
    """
    t = np.asarray(total_v, float)
    if mode == "single_end":
        return t
    if mode == "double_end":
        return 0.5 * t
    raise ValueError(f"feeding mode {mode!r}: single_end or double_end")
