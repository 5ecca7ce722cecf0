"""Figure helpers shared by every report section: matplotlib → inline SVG (offline)."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


def new_figure(width_in: float = 8.0, height_in: float = 4.0) -> Figure:
    """A matplotlib figure on the non-interactive Agg canvas (no display needed)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), layout="constrained")


def figure_to_svg(fig: Figure, *, element_id: str | None = None) -> str:
    """Render a figure to an inline ``<svg>`` string (no XML prolog; text as <text> elements: searchable, smaller and faster than glyph paths).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    element_id : str, optional
        ``id`` attribute put on the root ``<svg>`` element (for tests and links).
    """
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "transcaspian"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})  # reproducible output
    text = buf.getvalue()
    start = text.find("<svg")
    text = text[start:]
    if element_id:
        text = text.replace("<svg", f'<svg id="{element_id}" role="img"', 1)
    # drop fixed pt sizes so the figure scales with the page
    text = re.sub(r'(<svg[^>]*?) width="[^"]+pt" height="[^"]+pt"', r"\1", text, count=1)
    return text
