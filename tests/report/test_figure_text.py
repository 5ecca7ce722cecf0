"""Figures keep their text as plain ``<text>``: log-axis labels are not typeset by mathtext."""

from __future__ import annotations

from transcaspian.report.figures import figure_to_svg, new_figure


def test_log_axis_labels_are_unicode_text() -> None:
    fig = new_figure(4.0, 3.0)
    ax = fig.add_subplot()
    ax.semilogy([1.0, 2.0, 3.0], [1e-6, 1e-4, 1e-2])
    svg = figure_to_svg(fig)
    assert "10⁻⁶" in svg and "10⁻²" in svg
    assert "mathdefault" not in svg and "10^" not in svg


def test_linear_axes_are_left_alone() -> None:
    fig = new_figure(4.0, 3.0)
    ax = fig.add_subplot()
    ax.plot([0.0, 1.0], [0.0, 2.5])
    svg = figure_to_svg(fig)
    assert ">2.5<" in svg or ">2.50<" in svg
