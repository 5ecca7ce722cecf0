"""Issue 22, 'Charts': the cash-flow chart's legend covered bars, its two y-axes had different
zeros (payback looked like 2041) and the first CAPEX bar was clipped; the NPV histogram's
P10/P50/P90 labels sat on the bars."""

from __future__ import annotations

import io

import pytest
from matplotlib.patches import Rectangle

from transcaspian.report.sections.economics import (
    aligned_zero_limits,
    cashflow_figure,
    npv_histogram_figure,
)


def _drawn(fig):  # type: ignore[no-untyped-def]
    fig.savefig(io.BytesIO(), format="svg")  # lays the figure out (constrained layout)
    return fig


def test_aligned_zero_limits_by_hand() -> None:
    # left: 80 % of its range below 0; right: 2/3 -> the right axis is extended to 80 %
    (lo1, hi1), (lo2, hi2) = aligned_zero_limits(-40.0, 10.0, -40.0, 20.0)
    assert (lo1, hi1) == pytest.approx((-40.0, 10.0))
    assert (lo2, hi2) == pytest.approx((-80.0, 20.0))
    # ranges that do not hold zero are widened to hold it
    (lo1, hi1), (lo2, hi2) = aligned_zero_limits(5.0, 10.0, -3.0, -1.0)
    assert lo1 <= 0.0 <= hi1 and lo2 <= 0.0 <= hi2
    assert -lo1 / (hi1 - lo1) == pytest.approx(-lo2 / (hi2 - lo2))


def test_cashflow_zero_aligned_bars_inside_legend_clear(default_plan) -> None:
    fig = _drawn(cashflow_figure(default_plan.economics))
    ax, ax2 = fig.axes
    y_left = ax.transData.transform((0.0, 0.0))[1]
    y_right = ax2.transData.transform((0.0, 0.0))[1]
    assert y_left == pytest.approx(y_right, abs=0.5)  # display pixels
    lo, hi = ax.get_ylim()
    x_lo, x_hi = ax.get_xlim()
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert bars
    for b in bars:
        y0, y1 = sorted((b.get_y(), b.get_y() + b.get_height()))
        assert lo <= y0 and y1 <= hi, "a bar is clipped by the y-limits"
        assert x_lo <= b.get_x() and b.get_x() + b.get_width() <= x_hi
    lo2, hi2 = ax2.get_ylim()
    cum = ax2.lines[0].get_ydata()
    assert lo2 <= min(cum) and max(cum) <= hi2
    legend_box = fig.legends[0].get_window_extent()
    assert not legend_box.overlaps(ax.get_window_extent()), "the legend covers the plot"


def test_npv_percentile_labels_sit_above_the_bars(default_plan) -> None:
    fig = _drawn(npv_histogram_figure(default_plan.economics))
    (ax,) = fig.axes
    top = ax.get_window_extent().y1
    labels = [t for t in ax.texts if t.get_text().startswith(("P10", "P50", "P90"))]
    assert len(labels) == 3
    renderer = fig._get_renderer()
    for t in labels:
        assert t.get_window_extent(renderer).y0 >= top - 0.5, t.get_text()
