"""The route stage: scenario → routed cable, RPL, totals, crossings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .._budget import grid_route_bytes, require_memory
from ..errors import RouteError
from ..scenario import RouteOptions, Scenario
from .grid import BathymetryGrid, bundled_grid, read_grid, sea_body, sea_depth_m
from .hazards import Hazard, HazardRaster, bundled_hazards, read_hazards
from .route import RoutedPath, great_circle_km, hazard_raster, route_path
from .rpl import Rpl, build_rpl

#: margin around the landings when a user's (large) grid is read [deg]
READ_MARGIN_DEG = 2.5


def _r3(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass(frozen=True)
class LevelCase:
    """The route re-computed at another Caspian level (shore-end sensitivity)."""

    caspian_level_m: float
    route_length_km: float | None
    cable_length_km: float | None
    landing_approach_km: tuple[float, float] | None
    shallow_cable_km: dict[str, float] | None  # cable km per type
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "caspian_level_m": self.caspian_level_m,
            "route_length_km": None
            if self.route_length_km is None
            else round(self.route_length_km, 3),
            "cable_length_km": None
            if self.cable_length_km is None
            else round(self.cable_length_km, 3),
            "landing_approach_km": None
            if self.landing_approach_km is None
            else [round(v, 3) for v in self.landing_approach_km],
            "cable_type_lengths_km": None
            if self.shallow_cable_km is None
            else {k: round(v, 3) for k, v in self.shallow_cable_km.items()},
            "error": self.error,
        }


@dataclass(frozen=True)
class RouteResult:
    """Everything the route stage produces."""

    landing_names: tuple[str, str]
    path: RoutedPath
    rpl: Rpl
    great_circle_km: float
    caspian_level_m: float
    grid: BathymetryGrid = field(repr=False)
    hazards: tuple[Hazard, ...] = field(repr=False)
    level_cases: tuple[LevelCase, ...] = ()
    min_crossing_angle_deg: float = 60.0
    sea_point_deg: tuple[float, float] | None = None

    def sea_depth_m(self) -> npt.NDArray[np.float64]:
        """Water depth of the sea body on the grid at the route's level [m]; dry depressions
        and other basins not connected to the sea are 0 (land)."""
        raw = self.grid.water_depth_m(self.caspian_level_m)
        return sea_depth_m(raw, sea_body(self.grid, raw, self.sea_point_deg))

    @property
    def route_length_km(self) -> float:
        return self.rpl.route_length_km

    @property
    def cable_length_km(self) -> float:
        return self.rpl.cable_length_km

    @property
    def max_depth_m(self) -> float:
        return float(np.max(self.rpl.depth_m))

    @property
    def warnings(self) -> list[str]:
        """Findings a route engineer must look at (repaired hazard geometry, dry depressions
        by a landing, flat crossings)."""
        return [h.repair_note for h in self.hazards if h.repair_note] + list(
            self.path.landing_notes) + [
            f"crossing of {c.name} at KP {c.kp_km:.1f} at {c.angle_deg:.0f}° "
            f"(flatter than route.cost.min_crossing_angle_deg = {self.min_crossing_angle_deg:g}°)"
            for c in self.path.crossings
            if c.angle_deg < self.min_crossing_angle_deg
        ]

    @property
    def coordinates(self) -> list[list[float]]:
        """Route vertices as [lon, lat] pairs (GeoJSON order)."""
        return [
            [round(float(x), 6), round(float(y), 6)]
            for x, y in zip(self.path.lon_deg, self.path.lat_deg, strict=True)
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the RPL itself goes to ``rpl.csv``)."""
        return {
            "landings": list(self.landing_names),
            "route_length_km": round(self.route_length_km, 3),
            "cable_length_km": round(self.cable_length_km, 3),
            "great_circle_km": round(self.great_circle_km, 3),
            "route_factor": round(self.route_length_km / self.great_circle_km, 4),
            "max_depth_m": round(self.max_depth_m, 1),
            "caspian_level_m": self.caspian_level_m,
            "coordinates": self.coordinates,
            "alter_course_points": len(self.coordinates) - 2,
            "landing_approach_km": [round(v, 3) for v in self.path.approach_km],
            "cable_type_lengths_km": {
                k: round(v["cable_km"], 3) for k, v in self.rpl.type_lengths_km().items()
            },
            "cable_type_route_lengths_km": {
                k: round(v["route_km"], 3) for k, v in self.rpl.type_lengths_km().items()
            },
            "crossings": [c.to_dict() for c in self.path.crossings],
            "warnings": self.warnings,
            "penalised_zones_entered": list(self.path.penalised_zones),
            "rpl_rows": int(self.rpl.kp_km.size),
            "bathymetry": self.grid.source,
            "hazard_layers": sorted({h.layer for h in self.hazards}),
            "sea_level_sensitivity": [c.to_dict() for c in self.level_cases],
        }


def load_route_inputs(scenario: Scenario) -> tuple[BathymetryGrid, tuple[Hazard, ...]]:
    """Read the bathymetry grid and hazard layers a scenario names (I/O only)."""
    opts = scenario.route
    if opts.bathymetry is None:
        grid = bundled_grid()
    else:
        a, b = scenario.landings.a, scenario.landings.b
        bbox = (
            min(a.lon_deg, b.lon_deg) - READ_MARGIN_DEG,
            min(a.lat_deg, b.lat_deg) - READ_MARGIN_DEG,
            max(a.lon_deg, b.lon_deg) + READ_MARGIN_DEG,
            max(a.lat_deg, b.lat_deg) + READ_MARGIN_DEG,
        )
        grid = read_grid(opts.bathymetry, bbox)
    hazards: tuple[Hazard, ...] = bundled_hazards() if opts.hazards.use_bundled else ()
    for path in opts.hazards.files:
        hazards = hazards + read_hazards(path, invalid=opts.hazards.invalid_geometry)
    return grid, hazards


def compute_route(
    scenario: Scenario, grid: BathymetryGrid, hazards: tuple[Hazard, ...]
) -> RouteResult:
    """The route stage on given inputs (pure: no I/O)."""
    a, b = scenario.landings.a, scenario.landings.b
    opts = scenario.route
    ny, nx = grid.shape
    require_memory(
        grid_route_bytes(ny, nx),
        f"routing on the {ny} x {nx} bathymetry grid ({grid.source})",
        error=RouteError,
        hint="use a coarser grid or cut a window with `transcaspian data extract-bathymetry`",
    )
    raster = hazard_raster(grid, hazards, opts)
    path, rpl = _route_and_rpl(scenario, grid, hazards, opts, raster)
    cases = []
    for level in opts.sea_level_sensitivity_m:
        other = opts.model_copy(update={"caspian_level_m": level})
        try:
            p2, r2 = _route_and_rpl(scenario, grid, hazards, other, raster)
        except RouteError as exc:
            cases.append(LevelCase(level, None, None, None, None, str(exc)))
            continue
        cases.append(
            LevelCase(
                level,
                r2.route_length_km,
                r2.cable_length_km,
                p2.approach_km,
                {k: v["cable_km"] for k, v in r2.type_lengths_km().items()},
            )
        )
    return RouteResult(
        landing_names=(a.name, b.name),
        path=path,
        rpl=rpl,
        great_circle_km=great_circle_km(a, b),
        caspian_level_m=opts.caspian_level_m,
        grid=grid,
        hazards=hazards,
        level_cases=tuple(cases),
        min_crossing_angle_deg=opts.cost.min_crossing_angle_deg,
        sea_point_deg=opts.sea_point_deg,
    )


def _route_and_rpl(
    scenario: Scenario,
    grid: BathymetryGrid,
    hazards: tuple[Hazard, ...],
    opts: RouteOptions,
    raster: HazardRaster,
) -> tuple[RoutedPath, Rpl]:
    a, b = scenario.landings.a, scenario.landings.b
    path = route_path(grid, hazards, a, b, opts, raster)
    raw = grid.water_depth_m(opts.caspian_level_m)
    rpl = build_rpl(
        path.lon_deg,
        path.lat_deg,
        grid,
        opts.caspian_level_m,
        scenario.cable.armour_bands,
        path.crossings,
        max_step_km=opts.rpl_max_step_km,
        end_names=(a.name, b.name),
        depth_grid_m=sea_depth_m(raw, sea_body(grid, raw, opts.sea_point_deg)),
    )
    return path, rpl


def run_route(scenario: Scenario) -> RouteResult:
    """Read the scenario's grid and hazards, then route the cable."""
    grid, hazards = load_route_inputs(scenario)
    return compute_route(scenario, grid, hazards)
