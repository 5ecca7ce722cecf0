"""Report sub-section: latency as users see it and the Digital Hub effect.

The all-pairs RTT heat maps (fibre bound and as-routed, with the line), the Digital Hub gain
map, the four combinations (without / with the line x Baku as a hub or not) and the city pairs
that gain. Figure functions return inline SVG; :func:`users_html` assembles the HTML.
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np

from ...network.analysis import CorridorResult
from ...network.digital_hub import DigitalHubResult
from ..figures import figure_to_svg, new_figure

_ROUTING = {
    "lowest_latency": "The two networks meet at the common hub of lowest RTT "
    "(<code>routing: lowest_latency</code>): a bound, as BGP does not route by delay; "
    "<code>routing: preferred_upstream</code> uses each side's first-choice hub instead.",
    "preferred_upstream": "Each side hands traffic over at the first hub of its own ranked "
    "list where the other is present (<code>routing: preferred_upstream</code>, BGP local "
    "preference), so the two directions may use different hubs.",
}

def _f(x: Any, spec: str = ".1f") -> str:
    return "–" if x is None else format(x, spec)


def _heat(ax: Any, m: np.ndarray, labels: tuple[str, ...], title: str, **kw: Any) -> Any:
    im = ax.imshow(np.where(np.isfinite(m), m, np.nan), **kw)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=6)
    ax.set_yticks(range(len(labels)), labels, fontsize=6)
    ax.set_title(title, fontsize=9)
    return im


def rtt_heatmap_svg(result: CorridorResult) -> str:
    """Fibre-bound and as-routed RTT between corridor cities (with the line), one colour scale."""
    m = result.latency_matrix
    if m is None:
        return ""
    fibre, routed = m.fibre_ms["with_line"], m.routed_ms["with_line"]
    vmax = float(np.nanmax(np.where(np.isfinite(routed), routed, np.nan)))
    fig = new_figure(10.0, 5.2)
    axes = fig.subplots(1, 2)
    kw = {"cmap": "viridis", "vmin": 0.0, "vmax": vmax}
    _heat(axes[0], fibre, m.names, "fibre bound RTT [ms]", **kw)
    im = _heat(axes[1], routed, m.names, "as-routed RTT [ms] (via the meeting hub)", **kw)
    fig.colorbar(im, ax=axes, shrink=0.8, label="RTT [ms]")
    return figure_to_svg(fig, element_id="latency-matrix")


def digital_hub_gain_svg(result: CorridorResult) -> str:
    """As-routed RTT gain of the line + Baku hub over today's corridor [ms], per city pair."""
    m = result.latency_matrix
    if m is None or "with_line_digital_hub" not in m.routed_ms:
        return ""
    base, hub = m.routed_ms["without_line"], m.routed_ms["with_line_digital_hub"]
    ok = np.isfinite(base) & np.isfinite(hub)
    gain = np.where(ok, np.where(ok, base, 0.0) - np.where(ok, hub, 0.0), np.nan)
    fig = new_figure(6.0, 5.2)
    ax = fig.subplots()
    vmax = max(float(np.nanmax(gain)), 1.0)
    im = _heat(
        ax,
        gain,
        m.names,
        "RTT gain: line + Baku hub vs today [ms]",
        cmap="magma_r",
        vmin=0.0,
        vmax=vmax,
    )
    fig.colorbar(im, ax=ax, shrink=0.8, label="gain [ms]")
    return figure_to_svg(fig, element_id="digital-hub-gain")


def _combination_table(dh: DigitalHubResult) -> str:
    rows = []
    for c in dh.combinations:
        rows.append(
            f"<tr><td>{'with' if c.line else 'without'}</td>"
            f"<td>{'yes' if c.digital_hub else 'no'}</td>"
            f"<td>{c.pairs_gaining}</td><td>{_f(c.max_gain_ms)}</td>"
            f"<td>{_f(c.median_routed_rtt_ms)}</td>"
            f"<td>{_f(c.traffic_kept_local_tbps, '.2f')}</td>"
            f"<td>{_f(c.hub_transit_tbps, '.2f')}</td>"
            f"<td>{_f(c.handled_in_hub_tbps, '.2f')}</td></tr>"
        )
    return (
        "<table class='network-digital-hub'><thead><tr><th>Trans-Caspian line</th>"
        "<th>Baku interconnection hub</th><th>city pairs gaining</th><th>largest gain [ms]</th>"
        "<th>median as-routed RTT [ms]</th><th>traffic kept local [Tbit/s]</th>"
        "<th>transit through Baku [Tbit/s]</th><th>handled in Baku [Tbit/s]</th></tr></thead>"
        "<tbody>" + "".join(rows) + "</tbody></table>"
    )


def _gain_table(dh: DigitalHubResult, names: dict[str, str], top: int = 15) -> str:
    rows = []
    for g in dh.gains[:top]:
        rows.append(
            f"<tr><td>{escape(names.get(g.a, g.a))} – {escape(names.get(g.b, g.b))}"
            f"</td><td>{_f(g.routed_rtt_ms_without_line)}</td>"
            f"<td>{escape(g.meeting_hub_without_line)}</td>"
            f"<td>{_f(g.gain_ms_with_line)}</td>"
            f"<td>{_f(g.gain_ms_without_line_digital_hub)}</td>"
            f"<td>{_f(g.gain_ms_with_line_digital_hub)}</td>"
            f"<td>{escape(g.meeting_hub_with_line_digital_hub or '')}</td></tr>"
        )
    return (
        "<table class='network-gains'><thead><tr><th>city pair</th>"
        "<th>as-routed RTT today [ms]</th><th>meets at</th><th>gain: line [ms]</th>"
        "<th>gain: Baku hub [ms]</th><th>gain: line + hub [ms]</th><th>then meets at</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _spread_text(result: CorridorResult) -> str:
    """The calibrated spread around the as-routed RTT (issue 21): the factors, how they were
    estimated, their cross-validated figures beside the fibre-only baseline's, the rule."""
    m = result.latency_matrix
    cal = None if m is None else m.calibration
    if cal is None:
        return ""
    rec = (m.calibration_record if m is not None else None) or {}
    prov = rec.get("provenance") or {}
    cv = rec.get("cross_validated") or {}
    sel = (prov.get("covariate_selection") or {}).get("routed") or {}
    text = (
        "What users see is stated with its spread: measured round trips run "
        f"<b>{cal.p10:.2f}–{cal.p90:.2f} ×</b> the as-routed RTT (P10–P90; P50 "
        f"{cal.p50:.2f} ×), log-space quantiles of measured / as-routed estimated by "
        "<code>transcaspian network calibrate</code> (<code>network.latency_calibration</code>; "
        f"made from {escape(str(prov.get('input_file', '?')))}, "
        f"{prov.get('n_pairs', '?')} placed pairs). "
    )
    if sel:
        scores = sel.get("cv_interval_score_ms") or {}
        text += (
            "Covariates (distance class, hubs met) are used only where cross-validation inside "
            f"the file says they help: for the as-routed RTT it chose <b>{escape(sel['chosen'])}"
            "</b> (cross-validated mean interval score "
            + ", ".join(f"{escape(k)} {v:.1f} ms" for k, v in scores.items())
            + "). "
        )
    r, f = cv.get("routed"), cv.get("fibre")
    if r and f:
        text += (
            f"Checked on pairs held out of the estimate ({cv.get('k')}-fold cross-validated, "
            f"the covariate choice re-made in every fold): [P10, P90] covers "
            f"<b>{r['coverage']:.0%}</b> of them (nominal 80 %), the P50's median error is "
            f"<b>{r['mdape']:.0%}</b>, the mean interval score <b>{r['interval_score_ms']:.0f} "
            f"ms</b> (Gneiting &amp; Raftery 2007) with P90/P10 {r['width']:.2f}; the fibre bound "
            f"alone, calibrated the same way: {f['coverage']:.0%}, {f['mdape']:.0%}, "
            f"{f['interval_score_ms']:.0f} ms, {f['width']:.2f}. "
        )
    return text + (
        "The rule: the factors are estimated from a calibration set by code in the project and "
        "checked on data not used for the estimate; nothing in the path model is tuned to a "
        "check (<code>docs/latency.md</code>). "
    )


def users_html(result: CorridorResult) -> str:
    """The "latency as users see it" and "Digital Hub" sub-sections (empty without them)."""
    if result.users is None:
        return ""
    names = {n.id: n.name for n in result.corridor.nodes}
    dh = result.users.digital_hub
    inter = result.users.interconnection
    hubs = ", ".join(escape(inter.hub_names[h]) for h in inter.hubs)
    allowance = set(inter.hubs.values())
    intro = (
        "<p>The fibre bound is the lowest-latency corridor path. Users do not get it: traffic "
        "between two networks is exchanged where they interconnect, so the as-routed path runs "
        "source → the hub where the two cities' networks meet → destination along fibre "
        f"(hubs: {hubs}; allowance {', '.join(f'{a:g}' for a in sorted(allowance))} ms of round "
        "trip per hub; each city's upstream hubs from cited routing and peering facts, "
        "<code>data/corridor/interconnection.yaml</code>). "
        + _ROUTING[inter.routing]
        + " No parameter of the path model is fitted to pings. "
        + _spread_text(result)
        + "The matrix is in <code>latency_matrix.csv</code> (with and without the line, with and "
        "without the Baku hub, each as-routed RTT with its P10 and P90).</p>"
    )
    effect = "; ".join(escape(t) for t in dh.users_lines(names))
    hub_text = (
        f"<p>Baku as an interconnection hub (the Digital Hub programme: Caucasus and Central "
        f"Asian networks meet in Baku, global content providers serve from it). As routed, "
        f"with P10–P90 from the calibration: {effect}. The P10–P90 of a gain is the gain "
        "between the calibrated P10 RTTs and between the P90 RTTs (a pair keeps its place in "
        "the measured / model distribution). <b>{dh.traffic_kept_local_tbps:.2f} Tbit/s"
        f"</b> of the base-year demand ({dh.cacheable_share:.0%} of it content, "
        "TeleGeography via Equinix 2021) is exchanged in Baku instead of Frankfurt and the other "
        "far hubs. Flows are not re-solved: the traffic kept local leaves the transit figure "
        "where it passed through Baku, and 'handled in Baku' adds it back as exchange.</p>"
    )
    return (
        "<h3>Latency as users see it</h3>"
        + intro
        + f"<figure>{rtt_heatmap_svg(result)}</figure>"
        + "<h3>The Digital Hub effect</h3>"
        + hub_text
        + _combination_table(dh)
        + f"<figure>{digital_hub_gain_svg(result)}</figure>"
        + "<details class='long-table'><summary>The city pairs that gain (as routed)"
        "</summary>" + _gain_table(dh, names) + "</details>"
    )
