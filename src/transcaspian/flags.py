"""Flags a reader of the plan cannot miss: conditions that weaken a headline figure.

``plan_flags(plan)`` reads the stage results (never re-runs a stage) and returns one
:class:`Flag` per condition found. The report shows them in the summary and in the section that
backs them; ``transcaspian run`` prints them in its summary lines; ``report.json`` carries them.

Conditions checked:

* ``capacity_target_not_met`` — the recommended design's system capacity is below
  ``optics.target_system_capacity_tbps``.
* ``thin_margin`` — its end-of-life margin is below ``report.thin_margin_db`` (1 dB by default;
  a margin smaller than the uncertainty of the inputs is not a margin a board should rely on).
* ``illustrative_modes`` — the capacity rests on transceiver modes whose thresholds are
  assumptions (``illustrative`` in the transceiver library), not published values.
* ``landing_on_land`` — a landing approach crosses cells that the bathymetry grid holds as land:
  the grid is too coarse to resolve the shore end, so the shallow-water cable length is uncertain.
* ``estimated_inputs`` — the capacity rests on transceiver thresholds marked ``cited: false``
  (derived or assumed), or a corridor headline (latency gain, transit through Baku) rests on link
  capacities that are estimates rather than published figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pragma: no cover
    from .plan import Plan

FlagCode = Literal[
    "capacity_target_not_met",
    "thin_margin",
    "illustrative_modes",
    "landing_on_land",
    "estimated_inputs",
]


@dataclass(frozen=True)
class Flag:
    """One condition that weakens a headline figure."""

    code: FlagCode
    section: str  # report section id that backs it: "optics", "route", "network", ...
    message: str
    severity: Literal["warning", "caution"] = "warning"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "section": self.section,
            "severity": self.severity,
            "message": self.message,
        }


def plan_flags(plan: Plan) -> tuple[Flag, ...]:
    """Every flag raised by a plan's results, optics first."""
    return (
        *_optics_flags(plan),
        *_route_flags(plan),
        *_network_flags(plan),
    )


def _optics_flags(plan: Plan) -> list[Flag]:
    from .report.fmt import fmt_db, fmt_tbps

    optics = plan.optics
    rec = next((d for d in optics.designs if d.name == optics.recommended), None)
    if rec is None:  # pragma: no cover - compare_designs always recommends one
        return []
    flags: list[Flag] = []
    target = plan.scenario.optics.target_system_capacity_tbps
    if target is not None and rec.system_capacity_tbps < target * (1 - 1e-9):
        flags.append(Flag(
            "capacity_target_not_met", "optics",
            f"capacity target not met: the recommended design ({rec.label}) carries "
            f"{fmt_tbps(rec.system_capacity_tbps)} against the {fmt_tbps(target)} target",
        ))
    threshold = plan.scenario.report.thin_margin_db
    if rec.feasible and rec.margin_db < threshold:
        flags.append(Flag(
            "thin_margin", "optics",
            f"thin end-of-life margin: {fmt_db(rec.margin_db)} on the recommended design, "
            f"below the {fmt_db(threshold)} the scenario asks for (report.thin_margin_db)",
        ))
    uncited = sorted(uncited_modes_used(plan) - illustrative_modes_used(plan))
    if uncited:
        flags.append(Flag(
            "estimated_inputs", "optics",
            "the capacity rests on transceiver thresholds that are derived or assumed, not "
            "published (cited: false in the transceiver library): " + ", ".join(uncited),
            "caution",
        ))
    ropa = plan.scenario.optics.ropa
    if rec.amplification == "booster_raman_ropa" and ropa.model == "giles":
        flags.append(Flag(
            "estimated_inputs", "optics",
            "the recommended design's remote amplifier uses the bundled erbium absorption "
            "shape, hand-tabulated from published Al/Ge-silica spectra (uncertain by 0.05-0.08 "
            "of the peak, more in the 1480 nm pump band; data/SOURCES.md), not the datasheet "
            "spectrum of the fibre to be bought: replace it before quoting the margin",
            "caution",
        ))
    illustrative = sorted(illustrative_modes_used(plan))
    if illustrative:
        flags.append(Flag(
            "illustrative_modes", "optics",
            "the capacity rests on transceiver modes marked illustrative (no product or standard "
            "behind their thresholds): "
            + ", ".join(illustrative),
        ))
    return flags


def illustrative_modes_used(plan: Plan) -> set[str]:
    """Names of the recommended design's modes that the library marks illustrative."""
    optics = plan.optics
    rec = next((d for d in optics.designs if d.name == optics.recommended), None)
    return set() if rec is None else set(rec.illustrative_modes)


def uncited_modes_used(plan: Plan) -> set[str]:
    """Names of the recommended design's modes whose thresholds the library marks uncited."""
    from .optics.transceivers import load_transceiver_library

    optics = plan.optics
    rec = next((d for d in optics.designs if d.name == optics.recommended), None)
    if rec is None:  # pragma: no cover
        return set()
    uncited = {m.name for m in load_transceiver_library().modes if not m.cited}
    return {m for m in rec.modes if m is not None and m in uncited}


def _route_flags(plan: Plan) -> list[Flag]:
    rpl = plan.route.rpl
    ashore = [
        float(kp)
        for kp, ev in zip(rpl.kp_km[1:-1], rpl.event[1:-1], strict=True)
        if ev == "ashore"
    ]
    if not ashore:
        return []
    return [Flag(
        "landing_on_land", "route",
        f"a landing approach runs over {len(ashore)} RPL rows that the bathymetry grid holds as "
        f"land (KP {min(ashore):.1f}–{max(ashore):.1f} km): the grid is too coarse for the shore "
        "end; survey or a finer grid (GEBCO 15″) should confirm the shallow-water cable length",
        "caution",
    )]


def _network_flags(plan: Plan) -> list[Flag]:
    net = plan.network
    estimated = sorted({lk.system for lk in net.corridor.links if lk.capacity_is_estimate})
    if not estimated:
        return []
    return [Flag(
        "estimated_inputs", "network",
        f"corridor flows, transit through Baku and saturation years rest on capacities of "
        f"{len(estimated)} systems that are estimates, not published figures: "
        + ", ".join(estimated[:6]) + (" …" if len(estimated) > 6 else ""),
        "caution",
    )]
