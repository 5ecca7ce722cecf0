"""Import submarine cables from files in the TeleGeography Submarine Cable Map format.

The public copies of those files are licensed CC BY-NC-SA 3.0 (non-commercial, share-alike),
so transcaspian never bundles them: users point ``network.telegeography`` at files they hold.
Format (API v3, late 2022, see network.md sec. 1.1; v2 files with ``slug`` keys also load):

* ``cable-geo.json`` — FeatureCollection of MultiLineString features, ``properties.id``;
* ``landing-point-geo.json`` — FeatureCollection of Point features, ``properties.id``/``name``;
* cables metadata — a JSON list of records ``{id, name, length ("1,200 km"), landing_points:
  [{id, name, country}], is_planned, rfs, owners}`` (the concatenated ``cable/<id>.json``).

Each cable becomes a chain of links between its landing points, ordered by their position along
the cable's longest drawn line (branches project onto the trunk). A segment's length is the
WGS84 length of the drawn line between the two positions plus each landing's distance off the
trunk, and never less than the great circle; a two-landing cable with a stated length uses it.
Every segment of a cable shares the SRLG ``cable:<id>``. The drawn geometry is cartographic
(±10 % on length), fine for a corridor study, not for route engineering.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._load import parse_json, read_text, validation_error
from ..errors import DataError
from .config import CorridorDataset, LinkSpec, NodeSpec, TeleGeographyImport
from .topology import geodesic_km, polyline_km

SOURCE_KEY = "telegeography"
_LENGTH = re.compile(r"^\s*([\d,\.]+)\s*km\s*$", re.IGNORECASE)


def _read_json(path: Path) -> Any:
    text = read_text(path, what="TeleGeography file", error=DataError)
    return parse_json(text, source=str(path), error=DataError)


def _coordinate(value: Any) -> float:
    """A JSON number as a finite float; bools, strings and NaN are refused (ValueError)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number: {value!r}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"not finite: {value!r}")
    return out


def _lon_lat(x: Any, y: Any) -> tuple[float, float]:
    lon, lat = _coordinate(x), _coordinate(y)
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise ValueError(f"({lon}, {lat}) is not a lon/lat position")
    return lon, lat


def parse_length_km(text: Any) -> float | None:
    """``"1,200 km"`` → 1200.0; anything else → ``None``.

    >>> parse_length_km("25,000 km"), parse_length_km("n.a.")
    (25000.0, None)
    """
    if not isinstance(text, str):
        return None
    m = _LENGTH.match(text)
    if not m:
        return None
    try:
        return float(m.group(1).replace(",", ""))
    except ValueError:
        return None


def _features(doc: Any, path: Path) -> list[dict[str, Any]]:
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise DataError(f"{path}: not a GeoJSON FeatureCollection")
    return doc["features"]


def _node_id(lp_id: str) -> str:
    return "tg:" + re.sub(r"[^A-Za-z0-9_.:-]", "-", lp_id)


def _read_landing_points(path: Path) -> dict[str, tuple[float, float, str]]:
    """Landing points by id (and by v2 slug): ``(lat_deg, lon_deg, name)``."""
    points: dict[str, tuple[float, float, str]] = {}
    for i, f in enumerate(_features(_read_json(path), path)):
        try:
            pid = str(f["properties"]["id"])
            lon, lat = (_coordinate(v) for v in f["geometry"]["coordinates"][:2])
            if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                raise ValueError("outside lon/lat")
            name = str(f["properties"].get("name") or pid)
        except (KeyError, TypeError, ValueError):
            raise DataError(f"{path}: feature {i}: needs properties.id and a Point") from None
        points[pid] = (lat, lon, name)
        slug = f["properties"].get("slug")  # API v2 keys landing points by slug
        if slug:
            points.setdefault(str(slug), (lat, lon, name))
    return points


def _read_cable_lines(path: Path) -> dict[str, list[list[tuple[float, float]]]]:
    """Drawn line parts of each cable, ``(lon, lat)`` vertices, by cable id (or v2 slug)."""
    lines: dict[str, list[list[tuple[float, float]]]] = {}
    for f in _features(_read_json(path), path):
        if not isinstance(f, dict):
            continue
        props = f.get("properties") or {}
        geom = f.get("geometry") or {}
        if not isinstance(props, dict) or not isinstance(geom, dict):
            continue
        cid = props.get("id") or props.get("slug")
        if not cid or geom.get("type") not in ("LineString", "MultiLineString"):
            continue
        coords = geom.get("coordinates")
        if not isinstance(coords, list):
            raise DataError(f"{path}: cable {cid}: geometry has no coordinates list")
        parts = coords if geom["type"] == "MultiLineString" else [coords]
        try:
            lines.setdefault(str(cid), []).extend(
                [_lon_lat(x, y) for x, y, *_ in part] for part in parts if len(part) >= 2
            )
        except (TypeError, ValueError):
            raise DataError(f"{path}: cable {cid}: bad coordinates") from None
    return lines


def _read_cable_records(path: Path) -> list[Any]:
    """The cables metadata as a list of records (a JSON object of records is accepted)."""
    meta = _read_json(path)
    if isinstance(meta, dict):
        meta = list(meta.values())
    if not isinstance(meta, list):
        raise DataError(f"{path}: expected a JSON list of cable records")
    return meta


def _trunk(parts: list[list[tuple[float, float]]] | None) -> Any:
    """The longest merged line of a cable's drawing (shapely), or ``None`` without a drawing."""
    if not parts:
        return None
    from shapely.geometry import MultiLineString
    from shapely.ops import linemerge

    merged = linemerge(MultiLineString(parts))
    return max(list(getattr(merged, "geoms", [merged])), key=lambda g: g.length)


def _segment_geometry(
    trunk: Any, a: tuple[float, float, str], b: tuple[float, float, str], s_a: float, s_b: float
) -> tuple[float, tuple[tuple[float, float], ...]]:
    """Length [km] and waypoints of the segment between two landings along the trunk.

    The drawn line between the two projections plus each landing's distance off the trunk; the
    great circle when the cable has no drawing.
    """
    (la, oa, _), (lb, ob, _) = a, b
    if trunk is None:
        return float(geodesic_km(la, oa, lb, ob)), ()
    from shapely.ops import substring

    seg = substring(trunk, s_a, s_b)
    pts = [(y, x) for x, y in getattr(seg, "coords", [])]
    pa, pb = trunk.interpolate(s_a), trunk.interpolate(s_b)
    length = polyline_km(pts) if len(pts) >= 2 else 0.0
    length += float(geodesic_km(la, oa, pa.y, pa.x) + geodesic_km(lb, ob, pb.y, pb.x))
    via = tuple((float(y), float(x)) for y, x in pts[1:-1][:: max(1, len(pts) // 20)])
    return length, via


def _cable_links(
    rec: dict[str, Any],
    cid: str,
    points: dict[str, tuple[float, float, str]],
    lines: dict[str, list[list[tuple[float, float]]]],
    options: TeleGeographyImport,
    nodes: dict[str, NodeSpec],
    first_index: int,
) -> list[LinkSpec]:
    """One cable's chain of segments between its known landing points (adds them to ``nodes``)."""
    from shapely.geometry import Point

    raw_lps = rec.get("landing_points") or []
    if not isinstance(raw_lps, list):
        raise DataError(f"{options.cables_meta}: cable {cid}: landing_points is not a list")
    lps = [lp for lp in raw_lps if isinstance(lp, dict) and str(lp.get("id")) in points]
    if len(lps) < 2:
        return []
    coords = [points[str(lp["id"])] for lp in lps]
    trunk = _trunk(lines.get(cid))
    if trunk is not None:
        along = [trunk.project(Point(lon, lat)) for lat, lon, _ in coords]
        order = sorted(range(len(lps)), key=lambda i: along[i])
    else:
        along = [0.0] * len(lps)
        order = list(range(len(lps)))
    stated = parse_length_km(rec.get("length"))
    for lp in lps:
        nid = _node_id(str(lp["id"]))
        lat, lon, name = points[str(lp["id"])]
        nodes.setdefault(
            nid,
            NodeSpec(
                id=nid,
                name=name,
                country="ZZZ",
                lat_deg=lat,
                lon_deg=lon,
                role="landing",
                source=SOURCE_KEY,
            ),
        )
    links: list[LinkSpec] = []
    for i, j in itertools.pairwise(order):
        (la, oa, _), (lb, ob, _) = coords[i], coords[j]
        gc = float(geodesic_km(la, oa, lb, ob))
        length, via = _segment_geometry(trunk, coords[i], coords[j], along[i], along[j])
        if len(lps) == 2 and stated is not None:
            length = stated
        length = max(length, gc * 1.0001, 0.1)
        links.append(
            LinkSpec(
                id=f"tg:{cid}:{first_index + len(links)}",
                system=str(rec.get("name") or cid),
                a=_node_id(str(lps[i]["id"])),
                b=_node_id(str(lps[j]["id"])),
                kind="submarine",
                status="planned" if rec.get("is_planned") else "existing",
                length_km=length,
                via=via,
                capacity_tbps=options.capacity_tbps,
                srlgs=(f"cable:{cid}",),
                source=SOURCE_KEY,
            )
        )
    return links


def _backhaul_links(
    nodes: list[NodeSpec],
    anchors: tuple[NodeSpec, ...],
    connect_within_km: float,
    capacity_tbps: float,
) -> list[LinkSpec]:
    """A terrestrial backhaul from each imported landing to the nearest anchor within reach."""
    links: list[LinkSpec] = []
    for n in nodes:
        best, dist = None, connect_within_km
        for a in anchors:
            d = float(geodesic_km(n.lat_deg, n.lon_deg, a.lat_deg, a.lon_deg))
            if d <= dist:
                best, dist = a, d
        if best is not None:
            links.append(
                LinkSpec(
                    id=f"tg:backhaul:{n.id[3:]}",
                    system="backhaul (imported)",
                    a=n.id,
                    b=best.id,
                    kind="terrestrial",
                    length_km=max(dist * 1.3, 0.1),
                    capacity_tbps=capacity_tbps,
                    source=SOURCE_KEY,
                )
            )
    return links


def read_telegeography(
    options: TeleGeographyImport,
    anchors: tuple[NodeSpec, ...] = (),
    connect_within_km: float = 60.0,
) -> CorridorDataset:
    """Nodes and links of the cables in TeleGeography-format files.

    Parameters
    ----------
    options : TeleGeographyImport
        File paths, cable filter, capacity estimate [Tbit/s].
    anchors : tuple of NodeSpec
        Corridor nodes; each imported landing point within ``connect_within_km`` of one gets a
        terrestrial backhaul link to the nearest.
    connect_within_km : float
        Backhaul distance limit [km].

    Raises
    ------
    DataError
        Unreadable file, not a FeatureCollection, a record without ``id`` or landing points.
    """
    try:
        return _read_telegeography(options, anchors, connect_within_km)
    except ValidationError as err:  # an imported value our node/link models refuse
        raise validation_error(err, str(options.cables_meta), DataError) from None


def _read_telegeography(
    options: TeleGeographyImport, anchors: tuple[NodeSpec, ...], connect_within_km: float
) -> CorridorDataset:
    points = _read_landing_points(options.landing_points_geojson)
    lines = _read_cable_lines(options.cables_geojson)
    meta = _read_cable_records(options.cables_meta)
    wanted = set(options.cable_ids)
    nodes: dict[str, NodeSpec] = {}
    links: list[LinkSpec] = []
    for rec in meta:
        if not isinstance(rec, dict) or "id" not in rec:
            raise DataError(f"{options.cables_meta}: a cable record has no 'id'")
        cid = str(rec["id"])
        if wanted and cid not in wanted:
            continue
        links += _cable_links(rec, cid, points, lines, options, nodes, len(links))
    links += _backhaul_links(
        list(nodes.values()), anchors, connect_within_km, options.capacity_tbps
    )
    if not links:
        raise DataError(f"{options.cables_meta}: no cable with two known landing points")
    return CorridorDataset(
        sources={
            SOURCE_KEY: f"TeleGeography Submarine Cable Map data (user-supplied: "
            f"{options.cables_meta.name}), CC BY-NC-SA 3.0; lengths from the drawn geometry."
        },
        nodes=tuple(nodes.values()),
        links=tuple(links),
    )
