"""The optics stage: compare unrepeatered and repeatered designs of one cable.

:func:`compare_designs` builds, for a cable length, the candidate lines (booster only; booster +
distributed Raman; booster + Raman + ROPA; equally spaced repeaters, 1..k, or on long cables the
counts chosen by :func:`choose_repeater_counts`: a bisection on the capacity, up to 400
repeaters), evaluates each over a grid of launch powers and launch tilts in one vectorised call,
keeps the launch power and tilt with the highest capacity (ties: highest worst-channel GSNR,
then the smallest tilt), and chooses transceiver modes per channel with
:func:`transcaspian.optics.transceivers.select_modes` (the discrete modes of the library and
the rate steps of its adaptive modems). A GSNR below :data:`GSNR_FLOOR_DB` is reported as that
floor: the design does not close.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError

from .._budget import line_sweep_bytes, require_memory
from .._load import validation_message
from ..errors import OpticsError
from ..units import FloatArray
from .config import OpticsConfig
from .elements import FibreSection, PumpLaser
from .line import LineResult, evaluate_line, tilt_ramp
from .linecase import AmplifierElement, FibreElement, LineCase, RopaElement
from .pumps import PumpBounds, PumpPlan, design_pumps
from .transceivers import (
    FLEX_GRID_GHZ,
    ModeSelection,
    TransceiverLibrary,
    generation_library,
    grid_slot_ghz,
    load_transceiver_library,
    select_modes,
    shannon_capacity_tbps,
)

__all__ = ["DesignResult", "OpticsResult", "build_design_lines", "check_channel_plan",
           "choose_repeater_counts", "compare_designs", "denser_plan_note", "design_library",
           "repeater_count_range", "select_with_policy", "selected_library", "source_library"]

_LABELS = {
    "booster": "Unrepeatered: booster + pre-amplifier",
    "booster_raman": "Unrepeatered: booster + Raman",
    "booster_raman_ropa": "Unrepeatered: booster + Raman + ROPA",
}


@dataclass(frozen=True)
class DesignResult:
    """One design at its best launch power."""

    name: str
    label: str
    amplification: str
    repeaters: int
    span_loss_db: float
    launch_power_dbm: float
    launch_tilt_db: float
    min_gsnr_db: float
    margin_db: float
    capacity_tbps_per_fibre_pair: float
    system_capacity_tbps: float
    shannon_tbps_per_fibre_pair: float
    feasible: bool
    frequency_thz: FloatArray
    gsnr_db: FloatArray
    rate_gbps: FloatArray
    modes: tuple[str | None, ...]
    line: LineResult = field(repr=False)
    ropa_distance_km: float | None = None
    #: Modes of this design marked ``illustrative`` in the library (no product or standard
    #: behind their numbers); non-empty means the capacity rests on example values.
    illustrative_modes: tuple[str, ...] = ()

    @property
    def relies_on_illustrative_mode(self) -> bool:
        """True when a channel of this design uses a mode marked illustrative."""
        return bool(self.illustrative_modes)
    pump_plan: PumpPlan | None = None
    #: Which transceiver model set the capacity (library name, adaptive or discrete, families).
    capacity_model: str = ""
    #: Launch of each channel relative to ``launch_power_dbm`` [dB]: the tilt, plus the
    #: pre-emphasis where the search kept one (``None``: the tilt alone).
    launch_offsets_db: FloatArray | None = None

    @property
    def pre_emphasis_db(self) -> float:
        """Spread of the pre-emphasis beyond the linear tilt, max − min [dB] (0: none)."""
        if self.launch_offsets_db is None or self.launch_offsets_db.size < 2:
            return 0.0
        tilt = self.launch_tilt_db * tilt_ramp(self.launch_offsets_db.size)
        return float(np.ptp(self.launch_offsets_db - tilt))

    @property
    def closes(self) -> bool:
        """False when some channel of the design does not close (no mode, or its GSNR at the
        floor :data:`GSNR_FLOOR_DB`)."""
        return self.feasible and self.min_gsnr_db > GSNR_FLOOR_DB

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain Python."""
        return {
            "name": self.name,
            "label": self.label,
            "amplification": self.amplification,
            "repeaters": self.repeaters,
            "span_loss_db": round(self.span_loss_db, 3),
            "launch_power_dbm": round(self.launch_power_dbm, 3),
            "launch_tilt_db": round(self.launch_tilt_db, 3),
            "pre_emphasis_db": round(self.pre_emphasis_db, 3),
            "launch_offsets_db": None if self.launch_offsets_db is None else
            [round(float(o), 3) for o in self.launch_offsets_db],
            "min_gsnr_db": round(self.min_gsnr_db, 3),
            "margin_db": None if not math.isfinite(self.margin_db) else round(self.margin_db, 3),
            "capacity_tbps_per_fibre_pair": round(self.capacity_tbps_per_fibre_pair, 4),
            "system_capacity_tbps": round(self.system_capacity_tbps, 4),
            "shannon_tbps_per_fibre_pair": round(self.shannon_tbps_per_fibre_pair, 4),
            "feasible": self.feasible,
            "frequency_thz": [round(float(f), 6) for f in self.frequency_thz],
            "gsnr_db": [round(float(g), 3) for g in self.gsnr_db],
            "rate_gbps": [float(r) for r in self.rate_gbps],
            "modes": list(self.modes),
            "ropa_distance_km": self.ropa_distance_km,
            "relies_on_illustrative_mode": self.relies_on_illustrative_mode,
            "illustrative_modes": list(self.illustrative_modes),
            "pump_plan": None if self.pump_plan is None else self.pump_plan.to_dict(),
            "capacity_model": self.capacity_model,
            "closes": self.closes,
            "raman_spans": [{"position_km": round(d, 3), **r.to_dict()}
                            for d, r in self.line.raman_spans],
            "ropas": [{"position_km": round(d, 3), **r.to_dict()}
                      for d, r in self.line.ropas],
        }


@dataclass(frozen=True)
class OpticsResult:
    """Result of the optics stage: every candidate design at its best launch power.

    Which one to build is the decision stage's answer (:mod:`transcaspian.decision`), made on
    power feeding, reliability and the business case as well as the optics.
    """

    cable_length_km: float
    fibre_pairs: int
    nli_model: str
    designs: tuple[DesignResult, ...]

    def design(self, name: str) -> DesignResult:
        """The design called ``name``."""
        for d in self.designs:
            if d.name == name:
                return d
        raise OpticsError(f"optics result: no design named {name!r}")

    def unrepeatered_text(self) -> str:
        """One line on the unrepeatered designs: the best that closes (its capacity per pair,
        margin and pump scheme) and those that do not.

        The answer to the consortium's largest design choice, whether powered wet plant is
        needed at all; printed by ``transcaspian run``."""
        un = [d for d in self.designs if d.repeaters == 0]
        if not un:
            return "no unrepeatered design was studied"
        closing = [d for d in un if d.closes]
        failing = [d.label.removeprefix("Unrepeatered: ") for d in un if not d.closes]
        parts = []
        if closing:
            best = max(closing, key=lambda d: (d.capacity_tbps_per_fibre_pair, d.margin_db))
            how = (f"Raman {best.pump_plan.scheme.replace('_', ' ')}"
                   if best.pump_plan is not None else best.label.removeprefix("Unrepeatered: "))
            parts.append(f"the best closes {best.capacity_tbps_per_fibre_pair:.1f} Tb/s per "
                         f"fibre pair, {best.margin_db:.1f} dB margin ({how})")
        if failing:
            parts.append(f"{' and '.join(failing)} do{'es' if len(failing) == 1 else ''} "
                         "not close")
        return "; ".join(parts) if parts else "none closes"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain Python."""
        return {
            "cable_length_km": round(self.cable_length_km, 3),
            "fibre_pairs": self.fibre_pairs,
            "nli_model": self.nli_model,
            "designs": [d.to_dict() for d in self.designs],
        }


def _eol_extra_db(cfg: OpticsConfig, worst: bool) -> float:
    eol = cfg.end_of_life
    extra = eol.ageing_db_per_span
    if worst:
        extra += eol.repairs * (eol.repair_extra_cable_km * cfg.fibre.loss_db_per_km
                                + 2.0 * eol.repair_splice_db)
    return extra


#: Longest fibre section a line element accepts [km] (``FibreSection.length_km``).
MAX_SECTION_KM = 1000.0


def max_repeaters(cfg: OpticsConfig, cable_length_km: float) -> int:
    """Largest repeater count searched: ``design_space.max_repeaters``, or (null) as many as
    spans of ``min_span_km`` allow, at most 400."""
    ds = cfg.design_space
    if ds.max_repeaters is not None:
        return ds.max_repeaters
    return int(min(400, max(0, math.floor(cable_length_km / ds.min_span_km) - 1)))


def repeater_count_range(cfg: OpticsConfig, cable_length_km: float) -> range:
    """Repeater counts whose spans are at most :data:`MAX_SECTION_KM` long and whose worst
    end-of-life span loss is at most ``design_space.max_span_loss_db``."""
    fixed = _eol_extra_db(cfg, worst=True) + cfg.end_of_life.terminal_loss_db
    per_km = cfg.fibre.loss_db_per_km
    room = cfg.design_space.max_span_loss_db - fixed
    longest = min(MAX_SECTION_KM, room / per_km) if room > 0 else 0.0
    hi = max_repeaters(cfg, cable_length_km)
    if longest <= 0.0:
        return range(1, 1)
    lo = max(1, math.ceil(cable_length_km / longest - 1e-9) - 1)
    return range(lo, hi + 1)


def _repeatered_elements(cfg: OpticsConfig, cable_length_km: float, k: int) -> list[Any]:
    """Booster, k + 1 equal spans with k repeaters, pre-amplifier (end-of-life losses in)."""
    term = cfg.end_of_life.terminal_loss_db
    rep = AmplifierElement(amplifier=cfg.repeater)
    span = cable_length_km / (k + 1)
    els: list[Any] = [AmplifierElement(amplifier=cfg.booster)]
    pre = AmplifierElement(amplifier=cfg.preamplifier)
    for s in range(k + 1):
        els.append(FibreElement(fibre=FibreSection(
            type="line", length_km=span,
            connector_in_db=term if s == 0 else 0.0,
            connector_out_db=term if s == k else 0.0,
            extra_loss_db=_eol_extra_db(cfg, worst=(s == 0)))))
        els.append(rep if s < k else pre)
    return els


def build_design_lines(cfg: OpticsConfig, cable_length_km: float,
                       ropa_distance_km: float | None = None,
                       pumps: dict[str, tuple[PumpLaser, ...]] | None = None,
                       repeater_counts: tuple[int, ...] | None = None,
                       ropa_feed: str | None = None) -> dict[str, LineCase]:
    """Line cases of every candidate design (end-of-life losses included), by design name.

    ``ropa_distance_km`` overrides the config's ROPA position (the first searched one when the
    config leaves it null). ``pumps`` (by scheme name) puts designed ``raman_pumps`` on the
    receive-end fibre instead of ``cfg.raman``; the key ``"<scheme>:tx"`` puts forward pumps
    on the transmit-end fibre of the ROPA design. ``ropa_feed`` overrides the ROPA's
    ``pump_path``. ``repeater_counts``: the repeatered designs to build (default: every
    count of :func:`repeater_count_range`).
    """
    fibres = {"line": cfg.fibre}
    designed = pumps or {}

    def raman_of(scheme: str) -> dict[str, Any]:
        if scheme in designed:
            return {"raman_pumps": designed[scheme]}
        return {"raman": cfg.raman}

    term = cfg.end_of_life.terminal_loss_db
    lines: dict[str, LineCase] = {}

    def case(name: str, elements: list[Any]) -> LineCase:
        try:
            return LineCase(name=name, spectrum=cfg.spectrum, fibres=fibres,
                            elements=tuple(elements), nli_model=cfg.nli_model,
                            transceiver=cfg.transceiver)
        except ValidationError as err:  # e.g. the channel plan outside an amplifier band
            raise OpticsError(validation_message(err, f"optics: design {name}")) from None

    booster = AmplifierElement(amplifier=cfg.booster)
    pre = AmplifierElement(amplifier=cfg.preamplifier)
    extra = _eol_extra_db(cfg, worst=True)
    for scheme in cfg.design_space.include_unrepeatered:
        if cable_length_km > MAX_SECTION_KM:
            break  # no single span that long: unrepeatered designs are not candidates
        if scheme == "booster_raman_ropa":
            d = ropa_distance_km or cfg.ropa_distance_km or cfg.design_space.ropa_distances_km[0]
            if d >= cable_length_km:
                continue
            far = cable_length_km - d
            ropa = (cfg.ropa if ropa_feed is None
                    else cfg.ropa.model_copy(update={"pump_path": ropa_feed}))
            els: list[Any] = [
                booster,
                FibreElement(fibre=FibreSection(type="line", length_km=far, connector_in_db=term,
                                                extra_loss_db=extra * far / cable_length_km,
                                                raman_pumps=designed.get(f"{scheme}:tx", ()))),
                RopaElement(ropa=ropa),
                FibreElement(fibre=FibreSection(type="line", length_km=d, connector_out_db=term,
                                                extra_loss_db=extra * d / cable_length_km,
                                                **raman_of(scheme))),
                pre,
            ]
        else:
            els = [
                booster,
                FibreElement(fibre=FibreSection(
                    type="line", length_km=cable_length_km, connector_in_db=term,
                    connector_out_db=term, extra_loss_db=extra,
                    **(raman_of(scheme) if scheme == "booster_raman" else {}))),
                pre,
            ]
        lines[f"unrepeatered_{scheme}"] = case(f"unrepeatered_{scheme}", els)
    counts = (tuple(repeater_count_range(cfg, cable_length_km)) if repeater_counts is None
              else repeater_counts)
    for k in counts:
        if k < 1 or cable_length_km / (k + 1) > MAX_SECTION_KM:
            continue
        lines[f"repeatered_{k}"] = case(f"repeatered_{k}",
                                        _repeatered_elements(cfg, cable_length_km, k))
    if not lines:
        raise OpticsError(
            f"optics: a {cable_length_km:g} km cable has no candidate design with spans of at "
            f"most {MAX_SECTION_KM:g} km and "
            f"{cfg.design_space.max_span_loss_db:g} dB; raise "
            "optics.design_space.max_repeaters (or set it to null)"
        )
    return lines


def source_library(cfg: OpticsConfig) -> TransceiverLibrary:
    """The library the scenario names, as loaded: the generation of ``optics.modem_year``,
    else ``optics.transceivers`` (a bundled name or a file)."""
    if cfg.modem_year is None:
        return load_transceiver_library(cfg.transceivers)
    try:
        return generation_library(cfg.modem_year)
    except OpticsError as exc:
        raise OpticsError(f"optics.modem_year: {exc}") from None


def denser_plan_note(cfg: OpticsConfig) -> str | None:
    """A note when the channel plan's slots are wider than every wave the modems can send needs.

    Each slot carries one wave, so when no mode would use the extra width a denser
    ``optics.spectrum`` carries more waves over the same band:

    * waves capped by ``optics.max_rate_gbps`` on slots wider than the capped library's
      narrowest member needs (on the 12.5 GHz flexible grid);
    * a library of fixed-format modes only (a generation deployed on a fixed grid, e.g. the
      2012 generation's 100G/200G in 50 GHz) on slots wider than the widest of them needs.

    Rate-adaptive modems fill whatever slot they are given, so they get a note only when
    capped. ``None`` when there is nothing to say.
    """
    spacing = float(cfg.spectrum.spacing_ghz)
    lib = selected_library(cfg)
    if cfg.max_rate_gbps is not None:
        narrowest = lib.narrowest_grid_slot_ghz()
        if narrowest is None or narrowest > spacing - FLEX_GRID_GHZ:
            return None
        return (f"note: waves capped at {cfg.max_rate_gbps:g} Gb/s (optics.max_rate_gbps) fit "
                f"{narrowest:g} GHz slots, narrower than this plan's {spacing:g} GHz: a denser "
                "optics.spectrum would carry more of them")
    if lib.modems or not lib.modes:
        return None
    slot = grid_slot_ghz(max(m.slot_needed_ghz for m in lib.modes))
    if slot > spacing - FLEX_GRID_GHZ:
        return None
    return (f"note: every transceiver mode of library {lib.name!r} fits {slot:g} GHz slots, "
            f"narrower than this plan's {spacing:g} GHz: a denser optics.spectrum would carry "
            "more waves")


def selected_library(cfg: OpticsConfig,
                     library: TransceiverLibrary | None = None) -> TransceiverLibrary:
    """The modems a design may use: the library given, else :func:`source_library`;
    restricted to ``transceiver_families``; capped at ``max_rate_gbps``; GNPy's illustrative
    example modes left out unless allowed (an all-illustrative library, the user's choice, is
    kept and its designs are flagged). Adaptive modems stay modems (:func:`design_library`
    expands them for the plan's slot)."""
    lib = library if library is not None else source_library(cfg)
    if cfg.transceiver_families is not None:
        lib = lib.subset(families=list(cfg.transceiver_families))
    if cfg.max_rate_gbps is not None:
        lib = lib.capped_at(cfg.max_rate_gbps)
    if (not cfg.allow_illustrative_modes and lib.modes
            and not all(m.illustrative for m in lib.modes)):
        lib = lib.model_copy(update={"modes": tuple(m for m in lib.modes if not m.illustrative)})
    return lib


def design_library(cfg: OpticsConfig,
                   library: TransceiverLibrary | None = None) -> TransceiverLibrary:
    """The library of the design: :func:`selected_library` with the adaptive modems expanded
    into their rate steps for the plan's slot width."""
    return selected_library(cfg, library).for_slot(cfg.spectrum.spacing_ghz)


def select_with_policy(gsnr_db: npt.ArrayLike, cfg: OpticsConfig,
                       lib: TransceiverLibrary) -> ModeSelection:
    """Modes per channel keeping ``cfg.margin_policy_db`` on top of the system margin where a
    mode allows it, else the best mode at the system margin alone (a thin channel).

    An operator provisions each wave at the highest rate that leaves the policy's end-of-life
    margin; the greedy choice at the system margin alone would leave ~0 dB on every channel of
    a discrete-mode plan. ``margin_db`` of the result is the margin left over the system margin
    [dB], so a channel that kept the policy shows at least ``margin_policy_db``.
    """
    sp = cfg.spectrum
    kw: dict[str, Any] = dict(spacing_ghz=sp.spacing_ghz, library=lib,
                              reference_symbol_rate_gbaud=sp.symbol_rate_gbaud,
                              b2b_snr_db=cfg.transceiver.b2b_snr_db)
    base = select_modes(gsnr_db, margin_db=cfg.system_margin_db, **kw)
    keep = float(cfg.margin_policy_db or 0.0)
    if keep <= 0.0:
        return base
    kept = select_modes(gsnr_db, margin_db=cfg.system_margin_db + keep, **kw)
    use = kept.mode_index >= 0
    return ModeSelection(
        rate_gbps=np.where(use, kept.rate_gbps, base.rate_gbps),
        mode_index=np.where(use, kept.mode_index, base.mode_index),
        margin_db=np.where(use, kept.margin_db + keep, base.margin_db),
        mode_names=base.mode_names)


def _launch_grid(cfg: OpticsConfig, case: LineCase) -> FloatArray:
    ds = cfg.design_space
    n = cfg.spectrum.n_channels
    cap = math.inf
    for el in case.elements:
        if isinstance(el, AmplifierElement) and el.amplifier is not cfg.preamplifier:
            cap = min(cap, el.amplifier.max_output_power_dbm - 10.0 * math.log10(n))
    hi = min(ds.launch_max_dbm, cap)
    lo = min(ds.launch_min_dbm, hi)
    grid = np.arange(lo, hi + 1e-9, ds.launch_step_db)
    if grid.size == 0 or grid[-1] < hi - 1e-9:
        grid = np.append(grid, hi)
    return grid


def _ropa_distance_km(case: LineCase) -> float | None:
    """Fibre length between the (first) ROPA and the next amplifier / receiver [km]."""
    for k, el in enumerate(case.elements):
        if isinstance(el, RopaElement):
            dist = 0.0
            for nxt in case.elements[k + 1:]:
                if not isinstance(nxt, FibreElement):
                    break
                dist += nxt.fibre.length_km
            return dist
    return None


def _span_loss(case: LineCase) -> float:
    """Largest passive loss between two amplifiers [dB] (fibre + lumped)."""
    worst, acc = 0.0, 0.0
    for el in case.elements:
        if isinstance(el, FibreElement):
            ft = case.fibres[el.fibre.type]
            acc += (el.fibre.length_km * ft.loss_db_per_km + el.fibre.extra_loss_db
                    + el.fibre.connector_in_db + el.fibre.connector_out_db)
        elif isinstance(el, RopaElement):
            acc += el.ropa.insertion_loss_db
        elif not isinstance(el, AmplifierElement):  # a passive filter
            continue
        else:
            worst, acc = max(worst, acc), 0.0
    return max(worst, acc)


#: Scale factors of the designed forward pumps' power tried on the whole ROPA line.
FORWARD_POWER_SCALES: tuple[float, ...] = (0.5, 1.5, 2.0, 3.0)
#: Launch powers (the highest of the coarse grid) at which ROPA positions and feeds are
#: compared: an unrepeatered line runs at or near its booster's limit.
ROPA_SCAN_LAUNCHES = 4


def _ropa_score(cfg: OpticsConfig, case: LineCase, lib: TransceiverLibrary
                ) -> tuple[float, float]:
    """(capacity [Tb/s], worst-channel GSNR [dB]) of a line at the best point of a coarse
    launch grid (refused launches score −50 dB)."""
    grid = _launch_grid(cfg, case)
    every = max(1, round(COARSE_LAUNCH_STEP_DB / cfg.design_space.launch_step_db))
    grid = np.unique(np.append(grid[::every], grid[-1]))[-ROPA_SCAN_LAUNCHES:]
    gsnr = _clamped(np.nan_to_num(evaluate_line(case, grid, on_refused="mark").gsnr_db,
                                  nan=-50.0, neginf=-50.0))
    cap = select_with_policy(gsnr, cfg, lib).capacity_tbps
    return float(cap.max()), float(gsnr.min(axis=-1).max())


def _best_ropa_case(cfg: OpticsConfig, cable_length_km: float, lib: TransceiverLibrary,
                    pumps: dict[str, tuple[PumpLaser, ...]] | None = None,
                    ropa_feed: str | None = None) -> LineCase:
    """The ROPA line whose position (from ``design_space.ropa_distances_km``) carries most."""
    return _best_ropa_scored(cfg, cable_length_km, lib, pumps, ropa_feed)[0]


def _best_ropa_scored(cfg: OpticsConfig, cable_length_km: float, lib: TransceiverLibrary,
                      pumps: dict[str, tuple[PumpLaser, ...]] | None = None,
                      ropa_feed: str | None = None
                      ) -> tuple[LineCase, tuple[float, float]]:
    best: tuple[float, float] | None = None
    best_case: LineCase | None = None
    for d in cfg.design_space.ropa_distances_km:
        if d >= cable_length_km:
            continue
        case = build_design_lines(cfg, cable_length_km, d, pumps, ropa_feed=ropa_feed,
                                  repeater_counts=())["unrepeatered_booster_raman_ropa"]
        score = _ropa_score(cfg, case, lib)
        if best is None or score > best:
            best, best_case = score, case
    if best_case is None or best is None:
        raise OpticsError("design_space.ropa_distances_km: no ROPA position inside the cable")
    return best_case, best


def _pump_bounds(cfg: OpticsConfig, schemes: tuple[str, ...], backward_w: float) -> PumpBounds:
    """:class:`PumpBounds` of the config for ``schemes`` with a backward budget [W]."""
    pd = cfg.raman_pump_design
    return PumpBounds(pd.max_pumps, pd.wavelengths_nm(), pd.max_power_per_pump_w,
                      backward_w, generations=pd.generations, seed=pd.seed, schemes=schemes,
                      max_forward_power_w=pd.max_forward_power_w,
                      second_order_nm=tuple(pd.second_order_wavelengths_nm),
                      rin_db_per_hz=pd.pump_rin_db_per_hz)


def _design_pumps_for(cfg: OpticsConfig, case: LineCase, *, index: int | None = None,
                      schemes: tuple[str, ...] | None = None,
                      backward_w: float | None = None) -> PumpPlan:
    """Pump plan of fibre ``index`` of ``case`` (default: its last fibre, the receive end),
    at the highest launch of the search grid (an unrepeatered line is run at its booster's
    limit) and the best of every third launch tilt of the search.

    The objective ends at the next element: the receiver pre-amplifier for the receive-end
    fibre; for the transmit-end fibre of a ROPA line the ROPA (its insertion loss, and its
    full-inversion noise figure ``ropa.min_noise_figure_db`` as the next stage's: an
    approximation that ignores the receive-end section after it, stated)."""
    fibres = [i for i, el in enumerate(case.elements) if isinstance(el, FibreElement)]
    k = fibres[-1] if index is None else index
    el = case.elements[k]
    assert isinstance(el, FibreElement)
    sec = el.fibre
    launch = float(_launch_grid(cfg, case)[-1])
    tilts = np.asarray(cfg.design_space.launch_tilts_db[::3], dtype=float)
    n = cfg.spectrum.n_channels
    ramp = tilt_ramp(n)
    state = evaluate_line(case, np.full(tilts.size, launch), profile=False, upto=k,
                          channel_offsets_db=tilts[:, None] * ramp, on_refused="mark")
    into = 10.0 ** (-sec.connector_in_db / 10.0)
    sig = 1e-3 * 10.0 ** (state.signal_power_dbm / 10.0) * into
    noise = 1e-3 * (10.0 ** (state.ase_power_dbm / 10.0) + 10.0 ** (state.nli_power_dbm / 10.0))
    pd = cfg.raman_pump_design
    bounds = _pump_bounds(cfg, tuple(schemes or pd.schemes),
                          pd.max_total_power_w if backward_w is None else backward_w)
    nxt = case.elements[k + 1] if k + 1 < len(case.elements) else None
    if isinstance(nxt, RopaElement):
        out_loss, nf = sec.connector_out_db + nxt.ropa.insertion_loss_db, \
            nxt.ropa.min_noise_figure_db
    else:
        out_loss, nf = sec.connector_out_db, cfg.preamplifier.noise_figure_db
    length = sec.length_km * 1e3
    f = state.frequency_thz * 1e12
    return design_pumps(case.fibres[sec.type], length, sec.extra_loss_db / 4.342944819 / length,
                        f, np.full_like(f, cfg.spectrum.symbol_rate_gbaud * 1e9),
                        np.nan_to_num(sig), np.nan_to_num(noise) * into, out_loss, nf,
                        cfg.transceiver.b2b_snr_db, bounds, sec.temperature_k)


def _merge_plans(rx: PumpPlan, tx: PumpPlan | None, label: str) -> PumpPlan:
    """One reported plan of a line designed fibre by fibre (receive end, transmit end)."""
    if tx is None or not tx.pumps:
        return replace(rx, scheme=f"{rx.scheme}{label}")
    scheme = f"{tx.scheme} (transmit-end fibre) + {rx.scheme}{label}"
    return replace(rx, pumps=rx.pumps + tx.pumps, scheme=scheme,
                   evaluations=rx.evaluations + tx.evaluations,
                   infeasible=rx.infeasible + tx.infeasible, seconds=rx.seconds + tx.seconds,
                   scheme_scores_db={**rx.scheme_scores_db,
                                     **{f"{k} (transmit end)": v
                                        for k, v in tx.scheme_scores_db.items()}},
                   gain_ripple_db=rx.gain_ripple_db)


def _designed_cases(cfg: OpticsConfig, cable_length_km: float, lib: TransceiverLibrary,
                    cases: dict[str, LineCase]) -> tuple[dict[str, LineCase], dict[str, PumpPlan]]:
    """The unrepeatered Raman designs rebuilt with designed pumps.

    ``booster_raman``: the receive-end fibre's pumps over every scheme of the config (forward
    pumps there are the transmit end's). ``booster_raman_ropa``: for each ROPA feed, the
    receive-end fibre's backward/second-order pumps (with a line feed the ROPA pump takes its
    share of the backward budget) and the transmit-end fibre's forward pumps, designed with
    the ROPA at the middle of the searched positions; then the position is searched with
    those pumps; the feed and position that carry most are kept.
    """
    plans: dict[str, PumpPlan] = {}
    out = dict(cases)
    pd = cfg.raman_pump_design
    name = "unrepeatered_booster_raman"
    if name in cases:
        base = build_design_lines(cfg, cable_length_km, repeater_counts=())[name]
        plan = _design_pumps_for(cfg, base)
        plans[name] = plan
        out[name] = build_design_lines(cfg, cable_length_km, None, {"booster_raman": plan.pumps},
                                       repeater_counts=())[name]
    name = "unrepeatered_booster_raman_ropa"
    if name not in cases:
        return out, plans
    ds = [d for d in cfg.design_space.ropa_distances_km if d < cable_length_km]
    d0 = cfg.ropa_distance_km or (ds[len(ds) // 2] if ds else None)
    rx_schemes = tuple(s if s != "forward_backward" else "backward" for s in pd.schemes)
    rx_schemes = tuple(dict.fromkeys(rx_schemes))
    best: tuple[tuple[float, float], LineCase, PumpPlan, dict[str, tuple[PumpLaser, ...]],
                str] | None = None
    for feed in pd.ropa_feeds:
        budget = pd.max_total_power_w - (cfg.ropa.pump_power_w if feed == "line" else 0.0)
        base = build_design_lines(cfg, cable_length_km, d0, None, ropa_feed=feed,
                                  repeater_counts=())[name]
        if budget > 0.01:
            rx = _design_pumps_for(cfg, base, schemes=rx_schemes, backward_w=budget)
        else:  # the line-fed ROPA pump takes the whole backward budget
            rx = PumpPlan((), math.nan, 0, _pump_bounds(cfg, rx_schemes, 0.0), "none")
        pumps = {"booster_raman_ropa": rx.pumps}
        tx = None
        if "forward_backward" in pd.schemes and pd.max_forward_power_w > 0.0:
            with_rx = build_design_lines(cfg, cable_length_km, d0, pumps, ropa_feed=feed,
                                  repeater_counts=())[name]
            first = next(i for i, el in enumerate(with_rx.elements)
                         if isinstance(el, FibreElement))
            tx_schemes = ("forward", "second_order") if "second_order" in pd.schemes \
                else ("forward",)
            tx = _design_pumps_for(cfg, with_rx, index=first, schemes=tx_schemes,
                                   backward_w=0.0)
            pumps["booster_raman_ropa:tx"] = tx.pumps
        case = build_design_lines(cfg, cable_length_km, d0, pumps, ropa_feed=feed,
                                  repeater_counts=())[name]
        score = _ropa_score(cfg, case, lib)
        if tx is not None and tx.pumps:
            # the forward pumps were designed up to the ROPA only: refine their overall power
            # on the whole line (capacity, then worst GSNR), within the forward bound
            total = sum(p.power_w for p in tx.pumps)
            for k in FORWARD_POWER_SCALES:
                if total * k > pd.max_forward_power_w + 1e-9:
                    continue
                scaled = tuple(p.model_copy(update={"power_w": round(p.power_w * k, 4)})
                               for p in tx.pumps)
                trial = {**pumps, "booster_raman_ropa:tx": scaled}
                c_k = build_design_lines(cfg, cable_length_km, d0, trial, ropa_feed=feed,
                                         repeater_counts=())[name]
                s_k = _ropa_score(cfg, c_k, lib)
                if s_k > score:
                    score, case, pumps = s_k, c_k, trial
                    tx = replace(tx, pumps=scaled)
        plan = _merge_plans(rx, tx, f" + ROPA ({feed} feed)")
        if best is None or score > best[0]:
            best = (score, case, plan, pumps, feed)
    if best is not None:
        case, plan = best[1], best[2]
        if cfg.ropa_distance_km is None:  # the position, with the best feed's pumps
            case, _ = _best_ropa_scored(cfg, cable_length_km, lib, best[3], best[4])
        out[name] = case
        d = _ropa_distance_km(case)
        plans[name] = replace(plan, scheme=plan.scheme.replace(
            " feed)", f" feed, {d:g} km from the receiver)"))
    return out, plans


#: Launch step of the first pass of the launch/tilt search of Raman-pumped designs [dB].
COARSE_LAUNCH_STEP_DB: float = 1.0


def _has_pumps(case: LineCase) -> bool:
    """True when a fibre of the line carries Raman pumps (or a ROPA sends its pump through
    the line)."""
    for el in case.elements:
        if isinstance(el, FibreElement) and (el.fibre.raman_pumps or el.fibre.raman is not None
                                             or el.fibre.forward_raman is not None):
            return True
        if isinstance(el, RopaElement) and el.ropa.pump_path == "line":
            return True
    return False


def _grid_search(cfg: OpticsConfig, case: LineCase, lib: TransceiverLibrary, grid: FloatArray,
                 tilts: FloatArray, ramp: FloatArray) -> tuple[Any, ...]:
    """Evaluate the (tilt, launch) grid in one vectorised call; the best point (most capacity,
    then highest worst-channel GSNR, then the smallest tilt).

    Returns (launch per point, tilt per point, GSNR (points, n), mode selection, best index).
    """
    sp = cfg.spectrum
    n = sp.n_channels
    p2 = np.broadcast_to(grid, (tilts.size, grid.size))
    offsets = tilts[:, None, None] * ramp
    res = evaluate_line(case, p2, channel_offsets_db=offsets, profile=False)
    gsnr = _clamped(res.gsnr_db).reshape(-1, n)
    p_flat = p2.reshape(-1)
    t_flat = np.repeat(tilts, grid.size)
    sel = select_with_policy(gsnr, cfg, lib)
    k = int(np.lexsort((-np.abs(t_flat), gsnr.min(axis=-1), np.round(sel.capacity_tbps, 6)))[-1])
    return p_flat, t_flat, gsnr, sel, k


#: GSNR floor of a design [dB]: below it a channel does not close (a value such as −2271 dB
#: from an absurdly long span is reported as this floor, never as such).
GSNR_FLOOR_DB: float = -30.0
#: Spans above which a repeatered line's launch/tilt search takes two passes (every
#: COARSE_LAUNCH_STEP_DB, then the fine steps and neighbouring tilts around the best).
LONG_LINE_SPANS: int = 24


#: Step sizes of one pre-emphasis iteration, evaluated together (one vectorised call) [-].
PRE_EMPHASIS_STEPS: tuple[float, ...] = (0.5, 1.0)


def _pre_emphasis(cfg: OpticsConfig, case: LineCase, lib: TransceiverLibrary,
                  launch_dbm: float, offsets_db: FloatArray, gsnr_db: FloatArray,
                  capacity_tbps: float) -> tuple[FloatArray, FloatArray] | None:
    """Per-channel launch offsets that equalise the received GSNR, or ``None``.

    The pre-emphasis of Chraplyvy, Nagel & Tkach, "Equalization in amplified WDM lightwave
    transmission systems", IEEE Photon. Technol. Lett. 4(8):920-922, 1992: each channel's
    launch is lowered by its GSNR excess over the mean (in dB, step γ; here γ ∈
    :data:`PRE_EMPHASIS_STEPS`, both tried at once), then all are shifted to keep the total
    launch power (the booster's output). Iterated ``design_space.pre_emphasis_iterations``
    times on the full line model (NLI, SRS and Raman respond to the new spectrum); an iterate
    is kept while the worst channel's GSNR rises and the capacity at the margin policy does not
    fall. ``None`` when no iterate improves on ``offsets_db``.

    Returns
    -------
    (offsets_db, gsnr_db) : tuple of numpy.ndarray
        Launch offsets per channel relative to ``launch_dbm`` [dB] and the GSNR they give [dB].
    """
    n = offsets_db.size
    if cfg.design_space.pre_emphasis_iterations == 0 or n < 2:
        return None
    steps = np.asarray(PRE_EMPHASIS_STEPS)
    total = np.log10(np.sum(10.0 ** (offsets_db / 10.0)))
    o, g, cap = offsets_db, gsnr_db, capacity_tbps
    found = None
    for _ in range(cfg.design_space.pre_emphasis_iterations):
        cand = o[None, :] - steps[:, None] * (g - g.mean())[None, :]
        cand -= 10.0 * (np.log10(np.sum(10.0 ** (cand / 10.0), axis=-1, keepdims=True)) - total)
        res = evaluate_line(case, np.full(steps.size, launch_dbm), channel_offsets_db=cand,
                            profile=False, on_refused="mark")
        gs = _clamped(res.gsnr_db).reshape(steps.size, n)
        caps = select_with_policy(gs, cfg, lib).capacity_tbps
        ok = caps >= cap - 1e-9
        worst = np.where(ok, gs.min(axis=-1), -np.inf)
        j = int(np.argmax(worst))
        if not ok[j] or worst[j] <= g.min() + 1e-3:
            break
        o, g, cap = cand[j], gs[j], float(caps[j])
        found = (o, g)
    return found


def _clamped(gsnr_db: FloatArray) -> FloatArray:
    """GSNR with NaN/−inf and values below :data:`GSNR_FLOOR_DB` set to the floor [dB]."""
    g = np.nan_to_num(gsnr_db, nan=GSNR_FLOOR_DB, neginf=GSNR_FLOOR_DB, posinf=99.0)
    return np.maximum(g, GSNR_FLOOR_DB)


def _screen_capacity_tbps(cfg: OpticsConfig, cable_length_km: float, k: int,
                          lib: TransceiverLibrary) -> float:
    """Capacity per fibre pair of the k-repeater line at its best launch of a 1 dB grid and
    zero tilt (a cheap screen of the repeater-count search) [Tb/s]."""
    case = build_design_lines(cfg, cable_length_km, repeater_counts=(k,))[f"repeatered_{k}"]
    grid = _launch_grid(cfg, case)
    every = max(1, round(COARSE_LAUNCH_STEP_DB / cfg.design_space.launch_step_db))
    grid = np.unique(np.append(grid[::every], grid[-1]))
    gsnr = _clamped(evaluate_line(case, grid).gsnr_db)
    cap = select_with_policy(gsnr, cfg, lib).capacity_tbps
    return float(cap.max())


def choose_repeater_counts(cfg: OpticsConfig, cable_length_km: float, fibre_pairs: int,
                           lib: TransceiverLibrary) -> tuple[int, ...]:
    """Repeater counts to design in full.

    With at most ``design_space.max_candidates`` counts in :func:`repeater_count_range`, all of
    them. Otherwise (long cables): capacity is taken as non-decreasing in the count (shorter
    spans, less ASE per span; the NLI of N spans at the optimum launch grows as N^(1/3) while
    the ASE falls as exp(αL/N)) and searched by bisection on the screen
    :func:`_screen_capacity_tbps`, O(log K) line evaluations instead of K designs:

    * the fewest repeaters whose capacity reaches the target per fibre pair
      (``target_system_capacity_tbps`` / ``fibre_pairs``), when the most repeaters reach it;
    * the fewest whose capacity reaches 95 % of the capacity with the most repeaters (the
      knee: beyond it repeaters add little);
    * and counts spread geometrically over the range (fewest and most included), up to
      ``max_candidates`` in all.
    """
    counts = repeater_count_range(cfg, cable_length_km)
    ds = cfg.design_space
    if len(counts) <= ds.max_candidates:
        return tuple(counts)
    lo, hi = counts[0], counts[-1]
    memo: dict[int, float] = {}

    def cap(k: int) -> float:
        if k not in memo:
            memo[k] = _screen_capacity_tbps(cfg, cable_length_km, k, lib)
        return memo[k]

    def fewest_reaching(value: float) -> int | None:
        if cap(hi) < value:
            return None
        a, b = lo, hi  # invariant: cap(b) >= value
        if cap(a) >= value:
            return a
        while b - a > 1:
            m = (a + b) // 2
            if cap(m) >= value:
                b = m
            else:
                a = m
        return b

    chosen: list[int] = []
    target = cfg.target_system_capacity_tbps
    if target is not None:
        k = fewest_reaching(target / fibre_pairs)
        if k is not None:
            chosen.append(k)
    knee = fewest_reaching(0.95 * cap(hi))
    if knee is not None:
        chosen.append(knee)
    rest = ds.max_candidates - len(set(chosen))
    spread = np.unique(np.round(np.geomspace(lo, hi, max(rest, 2))).astype(int))
    for k in spread:
        if len(set(chosen)) >= ds.max_candidates:
            break
        chosen.append(int(k))
    return tuple(sorted(set(chosen)))


def check_channel_plan(cfg: OpticsConfig) -> None:
    """Refuse a scenario's channel plan whose slots no mode of its design library fits.

    Every channel would carry 0 Gb/s on any line, so for a scenario (the optics stage, the
    study at a given length) it is a configuration error, not a design result.
    :func:`compare_designs` itself does not refuse it: a GSNR study of a plan with no matching
    modem (a published experiment's own transceiver) is still meaningful.

    Raises
    ------
    OpticsError
        Naming ``optics.spectrum.spacing_ghz`` and the narrowest slot the library fits.
    """
    chosen = selected_library(cfg)
    spacing_ghz = float(cfg.spectrum.spacing_ghz)
    lib = chosen.for_slot(spacing_ghz)
    if any(m.fits_slot(spacing_ghz) for m in lib.modes):
        return
    narrowest = chosen.narrowest_slot_ghz
    need = "" if narrowest is None else f" (the narrowest it fits: {narrowest:g} GHz)"
    raise OpticsError(
        f"optics.spectrum.spacing_ghz: no transceiver mode of library {lib.name!r} fits "
        f"{spacing_ghz:g} GHz slots{need}; widen the channel plan or choose other modems "
        "(optics.transceivers, optics.modem_year, optics.max_rate_gbps)")


def compare_designs(
    config: OpticsConfig,
    *,
    cable_length_km: float,
    fibre_pairs: int,
    library: TransceiverLibrary | None = None,
) -> OpticsResult:
    """Compare unrepeatered and repeatered designs of a cable at end of life.

    Parameters
    ----------
    config : OpticsConfig
        Fibre, spectrum, amplifiers, margins and design space.
    cable_length_km : float
        Cable length from the route stage (route length × (1 + slack)) [km].
    fibre_pairs : int
        Number of fibre pairs of the cable.
    library : TransceiverLibrary, optional
        Transceiver modes; default: the bundled library.

    Returns
    -------
    OpticsResult
        Each design at its best launch power (the choice among them is the decision stage's).

    Notes
    -----
    Per channel, the mode with the highest net rate whose required SNR + ``system_margin_db``
    + ``margin_policy_db`` is met, else (a thin channel) the best at ``system_margin_db``
    alone (:func:`select_with_policy`); capacity per fibre pair = Σ rates (one direction);
    system capacity = that × ``fibre_pairs``. Shannon bound: Σ 2 R_s log2(1 + GSNR).
    """
    if not (math.isfinite(cable_length_km) and 1.0 <= cable_length_km <= 20000.0):
        raise OpticsError(f"cable_length_km: must be within 1..20000 km (got {cable_length_km})")
    if not (1 <= int(fibre_pairs) <= 64):
        raise OpticsError(f"fibre_pairs: must be within 1..64 (got {fibre_pairs})")
    lib = design_library(config, library)
    sp = config.spectrum
    designs: list[DesignResult] = []
    counts = choose_repeater_counts(config, cable_length_km, int(fibre_pairs), lib)
    cases = build_design_lines(config, cable_length_km, repeater_counts=counts)
    ropa_name = "unrepeatered_booster_raman_ropa"
    plans: dict[str, PumpPlan] = {}
    if config.raman_pump_design.enabled:
        cases, plans = _designed_cases(config, cable_length_km, lib, cases)
    elif ropa_name in cases and config.ropa_distance_km is None:
        cases[ropa_name] = _best_ropa_case(config, cable_length_km, lib)
    tilts = np.asarray(config.design_space.launch_tilts_db, dtype=float)
    illustrative = {m.name for m in lib.modes if m.illustrative}
    n = sp.n_channels
    ramp = tilt_ramp(n)
    for name, case in cases.items():
        grid = _launch_grid(config, case)
        require_memory(
            line_sweep_bytes(tilts.size * grid.size, n),
            f"optics.design_space: the launch search of {name} ({grid.size} launch powers x "
            f"{tilts.size} tilts x {n} channels)",
            error=OpticsError,
            hint="use a larger launch_step_db, fewer launch_tilts_db or fewer channels",
        )
        reps = int(name.split("_")[1]) if name.startswith("repeatered_") else 0
        if _has_pumps(case) or reps + 1 > LONG_LINE_SPANS:
            # two passes: every COARSE_LAUNCH_STEP_DB, then the fine steps around the best
            # (the coupled Raman solve costs ~1 ms per launch/tilt variant and km)
            every = max(1, round(COARSE_LAUNCH_STEP_DB / config.design_space.launch_step_db))
            coarse = np.unique(np.append(grid[::every], grid[-1]))
            pc, tc, _, _, kc = _grid_search(config, case, lib, coarse, tilts, ramp)
            near = grid[np.abs(grid - pc[kc]) <= COARSE_LAUNCH_STEP_DB + 1e-9]
            ti = int(np.argmin(np.abs(tilts - tc[kc])))
            p_flat, t_flat, gsnr, sel, k = _grid_search(config, case, lib, near,
                                                        tilts[max(ti - 1, 0):ti + 2], ramp)
        else:
            p_flat, t_flat, gsnr, sel, k = _grid_search(config, case, lib, grid, tilts, ramp)
        launch, tilt = float(p_flat[k]), float(t_flat[k])
        offsets = tilt * ramp
        emphasised = _pre_emphasis(config, case, lib, launch, offsets, gsnr[k],
                                   float(sel.capacity_tbps[k]))
        if emphasised is not None:  # from here on, the one kept point: row 0
            offsets, gsnr = emphasised[0], emphasised[1][None, :]
            sel, k = select_with_policy(gsnr, config, lib), 0
        cap = sel.capacity_tbps
        best = evaluate_line(case, launch, channel_offsets_db=offsets,
                             profile=True, on_refused="mark")
        margin = sel.margin_db[k]
        served = sel.mode_index[k] >= 0
        finite = margin[np.isfinite(margin)]
        modes = tuple(sel.mode_names[i] if i >= 0 else None for i in sel.mode_index[k])
        scheme = name.removeprefix("unrepeatered_")
        designs.append(DesignResult(
            name=name,
            label=_LABELS.get(scheme, f"Repeatered: {reps} repeater{'s' if reps > 1 else ''}"),
            amplification=scheme if reps == 0 else "edfa_repeaters",
            repeaters=reps,
            span_loss_db=_span_loss(case),
            launch_power_dbm=launch,
            launch_tilt_db=tilt,
            min_gsnr_db=float(gsnr[k].min()),
            margin_db=float(finite.min()) if finite.size else float("nan"),
            capacity_tbps_per_fibre_pair=float(cap[k]),
            system_capacity_tbps=float(cap[k]) * int(fibre_pairs),
            shannon_tbps_per_fibre_pair=float(
                shannon_capacity_tbps(gsnr[k], sp.symbol_rate_gbaud)),
            feasible=bool(served.all()),
            frequency_thz=best.frequency_thz,
            gsnr_db=gsnr[k],
            rate_gbps=sel.rate_gbps[k],
            modes=modes,
            line=best,
            ropa_distance_km=_ropa_distance_km(case),
            illustrative_modes=tuple(sorted({m for m in modes if m in illustrative})),
            pump_plan=plans.get(name),
            capacity_model=lib.capacity_model,
            launch_offsets_db=None if emphasised is None else offsets,
        ))
    return OpticsResult(
        cable_length_km=float(cable_length_km),
        fibre_pairs=int(fibre_pairs),
        nli_model=config.nli_model,
        designs=tuple(designs),
    )
