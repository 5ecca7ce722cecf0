"""The default Trans-Caspian route against published figures and an independent geodesic.

References
----------
- Planned length 380 km, Sumgayit - Aktau (construction agreement of 4 Mar 2025, subtelforum;
  trend.az 2025-08-06); earlier 370 km (trend.az 2024-06-20) and 380-400 km (2019).
- T. Vincenty, "Direct and inverse solutions of geodesics on the ellipsoid with application of
  nested equations", Survey Review 23(176), 88-93 (1975): implemented here independently of
  pyproj/GeographicLib to check the great-circle (geodesic) length on WGS84.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import LineString

from transcaspian.geo.stage import RouteResult, run_route
from transcaspian.scenario import default_scenario


def vincenty_inverse_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Vincenty (1975) inverse formula on WGS84 [km]."""
    a, f = 6378137.0, 1 / 298.257223563
    b = (1 - f) * a
    L = math.radians(lon2 - lon1)
    U1 = math.atan((1 - f) * math.tan(math.radians(lat1)))
    U2 = math.atan((1 - f) * math.tan(math.radians(lat2)))
    sinU1, cosU1, sinU2, cosU2 = math.sin(U1), math.cos(U1), math.sin(U2), math.cos(U2)
    lam = L
    for _ in range(200):
        sl, cl = math.sin(lam), math.cos(lam)
        sin_s = math.hypot(cosU2 * sl, cosU1 * sinU2 - sinU1 * cosU2 * cl)
        cos_s = sinU1 * sinU2 + cosU1 * cosU2 * cl
        sigma = math.atan2(sin_s, cos_s)
        sin_a = cosU1 * cosU2 * sl / sin_s
        cos2a = 1 - sin_a**2
        cos2sm = cos_s - 2 * sinU1 * sinU2 / cos2a
        C = f / 16 * cos2a * (4 + f * (4 - 3 * cos2a))
        lam_prev = lam
        lam = L + (1 - C) * f * sin_a * (
            sigma + C * sin_s * (cos2sm + C * cos_s * (-1 + 2 * cos2sm**2))
        )
        if abs(lam - lam_prev) < 1e-13:
            break
    u2 = cos2a * (a * a - b * b) / (b * b)
    A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
    B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
    ds = (
        B
        * sin_s
        * (
            cos2sm
            + B
            / 4
            * (
                cos_s * (-1 + 2 * cos2sm**2)
                - B / 6 * cos2sm * (-3 + 4 * sin_s**2) * (-3 + 4 * cos2sm**2)
            )
        )
    )
    return b * A * (sigma - ds) / 1e3


@pytest.fixture(scope="module")
def route() -> RouteResult:
    return run_route(default_scenario())


def test_great_circle_matches_vincenty(route: RouteResult) -> None:
    sc = default_scenario()
    a, b = sc.landings.a, sc.landings.b
    ref = vincenty_inverse_km(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg)
    assert route.great_circle_km == pytest.approx(ref, abs=1e-6)  # 1 mm
    # the reference note's spherical haversine (R = 6371 km) gives 361.5 km: within 0.3 %
    assert route.great_circle_km == pytest.approx(361.5, rel=3e-3)


def test_length_in_published_range(route: RouteResult) -> None:
    assert route.route_length_km >= route.great_circle_km
    assert 370.0 <= route.cable_length_km <= 400.0


def test_every_point_at_sea_and_outside_forbidden_zones(route: RouteResult) -> None:
    grid = route.grid
    depth = grid.water_depth_m(route.caspian_level_m)
    rows, cols = grid.cell_index(route.path.lon_deg[1:-1], route.path.lat_deg[1:-1])
    assert np.all(depth[rows, cols] > 0)
    # RPL rows off the landing approaches are in water at the grid's resolution
    rpl = route.rpl
    at_sea = (rpl.kp_km > route.path.approach_km[0]) & (
        rpl.kp_km < rpl.kp_km[-1] - route.path.approach_km[1]
    )
    assert np.all(rpl.depth_m[at_sea] > 0)
    line = LineString(np.column_stack([route.path.lon_deg, route.path.lat_deg]))
    forbidden = [h for h in route.hazards if h.action == "forbid"]
    assert forbidden, "the bundled layer has forbidden zones"
    assert not any(line.intersects(h.zone) for h in forbidden)


def test_rpl_is_complete(route: RouteResult) -> None:
    rpl = route.rpl
    assert np.diff(rpl.kp_km).max() <= 1.0 + 1e-9
    assert rpl.kp_km[-1] == pytest.approx(route.route_length_km)
    # depth: the Middle Caspian (Derbent) basin is several hundred metres deep on this line
    assert 400.0 < route.max_depth_m < 800.0
