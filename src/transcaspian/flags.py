"""Flags a reader of the plan cannot miss: conditions that weaken a headline figure.

Each stage declares the function that reads its result for these conditions (``flags`` in
:data:`transcaspian.pipeline.STAGES`); ``Plan.flags()`` walks the declaration. A flag function
reads results only (never re-runs a stage) and returns one :class:`Flag` per condition found.
The report shows them in the summary and in the section that
backs them; ``transcaspian run`` prints them in its summary lines; ``report.json`` carries them.

Conditions checked:

* ``capacity_target_not_met`` — the recommended design's system capacity is below
  ``optics.target_system_capacity_tbps``.
* ``thin_margin`` — its end-of-life margin is below ``report.thin_margin_db`` (1 dB by default;
  a margin smaller than the uncertainty of the inputs is not a margin a board should rely on).
  The decision refuses such designs (``decision.min_margin_db``) unless none keeps the margin.
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
    from .decision.stage import DecisionResult
    from .geo.stage import RouteResult
    from .network.analysis import CorridorResult
    from .optics.design import DesignResult, OpticsResult
    from .scenario import Scenario

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


def decision_flags(scenario: Scenario, optics: OpticsResult,
                   decision: DecisionResult) -> list[Flag]:
    """Flags of the recommended design (target, margin, transceiver thresholds, ROPA)."""
    from .report.fmt import fmt_db, fmt_tbps

    rec = optics.design(decision.recommended)
    row = decision.chosen
    flags: list[Flag] = []
    target = scenario.optics.target_system_capacity_tbps
    if target is not None and row.system_capacity_tbps < target * (1 - 1e-9):
        flags.append(Flag(
            "capacity_target_not_met", "decision",
            f"capacity target not met: the recommended design ({rec.label}) carries "
            f"{fmt_tbps(row.system_capacity_tbps)} against the {fmt_tbps(target)} target",
        ))
    threshold = scenario.report.thin_margin_db
    if rec.feasible and rec.margin_db < threshold:
        flags.append(Flag(
            "thin_margin", "decision",
            f"thin end-of-life margin: {fmt_db(rec.margin_db)} on the recommended design, "
            f"below the {fmt_db(threshold)} the scenario asks for (report.thin_margin_db)",
        ))
    uncited = sorted(uncited_modes_used(rec, scenario) - set(rec.illustrative_modes))
    if uncited:
        flags.append(Flag(
            "estimated_inputs", "optics",
            "the capacity rests on transceiver thresholds that are derived or assumed, not "
            "published (cited: false in the transceiver library): " + ", ".join(uncited),
            "caution",
        ))
    ropa = scenario.optics.ropa
    if rec.amplification == "booster_raman_ropa" and ropa.model == "giles":
        flags.append(Flag(
            "estimated_inputs", "optics",
            "the recommended design's remote amplifier uses the bundled erbium absorption "
            "shape, hand-tabulated from published Al/Ge-silica spectra (uncertain by 0.05-0.08 "
            "of the peak, more in the 1480 nm pump band; data/SOURCES.md), not the datasheet "
            "spectrum of the fibre to be bought: replace it before quoting the margin",
            "caution",
        ))
    illustrative = sorted(rec.illustrative_modes)
    if illustrative:
        flags.append(Flag(
            "illustrative_modes", "optics",
            "the capacity rests on transceiver modes marked illustrative (no product or standard "
            "behind their thresholds): "
            + ", ".join(illustrative),
        ))
    return flags


def uncited_modes_used(rec: DesignResult, scenario: Scenario) -> set[str]:
    """Names of a design's modes whose thresholds the library marks uncited: the library the
    scenario's designs were chosen from (``optics.transceivers`` or ``optics.modem_year``)."""
    from .optics.design import design_library
    from .optics.stage import optics_config

    lib = design_library(optics_config(scenario))
    uncited = {m.name for m in lib.modes if not m.cited}
    return {m for m in rec.modes if m is not None and m in uncited}


def route_flags(route: RouteResult) -> list[Flag]:
    """Flags of the route (a landing approach over land cells).

    Each landing end gets its own KP range: rows in the first half of the route belong to the
    first landing's approach, rows in the second half to the second's (one range spanning both
    ends would cover the whole crossing).
    """
    rpl = route.rpl
    ashore = [
        float(kp)
        for kp, ev in zip(rpl.kp_km[1:-1], rpl.event[1:-1], strict=True)
        if ev == "ashore"
    ]
    if not ashore:
        return []
    mid = 0.5 * (float(rpl.kp_km[0]) + float(rpl.kp_km[-1]))
    ends = []
    for name, kps in zip(route.landing_names,
                         ([k for k in ashore if k <= mid], [k for k in ashore if k > mid]),
                         strict=True):
        if kps:
            ends.append(f"{name} end: {len(kps)} RPL row{'s' if len(kps) != 1 else ''}, "
                        f"KP {min(kps):.1f}–{max(kps):.1f} km")
    which = "both landing approaches run" if len(ends) == 2 else "a landing approach runs"
    return [Flag(
        "landing_on_land", "route",
        f"{which} over RPL rows that the bathymetry grid holds as land ({'; '.join(ends)}): "
        "the grid is too coarse for the shore end; survey or a finer grid (GEBCO 15″) should "
        "confirm the shallow-water cable length",
        "caution",
    )]


def network_flags(net: CorridorResult) -> list[Flag]:
    """Flags of the corridor (estimated link capacities)."""
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
