"""Checks on the bundled hazard and constraint layer ``data/caspian_hazards.geojson``.

Offline: the file is read from the installed package with ``importlib.resources``.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

import pytest
from shapely.geometry import LineString, Point, shape

RESOURCE = ("data", "caspian_hazards.geojson")
MAX_BYTES = 200 * 1024

REQUIRED_KEYS = {
    "name",
    "kind",
    "action",
    "buffer_m",
    "penalty_factor",
    "source",
    "approximate",
    "geometry_note",
}
KINDS = {
    "platform",
    "field",
    "pipeline",
    "cable",
    "mud_volcano",
    "slope_instability",
    "shipping_lane",
    "anchorage",
    "restricted",
}
ACTIONS = {"forbid", "penalise", "cross"}
# What the route engine expects of each kind: the action, and the geometry type.
ACTION_OF_KIND = {
    "platform": "forbid",
    "field": "forbid",
    "pipeline": "cross",
    "cable": "cross",
    "mud_volcano": "penalise",
    "slope_instability": "penalise",
    "shipping_lane": "penalise",
    "anchorage": "penalise",
    "restricted": "penalise",
}
GEOMETRY_OF_KIND = {
    "platform": "Point",
    "mud_volcano": "Point",
    "field": "Polygon",
    "slope_instability": "Polygon",
    "anchorage": "Polygon",
    "restricted": "Polygon",
    "pipeline": "LineString",
    "cable": "LineString",
    "shipping_lane": "LineString",
}

# Caspian bounding box (lon/lat degrees).
LON_MIN, LON_MAX = 46.0, 55.5
LAT_MIN, LAT_MAX = 36.5, 47.5

# Landing points (town centres, as in the default scenario): lon, lat.
SUMGAYIT = (49.669, 40.590)
AKTAU = (51.150, 43.650)

M_PER_DEG_LAT = 111_320.0


def _read_bytes() -> bytes:
    ref = resources.files("transcaspian")
    for part in RESOURCE:
        ref = ref.joinpath(part)
    return ref.read_bytes()


@pytest.fixture(scope="module")
def collection() -> dict[str, Any]:
    data = json.loads(_read_bytes().decode("utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def features(collection: dict[str, Any]) -> list[dict[str, Any]]:
    feats = collection["features"]
    assert isinstance(feats, list)
    return feats


def _coords(geom: dict[str, Any]) -> list[tuple[float, float]]:
    """All positions of a Point / LineString / Polygon as (lon, lat)."""
    c = geom["coordinates"]
    if geom["type"] == "Point":
        return [tuple(c)]
    if geom["type"] == "LineString":
        return [tuple(p) for p in c]
    if geom["type"] == "Polygon":
        return [tuple(p) for ring in c for p in ring]
    raise AssertionError(f"unexpected geometry type {geom['type']}")


def _buffer_deg(buffer_m: float) -> float:
    """Buffer in degrees, conservative: metres per degree of longitude at the box's north edge."""
    return buffer_m / (M_PER_DEG_LAT * math.cos(math.radians(LAT_MAX)))


def _forbid_zones(features: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    out = []
    for f in features:
        p = f["properties"]
        if p["action"] == "forbid":
            out.append((p["name"], shape(f["geometry"]).buffer(_buffer_deg(p["buffer_m"]))))
    return out


def test_file_is_small_and_pretty_printed() -> None:
    raw = _read_bytes()
    assert len(raw) < MAX_BYTES
    assert raw.count(b"\n") > 100  # indented, one value per line, not a single-line dump


def test_is_a_feature_collection(
    collection: dict[str, Any], features: list[dict[str, Any]]
) -> None:
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection  # RFC 7946: WGS84 lon/lat only, no crs member
    assert len(features) > 0
    for f in features:
        assert f["type"] == "Feature"
        assert isinstance(f["geometry"], dict)
        assert isinstance(f["properties"], dict)


def test_properties_have_exactly_the_required_keys(features: list[dict[str, Any]]) -> None:
    for f in features:
        assert set(f["properties"]) == REQUIRED_KEYS, f["properties"].get("name")


def test_property_values_are_valid(features: list[dict[str, Any]]) -> None:
    names = set()
    for f in features:
        p = f["properties"]
        name = p["name"]
        assert isinstance(name, str)
        assert name.strip()
        assert name not in names, f"duplicate name {name!r}"
        names.add(name)
        assert p["kind"] in KINDS, name
        assert p["action"] in ACTIONS, name
        assert p["action"] == ACTION_OF_KIND[p["kind"]], name
        for key in ("buffer_m", "penalty_factor"):
            value = p[key]
            assert isinstance(value, (int, float)), (name, key)
            assert not isinstance(value, bool), (name, key)
            assert math.isfinite(value), (name, key)
            assert value >= 0, (name, key)
        assert p["buffer_m"] <= 100_000, name  # the loader's limit
        if p["action"] == "forbid":
            assert p["penalty_factor"] == 0, name
        else:
            assert p["penalty_factor"] > 0, name
        assert isinstance(p["approximate"], bool), name
        assert isinstance(p["source"], str), name
        assert p["source"].strip(), name
        assert isinstance(p["geometry_note"], str), name
        if p["approximate"]:
            assert p["geometry_note"].strip(), f"{name}: approximate geometry needs a note"


def test_platform_safety_zones_are_at_least_500_m(features: list[dict[str, Any]]) -> None:
    for f in features:
        p = f["properties"]
        if p["kind"] in {"platform", "field"}:
            assert p["buffer_m"] >= 500, p["name"]


def test_features_are_sorted_by_kind_then_name(features: list[dict[str, Any]]) -> None:
    keys = [(f["properties"]["kind"], f["properties"]["name"]) for f in features]
    assert keys == sorted(keys)


def test_geometry_type_matches_kind(features: list[dict[str, Any]]) -> None:
    for f in features:
        p = f["properties"]
        assert f["geometry"]["type"] == GEOMETRY_OF_KIND[p["kind"]], p["name"]


def test_coordinates_are_lon_lat_inside_the_caspian_box(features: list[dict[str, Any]]) -> None:
    for f in features:
        for pos in _coords(f["geometry"]):
            assert len(pos) == 2, f["properties"]["name"]
            lon, lat = pos
            assert LON_MIN <= lon <= LON_MAX, (f["properties"]["name"], pos)
            assert LAT_MIN <= lat <= LAT_MAX, (f["properties"]["name"], pos)


def test_geometries_are_valid(features: list[dict[str, Any]]) -> None:
    for f in features:
        geom = shape(f["geometry"])
        name = f["properties"]["name"]
        assert not geom.is_empty, name
        assert geom.is_valid, name
        if f["geometry"]["type"] == "Polygon":
            for ring in f["geometry"]["coordinates"]:
                assert len(ring) >= 4, name
                assert ring[0] == ring[-1], f"{name}: ring not closed"
            # RFC 7946 section 3.1.6: exterior ring counter-clockwise
            assert geom.exterior.is_ccw, f"{name}: exterior ring is clockwise"
        if f["geometry"]["type"] == "LineString":
            assert geom.length > 0, name


@pytest.mark.parametrize(("label", "lonlat"), [("Sumgayit", SUMGAYIT), ("Aktau", AKTAU)])
def test_no_forbid_zone_contains_a_landing_point(
    features: list[dict[str, Any]], label: str, lonlat: tuple[float, float]
) -> None:
    landing = Point(lonlat)
    for name, zone in _forbid_zones(features):
        assert not zone.contains(landing), f"forbidden zone {name!r} contains {label}"


def test_forbid_zones_leave_the_direct_corridor_open(features: list[dict[str, Any]]) -> None:
    """Platforms and field safety zones must not block the open-water Sumgayit-Aktau corridor."""
    direct = LineString([SUMGAYIT, AKTAU])
    for name, zone in _forbid_zones(features):
        assert not zone.intersects(direct), f"forbidden zone {name!r} blocks the direct corridor"
