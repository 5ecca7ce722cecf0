"""Hazard layers: GeoJSON validation, geodesic buffers, rasterisation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import Point

from transcaspian.errors import DataError
from transcaspian.geo.grid import BathymetryGrid
from transcaspian.geo.hazards import buffer_geodesic, parse_hazards, rasterise_hazards, read_hazards


def _fc(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _feat(geom: dict, **props: object) -> dict:
    base = {"name": "x", "kind": "platform", "action": "forbid", "buffer_m": 500}
    base.update(props)
    return {"type": "Feature", "geometry": geom, "properties": base}


def test_geodesic_buffer_area() -> None:
    """A 5 km buffer round a point has area π r² on the ellipsoid (to the polygon's 0.1 %)."""
    zone = buffer_geodesic(Point(50.5, 41.0), 5000.0)
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(zone)
    assert abs(area) == pytest.approx(np.pi * 5000.0**2, rel=2e-3)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: {"type": "Feature"}, "not a GeoJSON FeatureCollection"),
        (lambda d: d["features"][0]["properties"].update(action="avoid"), "action 'avoid'"),
        (lambda d: d["features"][0]["properties"].update(kind="whale"), "kind 'whale'"),
        (lambda d: d["features"][0]["properties"].pop("name"), "property 'name' is missing"),
        (lambda d: d["features"][0]["properties"].update(buffer_m=-1), "buffer_m"),
        (
            lambda d: d["features"][0].update(geometry={"type": "Point", "coordinates": [500, 41]}),
            "not lon/lat",
        ),
        (lambda d: d["features"][0].update(geometry={"type": "Blob"}), "invalid geometry"),
    ],
)
def test_bad_features_are_named(mutate, message: str) -> None:
    data = _fc(_feat({"type": "Point", "coordinates": [50.5, 41.0]}))
    out = mutate(data)
    data = out if isinstance(out, dict) else data
    with pytest.raises(DataError, match=message):
        parse_hazards(data, source="layer.geojson")


def test_invalid_json_file(tmp_path: Path) -> None:
    p = tmp_path / "bad.geojson"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.geojson: JSON syntax error at line 1"):
        read_hazards(p)
    with pytest.raises(DataError, match="not found"):
        read_hazards(tmp_path / "none.geojson")


def test_rasterise_marks_touched_cells(bowl_grid: BathymetryGrid) -> None:
    hz = parse_hazards(
        _fc(
            _feat({"type": "Point", "coordinates": [51.0, 41.0]}, buffer_m=3000),
            _feat(
                {"type": "LineString", "coordinates": [[50.5, 40.5], [50.5, 41.5]]},
                kind="pipeline",
                action="cross",
                buffer_m=0,
                penalty_factor=3.0,
            ),
        ),
        source="t",
    )
    r = rasterise_hazards(bowl_grid, hz, default_penalty=2.0, default_crossing=4.0)
    # a 3 km radius disc spans ±0.036° lat: 4-5 cells of 0.02° per axis
    rows, _cols = np.nonzero(r.forbidden)
    assert 3 <= np.ptp(rows) + 1 <= 6
    assert r.crossing.max() == pytest.approx(3.0)
    assert r.penalty.max() == 0.0
    json.dumps(hz[0].to_dict())


def test_a_subnormal_buffer_is_one_clear_line() -> None:
    """A buffer of 5e-324 m once reached GEOS raw (exit 1); it is now a user error."""
    import pytest

    from transcaspian.errors import DataError
    from transcaspian.geo.hazards import parse_hazards

    doc = {"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [50.5, 41.0]},
        "properties": {"name": "p", "kind": "platform", "action": "forbid", "buffer_m": 5e-324},
    }]}
    with pytest.raises(DataError, match="buffer_m must be 0 or between 0.01"):
        parse_hazards(doc, source="t.geojson")
