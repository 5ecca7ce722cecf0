"""How far the route runs inside each hazard zone (penalised, forbidden) on the WGS84 ellipsoid."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .hazards import Hazard
    from .stage import RouteResult


@dataclass(frozen=True)
class ZoneLength:
    """Length of route inside one hazard zone."""

    name: str
    kind: str
    action: str
    length_km: float
    approximate: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "action": self.action,
            "length_km": round(self.length_km, 3),
            "approximate": self.approximate,
        }


def zone_lengths_km(
    lon_deg: Any, lat_deg: Any, hazards: tuple[Hazard, ...], actions: tuple[str, ...] = (
        "penalise", "forbid")
) -> tuple[ZoneLength, ...]:
    """Geodesic length of the route polyline inside each zone it enters [km].

    Parameters
    ----------
    lon_deg, lat_deg : array_like
        Route vertices [deg] (alter-course points or RPL rows).
    hazards : tuple of Hazard
        Hazard features; their buffered ``zone`` is intersected with the route.
    actions : tuple of str
        Which hazard actions count (crossed assets are points of crossing, not zones).

    Returns
    -------
    tuple of ZoneLength
        One row per zone the route enters, longest first. A forbidden zone with a non-zero
        length means the landing approach had to pass through it.

    Notes
    -----
    The intersection is taken in lon/lat (zones and route are both small against the Earth's
    curvature over their extent); each piece is then measured on the WGS84 ellipsoid with
    ``pyproj.Geod.geometry_length``.
    """
    from pyproj import Geod
    from shapely.geometry import LineString

    geod = Geod(ellps="WGS84")
    line = LineString(list(zip(map(float, lon_deg), map(float, lat_deg), strict=True)))
    out: list[ZoneLength] = []
    for hz in hazards:
        if hz.action not in actions or not line.intersects(hz.zone):
            continue
        piece = line.intersection(hz.zone)
        length_km = float(geod.geometry_length(piece)) / 1000.0
        if length_km > 0.0:
            out.append(ZoneLength(hz.name, hz.kind, hz.action, length_km, hz.approximate))
    return tuple(sorted(out, key=lambda z: -z.length_km))


def route_zone_lengths(result: RouteResult) -> tuple[ZoneLength, ...]:
    """:func:`zone_lengths_km` for a routed cable (along its RPL rows)."""
    return zone_lengths_km(result.rpl.lon_deg, result.rpl.lat_deg, result.hazards)
