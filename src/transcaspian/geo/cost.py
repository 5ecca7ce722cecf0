"""Routing cost surface: cost per km of route in each grid cell.

    cost = f_depth(depth) · (1 + p_slope + Σ p_penalised + Σ p_crossing),   ∞ on land / forbidden

The depth factor expresses what a planner pays per km in each depth band (shore-end armour and
burial in the shallows, deeper lay and repair cost in the basin); slope, hazard and crossing
terms are relative surcharges. Costs are additive over the cells a path crosses.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..scenario import CostModel
from .grid import BathymetryGrid
from .hazards import HazardRaster


def slope_deg(grid: BathymetryGrid, depth_m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Seabed slope [deg] from central differences of depth over true cell sizes."""
    dx, dy = grid.cell_size_m()
    dz_dy, dz_dx = np.gradient(depth_m)
    gx = dz_dx / dx[:, None]
    gy = dz_dy / dy
    return np.degrees(np.arctan(np.hypot(gx, gy)))


def depth_factor(depth_m: npt.NDArray[np.float64], model: CostModel) -> npt.NDArray[np.float64]:
    """Cost multiplier of each cell's depth band."""
    idx = np.searchsorted(np.asarray(model.depth_band_limits_m), depth_m, side="left")
    return np.asarray(model.depth_band_factors, dtype=float)[idx]


def cost_surface(
    grid: BathymetryGrid,
    depth_m: npt.NDArray[np.float64],
    hazards: HazardRaster,
    model: CostModel,
) -> npt.NDArray[np.float64]:
    """Cost per km in each cell; ``inf`` where the cable may not go (land, forbidden, no data)."""
    water = depth_m > 0
    slope = slope_deg(grid, np.where(water, depth_m, 0.0))
    p_slope = model.slope_penalty_per_deg * np.clip(slope - model.slope_threshold_deg, 0, None)
    cost = depth_factor(depth_m, model) * (1.0 + p_slope + hazards.penalty + hazards.crossing)
    cost[~water | hazards.forbidden | ~np.isfinite(depth_m)] = np.inf
    return cost
