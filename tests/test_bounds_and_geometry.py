"""Resource bounds, memory estimates before allocation, invalid hazard geometry, grid checks
(issue 8, findings 6, 7 and the grid cases of the fuzzing section)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import netCDF4
import numpy as np
import pytest
import yaml

from transcaspian import _budget
from transcaspian.errors import DataError, OpticsError, RouteError, ScenarioError
from transcaspian.geo.grid import BathymetryGrid, read_grid
from transcaspian.geo.hazards import parse_hazards
from transcaspian.geo.stage import compute_route
from transcaspian.scenario import default_scenario_text, scenario_from_dict


def _scenario(**route: Any) -> Any:
    """The default scenario moved onto the synthetic bowl grid (tests/conftest.py)."""
    data = yaml.safe_load(default_scenario_text())
    data["landings"]["a"].update(lat_deg=41.0, lon_deg=50.16)
    data["landings"]["b"].update(lat_deg=41.0, lon_deg=51.84)
    data["route"].update(caspian_level_m=-29.0, sea_level_sensitivity_m=[],
                         max_landing_distance_km=20.0, **route)
    data["route"]["hazards"] = {"use_bundled": False}
    return scenario_from_dict(data)


# --------------------------------------------------------------------------------------------
# Finding 6: bounds and memory estimates


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("route", "rpl_max_step_km"), 0.0001, "route.rpl_max_step_km"),
        (("optics", "design_space", "launch_step_db"), 0.0001,
         "optics.design_space.launch_step_db"),
        (("optics", "design_space", "launch_tilts_db"), [0.0] * 500,
         "optics.design_space.launch_tilts_db"),
        (("optics", "design_space", "ropa_distances_km"), [-5.0],
         "optics.design_space.ropa_distances_km.0"),
    ],
)
def test_size_driving_parameters_are_bounded(path: tuple[str, ...], value: Any, field: str) -> None:
    data = yaml.safe_load(default_scenario_text())
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(data)
    assert str(exc.value).startswith(f"scenario: {field}: ")


def test_require_memory_names_the_size() -> None:
    _budget.require_memory(1e6, "a small step", available=10**9)  # fits: no error
    with pytest.raises(RouteError) as exc:
        _budget.require_memory(3.2e9, "routing on the 4800 x 5700 grid", error=RouteError,
                               hint="cut a window", available=2 * 10**9)
    assert str(exc.value) == (
        "routing on the 4800 x 5700 grid needs ≈ 3.2 GB of memory, 2 GB available; cut a window"
    )


@pytest.mark.parametrize(
    ("n_bytes", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (999.6, "1 kB"),
        (1000, "1 kB"),
        (2_400, "2.4 kB"),
        (9_960, "10 kB"),
        (51_200, "51 kB"),
        (512e3, "512 kB"),
        (999.7e3, "1 MB"),
        (1.6e6, "1.6 MB"),
        (1.5e9, "1.5 GB"),
        (123.4e12, "123 TB"),
        (7e15, "7 PB"),
        (2.5e21, "2500 EB"),
    ],
)
def test_format_bytes_gives_every_magnitude_in_plain_digits(n_bytes: float, text: str) -> None:
    assert _budget.format_bytes(n_bytes) == text


def test_variants_that_fit_sizes_a_sweep_chunk() -> None:
    n = 64
    k = _budget.variants_that_fit(n, available=10**9)
    assert k is not None and k > 1
    assert _budget.line_sweep_bytes(k, n) <= _budget.USABLE_FRACTION * 10**9
    assert _budget.line_sweep_bytes(k + 2, n) > _budget.USABLE_FRACTION * 10**9


def test_route_refuses_a_grid_that_will_not_fit(bowl_grid: BathymetryGrid, monkeypatch) -> None:
    monkeypatch.setattr(_budget, "available_memory_bytes", lambda: 1_000_000)
    with pytest.raises(RouteError) as exc:
        compute_route(_scenario(), bowl_grid, ())
    ny, nx = bowl_grid.shape
    assert str(exc.value).startswith(
        f"routing on the {ny} x {nx} bathymetry grid (synthetic bowl) needs ≈ 1.6 MB of memory, "
        "1 MB available"
    )


def test_optics_search_that_will_not_fit_is_refused(monkeypatch) -> None:
    from transcaspian.optics.config import OpticsConfig
    from transcaspian.optics.design import compare_designs

    monkeypatch.setattr(_budget, "available_memory_bytes", lambda: 100_000)
    with pytest.raises(OpticsError, match=r"optics\.design_space: the launch search of .* "
                       r"launch powers x 9 tilts x 64 channels\) needs ≈ .* of memory"):
        compare_designs(OpticsConfig(), cable_length_km=380.0, fibre_pairs=8)


def test_grid_read_that_will_not_fit_is_refused(tmp_path: Path, monkeypatch) -> None:
    p = tmp_path / "g.nc"
    _write_nc(p, np.arange(50.0, 51.0, 0.1), np.arange(40.0, 41.0, 0.1), np.zeros((10, 10)))
    monkeypatch.setattr(_budget, "available_memory_bytes", lambda: 100)
    with pytest.raises(DataError, match=r"reading a 10 x 10 window needs ≈ 2.4 kB of memory"):
        read_grid(p)


# --------------------------------------------------------------------------------------------
# Finding 7: invalid hazard geometry is repaired and said, or refused


BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[50.9, 40.8], [51.1, 41.2], [51.1, 40.8], [50.9, 41.2], [50.9, 40.8]]],
}


def _layer(geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": geometry,
        "properties": {"name": "Bowtie field", "kind": "field", "action": "forbid"}}]}


def test_self_intersecting_polygon_is_repaired_and_said(bowl_grid: BathymetryGrid) -> None:
    (hz,) = parse_hazards(_layer(BOWTIE), source="user.geojson")
    assert hz.geometry.is_valid
    assert hz.repair_note.startswith(
        "user.geojson: feature 0 ('Bowtie field'): invalid Polygon (Self-intersection"
    )
    assert "repaired with shapely.make_valid into a MultiPolygon of" in hz.repair_note
    result = compute_route(_scenario(), bowl_grid, (hz,))
    assert hz.repair_note in result.warnings
    assert hz.repair_note in result.to_dict()["warnings"]


def test_invalid_geometry_can_be_refused() -> None:
    with pytest.raises(DataError, match=r"user.geojson: feature 0 \('Bowtie field'\): invalid "
                       r"geometry \(Self-intersection"):
        parse_hazards(_layer(BOWTIE), source="user.geojson", invalid="refuse")


def test_the_scenario_chooses_repair_or_refuse(tmp_path: Path) -> None:
    import json

    from transcaspian.geo.stage import load_route_inputs

    layer = tmp_path / "user.geojson"
    layer.write_text(json.dumps(_layer(BOWTIE)), encoding="utf-8")
    data = yaml.safe_load(default_scenario_text())
    data["route"]["hazards"] = {"use_bundled": False, "files": [str(layer)],
                                "invalid_geometry": "refuse"}
    with pytest.raises(DataError, match="invalid geometry"):
        load_route_inputs(scenario_from_dict(data))


# --------------------------------------------------------------------------------------------
# Grids: wrong dimensions, NaN-filled, irregular or repeated axes, 1 x 1


def _write_nc(path: Path, lon: Any, lat: Any, z: Any, dims: tuple[str, str] = ("lat", "lon")
              ) -> None:
    with netCDF4.Dataset(path, "w") as ds:
        ds.createDimension("lat", len(lat))
        ds.createDimension("lon", len(lon))
        ds.createVariable("lon", "f8", ("lon",))[:] = lon
        ds.createVariable("lat", "f8", ("lat",))[:] = lat
        ds.createVariable("z", "f4", dims)[:] = z


@pytest.mark.parametrize(
    ("lon", "lat", "z", "message"),
    [
        ([50.0, 50.1, 50.3, 50.4], [40.0, 40.1, 40.2], np.zeros((3, 4)),
         "lon is not regularly spaced"),
        ([50.0, 50.0, 50.1], [40.0, 40.1], np.zeros((2, 3)), "lon repeats a coordinate"),
        ([50.0, 50.1], [40.0, 40.1], np.full((2, 2), np.nan),
         "the grid holds no elevation values"),
        ([50.0], [40.0], np.zeros((1, 1)), "fewer than 2 cells along lon"),
        ([50.0, 50.1], [40.0, 95.0], np.zeros((2, 2)), "lat outside -90..90"),
        ([50.0, 50.1], [40.0, 40.1], np.full((2, 2), 1e6), "not metres of Earth relief"),
    ],
)
def test_bad_netcdf_grids_are_refused(tmp_path: Path, lon: Any, lat: Any, z: Any,
                                      message: str) -> None:
    p = tmp_path / "g.nc"
    _write_nc(p, lon, lat, z)
    with pytest.raises(DataError, match=message):
        read_grid(p)


def test_descending_longitude_is_read_ascending(tmp_path: Path) -> None:
    p = tmp_path / "g.nc"
    lon = np.array([50.3, 50.2, 50.1, 50.0])
    z = np.tile(-lon * 100, (3, 1))
    _write_nc(p, lon, [40.0, 40.1, 40.2], z)
    g = read_grid(p)
    np.testing.assert_allclose(g.lon_deg, [50.0, 50.1, 50.2, 50.3])
    np.testing.assert_allclose(g.elevation_m[0], [-5000.0, -5010.0, -5020.0, -5030.0])


def test_truncated_netcdf_is_a_data_error(tmp_path: Path) -> None:
    p = tmp_path / "g.nc"
    _write_nc(p, np.arange(50.0, 51.0, 0.1), np.arange(40.0, 41.0, 0.1), np.zeros((10, 10)))
    raw = p.read_bytes()
    p.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataError, match=str(p)):
        read_grid(p)
