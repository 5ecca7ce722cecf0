"""Interactive route figures (Plotly): the map and the depth profile.

The map is drawn on plain lon/lat axes (no Plotly ``geo``: it would fetch topojson from a CDN):
water depth and the coastline come from the route's own bathymetry grid, hazards are one
legend entry per kind (click to toggle), crossings and the raster path are separate layers
(the raster path hidden until asked for), and hovering the route shows KP, depth, cable type
and burial from the RPL. A scale bar is drawn in data coordinates at the map's mean latitude.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .interactive import base_layout

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

    from ..geo.stage import RouteResult

_TYPE_COLOURS = {
    "DA": "#7b241c",
    "SA": "#b9770e",
    "LWA": "#1e8449",
    "LWP": "#2874a6",
    "LW": "#5b2c6f",
}
_ACTION_COLOUR = {"forbid": "#c0392b", "penalise": "#e67e22", "cross": "#6c3483"}
_KIND_LABEL = {
    "platform": "oil & gas platforms",
    "field": "oil & gas fields",
    "pipeline": "pipelines",
    "cable": "cables",
    "mud_volcano": "mud volcanoes",
    "slope_instability": "unstable slopes",
    "shipping_lane": "shipping lanes",
    "anchorage": "anchorages",
    "restricted": "restricted areas",
}
RASTER_PATH_NOTE = (
    "the least-cost grid path before alter-course simplification: the cells the router chose, "
    "which the final route straightens into alter-course points"
)


def _ring_xy(geom: Any) -> tuple[list[float | None], list[float | None]]:
    """Outline(s) of a geometry as one x/y list with ``None`` separators."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for g in getattr(geom, "geoms", [geom]):
        if g.geom_type == "Polygon":
            coords = list(g.exterior.coords)
        elif g.geom_type in ("LineString", "LinearRing"):
            coords = list(g.coords)
        elif g.geom_type == "Point":
            coords = [(g.x, g.y)]
        else:
            sx, sy = _ring_xy(g)
            xs += sx
            ys += sy
            continue
        xs += [float(c[0]) for c in coords] + [None]
        ys += [float(c[1]) for c in coords] + [None]
    return xs, ys


def _coastline_traces(result: RouteResult) -> list[dict[str, Any]]:
    """Water-depth shading and the coastline (level-0 contour) from the route's grid."""
    from skimage.measure import find_contours

    grid = result.grid
    depth = grid.water_depth_m(result.caspian_level_m)
    water = np.where(depth > 0, depth, np.nan)
    shading = {
        "type": "heatmap",
        "x": grid.lon_deg,
        "y": grid.lat_deg,
        "z": np.round(water, 0),
        "colorscale": "Blues",
        "zmin": -80.0,
        "zmax": max(200.0, float(np.nanmax(water))),
        "colorbar": {"title": {"text": "water depth [m]"}, "len": 0.6},
        "hovertemplate": "water depth %{z:.0f} m<extra></extra>",
        "name": "water depth",
        "showscale": True,
    }
    xs: list[float | None] = []
    ys: list[float | None] = []
    lon0, lat0 = float(grid.lon_deg[0]), float(grid.lat_deg[0])
    for c in find_contours(np.where(depth > 0, 1.0, 0.0), 0.5):
        xs += [*(lon0 + c[:, 1] * grid.dlon_deg), None]
        ys += [*(lat0 + c[:, 0] * grid.dlat_deg), None]
    coast = {
        "type": "scatter",
        "x": np.round(np.array(xs, dtype=float), 4),
        "y": np.round(np.array(ys, dtype=float), 4),
        "mode": "lines",
        "line": {"color": "#4d4d4d", "width": 1},
        "name": "coastline (bathymetry grid)",
        "hoverinfo": "skip",
        "connectgaps": False,
    }
    return [shading, coast]


def _hazard_traces(result: RouteResult) -> list[dict[str, Any]]:
    """One trace per hazard kind and action; hover names the feature."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for hz in result.hazards:
        groups.setdefault((hz.kind, hz.action), []).append(hz)
    traces: list[dict[str, Any]] = []
    for (kind, action), items in sorted(groups.items()):
        xs: list[float | None] = []
        ys: list[float | None] = []
        text: list[str | None] = []
        for hz in items:
            geom = hz.geometry if action == "cross" else hz.zone
            gx, gy = _ring_xy(geom)
            label = f"{hz.name} ({kind}, {action}{', approximate' if hz.approximate else ''})"
            xs += gx
            ys += gy
            text += [label if v is not None else None for v in gx]
        colour = _ACTION_COLOUR.get(action, "#7f8c8d")
        polygon = action != "cross"
        traces.append({
            "type": "scatter",
            "x": xs,
            "y": ys,
            "text": text,
            "mode": "lines",
            "fill": "toself" if polygon else "none",
            "fillcolor": colour + ("55" if action == "forbid" else "33"),
            "line": {"color": colour, "width": 0.8 if polygon else 1.6},
            "name": f"{_KIND_LABEL.get(kind, kind)} ({action})",
            "legendgroup": f"hazard-{kind}",
            "hoveron": "fills+points" if polygon else "points",
            "hovertemplate": "%{text}<extra></extra>",
        })
    return traces


def _route_traces(result: RouteResult) -> list[dict[str, Any]]:
    """The raster path (hidden), the final route with RPL hover, crossings and landings."""
    rpl, path = result.rpl, result.path
    raster = {
        "type": "scatter",
        "x": path.raster_lon_deg,
        "y": path.raster_lat_deg,
        "mode": "lines",
        "line": {"color": "#7f8c8d", "width": 1, "dash": "dash"},
        "name": "raster path (least-cost grid path before simplification)",
        "visible": "legendonly",
        "hoverinfo": "skip",
    }
    custom = np.column_stack([
        np.round(rpl.kp_km, 2),
        np.round(rpl.depth_m, 0),
        np.array(rpl.cable_type, dtype=object),
        np.round(rpl.burial_m, 1),
        np.round(rpl.cable_kp_km, 2),
    ])
    route = {
        "type": "scatter",
        "x": np.round(rpl.lon_deg, 5),
        "y": np.round(rpl.lat_deg, 5),
        "customdata": custom,
        "mode": "lines+markers",
        "marker": {"size": 3, "color": "#e31a1c"},
        "line": {"color": "#e31a1c", "width": 3},
        "name": "route (final, RPL rows)",
        "hovertemplate": (
            "KP %{customdata[0]} km<br>depth %{customdata[1]} m<br>cable %{customdata[2]}"
            "<br>burial %{customdata[3]} m<br>cable KP %{customdata[4]} km<extra>route</extra>"
        ),
    }
    traces = [raster, route]
    if path.crossings:
        traces.append({
            "type": "scatter",
            "x": [c.lon_deg for c in path.crossings],
            "y": [c.lat_deg for c in path.crossings],
            "text": [
                f"{c.name} ({c.kind})<br>KP {c.kp_km:.1f} km, angle {c.angle_deg:.0f}°"
                for c in path.crossings
            ],
            "mode": "markers",
            "marker": {"symbol": "x", "size": 10, "color": "#6c3483"},
            "name": "crossings",
            "hovertemplate": "%{text}<extra>crossing</extra>",
        })
    a, b = result.landing_names
    traces.append({
        "type": "scatter",
        "x": [float(rpl.lon_deg[0]), float(rpl.lon_deg[-1])],
        "y": [float(rpl.lat_deg[0]), float(rpl.lat_deg[-1])],
        "text": [a, b],
        "mode": "markers+text",
        "textposition": "top right",
        "textfont": {"size": 13, "color": "black"},
        "marker": {"symbol": "square", "size": 9, "color": "black"},
        "name": "landings",
        "hovertemplate": "%{text}<extra>landing</extra>",
    })
    return traces


def nice_scale_km(span_km: float) -> float:
    """A round scale-bar length about a fifth of the map's width [km]."""
    target = max(span_km / 5.0, 1e-3)
    exp = 10.0 ** math.floor(math.log10(target))
    for m in (5.0, 2.0, 1.0):
        if m * exp <= target:
            return m * exp
    return exp


def _scale_bar(w: float, s: float, e: float, n: float) -> tuple[list[dict[str, Any]], list[
        dict[str, Any]]]:
    """Shapes and annotation for a scale bar in the lower-left corner (data coordinates)."""
    from pyproj import Geod

    lat = s + 0.06 * (n - s)
    lon0 = w + 0.05 * (e - w)
    geod = Geod(ellps="WGS84")
    width_km = geod.inv(w, lat, e, lat)[2] / 1000.0
    length_km = nice_scale_km(width_km)
    lon1 = geod.fwd(lon0, lat, 90.0, length_km * 1000.0)[0]
    tick = 0.012 * (n - s)
    line = {"color": "black", "width": 2}
    shapes = [
        {"type": "line", "x0": lon0, "x1": lon1, "y0": lat, "y1": lat, "line": line},
        {"type": "line", "x0": lon0, "x1": lon0, "y0": lat - tick, "y1": lat + tick, "line": line},
        {"type": "line", "x0": lon1, "x1": lon1, "y0": lat - tick, "y1": lat + tick, "line": line},
    ]
    notes = [{
        "x": 0.5 * (lon0 + lon1), "y": lat + tick, "text": f"{length_km:g} km",
        "showarrow": False, "yanchor": "bottom", "font": {"size": 12},
    }]
    return shapes, notes


def route_map_figure(result: RouteResult) -> go.Figure:
    """The route map as a Plotly figure (zoomable, layers toggle from the legend)."""
    import plotly.graph_objects as go

    lon, lat = result.rpl.lon_deg, result.rpl.lat_deg
    pad = 1.2
    w, e = float(lon.min() - pad), float(lon.max() + pad)
    s, n = float(lat.min() - pad * 0.8), float(lat.max() + pad * 0.8)
    shapes, notes = _scale_bar(w, s, e, n)
    traces = _coastline_traces(result) + _hazard_traces(result) + _route_traces(result)
    layout = base_layout(
        "Route over the Caspian seabed",
        height=820,
        plot_bgcolor="#e5e0d5",  # land: cells with no water are left unpainted
        xaxis={"title": {"text": "longitude [°E]"}, "range": [w, e], "showgrid": False},
        yaxis={
            "title": {"text": "latitude [°N]"},
            "range": [s, n],
            "showgrid": False,
            "scaleanchor": "x",
            "scaleratio": 1.0 / math.cos(math.radians(0.5 * (s + n))),
        },
        shapes=shapes,
        annotations=notes,
        legend={"bgcolor": "rgba(255,255,255,0.85)", "orientation": "h", "x": 0.0, "y": -0.1,
                "yanchor": "top", "font": {"size": 11}},
        hovermode="closest",
    )
    return go.Figure(data=traces, layout=layout)


def depth_profile_figure(result: RouteResult) -> go.Figure:
    """Depth along KP, one trace per cable type, crossings as vertical lines."""
    import plotly.graph_objects as go

    rpl = result.rpl
    types = np.array(rpl.cable_type)
    traces: list[dict[str, Any]] = [{
        "type": "scatter", "x": np.round(rpl.kp_km, 2), "y": np.round(rpl.depth_m, 1),
        "fill": "tozeroy", "fillcolor": "#d6eaf8", "line": {"width": 0}, "mode": "lines",
        "showlegend": False, "hoverinfo": "skip",
    }]
    for t in dict.fromkeys(rpl.cable_type):
        y = np.where(types == t, np.round(rpl.depth_m, 1), np.nan)
        traces.append({
            "type": "scatter", "x": np.round(rpl.kp_km, 2), "y": y, "mode": "lines",
            "line": {"color": _TYPE_COLOURS.get(t, "black"), "width": 3}, "name": t,
            "hovertemplate": "KP %{x} km<br>depth %{y} m<extra>" + t + "</extra>",
        })
    shapes = [
        {"type": "line", "x0": c.kp_km, "x1": c.kp_km, "yref": "paper", "y0": 0, "y1": 1,
         "line": {"color": "#6c3483", "width": 1, "dash": "dot"}}
        for c in result.path.crossings
    ]
    layout = base_layout(
        "Depth profile and cable type",
        height=360,
        xaxis={"title": {"text": f"KP [km] from {result.landing_names[0]}"},
               "range": [0, float(rpl.kp_km[-1])]},
        yaxis={"title": {"text": "water depth [m]"}, "autorange": "reversed"},
        shapes=shapes,
        legend={"title": {"text": "cable type"}},
    )
    return go.Figure(data=traces, layout=layout)
