"""Interactive figures that need no network: Plotly with its bundled plotly.js inlined.

The report stays one self-contained file. plotly.js (shipped inside the ``plotly`` Python
package, MIT licence) is inlined once in a ``<script>`` element; each figure is a ``<div>`` plus
a small ``Plotly.newPlot`` call. Only cartesian traces are used: Plotly's ``geo`` traces fetch
their topojson from a CDN at view time, so maps are drawn on lon/lat axes from the bundled
bathymetry instead. Every interactive figure carries its static SVG twin in a ``<noscript>``
element, so the report still shows every figure with JavaScript disabled (e-mail clients, some
PDF printers); ``transcaspian run --static`` writes the SVG-only report.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import plotly.graph_objects as go

#: Plotly's modebar and behaviour for every figure: no logo, no "edit in chart studio" link
#: (it would point off the machine), responsive width.
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "scrollZoom": False,
    "modeBarButtonsToRemove": ["sendDataToCloud", "lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "svg"},
}


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The minified plotly.js bundled with the installed ``plotly`` package [text]."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def plotly_script_tag() -> str:
    """A ``<script>`` element holding plotly.js, to put once in the report's ``<head>``."""
    # "</script" cannot occur inside an inline script; plotly.js does not contain it, but guard.
    return "<script>" + plotly_js().replace("</script", "<\\/script") + "</script>"


def figure_html(fig: go.Figure, element_id: str, static_svg: str = "") -> str:
    """One interactive figure as HTML, with its static twin for no-JavaScript readers.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    element_id : str
        ``id`` of the figure's ``<div>`` (tests and links target it).
    static_svg : str
        The same figure as inline SVG, shown inside ``<noscript>`` (and in print when the
        interactive one did not render).
    """
    spec = fig.to_plotly_json()
    data = json.dumps(spec.get("data", []), separators=(",", ":"), default=_json_default)
    layout = json.dumps(spec.get("layout", {}), separators=(",", ":"), default=_json_default)
    config = json.dumps(PLOTLY_CONFIG, separators=(",", ":"))
    eid = escape(element_id, quote=True)
    script = (
        f"<script>Plotly.newPlot({json.dumps(element_id)},{_safe(data)},{_safe(layout)},"
        f"{config});</script>"
    )
    fallback = f'<noscript><div class="static-figure">{static_svg}</div></noscript>' if (
        static_svg
    ) else ""
    return f'<div id="{eid}" class="plotly-figure"></div>{script}{fallback}'


def _safe(text: str) -> str:
    """JSON for an inline script: no ``</`` sequence can end the script early."""
    return text.replace("</", "<\\/")


def _json_default(value: Any) -> Any:
    """numpy scalars and arrays inside a Plotly spec → plain JSON."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return [None if (isinstance(v, float) and v != v) else v for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def base_layout(title: str, **extra: Any) -> dict[str, Any]:
    """The layout every report figure shares (fonts, margins, white background)."""
    layout: dict[str, Any] = {
        "title": {"text": title, "font": {"size": 15}},
        "font": {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12},
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"namelength": -1},
        "legend": {"bgcolor": "rgba(255,255,255,0.85)"},
    }
    layout.update(extra)
    return layout
