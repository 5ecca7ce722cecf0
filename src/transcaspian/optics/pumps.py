"""Raman pump design: choose the pumping scheme, pump wavelengths and powers within stated
bounds to maximise the worst channel's GSNR after one Raman-pumped fibre.

Schemes (:data:`SCHEMES`), each a set of candidate pumps on wavelength grids:

* ``backward`` — first-order counter-propagating pumps from the receive end;
* ``forward_backward`` — the same plus first-order co-propagating pumps from the transmit end;
* ``second_order`` — a 13xx nm pump one Raman shift above the first-order band, which
  amplifies the (weaker) first-order pumps or seeds of its direction inside the fibre (cascaded
  pumping, Bissessur, OFC 2013 OTh4C.3; Bromage JLT 22(1) 2004 Sec. V): counter with the
  backward schemes, co with the forward ones (bidirectional higher-order pumping of
  unrepeatered links: F. Di Pasquale et al., Proc. SPIE 6019, 60190G, 2005; forward
  second-order pumping: "RIN and transmission performance improvement using second order and
  broadband first order forward Raman pumping", Aston University, OECC 2017, IEEE Xplore
  8115030);
* ``forward`` — first-order co pumps only (the transmit-end fibre of a ROPA line; with
  ``second_order`` also its 13xx nm co pump).

A plan gives each candidate a power (most of them zero). Bounds per direction: at most
``max_pumps`` first-order pumps lit, each at most ``max_power_per_pump_w`` (a polarisation-
multiplexed diode pair), the second-order pump (a Raman fibre laser) at most its direction's
budget, and all pumps of the direction together at most ``max_total_power_w`` (counter) /
``max_forward_power_w`` (co). Pumps under :data:`LIT_W` are not built, and a second-order pump
is lit only with a lit first-order pump of its direction. The search vector holds each
direction's total, its second-order share and a weight per candidate. The optimiser is
:func:`scipy.optimize.differential_evolution`, one run per scheme (seeded, a fixed
number of generations: the cost is bounded and reported): the worst-channel objective is a
max-min (not smooth) and multimodal in the wavelength choice, and a population is evaluated in
one vectorised call, which maps onto the Raman solver's batch axis. A candidate whose coupled
equations do not converge, or whose solved on-off gain exceeds the 35 dB guard, scores −∞
(infeasible) and the search goes on; it never raises.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy import constants, optimize

from ..units import FloatArray
from . import fibre as fib
from .elements import FibreType, PumpLaser
from .nli import gn_eta
from .raman import raman_coefficients, raman_gain_spectrum, solve_raman, spontaneous_raman_ase_w
from .raman_span import MAX_RAMAN_ON_OFF_GAIN_DB, Pump, rin_transfer_integrals

__all__ = ["SCHEMES", "PumpBounds", "PumpPlan", "Scheme", "design_pumps", "scheme_of"]

Scheme = Literal["backward", "forward_backward", "second_order", "forward"]
SCHEMES: tuple[str, ...] = ("backward", "forward_backward", "second_order", "forward")
#: Solver settings of the design objective: grid step near the fibre ends [m] (the line
#: evaluation of the chosen plan uses the default 1 km), relaxation tolerance [Np] (1e-3 Np
#: ≈ 0.004 dB) and relaxation sweeps before shooting.
DESIGN_STEP_M = 2000.0
DESIGN_TOLERANCE_NP = 1e-3
DESIGN_RELAX_SWEEPS = 25
#: Newton iterations of the shooting fallback in the design objective: a candidate the solve
#: has not settled by then is scored infeasible (stated in the plan's ``infeasible`` count).
DESIGN_SHOOT_ITERATIONS = 40
#: Smallest power of a pump the plan lights [W]: weaker candidates are left out of the built
#: plan, and the design objective solves them at 1e-30 W (not at a floor a strong 13xx nm pump
#: could amplify into a watt-level phantom seed the built plan does not have).
LIT_W = 1e-3
#: Score of an infeasible candidate (solver refused or over the 35 dB guard) [dB].
INFEASIBLE_DB = -1e3


@dataclass(frozen=True)
class PumpBounds:
    """Bounds of a pump plan (from :class:`~transcaspian.optics.config.PumpDesignConfig`).

    ``max_total_power_w`` bounds the counter (backward) pumps of both orders together,
    ``max_forward_power_w`` the co (forward) pumps; ``wavelengths_nm`` is the first-order grid
    of the counter pumps, ``co_wavelengths_nm`` that of the co pumps (default: the same), and
    ``second_order_nm`` the second-order pump wavelengths (counter).
    """

    max_pumps: int
    wavelengths_nm: tuple[float, ...]
    max_power_per_pump_w: float
    max_total_power_w: float
    design_channels: int = 8
    generations: int = 10
    seed: int = 7
    schemes: tuple[str, ...] = ("backward",)
    max_forward_power_w: float = 0.0
    co_wavelengths_nm: tuple[float, ...] | None = None
    second_order_nm: tuple[float, ...] = ()
    max_second_order_power_w: float | None = None
    rin_db_per_hz: float = -150.0


@dataclass(frozen=True)
class PumpPlan:
    """A designed pump plan for one fibre.

    Attributes
    ----------
    pumps : tuple of PumpLaser
        Lit pumps (direction and wavelength each).
    worst_gsnr_db : float
        Worst design channel's GSNR of the objective (fibre + pre-amplifier, upstream noise,
        the pumped fibre's NLI from its solved profile, pump ASE and co-pump RIN) [dB];
        −1000 when no candidate of any scheme was feasible.
    evaluations : int
        Pump plans evaluated (all schemes).
    bounds : PumpBounds
    scheme : str
        The scheme of the best plan.
    gain_ripple_db : float
        Peak-to-peak on-off gain over the design channels of the best plan (best tilt) [dB].
    on_off_gain_db : float
        Largest on-off gain of the best plan [dB].
    scheme_scores_db : dict
        Best objective of each scheme searched [dB].
    infeasible : int
        Candidates scored infeasible (non-converging or over the 35 dB guard).
    seconds : float
        Wall time of the search [s] (not in :meth:`to_dict`: results are deterministic; the
        cost is the number of evaluations, bounded by the generations and population).
    """

    pumps: tuple[PumpLaser, ...]
    worst_gsnr_db: float
    evaluations: int
    bounds: PumpBounds
    scheme: str = "backward"
    gain_ripple_db: float = math.nan
    on_off_gain_db: float = math.nan
    scheme_scores_db: dict[str, float] = field(default_factory=dict)
    infeasible: int = 0
    seconds: float = 0.0

    @property
    def total_power_w(self) -> float:
        """Sum of the pump powers [W]."""
        return float(sum(p.power_w for p in self.pumps))

    def power_by_direction_w(self) -> dict[str, float]:
        """Total pump power per direction [W]."""
        return {d: float(sum(p.power_w for p in self.pumps if p.direction == d))
                for d in ("co", "counter")}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain Python."""
        b = self.bounds
        return {
            "scheme": self.scheme,
            "pumps": [p.model_dump() for p in self.pumps],
            "total_power_w": round(self.total_power_w, 4),
            "power_by_direction_w": {k: round(v, 4)
                                     for k, v in self.power_by_direction_w().items()},
            "objective_worst_gsnr_db": _finite(self.worst_gsnr_db),
            "gain_ripple_db": _finite(self.gain_ripple_db),
            "on_off_gain_db": _finite(self.on_off_gain_db),
            "scheme_scores_db": {k: _finite(v) for k, v in self.scheme_scores_db.items()},
            "evaluations": self.evaluations,
            "infeasible_candidates": self.infeasible,
            "bounds": {"max_pumps": b.max_pumps, "wavelengths_nm": list(b.wavelengths_nm),
                       "co_wavelengths_nm": list(_co_grid(b)),
                       "second_order_nm": list(b.second_order_nm),
                       "max_power_per_pump_w": b.max_power_per_pump_w,
                       "max_backward_power_w": b.max_total_power_w,
                       "max_forward_power_w": b.max_forward_power_w,
                       "schemes": list(b.schemes), "generations": b.generations},
            "optimiser": "scipy.optimize.differential_evolution (vectorised population), "
                         "one run per scheme",
        }


def _finite(x: float) -> float | None:
    """Rounded for JSON; None when not finite (no plan)."""
    return round(float(x), 3) if math.isfinite(x) else None


def _co_grid(b: PumpBounds) -> tuple[float, ...]:
    return b.wavelengths_nm if b.co_wavelengths_nm is None else b.co_wavelengths_nm


@dataclass(frozen=True)
class _Candidates:
    wavelength_nm: FloatArray
    co: np.ndarray  # bool
    second: np.ndarray  # bool


def _candidates(schemes: tuple[str, ...], b: PumpBounds) -> _Candidates | None:
    """The union of the candidate pumps of ``schemes`` (one search covers them all: a plan
    that lights no co pump is a backward plan, one that lights the 13xx nm pump a
    second-order plan)."""
    wl: list[float] = []
    co: list[bool] = []
    second: list[bool] = []

    def add(ws: tuple[float, ...], is_co: bool, is_second: bool) -> None:
        wl.extend(ws)
        co.extend([is_co] * len(ws))
        second.extend([is_second] * len(ws))

    backward = b.max_total_power_w > 0.0 and any(
        s in ("backward", "forward_backward", "second_order") for s in schemes)
    forward = b.max_forward_power_w > 0.0 and any(
        s in ("forward_backward", "forward") for s in schemes)
    if backward:
        add(b.wavelengths_nm, False, False)
        if "second_order" in schemes and b.second_order_nm:
            add(b.second_order_nm, False, True)
    if forward:
        add(_co_grid(b), True, False)
        if "second_order" in schemes and b.second_order_nm:
            add(b.second_order_nm, True, True)  # a co 13xx nm pump feeding the co pumps
    if not wl:
        return None
    return _Candidates(np.asarray(wl, dtype=float), np.asarray(co), np.asarray(second))


def scheme_of(pumps: tuple[PumpLaser, ...], second_order_below_nm: float = 1420.0) -> str:
    """Name of the scheme a set of pumps forms: ``backward``, ``forward``,
    ``forward_backward``, with ``+second_order`` when a pump lies below the first-order band."""
    co = any(p.direction == "co" for p in pumps)
    counter = any(p.direction == "counter" for p in pumps)
    name = {(True, True): "forward_backward", (True, False): "forward",
            (False, True): "backward", (False, False): "none"}[(co, counter)]
    if any(p.wavelength_nm < second_order_below_nm for p in pumps):
        name += "+second_order"
    return name


def _decode(x: FloatArray, cand: _Candidates, b: PumpBounds) -> FloatArray:
    """Search vector (rows: [counter total, co total, counter second-order share, co
    second-order share, weight per candidate]) → pump powers: each direction's total split
    between its second-order and its first-order pumps by the share, each part shared among
    its candidates in proportion to the weights, then :func:`_project`. Searching the totals
    directly puts as many candidates at low power as at high (uniform sampling of per-pump
    powers lands mostly above the 35 dB guard); searching the order split directly makes a
    cascaded plan (a strong 13xx nm pump with weak 14xx nm seeds, the usual second-order
    design: Bromage JLT 22(1) 2004 Sec. V) as easy to reach as a first-order one (with one
    weight per candidate it needs one weight far above all the others)."""
    x = np.asarray(x, dtype=float)
    tot = x[..., :2]
    split = np.clip(x[..., 2:4], 0.0, 1.0)
    w = np.maximum(x[..., 4:], 0.0)
    out = np.zeros_like(w)
    for j, is_co in enumerate((False, True)):
        d = cand.co == is_co
        if not d.any():
            continue
        has_second = bool((d & cand.second).any())
        for is_second in (False, True):
            g = d & (cand.second == is_second)
            if not g.any():
                continue
            part = (split[..., j:j + 1] if is_second else 1.0 - split[..., j:j + 1]) \
                if has_second and (d & ~cand.second).any() else 1.0
            share = w[..., g] / np.maximum(w[..., g].sum(axis=-1, keepdims=True), 1e-12)
            out[..., g] = tot[..., j:j + 1] * part * share
    return _project(out, cand, b)


def _project(x: FloatArray, cand: _Candidates, b: PumpBounds) -> FloatArray:
    """Per direction: keep the ``max_pumps`` strongest first-order pumps of each plan (rows),
    cap each pump, and scale the direction down to its total-power bound."""
    # a first-order pump is capped at ``max_power_per_pump_w``; a second-order pump (a Raman
    # fibre laser, not a diode pair) by its own direction's budget (the counter one by
    # ``max_total_power_w``, the co one by ``max_forward_power_w``), or by
    # ``max_second_order_power_w`` when given
    sec_cap = np.where(cand.co, b.max_forward_power_w, b.max_total_power_w)
    if b.max_second_order_power_w is not None:
        sec_cap = np.minimum(sec_cap, b.max_second_order_power_w)
    x = np.clip(np.asarray(x, dtype=float), 0.0,
                np.where(cand.second, sec_cap, b.max_power_per_pump_w))
    for is_co, cap in ((False, b.max_total_power_w), (True, b.max_forward_power_w)):
        first = (cand.co == is_co) & ~cand.second
        cols = np.nonzero(first)[0]
        if cols.size > b.max_pumps:
            sub = x[..., cols]
            cut = np.sort(sub, axis=-1)[..., -b.max_pumps][..., None]
            x[..., cols] = np.where(sub >= cut, sub, 0.0)
        d = np.nonzero(cand.co == is_co)[0]
        if d.size:
            total = x[..., d].sum(axis=-1, keepdims=True)
            x[..., d] *= np.minimum(1.0, cap / np.maximum(total, 1e-30))
    # pumps under LIT_W are not built; a second-order pump is lit only with a lit first-order
    # pump of its direction to amplify (the cascaded scheme, Bromage JLT 22(1) 2004 Sec. V:
    # unseeded, its first Stokes would build up from spontaneous scattering once its gain
    # passes the Raman threshold, ~16 (Smith, Appl. Opt. 11(11) 1972), which the coupled
    # solver does not model)
    x = np.where(x >= LIT_W, x, 0.0)
    for is_co in (False, True):
        first = (cand.co == is_co) & ~cand.second
        seeded = (x[..., first] > 0.0).any(axis=-1, keepdims=True)
        x = np.where((cand.co == is_co) & cand.second & ~seeded, 0.0, x)
    return x


def design_pumps(ft: FibreType, length_m: float, extra_alpha_per_m: float,
                 frequency_hz: FloatArray, symbol_rate_hz: FloatArray, signal_in_w: FloatArray,
                 noise_in_w: FloatArray, out_loss_db: float, preamp_noise_figure_db: float,
                 b2b_snr_db: float | None, bounds: PumpBounds,
                 temperature_k: float = 300.0) -> PumpPlan:
    """Pump plan (scheme, wavelengths, powers) that maximises the worst channel's GSNR after
    the fibre.

    Parameters
    ----------
    ft : FibreType
    length_m, extra_alpha_per_m : float
        Fibre length [m] and spread extra loss (end of life) [1/m].
    frequency_hz, symbol_rate_hz : array (n,)
    signal_in_w, noise_in_w : array (..., n)
        Signal and accumulated noise (ASE + NLI) per channel at the fibre input [W]; leading
        axes are launch variants (e.g. tilts): a plan scores its best variant.
    out_loss_db : float
        Lumped loss between the fibre and the next amplifier [dB].
    preamp_noise_figure_db : float
        Noise figure of that amplifier [dB].
    b2b_snr_db : float or None
        Transceiver back-to-back SNR [dB].
    bounds : PumpBounds

    Returns
    -------
    PumpPlan
        ``worst_gsnr_db`` −1000 and no pumps when no candidate is feasible.

    Notes
    -----
    Objective per channel: 1/GSNR = N_in/S_in + Σ_j η_ij F_j P_j² + (P_ASE,R +
    NF h f R_s/η_out)/(S_in G η_out) + R_DRB-free RIN term + 1/SNR_b2b, with the net gain G,
    the Raman ASE and the NLI profile factor F_j = ∫ p_j(z)² dz / ∫ e^{−2αz} dz (the energy of
    the solved power profile, :func:`~transcaspian.optics.raman.nli_profile_factor`; η the GN
    closed form, Poggiolini et al. JLT 32(4) 2014 eq. 120) from :func:`.raman.solve_raman` on
    every ``n/design_channels``-th channel (the total input power kept, so the inter-channel
    SRS and the pump depletion are those of the full comb; F_j interpolated between them),
    and the co-pump RIN transfer of :func:`~transcaspian.optics.raman_span.rin_transfer_ratio`.
    The profile-energy NLI scaling is the search's cheaper approximation (0.3-0.6 dB
    optimistic in SNR_NLI for co-pumping against GNPy's generalised GN); the line evaluation of
    the chosen plan uses :func:`~transcaspian.optics.raman.nli_profile_ratio`.
    """
    t0 = time.perf_counter()
    f_all = np.asarray(frequency_hz, dtype=float)
    step = max(1, math.ceil(f_all.size / bounds.design_channels))
    sub = np.arange(0, f_all.size, step)
    if sub[-1] != f_all.size - 1:
        sub = np.append(sub, f_all.size - 1)
    scale = f_all.size / sub.size
    f_ch = f_all[sub]
    n = f_ch.size
    s_full = np.asarray(signal_in_w, dtype=float)
    s_in = s_full[..., sub] * scale  # (T, n): launch variants
    n_in = np.asarray(noise_in_w, dtype=float)[..., sub] * scale
    p_in = s_in + n_in
    rs_all = np.asarray(symbol_rate_hz, dtype=float)
    rs = rs_all[sub]
    eta_out = 10.0 ** (-out_loss_db / 10.0)
    pre = 10.0 ** (preamp_noise_figure_db / 10.0) * constants.h * f_ch * rs * scale
    trx = 0.0 if b2b_snr_db is None else 10.0 ** (-b2b_snr_db / 10.0)
    # NLI of the pumped fibre: GN closed form of the full comb, rows of the design channels
    alpha_ch = fib.alpha_per_m(ft, f_all) + extra_alpha_per_m
    eta = gn_eta(f_all, rs_all, alpha_ch, fib.beta2_s2_per_m(ft, f_all),
                 fib.gamma_per_w_per_m(ft, f_all), length_m)[sub]  # (n, n_all)
    p_full = s_full + np.asarray(noise_in_w, dtype=float)
    # linear interpolation from the design channels to every channel, as a matrix (n, n_all)
    interp_t = np.stack([np.interp(f_all, f_ch, e) for e in np.eye(n)])
    count = [0, 0]
    best: dict[str, tuple[float, FloatArray, _Candidates, float, float]] = {}
    for scheme in ("union",):
        cand = _candidates(bounds.schemes, bounds)
        if cand is None:
            continue
        k = cand.wavelength_nm.size
        f_p = constants.c / (cand.wavelength_nm * 1e-9)
        f = np.concatenate([f_ch, f_p])
        alpha = fib.alpha_per_m(ft, f)
        if ft.loss_table is None:
            alpha[n:] = fib.pump_alpha_per_m(ft)
        alpha = alpha + extra_alpha_per_m
        coeff = raman_coefficients(f, fib.effective_area_m2(ft, f),
                                   raman_gain_spectrum(ft.raman_gain_spectrum))
        forward = np.concatenate([np.ones(n, bool), cand.co])
        off_sol = solve_raman(alpha[:n], coeff[:n, :n], p_in, forward[:n], length_m)
        off = off_sol.output_w
        a_ref = -np.expm1(-2.0 * alpha[:n] * length_m) / (2.0 * alpha[:n])
        rin_int = rin_transfer_integrals(
            [Pump(1.0, float(fp), "co" if c else "counter", "raman", bounds.rin_db_per_hz)
             for fp, c in zip(f_p, cand.co, strict=True)], ft, length_m, alpha[n:], rs, f_ch)

        def evaluate(powers: FloatArray, cand: _Candidates = cand, f: FloatArray = f,
                     alpha: FloatArray = alpha, coeff: FloatArray = coeff,
                     forward: np.ndarray = forward, off: FloatArray = off,
                     a_ref: FloatArray = a_ref, k: int = k, rin_int: FloatArray = rin_int
                     ) -> tuple[FloatArray, FloatArray, FloatArray]:
            """(score per plan and variant (B, T...), on-off gain (B, T..., n), refused)."""
            lead = (powers.shape[0], *p_in.shape[:-1])
            pw = np.where(powers >= LIT_W, powers, 1e-30).reshape(
                powers.shape[0], *([1] * (p_in.ndim - 1)), k)
            launch = np.concatenate([np.broadcast_to(p_in, (*lead, n)),
                                     np.broadcast_to(pw, (*lead, k))], axis=-1)
            sol = solve_raman(alpha, coeff, launch, forward, length_m,
                              step_m=DESIGN_STEP_M, tolerance_np=DESIGN_TOLERANCE_NP,
                              on_divergence="mask", max_iterations=DESIGN_RELAX_SWEEPS,
                              shoot_iterations=DESIGN_SHOOT_ITERATIONS)
            out = sol.output_w[..., :n]
            g = out / p_in
            ase = spontaneous_raman_ase_w(sol, f, coeff, np.arange(n), np.arange(n, f.size),
                                          rs, temperature_k) * scale
            prof = sol.power_w[..., :n] / p_in[..., None, :]
            fac = np.trapezoid(prof**2, sol.z_m, axis=-2) / a_ref  # (B, T.., n)
            fac_all = fac @ interp_t  # F_j on every channel (linear in frequency)
            nli = (fac_all * p_full**2) @ eta.T  # (B, T.., n): Σ_j η_ij F_j P_j²
            with np.errstate(divide="ignore", invalid="ignore"):
                on_off = 10.0 * np.log10(out / off)
            share = powers / np.maximum(powers.sum(axis=-1, keepdims=True), 1e-30)
            rin_w = ((share**2) @ rin_int).reshape(powers.shape[0],
                                                   *([1] * (p_in.ndim - 1)), n)
            rin = (np.nan_to_num(on_off) / fib.DB_PER_NEPER) ** 2 * rin_w / 4.0
            inv = n_in / s_in + nli + (ase + pre / eta_out) / (s_in * g) + rin + trx
            with np.errstate(divide="ignore", invalid="ignore"):
                worst = 10.0 * np.log10(1.0 / inv.max(axis=-1))
            diverged = ~sol.converged_mask | ~np.isfinite(worst)
            excess = np.nan_to_num(on_off.max(axis=-1) - MAX_RAMAN_ON_OFF_GAIN_DB, nan=0.0)
            refused = diverged | (excess > 0.0)
            # infeasible plans are scored below every feasible one, graded (by the gain over
            # the guard, or the pump power when the solver refused) so that the search moves
            # back towards the feasible region
            total = powers.sum(axis=-1).reshape(-1, *([1] * (p_in.ndim - 1)))
            penalty = np.where(diverged, INFEASIBLE_DB - 100.0 - 10.0 * total,
                               INFEASIBLE_DB - np.maximum(excess, 0.0))
            return np.where(refused, penalty, worst), on_off, refused

        def objective(x: FloatArray, cand: _Candidates = cand,
                      evaluate: Any = evaluate) -> FloatArray:
            powers = _decode(np.asarray(x, dtype=float).T, cand, bounds)  # (B, K)
            score, _, refused = evaluate(powers)
            count[0] += powers.shape[0]
            score = score.reshape(score.shape[0], -1).max(axis=-1)
            count[1] += int(np.sum(refused.reshape(refused.shape[0], -1).all(axis=-1)))
            return np.asarray(-score)

        # (a direction without candidates gets a dummy range: its total is never used)
        caps = [(0.0, bounds.max_total_power_w if (~cand.co).any() else 1.0),
                (0.0, bounds.max_forward_power_w if cand.co.any() else 1.0),
                (0.0, 1.0), (0.0, 1.0)] + [(0.0, 1.0)] * k
        res = optimize.differential_evolution(
            objective, caps, maxiter=bounds.generations,
            popsize=max(3, math.ceil(24 / (k + 4))),
            tol=1e-3, seed=bounds.seed, polish=False, vectorized=True, updating="deferred",
            init="sobol")
        x_best = _decode(res.x[None, :], cand, bounds)
        score, on_off, _ = evaluate(x_best)
        t = int(np.argmax(score.reshape(-1)))
        oo = on_off.reshape(-1, n)[t]
        best[scheme] = (float(score.max()), x_best[0], cand, float(np.ptp(oo)),
                        float(oo.max()))
    if not best:
        return PumpPlan((), INFEASIBLE_DB, count[0], bounds, "none", infeasible=count[1],
                        seconds=time.perf_counter() - t0)
    score_b, x, cand, ripple, gmax = best["union"]
    lit = [i for i in range(x.size) if x[i] >= LIT_W]
    pumps = tuple(PumpLaser(power_w=round(float(x[i]), 4),
                            wavelength_nm=float(cand.wavelength_nm[i]),
                            direction="co" if cand.co[i] else "counter",
                            rin_db_per_hz=bounds.rin_db_per_hz)
                  for i in lit) if score_b > INFEASIBLE_DB else ()
    score_b = max(score_b, INFEASIBLE_DB)
    name = scheme_of(pumps)
    return PumpPlan(pumps, score_b, count[0], bounds, name, ripple, gmax, {name: score_b},
                    count[1], time.perf_counter() - t0)
