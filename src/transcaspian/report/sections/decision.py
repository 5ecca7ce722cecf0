"""Report section: the decision - which design to build, and why.

The rule in one paragraph, the two sentences of the decision (why the recommended design wins,
what the capacity target costs), a chart of every candidate's NPV against its system capacity
(constraint failures marked) and the decision table, whose columns come from the
:class:`~transcaspian.decision.stage.Candidate` record's declaration.
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

from ..figures import figure_to_svg, new_figure

if TYPE_CHECKING:  # pragma: no cover
    from ...decision.stage import Candidate, DecisionResult

_OBJECTIVE = {"npv": "the highest NPV", "lifecycle_cost": "the lowest life-cycle cost",
              "capacity": "the most system capacity"}
_FAIL_TEXT = {"carries": "does not carry every channel", "feedable": "cannot be fed",
              "min_margin": "thin margin", "min_availability": "availability too low",
              "target": "below target"}


def _m(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{x / 1e6:,.1f}"


def _status(c: Candidate) -> str:
    if c.recommended:
        return "recommended"
    return "; ".join(_FAIL_TEXT.get(f, f) for f in c.fails) or "meets every constraint"


def candidates_svg(d: DecisionResult) -> str:
    """NPV against system capacity per candidate; the target as a line, failures greyed."""
    fig = new_figure(8.0, 4.0)
    ax = fig.add_subplot(1, 1, 1)
    for c in d.candidates:
        if not math.isfinite(c.npv):
            continue
        hard = {"carries", "feedable"} & set(c.fails)
        colour = "#1e8449" if c.recommended else ("#b3b6b7" if hard else (
            "#d68910" if c.fails else "#2874a6"))
        ax.scatter([c.system_capacity_tbps], [c.npv / 1e6], s=90 if c.recommended else 45,
                   color=colour, edgecolor="black", lw=0.6, zorder=3)
        ax.annotate(c.name.replace("_", " "), (c.system_capacity_tbps, c.npv / 1e6),
                    textcoords="offset points", xytext=(5, 4), fontsize=7)
    if d.target_tbps is not None:
        ax.axvline(d.target_tbps, color="#c0392b", ls="--", lw=1.0,
                   label=f"target {d.target_tbps:g} Tb/s")
        ax.legend(fontsize=8, loc="lower right")
    ax.axhline(0.0, color="#555555", lw=0.5)
    ax.set_xlabel("system capacity at end of life [Tb/s]")
    ax.set_ylabel(f"NPV [{d.currency} million]")
    ax.set_title("Candidates: green chosen, blue eligible, orange fails a policy constraint "
                 "or the target, grey cannot be built", fontsize=9)
    ax.grid(alpha=0.3)
    return figure_to_svg(fig, element_id="decision-candidates")


def _interactive(d: DecisionResult, svg: str) -> str:
    import plotly.graph_objects as go

    from ..interactive import base_layout, figure_html

    fig = go.Figure()
    rows = [c for c in d.candidates if math.isfinite(c.npv)]
    for group, pick in (("recommended", lambda c: c.recommended),
                        ("eligible", lambda c: not c.recommended and not c.fails),
                        ("fails a constraint", lambda c: not c.recommended and bool(c.fails))):
        sel = [c for c in rows if pick(c)]
        if not sel:
            continue
        fig.add_trace(go.Scatter(
            x=[c.system_capacity_tbps for c in sel], y=[c.npv / 1e6 for c in sel],
            mode="markers+text", name=group, text=[c.name.replace("_", " ") for c in sel],
            textposition="top center",
            marker={"size": 14 if group == "recommended" else 9,
                    "color": {"recommended": "#1e8449", "eligible": "#2874a6"}.get(group,
                                                                                   "#d68910")},
            customdata=[[c.margin_db, c.capex / 1e6, c.availability * 100, _status(c)]
                        for c in sel],
            hovertemplate="%{text}<br>%{x:.0f} Tb/s, NPV %{y:.1f} M<br>margin "
                          "%{customdata[0]:.2f} dB, CAPEX %{customdata[1]:.1f} M<br>"
                          "availability %{customdata[2]:.3f} %<br>%{customdata[3]}"
                          "<extra></extra>"))
    shapes = []
    if d.target_tbps is not None:
        shapes.append({"type": "line", "x0": d.target_tbps, "x1": d.target_tbps, "yref": "paper",
                       "y0": 0, "y1": 1, "line": {"color": "#c0392b", "dash": "dash"}})
    fig.update_layout(**base_layout(
        "Candidates: NPV against system capacity (dashed: the target)",
        xaxis={"title": "system capacity at end of life [Tb/s]"},
        yaxis={"title": f"NPV [{d.currency} million]"}, shapes=shapes, height=420))
    return figure_html(fig, "decision-candidates-interactive", svg)


def table_html(d: DecisionResult) -> str:
    """The decision table: every candidate, its figures and the constraint it fails."""
    head = ("<tr><th>design</th><th>repeaters</th><th>system capacity [Tb/s]</th>"
            "<th>margin [dB]</th><th>power feed</th><th>availability [%]</th>"
            f"<th>CAPEX [{escape(d.currency)} M]</th><th>life-cycle cost [M]</th>"
            "<th>NPV [M]</th><th>IRR [%]</th><th>status</th></tr>")
    rows = []
    for c in d.candidates:
        cls = ' class="recommended"' if c.recommended else ""
        irr = "–" if c.irr is None or not math.isfinite(c.irr) else f"{100 * c.irr:.1f}"
        margin = "–" if not math.isfinite(c.margin_db) else f"{c.margin_db:.2f}"
        rows.append(
            f"<tr{cls}><td>{escape(c.label)}</td><td>{c.repeaters}</td>"
            f"<td>{c.system_capacity_tbps:.1f}</td><td>{margin}</td>"
            f"<td>{'ok' if c.feedable else 'cannot be fed'}</td>"
            f"<td>{100 * c.availability:.3f}</td><td>{_m(c.capex)}</td>"
            f"<td>{_m(c.lifecycle_cost)}</td><td>{_m(c.npv)}</td><td>{irr}</td>"
            f"<td>{escape(_status(c))}</td></tr>")
    return (f'<table class="data" id="decision-table"><caption>Decision table: every '
            f'candidate design</caption>{head}{"".join(rows)}</table>')


def section_html(d: DecisionResult, *, interactive: bool = True) -> str:
    """The decision section as an HTML fragment ``<section id="decision">…</section>``."""
    rec = d.chosen
    target = ("no capacity target" if d.target_tbps is None
              else f"the {d.target_tbps:g} Tb/s capacity target")
    avail = ("" if d.min_availability is None
             else f", an availability of at least {d.min_availability:.3%}")
    svg = candidates_svg(d)
    figure = _interactive(d, svg) if interactive else svg
    return f"""
<section id="decision">
<h2>Decision: which design to build</h2>
<div class="kpis">
 <div><b>{escape(rec.label)}</b><span>recommended design</span></div>
 <div><b>{rec.system_capacity_tbps:.0f} Tb/s</b><span>system capacity, end of life</span></div>
 <div><b>{rec.margin_db:.2f} dB</b><span>end-of-life margin</span></div>
 <div><b>{_m(rec.npv)} M</b><span>NPV ({escape(d.currency)})</span></div>
</div>
<p><b>{escape(d.reason)}</b></p>
<p>{escape(d.target_cost)}</p>
<p class="note">The rule (<code>decision:</code> in the scenario): every optical candidate is
weighed with its power-feeding verdict, its analytic availability and its business case (the
same functions as the Reliability and Business case sections, so the chosen design's figures
agree there). A design must carry every channel at end of life and be power-fed; it must keep
at least {d.min_margin_db:.1f} dB of end-of-life margin{avail} (relaxed, and said so, only when
no design does); among the designs that reach {target} (or, when none does, among the rest) the
choice is {_OBJECTIVE.get(d.objective, d.objective)} (objective <code>{escape(d.objective)}</code>);
ties go to the lower CAPEX.</p>
<figure>{figure}</figure>
{table_html(d)}
</section>
"""
