"""The TeleGeography-format importer on small files written here (never the CC BY-NC-SA data)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcaspian.errors import DataError
from transcaspian.network import NetworkConfig, analyse_corridor
from transcaspian.network.config import TeleGeographyImport
from transcaspian.network.telegeography import parse_length_km, read_telegeography
from transcaspian.network.topology import geodesic_km, resolve_links


def _write(tmp_path, meta_length="1,300 km"):
    # A made-up Black Sea cable Poti - Varna with a spur to Trabzon, drawn as a trunk + branch.
    lps = {
        "poti-georgia": (41.67, 42.15, "Poti, Georgia"),
        "varna-bulgaria": (27.91, 43.21, "Varna, Bulgaria"),
        "trabzon-turkey": (39.72, 41.00, "Trabzon, Turkey"),
    }
    lp_doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": k, "name": v[2], "is_tbd": False},
                "geometry": {"type": "Point", "coordinates": [v[0], v[1]]},
            }
            for k, v in lps.items()
        ],
    }
    geo = {
        "type": "FeatureCollection",
        "name": "submarine_cables",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "test-cable", "name": "Test Cable", "color": "#000"},
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": [
                        [[41.67, 42.15], [39.8, 42.2], [35.0, 43.0], [30.0, 43.3], [27.91, 43.21]],
                        [[39.8, 42.2], [39.72, 41.00]],
                    ],
                },
            }
        ],
    }
    meta = [
        {
            "id": "test-cable",
            "name": "Test Cable",
            "length": meta_length,
            "landing_points": [
                {"id": "varna-bulgaria", "name": "Varna, Bulgaria", "country": "Bulgaria"},
                {"id": "poti-georgia", "name": "Poti, Georgia", "country": "Georgia"},
                {"id": "trabzon-turkey", "name": "Trabzon, Turkey", "country": "Turkey"},
            ],
            "is_planned": False,
            "rfs": "2030 Q1",
        }
    ]
    paths = {}
    for name, doc in (("lp.json", lp_doc), ("geo.json", geo), ("meta.json", meta)):
        p = tmp_path / name
        p.write_text(json.dumps(doc), encoding="utf-8")
        paths[name] = p
    return TeleGeographyImport(
        cables_geojson=paths["geo.json"],
        landing_points_geojson=paths["lp.json"],
        cables_meta=paths["meta.json"],
        capacity_tbps=8.0,
    )


def test_parse_length():
    assert parse_length_km("1,200 km") == 1200.0
    assert parse_length_km("341 km") == 341.0
    assert parse_length_km(None) is None
    assert parse_length_km("TBD") is None


def test_import_orders_landings_along_the_cable(tmp_path):
    ds = read_telegeography(_write(tmp_path))
    cable_links = [lk for lk in ds.links if lk.system == "Test Cable"]
    # order along the trunk from Poti: Poti, Trabzon (branch point near Poti), Varna
    ends = [(lk.a, lk.b) for lk in cable_links]
    assert ends == [
        ("tg:poti-georgia", "tg:trabzon-turkey"),
        ("tg:trabzon-turkey", "tg:varna-bulgaria"),
    ]
    corr = resolve_links(ds, source_name="tg")
    for lk in corr.links:
        assert lk.length_km >= lk.great_circle_km
        assert "cable:test-cable" in lk.srlgs
        assert lk.capacity_tbps == 8.0
    # Poti -> branch point (39.8E, 42.2N) -> Trabzon: drawn length by hand ~155 + 133 km
    first = corr.link(cable_links[0].id)
    hand = float(geodesic_km(42.15, 41.67, 42.2, 39.8) + geodesic_km(42.2, 39.8, 41.0, 39.72))
    assert first.length_km == pytest.approx(hand, rel=0.01)


def test_import_backhaul_to_anchor_nodes(tmp_path):
    from transcaspian.network.topology import read_dataset

    ds = read_telegeography(_write(tmp_path), tuple(read_dataset().nodes))
    backhaul = {(lk.a, lk.b) for lk in ds.links if lk.system.startswith("backhaul")}
    assert ("tg:poti-georgia", "poti") in backhaul and ("tg:varna-bulgaria", "varna") in backhaul


def test_import_used_by_the_stage(tmp_path):
    cfg = NetworkConfig(
        telegeography=_write(tmp_path),
        latency_pairs=(("baku", "frankfurt"),),
    )
    res = analyse_corridor(cfg, trans_caspian_length_km=380.0)
    assert any(lk.id.startswith("tg:") for lk in res.corridor.links)
    cut = next(c for c in res.cuts if c["name"] == "srlg_cable_test-cable")
    assert len(cut["with_trans_caspian"]["links_cut"]) == 2


def test_import_bad_files(tmp_path):
    opts = _write(tmp_path)
    opts.landing_points_geojson.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="JSON syntax error at line 1"):
        read_telegeography(opts)
    opts.landing_points_geojson.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(DataError, match="not a GeoJSON FeatureCollection"):
        read_telegeography(opts)


def test_import_v2_slug_keys(tmp_path):
    opts = _write(tmp_path)
    doc = json.loads(opts.landing_points_geojson.read_text(encoding="utf-8"))
    for i, f in enumerate(doc["features"]):
        f["properties"] = {"slug": f["properties"]["id"], "name": f["properties"]["name"], "id": i}
    opts.landing_points_geojson.write_text(json.dumps(doc), encoding="utf-8")
    ds = read_telegeography(opts)
    assert len([lk for lk in ds.links if lk.system == "Test Cable"]) == 2


def test_import_malformed_records_are_one_line_errors(tmp_path):
    opts = _write(tmp_path)
    meta = json.loads(opts.cables_meta.read_text(encoding="utf-8"))
    meta[0]["landing_points"] = "Poti; Varna"
    opts.cables_meta.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(DataError, match="landing_points is not a list"):
        read_telegeography(opts)
    opts = _write(tmp_path)
    geo = json.loads(opts.cables_geojson.read_text(encoding="utf-8"))
    geo["features"][0]["geometry"]["coordinates"] = [[["a", "b"], [1, 2]]]
    opts.cables_geojson.write_text(json.dumps(geo), encoding="utf-8")
    with pytest.raises(DataError, match="bad coordinates"):
        read_telegeography(opts)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(meta=json_values, geo=json_values)
def test_importer_fed_malformed_json_raises_only_data_error(tmp_path, meta, geo):
    opts = _write(tmp_path)
    opts.cables_meta.write_text(json.dumps(meta), encoding="utf-8")
    opts.cables_geojson.write_text(json.dumps(geo), encoding="utf-8")
    try:
        read_telegeography(opts)
    except DataError as exc:
        assert "\n" not in str(exc)
