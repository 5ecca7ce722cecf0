"""Routing speed and memory: the bundled 0.1° grid and a GEBCO-sized 15″ grid of the Caspian.

The 15″ grid is synthesised by bilinear resampling of the bundled ETOPO1 subset to GEBCO's
15 arc-second spacing (~5.9 million cells over the same area). Targets: bundled grid well under
a second; 15″ grid ≤ 10 s and ≤ 2 GB peak. Ratios are printed against a plain 8-connected
scipy.sparse.csgraph Dijkstra on the same cost surface (the textbook baseline the routing
library replaces), run in the same process.
"""

from __future__ import annotations

import resource
import time

import numpy as np


def _resample(grid, step_deg: float):
    from scipy.ndimage import map_coordinates

    from transcaspian.geo.grid import BathymetryGrid

    lon = np.arange(grid.lon_deg[0], grid.lon_deg[-1] + 1e-9, step_deg)
    lat = np.arange(grid.lat_deg[0], grid.lat_deg[-1] + 1e-9, step_deg)
    yy = (lat - grid.lat_deg[0]) / grid.dlat_deg
    xx = (lon - grid.lon_deg[0]) / grid.dlon_deg
    Y, X = np.meshgrid(yy, xx, indexing="ij")
    elev = map_coordinates(grid.elevation_m.astype(np.float64), [Y, X], order=1)
    return BathymetryGrid(lon, lat, elev.astype(np.float32), f"resampled {step_deg * 3600:.0f}″")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _scipy_dijkstra_s(grid, cost) -> float:
    """Baseline: 8-connected graph + scipy.sparse.csgraph.dijkstra (single source)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    ny, nx = cost.shape
    idx = np.arange(ny * nx).reshape(ny, nx)
    t0 = time.perf_counter()
    rows, cols, vals = [], [], []
    for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):
        a = idx[max(0, -dy) : ny - max(0, dy), max(0, -dx) : nx - max(0, dx)]
        b = (
            idx[max(0, dy) :, max(0, dx) :][: a.shape[0], : a.shape[1]]
            if dx >= 0
            else idx[dy:, : nx + dx][: a.shape[0], : a.shape[1]]
        )
        w = 0.5 * (cost.ravel()[a.ravel()] + cost.ravel()[b.ravel()]) * np.hypot(dy, dx)
        ok = np.isfinite(w)
        rows.append(a.ravel()[ok])
        cols.append(b.ravel()[ok])
        vals.append(w[ok])
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    v = np.concatenate(vals)
    g = coo_matrix((v, (r, c)), shape=(ny * nx, ny * nx)).tocsr()
    src = int(np.flatnonzero(np.isfinite(cost.ravel()))[0])
    dijkstra(g, directed=False, indices=src, min_only=True)
    return time.perf_counter() - t0


def main() -> None:
    from transcaspian.geo.cost import cost_surface
    from transcaspian.geo.grid import bundled_grid
    from transcaspian.geo.hazards import bundled_hazards, rasterise_hazards
    from transcaspian.geo.stage import compute_route
    from transcaspian.scenario import default_scenario

    sc = default_scenario()
    hz = bundled_hazards()
    g01 = bundled_grid()
    compute_route(sc, g01, hz)  # warm-up (imports)
    t0 = time.perf_counter()
    r01 = compute_route(sc, g01, hz)
    t01 = time.perf_counter() - t0
    print(
        f"bundled 0.1° grid {g01.shape[0]}x{g01.shape[1]} = {g01.elevation_m.size:,} cells: "
        f"{t01 * 1e3:.0f} ms, route {r01.route_length_km:.1f} km (target: well under 1 s)"
    )

    g15 = _resample(g01, 15.0 / 3600.0)
    levels = sc.route.sea_level_sensitivity_m
    single = sc.model_copy(
        update={"route": sc.route.model_copy(update={"sea_level_sensitivity_m": ()})}
    )
    rss0 = _peak_rss_mb()
    t0 = time.perf_counter()
    r15 = compute_route(single, g15, hz)
    t15 = time.perf_counter() - t0
    rss1 = _peak_rss_mb()
    t0 = time.perf_counter()
    compute_route(sc, g15, hz)
    t15_levels = time.perf_counter() - t0
    print(
        f"15″ grid {g15.shape[0]}x{g15.shape[1]} = {g15.elevation_m.size:,} cells: {t15:.2f} s, "
        f"peak RSS {rss1:.0f} MB (+{rss1 - rss0:.0f} MB for routing), route "
        f"{r15.route_length_km:.1f} km, {len(r15.coordinates) - 2} alter-course points "
        f"(targets ≤ 10 s, ≤ 2 GB)"
    )
    print(
        f"  the default scenario's route stage also re-routes at {len(levels)} other Caspian "
        f"levels: {t15_levels:.2f} s in all on the 15″ grid"
    )
    depth = g15.water_depth_m(sc.route.caspian_level_m)
    raster = rasterise_hazards(g15, hz, default_penalty=2.0, default_crossing=4.0)
    cost = cost_surface(g15, depth, raster, sc.route.cost)
    tb = _scipy_dijkstra_s(g15, cost)
    print(
        f"baseline scipy csgraph Dijkstra on the same 15″ cost surface (graph build + "
        f"single-source search only): {tb:.2f} s; one whole route (grid -> smoothed route, "
        f"RPL) takes {t15 / tb:.2f}x that time"
    )


if __name__ == "__main__":
    main()
