"""Only water connected to the sea counts as sea: dry depressions below the Caspian level are
land (issue: the Karagiye depression inland of Aktau, floor -132 m, was routed into)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from transcaspian.errors import RouteError
from transcaspian.geo.grid import BathymetryGrid, sea_body
from transcaspian.geo.route import route_path
from transcaspian.geo.stage import run_route
from transcaspian.scenario import LandingStation, RouteOptions, default_scenario

LEVEL = -29.0


def _sea_and_depression() -> BathymetryGrid:
    """A sea in the west half; east of a land strip, a dry depression whose one corner cell
    touches a sea cell diagonally (as Karagiye does on the bundled 0.1° grid)."""
    lon = np.round(np.arange(50.0, 51.0001, 0.05), 6)
    lat = np.round(np.arange(40.0, 41.0001, 0.05), 6)
    elev = np.full((lat.size, lon.size), 20.0, np.float32)
    elev[1:-1, 1:10] = -300.0  # the sea: columns 1..9
    elev[8:13, 11:16] = -150.0  # the depression: rows 8..12, columns 11..15, 121 m below
    elev[7, 10] = -300.0  # a sea cell touching the depression's corner (8, 11) diagonally
    elev[8, 10] = elev[7, 11] = 20.0
    return BathymetryGrid(lon, lat, elev, "sea+depression")


def test_depression_touching_at_a_corner_is_not_sea() -> None:
    grid = _sea_and_depression()
    depth = grid.water_depth_m(LEVEL)
    body = sea_body(grid, depth)
    assert body.sea[20 // 2, 5] and body.sea[7, 10]
    assert not body.sea[10, 13] and body.detached[10, 13]
    assert body.detached.sum() == 25
    # why edge connectivity: with 8-connectivity the depression leaks into the sea
    lab8, _ = ndimage.label(depth > 0, structure=np.ones((3, 3), bool))
    assert lab8[10, 13] == lab8[10, 5]


def test_landing_by_a_depression_goes_to_the_sea_and_is_told() -> None:
    grid = _sea_and_depression()
    # 'Shore' stands on the strip between the sea and the depression; the depression's deep
    # cells are nearer than the sea's
    shore = LandingStation(name="Shore", country="KZ", lat_deg=40.5, lon_deg=50.52)
    west = LandingStation(name="West", country="AZ", lat_deg=40.5, lon_deg=50.0)
    opts = RouteOptions(caspian_level_m=LEVEL, max_landing_distance_km=30, landing_min_depth_m=5)
    p = route_path(grid, (), west, shore, opts)
    depth = grid.water_depth_m(LEVEL)
    body = sea_body(grid, depth)
    rows, cols = grid.cell_index(p.lon_deg[1:-1], p.lat_deg[1:-1])
    assert np.all(body.sea[rows, cols])  # the approach joins the sea, not the depression
    assert p.lon_deg[-2] < 50.5
    assert any("'Shore'" in n and "not connected to the sea" in n for n in p.landing_notes)


def test_landing_whose_only_water_is_a_depression_is_refused_with_the_reason() -> None:
    grid = _sea_and_depression()
    inland = LandingStation(name="Karagiye", country="KZ", lat_deg=40.5, lon_deg=50.8)
    west = LandingStation(name="West", country="AZ", lat_deg=40.5, lon_deg=50.0)
    opts = RouteOptions(caspian_level_m=LEVEL, max_landing_distance_km=8, landing_min_depth_m=5)
    with pytest.raises(RouteError, match=r"'Karagiye'.*not near water.*not connected to the sea"):
        route_path(grid, (), west, inland, opts)


def test_the_scenario_can_name_the_sea_with_a_seed_point() -> None:
    grid = _sea_and_depression()
    a = LandingStation(name="P", country="KZ", lat_deg=40.45, lon_deg=50.6)
    b = LandingStation(name="Q", country="KZ", lat_deg=40.55, lon_deg=50.8)
    opts = RouteOptions(caspian_level_m=LEVEL, max_landing_distance_km=8, landing_min_depth_m=5)
    with pytest.raises(RouteError, match="not connected to the sea"):
        route_path(grid, (), a, b, opts)
    named = opts.model_copy(update={"sea_point_deg": (50.65, 40.5)})
    p = route_path(grid, (), a, b, named)
    assert np.all(p.lon_deg > 50.5)
    on_land = opts.model_copy(update={"sea_point_deg": (50.5, 40.5)})
    with pytest.raises(RouteError, match=r"route.sea_point_deg .* is on land"):
        route_path(grid, (), a, b, on_land)


def test_sea_body_is_recomputed_at_each_level() -> None:
    """A bay behind a sill 2 m below today's level: at a level 3 m lower the bay is a
    separate basin and a landing in it is refused; at today's level it routes."""
    lon = np.round(np.arange(50.0, 51.0001, 0.05), 6)
    lat = np.round(np.arange(40.0, 41.0001, 0.05), 6)
    elev = np.full((lat.size, lon.size), 20.0, np.float32)
    elev[1:-1, 1:10] = -300.0
    elev[1:-1, 11:-1] = -100.0  # the bay
    elev[10, 10] = LEVEL - 2.0  # the sill, one cell wide
    grid = BathymetryGrid(lon, lat, elev, "sill")
    west = LandingStation(name="West", country="AZ", lat_deg=40.5, lon_deg=50.0)
    bay = LandingStation(name="Bay", country="KZ", lat_deg=40.5, lon_deg=51.0)
    today = RouteOptions(caspian_level_m=LEVEL, max_landing_distance_km=10, landing_min_depth_m=1)
    p = route_path(grid, (), west, bay, today)
    assert np.isfinite(p.lon_deg).all()
    lower = today.model_copy(update={"caspian_level_m": LEVEL - 3.0})
    with pytest.raises(RouteError, match="'Bay'.*not connected to the sea"):
        route_path(grid, (), west, bay, lower)


def _kuryk_scenario():  # type: ignore[no-untyped-def]
    sc = default_scenario()
    # Kuryk 43°12'N 51°39'E (the bundled hazard layer's source for the Alat-Kuryk ferry)
    b = sc.landings.b.model_copy(update={"name": "Kuryk", "lat_deg": 43.2, "lon_deg": 51.65})
    return sc.model_copy(update={"landings": sc.landings.model_copy(update={"b": b})})


def test_kuryk_routes_at_the_forecast_levels_and_is_told_of_karagiye() -> None:
    """Before: the re-route at -32.4 and -34 m snapped Kuryk's approach into the Karagiye
    depression and said 'no water path'."""
    result = run_route(_kuryk_scenario())
    assert [c.error for c in result.level_cases] == [None, None]
    assert all(c.route_length_km is not None for c in result.level_cases)
    assert any("'Kuryk'" in w and "not connected to the sea" in w for w in result.warnings)
    # Karagiye (floor -132 m; deepest bundled cell 43.4°N 51.8°E at -134 m) is land in the
    # sea depth the map draws
    grid = result.grid
    row, col = grid.cell_index(51.8, 43.4)
    assert grid.water_depth_m(result.caspian_level_m)[row, col] > 100.0
    assert result.sea_depth_m()[row, col] == 0.0
    # and so is every cell of the route's approach to Kuryk
    body = sea_body(grid, grid.water_depth_m(result.caspian_level_m))
    r, c = grid.cell_index(result.path.lon_deg[-2], result.path.lat_deg[-2])
    assert body.sea[r, c]


def test_a_landing_in_karagiye_is_told_it_is_a_dry_depression() -> None:
    """Before: "no water path between 'Sumgayit' and 'Karagiye'" (the approach snapped into
    the depression and the search found no way out)."""
    sc = default_scenario()
    b = sc.landings.b.model_copy(update={"name": "Karagiye", "lat_deg": 43.4, "lon_deg": 51.8})
    sc = sc.model_copy(update={"landings": sc.landings.model_copy(update={"b": b})})
    with pytest.raises(RouteError) as info:
        run_route(sc)
    msg = str(info.value)
    assert "'Karagiye'" in msg and "not near water" in msg
    assert "basin not connected to the sea" in msg and "floor 105 m below the level" in msg
    assert "\n" not in msg
