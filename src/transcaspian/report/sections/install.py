"""Report section: installation and ready for service.

The burial plan along KP (depth of lowering and residual anchor-strike rate, CBRA), the trade
of burial CAPEX against expected strikes and availability across burial targets, the
installation Gantt chart (P50 bars with P90 whiskers), the RFS distribution and its effect on
NPV, the vessel days by phase, and the tables (burial plan, activities, permits) that the
report also writes as CSV files.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

import numpy as np

from ..figures import figure_to_svg, new_figure

_PHASE_COLOUR = {"permits": "#7d3c98", "survey": "#2874a6", "manufacture": "#148f77",
                 "vessel": "#b9770e", "marine": "#1f618d", "commissioning": "#1e8449"}


def burial_svg(r: Any) -> str:
    """DoL and residual strike rate along KP (steps over the burial plan's segments)."""
    fig = new_figure(8.5, 4.2)
    ax = fig.add_subplot(1, 1, 1)
    segs = r.segments
    x = [v for s in segs for v in (s.kp_start_km, s.kp_end_km)]
    dol = [s.dol_m for s in segs for _ in (0, 1)]
    ax.fill_between(x, 0, dol, step=None, color="#a9cce3", label="depth of lowering [m]")
    for s in segs:
        if s.protection:
            ax.axvspan(s.kp_start_km, s.kp_end_km, color="#e59866", alpha=0.5)
        elif s.reason:
            ax.axvspan(s.kp_start_km, s.kp_end_km, color="#d5d8dc", alpha=0.6)
    ax.set_xlabel("KP [km]")
    ax.set_ylabel("depth of lowering [m]")
    ax.set_ylim(0, max(1.0, max(dol, default=0.0) * 1.2))
    ax2 = ax.twinx()
    strike = [max(s.strike_per_km_year, 1e-12) for s in segs for _ in (0, 1)]
    raw = [max(s.strike_unburied_per_km_year, 1e-12) for s in segs for _ in (0, 1)]
    ax2.semilogy(x, raw, color="#c0392b", lw=0.8, ls=":", label="strikes if unburied")
    ax2.semilogy(x, strike, color="#c0392b", lw=1.4, label="residual strikes")
    ax2.axhline(1.0 / r.target_return_period_years_km, color="#555555", ls="--", lw=0.8,
                label="target")
    ax2.set_ylabel("anchor strikes [1/km/yr]")
    ax2.set_ylim(1e-9, 1e-2)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=7, loc="upper center")
    ax.set_title("Burial plan along the route (grey: not buriable, orange: protection)",
                 fontsize=9)
    return figure_to_svg(fig, element_id="install-burial")


def trade_svg(r: Any) -> str:
    """Burial CAPEX against expected strikes and availability, one point per target."""
    fig = new_figure(8.0, 3.8)
    ax = fig.add_subplot(1, 1, 1)
    capex = [t.burial_capex_usd / 1e6 for t in r.trade]
    lam = [t.strikes_per_year for t in r.trade]
    ax.plot(capex, lam, "o-", color="#2874a6")
    for t, c, y in zip(r.trade, capex, lam, strict=True):
        ax.annotate(f"{t.return_period_years_km:,.0f} yr·km\nA={t.availability:.6f}", (c, y),
                    textcoords="offset points", xytext=(5, 4), fontsize=6)
    ax.set_xlabel("burial and protection CAPEX [USD million]")
    ax.set_ylabel("residual anchor strikes [1/yr]")
    ax.set_title("Trade: burial CAPEX against expected strikes across burial targets "
                 "(A: availability against anchor strikes)", fontsize=9)
    ax.grid(alpha=0.3)
    return figure_to_svg(fig, element_id="install-trade")


def _gantt_rows(r: Any) -> list[Any]:
    return list(r.activities)


def gantt_svg(r: Any) -> str:
    rows = _gantt_rows(r)
    fig = new_figure(9.0, 0.28 * len(rows) + 1.2)
    ax = fig.add_subplot(1, 1, 1)
    for i, a in enumerate(rows):
        c = _PHASE_COLOUR.get(a.phase, "#566573")
        ax.barh(i, a.end_p50_days - a.start_p50_days, left=a.start_p50_days, color=c, height=0.6)
        ax.plot([a.end_p50_days, a.end_p90_days], [i, i], color="black", lw=0.8)
        ax.plot([a.end_p90_days], [i], "|", color="black")
    ax.set_yticks(range(len(rows)), [a.name for a in rows], fontsize=6)
    ax.invert_yaxis()
    ax.set_xlabel(f"days after the contract ({r.start_date})")
    ax.set_title("Installation schedule: P50 bars, whiskers to the P90 end", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    return figure_to_svg(fig, element_id="install-gantt")


def _gantt_interactive(r: Any, svg: str) -> str:
    import plotly.graph_objects as go

    from ..interactive import base_layout, figure_html

    rows = _gantt_rows(r)
    start = dt.date.fromisoformat(r.start_date)
    day = 86_400_000  # ms: plotly date axes take bar lengths in milliseconds

    def iso(days: float) -> str:
        return (start + dt.timedelta(days=float(days))).isoformat()

    fig = go.Figure()
    for phase in dict.fromkeys(a.phase for a in rows):
        sel = [a for a in rows if a.phase == phase]
        fig.add_trace(go.Bar(
            y=[a.name for a in sel], x=[(a.end_p50_days - a.start_p50_days) * day for a in sel],
            base=[iso(a.start_p50_days) for a in sel], orientation="h", name=phase,
            marker={"color": _PHASE_COLOUR.get(phase, "#566573")},
            error_x={"type": "data", "symmetric": False,
                     "array": [(a.end_p90_days - a.end_p50_days) * day for a in sel],
                     "arrayminus": [0.0] * len(sel), "thickness": 1.2, "width": 4},
            customdata=[[a.start_p50, a.end_p50, a.end_p90] for a in sel],
            hovertemplate="%{y}<br>P50 %{customdata[0]} → %{customdata[1]}<br>"
                          "P90 end %{customdata[2]}<extra></extra>"))
    fig.update_layout(**base_layout(
        "Installation schedule (P50 bars, whiskers to the P90 end)", barmode="overlay",
        xaxis={"type": "date", "title": "date"},
        yaxis={"autorange": "reversed", "automargin": True}, height=30 * len(rows) + 160))
    return figure_html(fig, "install-gantt-interactive", svg)


def rfs_svg(r: Any, econ_rfs: Any) -> str:
    fig = new_figure(8.0, 3.2)
    ax = fig.add_subplot(1, 1, 1)
    start = dt.date.fromisoformat(r.start_date)
    days = np.asarray(r.rfs_days, float)
    ax.hist(days, bins=60, color="#1e8449", alpha=0.8)
    target = (dt.date.fromisoformat(r.rfs_target_date) - start).days
    ax.axvline(target, color="#c0392b", ls="--", lw=1.0, label=f"target {r.rfs_target_date}")
    if econ_rfs is not None:
        planned = (dt.date.fromisoformat(econ_rfs.planned_rfs_date) - start).days
        ax.axvline(planned, color="#555555", ls=":", lw=1.0,
                   label=f"business case assumes {econ_rfs.planned_rfs_date}")
    ax.set_xlabel(f"RFS, days after the contract ({r.start_date})")
    ax.set_ylabel("simulated installations")
    ax.legend(fontsize=7)
    ax.set_title(f"RFS distribution ({r.runs:,} runs): P50 {r.rfs_p50_date}, "
                 f"P90 {r.rfs_p90_date}", fontsize=9)
    return figure_to_svg(fig, element_id="install-rfs")


def _table(tid: str, caption: str, head: list[str], rows: list[list[str]]) -> str:
    h = "".join(f"<th>{escape(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return (f'<table class="data" id="{tid}"><caption>{escape(caption)}</caption>'
            f"<tr>{h}</tr>{body}</table>")


def tables_html(r: Any) -> str:
    burial = _table(
        "install-burial-plan", "Burial plan along KP (CBRA)",
        ["KP start [km]", "KP end [km]", "depth [m]", "soil", "cable", "DoL [m]", "method",
         "protection", "not buriable", "strikes if unburied [1/km/yr]",
         "residual strikes [1/km/yr]", "burial CAPEX [USD]", "traffic sources"],
        [[f"{s.kp_start_km:.2f}", f"{s.kp_end_km:.2f}",
          f"{s.depth_min_m:.0f}-{s.depth_max_m:.0f}", s.soil, s.cable_type, f"{s.dol_m:.1f}",
          s.method, s.protection, s.reason, f"{s.strike_unburied_per_km_year:.2e}",
          f"{s.strike_per_km_year:.2e}", f"{s.burial_capex_usd:,.0f}", s.traffic]
         for s in r.segments])
    acts = _table(
        "install-activities", "Installation activities (days after the contract)",
        ["activity", "phase", "P50 start", "P50 end", "P90 end", "mean duration [d]"],
        [[a.name, a.phase, a.start_p50, a.end_p50, a.end_p90, f"{a.duration_mean_days:.1f}"]
         for a in r.activities])
    permits = _table(
        "install-permits", "Permit register",
        ["permit", "authority", "duration min/mode/max [d]", "depends on", "gates",
         "granted P50 [d]", "granted P90 [d]", "source"],
        [[p.name, p.authority, f"{p.min_days:g}/{p.mode_days:g}/{p.max_days:g}", p.depends_on,
          p.gates, f"{p.granted_p50_days:.0f}", f"{p.granted_p90_days:.0f}", p.source]
         for p in r.permits])
    miles = _table(
        "install-milestones", "Milestones",
        ["milestone", "P10 [d]", "P50 [d]", "P90 [d]", "P50 date", "P90 date"],
        [[m.name, f"{m.p10_days:.0f}", f"{m.p50_days:.0f}", f"{m.p90_days:.0f}", m.p50_date,
          m.p90_date] for m in r.milestones])
    vessel = _table(
        "install-vessel-days", "Lay-vessel days by phase",
        ["phase", "mean [d]", "P50 [d]", "P90 [d]"],
        [[v.phase, f"{v.mean_days:.1f}", f"{v.p50_days:.1f}", f"{v.p90_days:.1f}"]
         for v in r.vessel_phases])
    return miles + vessel + burial + acts + permits


def section_html(r: Any, econ_rfs: Any = None, *, repeaters: int | None = None,
                 interactive: bool = True) -> str:
    """The install section as ``<section id="install">…</section>``; ``repeaters``: the chosen
    design's, whose handling shifts its RFS (the schedule shown has no powered wet plant)."""
    gsvg = gantt_svg(r)
    gantt = _gantt_interactive(r, gsvg) if interactive else gsvg
    money = ""
    if econ_rfs is not None:
        e = econ_rfs
        money = (f"<p>Business case (RFS assumed {escape(e.planned_rfs_date)}): NPV "
                 f"{e.npv_planned / 1e6:,.1f} M as planned, {e.npv_at_p50_rfs / 1e6:,.1f} M at "
                 f"the P50 RFS, {e.npv_at_p90_rfs / 1e6:,.1f} M at the P90 RFS (with P90 "
                 f"vessel days); expected cost of delay {e.expected_cost_of_delay / 1e6:,.2f} M; "
                 f"P(RFS by the planned date) {e.p_rfs_by_planned:.3f}.</p>")
    if repeaters:
        v = r.for_design(repeaters)
        money = (f"<p>The schedule below has no powered wet plant; the chosen design's "
                 f"{repeaters} repeater(s) add {r.days_per_repeater:.2f} d each: its RFS P50 "
                 f"{escape(v.rfs_p50_date)}, P90 {escape(v.rfs_p90_date)}, vessel days "
                 f"{v.vessel_days_mean:.0f} (mean).</p>") + money
    est = "".join(f"<li>{escape(x)}</li>" for x in r.estimates)
    return f"""
<section id="install">
<h2>Installation and ready for service</h2>
<div class="kpis">
 <div><b>{escape(r.rfs_p50_date)}</b><span>RFS P50</span></div>
 <div><b>{escape(r.rfs_p90_date)}</b><span>RFS P90</span></div>
 <div><b>{r.p_rfs_by_target:.0%}</b><span>P(RFS by {escape(r.rfs_target_date)})</span></div>
 <div><b>{r.vessel_days_mean:.0f} d</b><span>lay-vessel days (mean)</span></div>
 <div><b>{r.buried_km:.0f} km</b><span>buried ({r.protected_km:.0f} km protected)</span></div>
</div>
<p>Burial by risk (Carbon Trust CBRA, CTC835 2015): each section's depth of lowering is the
shallowest that keeps anchor strikes below one per {r.target_return_period_years_km:,.0f}
km·years (rule <code>{escape(r.objective)}</code>); where the seabed cannot be buried (rock,
steep or deep) the cable is surface-laid and protected if the target requires. Residual strikes
{r.strikes_per_year:.2e}/yr against {r.strikes_unburied_per_year:.2e}/yr unburied; they replace
the anchor share of human-caused faults in the Reliability section.</p>
<p>The cable ({r.cable_mass_t:.0f} t) goes in {r.loads} tank load(s) of at most
{r.tank_capacity_t:.0f} t ({r.offshore_joints} offshore joint(s)) on a lay vessel that must fit
the Volga-Don (fits: {'yes' if r.vessel_fits_waterway else 'NO'}) and pass in its season; marine
works start when the permits that gate them are granted. {r.runs:,} simulated installations
(seed {r.seed}).</p>
{money}
<figure>{gantt}</figure>
<figure>{rfs_svg(r, econ_rfs)}</figure>
<figure>{burial_svg(r)}</figure>
<figure>{trade_svg(r)}</figure>
{tables_html(r)}
<p class="note">Estimates, not sourced (docs/install.md):</p><ul class="note">{est}</ul>
</section>
"""
