"""Report section: optical design — unrepeatered vs repeatered, GSNR per channel, power and
noise along the line, and the design table."""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

import numpy as np

from ...optics.design import DesignResult, OpticsResult
from ..figures import figure_to_svg, new_figure

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from ...decision.stage import DecisionResult

_MARKER_STYLE = {
    "edfa": ("^", "#1f4e79"),
    "raman pump": ("*", "#c0392b"),
    "forward raman pump": ("*", "#e67e22"),
    "ropa": ("D", "#6c3483"),
}


def gsnr_per_channel_svg(result: OpticsResult, recommended: str) -> str:
    """GSNR per channel of each design at its best launch power."""
    fig = new_figure(8.0, 4.2)
    ax = fig.add_subplot()
    for d in result.designs:
        style = "-" if d.repeaters == 0 else "--"
        lw = 2.2 if d.name == recommended else 1.1
        ax.plot(d.frequency_thz, d.gsnr_db, style, lw=lw, label=d.name.replace("_", " "))
    ax.set_xlabel("channel frequency [THz]")
    ax.set_ylabel("GSNR in symbol bandwidth [dB]")
    ax.set_title("End-of-life GSNR per channel (each design at its best launch power)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return figure_to_svg(fig, element_id="optics-gsnr")


def _profile_axes(ax: Axes, d: DesignResult) -> None:
    line = d.line
    x = line.profile_distance_km
    ax.plot(x, line.profile_signal_dbm, color="#1f4e79", lw=1.6, label="signal")
    ase = np.where(np.isfinite(line.profile_ase_dbm), line.profile_ase_dbm, np.nan)
    nli = np.where(np.isfinite(line.profile_nli_dbm), line.profile_nli_dbm, np.nan)
    ax.plot(x, ase, color="#c0392b", lw=1.2, label="ASE")
    ax.plot(x, nli, color="#7d6608", lw=1.2, label="NLI")
    ymax = float(np.nanmax(line.profile_signal_dbm)) + 3.0
    offsets = {"edfa": 0.0, "raman pump": 5.0, "forward raman pump": 5.0, "ropa": 0.0}
    for pos, kind in line.markers:
        m, c = _MARKER_STYLE.get(kind, ("o", "k"))
        ax.plot([pos], [ymax + offsets.get(kind, 0.0)], m, color=c, ms=8, label=kind)
    handles, labels = ax.get_legend_handles_labels()
    uniq = dict(zip(labels, handles, strict=True))
    ax.legend(uniq.values(), uniq.keys(), fontsize=7, loc="upper left",
              bbox_to_anchor=(1.01, 1.0))
    ax.set_title(f"{d.label} — {d.launch_power_dbm:.1f} dBm/ch", fontsize=9)
    ax.set_ylabel("mean power per channel [dBm]")
    ax.grid(alpha=0.3)


def power_profile_svg(result: OpticsResult, recommended: str) -> str:
    """Signal, ASE and NLI along the line for the unrepeatered designs and the recommended one."""
    chosen = [d for d in result.designs if d.repeaters == 0]
    rec = result.design(recommended)
    if rec not in chosen:
        chosen.append(rec)
    fig = new_figure(8.0, 2.6 * len(chosen))
    axes = fig.subplots(len(chosen), 1, sharex=True, squeeze=False)[:, 0]
    for ax, d in zip(axes, chosen, strict=True):
        _profile_axes(ax, d)
    axes[-1].set_xlabel("distance from the transmit terminal [km]")
    return figure_to_svg(fig, element_id="optics-profile")


def _pumped(result: OpticsResult) -> list[DesignResult]:
    return [d for d in result.designs if d.line.raman_spans]


def raman_gain_svg(result: OpticsResult) -> str:
    """On-off Raman gain per channel of each pumped design, with its pump plan in the legend."""
    fig = new_figure(8.0, 3.8)
    ax = fig.add_subplot()
    for d in _pumped(result):
        for pos, span in d.line.raman_spans:
            dirs = "/".join(sorted({p.direction for p in span.pumps}))
            ax.plot(d.frequency_thz, span.on_off_gain_db, lw=1.6,
                    label=f"{d.name.replace('_', ' ')}, fibre ending at {pos:.0f} km: "
                          f"{len(span.pumps)} pumps ({dirs}), "
                          f"{sum(p.power_w for p in span.pumps):.2f} W")
    ax.set_xlabel("channel frequency [THz]")
    ax.set_ylabel("Raman on-off gain [dB]")
    ax.set_title("Distributed Raman gain of the pumped fibres (coupled equations, measured "
                 "SSMF gain spectrum)", fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return figure_to_svg(fig, element_id="optics-raman-gain")


def pump_plan_html(result: OpticsResult) -> str:
    """Table of the pump plans (designed or given) of the Raman-pumped designs: scheme, pumps
    per fibre, power per direction, on-off gain and its ripple; then the bounds the design
    search used and its cost."""
    rows = []
    notes = []
    for d in _pumped(result):
        plan = d.pump_plan
        how = "designed" if plan is not None else "given"
        scheme = escape(plan.scheme) if plan is not None else "given"
        for pos, span in d.line.raman_spans:
            g = span.on_off_gain_db
            pumps = "<br>".join(
                f"{p.power_w:.3f} W @ {p.wavelength_nm:.1f} nm ({p.direction}, {escape(p.origin)})"
                for p in span.pumps)
            co = sum(p.power_w for p in span.pumps if p.direction == "co")
            counter = sum(p.power_w for p in span.pumps if p.direction == "counter")
            rows.append(f"<tr><td>{escape(d.label)}</td><td>{how}: {scheme}</td>"
                        f"<td>fibre ending at {pos:.0f} km</td><td>{pumps}</td>"
                        f"<td>{co:.2f} / {counter:.2f}</td>"
                        f"<td>{g.min():.1f}–{g.max():.1f}</td><td>{g.max() - g.min():.1f}</td></tr>")
        if plan is not None:
            b = plan.bounds
            notes.append(
                f"<p>{escape(d.label)}: pump design over the schemes "
                f"{escape(', '.join(b.schemes))} within at most {b.max_total_power_w:g} W "
                f"backward and {b.max_forward_power_w:g} W forward, {b.max_pumps} first-order "
                f"pumps per direction of at most {b.max_power_per_pump_w:g} W on "
                f"{min(b.wavelengths_nm):g}–{max(b.wavelengths_nm):g} nm, second order at "
                f"{escape(', '.join(f'{w:g}' for w in b.second_order_nm)) or 'none'} nm; "
                f"{plan.evaluations} plans evaluated ({plan.infeasible} infeasible: solver "
                f"refused or over the 35 dB on-off guard; at most {b.generations + 1} "
                f"generations per search); objective "
                f"(worst design channel's GSNR after the designed fibre) "
                f"{plan.worst_gsnr_db:.2f} dB.</p>")
    if not rows:
        return ""
    return ("<table><tr><th>design</th><th>pumps</th><th>fibre</th><th>plan</th>"
            "<th>forward / backward [W]</th><th>on-off gain [dB]</th><th>ripple [dB]</th></tr>"
            + "".join(rows) + "</table>" + "".join(notes))


def _with_ropa(result: OpticsResult) -> list[DesignResult]:
    return [d for d in result.designs if d.line.ropas]


def ropa_gain_svg(result: OpticsResult) -> str:
    """Per-channel gain and noise figure of each design's ROPA at its best launch power."""
    fig = new_figure(8.0, 4.6)
    ax_g, ax_nf = fig.subplots(2, 1, sharex=True)
    for d in _with_ropa(result):
        for pos, resp in d.line.ropas:
            label = (f"{d.name.replace('_', ' ')}: {result.cable_length_km - pos:.0f} km from "
                     f"the receiver, {1e3 * resp.residual_pump_w:.1f} mW residual pump")
            ax_g.plot(d.frequency_thz, 10.0 * np.log10(resp.gain_lin), lw=1.6, label=label)
            ax_nf.plot(d.frequency_thz, 10.0 * np.log10(resp.noise_figure_lin), lw=1.6)
    ax_g.set_ylabel("ROPA gain [dB]")
    ax_nf.set_ylabel("ROPA noise figure [dB]")
    ax_nf.set_xlabel("channel frequency [THz]")
    ax_g.set_title("Remote optically pumped amplifier per channel (erbium-doped fibre model at "
                   "the design's input comb)", fontsize=9)
    for ax in (ax_g, ax_nf):
        ax.grid(alpha=0.3)
    ax_g.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return figure_to_svg(fig, element_id="optics-ropa")


def _ropa_block(result: OpticsResult) -> str:
    if not _with_ropa(result):
        return ""
    return f"""<h3>Remote optically pumped amplifier</h3>
<p>Gain and noise figure of the ROPA per channel: with model <code>giles</code> the two-level
Giles–Desurvire erbium-doped fibre (JLT 9(2), 1991) pumped backward by the residual 1480 nm pump
that reaches it, on the bundled Al/Ge-silica erbium spectrum (absorption shape tabulated from
the published spectra, emission by the McCumber relation; see <code>data/SOURCES.md</code> for
its uncertainty); with <code>pump_limited</code> one flat gain.</p>
<figure>{ropa_gain_svg(result)}</figure>"""


def _fmt(x: float, nd: int = 2) -> str:
    return "–" if not math.isfinite(x) else f"{x:.{nd}f}"


def _modes_text(modes: tuple[str | None, ...]) -> str:
    """'mode × n' for the modes chosen per channel, most used first; unserved channels too."""
    from collections import Counter

    counts = Counter(m if m is not None else "none" for m in modes)
    return ", ".join(f"{m} ×{n}" for m, n in counts.most_common())


def _system_margin_text(system_margin_db: float | None) -> str:
    """The system margin the table's margins sit on top of, with its value when known."""
    if system_margin_db is not None and math.isfinite(system_margin_db):
        return f"the {system_margin_db:.2f} dB system margin (<code>optics.system_margin_db</code>)"
    from ...optics.config import OpticsConfig

    default = OpticsConfig.model_fields["system_margin_db"].default
    return ("the system margin (<code>optics.system_margin_db</code>, "
            f"{float(default):.2f} dB unless the scenario sets it)")


def design_table_html(result: OpticsResult, recommended: str,
                      system_margin_db: float | None = None) -> str:
    """The design table as HTML; margins are on top of the system margin."""
    rows = []
    for d in result.designs:
        cls = ' class="recommended"' if d.name == recommended else ""
        rows.append(
            f"<tr{cls}><td>{escape(d.label)}</td><td>{d.repeaters}</td>"
            f"<td>{_fmt(d.span_loss_db, 1)}</td><td>{_fmt(d.launch_power_dbm)}</td>"
            f"<td>{_fmt(d.launch_tilt_db, 1)} / {_fmt(d.pre_emphasis_db, 1)}</td>"
            f"<td>{_fmt(d.min_gsnr_db)}</td><td>{_fmt(d.margin_db)}</td>"
            f"<td>{_fmt(d.capacity_tbps_per_fibre_pair)}</td>"
            f"<td>{_fmt(d.system_capacity_tbps, 1)}</td>"
            f"<td>{_fmt(d.shannon_tbps_per_fibre_pair)}</td>"
            f"<td>{escape(_modes_text(d.modes))}</td>"
            f"<td>{'yes' if d.feasible else ('no' if d.closes else 'does not close')}</td></tr>"
        )
    models = sorted({d.capacity_model for d in result.designs if d.capacity_model})
    model_note = (f"<p class='note'>Capacity model: {escape('; '.join(models))}. The Shannon "
                  "bound beside it is &Sigma; 2 R<sub>s</sub> log<sub>2</sub>(1 + GSNR) over the "
                  "channels at the same GSNR.</p>" if models else "")
    return model_note + (
        '<table class="optics-designs"><caption>Designs at end of life (each at its best launch '
        "power). Margin: the worst channel's GSNR above its mode's threshold <em>on top of</em> "
        f"{_system_margin_text(system_margin_db)}, which every channel keeps in reserve; 0.00 dB "
        "means the design meets its threshold with the whole system margin to spare, not that "
        "it fails.</caption><thead><tr><th>amplification</th><th>repeaters</th>"
        "<th>worst span loss [dB]</th><th>launch [dBm/ch]</th>"
        "<th>launch tilt / pre-emphasis spread [dB]</th><th>min GSNR [dB]</th>"
        "<th>margin on top of the system margin [dB]</th>"
        "<th>capacity per fibre pair [Tb/s]</th>"
        "<th>system capacity [Tb/s]</th><th>Shannon bound per fibre pair [Tb/s]</th>"
        "<th>transceiver modes (channels)</th>"
        f"<th>feasible</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _raman_block(result: OpticsResult) -> str:
    if not _pumped(result):
        return ""
    return f"""<h3>Raman pump plan</h3>
<p>Pumps of the receive-end fibre, designed within the bounds of
<code>optics.raman_pump_design</code> (number of pumps, wavelength grid, per-pump and total power)
to maximise the worst channel's end-of-life GSNR (scipy differential evolution); gain from the
coupled Raman equations with pump–pump transfer and depletion.</p>
{pump_plan_html(result)}
<figure>{raman_gain_svg(result)}</figure>"""


def section_html(result: OpticsResult, decision: DecisionResult,
                 system_margin_db: float | None = None, plan_note: str | None = None) -> str:
    """The optics section as an HTML fragment ``<section id="optics">…</section>``.

    ``system_margin_db`` (the scenario's ``optics.system_margin_db``) is shown beside the
    margins, which are on top of it; when not given the text names the parameter and its
    default. ``plan_note`` (:func:`transcaspian.optics.design.denser_plan_note`) is shown
    under the modes of the recommended design.
    """
    margin_ref = _system_margin_text(system_margin_db)
    rec = result.design(decision.recommended)
    unrep = [d for d in result.designs if d.repeaters == 0 and d.feasible]
    best_unrep = max(unrep, key=lambda d: d.capacity_tbps_per_fibre_pair) if unrep else None
    if best_unrep is not None:
        unrep_text = (
            f"The best unrepeatered design ({escape(best_unrep.label)}) carries "
            f"{best_unrep.capacity_tbps_per_fibre_pair:.1f} Tb/s per fibre pair "
            f"({best_unrep.system_capacity_tbps:.0f} Tb/s for the system) with "
            f"{_fmt(best_unrep.margin_db)} dB margin left on top of {margin_ref}."
        )
    else:
        unrep_text = "No unrepeatered design closes the link at end of life."
    return f"""
<section id="optics">
<h2>2. Optical design</h2>
<div class="kpis">
 <div><b>{result.cable_length_km:.1f} km</b><span>cable length</span></div>
 <div><b>{escape(rec.label)}</b><span>recommended design</span></div>
 <div><b>{rec.capacity_tbps_per_fibre_pair:.1f} Tb/s</b><span>per fibre pair</span></div>
 <div><b>{rec.system_capacity_tbps:.0f} Tb/s</b><span>system ({result.fibre_pairs} fibre
 pairs)</span></div>
</div>
<p>Per-channel GSNR from the {escape(result.nli_model.replace("_", " "))} model at end of life
(ageing and repair allowances included). {unrep_text} Recommended by the decision (section
<a href="#decision">Decision</a>, on power feeding, availability and the business case as well
as the optics): {escape(rec.label)}. Repeatered designs carry more per fibre pair but put
powered repeaters on the seabed of a landlocked sea, where a repair ship is scarce.</p>
<p class="note">Transceiver modes of the recommended design: {escape(_modes_text(rec.modes))}.
Capacity model: {escape(rec.capacity_model)} (<code>optics.transceivers</code>, or the modems
of <code>optics.modem_year</code>), each mode with its source; thresholds marked
<code>cited: false</code> are derived or assumed (flagged when the design uses them), GNPy's
example modes are illustrative and left out unless allowed. For a datasheet-based study restrict
<code>optics.transceiver_families</code> or bring your own library.</p>
{'' if not plan_note else f"<p class='note'>{escape(plan_note.removeprefix('note: '))}</p>"}
<figure>{gsnr_per_channel_svg(result, rec.name)}</figure>
<figure>{power_profile_svg(result, rec.name)}</figure>
{_raman_block(result)}
{_ropa_block(result)}
{design_table_html(result, rec.name, system_margin_db)}
</section>
"""
