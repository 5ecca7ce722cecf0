"""Erbium-doped fibre amplifier: the two-level Giles–Desurvire model, per channel.

Used by the ``giles`` ROPA model (:mod:`.amplifiers`): the remote pump that reaches the
erbium-doped fibre (EDF) and the per-channel input comb give each channel its own gain and
amplified spontaneous emission (ASE), hence its own noise figure.

Model ([1] Sec. II, the rate and propagation equations: two-level homogeneous medium, no
excited-state absorption, overlap independent of the local powers): for every wave k (signal
channel, pump, ASE bin) with frequency ν_k, direction u_k = ±1 and power P_k,

    n2(z) = Σ_k q_k α_k / (1 + Σ_k q_k (α_k + g*_k)),   q_k = P_k / (h ν_k ζ)
    u_k dP_k/dz = ((α_k + g*_k) n2 − α_k) P_k + 2 g*_k n2 h ν_k Δν_k

with α_k, g*_k the absorption and gain coefficients [1/m] and ζ = π b² ρ / τ the saturation
parameter [1/(m s)] ([1] Sec. II). α(λ) and g*(λ) follow from the bundled absorption line
shape (``data/erbium_absorption_alge_silica.csv``) scaled to the fibre's peak absorption, with
the emission from the McCumber relation g*(ν) = α(ν) exp(h(ν_ε − ν)/kT) ([3]; [2]).

Solution (:func:`giles_amplifier`). Without the spontaneous-emission source term every wave is
an exponential of the same integral X(z) = ∫₀^z n2 dz':
P_k(z) = P_k(0) exp(u_k ((α_k + g*_k) X(z) − α_k z)), and Σ_k u_k q_k(z) + X(z) is constant
along the fibre (the photon-flux invariant of Saleh et al. [4]). The two-point boundary value
problem (signals known at z = 0, backward pump and backward ASE at z = L) then reduces to one
monotone scalar equation for X(L) ([4], the implicit output equation) and, at every node z, one
monotone scalar equation for X(z):
exact for the signals and pump, solved by safeguarded Newton iteration, vectorised over
channels, nodes and any leading (launch-power) axes. ASE enters the inversion as waves seeded
with their equivalent input power (the ASE each bin would have at its output, referred to its
input, from the previous inversion profile), iterated ``ase_iterations`` times; the ASE each
channel carries out is the exact quadrature of the source term over the final inversion
profile. :func:`giles_amplifier_bvp` solves the full equations (spontaneous source in the
rate equation) with :func:`scipy.integrate.solve_bvp`: the slow reference the fast solution is
tested against.

Noise figure: NF = 1/G + P_ASE / (G h ν B), with P_ASE the forward ASE in both polarisations
in the bandwidth B at the channel (the optical noise figure limited by signal-spontaneous beat
noise plus shot noise: [5] Sec. 2; [6] ch. 2). Fibre background loss is not in the rate
equations (≲ 0.2 dB over a ROPA's tens of metres; the ROPA's ``insertion_loss_db`` carries it).

References
----------
.. [1] C. R. Giles and E. Desurvire, "Modeling erbium-doped fiber amplifiers", J. Lightw.
   Technol. 9(2):271-283, 1991, doi:10.1109/50.65886.
.. [2] W. J. Miniscalco and R. S. Quimby, "General procedure for the analysis of Er3+ cross
   sections", Opt. Lett. 16(4):258-260, 1991, doi:10.1364/OL.16.000258.
.. [3] D. E. McCumber, "Einstein relations connecting broadband emission and absorption
   spectra", Phys. Rev. 136(4A):A954-A957, 1964.
.. [4] A. A. M. Saleh, R. M. Jopson, J. D. Evankow and J. Aspell, "Modeling of gain in
   erbium-doped fiber amplifiers", IEEE Photon. Technol. Lett. 2(10):714-717, 1990,
   doi:10.1109/68.60769.
.. [5] D. M. Baney, P. Gallion and R. S. Tucker, "Theory and measurement techniques for the
   noise figure of optical amplifiers", Opt. Fiber Technol. 6(2):122-154, 2000.
.. [6] E. Desurvire, *Erbium-Doped Fiber Amplifiers: Principles and Applications*, Wiley 1994.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy import constants

from ..errors import OpticsError
from ..units import FloatArray

__all__ = [
    "ASE_BIN_EDGES_HZ",
    "MCCUMBER_WAVELENGTH_NM",
    "SPECTRUM_TEMPERATURE_K",
    "EdfParameters",
    "GilesResult",
    "absorption_relative",
    "default_saturation_parameter",
    "emission_relative",
    "giles_amplifier",
    "giles_amplifier_bvp",
]

#: Wavelength at which σe = σa (the McCumber ε expressed as a wavelength) [nm]: 1531 nm for
#: Al/Ge-silica, the crossing of the measured absorption and emission spectra of
#: alumino-germanosilicate fibres ([2] Fig. 2; [6] ch. 4), ±2 nm.
MCCUMBER_WAVELENGTH_NM: float = 1531.0
#: Temperature of the tabulated spectrum and of the McCumber factor [K] (room temperature,
#: where the published spectra were measured).
SPECTRUM_TEMPERATURE_K: float = 295.0
#: Peak absorption cross-section of Al/Ge-silica Er [m²] (5.8e-25 m² for the
#: alumino-germanosilicate fibre of [6] Table 4.1 "type II"; Barnes et al. 1991 give
#: 5-8e-25 m² across Ge/Al/P hosts), used only for the default saturation parameter.
PEAK_ABSORPTION_CROSS_SECTION_M2: float = 6.0e-25
#: Er-doped core radius [m], overlap of the signal mode with it [-] and metastable lifetime [s]
#: of a typical C-band EDF (b = 1.5 µm, Γ = 0.75, τ = 10 ms: [1] Sec. II and Table I orders of
#: magnitude; [6] ch. 4), used only for the default saturation parameter.
DOPED_RADIUS_M: float = 1.5e-6
SIGNAL_OVERLAP: float = 0.75
METASTABLE_LIFETIME_S: float = 10.0e-3
#: ASE bins carried in the inversion (edges [Hz]): 186.5-199.5 THz (1503-1607 nm), 0.5 THz each.
ASE_BIN_EDGES_HZ: FloatArray = np.linspace(186.5e12, 199.5e12, 27)


@lru_cache(maxsize=1)
def _absorption_table() -> tuple[FloatArray, FloatArray]:
    """(frequency [Hz] ascending, relative absorption [-]) of the bundled line shape."""
    ref = resources.files("transcaspian").joinpath("data", "erbium_absorption_alge_silica.csv")
    rows: list[tuple[float, float]] = []
    for line in ref.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("wavelength"):
            a, b = line.split(",")
            rows.append((float(a), float(b)))
    arr = np.asarray(rows)
    f = constants.c / (arr[::-1, 0] * 1e-9)
    rel = arr[::-1, 1].copy()
    f.flags.writeable = False
    rel.flags.writeable = False
    return f, rel


def absorption_relative(frequency_hz: FloatArray) -> FloatArray:
    """Absorption line shape σa(ν)/σa(peak) [-] (linear interpolation in frequency of the
    bundled table; outside 1450-1620 nm the end values, i.e. outside the model's range)."""
    f, rel = _absorption_table()
    return np.asarray(np.interp(np.asarray(frequency_hz, dtype=float), f, rel))


def emission_relative(frequency_hz: FloatArray,
                      temperature_k: float = SPECTRUM_TEMPERATURE_K) -> FloatArray:
    """Emission line shape σe(ν)/σa(peak) from the McCumber relation [-].

    Notes
    -----
    σe(ν) = σa(ν) exp((ε − hν)/kT) ([3]; [2]), ε = h c / λ_ε with λ_ε
    :data:`MCCUMBER_WAVELENGTH_NM`.
    """
    f = np.asarray(frequency_hz, dtype=float)
    f_eps = constants.c / (MCCUMBER_WAVELENGTH_NM * 1e-9)
    return np.asarray(absorption_relative(f)
                      * np.exp(constants.h * (f_eps - f) / (constants.k * temperature_k)))


def default_saturation_parameter(peak_absorption_per_m: float) -> float:
    """ζ = π b² ρ / τ [1/(m s)] ([1] Sec. II) with ρ = α_peak / (Γ σa,peak).

    The Er density follows from the fibre's peak absorption; b, Γ, σa,peak and τ are the
    typical values :data:`DOPED_RADIUS_M`, :data:`SIGNAL_OVERLAP`,
    :data:`PEAK_ABSORPTION_CROSS_SECTION_M2`, :data:`METASTABLE_LIFETIME_S`.
    """
    rho = peak_absorption_per_m / (SIGNAL_OVERLAP * PEAK_ABSORPTION_CROSS_SECTION_M2)
    return math.pi * DOPED_RADIUS_M**2 * rho / METASTABLE_LIFETIME_S


@dataclass(frozen=True)
class EdfParameters:
    """An erbium-doped fibre.

    Attributes
    ----------
    length_m : float
        Fibre length [m].
    peak_absorption_db_per_m : float
        Small-signal absorption at the 1530 nm peak [dB/m] (a data-sheet number).
    saturation_parameter_per_m_s : float or None
        ζ [1/(m s)]; ``None``: :func:`default_saturation_parameter`.
    """

    length_m: float
    peak_absorption_db_per_m: float
    saturation_parameter_per_m_s: float | None = None

    @property
    def peak_absorption_per_m(self) -> float:
        """α at the peak [1/m]."""
        return self.peak_absorption_db_per_m * math.log(10.0) / 10.0

    @property
    def zeta(self) -> float:
        """ζ [1/(m s)]."""
        if self.saturation_parameter_per_m_s is not None:
            return self.saturation_parameter_per_m_s
        return default_saturation_parameter(self.peak_absorption_per_m)

    def coefficients(self, frequency_hz: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(α(ν), g*(ν)) [1/m] at the given frequencies."""
        a = self.peak_absorption_per_m
        return a * absorption_relative(frequency_hz), a * emission_relative(frequency_hz)


@dataclass(frozen=True)
class GilesResult:
    """Per-channel result of the EDF (arrays: leading axes × channels).

    Attributes
    ----------
    gain : array (..., n)
        Signal power gain P(L)/P(0) [-].
    ase_w : array (..., n)
        Forward ASE at the output in each channel's bandwidth, both polarisations [W].
    noise_figure : array (..., n)
        NF = 1/G + P_ASE/(G h ν B) [-].
    pump_out_w : array (..., p)
        Residual power of each pump where it leaves the EDF [W].
    z_m : array (m,)
        Nodes [m].
    inversion : array (..., m)
        n2 = N2/N_t at the nodes [-].
    ase_total_forward_w, ase_total_backward_w : array (...)
        Total ASE leaving the fibre forward / backward over the ASE bins [W].
    """

    gain: FloatArray
    ase_w: FloatArray
    noise_figure: FloatArray
    pump_out_w: FloatArray
    z_m: FloatArray
    inversion: FloatArray
    ase_total_forward_w: FloatArray
    ase_total_backward_w: FloatArray


def _solve_monotone(fun_and_slope: Callable[[FloatArray], tuple[FloatArray, FloatArray]],
                    lo: FloatArray, hi: FloatArray, x0: FloatArray, scale: float,
                    max_iter: int = 60) -> FloatArray:
    """Root of an increasing function on [lo, hi] (elementwise): Newton steps kept inside the
    bracket, bisection when a step leaves it."""
    x = np.clip(x0, lo, hi)
    lo = lo.copy()
    hi = hi.copy()
    tol = 1e-12 * scale
    for _ in range(max_iter):
        f, df = fun_and_slope(x)
        pos = f > 0.0
        hi = np.where(pos, x, hi)
        lo = np.where(pos, lo, x)
        step = f / df
        x_new = x - step
        out = (x_new < lo) | (x_new > hi)
        x_new = np.where(out, 0.5 * (lo + hi), x_new)
        if float(np.max(np.abs(x_new - x), initial=0.0)) < tol:
            return np.asarray(x_new)
        x = x_new
    return np.asarray(x)


def _saleh(alpha: FloatArray, gstar: FloatArray, u: FloatArray, q_in: FloatArray,
           length_m: float, z: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Exact two-level solution without spontaneous source ([4]).

    Parameters: α, g*, u (k,); q_in (..., k) = P_in/(h ν ζ) at each wave's input end [m].
    Returns X(z) (..., m), q(z) (..., m, k), Γ(z) (..., m, k) = (α + g*) X − α z.
    """
    ag = alpha + gstar

    def f_total(x: FloatArray) -> tuple[FloatArray, FloatArray]:
        e = np.exp(ag * x[..., None] - alpha * length_m)
        return (np.sum(q_in * (e - 1.0), axis=-1) + x,
                np.sum(q_in * ag * e, axis=-1) + 1.0)

    lead = q_in.shape[:-1]
    x_l = _solve_monotone(f_total, np.zeros(lead), np.full(lead, length_m),
                          np.full(lead, 0.5 * length_m), length_m)
    g_l = ag * x_l[..., None] - alpha * length_m
    fwd = u > 0
    q0 = np.where(fwd, q_in, q_in * np.exp(g_l))  # every wave at z = 0
    c = np.sum(u * q0, axis=-1)  # the invariant Σ u q + X
    q0m = q0[..., None, :]
    um = u
    zm = z[:, None]

    def f_node(x: FloatArray) -> tuple[FloatArray, FloatArray]:
        q = q0m * np.exp(um * (ag * x[..., None] - alpha * zm))
        return (np.sum(um * q, axis=-1) + x - c[..., None],
                np.sum(ag * q, axis=-1) + 1.0)

    xl = x_l[..., None]
    lo = np.maximum(0.0, xl - (length_m - z))
    hi = np.minimum(z, xl) + 0.0 * xl
    lo = np.minimum(lo, hi)
    x_z = _solve_monotone(f_node, lo, hi, xl * z / length_m, length_m)
    gam = ag * x_z[..., None] - alpha * zm
    q = q0m * np.exp(um * gam)
    return x_z, q, gam


def _ase_quadrature(gstar: FloatArray, n2: FloatArray, gam: FloatArray, z: FloatArray,
                    forward: bool) -> FloatArray:
    """∫ 2 g* n2 e^{Γ(L) − Γ(z)} dz (forward) or ∫ 2 g* n2 e^{Γ(z)} dz (backward) [-]: the
    ASE output over h ν B ([1] Sec. II: the spontaneous source term integrated with the exact
    propagator)."""
    w = np.exp(gam[..., -1:, :] - gam) if forward else np.exp(gam)
    integrand = 2.0 * gstar * n2[..., None] * w
    return np.asarray(np.trapezoid(integrand, z, axis=-2))


def _bins() -> tuple[FloatArray, FloatArray]:
    f = 0.5 * (ASE_BIN_EDGES_HZ[1:] + ASE_BIN_EDGES_HZ[:-1])
    return f, np.diff(ASE_BIN_EDGES_HZ)


def giles_amplifier(edf: EdfParameters, signal_frequency_hz: FloatArray,
                    signal_power_w: FloatArray, pump_frequency_hz: float,
                    pump_backward_w: FloatArray | float, pump_forward_w: FloatArray | float = 0.0,
                    *, bandwidth_hz: FloatArray | float = 12.5e9, n_nodes: int = 41,
                    ase_iterations: int = 2) -> GilesResult:
    """Per-channel gain, ASE and noise figure of a pumped EDF (fast solver).

    Parameters
    ----------
    edf : EdfParameters
    signal_frequency_hz : array (n,)
        Channel frequencies [Hz], forward.
    signal_power_w : array (..., n)
        Channel powers entering the EDF [W].
    pump_frequency_hz : float
        Pump frequency [Hz] (1480 nm: 202.6 THz).
    pump_backward_w, pump_forward_w : float or array (...)
        Pump power entering at z = L (counter-propagating) / z = 0 [W].
    bandwidth_hz : float or array (n,)
        Bandwidth in which each channel's ASE is reported [Hz].
    n_nodes : int
        Nodes along the fibre for the inversion profile and the ASE quadrature.
    ase_iterations : int
        Passes of the ASE-in-the-inversion update (0: ASE does not saturate the fibre).

    Returns
    -------
    GilesResult

    Notes
    -----
    See the module notes: exact (Saleh [4]) for signals and pump given the ASE seeds; the ASE
    seeds' inversion feedback is iterated; per-channel ASE by quadrature of the source term of [1].
    """
    f_s = np.asarray(signal_frequency_hz, dtype=float)
    p_s = np.maximum(np.asarray(signal_power_w, dtype=float), 0.0)
    if p_s.shape[-1:] != f_s.shape:
        raise OpticsError("giles_amplifier: signal powers need one value per channel")
    lead = p_s.shape[:-1]
    p_b = np.broadcast_to(np.asarray(pump_backward_w, dtype=float), lead)
    p_f = np.broadcast_to(np.asarray(pump_forward_w, dtype=float), lead)
    length = float(edf.length_m)
    if not (length > 0.0 and edf.peak_absorption_db_per_m > 0.0):
        raise OpticsError("giles_amplifier: EDF length and peak absorption must be positive")
    zeta = edf.zeta
    f_bin, b_bin = _bins()
    nb = f_bin.size
    n = f_s.size
    freq = np.concatenate([f_s, [pump_frequency_hz, pump_frequency_hz], f_bin, f_bin])
    u = np.concatenate([np.ones(n), [-1.0, 1.0], np.ones(nb), -np.ones(nb)])
    alpha, gstar = edf.coefficients(freq)
    hnu_zeta = constants.h * freq * zeta
    z = np.linspace(0.0, length, n_nodes)
    sig_pump = np.concatenate([p_s, p_b[..., None], p_f[..., None]], axis=-1)
    q_in = np.concatenate([sig_pump, np.zeros((*lead, 2 * nb))], axis=-1) / hnu_zeta
    ase_f_sl = slice(n + 2, n + 2 + nb)
    ase_b_sl = slice(n + 2 + nb, n + 2 + 2 * nb)
    b_full = np.concatenate([b_bin, b_bin])
    for it in range(ase_iterations + 1):
        _, q, gam = _saleh(alpha, gstar, u, q_in, length, z)
        n2 = np.sum(alpha * q, axis=-1) / (1.0 + np.sum((alpha + gstar) * q, axis=-1))
        if it == ase_iterations:
            break
        # equivalent input of each ASE bin: its output ASE referred to its input end
        fwd = _ase_quadrature(gstar[ase_f_sl], n2, gam[..., ase_f_sl], z, True)
        bwd = _ase_quadrature(gstar[ase_b_sl], n2, gam[..., ase_b_sl], z, False)
        seed_f = fwd * np.exp(-gam[..., -1, ase_f_sl])
        seed_b = bwd * np.exp(-gam[..., -1, ase_b_sl])
        seeds = np.concatenate([seed_f, seed_b], axis=-1) * b_full  # photons/s per bin
        q_in = np.concatenate([sig_pump / hnu_zeta[: n + 2], seeds / zeta], axis=-1)
    g_end = gam[..., -1, :]
    gain = np.exp(g_end[..., :n])
    hnu_s = constants.h * f_s
    bw = np.broadcast_to(np.asarray(bandwidth_hz, dtype=float), f_s.shape)
    ase_ch = _ase_quadrature(gstar[:n], n2, gam[..., :n], z, True) * hnu_s * bw
    nf = 1.0 / gain + ase_ch / (gain * hnu_s * bw)
    pump_out = np.stack([p_b * np.exp(g_end[..., n]), p_f * np.exp(g_end[..., n + 1])], axis=-1)
    hnu_b = constants.h * f_bin * b_bin
    ase_tf = np.sum(_ase_quadrature(gstar[ase_f_sl], n2, gam[..., ase_f_sl], z, True) * hnu_b,
                    axis=-1)
    ase_tb = np.sum(_ase_quadrature(gstar[ase_b_sl], n2, gam[..., ase_b_sl], z, False) * hnu_b,
                    axis=-1)
    return GilesResult(gain=np.asarray(gain), ase_w=np.asarray(ase_ch),
                       noise_figure=np.asarray(nf), pump_out_w=np.asarray(pump_out), z_m=z,
                       inversion=np.asarray(n2), ase_total_forward_w=np.asarray(ase_tf),
                       ase_total_backward_w=np.asarray(ase_tb))


def giles_amplifier_bvp(edf: EdfParameters, signal_frequency_hz: FloatArray,
                        signal_power_w: FloatArray, pump_frequency_hz: float,
                        pump_backward_w: float, *, bandwidth_hz: float = 12.5e9,
                        tol: float = 1e-6) -> GilesResult:
    """The full Giles–Desurvire equations as a two-point boundary value problem (reference).

    Spontaneous emission is a source in every ASE bin and the ASE enters the inversion ([1]
    Sec. II); signals and the forward ASE start at z = 0, the pump and the backward ASE at
    z = L (backward ASE zero there). Solved by collocation (:func:`scipy.integrate.solve_bvp`,
    signals and pump as log-powers, ASE in units of h ν B) from the fast solution as the initial
    guess. One launch state only (no leading axes); seconds, not milliseconds: for tests.
    Each channel also has a forward ASE bin of width ``bandwidth_hz`` at its own frequency,
    which gives its noise figure.
    """
    from scipy.integrate import solve_bvp

    f_s = np.asarray(signal_frequency_hz, dtype=float)
    p_s = np.asarray(signal_power_w, dtype=float)
    n = f_s.size
    zeta = edf.zeta
    f_bin, b_bin = _bins()
    nb = f_bin.size
    # states: ln P of n signals + pump; ASE (P/(h ν B)) of n channel bins, nb fwd, nb bwd bins
    f_log = np.concatenate([f_s, [pump_frequency_hz]])
    u_log = np.concatenate([np.ones(n), [-1.0]])
    f_ase = np.concatenate([f_s, f_bin, f_bin])
    b_ase = np.concatenate([np.full(n, bandwidth_hz), b_bin, b_bin])
    u_ase = np.concatenate([np.ones(n + nb), -np.ones(nb)])
    a_log, g_log = edf.coefficients(f_log)
    a_ase, g_ase = edf.coefficients(f_ase)
    k_log = 1.0 / (constants.h * f_log * zeta)  # q = P k
    k_ase = b_ase / zeta  # q = (P / h ν B) B / ζ
    nl = n + 1

    def rhs(_z: FloatArray, y: FloatArray) -> FloatArray:
        q_log = np.exp(y[:nl]) * k_log[:, None]
        q_ase = y[nl:] * k_ase[:, None]
        num = np.sum(a_log[:, None] * q_log, axis=0) + np.sum(a_ase[:, None] * q_ase, axis=0)
        den = (1.0 + np.sum((a_log + g_log)[:, None] * q_log, axis=0)
               + np.sum((a_ase + g_ase)[:, None] * q_ase, axis=0))
        n2 = num / den
        d_log = u_log[:, None] * ((a_log + g_log)[:, None] * n2 - a_log[:, None])
        gam_ase = (a_ase + g_ase)[:, None] * n2 - a_ase[:, None]
        d_ase = u_ase[:, None] * (gam_ase * y[nl:] + 2.0 * g_ase[:, None] * n2)
        return np.concatenate([d_log, d_ase])

    y_in = np.concatenate([np.log(np.maximum(p_s, 1e-300)), [math.log(pump_backward_w)]])

    def bc(ya: FloatArray, yb: FloatArray) -> FloatArray:
        res_log = np.where(u_log > 0, ya[:nl], yb[:nl]) - y_in
        res_ase = np.where(u_ase > 0, ya[nl:], yb[nl:])
        return np.concatenate([res_log, res_ase])

    fast = giles_amplifier(edf, f_s, p_s, pump_frequency_hz, pump_backward_w,
                           bandwidth_hz=bandwidth_hz, n_nodes=81)
    z = fast.z_m
    # initial guess: the fast profile (signals, pump from the inversion integral), ASE zero
    x_int = np.concatenate([[0.0], np.cumsum(0.5 * (fast.inversion[1:] + fast.inversion[:-1])
                                             * np.diff(z))])
    gam = (a_log + g_log)[:, None] * x_int[None, :] - a_log[:, None] * z[None, :]
    ln_p = np.empty((nl, z.size))
    ln_p[:n] = y_in[:n, None] + gam[:n]
    ln_p[n] = y_in[n] + (gam[n, -1] - gam[n])  # backward: known at z = L
    y0 = np.concatenate([ln_p, np.zeros((n + 2 * nb, z.size))])
    sol = solve_bvp(rhs, bc, z, y0, tol=tol, max_nodes=20000)
    if not sol.success:
        raise OpticsError(f"giles_amplifier_bvp: solve_bvp did not converge ({sol.message})")
    y_a, y_b = sol.y[:, 0], sol.y[:, -1]
    gain = np.exp(y_b[:n] - y_a[:n])
    hnu_b = constants.h * f_ase * b_ase
    ase_ch = y_b[nl:nl + n] * hnu_b[:n]
    nf = 1.0 / gain + y_b[nl:nl + n] / gain
    zz = sol.x
    yy = sol.y
    q_log = np.exp(yy[:nl]) * k_log[:, None]
    q_ase = yy[nl:] * k_ase[:, None]
    n2 = ((np.sum(a_log[:, None] * q_log, axis=0) + np.sum(a_ase[:, None] * q_ase, axis=0))
          / (1.0 + np.sum((a_log + g_log)[:, None] * q_log, axis=0)
             + np.sum((a_ase + g_ase)[:, None] * q_ase, axis=0)))
    ase_f = float(np.sum(y_b[nl + n:nl + n + nb] * hnu_b[n:n + nb]))
    ase_b = float(np.sum(y_a[nl + n + nb:] * hnu_b[n + nb:]))
    return GilesResult(gain=gain, ase_w=ase_ch, noise_figure=nf,
                       pump_out_w=np.array([math.exp(y_a[n])]), z_m=zz, inversion=n2,
                       ase_total_forward_w=np.asarray(ase_f),
                       ase_total_backward_w=np.asarray(ase_b))
