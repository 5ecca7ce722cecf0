"""The executive summary: the answer first, each figure linked to the section that backs it.

Every figure in the summary is a ``<span class="fig" data-json=PATH data-value=V>``: ``PATH``
is where the same number sits in ``report.json`` and ``V`` its unrounded value, so a reader
(and the browser test) can check that the summary says what the results say.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from .fmt import fmt_db, fmt_km, fmt_money, fmt_ms, fmt_percent, fmt_tbps

if TYPE_CHECKING:  # pragma: no cover
    from ..flags import Flag
    from ..plan import Plan


def fig(value: float, path: str, text: str) -> str:
    """One summary figure: its display text, with its report.json path and raw value."""
    return (
        f'<span class="fig" data-json="{escape(path, quote=True)}" '
        f'data-value="{value!r}">{escape(text)}</span>'
    )


def flags_html(flags: tuple[Flag, ...] | list[Flag], *, link: bool = True) -> str:
    """Flags as a list a reader cannot miss (each links to its section)."""
    if not flags:
        return ""
    items = "".join(
        f'<li class="flag flag-{escape(f.severity)}" data-flag="{escape(f.code)}">'
        f"<b>{'⚠' if f.severity == 'warning' else '△'} {escape(f.code.replace('_', ' '))}</b>: "
        f"{escape(f.message)}"
        + (f' <a href="#{escape(f.section)}">see {escape(_SECTION_LABEL.get(f.section, f.section))}</a>'
           if link else "")
        + "</li>"
        for f in flags
    )
    return f'<ul class="flags" role="alert">{items}</ul>'


_SECTION_LABEL = {"route": "route", "optics": "optics", "decision": "decision", "network": "corridor",
                  "reliability": "reliability", "economics": "business case",
                  "power": "power feeding"}


def _sentence(text: str) -> str:
    """First letter upper-case, the rest untouched (units such as Tb/s keep their case)."""
    return text[:1].upper() + text[1:]


def _design_paragraph(plan: Plan, network: dict[str, Any]) -> str:
    # figures are read from the JSON-ready results, so they equal report.json exactly
    decision, route = plan.decision.to_dict(), plan.route.to_dict()
    index = next(i for i, d in enumerate(decision["candidates"]) if d["recommended"])
    rec = decision["candidates"][index]
    base = f"decision.candidates[{index}]"
    per_pair, system, margin = (rec["capacity_tbps_per_fibre_pair"], rec["system_capacity_tbps"],
                                rec["margin_db"])
    cable, length, depth = route["cable_length_km"], route["route_length_km"], route["max_depth_m"]
    lit = network["trans_caspian"]["capacity_tbps"]
    return (
        "<p><b>Recommended design:</b> "
        f'<a href="#decision">{escape(rec["label"])}</a> — '
        f"{fig(per_pair, base + '.capacity_tbps_per_fibre_pair', fmt_tbps(per_pair, per_pair=True))} "
        f"per fibre pair, "
        f"{fig(system, base + '.system_capacity_tbps', fmt_tbps(system))} "
        f"design capacity on {decision['fibre_pairs']} fibre pairs, with "
        f"{fig(margin, base + '.margin_db', fmt_db(margin))} "
        "end-of-life margin; "
        f'<a href="#route">cable</a> {fig(cable, "route.cable_length_km", fmt_km(cable))} '
        f"on a {fig(length, 'route.route_length_km', fmt_km(length))} route "
        f"(max depth {fig(depth, 'route.max_depth_m', f'{depth:.0f} m')}). "
        f"{escape(decision['reason'])} {escape(decision['target_cost'])}</p>"
        '<p class="note">Two capacities appear in this report on purpose: the <i>design</i> '
        "capacity above is every fibre pair fully lit at end of life; the corridor model carries "
        "the <i>lit</i> capacity at ready-for-service, "
        f"{fig(lit, 'network.trans_caspian.capacity_tbps', fmt_tbps(lit))} "
        "(the operators' figure in the corridor dataset), which grows as line cards are added.</p>"
    )


def _users_effect(network: dict[str, Any], names: dict[str, str]) -> list[str]:
    """The as-routed effect users feel (issue 21 §6): the line alone, and the line with Baku
    as an interconnection hub, each as calibrated P50 with P10-P90 and the pairs that gain."""
    dh = network.get("digital_hub")
    if not dh:
        return []
    index = {c["name"]: i for i, c in enumerate(dh["combinations"])}
    hub = names.get(dh.get("hub") or "", "the hub")

    def pair(p: list[str]) -> str:
        return f"{escape(names.get(p[0], p[0]))}–{escape(names.get(p[1], p[1]))}"

    def effect(name: str) -> str:
        i = index[name]
        c = dh["combinations"][i]
        base = f"network.digital_hub.combinations[{i}]"
        n = fig(float(c["pairs_gaining"]), f"{base}.pairs_gaining", str(c["pairs_gaining"]))
        if not c["pairs_gaining"]:
            return f"{n} of {c['pairs']} city pairs gain"
        if c.get("median_gain_p50_ms") is None:
            return (f"{n} of {c['pairs']} city pairs gain, up to "
                    f"{fig(c['max_gain_ms'], f'{base}.max_gain_ms', fmt_ms(c['max_gain_ms']))}")

        def ms(key: str) -> str:
            return fig(c[key], f"{base}.{key}", f"{c[key]:.1f}")

        pairs = c["gaining_pairs"]
        shown = ", ".join(pair(p) for p in pairs[:3]) + (
            f" and {len(pairs) - 3} more" if len(pairs) > 3 else "")
        return (
            f"{n} of {c['pairs']} city pairs gain, median {ms('median_gain_p50_ms')} ms "
            f"(P10–P90 {ms('median_gain_p10_ms')}–{ms('median_gain_p90_ms')} ms), up to "
            f"{ms('max_gain_p50_ms')} ms ({ms('max_gain_p10_ms')}–{ms('max_gain_p90_ms')} ms) "
            f"({shown})"
        )

    out = []
    if "with_line" in index:
        out.append("as routed, the line alone: " + effect("with_line"))
    if "with_line_digital_hub" in index:
        out.append(f"the line with {escape(hub)} as an interconnection hub: "
                   + effect("with_line_digital_hub"))
    return out


def _diversity_text(network: dict[str, Any], names: dict[str, str]) -> str:
    """Path diversity as backup RTT against primary RTT (issue 21 §6), for the pair whose
    backup the line shortens most."""
    best = network["summary"].get("best_backup_gain")
    rows = network.get("diversity") or []
    i = next((k for k, r in enumerate(rows) if best and (r["a"], r["b"]) == (best["a"], best["b"])),
             None)
    if i is None:
        return ""
    r = rows[i]
    if r.get("backup_rtt_ms") is None or r.get("primary_rtt_ms") is None:
        return ""
    base = f"network.diversity[{i}]"
    without = r.get("backup_rtt_ms_without_line")
    return (
        f"the SRLG-disjoint backup of {escape(names.get(r['a'], r['a']))}–"
        f"{escape(names.get(r['b'], r['b']))} runs "
        f"{fig(r['backup_rtt_ms'], f'{base}.backup_rtt_ms', fmt_ms(r['backup_rtt_ms']))} against "
        f"a {fig(r['primary_rtt_ms'], f'{base}.primary_rtt_ms', fmt_ms(r['primary_rtt_ms']))} "
        "primary"
        + (f" ({fig(without, f'{base}.backup_rtt_ms_without_line', fmt_ms(without))} without "
           "the line)" if without is not None else " (none without the line)")
    )


def _corridor_paragraph(plan: Plan, network: dict[str, Any]) -> str:
    net = plan.network
    s = network["summary"]
    names = {n.id: n.name for n in net.corridor.nodes}
    parts = _users_effect(network, names)
    t, t0 = s["hub_transit_tbps"], s["hub_transit_tbps_without"]
    parts.append(
        "transit through Baku "
        f"{fig(t, 'network.summary.hub_transit_tbps', fmt_tbps(t))} "
        f"({fig(t0, 'network.summary.hub_transit_tbps_without', fmt_tbps(t0))} without the line)"
    )
    div = _diversity_text(network, names)
    if div:
        parts.append(div)
    return ('<p><b>For users of the corridor</b> (<a href="#network">details</a>; RTTs as '
            "routed through the hubs where networks meet, P10–P90 from measured pings): "
            + "; ".join(parts) + ".</p>")


def _later_stage_paragraphs(plan: Plan) -> str:
    """Availability, CAPEX, NPV and the members' shares, when those stages are in the plan."""
    out = ""
    rel = getattr(plan, "reliability", None)
    if rel is not None:
        out += (
            '<p><b>Availability</b> (<a href="#reliability">details</a>): '
            f"{fig(rel.availability, 'reliability.availability', fmt_percent(rel.availability, 3))} "
            "for the line, "
            f"{fig(rel.outage_hours_per_year, 'reliability.outage_hours_per_year', f'{rel.outage_hours_per_year:.1f} h')} "
            "expected outage per year, "
            f"{fig(rel.ship_repairs_per_year, 'reliability.ship_repairs_per_year', f'{rel.ship_repairs_per_year:.2f}')} "
            "ship repairs per year.</p>"
        )
    econ = getattr(plan, "economics", None)
    if econ is not None:
        out += economics_paragraph(econ)
    return out


def economics_paragraph(econ: Any) -> str:
    """CAPEX against the published budget, NPV, IRR, payback and each member's NPV."""
    e = econ.to_dict()
    cur = e["currency"]
    budget, project = e["budget"], e["project"]
    total, ratio = budget["model_total"], budget["ratio_model_to_published"]
    if budget.get("applies_to_this_line", True):
        against = (
            f"against the published {fmt_money(budget['published'], cur)} "
            f"(ratio {fig(ratio, 'economics.budget.ratio_model_to_published', f'{ratio:.2f}')}, "
            "no calibration)")
    else:  # the published budget is another route's: named, never compared
        against = (f"(the published {fmt_money(budget['published'], cur)} is for "
                   f"{escape(str(budget['published_for_route']))}, another route: not compared)")
    out = (
        '<p><b>Does it pay back?</b> (<a href="#economics">business case</a>) CAPEX '
        f"{fig(total, 'economics.budget.model_total', fmt_money(total, cur))} in the model "
        f"{against}; project NPV "
        f"{fig(project['npv'], 'economics.project.npv', fmt_money(project['npv'], cur))} at "
        f"{fig(e['discount_rate'], 'economics.discount_rate', fmt_percent(e['discount_rate']))}"
    )
    if project.get("irr") is not None:
        out += f", IRR {fig(project['irr'], 'economics.project.irr', fmt_percent(project['irr']))}"
    payback = project.get("payback_year")
    out += f", payback {payback if payback is not None else 'not within the design life'}."
    members = []
    for i, m in enumerate(e.get("members", [])):
        members.append(
            f"{escape(m['name'])} ({fmt_percent(m['share'], 0)}): NPV "
            f"{fig(m['npv'], f'economics.members[{i}].npv', fmt_money(m['npv'], cur))}"
        )
    if members:
        out += " For each member: " + "; ".join(members) + "."
    return out + "</p>"


def summary_html(plan: Plan, flags: tuple[Flag, ...]) -> str:
    """The ``<section id="summary">`` fragment."""
    network = plan.network.to_dict()  # the corridor's JSON-ready results, built once
    return (
        '<section id="summary"><h2>Summary</h2>'
        + flags_html(flags)
        + _design_paragraph(plan, network)
        + _corridor_paragraph(plan, network)
        + _later_stage_paragraphs(plan)
        + "</section>"
    )
