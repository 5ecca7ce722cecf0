"""Distributed Raman amplification as it really is: the Raman gain spectrum of silica, the
coupled power equations of any number of co- and counter-propagating pumps and channels
(pump–pump transfer, pump depletion by the signal, channel–channel SRS), their spontaneous
emission, double Rayleigh backscattering, and the undepleted-pump closed form with the region
where it holds.

Everything is vectorised: waves (channels and pumps) on the last axis, design variants on
leading axes, SI units.

References
----------
.. [1] J. Bromage, "Raman amplification for fiber communications systems", JLT 22(1):79-93,
   2004, doi:10.1109/JLT.2003.822828 (eqs. 1-3 coupled equations and undepleted gain,
   eq. 8 spontaneous emission factor, Sec. IV double Rayleigh backscattering).
.. [2] A. D'Amico et al., "Scalable and disaggregated GGN approximation applied to a C+L+S
   optical network", JLT 40(11):3499-3511, 2022, Sec. III.D (measured SSMF Raman gain profile,
   the table GNPy 3.0.1 bundles as ``DEFAULT_RAMAN_COEFFICIENT``).
.. [3] D. Hollenbeck, C. D. Cantrell, "Multiple-vibrational-mode model for fiber-optic Raman
   gain spectrum and response function", JOSA B 19(12):2886-2892, 2002, Table 1.
.. [4] G. P. Agrawal, *Nonlinear Fiber Optics*, 5th ed., Academic Press 2013, Sec. 8.1
   (g_R ≈ 1e-13 m/W at a 1 µm pump, ∝ pump frequency; halved for scrambled polarisations).
.. [5] S. A. E. Lewis, S. V. Chernikov, J. R. Taylor, "Characterization of double Rayleigh
   scatter noise in Raman amplifiers", IEEE PTL 12(5):528-530, 2000 (DRB crosstalk integral).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

import numpy as np
from scipy import constants

from ..errors import OpticsError
from ..units import FloatArray
from .raman_march import _RELAX_BUDGET, _SHOOT_ITERATIONS, _hermite, _March, _relax, _shoot

__all__ = [
    "RAMAN_GAIN_SPECTRA",
    "RamanGainSpectrum",
    "RamanGainSpectrumName",
    "RamanSolution",
    "UndepletedValidity",
    "double_rayleigh_ratio",
    "nli_profile_factor",
    "nli_profile_ratio",
    "raman_coefficients",
    "raman_gain_spectrum",
    "solve_raman",
    "solver_grid",
    "spontaneous_raman_ase_w",
    "undepleted_on_off_gain_np",
    "undepleted_validity",
]

#: Named Raman gain spectra (``FibreType.raman_gain_spectrum``).
RamanGainSpectrumName = Literal["ssmf_damico2022", "silica_hollenbeck2002"]
RAMAN_GAIN_SPECTRA: tuple[str, ...] = ("ssmf_damico2022", "silica_hollenbeck2002")


@dataclass(frozen=True)
class RamanGainSpectrum:
    """Polarisation-averaged Raman gain g_R(Δf) [m/W] for a pump at ``reference_frequency_hz``.

    Attributes
    ----------
    name : str
    offset_hz : array (k,)
        Pump−signal frequency offsets, ascending from 0 [Hz].
    gain_m_per_w : array (k,)
        g_R at each offset [m/W] (divide by the pump–signal overlap area for 1/(W m)).
    reference_frequency_hz : float
        Pump frequency the table refers to [Hz]; g_R scales ∝ pump frequency ([4] Sec. 8.1).
    source : str
    """

    name: str
    offset_hz: FloatArray
    gain_m_per_w: FloatArray
    reference_frequency_hz: float
    source: str

    def gain(self, offset_hz: FloatArray) -> FloatArray:
        """g_R at ``|offset_hz|`` for the reference pump [m/W] (linear interpolation, 0 beyond
        the table)."""
        return np.asarray(np.interp(np.abs(offset_hz), self.offset_hz, self.gain_m_per_w,
                                    right=0.0))

    @property
    def peak_offset_hz(self) -> float:
        """Offset of the gain peak [Hz]."""
        return float(self.offset_hz[int(np.argmax(self.gain_m_per_w))])


def _read_damico() -> RamanGainSpectrum:
    ref = resources.files("transcaspian").joinpath("data", "raman_gain_ssmf_damico2022.csv")
    f_ref = math.nan
    rows: list[tuple[float, float]] = []
    for line in ref.read_text(encoding="utf-8").splitlines():
        if line.startswith("# reference_frequency_hz:"):
            f_ref = float(line.split(":", 1)[1])
        elif line and not line.startswith("#") and not line.startswith("frequency"):
            a, b = line.split(",")
            rows.append((float(a) * 1e12, float(b)))
    arr = np.asarray(rows)
    return RamanGainSpectrum("ssmf_damico2022", arr[:, 0], arr[:, 1], f_ref,
                             "measured SSMF profile, D'Amico et al. JLT 40(11) 2022 (GNPy 3.0.1)")


#: Hollenbeck & Cantrell [3] Table 1: component position [1/cm], peak intensity [-], Gaussian
#: FWHM [1/cm], Lorentzian FWHM [1/cm] of the 13 vibrational modes of fused silica.
_HC_MODES = np.array([
    [56.25, 1.00, 52.10, 17.37], [100.00, 11.40, 110.42, 38.81],
    [231.25, 36.67, 175.00, 58.33], [362.50, 67.67, 162.50, 54.17],
    [463.00, 74.00, 135.33, 45.11], [497.00, 4.50, 24.50, 8.17],
    [611.50, 6.80, 41.50, 13.83], [691.67, 4.60, 155.00, 51.67],
    [793.67, 4.20, 59.50, 19.83], [835.50, 4.50, 64.30, 21.43],
    [930.00, 2.70, 150.00, 50.00], [1080.00, 3.10, 91.00, 30.33],
    [1215.00, 3.00, 160.00, 53.33],
])
#: Peak g_R of fused silica for co-polarised waves at a 1 µm pump [m/W] ([4] Sec. 8.1.1);
#: halved for the random relative polarisation of a fibre amplifier ([4] Sec. 8.1.1).
_SILICA_PEAK_GAIN_1UM_M_PER_W = 1.0e-13


def _hollenbeck() -> RamanGainSpectrum:
    """Im H_R(Δω) of the intermediate-broadening response of [3] eq. 11, normalised to the
    peak gain of [4]."""
    c_cm = constants.c * 100.0  # cm/s
    pos, amp, gauss, lor = (_HC_MODES[:, k] for k in range(4))
    omega_v = 2.0 * math.pi * c_cm * pos
    gamma = math.pi * c_cm * lor
    big_gamma = math.pi * c_cm * gauss
    t = np.arange(0.0, 3e-12, 1e-15)
    h = ((amp / omega_v)[:, None] * np.exp(-gamma[:, None] * t) * np.exp(-(big_gamma[:, None] * t)
         ** 2 / 4.0) * np.sin(omega_v[:, None] * t)).sum(axis=0)
    offsets = np.arange(0.0, 42.01e12, 0.1e12)
    img = np.trapezoid(h * np.sin(2.0 * math.pi * offsets[:, None] * t), t, axis=1)
    img = np.maximum(img, 0.0)
    gain = 0.5 * _SILICA_PEAK_GAIN_1UM_M_PER_W * img / img.max()
    return RamanGainSpectrum("silica_hollenbeck2002", offsets, gain, constants.c / 1e-6,
                             "fused silica, Hollenbeck & Cantrell JOSA B 19(12) 2002, peak "
                             "1e-13 m/W at 1 um (Agrawal NLFO 8.1), polarisation-scrambled")


@lru_cache(maxsize=4)
def raman_gain_spectrum(name: str = "ssmf_damico2022") -> RamanGainSpectrum:
    """The named Raman gain spectrum (immutable, read once).

    ``ssmf_damico2022``: measured SSMF profile of [2] (GNPy's default), referred to a pump at
    206.18 THz. ``silica_hollenbeck2002``: the 13-mode model of fused silica of [3], scaled to
    the peak gain of [4].
    """
    if name == "ssmf_damico2022":
        return _read_damico()
    if name == "silica_hollenbeck2002":
        return _hollenbeck()
    raise OpticsError(f"raman_gain_spectrum: unknown spectrum {name!r} "
                      f"(known: {', '.join(RAMAN_GAIN_SPECTRA)})")


def raman_coefficients(frequency_hz: FloatArray, effective_area_m2: FloatArray,
                       spectrum: RamanGainSpectrum, *, photon_conserving: bool = True
                       ) -> FloatArray:
    """Raman coupling matrix C_ij [1/(W m)] between every pair of waves.

    Parameters
    ----------
    frequency_hz : array (N,)
        Frequencies of all waves (channels and pumps) [Hz].
    effective_area_m2 : array (N,)
        A_eff at each frequency [m²].
    spectrum : RamanGainSpectrum
    photon_conserving : bool
        The higher frequency loses f_j/f_i times the power the lower one gains (one photon
        for one photon, [1] eq. 1). ``False``: it loses the same power (GNPy 3.0.1's
        ``Fiber.cr``, which cancels its own vibrational-loss factor).

    Returns
    -------
    C : array (N, N)
        ±dP_i/dz = (−α_i + Σ_j C_ij P_j) P_i (sign: direction of travel of wave i).

    Notes
    -----
    For f_j > f_i: C_ij = g_R(f_j − f_i) (f_j / f_ref) / A_ov,ij with the overlap area
    A_ov,ij = (A_eff,i + A_eff,j)/2 (the convention of [2] and GNPy) and g_R ∝ pump frequency
    ([4] Sec. 8.1); C_ji = −(f_j/f_i) C_ij (photon conserving).
    """
    f = np.asarray(frequency_hz, dtype=float)
    a = np.asarray(effective_area_m2, dtype=float)
    df = f[None, :] - f[:, None]
    hi = np.maximum(f[None, :], f[:, None])
    g = spectrum.gain(df) * hi / spectrum.reference_frequency_hz / (0.5 * (a[:, None] + a[None, :]))
    ratio = f[:, None] / f[None, :] if photon_conserving else np.ones_like(df)
    return np.asarray(np.where(df > 0, g, np.where(df < 0, -g * ratio, 0.0)))


@dataclass(frozen=True)
class RamanSolution:
    """Power of every wave along a fibre, from :func:`solve_raman`.

    Attributes
    ----------
    z_m : array (m,)
        Grid from the fibre input [m].
    power_w : array (..., m, N)
        Power of each wave at each position [W]. Variants that did not converge hold the
        attenuation-only profile (finite numbers, never used as a result).
    forward : array (N,) of bool
        True for waves travelling with the signal (launched at z = 0).
    iterations : int
        Forward–backward sweeps done.
    residual_np : float
        Largest change of ln P in the last sweep among the converged variants [Np].
    converged : array (...) of bool, optional
        Per launch variant: the relaxation met its tolerance (``None``: all did).
    """

    z_m: FloatArray
    power_w: FloatArray
    forward: np.ndarray
    iterations: int
    residual_np: float
    converged: np.ndarray | None = None

    @property
    def output_w(self) -> FloatArray:
        """Power of each wave where it leaves the fibre (z = L forward, z = 0 backward) [W]."""
        return np.asarray(np.where(self.forward, self.power_w[..., -1, :],
                                   self.power_w[..., 0, :]))

    @property
    def converged_mask(self) -> np.ndarray:
        """:attr:`converged` with every variant filled in (leading shape of ``power_w``)."""
        lead = self.power_w.shape[:-2]
        if self.converged is None:
            return np.ones(lead, dtype=bool)
        return np.broadcast_to(self.converged, lead)


#: Default step of the solver grid near the fibre ends [m], the coarser step in the middle of
#: a long fibre [m], the length of the fine zone at each end [m] and the fewest steps per fibre.
DEFAULT_STEP_M: float = 1000.0
COARSE_STEP_M: float = 5000.0
FINE_ZONE_M: float = 40e3
_MIN_STEPS = 60


def solver_grid(length_m: float, step_m: float = DEFAULT_STEP_M) -> FloatArray:
    """Positions of the solver grid [m]: ``step_m`` within 40 km of each end (where pumps and
    the launched signal make the rates change), 5 × ``step_m`` in between, at least 60 steps.

    In the middle of a long fibre every wave only decays (its rate is nearly constant), where
    the trapezoidal rule in ln P is exact; the fine zones hold the curvature.
    """
    coarse = COARSE_STEP_M * step_m / DEFAULT_STEP_M
    zone = FINE_ZONE_M
    if length_m <= 2.0 * zone + 2.0 * coarse:
        return np.linspace(0.0, length_m, max(_MIN_STEPS, math.ceil(length_m / step_m)) + 1)
    n_fine = max(_MIN_STEPS // 2, math.ceil(zone / step_m))
    left = np.linspace(0.0, zone, n_fine + 1)
    mid = np.linspace(zone, length_m - zone, math.ceil((length_m - 2.0 * zone) / coarse) + 1)
    right = np.linspace(length_m - zone, length_m, n_fine + 1)
    return np.concatenate([left, mid[1:-1], right])


#: The integration grid (:func:`integration_grid`): its steps grow geometrically by this
#: factor from ``step_m`` at each end, up to this many times the middle step of
#: :func:`solver_grid`.
INTEGRATION_GROWTH: float = 1.3
INTEGRATION_MID_FACTOR: float = 4.0
_MIN_INTEGRATION_STEPS = 12


def integration_grid(length_m: float, step_m: float = DEFAULT_STEP_M) -> FloatArray:
    """Positions where :func:`solve_raman` integrates [m]: ``step_m`` at each end, growing by
    :data:`INTEGRATION_GROWTH` a step towards the middle, at most
    :data:`INTEGRATION_MID_FACTOR` × the middle step of :func:`solver_grid`.

    Pumps and the launched signal make the rates change fastest at the ends (a second-order
    pump hands its power to the first-order ones within a few km); further in, every wave's
    rate changes slowly, and the integrator (:func:`_exp_simpson`: exact for constant rates,
    fourth order in the change of the rates) takes long steps. The solution is then given
    on :func:`solver_grid` by cubic Hermite interpolation of ln P with the exact node rates.
    """
    h_max = INTEGRATION_MID_FACTOR * COARSE_STEP_M * step_m / DEFAULT_STEP_M
    half = 0.5 * length_m
    left = [0.0]
    h = step_m
    while left[-1] + h < min(FINE_ZONE_M, half) - 0.25 * h:
        left.append(left[-1] + h)
        h = min(h * INTEGRATION_GROWTH, h_max)
    a, b = left[-1], length_m - left[-1]
    mid = np.linspace(a, b, max(1, math.ceil((b - a) / h_max)) + 1)
    right = length_m - np.asarray(left[::-1])
    z = np.concatenate([np.asarray(left[:-1]), mid, right[1:]])
    if z.size <= _MIN_INTEGRATION_STEPS:  # a short fibre: uniform steps, at least 12
        return np.linspace(0.0, length_m, _MIN_INTEGRATION_STEPS + 1)
    return z



def solve_raman(alpha_per_m: FloatArray, coefficients: FloatArray, launch_w: FloatArray,
                forward: np.ndarray, length_m: float, *, step_m: float = DEFAULT_STEP_M,
                tolerance_np: float = 1e-4, max_iterations: int = 200,
                on_divergence: Literal["raise", "mask"] = "raise",
                shoot_iterations: int | None = None,
                integrator: Literal["exponential", "heun"] = "exponential") -> RamanSolution:
    """Solve the coupled Raman power equations of channels and pumps in one fibre.

    Parameters
    ----------
    alpha_per_m : array (N,)
        Attenuation of each wave [1/m].
    coefficients : array (N, N)
        C_ij from :func:`raman_coefficients` [1/(W m)].
    launch_w : array (..., N)
        Launched power of each wave [W]: at z = 0 for forward waves, at z = L for backward.
    forward : array (N,) of bool
        Direction of each wave.
    length_m : float
        Fibre length [m].
    step_m : float
        Grid step near the ends [m]: of the output grid (:func:`solver_grid`) and the first
        step of the integration grid (:func:`integration_grid`).
    tolerance_np, max_iterations :
        Stop the forward–backward relaxation when no ln P changes by more than
        ``tolerance_np`` in a sweep. The relaxation converges geometrically, so the error
        left is well below the last change: at the default 1e-4 Np the on-off gain is within
        1e-4 dB of the converged solution on the validation spans (150 km, 0.5-1 W).
    on_divergence : {"raise", "mask"}
        What to do with launch variants that do not converge within ``max_iterations``
        (or whose gain runs away): refuse the call (:class:`OpticsError`), or return them
        flagged in :attr:`RamanSolution.converged` (a batched sweep or a design search
        scores them infeasible and goes on).
    shoot_iterations : int, optional
        Newton iterations of the shooting fallback (default 40; a design search that scores
        an unsettled candidate infeasible may use fewer).
    integrator : {"exponential", "heun"}
        ``exponential`` (default): :func:`_exp_simpson` on :func:`integration_grid`, the
        profiles given on :func:`solver_grid` by cubic Hermite interpolation. ``heun``: the
        trapezoidal rule in ln P on :func:`solver_grid` itself (the scheme before; kept as a
        reference: ``tests/optics/test_raman.py`` compares the two).

    Returns
    -------
    RamanSolution

    Notes
    -----
    ±dP_i/dz = (−α_i + Σ_j C_ij P_j) P_i ([1] eq. 1), a two-point boundary-value problem
    (forward waves known at z = 0, backward ones at z = L) of any number of pumps of any
    order (a 13xx nm pump feeds 14xx nm pumps or seeds like any other wave), integrated for
    y = ln P. Over a step each Δy_i is −α_i h + Σ_j C_ij ∫P_j dz; the integrals are taken for
    powers exponential over the step (predictor) and then by Simpson's rule with the middle
    from the cubic Hermite interpolant of ln P (two corrections, :func:`_exp_simpson`): exact
    for constant rates, so the steps follow the change of the rates and grow from 1 km at the
    ends to 20 km in the middle (:func:`integration_grid`, 23 steps for 150 km instead of
    the trapezoidal rule's 94 on :func:`solver_grid`). On the validation spans the on-off
    gain is within 0.003 dB of the trapezoidal rule at 100 m (the trapezoidal rule at 1 km:
    0.009-0.012 dB); ``tests/optics/test_raman.py`` halves the step and compares the two
    schemes. Waves that travel in the same direction are integrated together; the two
    directions are coupled by Gauss–Seidel relaxation (the shooting-free iteration of
    GNPy's ``RamanSolver`` and of Bromage [1] Sec. II), Anderson-accelerated
    (:func:`_relax`): forward sweep with the latest backward profile, backward sweep with the
    new forward profile, until the profiles stop changing. A variant whose change grows from
    one sweep to the next is under-relaxed (y ← y_old + ω (y − y_old), ω halved down to 1/8;
    the boundary values are the same in both, so the two-point conditions hold throughout).
    With waves in one direction only, one sweep is exact.
    """
    fwd_in = np.asarray(forward, dtype=bool)
    # forward waves first, then backward: each group is a contiguous slice (views, no copies)
    order = np.argsort(~fwd_in, kind="stable")
    back = np.argsort(order)
    nf = int(fwd_in.sum())
    n_all = fwd_in.size
    fwd = fwd_in[order]
    alpha = np.asarray(alpha_per_m, dtype=float)[order]
    c_t = np.asarray(coefficients, dtype=float)[np.ix_(order, order)].T
    p_in = np.maximum(np.asarray(launch_w, dtype=float)[..., order], 1e-30)
    z = solver_grid(length_m, step_m)
    dz = np.diff(z)
    zc = z if integrator == "heun" or not length_m > 0.0 else integration_grid(length_m, step_m)
    lead = p_in.shape[:-1]
    n_var = math.prod(lead)
    sign = np.where(fwd, 1.0, -1.0)
    # initial guess: attenuation only, z-major (m, B, N): every step of the march reads and
    # writes one contiguous (B, G) block per direction group
    ln_in = np.log(p_in).reshape(1, n_var, n_all)

    def attenuation_only(zz: FloatArray) -> FloatArray:
        dist = np.where(fwd, zz[:, None], length_m - zz[:, None])  # distance travelled
        return np.asarray(ln_in - (alpha * dist)[:, None, :])

    y0c = attenuation_only(zc)  # on the integration grid (on the output grid when needed)
    yf = np.ascontiguousarray(y0c[..., :nf])
    yb = np.ascontiguousarray(y0c[..., nf:])
    has_fwd, has_bwd = nf > 0, nf < n_all
    fine: dict[int, FloatArray] = {}  # variants given on the output grid directly

    def done(it: int, residual: float, ok: np.ndarray | None) -> RamanSolution:
        yc = np.concatenate([yf, yb], axis=-1)  # (mc, B, N)
        if zc is z:
            y = yc[..., back]
        else:
            with np.errstate(over="ignore", invalid="ignore"):
                rate = sign * (np.exp(yc) @ c_t - alpha)  # dy/dz at the nodes
            # back to the caller's wave order on the (shorter) integration grid
            y = _hermite(zc, yc[..., back], rate[..., back], z)
        for i, yi in fine.items():
            y[:, i] = yi[..., back]
        np.exp(y, out=y)
        p = y.transpose(1, 0, 2).reshape(*lead, z.size, n_all)
        return RamanSolution(z, p, fwd_in, it, residual,
                             None if ok is None else ok.reshape(lead))

    march = _March(c_t, alpha, nf, np.diff(zc), integrator)
    if not (has_bwd and has_fwd):
        with np.errstate(over="ignore", invalid="ignore"):
            if has_fwd:
                march.forward(yf, None)
            if has_bwd:
                march.backward(yb, None)
        y_all = yf if has_fwd else yb
        ok = np.all(np.isfinite(y_all) & (y_all < 50.0), axis=(0, 2))
        if not ok.all():
            if on_divergence == "raise":
                raise OpticsError("raman_pumps: the Raman gain runs away (the pumps are too "
                                  "strong for this fibre; lower their power)")
            y_all[:, ~ok] = (y0c[..., :nf] if has_fwd else y0c[..., nf:])[:, ~ok]
            y0 = attenuation_only(z)
            fine.update({int(i): y0[:, i] for i in np.nonzero(~ok)[0]})
        return done(1, 0.0, None if ok.all() else ok)
    # a first backward sweep against the attenuation-only forward waves: the backward
    # pumps' own transfer (a second-order pump feeding a seed) and their depletion by the
    # unamplified signal before the first forward sweep (one iteration fewer on the
    # validation spans; a variant it sends out of range starts from attenuation only)
    with np.errstate(over="ignore", invalid="ignore"):
        march.backward(yb, yf)
        fine_b = np.all(np.isfinite(yb) & (yb < 50.0), axis=(0, 2))
    if not fine_b.all():
        yb[:, ~fine_b] = y0c[:, ~fine_b, nf:]
    # relaxation first (a few sweeps in the usual regime); what it has not settled within
    # _RELAX_BUDGET sweeps goes to shooting below
    converged, it, last = _relax(yf, yb, y0c, march, tolerance_np,
                                 min(max_iterations, _RELAX_BUDGET))
    if not converged.all():
        # shooting for the variants the relaxation lost (strong pumps: the first forward
        # sweep runs away before the backward one depletes the pumps, and the relaxation
        # oscillates): Newton on the backward waves' unknown ln P at z = 0, Heun on the
        # output grid
        idx = np.nonzero(~converged)[0]
        y0 = attenuation_only(z)
        ys, ok_s, k = _shoot(np.ascontiguousarray(y0[:, idx].transpose(1, 0, 2)), c_t, alpha,
                             nf, dz, tolerance_np, shoot_iterations or _SHOOT_ITERATIONS)
        it += k
        ys = np.where(ok_s[:, None, None], ys, y0[:, idx].transpose(1, 0, 2))
        fine.update({int(i): ys[j] for j, i in enumerate(idx)})
        converged[idx] = ok_s
    if not converged.all() and on_divergence == "raise":
        raise OpticsError(
            f"raman_pumps: the coupled Raman equations did not converge in {max_iterations} "
            f"forward-backward sweeps; the pumps are too strong for this fibre (lower their "
            "power)")
    if not converged.all():
        y0 = attenuation_only(z)
        fine.update({int(i): y0[:, i] for i in np.nonzero(~converged)[0]})
    residual = float(np.max(np.where(converged, last, 0.0))) if converged.any() else math.inf
    return done(it, residual, None if converged.all() else converged)



def _ase_integrand(solution: RamanSolution, frequency_hz: FloatArray,
                   coefficients: FloatArray, channels: np.ndarray, pumps: np.ndarray,
                   temperature_k: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(Σ_p n_sp,ip C_ip P_p(z) / G_i(z), G_i(z), f_i) of [1] eqs. 8-9, on the solver's z."""
    f = np.asarray(frequency_hz, dtype=float)
    p = solution.power_w
    fc, fp = f[channels], f[pumps]
    shift = fp[None, :] - fc[:, None]
    x = constants.h * np.maximum(shift, 1.0) / (constants.k * temperature_k)
    n_sp = 1.0 + 1.0 / np.expm1(x)
    c_ip = np.asarray(coefficients)[np.ix_(channels, pumps)] * (shift > 0)
    g_rel = p[..., channels] / p[..., :1, channels]  # (..., m, n)
    return (p[..., pumps] @ (n_sp * c_ip).T) / g_rel, g_rel, fc


def spontaneous_raman_ase_w(solution: RamanSolution, frequency_hz: FloatArray,
                            coefficients: FloatArray, channels: np.ndarray, pumps: np.ndarray,
                            bandwidth_hz: FloatArray, temperature_k: float) -> FloatArray:
    """ASE of the Raman pumps at the fibre output, per channel, in the bandwidth B [W].

    Parameters
    ----------
    solution : RamanSolution
    frequency_hz : array (N,)
    coefficients : array (N, N)
    channels, pumps : index arrays
        Which waves are channels (forward) and which are pumps.
    bandwidth_hz : array (n,)
        Noise bandwidth per channel [Hz].
    temperature_k : float
        Fibre temperature for the phonon occupancy [K].

    Returns
    -------
    ase : array (..., n)

    Notes
    -----
    P_ASE,i(L) = 2 h f_i B Σ_p n_sp,ip C_ip ∫_0^L P_p(z) G_i(L)/G_i(z) dz, with
    G_i(z) = P_i(z)/P_i(0) and n_sp = 1 + 1/(exp(h(f_p − f_i)/kT) − 1) ([1] eqs. 8-9; both
    polarisations). Pumps below a channel give no gain and no emission. Spontaneous
    scattering between channels is not counted (as in GNPy 3.0.1).
    """
    z = solution.z_m
    integrand, g_rel, fc = _ase_integrand(solution, frequency_hz, coefficients, channels,
                                          pumps, temperature_k)
    integral = np.trapezoid(integrand, z, axis=-2)
    return np.asarray(2.0 * constants.h * fc * np.asarray(bandwidth_hz) * integral
                      * g_rel[..., -1, :])


def spontaneous_raman_ase_profile_w(solution: RamanSolution, frequency_hz: FloatArray,
                                    coefficients: FloatArray, channels: np.ndarray,
                                    pumps: np.ndarray, bandwidth_hz: FloatArray,
                                    temperature_k: float) -> FloatArray:
    """ASE of the Raman pumps along the fibre, per channel, in the bandwidth B [W].

    The same integral as :func:`spontaneous_raman_ase_w` up to each solver node z instead of
    up to L: P_ASE,i(z) = 2 h f_i B Σ_p n_sp,ip C_ip ∫_0^z P_p(z') G_i(z)/G_i(z') dz' ([1]
    eqs. 8-9), cumulative trapezoid on the solver's z grid. Its last node is the output ASE.

    Returns
    -------
    ase : array (..., m, n)
        At ``solution.z_m`` [W].
    """
    from scipy.integrate import cumulative_trapezoid

    z = solution.z_m
    integrand, g_rel, fc = _ase_integrand(solution, frequency_hz, coefficients, channels,
                                          pumps, temperature_k)
    integral = cumulative_trapezoid(integrand, z, axis=-2, initial=0.0)
    return np.asarray(2.0 * constants.h * fc * np.asarray(bandwidth_hz) * integral * g_rel)


def double_rayleigh_ratio(solution: RamanSolution, channels: np.ndarray,
                          backscatter_per_m: float) -> FloatArray:
    """Double-Rayleigh-backscattered power over signal power at the output, per channel [-].

    Notes
    -----
    R_DRB = r² ∫_0^L G(z')² ∫_0^{z'} G(z)^{−2} dz dz' ([5] eq. 1; [1] Sec. IV), with
    G(z) = P(z)/P(0) the channel's net gain profile and r the Rayleigh backscatter coefficient
    (captured fraction × scattering loss) [1/m]. The light scattered back at z', amplified back
    to z and scattered forward again sees the gain of the pumped region twice. It is counted as
    a noise power (multipath interference) in the channel.
    """
    z = solution.z_m
    g = solution.power_w[..., channels] / solution.power_w[..., :1, channels]
    inv2 = g ** -2.0
    inner = np.concatenate([np.zeros_like(inv2[..., :1, :]),
                            np.cumsum(0.5 * (inv2[..., 1:, :] + inv2[..., :-1, :])
                                      * np.diff(z)[:, None], axis=-2)], axis=-2)
    return np.asarray(backscatter_per_m**2 * np.trapezoid(g**2 * inner, z, axis=-2))


def nli_profile_factor(solution: RamanSolution, channels: np.ndarray,
                       alpha_per_m: FloatArray) -> FloatArray:
    """NLI weight of each interfering channel's power profile relative to pure attenuation.

    Returns
    -------
    F : array (..., n)
        ∫_0^L (P_j(z)/P_j(0))² dz / ∫_0^L e^{−2 α_j z} dz [-].

    Notes
    -----
    In the high-dispersion limit the NLI a channel j causes grows with the energy of its
    normalised power profile, ∫ p_j(z)² dz (Parseval applied to the link function
    |∫ p_j(z) e^{jΔβ z} dz|² of the generalised GN model; V. Curri et al., Opt. Express
    21(3):3308, 2013, Sec. 3). Scaling the closed-form η_ij by F_j keeps the closed form's
    asinh frequency dependence and its 1/α asymptotic length: an approximation, good to a
    few tenths of a dB in SNR_NLI for counter-pumped spans where the Raman hump is far from
    the input and carries little of the NLI.
    """
    z = solution.z_m
    g = solution.power_w[..., channels] / solution.power_w[..., :1, channels]
    a = np.asarray(alpha_per_m, dtype=float)
    ref = -np.expm1(-2.0 * a * z[-1]) / (2.0 * a)
    return np.asarray(np.trapezoid(g**2, z, axis=-2) / ref)


def undepleted_on_off_gain_np(coefficients: FloatArray, pump_power_w: FloatArray,
                              pump_alpha_per_m: FloatArray, length_m: float) -> FloatArray:
    """On-off gain of each channel in the undepleted-pump approximation [Np].

    Parameters
    ----------
    coefficients : array (n, p)
        C_ip of channels from pumps [1/(W m)].
    pump_power_w : array (..., p)
        Launched pump powers [W].
    pump_alpha_per_m : array (p,)
    length_m : float

    Returns
    -------
    ln G : array (..., n)
        Σ_p C_ip P_p L_eff,p with L_eff,p = (1 − e^{−α_p L})/α_p ([1] eq. 3), the same for co-
        and counter-pumping.

    Notes
    -----
    Valid only where :func:`undepleted_validity` says so: pumps that do not exchange power
    among themselves and are not depleted by the signal; channel–channel SRS is the same with
    pumps on and off and cancels from the on-off ratio to first order.
    """
    a = np.asarray(pump_alpha_per_m, dtype=float)
    l_eff = -np.expm1(-a * length_m) / a
    return np.asarray((np.asarray(pump_power_w) * l_eff) @ np.asarray(coefficients).T)


@dataclass(frozen=True)
class UndepletedValidity:
    """How far a pump plan is from the undepleted-pump approximation.

    Attributes
    ----------
    pump_pump_np : float
        Largest ln-change of a pump from the other pumps, Σ_q |C_pq| P_q L_eff,q [Np].
    depletion_np : float
        Largest ln-depletion of a pump by the channels, Σ_s |C_ps| ∫ P_s(z) dz [Np] (channel
        profile from the undepleted gain).
    valid : bool
        Both below :data:`UNDEPLETED_LIMIT_NP`.
    """

    pump_pump_np: float
    depletion_np: float
    valid: bool


#: Largest pump-power change [Np] for which the undepleted closed form is accepted
#: (0.05 Np ≈ 0.2 dB of pump, a few hundredths of a dB of signal gain error per dB of gain).
UNDEPLETED_LIMIT_NP: float = 0.05


def undepleted_validity(coefficients: FloatArray, alpha_per_m: FloatArray,
                        launch_w: FloatArray, channels: np.ndarray, pumps: np.ndarray,
                        length_m: float) -> UndepletedValidity:
    """Check a pump plan against the assumptions of :func:`undepleted_on_off_gain_np`.

    ``coefficients`` (N, N), ``alpha_per_m`` (N,), ``launch_w`` (N,) cover every wave; the
    channel power integral uses the undepleted gain profile on a 200-step grid.
    """
    c = np.asarray(coefficients, dtype=float)
    a = np.asarray(alpha_per_m, dtype=float)
    p = np.asarray(launch_w, dtype=float)
    l_eff = -np.expm1(-a * length_m) / a
    cpp = np.abs(c[np.ix_(pumps, pumps)])
    pump_pump = float(np.max(cpp @ (p[pumps] * l_eff[pumps]))) if pumps.size > 1 else 0.0
    z = np.linspace(0.0, length_m, 201)
    # counter-pumped worst case: the pump is strongest where the signal is weakest; use the
    # signal's undepleted profile and the total ∫ P_s dz (an upper bound on the depletion)
    ap = a[pumps]
    gain_z = (p[pumps] * np.expm1(ap * z[:, None]) / ap * np.exp(-ap * length_m)) @ \
        c[np.ix_(channels, pumps)].T
    ps = p[channels] * np.exp(-a[channels] * z[:, None] + gain_z)
    dep = float(np.max(np.abs(c[np.ix_(pumps, channels)]) @ np.trapezoid(ps, z, axis=0)))
    return UndepletedValidity(pump_pump, dep,
                              pump_pump <= UNDEPLETED_LIMIT_NP and dep <= UNDEPLETED_LIMIT_NP)


def _profile_transform(z_m: FloatArray, profile: FloatArray, u: FloatArray) -> FloatArray:
    """|ρ(u)|² with ρ(u) = ∫_0^L p(z) e^{iuz} dz of piecewise-linear profiles p (..., m, n) on
    ``z_m``, for every u (n_u,): the trapezoid rule where u·Δz ≪ 1, the exact integral of the
    linear pieces elsewhere (ρ = [p e^{iuz}/(iu)]_0^L + Σ_k (s_k − s_{k−1}) e^{iuz_k}/(iu)²,
    s the slopes; the form of ``ggn.GgnSpan.nli``). Returns (..., n, n_u)."""
    pt = np.swapaxes(np.asarray(profile, dtype=float), -1, -2)  # (..., n, m)
    dz = np.diff(z_m)
    small = u * float(dz.max()) < 0.05
    out = np.empty((*pt.shape[:-1], u.size))
    if small.any():
        wts = np.zeros(z_m.size)
        wts[:-1] += 0.5 * dz
        wts[1:] += 0.5 * dz
        arg = np.outer(z_m, u[small])  # (m, n_s)
        # real profiles: two real products instead of one complex (half the work, same sums)
        re = pt @ (np.cos(arg) * wts[:, None])
        im = pt @ (np.sin(arg) * wts[:, None])
        out[..., small] = re**2 + im**2
    big = ~small
    if big.any():
        w = 1j * u[big]
        e = np.exp(np.outer(z_m, w))  # (m, n_b)
        d = np.diff(pt, axis=-1) / dz  # slopes (..., n, m-1)
        # Σ_k (s_k − s_{k−1}) e^{iuz_k}: the slope jumps at the nodes, summed by parts as
        # Σ_k s_k (e^{iuz_k} − e^{iuz_{k+1}}) over the m − 1 pieces (one product, no padding)
        k2 = e / w**2
        k2d = k2[:-1] - k2[1:]
        # the ends' term [p e^{iuz}/(iu)]_0^L: two outer products
        k1 = e / w
        p0, pl = pt[..., :1], pt[..., -1:]
        re = pl * k1.real[-1] - p0 * k1.real[0] + d @ k2d.real
        im = pl * k1.imag[-1] - p0 * k1.imag[0] + d @ k2d.imag
        ub = u[big]
        # the two ends' cross term −2 p(0) p(L) cos(uL)/u² oscillates with period 2π/L in u,
        # far faster than any weight varies once uL ≫ 1: it integrates to ~0 there and is
        # dropped (tapered in over uL = 10..20), instead of being aliased by the u grid
        taper = np.clip((ub * z_m[-1] - 10.0) / 10.0, 0.0, 1.0)
        cross = -2.0 * pt[..., :1] * pt[..., -1:] * np.cos(ub * z_m[-1]) / ub**2
        out[..., big] = re**2 + im**2 - taper * cross
    return out


@lru_cache(maxsize=16)
def _offset_weights(n: int, spacing_hz: float, band_hz: float, k: float,
                    u_key: bytes) -> FloatArray:
    """Weight of |ρ(u)|² in the GN integral of a cut–interferer pair d channels apart
    (d = 0..n−1), on the u grid ``u_key`` (trapezoid weights in u included): (n, n_u).

    With Δβ = u = k x y, x = f1 − f over the interferer's band, y = f2 − f over the cut's
    (rectangles of width ``band_hz``), the density of u is ∫ 1{|u| < k|x|B/2}/(k|x|) dx:
    ln((Δf + B/2)/max(Δf − B/2, 2|u|/(kB))) for a neighbour at Δf (flat up to
    k(Δf − B/2)B/2), and ∝ ln(kB²/(4|u|)) for the channel itself (d = 0)."""
    u = np.frombuffer(u_key)
    du = np.gradient(u)
    out = np.zeros((n, u.size))
    half = 0.5 * band_hz
    lim0 = k * half * half
    out[0] = np.where(u < lim0, np.log(lim0 / np.maximum(u, 1e-300)), 0.0)
    for d in range(1, n):
        df = d * spacing_hz
        lo = np.maximum(df - half, 2.0 * u / (k * band_hz))
        out[d] = np.where(u < k * (df + half) * half, np.log((df + half) / lo), 0.0)
    return np.asarray(np.maximum(out, 0.0) * du)


#: Points of the log-spaced u (Δβ) grid of :func:`nli_profile_ratio` (128: SNR_NLI within
#: 0.03 dB of 3000 points on the validation spans, once the ends' cos(uL) cross term is
#: dropped where it averages out) and the most channels on which the ratio is computed
#: (every ⌈n/160⌉-th and the last, linear in frequency between: the ratio follows the
#: Raman gain spectrum's structure channel by channel, so it is not thinned on C-band plans).
_N_U = 128
_RATIO_CHANNELS = 160


@lru_cache(maxsize=16)
def _index_interpolation(n: int, step: int) -> FloatArray:
    """(n, n_s) matrix of the linear interpolation over the channel index from every
    ``step``-th channel and the last to all ``n``."""
    sub = np.arange(0, n, step)
    if sub[-1] != n - 1:
        sub = np.append(sub, n - 1)
    return np.stack([np.interp(np.arange(n), sub, e) for e in np.eye(sub.size)], axis=-1)


def nli_profile_ratio(z_m: FloatArray, gain_profile: FloatArray, alpha_per_m: FloatArray,
                      beta2_s2_per_m: float, band_hz: float, spacing_hz: float) -> FloatArray:
    """Per pair, the GN NLI of the solved power profiles over that of pure attenuation.

    Parameters
    ----------
    z_m : array (m,)
    gain_profile : array (..., m, n)
        P_j(z)/P_j(0) of each channel (the solver's profile).
    alpha_per_m : array (n,)
        Attenuation of each channel [1/m] (the reference profile e^{−α_j z}).
    beta2_s2_per_m : float
        |β2| [s²/m] (constant over the band, as the closed forms take it).
    band_hz, spacing_hz : float
        Channel bandwidth (symbol rate) and spacing [Hz].

    Returns
    -------
    R : array (..., n_i, n_j)
        ψ_ij[p_j] / ψ_ij[e^{−α_j z}], by which the closed form's η_ij is scaled.

    Notes
    -----
    The GN model's NLI of cut i from interferer j is ψ_ij = ∫∫ |ρ_j(Δβ)|² df1 df2 over their
    bands, ρ_j(u) = ∫_0^L p_j(z) e^{iuz} dz, Δβ = 4π²β2 (f1 − f)(f2 − f) (Poggiolini et al.,
    JLT 32(4) 2014, eqs. 8-13; with a non-exponential profile: Cantono et al., JLT 36(15)
    2018, eq. 21; Semrau et al., JLT 37(9) 2019). Reduced to one integral over u with the
    density of Δβ of the pair (:func:`_offset_weights`), both for the solved profile and for
    e^{−α_j z} (whose |ρ|² = (1 − 2e^{−αL} cos uL + e^{−2αL})/(α² + u²)), on a log-spaced u
    grid. Far neighbours weigh every u alike and R tends to the profile-energy ratio of
    :func:`nli_profile_factor` (Parseval); the channel itself and near neighbours weigh small
    u (phase matching, |ρ(0)| = ∫ p dz) more, where forward gain adds most.
    """
    g = np.asarray(gain_profile, dtype=float)
    n = g.shape[-1]
    a = np.asarray(alpha_per_m, dtype=float)
    step = max(1, math.ceil(n / _RATIO_CHANNELS))
    sub = np.arange(0, n, step)
    if sub[-1] != n - 1:
        sub = np.append(sub, n - 1)
    length = float(z_m[-1])
    k = 4.0 * math.pi**2 * abs(beta2_s2_per_m)
    u_max = k * ((n - 1) * spacing_hz + band_hz) * band_hz
    u = np.geomspace(1e-3 / length, u_max, _N_U)
    w = _offset_weights(n, float(spacing_hz), float(band_hz), k, u.tobytes())  # (n_d, n_u)
    num = _profile_transform(z_m, g[..., sub], u) @ w.T  # (..., n_s, n_d)
    a_s = a[sub]
    el = np.exp(-a_s * length)[:, None]
    taper = np.clip((u * length - 10.0) / 10.0, 0.0, 1.0)  # as in _profile_transform
    ref_rho = (1.0 - (1.0 - taper) * 2.0 * el * np.cos(u * length) + el**2) \
        / (a_s[:, None] ** 2 + u**2)
    den = ref_rho @ w.T  # (n_s, n_d)
    # linear interpolation over the channel index from the computed channels to all
    lin = _index_interpolation(n, step)
    ratio = np.einsum("js,...sd->...jd", lin, num / den)  # (..., n_j, n_d)
    idx = np.abs(np.arange(n)[:, None] - np.arange(n)[None, :])  # [i, j] -> |i - j|
    jj = np.broadcast_to(np.arange(n)[None, :], (n, n))
    return np.asarray(ratio[..., jj, idx])
