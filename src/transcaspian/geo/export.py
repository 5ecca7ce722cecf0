"""Route exports in standard formats: GeoJSON (RFC 7946), KML 2.2 (OGC 12-007r2), RPL CSV."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from .stage import RouteResult


def route_geojson(result: RouteResult) -> dict[str, Any]:
    """The route, its landing points and crossings as a GeoJSON FeatureCollection."""
    summary = result.to_dict()
    a, b = result.landing_names
    feats: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": result.coordinates},
            "properties": {
                "name": f"{a} - {b}",
                "kind": "route",
                "route_length_km": summary["route_length_km"],
                "cable_length_km": summary["cable_length_km"],
                "max_depth_m": summary["max_depth_m"],
            },
        }
    ]
    for name, (lon, lat), kp in (
        (a, result.coordinates[0], 0.0),
        (b, result.coordinates[-1], summary["route_length_km"]),
    ):
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"name": name, "kind": "landing", "kp_km": kp},
            }
        )
    for c in summary["crossings"]:
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
                "properties": {"kind": "crossing", **c},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def route_kml(result: RouteResult) -> str:
    """The route and landing points as a KML 2.2 document (opens in Google Earth)."""
    a, b = result.landing_names
    coords = " ".join(f"{lon:.6f},{lat:.6f},0" for lon, lat in result.coordinates)
    summary = result.to_dict()
    desc = (
        f"Route {summary['route_length_km']:.1f} km, cable {summary['cable_length_km']:.1f} km, "
        f"max depth {summary['max_depth_m']:.0f} m"
    )
    points = []
    for name, (lon, lat) in ((a, result.coordinates[0]), (b, result.coordinates[-1])):
        points.append(
            f"<Placemark><name>{escape(name)}</name><styleUrl>#landing</styleUrl>"
            f"<Point><coordinates>{lon:.6f},{lat:.6f},0</coordinates></Point></Placemark>"
        )
    for c in summary["crossings"]:
        points.append(
            f"<Placemark><name>{escape('crossing: ' + c['name'])}</name>"
            f"<description>KP {c['kp_km']:.3f}, angle {c['angle_deg']:.0f} deg</description>"
            f"<Point><coordinates>{c['lon']:.6f},{c['lat']:.6f},0</coordinates></Point>"
            "</Placemark>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n'
        f"<name>{escape(a)} - {escape(b)}</name>\n"
        '<Style id="route"><LineStyle><color>ff0000ff</color><width>3</width></LineStyle></Style>\n'
        '<Style id="landing"><IconStyle><scale>1.1</scale></IconStyle></Style>\n'
        f"<Placemark><name>{escape(a)} - {escape(b)} cable route</name>"
        f"<description>{escape(desc)}</description><styleUrl>#route</styleUrl>"
        f"<LineString><tessellate>1</tessellate><coordinates>{coords}</coordinates>"
        "</LineString></Placemark>\n" + "\n".join(points) + "\n</Document>\n</kml>\n"
    )
