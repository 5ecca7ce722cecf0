"""A small simplified coastline of the corridor region, for the offline corridor map.

The bundled ``data/corridor/coastline.geojson`` is derived from NOAA ETOPO1 (public domain) by
:func:`extract_coastline`: water is where the relief is below sea level (below the Caspian
surface, -27.5 m, inside the Caspian box, because the lowlands around it lie below 0 m), the
land/water boundary is contoured on a coarsened grid and simplified; water bodies of a few
cells (dry depressions below sea level) are dropped. Rebuild with::

    python -m transcaspian.network.coastline ETOPO1_0.1deg_global.nc \\
        src/transcaspian/data/corridor/coastline.geojson
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .._io import write_text_atomic
from ..errors import DataError

BUNDLED_COASTLINE = "corridor/coastline.geojson"
#: lon_min, lat_min, lon_max, lat_max [deg] of the corridor map
REGION_DEG = (-12.0, -2.0, 126.0, 62.0)
#: box of the Caspian Sea [deg] where water is below the Caspian surface level
CASPIAN_BOX_DEG = (44.0, 36.4, 58.0, 52.0)
CASPIAN_LEVEL_M = -27.5


def extract_coastline(
    grid_path: str | Path,
    *,
    region_deg: tuple[float, float, float, float] = REGION_DEG,
    step: int = 2,
    simplify_deg: float = 0.08,
    min_vertices: int = 5,
    min_water_cells: int = 25,
) -> dict[str, Any]:
    """Coastline polylines of ``region_deg`` from an ETOPO-style NetCDF grid (lon, lat, z).

    Parameters
    ----------
    grid_path : path
        NetCDF with 1-D ``lon`` (0..360 or -180..180), ``lat`` and 2-D ``z`` [m].
    region_deg : tuple
        lon_min, lat_min, lon_max, lat_max [deg].
    step : int
        Keep every ``step``-th grid node (0.1 deg x 3 = 0.3 deg).
    simplify_deg : float
        Douglas-Peucker tolerance [deg].
    min_vertices : int
        Drop shorter lines (islets).
    min_water_cells : int
        Drop water bodies of fewer cells (dry depressions below sea level, e.g. Karagiye).

    Returns
    -------
    dict
        GeoJSON FeatureCollection with one MultiLineString (lon, lat rounded to 0.01 deg).
    """
    import contourpy
    import netCDF4
    from shapely.geometry import LineString

    with netCDF4.Dataset(str(grid_path)) as ds:
        lon = np.asarray(ds.variables["lon"][:], dtype=float)
        lat = np.asarray(ds.variables["lat"][:], dtype=float)
        z = np.asarray(ds.variables["z"][:], dtype=float)
    lon = np.where(lon > 180.0, lon - 360.0, lon)
    order = np.argsort(lon)
    lon, z = lon[order], z[:, order]
    w, s, e, n = region_deg
    ix = np.flatnonzero((lon >= w) & (lon <= e))[::step]
    iy = np.flatnonzero((lat >= s) & (lat <= n))[::step]
    lon, lat, z = lon[ix], lat[iy], z[np.ix_(iy, ix)]
    water = z < 0.0
    cw, cs, ce, cn = CASPIAN_BOX_DEG
    box = (lon[None, :] >= cw) & (lon[None, :] <= ce) & (lat[:, None] >= cs) & (lat[:, None] <= cn)
    water = np.where(box, z < CASPIAN_LEVEL_M, water)
    from scipy import ndimage

    labels, count = ndimage.label(water)
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    small = sizes < min_water_cells
    small[0] = False
    water = water & ~small[labels]
    gen = contourpy.contour_generator(lon, lat, water.astype(float))
    lines = []
    for seg in gen.lines(0.5):
        if len(seg) < min_vertices:
            continue
        simple = LineString(seg).simplify(simplify_deg, preserve_topology=False)
        coords = np.round(np.asarray(simple.coords), 2)
        if len(coords) >= 3:
            lines.append(coords.tolist())
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "source": "NOAA ETOPO1 (Amante & Eakins 2009, doi:10.7289/V5C8276M), "
                    "public domain; 0.1 deg resample, contoured and simplified by "
                    "transcaspian.network.coastline",
                    "step_deg": round(0.1 * step, 3),
                    "simplify_deg": simplify_deg,
                },
                "geometry": {"type": "MultiLineString", "coordinates": lines},
            }
        ],
    }


def read_coastline() -> list[np.ndarray]:
    """The bundled coastline as a list of ``(n, 2)`` lon/lat arrays [deg]."""
    try:
        text = (
            resources.files("transcaspian")
            .joinpath("data", BUNDLED_COASTLINE)
            .read_text(encoding="utf-8")
        )
        doc = json.loads(text)
        lines = doc["features"][0]["geometry"]["coordinates"]
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise DataError(
            f"data/{BUNDLED_COASTLINE}: unreadable ({exc.__class__.__name__})"
        ) from None
    return [np.asarray(ln, dtype=float) for ln in lines]


def main(argv: list[str] | None = None) -> int:
    """``python -m transcaspian.network.coastline GRID.nc OUT.geojson``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(main.__doc__, file=sys.stderr)
        return 2
    doc = extract_coastline(args[0])
    write_text_atomic(args[1], json.dumps(doc, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
