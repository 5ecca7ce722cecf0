"""Report section: the seabed route — map, depth profile, cable tally, crossings."""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np

from ...geo.stage import RouteResult
from ..figures import figure_to_svg, new_figure

_ACTION_STYLE: dict[str, dict[str, Any]] = {
    "forbid": {"color": "#c0392b", "alpha": 0.45},
    "penalise": {"color": "#e67e22", "alpha": 0.30},
    "cross": {"color": "#6c3483", "alpha": 0.8},
}
_TYPE_COLOURS = {
    "DA": "#7b241c",
    "SA": "#b9770e",
    "LWA": "#1e8449",
    "LWP": "#2874a6",
    "LW": "#5b2c6f",
}


def _plot_geometry(ax: Any, geom: Any, style: dict[str, Any], line: bool) -> None:
    parts = getattr(geom, "geoms", [geom])
    for g in parts:
        if g.geom_type == "Polygon":
            x, y = g.exterior.xy
            ax.fill(x, y, color=style["color"], alpha=style["alpha"], lw=0.6)
        elif g.geom_type in ("LineString", "LinearRing"):
            x, y = g.xy
            ax.plot(x, y, color=style["color"], lw=1.0 if line else 0.6, alpha=style["alpha"])
        elif g.geom_type == "Point":
            ax.plot(g.x, g.y, "o", ms=3, color=style["color"])
        else:
            _plot_geometry(ax, g, style, line)


def route_map_svg(
    result: RouteResult, *, show_raster: bool = False, element_id: str = "route-map"
) -> str:
    """Map: depth shading and coastline from the bundled grid, hazards, route, landings.

    ``show_raster`` also draws the least-cost grid path before alter-course simplification.
    """
    grid = result.grid
    # the sea body only: dry depressions below the Caspian level are drawn as land
    depth = result.sea_depth_m()
    lon, lat = result.path.lon_deg, result.path.lat_deg
    pad = 1.2
    w, e = float(lon.min() - pad), float(lon.max() + pad)
    s, n = float(lat.min() - pad * 0.8), float(lat.max() + pad * 0.8)
    fig = new_figure(7.5, 7.0)
    ax = fig.add_subplot()
    extent = grid.bbox
    ext = (extent[0], extent[2], extent[1], extent[3])
    water = np.clip(depth, 0.0, None)
    im = ax.imshow(
        water,
        origin="lower",
        extent=ext,
        cmap="Blues",
        vmin=-80.0,  # the shallowest water shows light blue, not white
        vmax=max(200.0, float(np.nanmax(water))),
        interpolation="bilinear",
        aspect="auto",
    )
    land = np.ma.masked_where(depth > 0, np.ones_like(depth))
    ax.imshow(
        land,
        origin="lower",
        extent=ext,
        cmap="Greys",
        vmin=0,
        vmax=4,
        interpolation="nearest",
        aspect="auto",
    )
    ax.contour(grid.lon_deg, grid.lat_deg, depth, levels=[0.0], colors="#4d4d4d", linewidths=0.8)
    ax.contour(
        grid.lon_deg,
        grid.lat_deg,
        depth,
        levels=[100.0, 500.0],
        colors="#5d6d7e",
        linewidths=0.4,
        linestyles="dotted",
    )
    for hz in result.hazards:
        style = _ACTION_STYLE[hz.action]
        _plot_geometry(
            ax, hz.zone if hz.action != "cross" else hz.geometry, style, hz.action == "cross"
        )
    if show_raster:  # the grid path before simplification: only on request
        ax.plot(
            result.path.raster_lon_deg,
            result.path.raster_lat_deg,
            color="#aab7b8",
            lw=0.8,
            ls="--",
            label="least-cost raster path",
        )
    ax.plot(lon, lat, color="#e31a1c", lw=2.2, label="route (alter-course points)")
    ax.plot(lon[1:-1], lat[1:-1], "o", ms=3, color="#e31a1c")
    for name, x, y in (
        (result.landing_names[0], lon[0], lat[0]),
        (result.landing_names[1], lon[-1], lat[-1]),
    ):
        ax.plot(x, y, marker="s", ms=7, color="black")
        ax.annotate(
            name, (x, y), xytext=(6, 6), textcoords="offset points", fontsize=10, fontweight="bold"
        )
    for c in result.path.crossings:
        ax.plot(c.lon_deg, c.lat_deg, marker="x", ms=7, color="#6c3483")
    ax.set_xlim(w, e)
    ax.set_ylim(s, n)
    ax.set_aspect(1.0 / np.cos(np.radians(0.5 * (s + n))))
    ax.set_xlabel("longitude [°E]")
    ax.set_ylabel("latitude [°N]")
    ax.set_title("Route over the Caspian seabed")
    handles, labels = ax.get_legend_handles_labels()
    from matplotlib.patches import Patch

    handles += [
        Patch(color=v["color"], alpha=v["alpha"], label=k) for k, v in _ACTION_STYLE.items()
    ]
    labels += ["forbidden zone", "penalised zone", "crossed asset"]
    ax.legend(handles, labels, loc="lower right", fontsize=7, framealpha=0.9)
    fig.colorbar(im, ax=ax, shrink=0.7, label="water depth [m]")
    return figure_to_svg(fig, element_id=element_id)


def depth_profile_svg(result: RouteResult, *, element_id: str = "depth-profile") -> str:
    """Depth along KP, coloured by cable type, with crossings marked."""
    rpl = result.rpl
    fig = new_figure(8.0, 3.4)
    ax = fig.add_subplot()
    kp, depth = rpl.kp_km, rpl.depth_m
    ax.fill_between(kp, depth, 0, color="#d6eaf8", lw=0)
    types = np.array(rpl.cable_type)
    for t in dict.fromkeys(rpl.cable_type):
        m = types == t
        seg = np.where(m, depth, np.nan)
        ax.plot(kp, seg, color=_TYPE_COLOURS.get(t, "black"), lw=2.0, label=t)
    for c in result.path.crossings:
        ax.axvline(c.kp_km, color="#6c3483", lw=0.8, ls=":")
    ax.invert_yaxis()
    ax.set_xlim(0, kp[-1])
    ax.set_ylim(max(float(depth.max()) * 1.08, 10.0), 0)
    ax.set_xlabel("KP [km] from " + result.landing_names[0])
    ax.set_ylabel("water depth [m]")
    ax.set_title("Depth profile and cable type")
    ax.legend(title="cable type", fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    return figure_to_svg(fig, element_id=element_id)


def _level_table(result: RouteResult) -> str:
    """Shore-end sensitivity to the falling Caspian level."""
    if not result.level_cases:
        return ""
    types = list(result.rpl.type_lengths_km())
    for case in result.level_cases:
        for t in case.shallow_cable_km or {}:
            if t not in types:
                types.append(t)
    now = {k: v["cable_km"] for k, v in result.rpl.type_lengths_km().items()}
    head = "".join(f"<th>{escape(t)} km</th>" for t in types)

    def row(
        level: float,
        approach: tuple[float, float] | None,
        cable: float | None,
        per_type: dict[str, float] | None,
        error: str | None,
    ) -> str:
        if error is not None:
            return f"<tr><td>{level:g}</td><td colspan='{len(types) + 3}'>{escape(error)}</td></tr>"
        assert approach is not None and cable is not None and per_type is not None
        cells = "".join(f"<td>{per_type.get(t, 0.0):.1f}</td>" for t in types)
        return (
            f"<tr><td>{level:g}</td><td>{approach[0]:.1f}</td><td>{approach[1]:.1f}</td>"
            f"<td>{cable:.1f}</td>{cells}</tr>"
        )

    rows = row(result.caspian_level_m, result.path.approach_km, result.cable_length_km, now, None)
    for c in result.level_cases:
        rows += row(
            c.caspian_level_m, c.landing_approach_km, c.cable_length_km, c.shallow_cable_km, c.error
        )
    a, b = result.landing_names
    return f"""<table><caption>Falling Caspian level: shore ends and cable types</caption>
<thead><tr><th>level [m]</th><th>approach {escape(a)} km</th><th>approach {escape(b)} km</th>
<th>cable km</th>{head}</tr></thead><tbody>{rows}</tbody></table>
<p class="note">The same seabed under a lower surface: shallower water moves the armour-band
boundaries seaward (more double armour) and the landing approaches lengthen where the shore
retreats. Approach lengths change in steps of the grid's cell size.</p>"""


def _warnings_html(result: RouteResult) -> str:
    items = "".join(f"<li>{escape(w)}</li>" for w in result.warnings)
    return f'<ul class="warnings">{items}</ul>' if items else ""


def _zone_table(result: RouteResult) -> str:
    """Length of route inside each penalised (or forbidden) zone."""
    from ...geo.zones import route_zone_lengths

    zones = route_zone_lengths(result)
    if not zones:
        return ""
    rows = "".join(
        f"<tr><td>{escape(z.name)}</td><td>{escape(z.kind)}</td><td>{escape(z.action)}</td>"
        f"<td>{z.length_km:.1f}</td><td>{'yes' if z.approximate else 'no'}</td></tr>"
        for z in zones
    )
    return f"""<table id="route-zones"><caption>Route inside penalised zones</caption>
<thead><tr><th>zone</th><th>kind</th><th>action</th><th>route km inside</th>
<th>approximate geometry</th></tr></thead><tbody>{rows}</tbody></table>"""


def _figures_html(result: RouteResult, interactive: bool) -> str:
    """Map and profile: interactive (with the SVG twin for no-JS readers) or static SVG."""
    if not interactive:
        return (f"<figure>{route_map_svg(result)}</figure>\n"
                f"<figure>{depth_profile_svg(result)}</figure>")
    map_svg = route_map_svg(result, element_id="route-map-static")
    profile_svg = depth_profile_svg(result, element_id="depth-profile-static")
    from ..interactive import figure_html
    from ..route_plotly import RASTER_PATH_NOTE, depth_profile_figure, route_map_figure

    return (
        f"<figure>{figure_html(route_map_figure(result), 'route-map', map_svg)}"
        "<figcaption>The final route (red; hover for KP, depth, cable type and burial). "
        "Click a legend entry to show or hide a layer; the dashed raster path, hidden by "
        f"default, is {escape(RASTER_PATH_NOTE)}. Drag to zoom, double-click to reset."
        "</figcaption></figure>\n"
        f"<figure>{figure_html(depth_profile_figure(result), 'depth-profile', profile_svg)}"
        "</figure>"
    )


def section_html(result: RouteResult, *, interactive: bool = False) -> str:
    """The route section as an HTML fragment (``interactive``: Plotly figures)."""
    d = result.to_dict()
    rows = "".join(
        f"<tr><td>{escape(t)}</td><td>{v['route_km']:.1f}</td><td>{v['cable_km']:.1f}</td></tr>"
        for t, v in result.rpl.type_lengths_km().items()
    )
    crossings = (
        "".join(
            f"<tr><td>{escape(c['name'])}</td><td>{escape(c['kind'])}</td><td>{c['kp_km']:.1f}</td>"
            f"<td>{c['angle_deg']:.0f}°</td></tr>"
            for c in d["crossings"]
        )
        or '<tr><td colspan="4">none</td></tr>'
    )
    zones = ", ".join(escape(z) for z in d["penalised_zones_entered"]) or "none"
    approx = sum(1 for h in result.hazards if h.approximate)
    return f"""
<section id="route">
<h2>1. Route over the seabed</h2>
<div class="kpis">
 <div><b>{d["route_length_km"]:.1f} km</b><span>route length</span></div>
 <div><b>{d["cable_length_km"]:.1f} km</b><span>cable length (with slack)</span></div>
 <div><b>{d["great_circle_km"]:.1f} km</b><span>geodesic {escape(d["landings"][0])}–{escape(d["landings"][1])}</span></div>
 <div><b>{d["max_depth_m"]:.0f} m</b><span>max water depth</span></div>
 <div><b>{d["alter_course_points"]}</b><span>alter-course points</span></div>
</div>
<p>Least-cost route on {escape(d["bathymetry"])} with the Caspian surface at
{d["caspian_level_m"]:g} m; route factor {d["route_factor"]:.3f} over the WGS84 geodesic.
Hazard layers: {escape(", ".join(d["hazard_layers"]) or "none")} ({len(result.hazards)} features,
{approx} with approximate geometry). Penalised zones entered: {zones}.</p>
{_warnings_html(result)}
{_figures_html(result, interactive)}
<div class="cols">
<table><caption>Cable tally by type</caption>
<thead><tr><th>type</th><th>route km</th><th>cable km</th></tr></thead><tbody>{rows}</tbody>
<tfoot><tr><th>total</th><th>{d["route_length_km"]:.1f}</th><th>{d["cable_length_km"]:.1f}</th></tr></tfoot></table>
<table><caption>Crossings</caption>
<thead><tr><th>asset</th><th>kind</th><th>KP [km]</th><th>angle</th></tr></thead><tbody>{crossings}</tbody></table>
</div>
{_zone_table(result)}
{_level_table(result)}
<p class="note">Full route position list ({d["rpl_rows"]} rows): <code>rpl.csv</code>; geometry:
<code>route.geojson</code>, <code>route.kml</code>.</p>
</section>
"""
