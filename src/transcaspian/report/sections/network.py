"""Report section: the Europe - Asia corridor with and without the Trans-Caspian line.

Corridor map (offline: coastline bundled from NOAA ETOPO1), latency table with the gain,
SRLG-disjoint diversity table, cut table (named scenarios, then every single SRLG), utilisation
chart and saturation timeline.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ...network.analysis import CorridorResult
from ...network.results import CutRow
from ..figures import figure_to_svg, new_figure
from .latency import users_html

_KIND_COLOUR = {"submarine": "#2874a6", "terrestrial": "#a04000"}


def _f(x: Any, spec: str = ".1f") -> str:
    return "–" if x is None else format(x, spec)


def _names(result: CorridorResult) -> dict[str, str]:
    return {n.id: n.name for n in result.corridor.nodes}


def link_labels(result: CorridorResult) -> dict[str, str]:
    """Reader-facing name of every link: ``system (city – city)``, never the internal id."""
    names = _names(result)
    return {
        lk.id: f"{lk.system} ({names.get(lk.a, lk.a)} – {names.get(lk.b, lk.b)})"
        for lk in result.corridor.links
    }


def cut_label(cut: CutRow | dict[str, Any]) -> str:
    """Reader-facing name of a cut: a shared-risk group by its place, a named cut by its name."""
    name = str(cut["name"])
    if name.startswith("srlg_"):
        return name[len("srlg_"):].replace("_", " ") + " (shared-risk group)"
    return name.replace("_", " ")


def _draw_corridor(ax: Any, result: CorridorResult, label_all: bool, coast: list[Any]) -> None:
    for line in coast:
        ax.plot(line[:, 0], line[:, 1], color="#9e9e9e", lw=0.5)
    line = result.line_link
    util = result.flows_with.link_utilisation
    for lk in result.corridor.links:
        lat = [p[0] for p in lk.geometry]
        lon = [p[1] for p in lk.geometry]
        if lk.id == line:
            ax.plot(lon, lat, color="#c0392b", lw=2.8, zorder=5, label="Trans-Caspian line")
            continue
        full = util.get(lk.id, 0.0) >= 0.999
        ax.plot(
            lon,
            lat,
            color=_KIND_COLOUR.get(lk.kind, "#555555"),
            lw=1.6 if full else 0.9,
            ls="--" if lk.status == "planned" else "-",
            alpha=0.85,
            zorder=3,
        )
    for n in result.corridor.nodes:
        if n.id.startswith("tg:"):
            continue
        pop = n.role == "pop"
        ax.plot(
            n.lon_deg,
            n.lat_deg,
            "o",
            ms=3.5 if pop else 2.5,
            color="#1b2631" if pop else "#7f8c8d",
            zorder=6,
        )
        if pop or label_all or n.id in ("sumgayit", "aktau"):
            ax.annotate(
                n.name,
                (n.lon_deg, n.lat_deg),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=6.5,
                zorder=7,
            )


def corridor_map_svg(result: CorridorResult) -> str:
    """Map of the corridor graph: coastline, links by kind, the line in red, PoPs labelled;
    right: the Caucasus - Caspian close-up."""
    from ...network.coastline import read_coastline

    coast = read_coastline()
    fig = new_figure(11.0, 4.8)
    ax = fig.add_subplot(1, 3, (1, 2))
    _draw_corridor(ax, result, False, coast)
    ax.plot([], [], color=_KIND_COLOUR["submarine"], label="submarine")
    ax.plot([], [], color=_KIND_COLOUR["terrestrial"], label="terrestrial")
    ax.plot([], [], color="#555555", lw=1.6, label="thicker: full in base year")
    ax.set_xlim(-12, 126)
    ax.set_ylim(-2, 62)
    ax.set_aspect(1.25)
    ax.set_xlabel("longitude [deg]")
    ax.set_ylabel("latitude [deg]")
    ax.legend(loc="lower left", fontsize=7, frameon=True)
    ax.set_title("Europe – Asia corridor graph (coastline: NOAA ETOPO1)", fontsize=9)
    ax2 = fig.add_subplot(1, 3, 3)
    _draw_corridor(ax2, result, True, coast)
    ax2.set_xlim(38, 60)
    ax2.set_ylim(35, 50)
    ax2.set_aspect(1.3)
    ax2.set_xlabel("longitude [deg]")
    ax2.set_title("Caucasus and Caspian", fontsize=9)
    return figure_to_svg(fig, element_id="network-map")


def utilisation_svg(result: CorridorResult, top: int = 30) -> str:
    """Horizontal bars: utilisation of the busiest links, with and without the line."""
    import numpy as np

    w = result.flows_with.link_utilisation
    wo = result.flows_without.link_utilisation
    ids = sorted(w, key=lambda k: (-w[k], k))[:top]
    label = link_labels(result)
    fig = new_figure(8.0, 0.22 * len(ids) + 1.2)
    ax = fig.add_subplot()
    y = np.arange(len(ids))
    ax.barh(y - 0.2, [w[i] for i in ids], height=0.4, color="#2874a6", label="with the line")
    ax.barh(y + 0.2, [wo.get(i, 0.0) for i in ids], height=0.4, color="#aab7b8", label="without")
    ax.set_yticks(y, [label.get(i, i) for i in ids], fontsize=6.5)
    ax.invert_yaxis()
    ax.axvline(1.0, color="#c0392b", lw=0.8)
    ax.set_xlabel(f"utilisation in {result.base_year} [-]")
    ax.legend(fontsize=7, loc="lower right")
    return figure_to_svg(fig, element_id="network-utilisation")


def saturation_svg(result: CorridorResult) -> str:
    """Timeline: the year each link fills, with (dot) and without (ring) the line."""
    sat = {r.link: r.year for r in result.saturation}
    sat_wo = {r.link: r.year_without_line for r in result.saturation}
    line = result.line_link
    ids = sorted(
        (k for k in sat if sat.get(k) or sat_wo.get(k) or k == line),
        key=lambda k: (k != line, sat.get(k) or 9999, sat_wo.get(k) or 9999, k),
    )
    label = link_labels(result)
    if line in label:  # the line itself, first, even when it never fills
        label[line] = "Trans-Caspian line: " + label[line]
    fig = new_figure(8.0, 0.2 * max(len(ids), 1) + 1.2)
    ax = fig.add_subplot()
    for i, k in enumerate(ids):
        y_w, y_wo = sat.get(k), sat_wo.get(k)
        if y_w is not None:
            ax.plot(y_w, i, "o", color="#c0392b" if k == line else "#2874a6", ms=4)
        elif k == line:
            ax.annotate(f"not full by {result.horizon_year}", (result.horizon_year, i),
                        xytext=(-4, 0), textcoords="offset points", ha="right", va="center",
                        fontsize=6.5, color="#c0392b")
        if y_wo is not None:
            ax.plot(y_wo, i, "o", mfc="none", color="#7f8c8d", ms=7)
    ax.plot([], [], "o", color="#2874a6", label="with the line")
    ax.plot([], [], "o", mfc="none", color="#7f8c8d", label="without")
    ax.set_yticks(range(len(ids)), [label.get(i, i) for i in ids], fontsize=6.5)
    ax.invert_yaxis()
    ax.set_xlim(result.base_year - 0.5, result.horizon_year + 0.5)
    ax.set_xlabel("year the link reaches 100 % utilisation")
    ax.legend(fontsize=7, loc="lower right")
    return figure_to_svg(fig, element_id="network-saturation")


def _latency_table(result: CorridorResult, names: dict[str, str]) -> str:
    rows = []
    for r in result.latency:
        path = " – ".join(names.get(n, n) for n in r.path)
        rows.append(
            f"<tr><td>{escape(names.get(r.a, r.a))} – {escape(names.get(r.b, r.b))}"
            f"</td><td>{_f(r.rtt_ms)}</td><td>{_f(r.rtt_ms_without_line)}</td>"
            f"<td>{_f(r.gain_ms)}</td><td class='path'>{escape(path)}</td></tr>"
        )
    return (
        "<table class='network-latency'><thead><tr><th>city pair</th>"
        "<th>fibre-bound RTT [ms]</th><th>fibre bound without the line [ms]</th>"
        "<th>bound gain [ms]</th><th>lowest-latency path (with the line)</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _diversity_table(result: CorridorResult, names: dict[str, str]) -> str:
    """Backup RTT against primary RTT per pair (issue 21 §6); why the primary, once when it is
    one reason for every pair; the pairs whose diversity the line creates, named below."""
    rows = []
    bases = {r.primary_basis for r in result.diversity}
    one_basis = len(bases) <= 1
    av0 = result.diversity[0].avoiding if result.diversity else None
    avoided = ", ".join(x.replace("_", " ") for x in av0.srlgs) if av0 is not None else ""
    for r in result.diversity:
        av = r.avoiding
        extra = (None if r.backup_rtt_ms is None or r.primary_rtt_ms is None
                 else r.backup_rtt_ms - r.primary_rtt_ms)
        rows.append(
            f"<tr><td>{escape(names.get(r.a, r.a))} – {escape(names.get(r.b, r.b))}</td>"
            f"<td>{_f(r.primary_rtt_ms)}</td><td>{_f(r.backup_rtt_ms)}</td><td>{_f(extra)}</td>"
            f"<td>{_f(r.backup_rtt_ms_without_line)}</td>"
            + (f"<td>{_f(av.secondary_rtt_ms if av else None)}</td>"
               f"<td>{_f(av.secondary_rtt_ms_without_line if av else None)}</td>" if avoided
               else "")
            + ("" if one_basis else f"<td>{escape(r.primary_basis)}</td>")
            + "</tr>"
        )
    created = [r for r in result.diversity if r.created_by_line]
    created_av = [r for r in result.diversity if r.avoiding and r.avoiding.created_by_line]

    def listed(rs: list[Any]) -> str:
        return ", ".join(f"{escape(names.get(r.a, r.a))} – {escape(names.get(r.b, r.b))}"
                         for r in rs) or "none"

    note = (
        "<p>Each pair's primary path and its SRLG-disjoint backup, as fibre bounds: the backup "
        "is what users get when the primary's shared-risk groups fail. "
        + (f"Primary: {escape(next(iter(bases)))}. " if one_basis and bases else "")
        + f"Pairs that have a disjoint backup only with the line: {listed(created)}"
        + (f"; avoiding {escape(avoided)}: {listed(created_av)}" if avoided else "")
        + ".</p>"
    )
    return note + _collapsible(
        f"Backup against primary RTT, {len(rows)} pairs",
        "<table class='network-diversity'><thead><tr><th>city pair</th>"
        "<th>primary RTT [ms]</th><th>backup RTT [ms]</th><th>backup − primary [ms]</th>"
        "<th>backup RTT without the line [ms]</th>"
        + (f"<th>backup avoiding {escape(avoided)} [ms]</th><th>same, without the line [ms]</th>"
           if avoided else "")
        + ("" if one_basis else "<th>why this primary</th>")
        + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>",
    )


def _collapsible(summary: str, body: str) -> str:
    """A long table folded under a one-line summary (its CSV link stays in the caption)."""
    return f"<details class='long-table'><summary>{escape(summary)}</summary>{body}</details>"


def _cut_table(result: CorridorResult) -> str:
    rows = []
    for c in result.cuts:
        w, wo = c.with_line, c.without_line
        lost = len(w.disconnected_pairs)
        lost_wo = None if wo is None else len(wo.disconnected_pairs)
        title = escape(c.description or c.name)
        rows.append(
            f"<tr{' class=named' if c.named else ''}><td title='{title}'>"
            f"{escape(cut_label(c))}</td><td>{len(w.links_cut)}</td>"
            f"<td>{_f(w.unserved_tbps)}</td><td>{_f(wo.unserved_tbps if wo else None)}</td>"
            f"<td>{_f(w.max_rtt_increase_ms)}</td>"
            f"<td>{_f(wo.max_rtt_increase_ms if wo else None)}</td>"
            f"<td>{lost}</td><td>{'–' if lost_wo is None else lost_wo}</td></tr>"
        )
    return (
        "<table class='network-cuts'><thead><tr><th>cut</th><th>links cut</th>"
        "<th>unserved [Tbit/s]</th><th>unserved without the line</th>"
        "<th>max RTT increase [ms]</th><th>without the line</th><th>PoP pairs cut off</th>"
        "<th>without the line</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _named_cut_detail(result: CorridorResult, names: dict[str, str]) -> str:
    """Per named cut: extra unserved demand and the city pairs whose RTT grows."""
    labels = link_labels(result)
    blocks = []
    for c in result.cuts:
        if not c.named:
            continue
        w, wo = c.with_line, c.without_line
        inc_wo = {(x.a, x.b): x.ms for x in (wo.rtt_increase_ms if wo else ())}
        rows = []
        for x in w.rtt_increase_ms:
            other = inc_wo.get((x.a, x.b))
            if (x.ms is None or x.ms > 0.05) or (other is not None and other > 0.05):
                rows.append(
                    f"<tr><td>{escape(names.get(x.a, x.a))} – "
                    f"{escape(names.get(x.b, x.b))}</td><td>{_f(x.ms)}</td>"
                    f"<td>{_f(other) if wo else 'line cut'}</td></tr>"
                )
        extra_wo = f"{wo.extra_unserved_tbps:.1f}" if wo else "–"
        head = (
            f"<h4>{escape(cut_label(c))}</h4><p>{escape(c.description)} "
            f"Links cut: {escape(', '.join(labels.get(x, x) for x in w.links_cut))}. "
            "Extra unserved demand: "
            f"{w.extra_unserved_tbps:.1f} Tbit/s with the line, {extra_wo} without.</p>"
        )
        table = (
            "<table class='network-cut-detail'><thead><tr><th>city pair</th>"
            "<th>RTT increase [ms]</th><th>without the line [ms]</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
            if rows
            else "<p>No city pair of the latency table changes its best RTT.</p>"
        )
        blocks.append(head + table)
    return "".join(blocks)


def _demand_text(result: CorridorResult) -> str:
    """One paragraph on how the demand was built (scope, calibration, the largest origins)."""
    d = result.demand
    s = result.settings
    growth_rate = d.growth_rate if s is None else s.growth_rate
    kbps_per_user = 0.0 if s is None else s.kbps_per_user
    growth = f"growing {100 * growth_rate:.0f} %/yr (TeleGeography 2019-2023 CAGR)"
    if d.scope != "interregional":
        return (
            f"Demand: gravity model on internet users (World Bank 2024 population × ITU internet "
            f"use), {kbps_per_user:.0f} kbit/s per user in 2021, {growth}, scope "
            f"{escape(d.scope)}: {d.total_tbps:.1f} Tbit/s in {result.base_year}."
        )
    top = sorted(d.origin_tbps_by_country.items(), key=lambda kv: -kv[1])[:5]
    tops = ", ".join(f"{escape(iso)} {t:.1f}" for iso, t in top)
    return (
        f"Demand: inter-regional traffic between the Western European hubs and the Asian / "
        f"Middle-East PoPs only (no Russia – China or intra-Asia pairs). Each country originates "
        f"internet users × international bandwidth per user (national figures where published: "
        f"India TRAI, China CNNIC, Iran; else ITU 2021) × the share of its bandwidth connected "
        f"to Europe (TeleGeography; Caucasus and Central Asia 0.5 assumed), {growth}: "
        f"<b>{d.total_tbps:.1f} Tbit/s in {result.base_year}</b>, a derived figure, not a "
        f"measured route total (largest origins, Tbit/s: {tops})."
    )


def section_html(result: CorridorResult) -> str:
    """The ``<section id="network">`` of the report."""
    names = _names(result)
    d = result.demand
    s = result.settings
    group_index = float("nan") if s is None else s.group_index
    node_latency_ms = float("nan") if s is None else s.node_latency_ms
    n_pub = sum(not lk.capacity_is_estimate for lk in result.corridor.links)
    intro = (
        f"<p>The Trans-Caspian line ({result.line_length_km:.1f} km of cable from the "
        f"route stage, {result.line_capacity_tbps:.1f} Tbit/s) is added to a cited "
        f"corridor graph of {len(result.corridor.nodes)} nodes and "
        f"{len(result.corridor.links)} links. Latency is physics: route length × group index "
        f"{group_index:.4g} / c plus {node_latency_ms:.2g} ms per node (an equipment "
        f"allowance), not fitted to pings. {_demand_text(result)} The four target regions "
        f"({', '.join(d.region_groups)}) hold {d.region_population / 1e9:.2f} billion people "
        f"and {d.region_internet_users / 1e9:.2f} billion internet users (the programme's "
        f"'1.8 billion' matches a narrower set). Link capacities: published lit or design "
        f"figures where they exist ({n_pub} of {len(result.corridor.links)} links), else "
        f"estimates; unserved demand means traffic that exceeds the modelled systems and in "
        f"reality rides systems outside the graph or waits for new ones.</p>"
    )
    transit = (
        f"<p>Transit through {escape(names.get(result.hub_node, result.hub_node))} in "
        f"{result.base_year}: <b>{result.hub_transit_tbps:.2f} Tbit/s</b> with the "
        f"line, {result.hub_transit_tbps_without:.2f} Tbit/s without. Unserved: "
        f"{result.flows_with.unserved_tbps:.1f} Tbit/s with, "
        f"{result.flows_without.unserved_tbps:.1f} Tbit/s without.</p>"
    )
    sm = result.summary()
    hub_name = escape(names.get(result.hub_node, result.hub_node))
    avoided = escape(", ".join(x.replace("_", " ") for x in sm.diversity_avoiding_srlgs))

    def pair(a: str, b: str) -> str:
        return f"{escape(names.get(a, a))} – {escape(names.get(b, b))}"

    items = []
    dh = result.digital_hub
    if dh is not None:
        for text in dh.users_lines(names):
            items.append(f"<li>What users get, as routed (P10–P90 from measured pings), "
                         f"{escape(text)}.</li>")
    if sm.best_gain:
        g = sm.best_gain
        items.append(
            f"<li>Fibre bound (the lowest-latency path, which users get only where their "
            f"networks meet on it): {sm.pairs_faster} of {sm.pairs} pairs get a shorter bound; "
            f"the largest is {pair(g.a, g.b)}, {g.gain_ms:.1f} ms RTT.</li>"
        )
    else:
        items.append(f"<li>Fibre bound: none of the {sm.pairs} pairs gets a shorter bound.</li>")
    if sm.best_backup_gain:
        g = sm.best_backup_gain
        row = next((r for r in result.diversity if (r.a, r.b) == (g.a, g.b)), None)
        if row is not None and row.backup_rtt_ms is not None:
            items.append(
                f"<li>Path diversity (fibre bounds): with the line the SRLG-disjoint backup of "
                f"{pair(g.a, g.b)} runs {_f(row.backup_rtt_ms)} ms against a "
                f"{_f(row.primary_rtt_ms)} ms primary ({_f(row.backup_rtt_ms_without_line)} ms "
                f"without the line); {sm.pairs_with_faster_backup} pairs get a shorter backup."
                "</li>"
            )
    if sm.diversity_created_avoiding:
        pairs = ", ".join(pair(a, b) for a, b in sm.diversity_created_avoiding)
        items.append(
            f"<li>Avoiding {avoided}, the line creates "
            f"an SRLG-disjoint pair that did not exist for: {pairs}.</li>"
        )
    if sm.diversity_created:
        pairs = ", ".join(pair(a, b) for a, b in sm.diversity_created)
        items.append(f"<li>Diversity that did not exist: {pairs}.</li>")
    items.append(
        f"<li>Transit through {hub_name}: {sm.hub_transit_tbps:.2f} Tbit/s (without "
        f"the line {sm.hub_transit_tbps_without:.2f}).</li>"
    )
    if sm.red_sea_2024_extra_unserved_tbps is not None:
        items.append(
            f"<li>Red Sea cuts of 24 Feb 2024 replayed: "
            f"{sm.red_sea_2024_extra_unserved_tbps:.1f} Tbit/s more demand unserved "
            f"({_f(sm.red_sea_2024_extra_unserved_tbps_without_line)} without the line).</li>"
        )
    items.append(
        f"<li>Links full in {result.base_year}: {sm.links_full_base_year} "
        f"({sm.links_full_base_year_without_line} without the line).</li>"
    )
    headline = "<ul class='network-summary'>" + "".join(items) + "</ul>"
    return (
        '<section id="network"><h2>Network: the Europe – Asia corridor</h2>'
        + headline
        + intro
        + f"<figure>{corridor_map_svg(result)}</figure>"
        + "<h3>Latency with and without the line: fibre bounds</h3>"
        + "<p>The lowest-latency corridor path: a bound on the RTT, not what users measure "
        "(that is the as-routed RTT below).</p>"
        + _collapsible(f"Fibre-bound RTT of {len(result.latency)} city pairs",
                       _latency_table(result, names))
        + users_html(result)
        + "<h3>Path diversity (primary and SRLG-disjoint backup)</h3>"
        + _diversity_table(result, names)
        + "<h3>Named cuts (the Red Sea replay and others)</h3>"
        + _collapsible("What each named cut does", _named_cut_detail(result, names))
        + "<h3>Every cut (named, then each shared-risk group alone)</h3>"
        + _collapsible(f"{len(result.cuts)} cuts", _cut_table(result))
        + "<h3>Flows</h3>"
        + transit
        + f"<figure>{utilisation_svg(result)}</figure>"
        + "<h3>When links fill up</h3>"
        + f"<figure>{saturation_svg(result)}</figure>"
        + "</section>"
    )
