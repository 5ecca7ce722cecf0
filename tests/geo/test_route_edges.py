"""Numerical edges of the route stage: a one-cell-wide strait, landings 1 km apart, and the
properties physics guarantees (a route is never shorter than the geodesic)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from transcaspian.errors import RouteError
from transcaspian.geo.grid import BathymetryGrid, sea_body
from transcaspian.geo.hazards import parse_hazards
from transcaspian.geo.route import route_path, segment_cells
from transcaspian.geo.rpl import build_rpl
from transcaspian.scenario import ArmourBand, LandingStation, RouteOptions

GEOD = Geod(ellps="WGS84")
LEVEL = -29.0
OPTS = RouteOptions(caspian_level_m=LEVEL, max_landing_distance_km=10, landing_min_depth_m=5)
BANDS = (
    ArmourBand(cable_type="DA", max_depth_m=50, burial_target_m=1.5, slack_percent=2.0),
    ArmourBand(cable_type="LW", max_depth_m=None, burial_target_m=0.0, slack_percent=5.0),
)
W = LandingStation(name="W", country="AZ", lat_deg=40.8, lon_deg=50.0)
E = LandingStation(name="E", country="KZ", lat_deg=40.8, lon_deg=51.0)


def _geodesic_km(a: LandingStation, b: LandingStation) -> float:
    return float(GEOD.inv(a.lon_deg, a.lat_deg, b.lon_deg, b.lat_deg)[2]) / 1e3


def _length_km(lon: np.ndarray, lat: np.ndarray) -> float:
    return float(GEOD.line_length(lon, lat)) / 1e3


def _strait_grid(row: int) -> BathymetryGrid:
    """Two 200 m basins joined by a strait one cell wide and three cells long (31 m deep)."""
    lon = np.round(np.arange(50.0, 51.0001, 0.05), 6)
    lat = np.round(np.arange(40.0, 41.0001, 0.05), 6)
    elev = np.full((lat.size, lon.size), 20.0, np.float32)
    elev[1:-1, 1:9] = -200.0
    elev[1:-1, 12:-1] = -200.0
    elev[row, 9:12] = -60.0
    return BathymetryGrid(lon, lat, elev, "strait")


@pytest.mark.parametrize("row", [10, 3])
def test_route_through_a_one_cell_wide_strait(row: int) -> None:
    grid = _strait_grid(row)
    p = route_path(grid, (), W, E, OPTS)
    length = _length_km(p.lon_deg, p.lat_deg)
    assert np.isfinite(length)
    assert length >= _geodesic_km(W, E)
    # the only way east is the strait: the route crosses it at its latitude
    strait_lat = grid.lat_deg[row]
    crossing = np.interp(50.5, p.lon_deg, p.lat_deg)
    assert crossing == pytest.approx(strait_lat, abs=1e-9)
    # every straight segment stays in the sea (centre line sampled 8x per cell)
    sea = sea_body(grid, grid.water_depth_m(LEVEL)).sea
    for k in range(1, p.lon_deg.size - 2):
        rows, cols, _, _ = segment_cells(
            grid, p.lon_deg[k], p.lat_deg[k], p.lon_deg[k + 1], p.lat_deg[k + 1]
        )
        assert sea[rows, cols].all()
    rpl = build_rpl(p.lon_deg, p.lat_deg, grid, LEVEL, BANDS)
    assert np.all(np.isfinite(rpl.depth_m)) and rpl.cable_length_km > rpl.route_length_km


def test_strait_that_falls_dry_is_one_clear_error() -> None:
    """At a level below the strait's sill (-60 m) the east basin is cut off."""
    lower = OPTS.model_copy(update={"caspian_level_m": -61.0})
    with pytest.raises(RouteError, match="'E'.*not connected to the sea") as info:
        route_path(_strait_grid(10), (), W, E, lower)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # both in the water, 1 km apart
        ((41.0, 50.16), (41.009, 50.16)),
        # both ashore on the rim, 1 km apart: they may share an approach cell
        ((41.0, 50.13), (41.009, 50.13)),
    ],
)
def test_landings_one_km_apart_give_a_short_finite_route(
    bowl_grid: BathymetryGrid, a: tuple[float, float], b: tuple[float, float]
) -> None:
    sa = LandingStation(name="A", country="AZ", lat_deg=a[0], lon_deg=a[1])
    sb = LandingStation(name="B", country="AZ", lat_deg=b[0], lon_deg=b[1])
    opts = OPTS.model_copy(update={"max_landing_distance_km": 20})
    p = route_path(bowl_grid, (), sa, sb, opts)
    length = _length_km(p.lon_deg, p.lat_deg)
    gc = _geodesic_km(sa, sb)
    assert gc == pytest.approx(1.0, abs=0.01)
    assert gc - 1e-9 <= length < 2 * sum(p.approach_km) + gc + 1e-9
    rpl = build_rpl(p.lon_deg, p.lat_deg, bowl_grid, LEVEL, BANDS)
    assert np.all(np.isfinite(rpl.kp_km)) and np.all(np.diff(rpl.kp_km) > 0)
    assert rpl.route_length_km == pytest.approx(length, rel=1e-9)


def test_coincident_landings_are_one_clear_error(bowl_grid: BathymetryGrid) -> None:
    """Before: a 0 km "route" whose route factor is 0/0."""
    a = LandingStation(name="A", country="AZ", lat_deg=41.0, lon_deg=50.16)
    b = LandingStation(name="B", country="AZ", lat_deg=41.00001, lon_deg=50.16)
    with pytest.raises(RouteError, match=r"'A' and 'B' are 1\.1 m apart"):
        route_path(bowl_grid, (), a, b, OPTS)


_rim = st.tuples(st.floats(0.0, 2 * np.pi), st.floats(0.55, 0.95))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ends=st.tuples(_rim, _rim),
    zone=st.tuples(st.floats(-0.3, 0.3), st.just(0.0) | st.floats(50.0, 15e3)),
)
def test_route_is_never_shorter_than_the_geodesic(
    bowl_grid: BathymetryGrid,
    ends: tuple[tuple[float, float], tuple[float, float]],
    zone: tuple[float, float],
) -> None:
    """Property: for landings anywhere in the basin and a forbidden disc of any size in its
    middle, the route (and the cable) is at least the geodesic, and everything is finite.

    (Buffers of a few metres or less are left out: ``buffer_m: 5e-324`` makes the hazard
    loader's geodesic buffer raise a raw GEOSException — a loader issue, not a routing one.)"""
    stations = [
        LandingStation(
            name=n,
            country="AZ",
            lat_deg=41.0 + 0.85 * r * np.sin(t),
            lon_deg=51.0 + 0.85 * r * np.cos(t),
        )
        for n, (t, r) in zip("AB", ends, strict=True)
    ]
    a, b = stations
    if _geodesic_km(a, b) < 1.0:
        return
    feats = []
    if zone[1] > 0:
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [51.0 + zone[0], 41.0]},
                "properties": {"name": "P", "kind": "platform", "action": "forbid"}
                | {"buffer_m": zone[1]},
            }
        )
    hz = parse_hazards({"type": "FeatureCollection", "features": feats}, source="t")
    try:
        p = route_path(bowl_grid, hz, a, b, OPTS.model_copy(update={"max_landing_distance_km": 20}))
    except RouteError as exc:  # a landing inside the disc: one line, naming the landing
        assert "\n" not in str(exc) and ("'A'" in str(exc) or "'B'" in str(exc))
        return
    length = _length_km(p.lon_deg, p.lat_deg)
    assert np.isfinite(length)
    assert length >= _geodesic_km(a, b) * (1 - 1e-9)
    rpl = build_rpl(p.lon_deg, p.lat_deg, bowl_grid, LEVEL, BANDS)
    assert rpl.cable_length_km >= rpl.route_length_km >= _geodesic_km(a, b) * (1 - 1e-9)
