"""Hazard and constraint layers (GeoJSON) and their rasterisation onto a routing grid.

A layer is an RFC 7946 GeoJSON FeatureCollection. Each feature's ``properties``:

==================  =========================================================================
``name``            what it is
``kind``            platform, field, pipeline, cable, mud_volcano, slope_instability,
                    shipping_lane, anchorage, restricted
``action``          ``forbid`` (never enter), ``penalise`` (extra cost), ``cross`` (a linear asset
                    the cable may cross at a cost, near-perpendicular preferred)
``buffer_m``        half-width of the safety zone / corridor around the geometry [m] (default 0)
``penalty_factor``  extra routing-cost factor inside the zone (default: the scenario's)
``source``          citation; ``approximate`` true when the geometry is an estimate
==================  =========================================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt
import shapely
import shapely.validation
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .._load import parse_json, read_text
from ..errors import DataError
from .grid import BathymetryGrid

BUNDLED_HAZARDS = "caspian_hazards.geojson"

Kind = Literal[
    "platform",
    "field",
    "pipeline",
    "cable",
    "mud_volcano",
    "slope_instability",
    "shipping_lane",
    "anchorage",
    "restricted",
]
Action = Literal["forbid", "penalise", "cross"]
_KINDS = set(get_args(Kind))
_ACTIONS = set(get_args(Action))


@dataclass(frozen=True)
class Hazard:
    """One constraint feature, with its buffered zone in lon/lat."""

    name: str
    kind: str
    action: str
    buffer_m: float
    penalty_factor: float | None
    source: str
    approximate: bool
    geometry: BaseGeometry  # as given (lon/lat)
    zone: BaseGeometry  # buffered by buffer_m (lon/lat)
    layer: str
    #: What was done to an invalid geometry (empty when it was valid): feature, problem, fix.
    repair_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "action": self.action,
            "buffer_m": self.buffer_m,
            "source": self.source,
            "approximate": self.approximate,
            "layer": self.layer,
        }


def aeqd_transformers(lon0_deg: float, lat0_deg: float) -> tuple[Transformer, Transformer]:
    """Forward (lon/lat → x/y [m]) and inverse transformers of the azimuthal equidistant
    projection centred on (``lon0_deg``, ``lat0_deg``): distances from the centre are true on
    the WGS84 ellipsoid, errors < 0.1 % within ~100 km.

    Written as PROJ pipelines (degrees in and out, as ``EPSG:4326`` with ``always_xy``): the
    same operation as ``Transformer.from_crs`` between WGS84 and this projection (no datum
    shift), without its operation search, which cost ~6 ms per transformer (0.3 s of the route
    stage's hazard buffers).
    """
    aeqd = f"+proj=aeqd +lat_0={lat0_deg!r} +lon_0={lon0_deg!r} +ellps=WGS84"
    deg_rad = "+proj=unitconvert +xy_in=deg +xy_out=rad"
    rad_deg = "+proj=unitconvert +xy_in=rad +xy_out=deg"
    return (Transformer.from_pipeline(f"+proj=pipeline +step {deg_rad} +step {aeqd}"),
            Transformer.from_pipeline(f"+proj=pipeline +step +inv {aeqd} +step {rad_deg}"))


def transform_geometry(geom: Any, t: Transformer) -> Any:
    """A shapely geometry (or array of them) with its coordinates passed through ``t``."""

    def f(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = t.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, f)


def buffer_geodesic(geom: BaseGeometry, distance_m: float) -> BaseGeometry:
    """Buffer a lon/lat geometry by a distance in metres.

    The geometry is projected to an azimuthal equidistant projection centred on its centroid
    (:func:`aeqd_transformers`), buffered there, and projected back.
    """
    if distance_m <= 0:
        return geom
    c = geom.centroid
    fwd, inv = aeqd_transformers(c.x, c.y)
    projected = transform_geometry(geom, fwd).buffer(distance_m, quad_segs=16)
    return transform_geometry(projected, inv)


def _prop(
    props: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...], default: Any = ...
) -> Any:
    if key not in props or props[key] is None:
        if default is ...:
            raise DataError(f"{where}: property '{key}' is missing")
        return default
    value = props[key]
    if isinstance(value, bool) and kind is not bool:
        raise DataError(f"{where}: property '{key}' has the wrong type ({value!r})")
    if not isinstance(value, kind):
        raise DataError(f"{where}: property '{key}' has the wrong type ({value!r})")
    return value


#: Feature properties read by the loader; others are kept out of the model but allowed (a
#: layer may carry ids or notes), unless they look like a misspelling of one of these.
KNOWN_PROPERTIES = (
    "name", "kind", "action", "buffer_m", "penalty_factor", "source", "approximate",
)

InvalidGeometry = Literal["repair", "refuse"]


def _check_coordinates(coords: Any, where: str, depth: int = 0) -> None:
    """Every coordinate is a finite JSON number (no bool, string, NaN); nesting ≤ 4 levels."""
    if depth > 4:
        raise DataError(f"{where}: invalid geometry (coordinates nested too deeply)")
    if isinstance(coords, list | tuple):
        for c in coords:
            _check_coordinates(c, where, depth + 1)
        return
    if isinstance(coords, bool) or not isinstance(coords, int | float):
        raise DataError(f"{where}: invalid geometry (coordinate {coords!r} is not a number)")
    if not np.isfinite(coords):
        raise DataError(f"{where}: invalid geometry (coordinate {coords!r} is not finite)")


def _geometry(feat: dict[str, Any], where: str) -> BaseGeometry:
    raw = feat.get("geometry")
    if not isinstance(raw, dict):
        raise DataError(f"{where}: 'geometry' must be a GeoJSON geometry object")
    if raw.get("type") == "GeometryCollection":
        for g in raw.get("geometries") or []:
            _check_coordinates(g.get("coordinates") if isinstance(g, dict) else g, where)
    else:
        _check_coordinates(raw.get("coordinates"), where)
    try:
        geom = shape(raw)
    except Exception as exc:  # shapely raises several types for bad geometry
        raise DataError(f"{where}: invalid geometry ({exc})".replace("\n", " ")) from None
    if geom.is_empty:
        raise DataError(f"{where}: empty geometry")
    w, s, e, n = geom.bounds
    if not (-180 <= w <= e <= 180 and -90 <= s <= n <= 90):
        raise DataError(f"{where}: coordinates are not lon/lat degrees (bounds {geom.bounds})")
    return geom


def _area_km2(geom: BaseGeometry) -> float:
    from pyproj import Geod

    area_m2, _ = Geod(ellps="WGS84").geometry_area_perimeter(geom)
    return abs(float(area_m2)) / 1e6


def _repair(
    geom: BaseGeometry, where: str, invalid: InvalidGeometry
) -> tuple[BaseGeometry, str]:
    """A valid geometry and a note saying what was wrong and what was done (or DataError)."""
    if geom.is_valid:
        return geom, ""
    reason = shapely.validation.explain_validity(geom)
    if invalid == "refuse":
        raise DataError(
            f"{where}: invalid geometry ({reason}); fix it, or set "
            "route.hazards.invalid_geometry: repair"
        )
    fixed = shapely.make_valid(geom)
    note = (
        f"{where}: invalid {geom.geom_type} ({reason}) repaired with shapely.make_valid into "
        f"a {fixed.geom_type}"
    )
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        note += f" of {_area_km2(fixed):.3g} km²; check that this is the zone meant"
    return fixed, note


def _misspelt_property(props: dict[str, Any], where: str) -> None:
    import difflib

    for key in props:
        if not isinstance(key, str) or key in KNOWN_PROPERTIES:
            continue
        close = difflib.get_close_matches(key, KNOWN_PROPERTIES, n=1, cutoff=0.75)
        if close:
            raise DataError(f"{where}: unknown property '{key}' (did you mean `{close[0]}`?)")


def parse_hazards(
    data: Any, *, source: str, invalid: InvalidGeometry = "repair"
) -> tuple[Hazard, ...]:
    """Validate a parsed GeoJSON FeatureCollection into :class:`Hazard` objects.

    Parameters
    ----------
    data : object
        The parsed GeoJSON.
    source : str
        Layer name used in messages and results.
    invalid : {"repair", "refuse"}
        What to do with an invalid geometry (a self-intersecting polygon): repair it with
        ``shapely.make_valid`` and say so in :attr:`Hazard.repair_note` (the route's warnings
        carry it), or refuse the layer with a DataError naming the feature.
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataError(f"{source}: not a GeoJSON FeatureCollection")
    feats = data.get("features")
    if not isinstance(feats, list):
        raise DataError(f"{source}: 'features' must be a list")
    out: list[Hazard] = []
    for i, feat in enumerate(feats):
        where = f"{source}: feature {i}"
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise DataError(f"{where}: not a GeoJSON Feature")
        props = feat.get("properties") or {}
        if not isinstance(props, dict):
            raise DataError(f"{where}: 'properties' must be an object")
        name = _prop(props, "name", where, str)
        where = f"{source}: feature {i} ({name!r})"
        _misspelt_property(props, where)
        kind = _prop(props, "kind", where, str)
        if kind not in _KINDS:
            raise DataError(f"{where}: kind '{kind}' is not one of {', '.join(sorted(_KINDS))}")
        action = _prop(props, "action", where, str)
        if action not in _ACTIONS:
            raise DataError(f"{where}: action '{action}' is not one of forbid, penalise, cross")
        buffer_m = float(_prop(props, "buffer_m", where, (int, float), 0.0))
        if not (buffer_m == 0.0 or 0.01 <= buffer_m <= 100_000.0):
            # below a centimetre the geodesic buffer degenerates (GEOS fails on sub-normal
            # widths); such a zone is the geometry itself: give 0
            raise DataError(
                f"{where}: buffer_m must be 0 or between 0.01 and 100000 m, got {buffer_m:g}"
            )
        penalty = _prop(props, "penalty_factor", where, (int, float), None)
        if penalty is not None and not 0.0 <= float(penalty) <= 1000.0:
            raise DataError(f"{where}: penalty_factor must be between 0 and 1000, got {penalty}")
        geom, note = _repair(_geometry(feat, where), where, invalid)
        out.append(
            Hazard(
                name=name,
                kind=kind,
                action=action,
                buffer_m=buffer_m,
                penalty_factor=None if penalty is None else float(penalty),
                source=_prop(props, "source", where, str, ""),
                approximate=_prop(props, "approximate", where, bool, False),
                geometry=geom,
                zone=buffer_geodesic(geom, buffer_m),
                layer=source,
                repair_note=note,
            )
        )
    return tuple(out)


def read_hazards(
    path: str | os.PathLike[str], *, invalid: InvalidGeometry = "repair"
) -> tuple[Hazard, ...]:
    """Read a hazard layer from a GeoJSON file (see :func:`parse_hazards` for ``invalid``)."""
    p = Path(path)
    text = read_text(p, what="hazard layer", error=DataError)
    data = parse_json(text, source=str(p), error=DataError)
    return parse_hazards(data, source=p.name, invalid=invalid)


def bundled_hazards() -> tuple[Hazard, ...]:
    """The bundled Caspian hazard layer (see ``data/SOURCES.md``)."""
    ref = resources.files("transcaspian").joinpath("data").joinpath(BUNDLED_HAZARDS)
    data = parse_json(ref.read_text(encoding="utf-8"), source=BUNDLED_HAZARDS, error=DataError)
    return parse_hazards(data, source=BUNDLED_HAZARDS, invalid="refuse")


@dataclass(frozen=True)
class HazardRaster:
    """Hazards on the routing grid (cells touched by each zone)."""

    forbidden: npt.NDArray[np.bool_]
    penalty: npt.NDArray[np.float64]  # summed extra cost factor of penalised zones
    crossing: npt.NDArray[np.float64]  # summed extra cost factor of crossing corridors
    forbidden_union: BaseGeometry | None


def _touched(
    grid: BathymetryGrid, zone: BaseGeometry
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Rows/cols of the cells whose box intersects ``zone`` ("all touched")."""
    w, s, e, n = zone.bounds
    hx, hy = grid.dlon_deg / 2, grid.dlat_deg / 2
    ix = np.flatnonzero((grid.lon_deg + hx >= w) & (grid.lon_deg - hx <= e))
    iy = np.flatnonzero((grid.lat_deg + hy >= s) & (grid.lat_deg - hy <= n))
    if ix.size == 0 or iy.size == 0:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    cx, cy = np.meshgrid(grid.lon_deg[ix], grid.lat_deg[iy])
    boxes = shapely.box(cx - hx, cy - hy, cx + hx, cy + hy)
    shapely.prepare(zone)
    hit = shapely.intersects(zone, boxes)
    r, c = np.nonzero(hit)
    return iy[r], ix[c]


def rasterise_hazards(
    grid: BathymetryGrid,
    hazards: tuple[Hazard, ...],
    *,
    default_penalty: float,
    default_crossing: float,
) -> HazardRaster:
    """Mark the grid cells each hazard zone touches.

    Forbidden cells are impassable; penalised and crossing cells add their factor to the
    cell's cost (factors of overlapping zones add up).
    """
    forbidden = np.zeros(grid.shape, dtype=bool)
    penalty = np.zeros(grid.shape)
    crossing = np.zeros(grid.shape)
    forbid_zones = []
    for hz in hazards:
        rows, cols = _touched(grid, hz.zone)
        if hz.action == "forbid":
            forbidden[rows, cols] = True
            forbid_zones.append(hz.zone)
        elif hz.action == "penalise":
            penalty[rows, cols] += (
                default_penalty if hz.penalty_factor is None else hz.penalty_factor
            )
        else:
            crossing[rows, cols] += (
                default_crossing if hz.penalty_factor is None else hz.penalty_factor
            )
    union = shapely.union_all(forbid_zones) if forbid_zones else None
    if union is not None:
        shapely.prepare(union)
    return HazardRaster(forbidden, penalty, crossing, union)
