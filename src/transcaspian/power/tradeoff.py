"""The power-limited design: fibre pairs × amplifier output × repeater spacing under the PFE.

A cable's repeaters share the electrical power that the PFEs can push down the conductor. With
double-end feeding at the usable voltage V_u per end, the repeaters get

    N_rep · V_rep = 2·V_u − I·R·L − e·L                                      [V]

and each repeater's drop V_rep = P_el(P_out, N_fp) / I (:mod:`.repeater`). More fibre pairs or
more repeaters leave less optical power per amplifier. The design that maximises the cable's
capacity N_fp · C_fp(P_out, span) under this limit is the question of the power-efficient SDM
papers: Sinkin et al., JLT 36(2):361 (2018) (capacity grows with more pairs at lower power
each, under a fixed electrical budget); Dar, Winzer et al., "Cost-optimized submarine
cables using massive spatial parallelism", JLT 36(18):3855 (2018) (optimum in pairs × power);
Krause Perin et al., JLT 37(9):2076 (2019); Downie, Proc. SPIE 12429 (2023) (optimum GSNR
and span loss for a fixed link length).

Capacity per fibre pair (one direction) is the Shannon bound over the band with ASE and
incoherent-GN NLI accumulated over the spans: C = 2·B·log2(1 + SNR/Γ) with

    SNR = G / (N_span · (NF·h·ν·A + η·G³)),   G = P_out / B                [PSD, W/Hz]

(ASE: the span loss A restored by each amplifier; η: Poggiolini's closed form for a fully
loaded Nyquist-WDM band, JLT 30(24):3857 (2012) eq. (15)/(41), per span, incoherent sum).
Vectorised over the whole grid (fibre pairs × spacing × output power); no loop over designs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import constants

from .config import PowerConfig, TradeSpace
from .feeding import line_voltage_v
from .repeater import repeater_power_w

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_NU_HZ = constants.c / 1550e-9


def nli_coefficient_per_w2_hz2(span_km: npt.ArrayLike, trade: TradeSpace) -> FloatArray:
    """GN-model NLI coefficient of one span for a flat, fully loaded band [1/(W²·Hz⁻²)·Hz⁻¹].

    G_NLI = η·G³ with (Poggiolini, JLT 30(24) 2012, eq. (15), Nyquist-WDM, one span)

        η = (8/27) γ² L_eff² · asinh((π²/2)·|β2|·L_eff,a·B²) / (π·|β2|·L_eff,a),

    L_eff = (1 − e^{−αL})/α, L_eff,a = 1/α (α the power attenuation), β2 = −D λ²/(2π c).

    Parameters
    ----------
    span_km : array_like
        Span length [km].
    trade : TradeSpace
        Fibre and band (loss, dispersion, γ, bandwidth).
    """
    alpha_per_m = trade.loss_db_per_km * np.log(10.0) / 10.0 / 1e3
    length_m = np.asarray(span_km, float) * 1e3
    l_eff = -np.expm1(-alpha_per_m * length_m) / alpha_per_m
    l_eff_a = 1.0 / alpha_per_m
    d_s_per_m2 = trade.dispersion_ps_per_nm_km * 1e-12 / 1e-9 / 1e3
    beta2 = max(d_s_per_m2 * (1550e-9) ** 2 / (2.0 * np.pi * constants.c), 1e-30)
    gamma = trade.gamma_per_w_km / 1e3
    band = trade.bandwidth_thz * 1e12
    asinh = np.arcsinh(0.5 * np.pi**2 * beta2 * l_eff_a * band**2)
    return np.asarray((8.0 / 27.0) * gamma**2 * l_eff**2 * asinh / (np.pi * beta2 * l_eff_a),
                      float)


def shannon_per_fibre_pair_bps(output_power_dbm: npt.ArrayLike, span_km: npt.ArrayLike,
                               spans: npt.ArrayLike, trade: TradeSpace) -> tuple[FloatArray,
                                                                                  FloatArray]:
    """Shannon capacity of one fibre pair (one direction) and its SNR (broadcasting).

    Parameters
    ----------
    output_power_dbm : array_like
        Total signal output of every amplifier, flat over the band [dBm].
    span_km : array_like
        Span length [km].
    spans : array_like
        Number of amplified spans (repeaters + 1: the receive terminal's amplifier closes the
        last span).
    trade : TradeSpace

    Returns
    -------
    capacity_bps, snr_db : ndarray
        C = 2·B·log2(1 + SNR/Γ) [b/s] (dual polarisation) and SNR [dB] (module docstring).
    """
    band = trade.bandwidth_thz * 1e12
    psd = 1e-3 * np.power(10.0, np.asarray(output_power_dbm, float) / 10.0) / band
    loss_lin = np.power(10.0, trade.loss_db_per_km * np.asarray(span_km, float) / 10.0)
    nf = 10.0 ** (trade.noise_figure_db / 10.0)
    ase = nf * constants.h * _NU_HZ * loss_lin  # ASE PSD per span, both polarisations [W/Hz]
    eta = nli_coefficient_per_w2_hz2(span_km, trade)
    snr = psd / (np.asarray(spans, float) * (ase + eta * psd**3))
    gap = 10.0 ** (trade.implementation_gap_db / 10.0)
    cap = 2.0 * band * np.log2(1.0 + snr / gap)
    return np.asarray(cap, float), np.asarray(10.0 * np.log10(snr), float)


@dataclass(frozen=True)
class PowerTrade:
    """The best design under the PFE limit for each fibre-pair count of the grid.

    Arrays are over fibre pairs (the first axis of the grid). ``cable_capacity_tbps`` is the
    best feasible N_fp·C_fp; ``unconstrained_tbps`` the best with no PFE limit (each pair at its
    own optimum), so ``power_limited`` marks where the feed voltage binds.
    """

    cable_length_km: float
    ohm_per_km: float
    usable_v_per_end: float
    feeding: str
    fibre_pairs: IntArray
    cable_capacity_tbps: FloatArray
    capacity_per_pair_tbps: FloatArray
    span_km: FloatArray
    repeaters: IntArray
    output_power_dbm: FloatArray
    snr_db: FloatArray
    repeater_power_w: FloatArray
    pfe_v_per_end: FloatArray
    unconstrained_tbps: FloatArray
    feasible: npt.NDArray[np.bool_]
    grid_points: int
    notes: tuple[str, ...] = field(default=())

    @property
    def power_limited(self) -> npt.NDArray[np.bool_]:
        """Where the PFE limit costs more than 1 % of the unconstrained capacity."""
        return np.asarray(self.feasible & (self.cable_capacity_tbps
                                           < 0.99 * self.unconstrained_tbps))

    @property
    def best_index(self) -> int | None:
        """Index of the fibre-pair count with the highest feasible cable capacity."""
        if not self.feasible.any():
            return None
        cap = np.where(self.feasible, self.cable_capacity_tbps, -np.inf)
        return int(np.argmax(cap))

    def row(self, i: int) -> dict[str, Any]:
        return {
            "fibre_pairs": int(self.fibre_pairs[i]),
            "feasible": bool(self.feasible[i]),
            "cable_capacity_tbps": float(self.cable_capacity_tbps[i]),
            "capacity_per_fibre_pair_tbps": float(self.capacity_per_pair_tbps[i]),
            "span_km": float(self.span_km[i]),
            "repeaters": int(self.repeaters[i]),
            "output_power_dbm": float(self.output_power_dbm[i]),
            "snr_db": float(self.snr_db[i]),
            "repeater_power_w": float(self.repeater_power_w[i]),
            "pfe_v_per_end": float(self.pfe_v_per_end[i]),
            "unconstrained_tbps": float(self.unconstrained_tbps[i]),
            "power_limited": bool(self.power_limited[i]),
        }

    def row_for(self, fibre_pairs: int) -> dict[str, Any] | None:
        hit = np.flatnonzero(self.fibre_pairs == fibre_pairs)
        return self.row(int(hit[0])) if hit.size else None

    def to_dict(self) -> dict[str, Any]:
        best = self.best_index
        return {
            "cable_length_km": self.cable_length_km,
            "ohm_per_km": self.ohm_per_km,
            "usable_v_per_end": self.usable_v_per_end,
            "feeding": self.feeding,
            "grid_points": self.grid_points,
            "best": None if best is None else self.row(best),
            "by_fibre_pairs": [self.row(i) for i in range(self.fibre_pairs.size)],
            "notes": list(self.notes),
        }


def _grid(a: float, b: float, step: float) -> FloatArray:
    n = int(np.floor((b - a) / step + 1e-9)) + 1
    return np.asarray(a + step * np.arange(n), float)


def power_limited_design(cfg: PowerConfig, cable_length_km: float,
                         ohm_per_km: float | None = None) -> PowerTrade:
    """The capacity-maximising fibre pairs × output × spacing under the PFE limit.

    Parameters
    ----------
    cfg : PowerConfig
        PFE rating and margin, line current, earth allowance, repeater model and the grid.
    cable_length_km : float
        Cable length [km].
    ohm_per_km : float, optional
        Mean conductor resistance [Ω/km]; default: the main cable type's.

    Returns
    -------
    PowerTrade
        Feasible = each end's voltage within the usable rating (double-end feeding unless
        ``cfg.feeding`` is ``single_end``). Spacing is rounded to a whole number of spans.
    """
    t = cfg.trade
    r = cfg.conductor_resistance_ohm_per_km[cfg.main_cable_type] if ohm_per_km is None \
        else float(ohm_per_km)
    pairs = np.arange(t.fibre_pairs[0], t.fibre_pairs[1] + 1, dtype=np.int64)
    spans = np.unique(np.maximum(np.ceil(cable_length_km / _grid(*t.span_km)), 1.0))
    span_len = cable_length_km / spans
    p_dbm = _grid(*t.output_power_dbm)
    k = pairs[:, None, None].astype(float)
    n_span = spans[None, :, None]
    n_rep = n_span - 1.0
    p = p_dbm[None, None, :]
    cap_fp, snr_db = shannon_per_fibre_pair_bps(p, span_len[None, :, None], n_span, t)
    cap = k * cap_fp / 1e12  # (K, S, P) cable capacity [Tb/s]
    p_rep = repeater_power_w(p, k, cfg.repeater)  # (K, 1, P)
    v_rep = p_rep / cfg.line_current_a if cfg.repeater_voltage_drop_v is None else \
        np.full_like(p_rep, cfg.repeater_voltage_drop_v)
    total = line_voltage_v(cable_length_km, r, cfg.line_current_a, n_rep, v_rep,
                           cfg.earth_potential_v_per_km)
    mode = "single_end" if cfg.feeding == "single_end" else "double_end"
    per_end = total if mode == "single_end" else 0.5 * total
    ok = per_end <= cfg.usable_v_per_end
    shape = (pairs.size, spans.size * p_dbm.size)
    flat_ok = ok.reshape(shape)
    flat_cap = np.broadcast_to(cap, ok.shape).reshape(shape)
    masked = np.where(flat_ok, flat_cap, -np.inf)
    j = np.argmax(masked, axis=1)
    feasible = flat_ok[np.arange(pairs.size), j]
    si, pi = np.unravel_index(j, (spans.size, p_dbm.size))
    rows = np.arange(pairs.size)
    snr_b = np.broadcast_to(snr_db, ok.shape)
    per_end_b = np.broadcast_to(per_end, ok.shape)
    p_rep_b = np.broadcast_to(p_rep, ok.shape)
    notes = []
    if p_dbm[-1] > 0 and bool(feasible.any()):
        top = np.flatnonzero(feasible & (pi == p_dbm.size - 1))
        if top.size:
            notes.append(f"the best output power sits on the grid's top ({p_dbm[-1]:g} dBm) for "
                         f"{top.size} fibre-pair counts: widen power.trade.output_power_dbm")
    if bool(feasible.any()) and span_len.size > 1:
        short = np.flatnonzero(feasible & (si == span_len.size - 1))
        if short.size:
            notes.append(f"the best spacing is the grid's shortest ({span_len[-1]:.1f} km) for "
                         f"{short.size} fibre-pair counts: capacity alone favours more repeaters; "
                         "their cost and reliability set the real spacing (Dar et al. 2018)")
    if bool(feasible[-1]) and pairs.size > 1 and int(np.argmax(np.where(
            feasible, flat_cap[rows, j], -np.inf))) == pairs.size - 1:
        notes.append(f"capacity still grows at the grid's last fibre-pair count ({pairs[-1]}): "
                     "the optimum is set by the cable's fibre count, not by power")
    return PowerTrade(
        cable_length_km=float(cable_length_km), ohm_per_km=float(r),
        usable_v_per_end=float(cfg.usable_v_per_end), feeding=mode,
        fibre_pairs=pairs,
        cable_capacity_tbps=np.where(feasible, flat_cap[rows, j], 0.0),
        capacity_per_pair_tbps=np.where(feasible, flat_cap[rows, j] / pairs, 0.0),
        span_km=span_len[si], repeaters=(spans[si] - 1).astype(np.int64),
        output_power_dbm=p_dbm[pi], snr_db=snr_b.reshape(shape)[rows, j],
        repeater_power_w=p_rep_b.reshape(shape)[rows, j],
        pfe_v_per_end=per_end_b.reshape(shape)[rows, j],
        unconstrained_tbps=flat_cap.max(axis=1),
        feasible=np.asarray(feasible, bool),
        grid_points=int(ok.size), notes=tuple(notes))
