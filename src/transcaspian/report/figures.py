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


def preload() -> None:
    """Import matplotlib's figure, SVG backend and font list, and load the text font.

    Called before the report's sections are forked into child processes, so each child
    inherits them instead of spending about 0.3 s on its own import.
    """
    import matplotlib.backends.backend_svg  # noqa: F401
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties

    font_manager.get_font(font_manager.findfont(FontProperties()))


def figure_to_svg(fig: Figure, *, element_id: str | None = None) -> str:
    """Render a figure to an inline ``<svg>`` string (no XML prolog).

    Text stays ``<text>`` (searchable, smaller and faster to write than glyph paths)..

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    element_id : str, optional
        ``id`` attribute put on the root ``<svg>`` element (for tests and links).
    """
    import matplotlib

    _plain_log_labels(fig)
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


_SUPERSCRIPT = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


def plain_tick_label(label: str) -> str:
    r"""A mathtext tick label as plain Unicode text: ``$\mathdefault{10^{-9}}$`` → ``10⁻⁹``.

    Examples
    --------
    >>> plain_tick_label(r"$\mathdefault{10^{-9}}$")
    '10⁻⁹'
    >>> plain_tick_label(r"$\mathdefault{2\times10^{3}}$")
    '2×10³'
    >>> plain_tick_label("5")
    '5'
    """
    if not (label.startswith("$") and label.endswith("$")):
        return label
    text = label[1:-1].replace("\\mathdefault", "").replace("\\times", "×")
    text = text.replace("\\cdot", "·").replace("\\,", " ").replace("\\mathregular", "")
    text = re.sub(r"\^\{([^}]*)\}", lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    return text.replace("{", "").replace("}", "")


def _plain_log_labels(fig: Figure) -> None:
    """Give every axis whose labels would be mathtext (log scales) plain-text labels.

    matplotlib typesets log-axis labels (``10^{-9}``) with its mathtext parser, which cost
    about half of a log figure's drawing time; the same labels as Unicode superscripts are
    ordinary ``<text>`` in the SVG. The label choice (which ticks, which minor ones) stays
    matplotlib's.
    """
    from matplotlib.ticker import FuncFormatter, LogFormatter

    def plain(inner: LogFormatter) -> FuncFormatter:
        fmt = FuncFormatter(lambda x, pos=None: plain_tick_label(inner(x, pos)))
        fmt.set_locs = inner.set_locs  # type: ignore[method-assign]
        return fmt

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            major, minor = axis.get_major_formatter(), axis.get_minor_formatter()
            if isinstance(major, LogFormatter):
                major.set_axis(axis)
                axis.set_major_formatter(plain(major))
            if isinstance(minor, LogFormatter):
                minor.set_axis(axis)
                axis.set_minor_formatter(plain(minor))
