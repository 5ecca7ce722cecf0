"""Dry plant (SLTE, PFE, Raman and ROPA pumps in the stations) and wet plant (repeaters, ROPA).

Wet plant fails into a ship repair (same repair model as a cable fault, at the unit's depth);
dry plant is repaired in hours. A dry item with ``redundancy`` r parallel units is down when all
are: U = U₀^r with U₀ = λ·MTTR/(1 + λ·MTTR) per unit (independent units; Trischitta, SubOptic
2004 tutorial: A = MTBF/(MTBF + MTTR)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .config import PlantItem

HOURS_PER_YEAR = 8766.0
FIT_PER_HOUR = 1e-9


@dataclass(frozen=True)
class DesignPlant:
    """What the line has: from the optics stage's chosen design."""

    name: str
    amplification: str  # booster, booster_raman, booster_raman_ropa, edfa_repeaters
    repeaters: int
    fibre_pairs: int
    repeater_kp_km: tuple[float, ...] = ()  # cable KP of each repeater
    ropa_kp_km: tuple[float, ...] = ()  # cable KP of each ROPA

    def has(self, applies_to: str) -> bool:
        if applies_to == "all":
            return True
        if applies_to == "repeatered":
            return self.repeaters > 0
        if applies_to == "raman":
            return "raman" in self.amplification
        return "ropa" in self.amplification


def _count(item: PlantItem, plant: DesignPlant) -> int:
    if not plant.has(item.applies_to):
        return 0
    fp = plant.fibre_pairs
    return {
        "repeater_fibre_pair": plant.repeaters * fp,
        "ropa_fibre_pair": len(plant.ropa_kp_km) * fp,
        "end_fibre_pair": 2 * fp,
        "end": 2,
    }[item.count_per]


@dataclass(frozen=True)
class PlantReliability:
    """Wet plant as fault zones, dry plant as a service unavailability."""

    wet_rate_per_year: np.ndarray  # per wet position
    wet_kp_km: np.ndarray
    wet_items: tuple[str, ...]
    dry_unavailability_per_fibre_pair: float
    rows: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "wet_failures_per_year": float(self.wet_rate_per_year.sum()),
            "dry_unavailability_per_fibre_pair": self.dry_unavailability_per_fibre_pair,
            "items": list(self.rows),
        }


def plant_reliability(items: Sequence[PlantItem], plant: DesignPlant) -> PlantReliability:
    """Failure rates of every plant item the design has.

    Returns the wet plant as one zone per position (rate [1/yr] at a cable KP) and the dry
    plant's unavailability for one fibre pair (a wavelength service rides one pair: its SLTE
    and pumps at both ends, and the PFE that powers every pair).
    """
    wet_rate: list[float] = []
    wet_kp: list[float] = []
    wet_item: list[str] = []
    rows: list[dict[str, Any]] = []
    avail_pair = 1.0
    for it in items:
        n = _count(it, plant)
        if n == 0:
            continue
        lam = it.fit * FIT_PER_HOUR * HOURS_PER_YEAR  # per unit [1/yr]
        row: dict[str, Any] = {"item": it.item, "plant": it.plant, "units": n,
                               "failures_per_year": lam * n, "fit_per_unit": it.fit,
                               "source": it.source}
        if it.plant == "wet":
            rep = it.count_per == "repeater_fibre_pair"
            kps = plant.repeater_kp_km if rep else plant.ropa_kp_km
            for kp in kps:
                wet_rate.append(lam * plant.fibre_pairs)
                wet_kp.append(kp)
                wet_item.append(it.item)
        else:
            mttr = float(it.repair_hours or 0.0)
            x = lam / HOURS_PER_YEAR * mttr
            u_unit = x / (1.0 + x)
            u_item = u_unit ** it.redundancy
            per_pair = 2 if it.count_per in ("end_fibre_pair", "end") else 0
            avail_pair *= (1.0 - u_item) ** per_pair
            row.update({"repair_hours": mttr, "redundancy": it.redundancy,
                        "unavailability_per_unit_group": u_item})
        rows.append(row)
    return PlantReliability(
        wet_rate_per_year=np.asarray(wet_rate, float),
        wet_kp_km=np.asarray(wet_kp, float),
        wet_items=tuple(wet_item),
        dry_unavailability_per_fibre_pair=1.0 - avail_pair,
        rows=tuple(rows),
    )
