"""Report section: the business case - does it pay back, and for whom?

Cost breakdown against the published budget and the comparator, the line's volumes (demand,
network-bounded deliverable, sold, design capacity, lit pairs), revenue by product and the
cash-flow chart, the consortium table, the tornado and the Monte Carlo NPV. Figure functions
are separate from the HTML assembly.
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np

from ...economics.result import EconomicsResult
from ..figures import figure_to_svg, new_figure

_COLOURS = ("#2874a6", "#16a085", "#d68910", "#8e44ad", "#7f8c8d", "#c0392b")


def _m(x: float | None) -> str:
    return "–" if x is None else f"{x / 1e6:,.2f}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


def aligned_zero_limits(lo1: float, hi1: float, lo2: float,
                        hi2: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Limits of two y-axes sharing one plot such that 0 is at the same height on both.

    Each range is first widened to hold 0; then the axis whose zero sits lower (a smaller
    share of its range below 0) is extended downwards until both shares are equal. So a bar
    at 0 on the left and the cumulative line crossing 0 on the right meet on the same line.
    """
    lo1, hi1 = min(lo1, 0.0), max(hi1, 0.0)
    lo2, hi2 = min(lo2, 0.0), max(hi2, 0.0)
    if hi1 <= 0.0 and hi2 <= 0.0:  # nothing above zero on either axis
        return (lo1, 1e-9), (lo2, 1e-9)
    f1 = -lo1 / (hi1 - lo1) if hi1 > lo1 else 0.0
    f2 = -lo2 / (hi2 - lo2) if hi2 > lo2 else 0.0
    f = min(max(f1, f2), 0.98)

    def widen(lo: float, hi: float) -> tuple[float, float]:
        hi = max(hi, -lo * (1.0 - f) / f if f > 0 else 1.0, 1e-9)
        return -f * hi / (1.0 - f), hi

    return widen(lo1, hi1), widen(lo2, hi2)


def cashflow_figure(e: EconomicsResult) -> Any:
    """The cash-flow chart (a matplotlib Figure): stacked revenue by product, CAPEX and OPEX as
    negative bars, cumulative cash flow on the right axis with its zero level with the left
    one's, every bar inside the axes and the legend below them (never over the bars)."""
    fig = new_figure(9.0, 4.8)
    ax = fig.add_subplot(1, 1, 1)
    y = e.years
    bottom = np.zeros(y.size)
    for j, p in enumerate(e.products):
        v = e.revenue_by_product[j] / 1e6
        ax.bar(y, v, bottom=bottom, color=_COLOURS[j % len(_COLOURS)], label=p.replace("_", " "))
        bottom += v
    spend = (e.capex_by_year + e.opex_by_year) / 1e6
    ax.bar(y, -e.capex_by_year / 1e6, color="#c0392b", label="CAPEX")
    ax.bar(y, -e.opex_by_year / 1e6, bottom=-e.capex_by_year / 1e6, color="#f1948a",
           label="OPEX")
    ax.axhline(0.0, color="#555555", lw=0.6)
    ax.set_xlabel("year")
    ax.set_ylabel(f"{e.currency} million per year")
    ax2 = ax.twinx()
    cum = np.cumsum(e.cash_flow) / 1e6
    ax2.plot(y, cum, color="black", marker=".", label="cumulative cash flow (right)")
    ax2.set_ylabel(f"cumulative [{e.currency} million]")
    pad = 1.08
    left, right = aligned_zero_limits(
        pad * float(np.min(-spend, initial=0.0)), pad * float(np.max(bottom, initial=0.0)),
        pad * float(np.min(cum, initial=0.0)), pad * float(np.max(cum, initial=0.0)))
    ax.set_ylim(*left)
    ax2.set_ylim(*right)
    ax.set_xlim(float(y[0]) - 0.8, float(y[-1]) + 0.8)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    fig.legend(h1 + h2, l1 + l2, fontsize=7, ncols=4, loc="outside lower center")
    ax.grid(alpha=0.3)
    return fig


def cashflow_svg(e: EconomicsResult) -> str:
    """:func:`cashflow_figure` as inline SVG."""
    return figure_to_svg(cashflow_figure(e), element_id="economics-cashflow")


def _volume_series(e: EconomicsResult) -> dict[str, np.ndarray]:
    """Per-year series of the volumes figure (operating years only) [Tbit/s, pairs]."""
    assert e.volumes is not None
    rows = e.volumes.years[1:]

    def col(name: str) -> np.ndarray:
        return np.array([np.nan if getattr(r, name) is None else getattr(r, name)
                         for r in rows], dtype=float)

    return {
        "year": col("year"), "demand": col("demand_tbps"), "limit": col("onward_limit_tbps"),
        "deliverable": col("deliverable_tbps"), "sold": col("sold_tbps"),
        "design": col("design_capacity_tbps"), "pairs": col("lit_fibre_pairs"),
    }


_VOLUME_LINES = (  # key, label, colour, dash (matplotlib, Plotly)
    ("demand", "demand wanting the line", "#7f8c8d", (":", "dot")),
    ("deliverable", "deliverable (network-bounded)", "#2874a6", ("--", "dash")),
    ("sold", "sold", "#16a085", ("-", "solid")),
    ("design", "design capacity", "#c0392b", ("-.", "dashdot")),
)


def volumes_svg(e: EconomicsResult, element_id: str = "economics-volumes") -> str:
    """Demand against design capacity over the life (log scale), lit fibre pairs on the right."""
    v = _volume_series(e)
    fig = new_figure(9.0, 3.8)
    ax = fig.add_subplot(1, 1, 1)
    for key, label, colour, (ls, _) in _VOLUME_LINES:
        wide = key == "deliverable"  # drawn wide under "sold", which often equals it
        ax.plot(v["year"], v[key], color=colour, ls=ls, lw=3.2 if wide else 1.4,
                alpha=0.55 if wide else 1.0, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("year")
    ax.set_ylabel("Tbit/s (log scale)")
    ax2 = ax.twinx()
    ax2.step(v["year"], v["pairs"], where="mid", color="#d68910", lw=1.0,
             label="lit fibre pairs (right)")
    ax2.set_ylabel("lit fibre pairs")
    ax2.set_ylim(0, max(float(np.nanmax(v["pairs"])) * 1.3, 1.0))
    from matplotlib.ticker import MaxNLocator

    ax2.yaxis.set_major_locator(MaxNLocator(integer=True))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax2.legend(h1 + h2, l1 + l2, fontsize=7, ncols=2, loc="lower right", framealpha=0.9)
    ax.grid(alpha=0.3, which="both")
    return figure_to_svg(fig, element_id=element_id)


def volumes_figure(e: EconomicsResult) -> Any:
    """The same figure as :func:`volumes_svg`, interactive (Plotly)."""
    import plotly.graph_objects as go

    from ..interactive import base_layout

    v = _volume_series(e)
    fig = go.Figure()
    for key, label, colour, (_, dash) in _VOLUME_LINES:
        fig.add_trace(go.Scatter(
            x=v["year"], y=v[key], name=label, mode="lines",
            line={"color": colour, "dash": dash, "width": 2},
            hovertemplate="%{x}: %{y:.2f} Tbit/s",
        ))
    fig.add_trace(go.Scatter(
        x=v["year"], y=v["pairs"], name="lit fibre pairs (right)", mode="lines",
        line={"color": "#d68910", "shape": "hvh", "width": 1}, yaxis="y2",
        hovertemplate="%{x}: %{y:.0f} pairs",
    ))
    fig.update_layout(**base_layout(
        "The line's traffic against its design capacity",
        xaxis={"title": {"text": "year"}},
        yaxis={"title": {"text": "Tbit/s"}, "type": "log"},
        yaxis2={"title": {"text": "lit fibre pairs"}, "overlaying": "y", "side": "right",
                "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
    ))
    return fig


def _volumes_table(e: EconomicsResult) -> str:
    assert e.volumes is not None
    from ...economics.result import VolumeYear

    def num(x: float | None) -> str:
        return "–" if x is None else f"{x:,.2f}"

    head = "".join(f"<th>{escape(n.replace('_tbps', '').replace('_', ' '))}"
                   + (f" [{escape(u)}]" if u not in ("", "1") else "") + "</th>"
                   for n, u, _ in VolumeYear.fields_table())
    rows = [[r.year, num(r.demand_tbps), num(r.onward_limit_tbps), num(r.deliverable_tbps),
             num(r.sold_tbps), num(r.design_capacity_tbps), r.lit_wavelengths,
             r.lit_fibre_pairs] for r in e.volumes.years[1:]]
    return (f"<table><caption>The line's volumes per year</caption><tr>{head}</tr>"
            + _rows(rows) + "</table>")


def _volumes_html(e: EconomicsResult, interactive: bool) -> str:
    """Volumes paragraph (the rule), figure and table."""
    if e.volumes is None:
        return ""
    vol, t = e.volumes, e.traffic
    last = vol.years[-1]
    if t.onward:
        g = t.onward[0]
        groups = "; ".join(
            f"{escape(x.bottleneck)} ({x.share:.0%} of the line's flow, utilisation "
            f"{x.utilisation:.0%})" for x in t.onward)
        bound = (f"""Bottleneck onward links of the line's paths in {t.base_year}: {groups}.
The onward links' lit capacity grows {_pct(vol.onward_capacity_growth_per_year)}/yr
(<code>network.onward_capacity_growth_per_year</code>); """
                 + (f"the corridor holds the line below its demand from {vol.onward_capped_year}"
                    f" ({escape(g.bottleneck)} full)." if vol.onward_capped_year is not None
                    else "the onward links never hold the line below its demand."))
    else:
        bound = "No network result: nothing but the demand bounds the line's traffic."
    fig = volumes_svg(e)
    if interactive:
        from ..interactive import figure_html

        fig = figure_html(volumes_figure(e), "economics-volumes",
                          volumes_svg(e, element_id="economics-volumes-static"))
    return f"""<h3>Demand against design capacity</h3>
<p><b>How the volumes are derived.</b> {escape(vol.rule)} {bound}
In {last.year}: demand {last.demand_tbps:,.1f} Tbit/s, deliverable {last.deliverable_tbps:,.1f},
sold {last.sold_tbps:,.1f} of a design capacity of {last.design_capacity_tbps:,.1f} Tbit/s
({last.lit_fibre_pairs} of {e.design.fibre_pairs} fibre pairs lit).</p>
<figure>{fig}</figure>
{_volumes_table(e)}"""


def tornado_svg(e: EconomicsResult) -> str:
    """NPV with each driver at x(1 - swing) and x(1 + swing)."""
    fig = new_figure(8.0, 3.4)
    ax = fig.add_subplot(1, 1, 1)
    base = e.measures.npv / 1e6
    bars = list(reversed(e.tornado))
    for i, b in enumerate(bars):
        lo, hi = b.npv_low / 1e6 - base, b.npv_high / 1e6 - base
        ax.barh(i, lo, left=base, color="#5dade2")
        ax.barh(i, hi, left=base, color="#ec7063")
    ax.set_yticks(range(len(bars)), [b.label for b in bars], fontsize=8)
    ax.axvline(base, color="black", lw=0.8)
    ax.set_xlabel(f"NPV [{e.currency} million]; blue: driver x{bars[0].low_factor:g}, "
                  f"red: x{bars[0].high_factor:g}")
    ax.grid(alpha=0.3, axis="x")
    return figure_to_svg(fig, element_id="economics-tornado")


def npv_histogram_figure(e: EconomicsResult) -> Any:
    """The Monte Carlo NPV histogram (a matplotlib Figure) with P10 / P50 / P90 marked by
    lines and labelled above the plot area, clear of the bars."""
    mc = e.monte_carlo
    fig = new_figure(7.0, 3.0)
    ax = fig.add_subplot(1, 1, 1)
    edges = np.asarray(mc.histogram_edges) / 1e6
    ax.stairs(mc.histogram_counts, edges, fill=True, color="#aed6f1")
    top = ax.get_xaxis_transform()  # x in data, y in axes fraction
    for v, name in ((mc.p10, "P10"), (mc.p50, "P50"), (mc.p90, "P90")):
        ax.axvline(v / 1e6, color="#1b4f72", lw=1)
        ax.annotate(f"{name}\n{v / 1e6:,.1f}", (v / 1e6, 1.0), xycoords=top,
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                    fontsize=7, annotation_clip=False)
    ax.axvline(0.0, color="#c0392b", lw=1)
    ax.set_xlabel(f"project NPV [{e.currency} million]")
    ax.set_ylabel("samples")
    return fig


def npv_histogram_svg(e: EconomicsResult) -> str:
    """:func:`npv_histogram_figure` as inline SVG."""
    return figure_to_svg(npv_histogram_figure(e), element_id="economics-npv-mc")


def _rows(rows: list[list[Any]]) -> str:
    return "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)


def _cost_table(e: EconomicsResult) -> str:
    rows = [
        [i.name, f"{i.quantity:,.2f} {i.unit}", f"{i.unit_cost:,.3f}" if i.unit_cost < 1 else
         f"{i.unit_cost:,.0f}", _m(i.total), i.book_item,
         e.cost_book.rows[i.book_item].source if i.book_item in e.cost_book.rows else ""]
        for i in e.capex.items
    ]
    rows.append(["Total (model)", "", "", _m(e.model_total), "", ""])
    return ("<table><tr><th>item</th><th>quantity</th><th>unit cost</th>"
            f"<th>{e.currency} M</th><th>cost-book row</th><th>source</th></tr>"
            + _rows(rows) + "</table>")


def _opex_table(e: EconomicsResult) -> str:
    rows = [[i.name, f"{i.quantity:,.3f} {i.unit}", f"{i.unit_cost:,.4g}", _m(i.total),
             i.book_item] for i in e.opex_items]
    return ("<table><tr><th>yearly OPEX item</th><th>quantity</th><th>unit cost</th>"
            f"<th>{e.currency} M/yr</th><th>cost-book row</th></tr>" + _rows(rows)
            + "</table><p>Plus the power of the lit pairs and wavelengths (cost-book rows "
            "<code>slte_common_power_w_per_fibre_pair</code>, <code>transponder_power_w</code>"
            "), growing with lit capacity.</p>")


def _budget_table(e: EconomicsResult) -> str:
    if e.budget_applies:
        rows = [[f"this line (model vs the published {e.budget_route} budget)",
                 _m(e.model_total), _m(e.published_budget), f"{e.budget_ratio:.2f}"]]
    else:  # the budget is another route's: shown for reference, never as a ratio
        rows = [["this line (model)", _m(e.model_total), "–", "–"],
                [f"published budget of {e.budget_route} (another route: reference only, not "
                 "compared)", "–", _m(e.published_budget), "–"]]
    rows += [[f"{c.name} ({c.published_scope})", _m(c.model_total), _m(c.published),
              f"{c.ratio:.2f}"] for c in e.comparators]
    return ("<table><tr><th>system</th><th>model M</th><th>published M</th>"
            "<th>ratio</th></tr>" + _rows(rows) + "</table>")


def _member_table(e: EconomicsResult) -> str:
    rows = [[m.name, m.country, f"{m.share:.1%}",
             f"{m.allocation.whole_fibre_pairs} pairs + {m.allocation.shared_pair_channels} ch",
             f"{m.allocation.capacity_tbps:.1f}", _m(m.capital_calls.sum()),
             _m(m.revenue.sum()), _m(m.measures.npv), _pct(m.measures.irr),
             m.measures.payback_year or "never"] for m in e.members]
    p = e.measures
    rows.append(["project", "", "100 %", f"{e.design.fibre_pairs} pairs",
                 f"{e.design.design_capacity_tbps:.1f}",
                 _m(e.capex_by_year.sum()), _m(e.revenue_by_product.sum()), _m(p.npv),
                 _pct(p.irr), p.payback_year or "never"])
    return ("<table><tr><th>member</th><th>country</th><th>share</th><th>capacity</th>"
            "<th>Tbit/s</th><th>capital calls M</th><th>revenue M (undiscounted)</th>"
            "<th>NPV M</th><th>IRR</th><th>payback</th></tr>" + _rows(rows) + "</table>")


def _revenue_table(e: EconomicsResult) -> str:
    r = e.discount_rate
    disc = (1 + r) ** -np.arange(e.years.size, dtype=float)
    rows = [[p.replace("_", " "), _m(e.revenue_by_product[j].sum()),
             _m(float(e.revenue_by_product[j] @ disc)),
             _m(float(e.revenue_by_product[j, 1]))]
            for j, p in enumerate(e.products)]
    return (f"<table><tr><th>product</th><th>revenue over the life M</th>"
            f"<th>present value M</th><th>first year ({int(e.years[1])}) M</th></tr>"
            + _rows(rows) + "</table>")


def _break_even_table(e: EconomicsResult) -> str:
    rows = [[p, f"{v['base_price']:,.2f} {v['price_unit']}",
             "–" if v["break_even_price"] is None else f"{v['break_even_price']:,.2f}",
             "–" if v["price_factor"] is None else f"{v['price_factor']:.2f}"]
            for p, v in e.break_even.items()]
    return ("<table><tr><th>product</th><th>price</th><th>break-even price</th>"
            "<th>factor</th></tr>" + _rows(rows) + "</table>")


def _digital_hub_paragraph(e: EconomicsResult) -> str:
    """What the Digital Hub changes in the volumes sold and the NPV (network stage's
    traffic kept local on the line)."""
    t, dh = e.traffic, e.digital_hub_npv
    if dh is None or t.digital_hub_kept_local_tbps <= 0.0:
        return ""
    how = ("sold here as terminating traffic (<code>economics.digital_hub: true</code>)"
           if t.digital_hub_applied else
           "sold here as Baku transit; <code>economics.digital_hub: true</code> sells it as "
           "terminating traffic")
    return f"""<p><b>Digital Hub.</b> With Baku as an interconnection hub, {
        t.digital_hub_kept_local_tbps:.2f} Tbit/s of the line's base-year traffic is content
served in Baku instead of transiting it to Western hubs (network stage, line + hub case),
{how}. Project NPV without the hub's effect {_m(dh["without"])} M, with it
{_m(dh["with"])} M ({_m(dh["with"] - dh["without"])} M).</p>"""


def section_html(e: EconomicsResult, *, interactive: bool = False) -> str:
    """The economics section as an HTML fragment ``<section id="economics">…</section>``
    (``interactive``: the volumes figure in Plotly with its SVG twin; otherwise every figure is
    inline SVG and there is no script)."""
    p, mc, t = e.measures, e.monte_carlo, e.traffic
    who = ", ".join(f"{m.name} (NPV {_m(m.measures.npv)} M, IRR {_pct(m.measures.irr)})"
                    for m in e.members)
    verdict = "pays back" if p.payback_year is not None else "does not pay back"
    warn = "".join(f"<p class='warning'>{escape(w)}</p>" for w in e.warnings)
    return f"""
<section id="economics">
<h2>Business case</h2>
<p><b>Does it pay back?</b> The project {verdict} ({e.currency}, real, discount rate
{_pct(e.discount_rate)}): NPV {_m(p.npv)} M, IRR {_pct(p.irr)}, payback {p.payback_year or '–'}
(discounted {p.discounted_payback_year or '–'}). <b>For whom:</b> {escape(who)}.
Monte Carlo ({mc.samples} samples): NPV P10 {_m(mc.p10)} M, P50 {_m(mc.p50)} M,
P90 {_m(mc.p90)} M; probability of a negative NPV {mc.probability_npv_negative:.1%}.
Cash flows are pre-tax, in real terms, with no value left after the design life; prices and
most unit costs are documented assumptions (scenario file and cost book), so read the NPV as
their consequence, with the tornado for what moves it.</p>
{warn}
<h3>Cost against the published budget</h3>
{_budget_table(e)}
<p>Same cost functions and cost book for every system; no factor is fitted to the published
figures. Design costed: {escape(e.design.label)} ({e.design.fibre_pairs} fibre pairs,
{e.design.channels_per_pair} x {e.design.wavelength_gbps:.0f} Gbit/s per pair).</p>
<h3>CAPEX item by item</h3>
{_cost_table(e)}
<h3>OPEX</h3>
{_opex_table(e)}
{_volumes_html(e, interactive)}
<h3>Revenue by product and cash flow</h3>
<p>Traffic on the line in {t.base_year}: {t.total_tbps:.2f} Tbit/s ({t.baku_transit_tbps:.2f}
transiting Baku); demand for it grows {_pct(t.growth_per_year)}/yr to {t.horizon_year}, then
{_pct(t.growth_after_horizon_per_year)}/yr, and what is sold is bounded by the onward corridor
and the design (above); repairs {e.repairs.ship_repairs_per_year:.3f}/yr,
availability {e.repairs.availability:.4%} ({escape(e.repairs.source)}), SLA credits
{_pct(e.sla_credit_fraction)} of lease revenue. Levelised cost (present value of CAPEX and
OPEX over the present value of the capacity sold): {e.currency}
{e.levelised_cost_per_100g_year or 0:,.0f} per 100G-year,
{e.levelised_cost_per_tbps_km_year or 0:,.2f} per Tbit/s·km·year.
Yearly figures: <code>cashflows.csv</code>.</p>
{_digital_hub_paragraph(e)}
{cashflow_svg(e)}
{_revenue_table(e)}
<p>Break-even price per product: the price (every member's) that brings the project NPV to
zero with the other prices held; 0 means the project pays back even with that product given
away.</p>
{_break_even_table(e)}
<h3>The consortium</h3>
{_member_table(e)}
<h3>Sensitivity</h3>
{tornado_svg(e)}
{npv_histogram_svg(e)}
</section>
"""
