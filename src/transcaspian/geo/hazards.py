"""Hazard and constraint layers (GeoJSON) and their rasterisation onto a routing grid.

A layer is an RFC 7946 GeoJSON FeatureCollection. Each feature's ``properties``:

``name``            what it is
``kind``            platform, field, pipeline, cable, mud_volcano, slope_instability,
                    shipping_lane, anchorage, restricted
``action``          ``forbid`` (never enter), ``penalise`` (extra cost), ``cross`` (a linear asset
                    the cable may cross at a cost, near-perpendicular preferred)
``buffer_m``        half-width of the safety zone / corridor around the geometry [m] (default 0)
``penalty_factor``  extra routing-cost factor inside the zone (default: the scenario's)
``source``          citation; ``approximate`` true when the geometry is an estimate
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .._load import read_text
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


def buffer_geodesic(geom: BaseGeometry, distance_m: float) -> BaseGeometry:
    """Buffer a lon/lat geometry by a distance in metres.

    The geometry is projected to an azimuthal equidistant projection centred on its centroid
    (distances from the centre are true on the WGS84 ellipsoid, errors < 0.1 % within ~100 km),
    buffered there, and projected back.
    """
    if distance_m <= 0:
        return geom
    c = geom.centroid
    aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84 +units=m")
    fwd = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    inv = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)

    def _apply(t: Transformer) -> Any:
        def f(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
            x, y = t.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        return f

    projected = shapely.transform(geom, _apply(fwd)).buffer(distance_m, quad_segs=16)
    return shapely.transform(projected, _apply(inv))


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


def parse_hazards(data: Any, *, source: str) -> tuple[Hazard, ...]:
    """Validate a parsed GeoJSON FeatureCollection into :class:`Hazard` objects."""
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
        where = f"{source}: feature {i} ('{name}')"
        kind = _prop(props, "kind", where, str)
        if kind not in _KINDS:
            raise DataError(f"{where}: kind '{kind}' is not one of {', '.join(sorted(_KINDS))}")
        action = _prop(props, "action", where, str)
        if action not in _ACTIONS:
            raise DataError(f"{where}: action '{action}' is not one of forbid, penalise, cross")
        buffer_m = float(_prop(props, "buffer_m", where, (int, float), 0.0))
        if not 0.0 <= buffer_m <= 100_000.0:
            raise DataError(f"{where}: buffer_m must be between 0 and 100000 m, got {buffer_m}")
        penalty = _prop(props, "penalty_factor", where, (int, float), None)
        if penalty is not None and not 0.0 <= float(penalty) <= 1000.0:
            raise DataError(f"{where}: penalty_factor must be between 0 and 1000, got {penalty}")
        try:
            geom = shape(feat.get("geometry"))
        except Exception as exc:  # shapely raises several types for bad geometry
            raise DataError(f"{where}: invalid geometry ({exc})") from None
        if geom.is_empty:
            raise DataError(f"{where}: empty geometry")
        w, s, e, n = geom.bounds
        if not (-180 <= w <= e <= 180 and -90 <= s <= n <= 90):
            raise DataError(f"{where}: coordinates are not lon/lat degrees (bounds {geom.bounds})")
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        out.append(
            Hazard(
                name=name,
                kind=kind,
                action=action,
                buffer_m=buffer_m,
                penalty_factor=None if penalty is None else float(penalty),
                source=str(props.get("source", "")),
                approximate=bool(props.get("approximate", False)),
                geometry=geom,
                zone=buffer_geodesic(geom, buffer_m),
                layer=source,
            )
        )
    return tuple(out)


def read_hazards(path: str | os.PathLike[str]) -> tuple[Hazard, ...]:
    """Read a hazard layer from a GeoJSON file."""
    p = Path(path)
    text = read_text(p, what="hazard layer", error=DataError)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{p}: not valid GeoJSON (JSON error at line {exc.lineno}: {exc.msg})"
        ) from None
    return parse_hazards(data, source=p.name)


def bundled_hazards() -> tuple[Hazard, ...]:
    """The bundled Caspian hazard layer (see ``data/SOURCES.md``)."""
    ref = resources.files("transcaspian").joinpath("data").joinpath(BUNDLED_HAZARDS)
    data = json.loads(ref.read_text(encoding="utf-8"))
    return parse_hazards(data, source=BUNDLED_HAZARDS)


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
