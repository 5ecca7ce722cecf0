"""Least-cost routing on synthetic basins with hand-checkable answers."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import LineString

from transcaspian.errors import RouteError
from transcaspian.geo.grid import BathymetryGrid
from transcaspian.geo.hazards import parse_hazards
from transcaspian.geo.route import route_path
from transcaspian.geo.rpl import build_rpl
from transcaspian.scenario import ArmourBand, LandingStation, RouteOptions

GEOD = Geod(ellps="WGS84")
A = LandingStation(name="West", country="AZ", lat_deg=41.0, lon_deg=50.16)
B = LandingStation(name="East", country="KZ", lat_deg=41.0, lon_deg=51.84)
OPTS = RouteOptions(caspian_level_m=-29.0, max_landing_distance_km=20, landing_min_depth_m=5)


def _fc(*feats: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(feats)}


def _zone(
    lon: float,
    lat: float,
    radius_m: float,
    action: str = "forbid",
    kind: str = "platform",
    name: str = "P",
) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"name": name, "kind": kind, "action": action, "buffer_m": radius_m},
    }


def test_open_water_route_is_the_geodesic(bowl_grid: BathymetryGrid) -> None:
    p = route_path(bowl_grid, (), A, B, OPTS)
    length = GEOD.line_length(p.lon_deg, p.lat_deg) / 1e3
    _, _, gc = GEOD.inv(A.lon_deg, A.lat_deg, B.lon_deg, B.lat_deg)
    # symmetric basin, landings on its axis: the straight line is optimal
    assert length == pytest.approx(gc / 1e3, rel=2e-3)
    assert len(p.lon_deg) <= 5


def test_route_avoids_forbidden_zone_and_stays_in_water(bowl_grid: BathymetryGrid) -> None:
    hz = parse_hazards(_fc(_zone(51.0, 41.0, 15000.0)), source="t")
    p = route_path(bowl_grid, hz, A, B, OPTS)
    line = LineString(np.column_stack([p.lon_deg, p.lat_deg]))
    assert not line.intersects(hz[0].zone)
    length = GEOD.line_length(p.lon_deg, p.lat_deg) / 1e3
    _, _, gc = GEOD.inv(A.lon_deg, A.lat_deg, B.lon_deg, B.lat_deg)
    assert length > gc / 1e3 + 1.0  # the detour costs length
    # every vertex except the landings lies in water at the grid's resolution
    depth = bowl_grid.water_depth_m(OPTS.caspian_level_m)
    rows, cols = bowl_grid.cell_index(p.lon_deg[1:-1], p.lat_deg[1:-1])
    assert np.all(depth[rows, cols] > 0)


def test_crossing_is_found_with_its_angle(bowl_grid: BathymetryGrid) -> None:
    pipe = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[51.2, 40.4], [51.2, 41.6]]},
        "properties": {"name": "Pipe", "kind": "pipeline", "action": "cross", "buffer_m": 200},
    }
    hz = parse_hazards(_fc(pipe), source="t")
    p = route_path(bowl_grid, hz, A, B, OPTS)
    assert len(p.crossings) == 1
    c = p.crossings[0]
    assert c.lon_deg == pytest.approx(51.2, abs=1e-6)
    assert c.angle_deg == pytest.approx(90.0, abs=3.0)  # N-S pipe, E-W route
    _, _, d = GEOD.inv(A.lon_deg, A.lat_deg, c.lon_deg, c.lat_deg)
    assert c.kp_km == pytest.approx(d / 1e3, rel=2e-3)


def test_landing_far_from_water_is_refused(bowl_grid: BathymetryGrid) -> None:
    inland = LandingStation(name="Inland", country="AZ", lat_deg=40.05, lon_deg=50.05)
    with pytest.raises(RouteError, match="'Inland'.*not near water"):
        route_path(bowl_grid, (), inland, B, OPTS)
    outside = LandingStation(name="Far", country="AZ", lat_deg=30.0, lon_deg=50.5)
    with pytest.raises(RouteError, match="outside the bathymetry grid"):
        route_path(bowl_grid, (), outside, B, OPTS)


def test_no_water_path_between_two_lakes(bowl_grid: BathymetryGrid) -> None:
    elev = bowl_grid.elevation_m.copy()
    mid = np.argmin(np.abs(bowl_grid.lon_deg - 51.0))
    elev[:, mid - 1 : mid + 2] = 50.0  # an isthmus splits the basin
    grid = BathymetryGrid(bowl_grid.lon_deg, bowl_grid.lat_deg, elev, "split")
    # the two lakes are separate water bodies: one of them is the sea, the other counts as
    # land, so the landing on it is refused and told why
    with pytest.raises(RouteError, match="not near water.*basin not connected to the sea"):
        route_path(grid, (), A, B, OPTS)


def test_forbidden_wall_blocks_the_route(bowl_grid: BathymetryGrid) -> None:
    wall = {
        "type": "Feature",
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[50.95, 39.9], [51.05, 39.9], [51.05, 42.1], [50.95, 42.1], [50.95, 39.9]]
            ],
        },
        "properties": {"name": "Zone", "kind": "restricted", "action": "forbid"},
    }
    with pytest.raises(RouteError, match="no water path"):
        route_path(bowl_grid, parse_hazards(_fc(wall), source="t"), A, B, OPTS)


def test_rpl_rows_spacing_types_and_cable_length(bowl_grid: BathymetryGrid) -> None:
    bands = (
        ArmourBand(cable_type="DA", max_depth_m=50, burial_target_m=1.5, slack_percent=2.0),
        ArmourBand(cable_type="SA", max_depth_m=300, burial_target_m=1.0, slack_percent=3.0),
        ArmourBand(cable_type="LW", max_depth_m=None, burial_target_m=0.0, slack_percent=5.0),
    )
    p = route_path(bowl_grid, (), A, B, OPTS)
    rpl = build_rpl(p.lon_deg, p.lat_deg, bowl_grid, -29.0, bands, max_step_km=1.0)
    steps = np.diff(rpl.kp_km)
    assert steps.max() <= 1.0 + 1e-9
    assert np.all(steps > 0)
    # cable length = Σ section length × (1 + slack) — checked against the per-type tally
    tally = rpl.type_lengths_km()
    assert sum(v["route_km"] for v in tally.values()) == pytest.approx(rpl.route_length_km)
    expected = sum(
        v["route_km"] * (1 + {"DA": 0.02, "SA": 0.03, "LW": 0.05}[t]) for t, v in tally.items()
    )
    assert rpl.cable_length_km == pytest.approx(expected, rel=1e-9)
    # the basin is 600 m deep in the middle: all three types appear, LW in the middle
    assert set(tally) == {"DA", "SA", "LW"}
    mid = rpl.kp_km.size // 2
    assert rpl.cable_type[mid] == "LW"
    assert rpl.depth_m[mid] == pytest.approx(600.0 * (1 - (0.0 / 0.85) ** 2), rel=0.02)
    assert rpl.event[0].startswith("landing") and rpl.event[-1].startswith("landing")
    csv_text = rpl.to_csv()
    assert csv_text.splitlines()[0].startswith("kp_km,lat,lon,depth_m")
    assert len(csv_text.splitlines()) == rpl.kp_km.size + 1
    assert shapely.is_valid(LineString(np.column_stack([rpl.lon_deg, rpl.lat_deg])))


def test_lower_sea_level_never_shortens_the_shallow_armour(bowl_grid: BathymetryGrid) -> None:
    """Property: on the same route, a lower surface makes every point shallower, so the
    cable km in the shallowest band (DA) can only grow."""
    bands = (
        ArmourBand(cable_type="DA", max_depth_m=100, burial_target_m=1.5, slack_percent=2.0),
        ArmourBand(cable_type="LW", max_depth_m=None, burial_target_m=0.0, slack_percent=4.0),
    )
    p = route_path(bowl_grid, (), A, B, OPTS)
    da = [
        build_rpl(p.lon_deg, p.lat_deg, bowl_grid, level, bands).type_lengths_km()["DA"]["route_km"]
        for level in (-29.0, -40.0, -60.0)
    ]
    assert da[0] < da[1] < da[2]


def test_swapping_the_landings_gives_the_same_route(bowl_grid: BathymetryGrid) -> None:
    """Property: the route must not depend on which landing is called 'a'."""
    hz = parse_hazards(_fc(_zone(51.0, 41.05, 12000.0)), source="t")
    fwd = route_path(bowl_grid, hz, A, B, OPTS)
    back = route_path(bowl_grid, hz, B, A, OPTS)
    np.testing.assert_allclose(fwd.lon_deg, back.lon_deg[::-1])
    np.testing.assert_allclose(fwd.lat_deg, back.lat_deg[::-1])


def test_route_never_threads_between_land_cells_touching_at_a_corner() -> None:
    """Two basins joined only where two water cells touch diagonally, between two land cells
    that also touch at that corner: a zero-width strait, so there is no sea route."""
    lon = np.round(np.arange(50.0, 51.001, 0.1), 6)
    lat = np.round(np.arange(40.0, 41.001, 0.1), 6)
    elev = np.full((lat.size, lon.size), 10.0, np.float32)
    elev[1:5, 1:5] = -200.0  # south-west basin, rows/cols 1..4
    elev[5:10, 5:10] = -200.0  # north-east basin, rows/cols 5..9: (4,4) and (5,5) touch
    grid = BathymetryGrid(lon, lat, elev, "corner")
    a = LandingStation(name="SW", country="AZ", lat_deg=40.2, lon_deg=50.2)
    b = LandingStation(name="NE", country="KZ", lat_deg=40.8, lon_deg=50.8)
    opts = RouteOptions(caspian_level_m=-29.0, max_landing_distance_km=5, landing_min_depth_m=5)
    # the sea body is edge-connected, so the two basins are two water bodies: the landing on
    # the one that is not the sea is refused
    with pytest.raises(RouteError, match="no water path|not connected to the sea"):
        route_path(grid, (), a, b, opts)


def test_landing_approach_does_not_cross_land_after_reaching_the_sea() -> None:
    """A landing in a shallow lagoon behind a land strip: the nearest cell deep enough lies
    across the strip, so the approach must take a deep cell on its own side instead."""
    lon = np.round(np.arange(50.0, 51.001, 0.05), 6)
    lat = np.round(np.arange(40.0, 41.001, 0.05), 6)
    x, _ = np.meshgrid(lon, lat)
    elev = np.full(x.shape, -300.0, np.float32)
    elev[(x >= 50.2) & (x < 50.45)] = -31.0  # lagoon: 1.8 m of water
    elev[(x >= 50.45) & (x <= 50.55)] = 20.0  # the land strip
    elev[:, :1] = elev[:, -1:] = elev[:1, :] = elev[-1:, :] = 20.0
    grid = BathymetryGrid(lon, lat, elev, "lagoon")
    a = LandingStation(name="Lagoon", country="AZ", lat_deg=40.5, lon_deg=50.40)
    b = LandingStation(name="West", country="AZ", lat_deg=40.3, lon_deg=50.10)
    # the strip cuts the grid in two; the western water body is this test's sea (the eastern
    # one holds more water, so it has to be named)
    opts = RouteOptions(
        caspian_level_m=-29.0,
        max_landing_distance_km=30,
        landing_min_depth_m=5,
        sea_point_deg=(50.1, 40.5),
    )
    p = route_path(grid, (), a, b, opts)
    assert p.lon_deg[1] < 50.2  # deep water on the lagoon's own side, not across the strip
    depth = grid.water_depth_m(-29.0)
    rows, cols = grid.cell_index(p.lon_deg[1:-1], p.lat_deg[1:-1])
    assert np.all(depth[rows, cols] > 0)


def test_flat_crossing_is_flagged(bowl_grid: BathymetryGrid) -> None:
    from transcaspian.geo.rpl import build_rpl as _rpl
    from transcaspian.geo.stage import RouteResult

    pipe = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[50.6, 40.9], [51.4, 41.1]]},
        "properties": {"name": "Shallow-angle pipe", "kind": "pipeline", "action": "cross"},
    }
    hz = parse_hazards(_fc(pipe), source="t")
    p = route_path(bowl_grid, hz, A, B, OPTS)
    bands = (ArmourBand(cable_type="LW", max_depth_m=None, burial_target_m=0.0, slack_percent=2.0),)
    rpl = _rpl(p.lon_deg, p.lat_deg, bowl_grid, -29.0, bands, p.crossings)
    res = RouteResult(("West", "East"), p, rpl, 140.0, -29.0, bowl_grid, hz)
    assert len(p.crossings) == 1
    assert p.crossings[0].angle_deg < 60.0
    assert res.warnings and "Shallow-angle pipe" in res.warnings[0]
