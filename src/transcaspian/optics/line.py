"""Propagation of a WDM comb through an explicit line: signal, ASE and NLI per channel.

:func:`evaluate_line` is the entry point for a :class:`~transcaspian.optics.linecase.LineCase`.
It is vectorised over launch powers (leading axes) and channels (last axis). Bookkeeping follows
GNPy's conventions (``../docs/line_case_format.md``): NLI of a span is computed at its input
from the total channel power and booked as a power transfer out of signal and ASE; an EDFA adds
NF h f R_s referred to its input.

References
----------
.. [1] P. Poggiolini et al., JLT 32(4):694-721, 2014 (GN model; SNR definitions eq. 3).
.. [2] A. Carena, G. Bosco, V. Curri et al., "Modeling of the impact of nonlinear propagation
   effects in uncompensated optical coherent transmission links", and V. Curri et al.,
   "Extension and validation of the GN model for non-linear interference to uncompensated
   links using Raman amplification", Opt. Express 21(3):3308-3317, 2013 (NLI of a span with an
   arbitrary power profile scales with ∫ p(z)² dz in the high-dispersion limit).
.. [3] D. Semrau, R. I. Killey, P. Bayvel, JLT 37(9):1924-1936, 2019 (ISRS GN closed form).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from scipy import constants

from ..errors import OpticsError
from ..units import FloatArray
from . import fibre as fib
from .amplifiers import RopaResponse, raman_profile, ropa_response, spontaneous_occupancy
from .elements import FibreSection, FibreType
from .ggn import GgnSpan, build_ggn_span
from .linecase import AmplifierElement, FibreElement, Gff, GffElement, LineCase, RopaElement
from .nli import (
    effective_length_m,
    gn_eta,
    isrs_eta_parts,
    isrs_power_ratio,
    isrs_t,
)
from .raman import nli_profile_ratio
from .raman_span import MAX_RAMAN_ON_OFF_GAIN_DB, Pump, PumpedSpan, pumped_span

__all__ = [
    "SPAN_CACHE",
    "LineResult",
    "SpanCache",
    "channel_frequencies_hz",
    "evaluate_line",
    "launch_offsets_db",
]

#: Reference bandwidth of OSNR [Hz] (0.1 nm at 1550 nm).
OSNR_REF_BANDWIDTH_HZ: float = 12.5e9
_SAMPLES_PER_FIBRE = 41
#: Lines per chunk of a large batch without profiles (working set ~ 1-2 MB, cache-sized).
_CHUNK_LINES = 256


def channel_frequencies_hz(case_spectrum: Any) -> FloatArray:
    """Centre frequencies of the spectrum's (lit) channels [Hz]; with a band plan, the
    channels of its bands on the common grid."""
    idx = np.asarray(case_spectrum.grid_indices, dtype=float)
    return np.asarray(case_spectrum.first_channel_thz * 1e12
                      + idx * case_spectrum.spacing_ghz * 1e9)


def tilt_ramp(n: int) -> FloatArray:
    """Shape of a linear launch tilt over ``n`` channels: −0.5 … +0.5 (one channel: 0) [-]."""
    return np.linspace(-0.5, 0.5, n) if n > 1 else np.zeros(1)


def launch_offsets_db(case_spectrum: Any) -> FloatArray:
    """Per-channel launch offsets from tilt and pre-emphasis [dB], shape (n,)."""
    off = case_spectrum.tilt_db * tilt_ramp(case_spectrum.n_channels)
    if case_spectrum.preemphasis_db is not None:
        off = off + np.asarray(case_spectrum.preemphasis_db, dtype=float)
    return np.asarray(off, dtype=float)


@dataclass(frozen=True)
class LineResult:
    """Per-channel quality of transmission at the end of a line.

    Arrays have the launch-power shape as leading axes and channels on the last axis.
    Profiles (``profile_*``) give the channel-averaged power [dBm] at ``profile_distance_km``.
    """

    name: str
    nli_model: str
    frequency_thz: FloatArray
    launch_power_dbm: FloatArray
    signal_power_dbm: FloatArray
    ase_power_dbm: FloatArray
    nli_power_dbm: FloatArray
    snr_ase_db: FloatArray
    snr_nli_db: FloatArray
    gsnr_db: FloatArray
    osnr_ase_0p1nm_db: FloatArray
    gsnr_0p1nm_db: FloatArray
    symbol_rate_gbaud: float
    profile_distance_km: FloatArray
    profile_signal_dbm: FloatArray
    profile_ase_dbm: FloatArray
    profile_nli_dbm: FloatArray
    markers: tuple[tuple[float, str], ...] = field(default=())
    raman_spans: tuple[tuple[float, PumpedSpan], ...] = field(default=(), repr=False)
    #: (position [km], per-channel response) of every ROPA of the line.
    ropas: tuple[tuple[float, RopaResponse], ...] = field(default=(), repr=False)
    #: Per launch variant: a Raman-pumped fibre refused its pumps (the coupled equations do
    #: not converge, or the depleted on-off gain exceeds the 35 dB guard); its GSNR is NaN.
    refused: np.ndarray | None = field(default=None, repr=False)
    #: Why (one line per pumped fibre that refused some variant).
    refusal: tuple[str, ...] = ()

    @property
    def min_gsnr_db(self) -> FloatArray:
        """Worst channel's GSNR [dB], shape = launch shape."""
        return np.asarray(self.gsnr_db.min(axis=-1))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain Python (channels list for a scalar launch power)."""
        out: dict[str, Any] = {
            "name": self.name,
            "nli_model": self.nli_model,
            "symbol_rate_gbaud": self.symbol_rate_gbaud,
            "launch_power_dbm": self.launch_power_dbm.tolist(),
            "min_gsnr_db": self.min_gsnr_db.tolist(),
        }
        if self.refusal:
            out["refused"] = list(self.refusal)
        if self.gsnr_db.ndim == 1:
            out["channels"] = [
                {
                    "frequency_thz": float(self.frequency_thz[i]),
                    "gsnr_db": float(self.gsnr_db[i]),
                    "snr_ase_db": float(self.snr_ase_db[i]),
                    "snr_nli_db": float(self.snr_nli_db[i]),
                    "osnr_ase_0p1nm_db": float(self.osnr_ase_0p1nm_db[i]),
                    "signal_power_dbm": float(self.signal_power_dbm[i]),
                }
                for i in range(self.frequency_thz.size)
            ]
            out["profile"] = {
                "distance_km": self.profile_distance_km.tolist(),
                "signal_dbm": self.profile_signal_dbm.tolist(),
                "ase_dbm": self.profile_ase_dbm.tolist(),
                "nli_dbm": self.profile_nli_dbm.tolist(),
                "markers": [{"distance_km": d, "element": k} for d, k in self.markers],
            }
            if self.raman_spans:
                out["raman_spans"] = [{"position_km": round(d, 3), **r.to_dict()}
                                      for d, r in self.raman_spans]
        else:
            out["frequency_thz"] = self.frequency_thz.tolist()
            out["gsnr_db"] = self.gsnr_db.tolist()
            out["snr_ase_db"] = self.snr_ase_db.tolist()
            out["snr_nli_db"] = self.snr_nli_db.tolist()
        return out


@dataclass
class _State:
    """Mutable per-call propagation state (internal)."""

    sig: FloatArray
    ase: FloatArray
    nli: FloatArray
    position_km: float = 0.0
    prof_d: list[float] = field(default_factory=list)
    prof_s: list[FloatArray] = field(default_factory=list)
    prof_a: list[FloatArray] = field(default_factory=list)
    prof_n: list[FloatArray] = field(default_factory=list)
    markers: list[tuple[float, str]] = field(default_factory=list)
    profile: bool = True
    raman: list[tuple[float, PumpedSpan]] = field(default_factory=list)
    ropas: list[tuple[float, RopaResponse]] = field(default_factory=list)
    refused: np.ndarray | None = None
    refusal: list[str] = field(default_factory=list)
    work: tuple[FloatArray, ...] = ()  # scratch arrays of the state's shape (no profile)
    #: equalising amplifiers' output targets and input-referred ASE, by amplifier settings
    eq_targets: dict[tuple[float, float, float], tuple[FloatArray, FloatArray]] = field(
        default_factory=dict)

    def total(self) -> FloatArray:
        return self.sig + self.ase + self.nli

    def record(self, d_km: float, s: FloatArray, a: FloatArray, n: FloatArray) -> None:
        if not self.profile:
            return
        self.prof_d.append(d_km)
        self.prof_s.append(s)
        self.prof_a.append(a)
        self.prof_n.append(n)

    def profiles(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Distances (m,) and channel-mean signal/ASE/NLI (..., m) [W]."""
        if not self.prof_d:
            shape = (*self.sig.shape[:-1], 0)
            return np.zeros(0), np.zeros(shape), np.zeros(shape), np.zeros(shape)

        def stack(xs: list[FloatArray]) -> FloatArray:
            b = np.broadcast_arrays(*xs)
            return np.moveaxis(np.stack(b).mean(axis=-1), 0, -1)

        return np.asarray(self.prof_d), stack(self.prof_s), stack(self.prof_a), stack(self.prof_n)

    def scale(self, factor: FloatArray | float) -> None:
        if self.profile:  # the recorded profile holds the arrays: new ones
            self.sig = self.sig * factor
            self.ase = self.ase * factor
            self.nli = self.nli * factor
        else:  # nothing else holds them: in place
            self.sig *= factor
            self.ase *= factor
            self.nli *= factor


class SpanCache:
    """Bounded least-recently-used cache of the launch-independent matrices of fibre spans.

    A span's η matrices (GN, ISRS parts, generalised-GN kernels) depend only on its geometry,
    not on the launch power; a sweep or a design search evaluates the same spans many times.
    The key holds everything an entry depends on: the NLI model, the fibre type (every
    parameter; frozen input models compare by value), the section's length and extra loss,
    and the channel frequencies and symbol rates (their bytes). An entry is therefore a pure
    function of its key: sharing the cache between calls or scenarios changes the run time,
    never a result. Arrays in an entry are made read-only.

    Parameters
    ----------
    maxsize : int
        Most entries kept (least recently used dropped first). An ISRS entry of 96 channels
        holds three 96 × 96 matrices, ~0.2 MB.

    Notes
    -----
    :data:`SPAN_CACHE` is the instance :func:`evaluate_line` uses by default; pass
    ``span_cache=None`` to compute every span afresh, or your own instance to keep a sweep's
    entries apart. Thread-safe (one lock around the dictionary).
    """

    def __init__(self, maxsize: int = 64) -> None:
        if maxsize < 1:
            raise ValueError("SpanCache: maxsize must be at least 1")
        self.maxsize = int(maxsize)
        self.hits = 0
        self.misses = 0
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        """Drop every entry and reset the counters."""
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The entry for ``key``, built by ``build()`` (outside the lock) on a miss."""
        with self._lock:
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
                self.hits += 1
                return hit
            self.misses += 1
        value = build()
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value


#: The span cache :func:`evaluate_line` uses unless told otherwise (see :class:`SpanCache`).
SPAN_CACHE: SpanCache = SpanCache()


@dataclass(frozen=True)
class _Ctx:
    freq_hz: FloatArray
    rs_hz: FloatArray
    launch_w: FloatArray
    nli_model: str
    fibres: dict[str, FibreType]
    cache: dict[Any, Any] = field(default_factory=dict)
    shared: SpanCache | None = None
    grid_key: tuple[bytes, bytes, float, float] = (b"", b"", 0.0, 0.0)
    launch_total_w: FloatArray = field(default_factory=lambda: np.zeros(1))
    h_f_rs: FloatArray = field(default_factory=lambda: np.zeros(1))
    ones: FloatArray = field(default_factory=lambda: np.ones(1))  # (n,), for row sums


@dataclass(frozen=True)
class _Span:
    """Launch-power-independent quantities of one fibre section (cached per call).

    ``w1``, ``w2`` (stored transposed, [k, i]): for the ISRS model,
    η_ik = η_GN,ik (U_ik T_k + V_ik) / η_ref,ik
    = w1_ik T_k + w2_ik (see :func:`~transcaspian.optics.nli.isrs_eta_parts`).
    """

    alpha: FloatArray
    beta2: FloatArray
    gamma: FloatArray
    eta_gn: FloatArray
    w1: FloatArray | None
    w2: FloatArray | None
    a_mean: float
    l_eff: float
    cr: float
    z: FloatArray
    span_loss: FloatArray  # e^{-α L} per channel
    eta_gn_t: FloatArray  # η_GN transposed, C-contiguous (for p² @ η^T)
    f_dev: FloatArray  # f − mean(f) [Hz]
    ggn: GgnSpan | None = None  # generalised GN kernels (nli_model generalised_gn)
    # for the in-place update without profiles (:func:`_fast_fibre_step`)
    ones: FloatArray = field(default_factory=lambda: np.ones(1))  # (n,) for row sums
    two_alpha: FloatArray | float = 0.0  # 2α [1/m]: (n,), or a float when α is flat
    neg_cr_f_dev: FloatArray = field(default_factory=lambda: np.zeros(1))  # −C_r (f − f̄)
    loss: FloatArray | float = 1.0  # e^{−αL}: (n,), or a float when α is flat


def _nli_gn(sp: _Span, f: FloatArray, p: FloatArray) -> FloatArray:
    """P_NLI = P_i Σ_j η_ij P_j² with the GN closed form (eq. 120)."""
    return p * ((p * p) @ sp.eta_gn_t)  # nli_power(sp.eta_gn, p), by one matrix product


def _nli_isrs(sp: _Span, f: FloatArray, p: FloatArray) -> FloatArray:
    """GN closed form scaled per pair by the ISRS/no-ISRS ratio of the ISRS closed form [3].

    T_k = (2α_k − P_tot C_r (f_k − f_c))² as :func:`~transcaspian.optics.nli.isrs_t`, with
    f_k − f_c = (f_k − f̄) − (f_c − f̄) so that the centroid is one matrix-vector product.
    """
    assert sp.w1 is not None and sp.w2 is not None
    p_tot = p.sum(axis=-1, keepdims=True)
    fc_dev = (p @ sp.f_dev)[..., None] / p_tot
    t = 2.0 * sp.alpha - (p_tot * sp.cr) * (sp.f_dev - fc_dev)
    t = t * t
    p2 = p * p
    return np.asarray(p * ((t * p2) @ sp.w1 + p2 @ sp.w2))  # w1, w2 stored transposed


def _isrs_end_ratio(sp: _Span, p: FloatArray) -> FloatArray:
    """:func:`~transcaspian.optics.nli.isrs_power_ratio` at the span end (L_eff of the span).

    ρ_k = P_tot e^{−P_tot C_r L_eff f_k} / Σ_j P_j e^{−P_tot C_r L_eff f_j}: a common factor
    e^{P_tot C_r L_eff f̄} cancels, so the exponent uses f_k − f̄ (|x| ≤ P_tot C_r L_eff B/2,
    far from overflow) and needs no centroid.
    """
    p_tot = p.sum(axis=-1, keepdims=True)
    e = np.exp((-sp.l_eff * sp.cr) * p_tot * sp.f_dev)
    return np.asarray(p_tot * e / (p * e).sum(axis=-1, keepdims=True))


def _nli_ggn(sp: _Span, f: FloatArray, p: FloatArray) -> FloatArray:
    """Generalised GN on every channel with the SRS power profile (:mod:`.ggn`)."""
    assert sp.ggn is not None
    return sp.ggn.nli(p)[0]


#: NLI models (``LineCase.nli_model``) → span NLI function.
NLI_MODELS: dict[str, Callable[[_Span, FloatArray, FloatArray], FloatArray]] = {
    "gn_closed_form": _nli_gn,
    "isrs_gn_closed_form": _nli_isrs,
    "generalised_gn": _nli_ggn,
}


def _span(sec: FibreSection, ft: FibreType, ctx: _Ctx) -> _Span:
    """The span's launch-independent quantities: from this call's dictionary, else from the
    shared :class:`SpanCache` (keyed on the full geometry), else built."""
    key = (sec.type, sec.length_km, sec.extra_loss_db)
    hit = ctx.cache.get(key)
    if hit is not None:
        return hit
    if ctx.shared is None:
        sp = _build_span(sec, ft, ctx)
    else:
        geometry = (ctx.nli_model, ft, sec.length_km, sec.extra_loss_db, *ctx.grid_key)
        sp = ctx.shared.get(geometry, lambda: _build_span(sec, ft, ctx))
    ctx.cache[key] = sp
    return sp


def _build_span(sec: FibreSection, ft: FibreType, ctx: _Ctx) -> _Span:
    f, rs = ctx.freq_hz, ctx.rs_hz
    length = sec.length_km * 1e3
    alpha = fib.alpha_per_m(ft, f) + sec.extra_loss_db / fib.DB_PER_NEPER / length
    beta2 = fib.beta2_s2_per_m(ft, f)
    gamma = fib.gamma_per_w_per_m(ft, f)
    eta_gn = gn_eta(f, rs, alpha, beta2, gamma, length)
    w1 = w2 = None
    if ctx.nli_model == "isrs_gn_closed_form":
        u, v = isrs_eta_parts(f, rs, alpha, beta2, gamma)
        scale = eta_gn / (u * isrs_t(f, alpha, 0.0, np.ones_like(f)) + v)
        w1, w2 = u * scale, v * scale
    a_mean = float(alpha.mean())
    if w1 is not None and w2 is not None:
        w1, w2 = np.ascontiguousarray(w1.T), np.ascontiguousarray(w2.T)  # stored transposed
    z = np.linspace(0.0, length, _SAMPLES_PER_FIBRE)
    span_loss = np.exp(-length * alpha)
    eta_t = np.ascontiguousarray(eta_gn.T)
    f_dev = f - f.mean()
    ggn = None
    if ctx.nli_model == "generalised_gn":
        _, _, roll_off, spacing_hz = ctx.grid_key
        ggn = build_ggn_span(ft, f, float(rs[0]), roll_off, spacing_hz, alpha, length)
    l_eff = float(effective_length_m(a_mean, length))
    cr = fib.raman_gain_slope_per_w_per_m_per_hz(ft)
    flat = bool(np.all(alpha == alpha[0]))
    ones = np.ones_like(f)
    neg_cr_f_dev = -cr * f_dev
    two_alpha = 2.0 * alpha
    for arr in (alpha, beta2, gamma, eta_gn, w1, w2, z, span_loss, eta_t, f_dev, ones,
                neg_cr_f_dev, two_alpha):
        if arr is not None:
            arr.flags.writeable = False  # shared between calls: nobody may change it
    return _Span(alpha, beta2, gamma, eta_gn, w1, w2, a_mean, l_eff, cr, z, span_loss, eta_t,
                 f_dev, ggn, ones=ones,
                 two_alpha=float(two_alpha[0]) if flat else two_alpha,
                 neg_cr_f_dev=neg_cr_f_dev,
                 loss=float(span_loss[0]) if flat else span_loss)


def _solver_pumps(sec: FibreSection, remote_pump: tuple[float, float] | None) -> list[Pump]:
    """Pumps of a fibre solved with the coupled Raman equations (:mod:`.raman`)."""
    pumps = [Pump(p.power_w, constants.c / (p.wavelength_nm * 1e-9), p.direction, "raman",
                  p.rin_db_per_hz) for p in sec.raman_pumps]
    for legacy in (sec.raman, sec.forward_raman):
        if legacy is not None and legacy.model == "undepleted_pump":
            pumps.append(Pump(float(legacy.pump_power_w or 0.0),
                              legacy.pump_frequency_thz * 1e12, legacy.direction, "raman"))
    if remote_pump is not None and remote_pump[0] > 0.0:
        pumps.append(Pump(remote_pump[0], remote_pump[1], "counter", "ropa pump"))
    return pumps


def _spacing_hz(f: FloatArray) -> float:
    """Channel spacing [Hz] (the smallest gap; a single channel: a large number)."""
    return float(np.min(np.diff(f))) if f.size > 1 else 1e15


def _pumped_fibre_step(st: _State, sec: FibreSection, ft: FibreType, ctx: _Ctx,
                       pumps: list[Pump]) -> None:
    """A fibre with pumps: coupled Raman equations (:func:`.raman_span.pumped_span`).

    NLI at the input: GN closed form (eq. 120) with each pair's η_ij scaled by the ratio of
    the GN integral over the solved power profile to that over pure attenuation
    (:func:`~transcaspian.optics.raman.nli_profile_ratio`): the exponential closed form is
    never used as it is on a pumped fibre. The solver's profile already holds the
    inter-channel SRS, so the ISRS closed form is not applied on top.
    """
    f, rs = ctx.freq_hz, ctx.rs_hz
    length = sec.length_km * 1e3
    sp = _span(sec, ft, ctx)
    temperature = sec.temperature_k
    for legacy in (sec.raman, sec.forward_raman):
        if legacy is not None:
            temperature = legacy.temperature_k
    total_in = st.total()
    where = f"fibre {sec.type!r} at {st.position_km:.1f} km"
    res = pumped_span(ft, length, sec.extra_loss_db / fib.DB_PER_NEPER / length, pumps, f, rs,
                      total_in, temperature, where=where, profile=st.profile)
    beta2 = float(np.mean(np.abs(sp.beta2)))
    ratio_ij = nli_profile_ratio(res.z_m, res.gain_profile, sp.alpha, beta2,
                                 float(rs[0]), _spacing_hz(f))
    nli = total_in * np.einsum("ij,...ij,...j->...i", sp.eta_gn, ratio_ij, total_in**2)
    nli = np.minimum(nli, 0.99 * total_in)
    ratio = nli / total_in
    st.sig = st.sig * (1.0 - ratio)
    st.ase = st.ase * (1.0 - ratio)
    st.nli = st.nli * (1.0 - ratio) + nli
    s0, a0, n0 = st.sig, st.ase, st.nli
    if st.profile:
        idx = np.linspace(0, res.z_m.size - 1, 21).round().astype(int)
        ase_z = res.ase_profile_w
        assert ase_z is not None  # solved with profile=True
        for k in idx:  # the solved profiles (the pumps' ASE grows where the pumps are)
            e = res.gain_profile[..., k, :]
            st.record(st.position_km + res.z_m[k] / 1e3, s0 * e, a0 * e + ase_z[..., k, :],
                      n0 * e)
    st.sig = s0 * res.gain
    st.ase = a0 * res.gain + res.ase_w + (res.drb_ratio + res.rin_ratio) * st.sig
    if res.refused is not None:
        mask = res.refused_mask
        st.refused = mask.copy() if st.refused is None else st.refused | mask
        st.refusal.extend(res.refusal)
    st.nli = n0 * res.gain
    if sec.connector_out_db:
        st.scale(10.0 ** (-sec.connector_out_db / 10.0))
    st.raman.append((st.position_km, res))
    st.position_km += sec.length_km
    st.record(st.position_km, st.sig, st.ase, st.nli)
    if any(p.direction == "co" for p in pumps):
        st.markers.append((st.position_km - sec.length_km, "forward raman pump"))
    if any(p.direction == "counter" for p in pumps):
        st.markers.append((st.position_km, "raman pump"))


def _remote_pumps(case: LineCase) -> dict[int, tuple[float, float]]:
    """Element index → (remote ROPA pump power at that fibre's far end [W], pump frequency
    [Hz]) for the fibres that carry a line-delivered ROPA pump (``pump_path: line``)."""
    out: dict[int, tuple[float, float]] = {}
    for k, el in enumerate(case.elements):
        if not (isinstance(el, RopaElement) and el.ropa.pump_path == "line"
                and el.ropa.line_pump_raman):
            continue
        run: list[int] = []
        for j in range(k + 1, len(case.elements)):
            if not isinstance(case.elements[j], FibreElement):
                break
            run.append(j)
        f_p = constants.c / (el.ropa.pump_wavelength_nm * 1e-9)
        after = 0.0  # pump loss between the terminal and the far end of fibre j [Np]
        for j in reversed(run):
            fe = case.elements[j]
            assert isinstance(fe, FibreElement)
            out[j] = (el.ropa.pump_power_w * math.exp(-after), f_p)
            after += fib.pump_alpha_per_m(case.fibres[fe.fibre.type]) * fe.fibre.length_km * 1e3
    return out


def _fibre_step(st: _State, sec: FibreSection, ft: FibreType, ctx: _Ctx,
                remote_pump: tuple[float, float] | None = None,
                next_gain: float | None = None) -> bool:
    """Propagate through one fibre section (connectors, NLI at input, loss, Raman, ISRS).

    A fibre with pumps (``raman_pumps``, a legacy ``undepleted_pump`` pump, or
    ``remote_pump`` = (ROPA pump power at the far end [W], frequency [Hz]) sent through the
    line) is solved with the coupled Raman equations (:func:`_pumped_fibre_step`); a
    ``given_gain`` pump keeps the flat given gain below.

    ``next_gain`` is the fixed gain [-] of an amplifier that follows the fibre; the in-place
    step (:func:`_fast_fibre_step`) applies it with the fibre's own factors and returns True
    (the amplifier step then only checks its output limit and adds its ASE).
    """
    f, rs = ctx.freq_hz, ctx.rs_hz
    length = sec.length_km * 1e3
    if sec.connector_in_db:
        st.scale(10.0 ** (-sec.connector_in_db / 10.0))
    solver_pumps = _solver_pumps(sec, remote_pump)
    if solver_pumps:
        _pumped_fibre_step(st, sec, ft, ctx, solver_pumps)
        return False
    sp = _span(sec, ft, ctx)
    if not st.profile and sp.ggn is None and sec.raman is None and sec.forward_raman is None:
        _fast_fibre_step(st, sp, 1.0 if next_gain is None else next_gain)
        _after_fibre(st, sec)
        return next_gain is not None
    alpha = sp.alpha
    a_mean = sp.a_mean
    z = sp.z
    # Raman on-off gain profile (natural log) along z, shape (m,)
    log_g = np.zeros(z.size)
    raman_ase: FloatArray | float = 0.0
    raman_ase_z: FloatArray | None = None
    eff = fib.raman_efficiency_per_w_per_m(ft)
    pumps = [(p, eff) for p in (sec.raman, sec.forward_raman) if p is not None]
    if pumps:
        # ASE of distributed gain: 2 n_sp h f B G(L) ∫ g(z)/G(z) dz (Bromage 2004, eq. 9)
        g_local = np.zeros((z.size, 1))
        n_sp_g = np.zeros((z.size, f.size))
        for pump, efficiency in pumps:
            prof = raman_profile(pump, efficiency, fib.pump_alpha_per_m(ft), length, z)
            log_g = log_g + prof.log_gain
            g_p = np.gradient(prof.log_gain, z)[:, None]
            n_sp = np.array([spontaneous_occupancy(pump.pump_frequency_thz * 1e12 - fi,
                                                   pump.temperature_k) for fi in f])
            g_local = g_local + g_p
            n_sp_g = n_sp_g + g_p * n_sp
        total_db = float(log_g[-1]) * fib.DB_PER_NEPER
        if total_db > MAX_RAMAN_ON_OFF_GAIN_DB:
            raise OpticsError(
                f"fibre {sec.type!r} at {st.position_km:.1f} km: total distributed Raman on-off "
                f"gain {total_db:.1f} dB (all pumps together) exceeds "
                f"{MAX_RAMAN_ON_OFF_GAIN_DB:.0f} dB (lower the given gains)")
        net = -np.outer(z, alpha) + log_g[:, None]  # (m, n)
        integrand = n_sp_g * np.exp(-net)
        cumulative = np.concatenate(
            [np.zeros((1, f.size)),
             np.cumsum(0.5 * (integrand[1:] + integrand[:-1]) * np.diff(z)[:, None], axis=0)])
        raman_ase_z = 2.0 * constants.h * f * rs * np.exp(net) * cumulative  # (m, n)
        raman_ase = raman_ase_z[-1]
    total_in = st.total()
    # NLI at the span input
    # GN closed form (eq. 120), or the same scaled per channel pair by the ISRS/no-ISRS ratio
    # of the ISRS closed form [3] (identical to gn_closed_form when SRS vanishes)
    srs_exponent: FloatArray | None = None  # generalised GN: SRS exponent at its z nodes
    if sp.ggn is not None:
        if pumps:
            raise OpticsError(f"fibre {sec.type!r}: nli_model generalised_gn does not take "
                              "distributed Raman pumps yet (use isrs_gn_closed_form)")
        nli, srs_exponent = sp.ggn.nli(total_in)
    else:
        nli = NLI_MODELS[ctx.nli_model](sp, f, total_in)
    if pumps:
        p2 = np.exp(2.0 * (-a_mean * z + log_g))
        ref = np.exp(-2.0 * a_mean * z)
        nli = nli * (np.trapezoid(p2, z) / np.trapezoid(ref, z))
    # beyond P_NLI ~ P the perturbative GN model is meaningless; cap the transfer so that the
    # bookkeeping stays positive (such a line is far past its optimum launch power anyway)
    nli = np.minimum(nli, 0.99 * total_in, out=nli)
    keep = 1.0 - nli / total_in
    end = sp.span_loss if not pumps else sp.span_loss * math.exp(log_g[-1])
    if sp.w1 is not None:
        end = end * _isrs_end_ratio(sp, total_in)
    elif srs_exponent is not None:
        end = end * np.exp(srs_exponent[..., -1, :])
    if not st.profile:
        # the same bookkeeping as below in fewer array operations (nothing else holds the
        # state arrays, so they may be updated in place)
        factor = keep * end
        st.sig *= factor
        st.ase *= factor
        st.ase += raman_ase
        st.nli *= factor
        st.nli += nli * end
        _after_fibre(st, sec)
        return False
    st.sig = st.sig * keep
    st.ase = st.ase * keep
    st.nli = st.nli * keep + nli
    # power evolution: loss, Raman gain, ISRS tilt
    s0, a0, n0 = st.sig, st.ase, st.nli
    if st.profile:
        lin = np.exp(-z[:, None] * alpha + log_g[:, None])  # (m, n)
        if sp.w1 is not None:
            leff_z = effective_length_m(a_mean, z)  # (m,)
            lin = lin * isrs_power_ratio(f, total_in[..., None, :], sp.cr, leff_z)
        elif sp.ggn is not None and srs_exponent is not None:
            lin = lin * np.exp(sp.ggn.at(z, srs_exponent))
        for k in range(0, z.size, 2):
            e = lin[..., k, :]
            a_k = a0 * e if raman_ase_z is None else a0 * e + raman_ase_z[k]
            st.record(st.position_km + z[k] / 1e3, s0 * e, a_k, n0 * e)
    st.sig = s0 * end
    st.ase = a0 * end + raman_ase
    st.nli = n0 * end
    _after_fibre(st, sec)
    return False


def _rowdot(a: FloatArray, b: FloatArray) -> FloatArray:
    """Σ_j a_j b_j over the last axis (``numpy.vecdot`` where there is one)."""
    if _VECDOT is not None:
        return np.asarray(_VECDOT(a, b))
    return np.asarray(np.einsum("...j,...j->...", a, b))


_VECDOT = getattr(np, "vecdot", None)  # numpy >= 2.0


def _fast_fibre_step(st: _State, sp: _Span, gain: float = 1.0) -> None:
    """:func:`_fibre_step` of an unpumped fibre with a closed-form NLI and no profile, in place.

    The same bookkeeping as the general step (NLI at the input from the total power, capped at
    0.99 of it, booked out of signal and ASE; loss; ISRS tilt at the end) in fewer array
    passes, on scratch buffers kept in the state, with the algebra rearranged but not changed:

    * with q_i = Σ_j η_ij P_j² (so that P_NLI,i = P_i q_i) the kept fraction 1 − P_NLI/P is
      1 − q (capped at 0.99 only when some q reaches it);
    * in T_k = (2α_k − P_tot C_r (f_k − f_c))² of :func:`_nli_isrs`,
      P_tot C_r (f_c − f̄) = C_r Σ_j P_j (f_j − f̄), one matrix-vector product;
    * the end ratio of :func:`_isrs_end_ratio` is e_k P_tot / Σ_j P_j e_j, times e^{−α L}.

    A total power of zero in some channel (underflow) or a NaN takes the general formulae,
    so that such a channel ends as NaN exactly as there. ``gain`` [-] (the fixed gain of the
    amplifier that follows) multiplies the end factor.
    """
    s, a, n = st.sig, st.ase, st.nli
    if len(st.work) != 5 or st.work[0].shape != s.shape:
        st.work = tuple(np.empty(s.shape) for _ in range(5))
    p, x, q, e, y = st.work
    np.add(s, a, out=p)
    p += n
    end: FloatArray | float
    if sp.w1 is not None and sp.w2 is not None:
        p_tot = p @ sp.ones
        t = np.multiply.outer(p_tot, sp.neg_cr_f_dev, out=x)  # −P_tot C_r (f − f̄)
        end = np.multiply(t, sp.l_eff, out=e)  # the end ratio's exponent, × L_eff
        np.exp(end, out=end)
        shift = (p @ sp.f_dev) * sp.cr  # P_tot C_r (f_c − f̄)
        if isinstance(sp.two_alpha, float):
            shift += sp.two_alpha
        else:
            t += sp.two_alpha
        t += shift[..., None]
        t *= t  # T_k
        p2 = np.multiply(p, p, out=y)
        t *= p2
        np.matmul(t, sp.w1, out=q)  # w1, w2 stored transposed
        q += np.matmul(p2, sp.w2, out=x)
        coef = p_tot / _rowdot(p, end)
        if isinstance(sp.loss, float):
            coef *= sp.loss * gain
        else:
            end *= sp.loss
            coef *= gain
        end *= coef[..., None]
    else:
        np.multiply(p, p, out=x)
        np.matmul(x, sp.eta_gn_t, out=q)
        end = sp.loss * gain
    factor = x
    if q.max() < 0.99 and p.min() > 0.0:  # False for a NaN
        q *= end
        np.subtract(end, q, out=factor)  # (1 − q) end
        q *= p  # P_NLI end
    else:
        np.multiply(q, p, out=q)
        np.minimum(q, 0.99 * p, out=q)
        np.subtract(1.0, q / p, out=factor)
        factor *= end
        q *= end
    s *= factor
    a *= factor
    n *= factor
    n += q


def _after_fibre(st: _State, sec: FibreSection) -> None:
    """Output connector, position, profile point and pump markers after a fibre section."""
    if sec.connector_out_db:
        st.scale(10.0 ** (-sec.connector_out_db / 10.0))
    st.position_km += sec.length_km
    st.record(st.position_km, st.sig, st.ase, st.nli)
    if sec.forward_raman is not None:
        st.markers.append((st.position_km - sec.length_km, "forward raman pump"))
    if sec.raman is not None:
        st.markers.append((st.position_km, "raman pump"))


def _amplifier_step(st: _State, el: AmplifierElement, ctx: _Ctx, applied: bool = False
                    ) -> None:
    """Gain (fixed, or restoring the launch total), reduced where the output would exceed
    the amplifier's limit, and ASE NF h f G R_s. ``applied``: the fixed gain is already in
    the state (the fibre before applied it, :func:`_fibre_step`)."""
    amp = el.amplifier
    if amp.gain_shape == "equalise":
        _equalising_step(st, amp, ctx)
        return
    if st.profile or st.sig.size < 4096:
        tot_sum = st.total().sum(axis=-1, keepdims=True)
    else:  # the same sum by three matrix-vector products, no large temporary
        tot_sum = (st.sig @ ctx.ones + st.ase @ ctx.ones + st.nli @ ctx.ones)[..., None]
    p_max = 1e-3 * 10.0 ** (amp.max_output_power_dbm / 10.0)
    nf = noise_figure_lin(amp, ctx.freq_hz)
    if applied:
        assert amp.gain_db is not None
        fixed = 10.0 ** (amp.gain_db / 10.0)
        # tot_sum is the output total already; where it exceeds the limit, scale down to it
        if (tot_sum > p_max).any():
            down = np.where(tot_sum > p_max, p_max / tot_sum, 1.0)
            st.scale(down)
            st.ase += (nf * (fixed * down)) * ctx.h_f_rs
        else:
            st.ase += (nf * fixed) * ctx.h_f_rs
        st.markers.append((st.position_km, "edfa"))
        return
    gain: FloatArray | float = (ctx.launch_total_w / tot_sum if amp.gain_db is None
                                else 10.0 ** (amp.gain_db / 10.0))
    out_tot = tot_sum * gain
    if (out_tot > p_max).any():
        gain = np.where(out_tot > p_max, gain * p_max / out_tot, gain)
    # edfa_ase_w (NF h f G R_s) with h f R_s computed once per call
    if st.profile:
        st.scale(gain)
        st.ase = st.ase + nf * gain * ctx.h_f_rs
    else:
        st.sig *= gain
        st.ase *= gain
        st.nli *= gain
        st.ase += (nf * gain) * ctx.h_f_rs
    st.record(st.position_km, st.sig, st.ase, st.nli)
    st.markers.append((st.position_km, "edfa"))


def noise_figure_lin(amp: Any, freq_hz: FloatArray) -> FloatArray | float:
    """Linear noise figure of an amplifier at each channel [-]: the band's own
    ``noise_figure_db`` where its band sets one, else the amplifier's (a scalar when no band
    sets one)."""
    bands = (amp.band, *amp.extra_bands)
    if all(b.noise_figure_db is None for b in bands):
        return float(10.0 ** (amp.noise_figure_db / 10.0))
    nf_db = np.full(freq_hz.shape, float(amp.noise_figure_db))
    for b in bands:
        if b.noise_figure_db is not None:
            inside = (freq_hz >= b.low_thz * 1e12 - 1.0) & (freq_hz <= b.high_thz * 1e12 + 1.0)
            nf_db[inside] = b.noise_figure_db
    return np.asarray(10.0 ** (nf_db / 10.0))


def _equalising_step(st: _State, amp: Any, ctx: _Ctx) -> None:
    """An equalising amplifier (``gain_shape: equalise``): each channel's output, its own ASE
    NF h f R_s G included, is set to the launch spectrum times the residual ripple,

        G_i (P_i + NF h f_i R_s) = P_launch,i r_i,

    the target scaled down where its total exceeds ``max_output_power_dbm``. A channel with
    nothing left (underflow after absurd spans) is not revived: it stays dark (GSNR NaN), as a
    flat amplifier leaves it."""
    key = (amp.equalisation_error_db, amp.noise_figure_db, amp.max_output_power_dbm)
    hit = st.eq_targets.get(key)
    if hit is None:
        target = ctx.launch_w * _equalisation_ripple(ctx.freq_hz, amp.equalisation_error_db)
        p_max = 1e-3 * 10.0 ** (amp.max_output_power_dbm / 10.0)
        total = target.sum(axis=-1, keepdims=True)
        if (total > p_max).any():
            target = target * np.minimum(1.0, p_max / total)
        hit = (target, noise_figure_lin(amp, ctx.freq_hz) * ctx.h_f_rs)
        st.eq_targets[key] = hit
    target, ase_in = hit
    tot = st.total()
    with np.errstate(divide="ignore", invalid="ignore"):
        gain = target / (tot + ase_in)
    if not (tot > _DARK_W).all():
        gain = np.where(tot > _DARK_W, gain, 0.0)
    if st.profile:
        st.scale(gain)
        st.ase = st.ase + ase_in * gain
    else:
        st.sig *= gain
        st.ase *= gain
        st.nli *= gain
        st.ase += ase_in * gain
    st.record(st.position_km, st.sig, st.ase, st.nli)
    st.markers.append((st.position_km, "edfa"))


#: Channel power below which an equalising amplifier treats the channel as dark [W].
_DARK_W: float = 1e-30


def _equalisation_ripple(freq_hz: FloatArray, error_db: float) -> FloatArray:
    """Residual of an equalising amplifier relative to the launch spectrum [-], shape (n,).

    A linear ripple of ``error_db`` peak-to-peak across the channels, high-frequency channels
    low (the sense of the SRS tilt left over); 1 for a single channel or a zero error.
    """
    if error_db == 0.0 or freq_hz.size < 2:
        return np.ones_like(freq_hz)
    x = (freq_hz - 0.5 * (freq_hz.min() + freq_hz.max())) / (freq_hz.max() - freq_hz.min())
    return np.asarray(10.0 ** (-error_db * x / 10.0))


def _ropa_step(st: _State, el: RopaElement, k: int, case: LineCase, ctx: _Ctx) -> None:
    ropa = el.ropa
    # pump path: the fibre sections between the ROPA and the next active element / receiver
    dist = 0.0
    pump_alpha = 0.0
    for nxt in case.elements[k + 1:]:
        if not isinstance(nxt, FibreElement):
            break
        ft = case.fibres[nxt.fibre.type]
        dist += nxt.fibre.length_km * 1e3
        pump_alpha = fib.pump_alpha_per_m(ft)
    st.scale(10.0 ** (-ropa.insertion_loss_db / 10.0))
    # per channel: the EDF sees each channel's whole power (signal + ASE + NLI so far)
    resp = ropa_response(ropa, dist, pump_alpha, ctx.freq_hz, st.total(), ctx.rs_hz)
    st.scale(resp.gain_lin)
    st.ase = st.ase + resp.ase_w
    st.ropas.append((st.position_km, resp))
    st.record(st.position_km, st.sig, st.ase, st.nli)
    st.markers.append((st.position_km, "ropa"))


def _gff_step(st: _State, gff: Gff) -> None:
    """A gain-flattening filter: per-channel loss (given, or down to the weakest channel's
    signal power, at most ``max_depth_db``) and its insertion loss, on signal and noise."""
    if gff.mode == "given":
        assert gff.loss_db is not None
        factor: FloatArray = 10.0 ** (-np.asarray(gff.loss_db, dtype=float) / 10.0)
    else:
        weakest = st.sig.min(axis=-1, keepdims=True)
        factor = np.maximum(weakest / st.sig, 10.0 ** (-gff.max_depth_db / 10.0))
    st.scale(factor * 10.0 ** (-gff.insertion_loss_db / 10.0))
    st.record(st.position_km, st.sig, st.ase, st.nli)
    st.markers.append((st.position_km, "gff"))


def _grid(spectrum: Any, cache: SpanCache | None
          ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, tuple[bytes, bytes]]:
    """Channel frequencies [Hz], symbol rates [Hz], launch offsets [dB], h f R_s [J Hz] and
    the grid's cache key, from the shared cache when there is one (pure function of the
    spectrum, a frozen input model)."""

    def build() -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, tuple[bytes, bytes]]:
        f = channel_frequencies_hz(spectrum)
        rs = np.full_like(f, spectrum.symbol_rate_gbaud * 1e9)
        offsets = launch_offsets_db(spectrum)
        hfr = constants.h * f * rs
        for arr in (f, rs, offsets, hfr):
            arr.flags.writeable = False
        return f, rs, offsets, hfr, (f.tobytes(), rs.tobytes())

    return build() if cache is None else cache.get(("grid", spectrum), build)


def _has_solver_pumps(case: LineCase, remote: dict[int, tuple[float, float]]) -> bool:
    """True when some fibre of the line is solved with the coupled Raman equations."""
    return any(isinstance(el, FibreElement) and _solver_pumps(el.fibre, remote.get(k))
               for k, el in enumerate(case.elements))


class _Scratch(threading.local):
    """Scratch arrays of the in-place propagation, kept per thread between calls.

    A call without profiles takes eight arrays of its (chunk's) shape and gives them back when
    done: the memory is reused instead of being faulted in afresh on every call (a large part
    of the time of a batched call otherwise). Only one shape is kept, of at most
    :data:`_CHUNK_LINES` lines; a call that finds none (first call, another shape, a nested
    call) allocates its own.
    """

    def __init__(self) -> None:
        self.shape: tuple[int, ...] = ()
        self.arrays: list[FloatArray] = []

    def take(self, shape: tuple[int, ...]) -> list[FloatArray]:
        if self.shape == shape and self.arrays:
            arrays, self.arrays = self.arrays, []
            return arrays
        return [np.empty(shape) for _ in range(_N_SCRATCH)]

    def give(self, arrays: list[FloatArray]) -> None:
        if math.prod(arrays[0].shape[:-1]) <= _CHUNK_LINES:
            self.shape, self.arrays = arrays[0].shape, arrays


_SCRATCH = _Scratch()
_N_SCRATCH = 8  # signal, ASE, NLI and the five buffers of _fast_fibre_step


def _propagate(case: LineCase, ctx: _Ctx, launch_w: FloatArray, profile: bool,
               upto: int | None, remote: dict[int, tuple[float, float]],
               scratch_arrays: list[FloatArray] | None = None) -> _State:
    """The comb launched with ``launch_w`` [W] carried through the elements (before ``upto``).

    Without ``profile`` the state lives in ``scratch_arrays`` (eight arrays of the launch
    shape, overwritten).
    """
    if profile:
        sig, ase, nli = launch_w.copy(), np.zeros(launch_w.shape), np.zeros(launch_w.shape)
        work: tuple[FloatArray, ...] = ()
    else:  # the state is updated in place: on this thread's scratch arrays
        assert scratch_arrays is not None
        sig, ase, nli, *scratch = scratch_arrays
        np.copyto(sig, launch_w)
        ase.fill(0.0)
        nli.fill(0.0)
        work = tuple(scratch)
    # back off through the boosters before the first fibre
    for el in case.elements:
        if isinstance(el, AmplifierElement) and el.amplifier.gain_db is not None:
            sig /= 10.0 ** (el.amplifier.gain_db / 10.0)
        else:
            break
    st = _State(sig=sig, ase=ase, nli=nli, profile=profile, work=work)
    st.record(0.0, st.sig, st.ase, st.nli)
    elements = case.elements
    stop = len(elements) if upto is None else min(upto, len(elements))
    applied = False  # the fixed gain of this amplifier was applied by the fibre before it
    for k in range(stop):
        el = elements[k]
        if isinstance(el, FibreElement):
            nxt = elements[k + 1] if k + 1 < stop else None
            gain = (10.0 ** (nxt.amplifier.gain_db / 10.0)
                    if not profile and isinstance(nxt, AmplifierElement)
                    and nxt.amplifier.gain_db is not None else None)
            applied = _fibre_step(st, el.fibre, case.fibres[el.fibre.type], ctx, remote.get(k),
                                  gain)
        elif isinstance(el, AmplifierElement):
            _amplifier_step(st, el, ctx, applied)
            applied = False
        elif isinstance(el, GffElement):
            _gff_step(st, el.gff)
        else:
            _ropa_step(st, el, k, case, ctx)
    return st


def _db_fields(sig: FloatArray, ase: FloatArray, nli: FloatArray, b2b_inv: float | None,
               bw_db: float, out: tuple[FloatArray, ...] | None = None
               ) -> tuple[FloatArray, ...]:
    """Signal, ASE, NLI [dBm], SNR_ASE, SNR_NLI, GSNR, OSNR_ASE and GSNR in 0.1 nm [dB].

    ``b2b_inv`` is 1/SNR_TRX [-] (or None), ``bw_db`` 10 log10(R_s / 12.5 GHz); written into
    ``out`` (eight arrays of the state's shape) when given.
    """
    if out is None:
        out = tuple(np.empty((8, *sig.shape)))  # one allocation (see evaluate_line)
    s_db, a_db, n_db, snr_a, snr_n, g_db, osnr, g_0p1 = out
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        np.log10(sig, out=s_db)
        s_db *= 10.0
        np.log10(ase, out=a_db)
        a_db *= 10.0
        np.log10(nli, out=n_db)
        n_db *= 10.0
        inv = np.add(ase, nli, out=g_db)
        inv /= sig  # 1/SNR_ASE + 1/SNR_NLI
        if b2b_inv is not None:
            inv += b2b_inv
        np.log10(inv, out=g_db)
        g_db *= -10.0
        np.subtract(s_db, a_db, out=snr_a)
        np.subtract(s_db, n_db, out=snr_n)
        np.add(snr_a, bw_db, out=osnr)
        np.add(g_db, bw_db, out=g_0p1)
        s_db += 30.0
        a_db += 30.0
        n_db += 30.0
    return out


def evaluate_line(case: LineCase, launch_power_dbm: float | FloatArray | None = None, *,
                  channel_offsets_db: FloatArray | None = None,
                  profile: bool = False,
                  span_cache: SpanCache | None = SPAN_CACHE,
                  upto: int | None = None,
                  on_refused: Literal["raise", "mark"] | None = None) -> LineResult:
    """Per-channel GSNR, SNR_ASE, SNR_NLI and OSNR at the end of an explicit line.

    Parameters
    ----------
    case : LineCase
        The line (see ``docs/line_case_format.md``).
    launch_power_dbm : float or array, optional
        Launch power per channel at the first fibre input [dBm]; an array adds leading axes.
        Default: the case's ``spectrum.launch_power_dbm_per_channel``.
    channel_offsets_db : array (..., n), optional
        Extra per-channel launch offsets [dB] (e.g. a tilt), broadcast with
        ``launch_power_dbm[..., None]`` and added to the spectrum's tilt/pre-emphasis.
    profile : bool
        Record the power profiles along the line (for plots). Off by default: recording
        costs time on every call and only a plot needs it; without it the ``profile_*``
        arrays are empty (length 0 on the last axis).
    span_cache : SpanCache or None
        Where the launch-independent span matrices are kept between calls (default: the
        module's :data:`SPAN_CACHE`, bounded, keyed on the full span geometry, so it never
        changes a result); ``None`` computes them afresh.
    upto : int, optional
        Stop before element ``upto``: the result describes the comb entering it.
    on_refused : {"raise", "mark"}, optional
        A launch variant whose Raman pumps are refused (the coupled equations do not converge,
        or the solved on-off gain exceeds 35 dB): raise :class:`OpticsError` with the reason,
        or mark it (NaN results, ``LineResult.refused`` and ``refusal``). Default: raise for
        one launch, mark in a batch (a refused launch never fails a batched sweep).

    Returns
    -------
    LineResult

    Notes
    -----
    SNR_ASE = P_s/P_ASE and SNR_NLI = P_s/P_NLI in the symbol-rate bandwidth;
    GSNR = (1/SNR_ASE + 1/SNR_NLI + 1/SNR_TRX)^−1 ([1] eq. 3 with the transceiver term);
    OSNR_0.1nm = SNR_ASE · R_s / 12.5 GHz.

    Without ``profile`` the state is updated in place on per-thread scratch arrays
    (:func:`_fast_fibre_step`) and a batch of more than 256 lines is evaluated in chunks of
    256 (same results to rounding, ~1e-13 relative); the eight per-channel result arrays are
    views of one block (one allocation).
    """
    sp = case.spectrum
    p_dbm = np.asarray(sp.launch_power_dbm_per_channel if launch_power_dbm is None
                       else launch_power_dbm, dtype=float)
    if not (p_dbm.min() >= -40.0 and p_dbm.max() <= 30.0):  # NaN fails both comparisons
        raise OpticsError("launch_power_dbm: must be finite and within -40..30 dBm per channel")
    f, rs, offsets, h_f_rs, grid_key = _grid(sp, span_cache)
    if channel_offsets_db is not None:
        extra = np.asarray(channel_offsets_db, dtype=float)
        if extra.shape[-1:] != offsets.shape or not np.all(np.isfinite(extra)):
            raise OpticsError(f"channel_offsets_db: needs {offsets.size} finite values per "
                              "channel on the last axis")
        offsets = offsets + extra
    # 1e-3 10^(P/10) [W] (dbm_to_watt) as e^{P ln(10)/10 + ln(1e-3)}, in place
    launch_w = np.add(p_dbm[..., None], offsets)
    launch_w *= math.log(10.0) / 10.0
    launch_w += math.log(1e-3)
    np.exp(launch_w, out=launch_w)
    ctx = _Ctx(f, rs, launch_w, case.nli_model, dict(case.fibres), shared=span_cache,
               grid_key=(*grid_key, sp.roll_off, sp.spacing_ghz * 1e9),
               launch_total_w=launch_w.sum(axis=-1, keepdims=True),
               h_f_rs=h_f_rs, ones=np.ones(f.size))
    remote = _remote_pumps(case)
    b2b = (None if case.transceiver.b2b_snr_db is None
           else 10.0 ** (-case.transceiver.b2b_snr_db / 10.0))
    # a signal that has underflowed to zero (absurdly long spans) gives 0/0: NaN, and
    # log10(0) gives -inf, not a warning
    bw = 10.0 * math.log10(sp.symbol_rate_gbaud * 1e9 / OSNR_REF_BANDWIDTH_HZ)
    shape = launch_w.shape[:-1]
    rows = math.prod(shape)
    if profile or rows <= _CHUNK_LINES or _has_solver_pumps(case, remote):
        scratch = None if profile else _SCRATCH.take(launch_w.shape)
        st = _propagate(case, ctx, launch_w, profile, upto, remote, scratch)
        fields = _db_fields(st.sig, st.ase, st.nli, b2b, bw)
        if scratch is not None:
            _SCRATCH.give(scratch)
        if st.refused is not None:
            mode = on_refused or ("raise" if launch_w.ndim == 1 else "mark")
            if mode == "raise":
                raise OpticsError(st.refusal[0])
            fields = tuple(np.where(st.refused[..., None], np.nan, x) for x in fields)
        d, prof_s, prof_a, prof_n = st.profiles()
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            prof = 10.0 * np.log10(np.stack((prof_s, prof_a, prof_n))) + 30.0
    else:
        # many lines: in chunks, so that each chunk's working set stays in the cache (every
        # line is independent of the others; the chunks see the same elements and markers)
        flat = launch_w.reshape(rows, f.size)
        fields = tuple(np.empty((8, *launch_w.shape)))  # one allocation, eight result arrays
        flat_fields = tuple(x.reshape(rows, f.size) for x in fields)
        for lo in range(0, rows, _CHUNK_LINES):
            part = flat[lo:lo + _CHUNK_LINES]
            sub = replace(ctx, launch_w=part,
                          launch_total_w=ctx.launch_total_w.reshape(rows, 1)[lo:lo + part.shape[0]])
            scratch = _SCRATCH.take(part.shape)
            st = _propagate(case, sub, part, profile, upto, remote, scratch)
            _db_fields(st.sig, st.ase, st.nli, b2b, bw,
                       tuple(x[lo:lo + part.shape[0]] for x in flat_fields))
            _SCRATCH.give(scratch)
        d, prof = np.zeros(0), np.zeros((3, *shape, 0))  # no profile recorded
    sig_dbm, ase_dbm, nli_dbm, snr_ase_db, snr_nli_db, gsnr_db, osnr_db, gsnr_0p1_db = fields
    shape = launch_w.shape[:-1]
    return LineResult(
        name=case.name,
        nli_model=case.nli_model,
        frequency_thz=f / 1e12,
        launch_power_dbm=p_dbm.copy() if p_dbm.shape == shape
        else np.broadcast_to(p_dbm, shape).copy(),
        signal_power_dbm=sig_dbm,
        ase_power_dbm=ase_dbm,
        nli_power_dbm=nli_dbm,
        snr_ase_db=snr_ase_db,
        snr_nli_db=snr_nli_db,
        gsnr_db=gsnr_db,
        osnr_ase_0p1nm_db=osnr_db,
        gsnr_0p1nm_db=gsnr_0p1_db,
        symbol_rate_gbaud=sp.symbol_rate_gbaud,
        profile_distance_km=d,
        profile_signal_dbm=prof[0],
        profile_ase_dbm=prof[1],
        profile_nli_dbm=prof[2],
        markers=tuple(st.markers),
        raman_spans=tuple(st.raman),
        ropas=tuple(st.ropas),
        refused=None if st.refused is None else np.asarray(st.refused),
        refusal=tuple(dict.fromkeys(st.refusal)),
    )
