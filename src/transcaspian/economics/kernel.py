"""The business case as one vectorised kernel over leading (sample or design) axes.

:func:`evaluate_batch` takes a :class:`CaseArrays` whose fields broadcast over a leading
sample axis ``S`` (scalars broadcast too) and returns, per sample, the yearly revenue by
member and product, CAPEX (build + SLTE upgrades), OPEX, cash flow and NPV. Years run
``0..L``: year 0 is the build (CAPEX, no revenue), years 1..L the design life.

The yearly logic (Sections 2-3 of the issue):

- demand on the line ``D(t) = m * (terminating_0 + transit_0) * G(t)``, ``m`` the market share and
  ``G`` the growth from the network stage's base year (network growth up to its horizon, the
  scenario's long-run growth after);
- deliverable volume (bounded by the corridor onward of the line, :func:`deliverable_factor`)
  ``V(t) = m * (terminating_0 + transit_0) * sum_q s_q min(G(t), rho_q (1 + k)^t)``: the line's
  base-year flow split into groups ``q`` of paths sharing one bottleneck onward link, with
  share ``s_q``, headroom ``rho_q`` (1 / the link's base-year utilisation) and the onward lit
  capacity growing at ``k`` per year (``network.onward_capacity_growth_per_year``). A full
  link shares its capacity pro rata among all the traffic that wants it, so the line's part
  grows with the link's capacity, not with demand. ``V <= D`` always, and ``V = D`` when the
  onward links never fill (``rho = inf``: no network result);
- sold capacity ``min(V, C)`` with ``C`` the optics stage's design capacity: never more than the
  design carries; the first year with ``V > C`` is reported (and the first year with ``V < D``);
- lit wavelengths ``W(t) = max(W_0, ceil(sold / R))`` non-decreasing, lit pairs
  ``ceil(W / n_ch)``; new transponders and pair equipment are CAPEX in the year they are needed,
  at unit costs falling by ``equipment_decline`` per year;
- lease revenue = volume / unit x monthly price x 12 x (1 - erosion)^t x (1 - SLA credit);
  IRU revenue = new units x upfront price x (1 - erosion)^t, plus O&M as a fraction of the
  upfront of the IRUs in force (each lasts its term, then its capacity is sold again);
- NPV = sum_t CF_t / (1 + r)^t (year 0 undiscounted, as numpy-financial's ``npv``).

Each member sells ``share x`` the line's volume at its own prices and mix; the project is the
sum of its members. Costs are split by share, except the landing items of each side, which are
split among the members of that side's country (weights in ``side_weights``).

Samples are processed in chunks so that 10^5 samples stay within a few tens of MB.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

#: samples per chunk in :func:`evaluate_batch` (memory ~ chunk x members x products x years)
CHUNK = 4096


@dataclass(frozen=True)
class CaseArrays:
    """Inputs of the kernel. Per-sample fields broadcast to ``(S,)`` (or ``(S, M, P)``,
    ``(S, 2)``); structural fields (years, product constants, member weights) are shared."""

    # structure (shared by every sample)
    years_since_base: Array  # (T,) years from the network base year, per model year
    horizon_offset: float  # network horizon - base year [yr]
    is_iru: npt.NDArray[np.bool_]  # (P,)
    unit_gbps: Array  # (P,)
    iru_term_years: Array  # (P,)
    share: Array  # (M,)
    side_weights: Array  # (M, 2) members' split of side A / side B items
    # per sample
    capex_shared: Array  # (S,) build CAPEX shared by share
    capex_side: Array  # (S, 2) build CAPEX of the A / B landing
    opex_shared: Array  # (S,) fixed yearly OPEX shared by share
    opex_side: Array  # (S, 2)
    capex_scale: Array  # (S,) multiplier on every CAPEX (build and upgrades)
    pair_upgrade_cost: Array  # (S,) per newly lit fibre pair
    wavelength_cost: Array  # (S,) per newly lit wavelength
    equipment_decline: Array  # (S,) yearly fall of the upgrade unit costs [fraction/yr]
    pair_power_cost: Array  # (S,) per lit pair per year
    wavelength_power_cost: Array  # (S,) per lit wavelength per year
    initial_wavelengths: Array  # (S,)
    channels_per_pair: Array  # (S,)
    wavelength_gbps: Array  # (S,)
    fibre_pairs: Array  # (S,)
    terminating_tbps: Array  # (S,) base-year terminating traffic on the line
    transit_tbps: Array  # (S,) base-year Baku-transit traffic on the line
    growth: Array  # (S,) up to the horizon
    growth_after: Array  # (S,) after the horizon
    market_share: Array  # (S,)
    mix_transit: Array  # (S, M, P) share of the Baku-transit pool per member and product
    mix_terminating: Array  # (S, M, P) share of the terminating pool
    lease_price_month: Array  # (S, M, P)
    iru_price: Array  # (S, M, P)
    iru_om_fraction: Array  # (S, M, P)
    erosion: Array  # (S, M, P)
    sla_credit_fraction: Array  # (S,)
    discount_rate: Array  # (S,)
    onward_share: Array = field(default_factory=lambda: np.ones(1))
    """(S, Q) share of the line's base-year flow in each onward path group [1] (sums to 1)."""
    onward_headroom: Array = field(default_factory=lambda: np.full(1, np.inf))
    """(S, Q) growth factor of each group's bottleneck link before it is full [1] (>= 1;
    ``inf``: unbounded)."""
    capacity_growth: Array = field(default_factory=lambda: np.array(0.0))
    """(S,) yearly growth of the onward links' lit capacity [fraction/yr]."""

    @property
    def n_samples(self) -> int:
        """Samples: the leading axis of the fields that have one (1 if none has)."""
        lead = [
            np.shape(getattr(self, f))[0]
            for f in SAMPLE_FIELDS
            if np.ndim(getattr(self, f)) == 1 + len(_TAIL[f](self))
        ]
        return int(np.broadcast_shapes(*((n,) for n in lead), (1,))[0])

    def broadcast(self, n: int) -> CaseArrays:
        """Every per-sample field broadcast to ``n`` samples."""
        out = {}
        for f in SAMPLE_FIELDS:
            v = np.asarray(getattr(self, f), dtype=float)
            tail = _TAIL[f]
            out[f] = np.broadcast_to(v, (n, *tail(self)))
        return replace(self, **out)  # type: ignore[arg-type]

    def take(self, sl: slice) -> CaseArrays:
        return replace(self, **{f: getattr(self, f)[sl] for f in SAMPLE_FIELDS})


_STRUCT = {
    "years_since_base", "horizon_offset", "is_iru", "unit_gbps",
    "iru_term_years", "share", "side_weights",
}
SAMPLE_FIELDS = tuple(f.name for f in fields(CaseArrays) if f.name not in _STRUCT)
_TAIL: dict[str, Any] = {f: (lambda c: ()) for f in SAMPLE_FIELDS}
_TAIL.update({f: (lambda c: (2,)) for f in ("capex_side", "opex_side")})
_TAIL.update(
    {f: (lambda c: (np.shape(c.onward_share)[-1],)) for f in ("onward_share", "onward_headroom")}
)
_TAIL.update(
    {
        f: (lambda c: (c.share.size, c.unit_gbps.size))
        for f in (
            "mix_transit", "mix_terminating", "lease_price_month", "iru_price",
            "iru_om_fraction", "erosion",
        )
    }
)


@dataclass(frozen=True)
class BatchResult:
    """Kernel outputs over ``S`` samples, ``M`` members, ``P`` products, ``T`` years."""

    npv: Array  # (S,)
    exhausted_year_index: npt.NDArray[np.int64]  # (S,) first year deliverable > design; -1 never
    revenue: Array | None = None  # (S, M, P, T)
    capex: Array | None = None  # (S, T) project
    opex: Array | None = None  # (S, T) project
    cash_flow: Array | None = None  # (S, T) project
    member_cash_flow: Array | None = None  # (S, M, T)
    member_capex: Array | None = None  # (S, M, T)
    member_opex: Array | None = None  # (S, M, T)
    onward_capped_year_index: npt.NDArray[np.int64] | None = None
    """(S,) first year the onward corridor holds the line below its demand; -1 never."""
    demand_tbps: Array | None = None  # (S, T) demand wanting the line
    deliverable_tbps: Array | None = None  # (S, T) bounded by the onward corridor
    onward_limit_tbps: Array | None = None  # (S, T) what the onward links leave for the line
    sold_tbps: Array | None = None  # (S, T)
    lit_wavelengths: Array | None = None  # (S, T)
    lit_pairs: Array | None = None  # (S, T)


def growth_factor(c: CaseArrays) -> Array:
    """Traffic relative to the network base year, per sample and model year (S, T)."""
    t = c.years_since_base[None, :]
    h = c.horizon_offset
    before = np.clip(t, None, h)
    after = np.clip(t - h, 0.0, None)
    return (1.0 + c.growth[:, None]) ** before * (1.0 + c.growth_after[:, None]) ** after


def deliverable_factor(c: CaseArrays, g: Array, limit: bool = True) -> tuple[Array, Array | None]:
    """Traffic the corridor can deliver to and from the line, relative to its base-year flow.

    Parameters
    ----------
    c : CaseArrays
        ``onward_share`` ``s_q`` and ``onward_headroom`` ``rho_q`` (S, Q) [1],
        ``capacity_growth`` ``k`` (S,) [fraction/yr], ``years_since_base`` ``t`` (T,) [yr].
    g : numpy.ndarray
        Demand growth factor ``G(t)`` (S, T) [1] (:func:`growth_factor`).
    limit : bool
        Also return the onward limit (``None`` otherwise: the NPV-only path needs none).

    Returns
    -------
    deliverable : numpy.ndarray
        ``sum_q s_q min(G(t), rho_q (1 + k)^t)`` (S, T) [1]: each group of the line's paths
        grows with demand until its bottleneck onward link is full, then with that link's
        capacity (the link's capacity shared pro rata among everything that wants it).
    limit : numpy.ndarray
        ``sum_q s_q rho_q (1 + k)^t`` (S, T) [1]: what the onward links would let through for
        the line with unlimited demand (``inf`` when a group has no bound).

    Notes
    -----
    One loop over the few groups ``Q``; every array is (S, T), so 10^5 samples cost no more
    memory than the demand itself.
    """
    head = c.onward_headroom
    if np.all(np.isinf(head)):  # nothing bounds the line (no network result)
        return g.copy(), (np.full_like(g, np.inf) if limit else None)
    cap_growth = (1.0 + c.capacity_growth[:, None]) ** c.years_since_base[None, :]  # (S, T)
    deliver = np.zeros_like(g)
    lim = np.zeros_like(g) if limit else None
    bound = np.empty_like(g)
    for q in range(c.onward_share.shape[1]):
        s = c.onward_share[:, q, None]
        np.multiply(head[:, q, None], cap_growth, out=bound)
        if lim is not None:
            with np.errstate(invalid="ignore"):  # 0 x inf of an empty group
                lim += np.where(s > 0.0, s * bound, 0.0)
        np.minimum(g, bound, out=bound)
        bound *= s
        deliver += bound
    return deliver, lim


def _capacity(c: CaseArrays, demand: Array) -> tuple[Array, Array, Array, Array]:
    """Sold Tbit/s, lit wavelengths and pairs (non-decreasing), design capacity (S, T)."""
    cap = (c.fibre_pairs * c.channels_per_pair * c.wavelength_gbps / 1000.0)[:, None]
    sold = np.minimum(demand, cap)
    need = np.ceil(sold * 1000.0 / c.wavelength_gbps[:, None] - 1e-9)
    need[:, 0] = 0.0
    lit = np.maximum.accumulate(np.maximum(need, c.initial_wavelengths[:, None]), axis=1)
    pairs = np.ceil(lit / c.channels_per_pair[:, None] - 1e-9)
    return sold, lit, pairs, np.broadcast_to(cap, sold.shape)


def _iru_sales(volume: Array, term: Array) -> Array:
    """New IRU volume per year (…, P, T): demand not covered by IRUs still in force
    (each lasts ``term`` years; the in-force volume is updated as a running sum)."""
    new = np.zeros_like(volume)
    in_force = np.zeros(volume.shape[:-1])
    term_i = term.astype(int)
    for t in range(volume.shape[-1]):
        if t > 0:
            in_force += new[..., t - 1]
        for p, k in enumerate(term_i):
            if t - k >= 0:
                in_force[..., p] -= new[..., p, t - k]
        new[..., t] = np.maximum(volume[..., t] - in_force, 0.0)
    return new


def _revenue(c: CaseArrays, sold: Array, demand: Array) -> Array:
    """Revenue (S, M, P, T) from each member's share of the sold volume."""
    scale = np.divide(sold, demand, out=np.zeros_like(sold), where=demand > 0)
    g = growth_factor(c)
    # base-year volume per member and product [Tbit/s]: pools x mix x share x market share
    base = (
        c.transit_tbps[:, None, None] * c.mix_transit
        + c.terminating_tbps[:, None, None] * c.mix_terminating
    ) * (c.share[None, :, None] * c.market_share[:, None, None])
    vol = base[..., None] * (g * scale)[:, None, None, :]
    vol[..., 0] = 0.0
    units = vol * (1000.0 / c.unit_gbps)[None, None, :, None]
    t = np.arange(sold.shape[1], dtype=float)
    price_idx = (1.0 - c.erosion[..., None]) ** t  # (S, M, P, T)
    lease = units * c.lease_price_month[..., None] * 12.0 * price_idx
    lease *= (1.0 - c.sla_credit_fraction)[:, None, None, None]
    rev = np.where(c.is_iru[None, None, :, None], 0.0, lease)
    if c.is_iru.any():
        k = np.flatnonzero(c.is_iru)
        new = _iru_sales(units[:, :, k, :], c.iru_term_years[k])
        upfront = new * c.iru_price[:, :, k, None] * price_idx[:, :, k, :]
        om = np.zeros_like(upfront)
        cum = np.cumsum(upfront, axis=-1)
        for j, p in enumerate(k):
            term = int(c.iru_term_years[p])
            shifted = np.zeros_like(cum[:, :, j, :])
            shifted[..., term:] = cum[:, :, j, :-term] if term < cum.shape[-1] else 0.0
            om[:, :, j, :] = (cum[:, :, j, :] - shifted) * c.iru_om_fraction[:, :, p, None]
        rev[:, :, k, :] = upfront + om
    return rev


def _horner(coef: Array, x: Array) -> Array:
    """sum_t coef[..., t] x^t by Horner's rule (coef broadcasts against x on leading axes)."""
    acc = np.broadcast_to(coef[..., -1], np.broadcast_shapes(coef.shape[:-1], x.shape)).copy()
    for t in range(coef.shape[-1] - 2, -1, -1):
        acc *= x
        acc += coef[..., t]
    return acc


def _pv_revenue(c: CaseArrays, gs: Array, disc: Array) -> Array:
    """Present value of all revenue per sample (S,) without (S, M, P, T) arrays.

    Revenue of a member and product is ``A_mp x gs_t x (1 - e_mp)^t`` (leases) or its IRU
    analogue, with ``gs`` the growth x cap factor, so the discounted sum over years is a
    polynomial in ``x = 1 - e`` evaluated by Horner's rule; IRU sales are homogeneous in the
    volume and are computed once per product on ``gs``. Same result as summing
    :func:`_revenue` (tested).
    """
    base = (
        c.transit_tbps[:, None, None] * c.mix_transit
        + c.terminating_tbps[:, None, None] * c.mix_terminating
    ) * (c.share[None, :, None] * c.market_share[:, None, None])
    units = base * (1000.0 / c.unit_gbps)[None, None, :]  # per unit of gs
    x = 1.0 - c.erosion
    lease = _horner((disc * gs)[:, None, None, :], x)
    pv = (units * c.lease_price_month * 12.0 * lease
          * (1.0 - c.sla_credit_fraction)[:, None, None])
    pv = np.where(c.is_iru[None, None, :], 0.0, pv).sum(axis=(1, 2))
    for p in np.flatnonzero(c.is_iru):
        term = int(c.iru_term_years[p])
        n = _iru_sales(gs[:, None, :], np.array([term]))[:, 0, :]  # (S, T)
        cum = np.concatenate([np.zeros((gs.shape[0], 1)), np.cumsum(disc, axis=1)], axis=1)
        t_idx = np.arange(gs.shape[1])
        hi = np.minimum(t_idx + term, gs.shape[1])
        window = cum[:, hi] - cum[:, t_idx]  # sum of discount factors while in force
        h1 = _horner((n * disc)[:, None, :], x[:, :, p])
        h2 = _horner((n * window)[:, None, :], x[:, :, p])
        pv += (units[:, :, p] * c.iru_price[:, :, p]
               * (h1 + c.iru_om_fraction[:, :, p] * h2)).sum(axis=1)
    return np.asarray(pv)


def _evaluate_chunk(c: CaseArrays, detail: bool) -> BatchResult:
    n_t = c.years_since_base.size
    g = growth_factor(c)
    base = (c.market_share * (c.terminating_tbps + c.transit_tbps))[:, None]
    demand = base * g
    demand[:, 0] = 0.0
    deliver_f, limit_f = deliverable_factor(c, g, limit=detail)
    deliver = np.minimum(base * deliver_f, demand)  # (guards rounding: never above demand)
    deliver[:, 0] = 0.0
    sold, lit, pairs, cap = _capacity(c, deliver)
    upgrade = np.zeros_like(sold)
    upgrade[:, 1:] = (np.diff(lit, axis=1) * c.wavelength_cost[:, None]
                      + np.diff(pairs, axis=1) * c.pair_upgrade_cost[:, None])
    upgrade *= c.capex_scale[:, None] * (1.0 - c.equipment_decline[:, None]) ** np.arange(n_t)
    ops = (np.arange(n_t) > 0).astype(float)[None, :]
    var_opex = (lit * c.wavelength_power_cost[:, None] + pairs * c.pair_power_cost[:, None]) * ops
    disc = (1.0 + c.discount_rate[:, None]) ** -np.arange(n_t, dtype=float)[None, :]
    over = deliver > cap + 1e-12
    exhausted = np.where(over.any(axis=1), over.argmax(axis=1), -1)
    held = deliver < demand * (1.0 - 1e-9) - 1e-12
    capped = np.where(held.any(axis=1), held.argmax(axis=1), -1)
    if not detail:
        build = (c.capex_shared + c.capex_side.sum(axis=1)) * c.capex_scale
        fixed = (c.opex_shared + c.opex_side.sum(axis=1))[:, None] * ops
        pv_cost = build + ((upgrade + fixed + var_opex) * disc).sum(axis=1)
        scale = np.divide(sold, demand, out=np.zeros_like(sold), where=demand > 0)
        gs = g * scale
        gs[:, 0] = 0.0
        return BatchResult(npv=_pv_revenue(c, gs, disc) - pv_cost,
                           exhausted_year_index=exhausted, onward_capped_year_index=capped)
    rev = _revenue(c, sold, demand)
    # cost classes (S, 3, T): shared, side A, side B
    capex_cls = np.zeros((sold.shape[0], 3, n_t))
    capex_cls[:, 0, 0] = c.capex_shared * c.capex_scale
    capex_cls[:, 1:, 0] = c.capex_side * c.capex_scale[:, None]
    capex_cls[:, 0, :] += upgrade
    opex_cls = np.concatenate([c.opex_shared[:, None], c.opex_side], axis=1)[:, :, None] * ops
    opex_cls[:, 0, :] += var_opex
    weights = np.concatenate([c.share[:, None], c.side_weights], axis=1)  # (M, 3)
    m_capex = np.einsum("mk,skt->smt", weights, capex_cls)
    m_opex = np.einsum("mk,skt->smt", weights, opex_cls)
    m_cash = rev.sum(axis=2) - m_capex - m_opex
    capex = capex_cls.sum(axis=1)
    opex = opex_cls.sum(axis=1)
    cash = rev.sum(axis=(1, 2)) - capex - opex
    npv = (cash * disc).sum(axis=1)
    assert limit_f is not None
    limit = base * limit_f
    limit[:, 0] = 0.0
    return BatchResult(
        npv=npv, exhausted_year_index=exhausted, onward_capped_year_index=capped, revenue=rev,
        capex=capex, opex=opex, cash_flow=cash, member_cash_flow=m_cash, member_capex=m_capex,
        member_opex=m_opex, demand_tbps=demand, deliverable_tbps=deliver,
        onward_limit_tbps=limit, sold_tbps=sold, lit_wavelengths=lit, lit_pairs=pairs,
    )


def evaluate_batch(case: CaseArrays, detail: bool = False) -> BatchResult:
    """Evaluate the business case for every sample of ``case`` (vectorised, chunked).

    Parameters
    ----------
    case : CaseArrays
        Inputs; per-sample fields broadcast over the leading axis.
    detail : bool
        Also return the yearly arrays (revenue, CAPEX, OPEX, cash flows, capacity).

    Returns
    -------
    BatchResult
    """
    n = case.n_samples
    full = case.broadcast(n)
    step = CHUNK if detail else 4 * CHUNK  # the NPV-only path holds no (S, M, P, T) arrays
    parts = [_evaluate_chunk(full.take(slice(i, i + step)), detail) for i in range(0, n, step)]
    if len(parts) == 1:
        return parts[0]
    merged: dict[str, Any] = {}
    for f in fields(BatchResult):
        vals = [getattr(p, f.name) for p in parts]
        merged[f.name] = None if vals[0] is None else np.concatenate(vals, axis=0)
    return BatchResult(**merged)
