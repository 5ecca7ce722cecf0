"""Bathymetry grid readers: ETOPO/GEBCO NetCDF, GeoTIFF, subsetting, errors."""

from __future__ import annotations

from pathlib import Path

import netCDF4
import numpy as np
import pytest

from transcaspian.errors import DataError
from transcaspian.geo.grid import (
    BathymetryGrid,
    bundled_grid,
    extract_bathymetry,
    read_grid,
    write_grid_netcdf,
)


def _write_nc(path: Path, lon, lat, z, zname="z", lonname="lon", latname="lat") -> None:
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension(latname, len(lat))
        ds.createDimension(lonname, len(lon))
        ds.createVariable(lonname, "f8", (lonname,))[:] = lon
        ds.createVariable(latname, "f8", (latname,))[:] = lat
        ds.createVariable(zname, "f4", (latname, lonname))[:] = z


def test_etopo_style_global_0_360_grid_is_rotated_and_windowed(tmp_path: Path) -> None:
    lon = np.arange(0.0, 360.0, 1.0)
    lat = np.arange(-10.0, 10.1, 1.0)
    z = np.tile(np.where(lon < 180, lon, lon - 360.0), (lat.size, 1)) + lat[:, None] * 1000
    _write_nc(tmp_path / "g.nc", lon, lat, z)
    g = read_grid(tmp_path / "g.nc", bbox=(-5.0, -2.0, 5.0, 2.0))
    np.testing.assert_array_equal(g.lon_deg, np.arange(-5.0, 5.1, 1.0))
    np.testing.assert_array_equal(g.lat_deg, np.arange(-2.0, 2.1, 1.0))
    # value at (lon=-3, lat=1) = -3 + 1000
    assert g.elevation_m[3, 2] == pytest.approx(997.0)


def test_gebco_style_descending_latitude(tmp_path: Path) -> None:
    lon = np.arange(49.0, 50.01, 0.25)
    lat = np.arange(42.0, 40.99, -0.25)  # north to south
    z = -(lat[:, None] * 10 + lon[None, :])
    _write_nc(
        tmp_path / "gebco.nc",
        lon,
        lat,
        z,
        zname="elevation",
        lonname="longitude",
        latname="latitude",
    )
    g = read_grid(tmp_path / "gebco.nc")
    assert g.lat_deg[0] < g.lat_deg[-1]
    r, c = g.cell_index(49.5, 41.25)
    assert g.elevation_m[r, c] == pytest.approx(-(412.5 + 49.5))


def test_geotiff_reader_matches_netcdf(tmp_path: Path) -> None:
    tifffile = pytest.importorskip("tifffile")
    nx, ny, step = 8, 6, 0.5
    west, north = 48.0, 44.0
    data = np.arange(nx * ny, dtype=np.float32).reshape(ny, nx)  # row 0 = north
    extratags = [
        (33550, "d", 3, (step, step, 0.0)),
        (33922, "d", 6, (0.0, 0.0, 0.0, west, north, 0.0)),
        # GeoKeyDirectory: version 1.1.0, 2 keys: model type geographic (2), raster pixel-is-area
        (34735, "H", 12, (1, 1, 0, 2, 1024, 0, 1, 2, 1025, 0, 1, 1)),
    ]
    tifffile.imwrite(tmp_path / "g.tif", data, extratags=extratags)
    g = read_grid(tmp_path / "g.tif")
    assert g.lon_deg[0] == pytest.approx(west + step / 2)
    assert g.lat_deg[-1] == pytest.approx(north - step / 2)
    # north-west cell centre holds data[0, 0]
    assert g.elevation_m[-1, 0] == pytest.approx(0.0)
    assert g.elevation_m[0, -1] == pytest.approx(data[-1, -1])


def test_missing_unreadable_and_unrecognised_grids(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        read_grid(tmp_path / "missing.nc")
    junk = tmp_path / "junk.nc"
    junk.write_bytes(b"this is not netcdf")
    with pytest.raises(DataError, match="junk.nc: not a readable NetCDF"):
        read_grid(junk)
    odd = tmp_path / "odd.nc"
    _write_nc(odd, np.arange(3.0), np.arange(3.0), np.zeros((3, 3)), zname="temperature")
    with pytest.raises(DataError, match="no recognised grid variables"):
        read_grid(odd)
    tif = tmp_path / "plain.tif"
    pytest.importorskip("tifffile").imwrite(tif, np.zeros((3, 3), np.float32))
    with pytest.raises(DataError, match="no GeoTIFF georeferencing"):
        read_grid(tif)


def test_extract_and_roundtrip(tmp_path: Path) -> None:
    lon = np.arange(45.0, 56.0, 0.1)
    lat = np.arange(35.0, 48.0, 0.1)
    z = np.random.default_rng(1).normal(-100, 50, (lat.size, lon.size))
    _write_nc(tmp_path / "src.nc", lon, lat, z)
    g = extract_bathymetry(tmp_path / "src.nc", (49.0, 40.0, 52.0, 44.0), tmp_path / "out.nc")
    back = read_grid(tmp_path / "out.nc")
    np.testing.assert_allclose(back.lon_deg, g.lon_deg)
    np.testing.assert_allclose(back.elevation_m, g.elevation_m)
    with netCDF4.Dataset(tmp_path / "out.nc") as ds:
        assert "extract-bathymetry" in ds.history


def test_write_read_roundtrip(tmp_path: Path) -> None:
    g = BathymetryGrid(
        np.array([1.0, 2.0, 3.0]),
        np.array([4.0, 5.0]),
        np.array([[1, 2, 3], [4, np.nan, 6]], np.float32),
        "t",
    )
    write_grid_netcdf(g, tmp_path / "t.nc")
    back = read_grid(tmp_path / "t.nc")
    np.testing.assert_array_equal(np.isnan(back.elevation_m), np.isnan(g.elevation_m))


def test_bundled_grid_covers_the_caspian_with_caspian_depths() -> None:
    """NOAA ETOPO1 (Amante & Eakins 2009): the South Caspian floor is at about -1025 m
    (UNEP 'Caspian Sea: State of the Environment' 2019 gives a 1,025 m maximum depth)."""
    g = bundled_grid()
    w, s, e, n = g.bbox
    assert w <= 46.5 and e >= 55.0 and s <= 36.5 and n >= 47.0
    level = -29.18
    max_depth = float(np.nanmax(g.water_depth_m(level)))
    assert 950.0 <= max_depth <= 1050.0


def test_cell_size_is_measured_on_the_wgs84_ellipsoid() -> None:
    # 1° cells centred on 45° N: a degree of latitude there is 111.133 km and a degree of
    # longitude 78.85 km on WGS84 (textbook values); widths shrink towards the pole.
    lon = np.array([10.0, 11.0, 12.0])
    lat = np.array([44.0, 45.0, 46.0])
    grid = BathymetryGrid(lon, lat, np.zeros((3, 3), np.float32))
    dx_m, dy_m = grid.cell_size_m()
    assert dy_m == pytest.approx(111_133.0, rel=1e-4)
    assert dx_m[1] == pytest.approx(78_847.0, rel=1e-3)
    assert dx_m[0] > dx_m[1] > dx_m[2]
