"""Report section: reliability and power feeding — fault density along KP, outage hours per year,
city-pair availability with and without the line, power-feed voltage along KP, and the tables
behind them."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from ..figures import figure_to_svg, new_figure

if TYPE_CHECKING:  # pragma: no cover
    from ...power.stage import PowerResult
    from ...reliability.stage import ReliabilityResult


def fault_density_svg(result: ReliabilityResult) -> str:
    """Expected faults per km per year along the route, by cause, with the water depth."""
    prof = result.profile
    fig = new_figure(8.0, 3.6)
    ax = fig.add_subplot()
    mid = 0.5 * (prof.kp_start_km + prof.kp_end_km)
    bin_km = max(1.0, float(prof.kp_end_km[-1]) / 80.0) if prof.kp_end_km.size else 1.0
    n_bins = max(1, int(np.ceil(float(prof.kp_end_km[-1]) / bin_km))) if mid.size else 1
    which = np.minimum((mid / bin_km).astype(int), n_bins - 1)
    edges = np.arange(n_bins + 1) * bin_km
    km = np.maximum(np.bincount(which, weights=prof.cable_km, minlength=n_bins), 1e-12)
    bottom = np.zeros(n_bins)
    for j, (cause, colour) in enumerate((("human", "#c0392b"), ("environmental", "#7d6608"),
                                         ("other", "#1f4e79"))):
        lam = np.bincount(which, weights=prof.rate_per_year[:, j], minlength=n_bins)
        per_km = np.asarray(lam, float) / km * 1000.0
        ax.stairs(bottom + per_km, edges, baseline=bottom, fill=True, color=colour, alpha=0.7,
                  label=cause, lw=0)
        bottom = bottom + per_km
    ax.set_xlabel("KP [km]")
    ax.set_ylabel("faults per 1000 cable-km per year")
    ax.set_title(f"Fault density along the route ({prof.faults_per_year:.3f} faults/yr in all, "
                 f"{bin_km:.1f} km bins)")
    ax.grid(alpha=0.3)
    ax2 = ax.twinx()
    step = max(1, mid.size // 200)
    ax2.plot(mid[::step], prof.depth_m[::step], color="0.3", lw=0.8, label="depth")
    ax2.invert_yaxis()
    ax2.set_ylabel("water depth [m]")
    ax.legend(fontsize=7, loc="upper center")
    return figure_to_svg(fig, element_id="reliability-fault-density")


def _phase_sum_text(phases: dict[str, float]) -> str:
    """Every repair phase's mean, written as a sum that adds up to the totals [d]."""
    parts = {k: v for k, v in phases.items()
             if not k.startswith(("spare", "total"))}
    text = "Mean repair phases at the mean fault depth [d]: " + " + ".join(
        f"{k.replace('_', ' ')} {v:.1f}" for k, v in parts.items())
    total = phases.get("total_at_mean_fault_depth", sum(parts.values()))
    text += f" = {total:.1f} d"
    if "total_with_spare_stock_outs" in phases:
        text += (f"; + wait for new cable once the spare stock has run out (averaged over "
                 f"repairs) {phases.get('spare_stock_out_wait', 0.0):.1f} = "
                 f"{phases['total_with_spare_stock_outs']:.1f} d, the mean repair")
    return text


def outage_hours_svg(result: ReliabilityResult) -> str:
    """Distribution of outage hours per simulated year (years with an outage), with percentiles."""
    mc = result.monte_carlo
    hours = mc.outage_hours
    fig = new_figure(8.0, 3.4)
    ax = fig.add_subplot()
    pos = hours[hours > 0]
    if pos.size:
        bins = np.logspace(np.log10(max(pos.min(), 1.0)), np.log10(pos.max() + 1.0), 40)
        ax.hist(pos, bins=bins.tolist(), color="#1f4e79", alpha=0.8)
        ax.set_xscale("log")
    for q, style in ((95, "--"), (99, ":")):
        v = mc.percentile_hours(q)
        if v > 0:
            ax.axvline(v, color="#c0392b", ls=style, lw=1.2, label=f"P{q} {v:,.0f} h")
    mean_pos = float(pos.mean()) if pos.size else 0.0
    if mean_pos > 0:
        ax.axvline(mean_pos, color="k", lw=1.0,
                   label=f"mean of years with an outage {mean_pos:,.0f} h "
                   f"(all years {mc.mean_outage_hours:,.0f} h)")
    share = 1.0 - pos.size / max(hours.size, 1)
    ax.set_title(f"Outage hours per year, {mc.years:,} simulated years "
                 f"({share:.1%} of years have no outage)")
    ax.set_xlabel("outage hours in a year [h]")
    ax.set_ylabel("simulated years")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    return figure_to_svg(fig, element_id="reliability-outage-hours")


def _pair_rows(result: ReliabilityResult) -> list[dict[str, Any]]:
    c = result.corridor
    if c is None:
        return []
    study = set(c.study_pairs) | {(b, a) for a, b in c.study_pairs}
    rows = [r for r in c.rows() if (r["a"], r["b"]) in study]
    return rows or c.rows()[:20]


def pair_availability_svg(result: ReliabilityResult,
                          names: dict[str, str] | None = None) -> str:
    """Unavailability (minutes per year) of the study's city pairs with and without the line."""
    rows = _pair_rows(result)
    fig = new_figure(8.0, 0.32 * max(len(rows), 4) + 1.8)
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    minutes = 365.25 * 24 * 60

    def unav(key: str) -> np.ndarray:
        return np.array([max(1.0 - (r[key] if r[key] is not None else 1.0), 0.0) * minutes
                         for r in rows])

    ax.barh(y - 0.2, unav("availability_without_line"), 0.4, color="#aab7b8",
            label="without the line")
    ax.barh(y + 0.2, unav("availability"), 0.4, color="#1f4e79", label="with the line")
    ax.plot(unav("availability_enumerated"), y + 0.2, "|", color="#c0392b", ms=8,
            label="with: ≤ 2 failures only (lower bound of U)")
    ax.plot(unav("availability_monte_carlo"), y + 0.2, "k.", ms=5,
            label="with: plain Monte Carlo (check)")
    nm = names or {}
    ax.set_yticks(y, [f"{nm.get(r['a'], r['a'])} – {nm.get(r['b'], r['b'])}" for r in rows],
                  fontsize=7)
    ax.set_xscale("symlog", linthresh=1.0)
    ax.set_xlabel("unavailability [minutes per year]")
    ax.set_title("City-pair unavailability of the corridor")
    ax.invert_yaxis()
    ax.grid(alpha=0.3, axis="x")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    return figure_to_svg(fig, element_id="reliability-pairs")


def power_voltage_svg(power: PowerResult) -> str:
    """Line voltage to sea earth along the cable for each repeatered design."""
    fig = new_figure(8.0, 3.2)
    ax = fig.add_subplot()
    for f in power.feeds:
        ax.plot(f.kp_km, f.volts, lw=1.2,
                label=f"{f.design.replace('_', ' ')} ({f.feeding.replace('_', '-')})")
    ax.axhline(0.0, color="k", lw=0.6)
    ax.set_xlabel("cable KP [km]")
    ax.set_ylabel("line voltage to sea earth [V]")
    ax.set_title("Power-feed voltage along the cable (A-end PFE)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return figure_to_svg(fig, element_id="power-voltage")


def _pct(x: float | None, nd: int = 4) -> str:
    return "–" if x is None else f"{100.0 * x:.{nd}f} %"


def _protection_table(result: ReliabilityResult) -> str:
    rows = "".join(
        f"<tr><td>{escape(r.option)}</td><td>{_pct(r.availability)}</td>"
        f"<td>{r.outage_hours_per_year:.2f}</td>"
        f"<td>{'–' if r.monte_carlo_outage_hours_per_year is None else format(r.monte_carlo_outage_hours_per_year, '.2f')}</td></tr>"
        for r in result.protection)
    return ("<table><caption>Protection options, side by side</caption><thead><tr><th>option"
            "</th><th>availability</th><th>outage [h/yr] analytic</th><th>outage [h/yr] Monte "
            f"Carlo</th></tr></thead><tbody>{rows}</tbody></table>")


def _zone_table(result: ReliabilityResult) -> str:
    rows = "".join(
        f"<tr><td>{escape(z.zone)}</td><td>{z.cable_km:.1f}</td>"
        f"<td>{z.faults_per_year:.4f}</td><td>{z.mean_fault_depth_m:.0f}</td></tr>"
        for z in result.zones)
    return ("<table><caption>Fault zones (depth band / cable type / hazards) and wet plant"
            "</caption><thead><tr><th>zone</th><th>cable km</th><th>faults/yr</th>"
            f"<th>mean depth [m]</th></tr></thead><tbody>{rows}</tbody></table>")


def trade_svg(power: PowerResult, element_id: str = "power-trade") -> str:
    """Cable capacity against fibre pairs under the PFE limit, with the unlimited bound."""
    t = power.trade
    assert t is not None
    fig = new_figure(8.0, 3.6)
    ax = fig.add_subplot()
    ok = t.feasible
    ax.plot(t.fibre_pairs[ok], t.cable_capacity_tbps[ok], "o-", color="#1f4e79", ms=3,
            label="best under the PFE limit")
    ax.plot(t.fibre_pairs, t.unconstrained_tbps, "--", color="0.5", lw=1.0,
            label="no feed limit")
    best = t.best_index
    if best is not None:
        ax.plot([t.fibre_pairs[best]], [t.cable_capacity_tbps[best]], "*", color="#c0392b",
                ms=12, label=f"best: {t.fibre_pairs[best]} pairs")
    ax.set_xlabel("fibre pairs")
    ax.set_ylabel("cable capacity (Shannon) [Tbit/s]")
    ax.set_title(f"Power-limited design, {t.cable_length_km:,.0f} km, "
                 f"{t.usable_v_per_end / 1e3:.1f} kV usable per end")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    return figure_to_svg(fig, element_id=element_id)


def trade_figure(power: PowerResult) -> Any:
    """The same figure as :func:`trade_svg`, interactive (Plotly), with each point's design."""
    import plotly.graph_objects as go

    from ..interactive import base_layout

    t = power.trade
    assert t is not None
    ok = t.feasible
    text = [f"{s:.1f} km spans, {r} repeaters, {p:.1f} dBm/amplifier, SNR {q:.1f} dB, "
            f"{w:.0f} W/repeater, {v / 1e3:.2f} kV/end"
            for s, r, p, q, w, v in zip(t.span_km[ok], t.repeaters[ok], t.output_power_dbm[ok],
                                        t.snr_db[ok], t.repeater_power_w[ok],
                                        t.pfe_v_per_end[ok], strict=True)]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=t.fibre_pairs[ok], y=t.cable_capacity_tbps[ok],
                             name="best under the PFE limit", mode="lines+markers",
                             line={"color": "#1f4e79"}, text=text,
                             hovertemplate="%{x} pairs: %{y:.0f} Tbit/s<br>%{text}"))
    fig.add_trace(go.Scatter(x=t.fibre_pairs, y=t.unconstrained_tbps, name="no feed limit",
                             mode="lines", line={"color": "#808080", "dash": "dash"},
                             hovertemplate="%{x} pairs: %{y:.0f} Tbit/s"))
    fig.update_layout(**base_layout(
        f"Cable capacity against fibre pairs under the PFE limit ({t.cable_length_km:,.0f} km)",
        xaxis={"title": {"text": "fibre pairs"}},
        yaxis={"title": {"text": "cable capacity (Shannon) [Tbit/s]"}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25}))
    return fig


def _trade_html(power: PowerResult, interactive: bool) -> str:
    t = power.trade
    if t is None:
        return ""
    fig = trade_svg(power)
    if interactive:
        from ..interactive import figure_html

        fig = figure_html(trade_figure(power), "power-trade",
                          trade_svg(power, element_id="power-trade-static"))
    best = t.best_index
    show = sorted({0, t.fibre_pairs.size - 1, *(i for i in range(t.fibre_pairs.size)
                                                if t.fibre_pairs[i] in (2, 4, 8, 12, 16, 24)),
                   *(() if best is None else (best,))})
    rows = "".join(
        f"<tr><td>{r['fibre_pairs']}</td><td>{r['cable_capacity_tbps']:,.1f}</td>"
        f"<td>{r['capacity_per_fibre_pair_tbps']:.2f}</td><td>{r['span_km']:.1f}</td>"
        f"<td>{r['repeaters']}</td><td>{r['output_power_dbm']:.1f}</td>"
        f"<td>{r['snr_db']:.2f}</td><td>{r['repeater_power_w']:.1f}</td>"
        f"<td>{r['pfe_v_per_end']:,.0f}</td><td>{'yes' if r['power_limited'] else 'no'}</td></tr>"
        if r["feasible"] else f"<tr><td>{r['fibre_pairs']}</td><td colspan=9>cannot be fed"
        "</td></tr>" for r in (t.row(i) for i in show))
    notes = "".join(f"<li>{escape(n)}</li>" for n in t.notes)
    head = ("no fibre-pair count can be fed at this length" if best is None else
            f"best: {t.fibre_pairs[best]} fibre pairs, {t.cable_capacity_tbps[best]:,.0f} "
            f"Tbit/s ({t.capacity_per_pair_tbps[best]:.1f} per pair) with repeaters every "
            f"{t.span_km[best]:.1f} km at {t.output_power_dbm[best]:.1f} dBm per amplifier")
    return f"""<h4>The power-limited design</h4>
<p>Which fibre pairs × amplifier output × repeater spacing carry the most under the feed limit
({t.feeding.replace("_", "-")} feeding, {t.usable_v_per_end / 1e3:.2f} kV usable per end,
{t.ohm_per_km:.2f} Ω/km mean conductor resistance): every point of a {t.grid_points:,}-point
grid is fed (repeater power from its output and pairs) and scored by the Shannon capacity of a
pair with ASE and GN nonlinear noise over the spans, the question of the power-efficient SDM
papers (Sinkin et al., JLT 2018; Dar et al., JLT 2018; Krause Perin et al., JLT 2019; Downie,
SPIE 2023). {head}. Capacities are Shannon bounds, not what a modem delivers.</p>
<figure>{fig}</figure>
<table><caption>Best feedable design per fibre-pair count (selected rows; all in
<code>transcaspian power --json</code>)</caption><thead><tr><th>pairs</th>
<th>cable [Tbit/s]</th><th>per pair [Tbit/s]</th><th>span [km]</th><th>repeaters</th>
<th>output [dBm]</th><th>SNR [dB]</th><th>repeater [W]</th><th>PFE per end [V]</th>
<th>power-limited</th></tr></thead><tbody>{rows}</tbody></table>
{f"<ul class='note'>{notes}</ul>" if notes else ""}"""


def _power_html(power: PowerResult | None, interactive: bool = False) -> str:
    if power is None or not power.feeds:
        return "<p>No repeatered design: nothing to power-feed.</p>" + (
            "" if power is None else _trade_html(power, interactive))
    rows = "".join(
        f"<tr><td>{escape(f.design)}</td><td>{f.repeaters}</td>"
        f"<td>{'' if f.output_power_dbm is None else f'{f.output_power_dbm:.1f}'}</td>"
        f"<td>{f.repeater_power_w:.1f}</td><td>{f.repeater_drop_v:.1f}</td>"
        f"<td>{f.budget.conductor_drop_v:.0f}</td><td>{f.budget.repeater_drop_v:.0f}</td>"
        f"<td>{f.budget.earth_allowance_v:.0f}</td><td>{f.budget.total_v:.0f}</td>"
        f"<td>{f.pfe_v_per_end:.0f}</td><td>{'yes' if f.feasible else 'no'}</td>"
        f"<td>{escape(f.reason)}</td></tr>" for f in power.feeds)
    f0 = power.feeds[0]
    return (f"<p>Constant current {f0.budget.current_a:g} A; conductor resistance by cable type "
            "from the RPL tally; earth-potential allowance per km (SubCom PTC'19). Each "
            "repeater's drop is its electrical power over the line current; the power is "
            "P<sub>fixed</sub> + N<sub>pairs</sub>·P<sub>pair</sub> + 2·N<sub>pairs</sub>·"
            "P<sub>out</sub>/(PCE·η<sub>pump</sub>) from the design's amplifier output and "
            f"the cable's {f0.fibre_pairs} fibre pairs (<code>power.repeater</code>, "
            "<code>docs/power.md</code>). A design that cannot be fed is marked infeasible in "
            "the optics comparison.</p><figure>" + power_voltage_svg(power) + "</figure>"
            "<table><caption>Power feeding of the repeatered designs</caption><thead><tr>"
            "<th>design</th><th>repeaters</th><th>output [dBm]</th><th>repeater [W]</th>"
            "<th>per repeater [V]</th><th>IR drop [V]</th><th>repeaters [V]</th>"
            "<th>earth allowance [V]</th><th>single-end [V]</th><th>PFE per end [V]</th>"
            f"<th>feedable</th><th>why</th></tr></thead><tbody>{rows}</tbody></table>"
            + _trade_html(power, interactive))


def section_html(result: ReliabilityResult, power: PowerResult | None = None,
                 names: dict[str, str] | None = None, *, interactive: bool = False) -> str:
    """The reliability section as an HTML fragment ``<section id="reliability">…</section>``."""
    an, mc = result.analytic, result.monte_carlo
    al = result.allowance
    verdict = "enough" if al.enough else "<b>not enough</b>"
    corridor = ""
    c = result.corridor
    if c is not None:
        corridor = (
            f"<p>Corridor: {c.units} independent failure units (every link, and every named "
            "shared-risk group of two or more links as one event cutting all of them). States "
            f"with up to {c.with_line.max_failures} simultaneous failures are enumerated "
            f"exactly; the probability mass left out is {c.with_line.mass_left_out:.3f} (so each "
            "enumerated availability is an upper bound, lower bound = it minus that mass). The "
            f"estimate shown adds that mass times the pair-down share of "
            f"{c.with_line.residual_samples:,} sampled states with more failures; a plain "
            f"Monte Carlo of {c.with_line.mc_samples:,} states checks it. With and without the "
            "line share the same states (common random numbers). "
            "Expected unserved traffic from the flow model's single-SRLG cuts: "
            f"{(c.unserved_tbps_h_per_year or 0):,.0f} Tbit/s·h per year with the line, "
            f"{(c.unserved_tbps_h_per_year_without or 0):,.0f} without.</p>"
            f"<figure>{pair_availability_svg(result, names)}</figure>")
    return f"""
<section id="reliability">
<h2>Reliability and power feeding</h2>
<div class="kpis">
 <div><b>{result.ship_repairs_per_year:.3f}/yr</b><span>ship repairs (cable + wet plant)</span></div>
 <div><b>{an.mean_repair_days:.0f} d</b><span>mean time to repair</span></div>
 <div><b>{_pct(result.availability, 3)}</b><span>line availability</span></div>
 <div><b>{result.outage_hours_per_year:.0f} h/yr</b><span>expected outage</span></div>
</div>
<p>Faults from the global rate (ICPC: 150–200 faults/yr on ~1.7 M km) split by cause and moved
along the route by depth band, cable type, burial and hazard zones (tables
<code>data/fault_zone_factors.csv</code>, <code>data/plant_reliability.csv</code>, each row with
its source). {an.faults_per_year:.3f} faults per year, {an.repairs_design_life:.2f} over the
{result.design_life_years}-year design life; P(no fault in the design life) =
{an.p_no_fault_design_life:.3f}. Repair = locate + permits (five littoral states) + vessel
mobilisation + transit + joint (by depth) + weather standby (by season), each phase a lognormal
truncated at its stated maximum (<code>reliability.repair.*.max_days</code>): mean
{an.mean_repair_days:.1f} d. Monte Carlo ({mc.years:,} simulated years): outage
{mc.mean_outage_hours:.1f} ± {mc.sampling_error_hours:.1f} h/yr against
{an.outage_hours_per_year:.1f} h/yr analytic; P95 {mc.percentile_hours(95):,.0f} h, P99
{mc.percentile_hours(99):,.0f} h; longest simulated outage {mc.longest_outage_days:.0f} d. A
wavelength on one fibre pair, with its dry plant: {_pct(result.service_availability, 3)}.</p>
<p>Repair allowance of the optics stage: {al.optics_repairs_allowed} repairs of
{al.optics_extra_cable_km_per_repair:g} km each; the model expects
{al.expected_repairs_design_life:.2f} repairs using {al.model_extra_cable_km_per_repair:.2f}
km each, P(within the allowance) = {al.p_repairs_within_allowance:.2f}: {verdict} at
{al.confidence:.0%} confidence.</p>
<p class="note">{escape(_phase_sum_text(result.repair_phases_mean_days))}; spare cable per
repair at the mean fault depth
{result.repair_phases_mean_days.get("spare_km_at_mean_fault_depth", 0.0):.2f} km.
Every number above is traceable to <code>reliability.*</code> in the scenario (see
<code>transcaspian scenario schema</code> for each parameter's source) and to the two tables.</p>
<figure>{fault_density_svg(result)}</figure>
<figure>{outage_hours_svg(result)}</figure>
{_protection_table(result)}
{corridor}
{_zone_table(result)}
<h3>Power feeding</h3>
{_power_html(power, interactive)}
</section>
"""
