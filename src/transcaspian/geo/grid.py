"""Bathymetry grids: read ETOPO / GEBCO NetCDF and GeoTIFF, subset, write NetCDF.

A :class:`BathymetryGrid` holds elevations relative to the grid's vertical datum (global mean
sea level for ETOPO1 and GEBCO) on a regular lon/lat raster of cell centres. Water depth in the
Caspian is *not* ``-elevation``: the Caspian surface lies about 29 m below the ocean datum, so

    depth = caspian_level - elevation,   water where elevation < caspian_level.

References
----------
.. [1] C. Amante and B. W. Eakins, "ETOPO1 1 Arc-Minute Global Relief Model: Procedures, Data
   Sources and Analysis", NOAA Technical Memorandum NESDIS NGDC-24, 2009.
   doi:10.7289/V5C8276M
.. [2] GEBCO Compilation Group, "GEBCO 2024 Grid", doi:10.5285/1c44ce99-0a0d-5f4f-e063-7086abc0ea0f
.. [3] N. Ritter, M. Ruth, "GeoTIFF Format Specification, Revision 1.0", 2000 (tags 33550,
   33922, 34735; GTRasterTypeGeoKey 1025).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from pyproj import Geod

from .._io import atomic_path
from ..errors import DataError, RouteError

BUNDLED_GRID = "caspian_etopo1_0.1deg.nc"

_LON_NAMES = ("lon", "longitude", "x")
_LAT_NAMES = ("lat", "latitude", "y")
_Z_NAMES = ("z", "elevation", "Band1", "topo", "altitude")

Bbox = tuple[float, float, float, float]  # west, south, east, north [deg]

_WGS84 = Geod(ellps="WGS84")


@dataclass(frozen=True)
class BathymetryGrid:
    """Elevation on a regular lon/lat grid of cell centres.

    Attributes
    ----------
    lon_deg : ndarray, shape (nx,)
        Cell-centre longitudes [deg], strictly ascending, in [-180, 180].
    lat_deg : ndarray, shape (ny,)
        Cell-centre latitudes [deg], strictly ascending.
    elevation_m : ndarray, shape (ny, nx)
        Elevation relative to the grid's datum [m] (negative below it). NaN = no data.
    source : str
        Where the grid came from (file name and provenance note).
    """

    lon_deg: npt.NDArray[np.float64]
    lat_deg: npt.NDArray[np.float64]
    elevation_m: npt.NDArray[np.float32]
    source: str = ""
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.lat_deg.size, self.lon_deg.size)

    @property
    def dlon_deg(self) -> float:
        return float((self.lon_deg[-1] - self.lon_deg[0]) / max(self.lon_deg.size - 1, 1))

    @property
    def dlat_deg(self) -> float:
        return float((self.lat_deg[-1] - self.lat_deg[0]) / max(self.lat_deg.size - 1, 1))

    @property
    def bbox(self) -> Bbox:
        """Outer bounds of the cells (west, south, east, north) [deg]."""
        hx, hy = self.dlon_deg / 2, self.dlat_deg / 2
        return (
            float(self.lon_deg[0] - hx),
            float(self.lat_deg[0] - hy),
            float(self.lon_deg[-1] + hx),
            float(self.lat_deg[-1] + hy),
        )

    def cell_size_m(self) -> tuple[npt.NDArray[np.float64], float]:
        """True size of the cells on the WGS84 ellipsoid.

        Returns
        -------
        dx_m : ndarray, shape (ny,)
            East-west width of the cells of each row [m] (geodesic along the row's latitude).
        dy_m : float
            North-south height of a cell at the grid's mean latitude [m].
        """
        lat = self.lat_deg
        _, _, dx = _WGS84.inv(np.zeros_like(lat), lat, np.full_like(lat, self.dlon_deg), lat)
        mid = float(np.mean(lat))
        _, _, dy = _WGS84.inv(0.0, mid - self.dlat_deg / 2, 0.0, mid + self.dlat_deg / 2)
        return np.asarray(dx, float), float(dy)

    def water_depth_m(self, level_m: float) -> npt.NDArray[np.float64]:
        """Water depth below a water-body surface at ``level_m`` [m]; ≤ 0 on land."""
        return level_m - self.elevation_m.astype(np.float64)

    def cell_index(
        self, lon_deg: npt.ArrayLike, lat_deg: npt.ArrayLike
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """Row and column of the cell containing each point (clipped to the grid)."""
        col = np.rint((np.asarray(lon_deg, float) - self.lon_deg[0]) / self.dlon_deg)
        row = np.rint((np.asarray(lat_deg, float) - self.lat_deg[0]) / self.dlat_deg)
        return (
            np.clip(row, 0, self.lat_deg.size - 1).astype(np.intp),
            np.clip(col, 0, self.lon_deg.size - 1).astype(np.intp),
        )

    def contains(self, lon_deg: float, lat_deg: float) -> bool:
        w, s, e, n = self.bbox
        return w <= lon_deg <= e and s <= lat_deg <= n

    def interpolate(
        self, values: npt.NDArray[Any], lon_deg: npt.ArrayLike, lat_deg: npt.ArrayLike
    ) -> npt.NDArray[np.float64]:
        """Bilinear interpolation of a field on this grid at points (edge values outside)."""
        x = (np.asarray(lon_deg, float) - self.lon_deg[0]) / self.dlon_deg
        y = (np.asarray(lat_deg, float) - self.lat_deg[0]) / self.dlat_deg
        x = np.clip(x, 0, self.lon_deg.size - 1)
        y = np.clip(y, 0, self.lat_deg.size - 1)
        x0 = np.clip(np.floor(x).astype(np.intp), 0, max(self.lon_deg.size - 2, 0))
        y0 = np.clip(np.floor(y).astype(np.intp), 0, max(self.lat_deg.size - 2, 0))
        x1 = np.minimum(x0 + 1, self.lon_deg.size - 1)
        y1 = np.minimum(y0 + 1, self.lat_deg.size - 1)
        fx, fy = x - x0, y - y0
        v = np.asarray(values, dtype=float)
        return np.asarray(
            v[y0, x0] * (1 - fx) * (1 - fy)
            + v[y0, x1] * fx * (1 - fy)
            + v[y1, x0] * (1 - fx) * fy
            + v[y1, x1] * fx * fy
        )

    def subset(self, bbox: Bbox) -> BathymetryGrid:
        """The cells whose centres lie inside ``bbox`` (west, south, east, north) [deg]."""
        w, s, e, n = bbox
        ix = np.flatnonzero((self.lon_deg >= w) & (self.lon_deg <= e))
        iy = np.flatnonzero((self.lat_deg >= s) & (self.lat_deg <= n))
        if ix.size < 2 or iy.size < 2:
            raise DataError(f"{self.source}: bbox {bbox} holds fewer than 2x2 grid cells")
        return BathymetryGrid(
            self.lon_deg[ix[0] : ix[-1] + 1],
            self.lat_deg[iy[0] : iy[-1] + 1],
            self.elevation_m[iy[0] : iy[-1] + 1, ix[0] : ix[-1] + 1],
            self.source,
            dict(self.attrs),
        )


# --------------------------------------------------------------------------------------------
# Readers


def read_grid(path: str | os.PathLike[str], bbox: Bbox | None = None) -> BathymetryGrid:
    """Read a bathymetry grid (NetCDF: ETOPO ``z``, GEBCO ``elevation``; or GeoTIFF).

    Parameters
    ----------
    path : path-like
        ``.nc``/``.grd``/``.nc4`` NetCDF (classic or NetCDF-4) or ``.tif``/``.tiff`` GeoTIFF in
        geographic coordinates (WGS84 lon/lat).
    bbox : (west, south, east, north), optional
        Read only this window [deg] (only that window is loaded from disk for NetCDF).

    Raises
    ------
    DataError
        The file is missing, unreadable, not a recognised grid, or the bbox misses it.
    """
    p = Path(path)
    if not p.exists():
        raise DataError(f"{p}: bathymetry grid not found")
    if not p.is_file():
        raise DataError(f"{p}: bathymetry grid is not a file")
    suffix = p.suffix.lower()
    if suffix in (".tif", ".tiff"):
        return _read_geotiff(p, bbox)
    return _read_netcdf(p, bbox)


def _first(names: tuple[str, ...], available: Any) -> str | None:
    lower = {k.lower(): k for k in available}
    for n in names:
        if n.lower() in lower:
            return str(lower[n.lower()])
    return None


def _window(coord: npt.NDArray[np.float64], lo: float, hi: float) -> slice:
    idx = np.flatnonzero((coord >= lo) & (coord <= hi))
    if idx.size == 0:
        return slice(0, 0)
    return slice(int(idx[0]), int(idx[-1]) + 1)


def _check_axis(p: Path, name: str, values: npt.NDArray[np.float64], lo: float, hi: float) -> None:
    """A coordinate axis must be finite, within [lo, hi], strictly monotone and regular."""
    if values.ndim != 1:
        raise DataError(f"{p}: {name} must be 1-D, has shape {values.shape}")
    if values.size < 2:
        raise DataError(f"{p}: grid has fewer than 2 cells along {name}")
    if not np.all(np.isfinite(values)):
        raise DataError(f"{p}: {name} holds missing or non-finite values")
    if values.min() < lo or values.max() > hi:
        raise DataError(f"{p}: {name} outside {lo:g}..{hi:g} degrees (is the grid lon/lat?)")
    step = np.diff(np.sort(values))
    if np.any(step <= 0):
        raise DataError(f"{p}: {name} repeats a coordinate")
    if np.ptp(step) > 1e-3 * float(np.mean(step)):
        raise DataError(f"{p}: {name} is not regularly spaced (steps {step.min():.6g} to "
                        f"{step.max():.6g} deg); resample it to a regular grid")


def _axis_values(var: Any) -> npt.NDArray[np.float64]:
    """A coordinate variable as floats, masked (fill) values as NaN."""
    return np.asarray(np.ma.filled(np.ma.asarray(var[:], dtype=float), np.nan), dtype=float)


def _check_elevation(p: Path, elev: npt.NDArray[np.float32]) -> None:
    if not np.any(np.isfinite(elev)):
        raise DataError(f"{p}: the grid holds no elevation values (all missing)")
    finite = elev[np.isfinite(elev)]
    if finite.min() < -12000.0 or finite.max() > 9000.0:
        raise DataError(
            f"{p}: elevations {finite.min():.6g}..{finite.max():.6g} m are not metres of "
            "Earth relief (expected -12000..9000 m)"
        )


def _require_read_memory(p: Path, n_rows: int, n_cols: int) -> None:
    from .._budget import grid_read_bytes, require_memory

    require_memory(
        grid_read_bytes(n_rows, n_cols),
        f"{p}: reading a {n_rows} x {n_cols} window",
        error=DataError,
        hint="give a smaller bbox or a coarser grid",
    )


def _read_netcdf(p: Path, bbox: Bbox | None) -> BathymetryGrid:
    import netCDF4

    try:
        ds = netCDF4.Dataset(p, "r")
    except (OSError, RuntimeError) as exc:
        raise DataError(f"{p}: not a readable NetCDF grid ({exc})") from None
    with ds:
        lon_name = _first(_LON_NAMES, ds.variables)
        lat_name = _first(_LAT_NAMES, ds.variables)
        z_name = _first(_Z_NAMES, ds.variables)
        if lon_name is None or lat_name is None or z_name is None:
            raise DataError(
                f"{p}: no recognised grid variables (need lon/lat and one of "
                f"{', '.join(_Z_NAMES)}; found {', '.join(ds.variables) or 'none'})"
            )
        var = ds.variables[z_name]
        if var.ndim != 2:
            raise DataError(f"{p}: variable '{z_name}' must be 2-D (lat, lon), has {var.ndim}")
        lon = _axis_values(ds.variables[lon_name])
        lat = _axis_values(ds.variables[lat_name])
        dims = var.dimensions
        transpose = dims and dims[0] in ds.variables[lon_name].dimensions
        if var.shape != ((lon.size, lat.size) if transpose else (lat.size, lon.size)):
            raise DataError(
                f"{p}: variable '{z_name}' has shape {var.shape}, but {lat_name} has "
                f"{lat.size} and {lon_name} {lon.size} values"
            )
        _check_axis(p, lon_name, lon, -180.0, 360.0)
        _check_axis(p, lat_name, lat, -90.0, 90.0)
        lon = np.where(lon > 180.0, lon - 360.0, lon)
        # global 0..360 grids: rotate to -180..180 so that windows are contiguous
        order_x = np.argsort(lon, kind="stable")
        lon = lon[order_x]
        flip_y = lat[0] > lat[-1]
        order_y = np.arange(lat.size)[::-1] if flip_y else np.arange(lat.size)
        lat = lat[order_y]
        if bbox is not None:
            w, s, e, n = bbox
            sx = _window(lon, w, e)
            sy = _window(lat, s, n)
            if sx.stop - sx.start < 2 or sy.stop - sy.start < 2:
                raise DataError(f"{p}: bbox {tuple(bbox)} does not overlap the grid")
        else:
            sx, sy = slice(0, lon.size), slice(0, lat.size)
        cols = np.sort(order_x[sx])
        rows = np.sort(order_y[sy])
        _require_read_memory(p, int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1))
        var.set_auto_mask(True)
        if transpose:
            raw = var[cols.min() : cols.max() + 1, rows.min() : rows.max() + 1]
            block = np.ma.filled(np.ma.asarray(raw, dtype=np.float32), np.nan).T
            block = block[:, cols - cols.min()][rows - rows.min(), :]
        else:
            raw = var[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
            block = np.ma.filled(np.ma.asarray(raw, dtype=np.float32), np.nan)
        # reorder to ascending lat/lon inside the window
        yi = order_y[sy] - rows.min()
        xi = order_x[sx] - cols.min()
        elev = np.ascontiguousarray(block[np.ix_(yi, xi)], dtype=np.float32)
        attrs = {k: str(ds.getncattr(k)) for k in ds.ncattrs()}
    _check_elevation(p, elev)
    return BathymetryGrid(lon[sx].copy(), lat[sy].copy(), elev, p.name, attrs)


def _read_geotiff(p: Path, bbox: Bbox | None) -> BathymetryGrid:
    import tifffile

    try:
        with tifffile.TiffFile(p) as tif:
            page = tif.pages.first
            tags = page.tags
            scale_tag, tie_tag = tags.get(33550), tags.get(33922)
            if scale_tag is None or tie_tag is None:
                raise DataError(f"{p}: TIFF has no GeoTIFF georeferencing (tags 33550/33922)")
            scale_v = tuple(scale_tag.value)
            tie_v = tuple(tie_tag.value)
            keys_tag = tags.get(34735)
            keys_v = None if keys_tag is None else list(keys_tag.value)
            nodata_tag = tags.get(42113)
            nodata_v = None if nodata_tag is None else str(nodata_tag.value)
            if len(page.shape) >= 2:
                _require_read_memory(p, int(page.shape[0]), int(page.shape[1]))
            data = page.asarray()
    except DataError:
        raise
    except Exception as exc:
        raise DataError(f"{p}: not a readable GeoTIFF ({exc.__class__.__name__})") from None
    if data.ndim != 2:
        raise DataError(f"{p}: GeoTIFF must hold one band, has shape {data.shape}")
    if len(scale_v) < 2 or len(tie_v) < 6:
        raise DataError(f"{p}: GeoTIFF pixel scale or tie point is incomplete")
    sx, sy = float(scale_v[0]), float(scale_v[1])
    i0, j0, _, x0, y0, _ = (float(v) for v in tie_v[:6])
    if not all(np.isfinite(v) for v in (sx, sy, i0, j0, x0, y0)):
        raise DataError(f"{p}: GeoTIFF pixel scale or tie point is not finite")
    pixel_is_point = False
    if keys_v is not None:
        kv = keys_v
        for k in range(4, len(kv), 4):
            if kv[k] == 1025:  # GTRasterTypeGeoKey
                pixel_is_point = kv[k + 3] == 2
            if kv[k] == 1024 and kv[k + 3] == 1:  # GTModelTypeGeoKey: 1 = projected
                raise DataError(f"{p}: GeoTIFF is in a projected CRS; give a lon/lat grid")
    off = 0.0 if pixel_is_point else 0.5
    ny, nx = data.shape
    lon = x0 + (np.arange(nx) - i0 + off) * sx
    lat = y0 - (np.arange(ny) - j0 + off) * sy
    elev = data.astype(np.float32)
    if nodata_v is not None:
        with contextlib.suppress(ValueError):
            elev[elev == float(nodata_v.strip("\x00 "))] = np.nan
    if not (sx > 0 and sy > 0):
        raise DataError(f"{p}: GeoTIFF pixel scale ({sx}, {sy}) must be positive")
    _check_axis(p, "longitude", np.asarray(lon, float), -180.0, 360.0)
    _check_axis(p, "latitude", np.asarray(lat, float), -90.0, 90.0)
    if lat[0] > lat[-1]:
        lat = lat[::-1]
        elev = elev[::-1, :]
    _check_elevation(p, elev)
    grid = BathymetryGrid(
        np.asarray(lon, np.float64),
        np.asarray(lat, np.float64),
        np.ascontiguousarray(elev),
        p.name,
        {},
    )
    return grid.subset(bbox) if bbox is not None else grid


# --------------------------------------------------------------------------------------------
# Writer


def write_grid_netcdf(
    grid: BathymetryGrid, path: str | os.PathLike[str], *, history: str = ""
) -> Path:
    """Write a grid as CF-style NetCDF-4 (``lon``, ``lat``, ``elevation``), atomically."""
    import netCDF4

    target = Path(path)
    with atomic_path(target) as tmp, netCDF4.Dataset(tmp, "w", format="NETCDF4") as ds:
        ds.createDimension("lat", grid.lat_deg.size)
        ds.createDimension("lon", grid.lon_deg.size)
        vlon = ds.createVariable("lon", "f8", ("lon",))
        vlat = ds.createVariable("lat", "f8", ("lat",))
        vz = ds.createVariable(
            "elevation", "f4", ("lat", "lon"), zlib=True, complevel=9, fill_value=np.nan
        )
        vlon[:] = grid.lon_deg
        vlat[:] = grid.lat_deg
        vz[:] = grid.elevation_m
        vlon.units, vlon.standard_name = "degrees_east", "longitude"
        vlat.units, vlat.standard_name = "degrees_north", "latitude"
        vz.units, vz.standard_name = "m", "height_above_reference_ellipsoid"
        vz.long_name = "elevation relative to mean sea level (ocean datum)"
        ds.Conventions = "CF-1.8"
        ds.source = grid.source
        for key in ("title", "description"):
            if key in grid.attrs:
                ds.setncattr(f"source_{key}", grid.attrs[key][:2000])
        stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d")
        ds.history = f"{stamp}: {history}".strip()
    return target


def extract_bathymetry(
    src: str | os.PathLike[str], bbox: Bbox, out: str | os.PathLike[str]
) -> BathymetryGrid:
    """Cut ``bbox`` out of a (global) grid and write it as NetCDF-4 to ``out``."""
    w, s, e, n = bbox
    if not (w < e and s < n and w >= -180 and e <= 360 and s >= -90 and n <= 90):
        raise DataError(f"--bbox {bbox}: need west < east and south < north in degrees")
    grid = read_grid(src, bbox)
    cmd = (
        f"transcaspian data extract-bathymetry {Path(src).name} "
        f"--bbox {w:g} {s:g} {e:g} {n:g} --out {Path(out).name}"
    )
    write_grid_netcdf(grid, out, history=cmd)
    return grid


def bundled_grid() -> BathymetryGrid:
    """The bundled Caspian subset of NOAA ETOPO1 at 0.1° (see ``data/SOURCES.md``)."""
    ref = resources.files("transcaspian").joinpath("data").joinpath(BUNDLED_GRID)
    with resources.as_file(ref) as path:
        grid = read_grid(path)
    return BathymetryGrid(
        grid.lon_deg,
        grid.lat_deg,
        grid.elevation_m,
        f"bundled {BUNDLED_GRID} (NOAA ETOPO1)",
        grid.attrs,
    )


# --------------------------------------------------------------------------------------------
# The sea body

#: Edge (4-) connectivity for the sea body. A water cell joins the sea only through a shared
#: cell edge: with 8-connectivity a dry depression that touches the sea at one cell corner (the
#: Karagiye depression by Kuryk on the bundled 0.1° grid) would leak into it through a
#: zero-width gap, which the router already refuses to thread (``route._cuts_a_corner``).
#: Every move the router allows — edge moves, and diagonal moves with at least one water cell
#: beside them — stays inside one 4-connected component, so the sea body and the set of cells
#: the route can reach agree.
SEA_STRUCTURE = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=bool)


@dataclass(frozen=True)
class SeaBody:
    """Which water cells belong to the sea at one water level.

    Attributes
    ----------
    sea : ndarray of bool, shape (ny, nx)
        Cells of the sea body (edge-connected to the chosen water component).
    detached : ndarray of bool, shape (ny, nx)
        Cells below the water level that are *not* connected to the sea: dry depressions
        (e.g. Karagiye, -132 m) and isolated lakes. They are treated as land.
    labels : ndarray of int, shape (ny, nx)
        Component label of every water cell (0 = land / no data).
    """

    sea: npt.NDArray[np.bool_]
    detached: npt.NDArray[np.bool_]
    labels: npt.NDArray[np.int32]


def sea_body(
    grid: BathymetryGrid,
    depth_m: npt.NDArray[np.float64],
    seed_lon_lat_deg: tuple[float, float] | None = None,
) -> SeaBody:
    """The sea: the edge-connected water component holding the most water, or the one a seed
    point lies in.

    Parameters
    ----------
    grid : BathymetryGrid
        The grid ``depth_m`` lives on.
    depth_m : ndarray, shape (ny, nx)
        Water depth below the water level [m] (> 0 = below the level; NaN = no data).
    seed_lon_lat_deg : (lon, lat), optional
        A point in open water [deg]; the sea is the component holding it
        (``route.sea_point_deg``). Default: the component with the largest water volume
        Σ depth · cell area.

    Raises
    ------
    RouteError
        The seed point lies outside the grid or on land at this water level, or there is no
        water at all.

    Notes
    -----
    Components by :func:`scipy.ndimage.label` with :data:`SEA_STRUCTURE` (4-connectivity;
    see there why not 8). Cell area = east-west width at the cell's latitude × north-south
    height on WGS84, so the volume comparison is not biased towards high latitudes.
    """
    from scipy import ndimage

    wet = np.isfinite(depth_m) & (depth_m > 0)
    labels, n = ndimage.label(wet, structure=SEA_STRUCTURE)
    labels = labels.astype(np.int32)
    if n == 0:
        raise RouteError(f"{grid.source}: no cell lies below the water level (no sea at all)")
    if seed_lon_lat_deg is not None:
        lon, lat = seed_lon_lat_deg
        if not grid.contains(lon, lat):
            raise RouteError(
                f"route.sea_point_deg ({lon:g}, {lat:g}) lies outside the bathymetry grid "
                f"{grid.source}"
            )
        row, col = grid.cell_index(lon, lat)
        chosen = int(labels[row, col])
        if chosen == 0:
            raise RouteError(
                f"route.sea_point_deg ({lon:g}, {lat:g}) is on land at this water level "
                f"({float(depth_m[row, col]):.1f} m of water); give a point in open water"
            )
    else:
        dx, dy = grid.cell_size_m()
        volume = np.where(wet, depth_m, 0.0) * dx[:, None] * dy
        per_label = ndimage.sum_labels(volume, labels, index=np.arange(1, n + 1))
        chosen = int(np.argmax(per_label)) + 1
    sea = labels == chosen
    return SeaBody(sea=sea, detached=wet & ~sea, labels=labels)


def sea_depth_m(depth_m: npt.NDArray[np.float64], body: SeaBody) -> npt.NDArray[np.float64]:
    """Water depth with detached basins set to 0 (land at the water line) [m]."""
    return np.where(body.detached, 0.0, depth_m)
