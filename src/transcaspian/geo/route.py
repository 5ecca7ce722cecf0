"""Least-cost cable routing over a bathymetry grid, string-pulled to straight alter-courses.

Steps: (1) landing approach — from each landing station to the nearest grid cell with at least
``landing_min_depth_m`` of water; (2) the least-cost 8-connected path between the two approach
cells on the cost surface (scikit-image ``MCP_Geometric``, Dijkstra with geometric move
lengths); (3) string pulling — a greedy funnel that replaces each run of raster steps by the
longest straight segment that stays in passable water, outside every forbidden zone (exact
geometry test), and costs no more than the raster steps it replaces; (4) lengths as geodesics on
the WGS84 ellipsoid (pyproj ``Geod``, Karney 2013).

References
----------
.. [1] C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87, 43-55 (2013).
   doi:10.1007/s00190-012-0578-z
.. [2] E. W. Dijkstra, "A note on two problems in connexion with graphs", Numer. Math. 1,
   269-271 (1959).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod
from shapely.geometry import LineString

from ..errors import RouteError
from ..scenario import LandingStation, RouteOptions
from .cost import cost_surface
from .grid import BathymetryGrid, SeaBody, sea_body, sea_depth_m
from .hazards import Hazard, HazardRaster, rasterise_hazards

GEOD = Geod(ellps="WGS84")

#: A straight segment may replace raster steps if it costs at most this fraction more. The
#: sampled segment cost and the raster cost differ by discretisation (samples near cell
#: corners fall in neighbouring cells), so an exact comparison would keep collinear staircases.
COST_TOLERANCE = 0.03


@dataclass(frozen=True)
class Crossing:
    """A linear asset the route crosses."""

    name: str
    kind: str
    lon_deg: float
    lat_deg: float
    kp_km: float
    angle_deg: float  # 90 = perpendicular

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "lon": round(self.lon_deg, 6),
            "lat": round(self.lat_deg, 6),
            "kp_km": round(self.kp_km, 3),
            "angle_deg": round(self.angle_deg, 1),
        }


@dataclass(frozen=True)
class RoutedPath:
    """The routed and smoothed route (before the RPL is built)."""

    lon_deg: npt.NDArray[np.float64]  # vertices, landing a → landing b
    lat_deg: npt.NDArray[np.float64]
    raster_lon_deg: npt.NDArray[np.float64]  # the least-cost raster path (for plots, checks)
    raster_lat_deg: npt.NDArray[np.float64]
    approach_km: tuple[float, float]  # landing approach lengths at a and b
    crossings: tuple[Crossing, ...]
    penalised_zones: tuple[str, ...]  # names of penalised zones the route enters
    landing_notes: tuple[str, ...] = ()  # e.g. a dry depression next to a landing


def geodesic_length_km(lon_deg: npt.ArrayLike, lat_deg: npt.ArrayLike) -> float:
    """Length of a polyline along WGS84 geodesics [km]."""
    return float(GEOD.line_length(np.asarray(lon_deg, float), np.asarray(lat_deg, float))) / 1e3


def great_circle_km(a: LandingStation, b: LandingStation) -> float:
    """Geodesic distance between two stations on the WGS84 ellipsoid [km] (Karney 2013)."""
    _, _, dist = GEOD.inv(a.lon_deg, a.lat_deg, b.lon_deg, b.lat_deg)
    return float(dist) / 1e3


#: Closest two landings may be [km]: below this the "route" is a point (length 0, route
#: factor 0/0), not a cable.
MIN_LANDING_SEPARATION_KM = 0.01


#: Probes around each sample of a straight segment, in cell units: a segment is "at sea" only
#: if a thin band of ±0.3 cell around it is, so it can never thread between two land cells
#: that touch at a corner.
_PROBES = ((0.0, 0.0), (0.3, 0.0), (-0.3, 0.0), (0.0, 0.3), (0.0, -0.3))
_SAMPLES_PER_CELL = 8


def segment_cells(
    grid: BathymetryGrid, lon0: float, lat0: float, lon1: float, lat1: float
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Cells along a straight lon/lat segment: the centre-line cells (rows, cols) at
    ``_SAMPLES_PER_CELL`` samples per cell, and the cells under the ±0.3-cell probe band."""
    span = max(abs(lon1 - lon0) / grid.dlon_deg, abs(lat1 - lat0) / grid.dlat_deg)
    n = max(int(np.ceil(span * _SAMPLES_PER_CELL)), 2)
    t = np.linspace(0.0, 1.0, n + 1)
    lons = lon0 + (lon1 - lon0) * t
    lats = lat0 + (lat1 - lat0) * t
    rows, cols = grid.cell_index(lons, lats)
    probe_lon = lons[None, :] + np.array([p[0] for p in _PROBES])[:, None] * grid.dlon_deg
    probe_lat = lats[None, :] + np.array([p[1] for p in _PROBES])[:, None] * grid.dlat_deg
    prow, pcol = grid.cell_index(probe_lon.ravel(), probe_lat.ravel())
    return rows, cols, prow, pcol


def _sea_approach_ok(
    grid: BathymetryGrid,
    sea: npt.NDArray[np.bool_],
    lon0: float,
    lat0: float,
    lon1: float,
    lat1: float,
) -> bool:
    """True if, once the approach from a landing reaches the sea, it stays at sea."""
    rows, cols, _, _ = segment_cells(grid, lon0, lat0, lon1, lat1)
    wet = sea[rows, cols]
    if not wet.any():
        return False
    first = int(np.argmax(wet))
    return bool(wet[first:].all())


def _window(
    grid: BathymetryGrid, station: LandingStation, reach_km: float
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Rows and columns of the grid within ``reach_km`` (and a cell) of a station."""
    dlat = reach_km / 110.0 + grid.dlat_deg
    dlon = reach_km / (111.3 * max(np.cos(np.radians(station.lat_deg)), 0.05)) + grid.dlon_deg
    iy = np.flatnonzero(np.abs(grid.lat_deg - station.lat_deg) <= dlat)
    ix = np.flatnonzero(np.abs(grid.lon_deg - station.lon_deg) <= dlon)
    return iy, ix


def _distance_km(
    station: LandingStation, lon_deg: npt.NDArray[np.float64], lat_deg: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    n = lon_deg.size
    _, _, dist = GEOD.inv(
        np.full(n, station.lon_deg), np.full(n, station.lat_deg), lon_deg, lat_deg
    )
    return np.asarray(dist, float) / 1e3


def detached_basin_note(
    grid: BathymetryGrid,
    raw_depth_m: npt.NDArray[np.float64],
    body: SeaBody,
    station: LandingStation,
    options: RouteOptions,
) -> str | None:
    """A sentence about the nearest basin below the water level but not connected to the sea
    within ``route.max_landing_distance_km`` of a landing (a dry depression), or None.

    Only cells at least ``route.landing_min_depth_m`` below the level count: those are the
    ones a landing approach would have joined had the basin been taken for sea.
    """
    reach_km = options.max_landing_distance_km
    iy, ix = _window(grid, station, reach_km)
    if not (iy.size and ix.size):
        return None
    deep = body.detached & (raw_depth_m >= options.landing_min_depth_m)
    r, c = np.nonzero(deep[np.ix_(iy, ix)])
    if not r.size:
        return None
    dist = _distance_km(station, grid.lon_deg[ix[c]], grid.lat_deg[iy[r]])
    k = int(np.argmin(dist))
    if dist[k] > reach_km:
        return None
    label = body.labels[iy[r[k]], ix[c[k]]]
    member = body.labels == label
    deepest = float(np.nanmax(np.where(member, raw_depth_m, np.nan)))
    rows, cols = np.nonzero(member)
    return (
        f"'{station.name}': water below route.caspian_level_m = {options.caspian_level_m:g} m "
        f"{dist[k]:.1f} km away belongs to a basin not connected to the sea (a dry depression "
        f"or a separate lake around {grid.lat_deg[rows].mean():.2f}°N "
        f"{grid.lon_deg[cols].mean():.2f}°E, {rows.size} cell(s), floor {deepest:.0f} m below "
        "the level): it counts as land (name the sea with route.sea_point_deg if it is the sea)"
    )


def _approach_cell(
    grid: BathymetryGrid,
    depth_m: npt.NDArray[np.float64],
    cost: npt.NDArray[np.float64],
    station: LandingStation,
    options: RouteOptions,
    sea: npt.NDArray[np.bool_],
    detached_note: str | None = None,
) -> tuple[int, int, float]:
    """Nearest passable sea cell with enough water depth to a landing station (row, col, km).

    ``depth_m`` is the sea depth (detached basins already set to 0) and ``sea`` the sea body.
    """
    if not grid.contains(station.lon_deg, station.lat_deg):
        raise RouteError(
            f"landings: '{station.name}' ({station.lat_deg}, {station.lon_deg}) lies outside "
            f"the bathymetry grid {grid.source} (bbox {tuple(round(v, 3) for v in grid.bbox)})"
        )
    reach_km = options.max_landing_distance_km
    iy, ix = _window(grid, station, reach_km)
    ok = np.zeros((iy.size, ix.size), dtype=bool)
    if iy.size and ix.size:
        sub_d = depth_m[np.ix_(iy, ix)]
        sub_c = cost[np.ix_(iy, ix)]
        ok = (sub_d >= options.landing_min_depth_m) & np.isfinite(sub_c)
    r, c = np.nonzero(ok)
    if r.size:
        lats = grid.lat_deg[iy[r]]
        lons = grid.lon_deg[ix[c]]
        dist = _distance_km(station, lons, lats)
        # nearest first; skip candidates whose straight approach would cross land again
        for k in np.argsort(dist, kind="stable"):
            if dist[k] > reach_km:
                break
            if _sea_approach_ok(grid, sea, station.lon_deg, station.lat_deg, lons[k], lats[k]):
                return int(iy[r[k]]), int(ix[c[k]]), float(dist[k])
    hint = f"; {detached_note}" if detached_note else ""
    raise RouteError(
        f"landings: '{station.name}' ({station.lat_deg}, {station.lon_deg}) is not near "
        f"water: no sea cell with ≥ {options.landing_min_depth_m:g} m of water within "
        f"{reach_km:g} km (route.max_landing_distance_km) at route.caspian_level_m = "
        f"{options.caspian_level_m:g} m{hint}"
    )


def _least_cost_path(
    grid: BathymetryGrid,
    cost: npt.NDArray[np.float64],
    start: tuple[int, int],
    end: tuple[int, int],
    names: tuple[str, str],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """Cells of the least-cost path and the cumulative cost array (MCP_Geometric)."""
    from skimage.graph import MCP_Geometric

    dx, dy = grid.cell_size_m()
    # One isotropic sampling per grid: the east-west cell width at the path's mean latitude.
    # Move lengths are then exact to within cos(lat) variation over the area (~±10 % at the
    # Caspian's extremes); route lengths are measured afterwards on geodesics, not from this.
    mid = (start[0] + end[0]) // 2
    sampling = (dy / 1e3, float(dx[mid]) / 1e3)
    for fully_connected in (True, False):
        mcp = MCP_Geometric(cost, sampling=sampling, fully_connected=fully_connected)
        cum, _ = mcp.find_costs([start], [end])
        if not np.isfinite(cum[end]):
            raise RouteError(
                f"no water path between '{names[0]}' and '{names[1]}' avoiding land and "
                "forbidden zones on this grid (check the hazard layers and "
                "route.caspian_level_m)"
            )
        path = np.asarray(mcp.traceback(end), dtype=np.intp)
        if not _cuts_a_corner(path, cost):
            break
        # a diagonal step between two impassable cells that touch at a corner is a zero-width
        # strait: route again with edge-connected moves only
    return path, np.asarray(cum)


def _cuts_a_corner(path: npt.NDArray[np.intp], cost: npt.NDArray[np.float64]) -> bool:
    """True if a diagonal step of the raster path passes between two impassable cells."""
    if len(path) < 2:
        return False
    step = np.diff(path, axis=0)
    diag = np.all(step != 0, axis=1)
    if not diag.any():
        return False
    r0, c0 = path[:-1][diag, 0], path[:-1][diag, 1]
    r1, c1 = path[1:][diag, 0], path[1:][diag, 1]
    blocked = ~np.isfinite(cost[r0, c1]) & ~np.isfinite(cost[r1, c0])
    return bool(blocked.any())


class _Puller:
    """Tests whether a straight segment may replace a run of raster steps."""

    def __init__(
        self,
        grid: BathymetryGrid,
        cost: npt.NDArray[np.float64],
        raster: HazardRaster,
        cum: npt.NDArray[np.float64],
        path: npt.NDArray[np.intp],
    ) -> None:
        self.grid, self.cost, self.raster = grid, cost, raster
        self.lon = grid.lon_deg[path[:, 1]]
        self.lat = grid.lat_deg[path[:, 0]]
        self.cum = cum[path[:, 0], path[:, 1]]
        dx, dy = grid.cell_size_m()
        self.dx_km = dx / 1e3
        self.dy_km = dy / 1e3

    def segment_cost(self, i: int, j: int) -> float:
        """Cost of the straight segment from vertex i to vertex j (∞ if it leaves the sea)."""
        lon0, lat0, lon1, lat1 = self.lon[i], self.lat[i], self.lon[j], self.lat[j]
        rows, cols, prow, pcol = segment_cells(self.grid, lon0, lat0, lon1, lat1)
        if not np.all(np.isfinite(self.cost[prow, pcol])):
            return float("inf")
        c = self.cost[rows, cols]
        n = rows.size - 1
        # in the MCP's units: Σ cell cost × step length [km]
        mid_row = rows[len(rows) // 2]
        step_km = np.hypot(
            (lon1 - lon0) / n / self.grid.dlon_deg * self.dx_km[mid_row],
            (lat1 - lat0) / n / self.grid.dlat_deg * self.dy_km,
        )
        return float(np.sum(0.5 * (c[1:] + c[:-1])) * step_km)

    def polyline_cost(self, keep: list[int]) -> float:
        return float(sum(self.segment_cost(i, j) for i, j in itertools.pairwise(keep)))

    def clear(self, i: int, j: int) -> bool:
        seg_cost = self.segment_cost(i, j)
        raster_cost = abs(self.cum[j] - self.cum[i])
        if seg_cost > raster_cost * (1.0 + COST_TOLERANCE) + 1e-9:
            return False
        union = self.raster.forbidden_union
        line = LineString([(self.lon[i], self.lat[i]), (self.lon[j], self.lat[j])])
        return not (union is not None and union.intersects(line))

    def pull(self) -> list[int]:
        """Indices of the kept vertices (greedy: farthest clear vertex, galloping search)."""
        n = self.lon.size
        keep = [0]
        i = 0
        while i < n - 1:
            step, best = 1, i + 1
            while i + step < n and self.clear(i, i + step):
                best = i + step
                step *= 2
            lo, hi = best, min(i + step, n - 1)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if self.clear(i, mid):
                    lo = mid
                else:
                    hi = mid
            if hi != lo and self.clear(i, hi):
                lo = hi
            keep.append(lo)
            i = lo
        return keep


def _geodesic_line(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64],
                   step_km: float = 1.0) -> LineString:
    """The route as laid: geodesics between successive points, densified every ``step_km``
    for lon/lat geometry tests. A straight lon/lat segment of a few hundred km departs from
    the geodesic by kilometres, enough to touch a zone the cable (and its RPL) does not enter."""
    xs: list[float] = [float(lon[0])]
    ys: list[float] = [float(lat[0])]
    for x0, y0, x1, y1 in zip(lon[:-1], lat[:-1], lon[1:], lat[1:], strict=True):
        _, _, dist_m = GEOD.inv(x0, y0, x1, y1)
        n = int(dist_m / (step_km * 1e3))
        for x, y in GEOD.npts(x0, y0, x1, y1, n) if n > 0 else []:
            xs.append(float(x))
            ys.append(float(y))
        xs.append(float(x1))
        ys.append(float(y1))
    return LineString(np.column_stack([xs, ys]))


def _crossings(
    lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], hazards: tuple[Hazard, ...]
) -> tuple[tuple[Crossing, ...], tuple[str, ...]]:
    line = LineString(np.column_stack([lon, lat]))
    seg_km = np.asarray(GEOD.line_lengths(lon, lat)) / 1e3
    kp_at = np.concatenate([[0.0], np.cumsum(seg_km)])
    found: list[Crossing] = []
    entered: list[str] = []
    laid = _geodesic_line(lon, lat)  # the cable follows geodesics between the points
    for hz in hazards:
        if hz.action == "penalise" and laid.intersects(hz.zone):
            entered.append(hz.name)
        if hz.action != "cross":
            continue
        inter = line.intersection(hz.geometry)
        points = [g for g in getattr(inter, "geoms", [inter]) if g.geom_type == "Point"]
        for pt in points:
            # which route segment holds the point
            d = shapely.distance(
                shapely.linestrings(
                    np.stack(
                        [
                            np.column_stack([lon[:-1], lat[:-1]]),
                            np.column_stack([lon[1:], lat[1:]]),
                        ],
                        axis=1,
                    )
                ),
                pt,
            )
            k = int(np.argmin(d))
            az_route, _, _ = GEOD.inv(lon[k], lat[k], lon[k + 1], lat[k + 1])
            asset = hz.geometry
            proj = asset.project(pt)
            a0 = asset.interpolate(max(proj - 1e-3, 0.0))
            a1 = asset.interpolate(min(proj + 1e-3, asset.length))
            az_asset, _, _ = GEOD.inv(a0.x, a0.y, a1.x, a1.y)
            diff = abs((az_route - az_asset + 180.0) % 360.0 - 180.0)
            angle = min(diff, 180.0 - diff)
            _, _, part = GEOD.inv(lon[k], lat[k], pt.x, pt.y)
            found.append(
                Crossing(hz.name, hz.kind, pt.x, pt.y, float(kp_at[k] + part / 1e3), float(angle))
            )
    found.sort(key=lambda c: c.kp_km)
    return tuple(found), tuple(sorted(set(entered)))


def _drop_repeats(
    lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], tol_m: float = 1.0
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Drop vertices within ``tol_m`` of the previous kept one; the end points always stay.

    A landing that lies in a routable cell coincides with its approach vertex.
    """
    keep = [0]
    for i in range(1, lon.size - 1):
        _, _, d = GEOD.inv(lon[keep[-1]], lat[keep[-1]], lon[i], lat[i])
        if d > tol_m:
            keep.append(i)
    last = lon.size - 1
    _, _, d = GEOD.inv(lon[keep[-1]], lat[keep[-1]], lon[last], lat[last])
    if d <= tol_m and len(keep) > 1:
        keep[-1] = last
    else:
        keep.append(last)
    return lon[keep], lat[keep]


def hazard_raster(
    grid: BathymetryGrid, hazards: tuple[Hazard, ...], options: RouteOptions
) -> HazardRaster:
    """The hazard layers on the routing grid with the scenario's default penalty factors."""
    return rasterise_hazards(
        grid,
        hazards,
        default_penalty=options.cost.penalised_factor,
        default_crossing=options.cost.crossing_factor,
    )


def route_path(
    grid: BathymetryGrid,
    hazards: tuple[Hazard, ...],
    a: LandingStation,
    b: LandingStation,
    options: RouteOptions,
    raster: HazardRaster | None = None,
) -> RoutedPath:
    """Route the cable from ``a`` to ``b`` over ``grid`` avoiding ``hazards``.

    ``raster`` is the hazards already rasterised on ``grid`` with ``options.cost`` (it does not
    depend on the sea level, so re-routing at other levels reuses it).

    Raises
    ------
    RouteError
        A landing is outside the grid or not near water, or no water path joins them.
    """
    if great_circle_km(a, b) < MIN_LANDING_SEPARATION_KM:
        raise RouteError(
            f"landings: '{a.name}' and '{b.name}' are {great_circle_km(a, b) * 1e3:.1f} m apart; "
            f"a cable needs landings at least {MIN_LANDING_SEPARATION_KM * 1e3:g} m apart"
        )
    raw_depth = grid.water_depth_m(options.caspian_level_m)
    body = sea_body(grid, raw_depth, options.sea_point_deg)
    depth = sea_depth_m(raw_depth, body)
    if raster is None:
        raster = hazard_raster(grid, hazards, options)
    cost = cost_surface(grid, depth, raster, options.cost)
    notes = tuple(detached_basin_note(grid, raw_depth, body, s, options) for s in (a, b))
    ra, ca, da = _approach_cell(grid, depth, cost, a, options, body.sea, notes[0])
    rb, cb, db = _approach_cell(grid, depth, cost, b, options, body.sea, notes[1])
    # The answer must not depend on which landing is called 'a': search from the landing that
    # sorts first by (lat, lon), then string-pull in both directions and keep the cheaper.
    swap = (b.lat_deg, b.lon_deg) < (a.lat_deg, a.lon_deg)
    start, end = ((rb, cb), (ra, ca)) if swap else ((ra, ca), (rb, cb))
    path, cum = _least_cost_path(grid, cost, start, end, (a.name, b.name))
    if swap:
        path = path[::-1]
    puller = _Puller(grid, cost, raster, cum, path)
    keep = puller.pull() if len(path) > 1 else [0]
    if len(path) > 2:
        back = _Puller(grid, cost, raster, cum, path[::-1])
        keep_back = [len(path) - 1 - k for k in back.pull()][::-1]
        if puller.polyline_cost(keep_back) < puller.polyline_cost(keep) - 1e-9:
            keep = keep_back
    lon = np.concatenate([[a.lon_deg], puller.lon[keep], [b.lon_deg]])
    lat = np.concatenate([[a.lat_deg], puller.lat[keep], [b.lat_deg]])
    lon, lat = _drop_repeats(lon, lat)
    union = raster.forbidden_union
    for station, (x, y) in ((a, (lon[1], lat[1])), (b, (lon[-2], lat[-2]))):
        seg = LineString([(station.lon_deg, station.lat_deg), (x, y)])
        if union is not None and union.intersects(seg):
            raise RouteError(
                f"landings: the approach from '{station.name}' to the sea crosses a forbidden "
                "zone; move the landing or edit the hazard layer"
            )
    crossings, entered = _crossings(lon, lat, hazards)
    return RoutedPath(
        lon_deg=lon,
        lat_deg=lat,
        raster_lon_deg=np.concatenate([[a.lon_deg], puller.lon, [b.lon_deg]]),
        raster_lat_deg=np.concatenate([[a.lat_deg], puller.lat, [b.lat_deg]]),
        approach_km=(da, db),
        crossings=crossings,
        penalised_zones=entered,
        landing_notes=tuple(n for n in notes if n is not None),
    )
