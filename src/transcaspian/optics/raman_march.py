"""The march of the coupled Raman equations (:func:`.raman.solve_raman`'s internals): the
exponential predictor / Hermite-Simpson integrator of one direction group over the
integration grid, the reference trapezoidal (Heun) step, the Anderson-accelerated
forward-backward relaxation, the shooting fallback and the cubic Hermite output.

Arrays are z-major, ``y`` = ln P (m, B, G): grid nodes first, the design variants flattened on
the second axis, the waves of one direction group last, so that every step of a march reads
and writes one contiguous (B, G) block.

References
----------
.. [1] J. Bromage, "Raman amplification for fiber communications systems", JLT 22(1):79-93,
   2004 (eq. 1, the coupled power equations).
.. [2] D. G. Anderson, "Iterative procedures for nonlinear integral equations", J. ACM
   12(4):547-560, 1965; H. F. Walker, P. Ni, "Anderson acceleration for fixed-point
   iterations", SIAM J. Numer. Anal. 49(4):1715-1735, 2011 (eq. 1.2).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..units import FloatArray


@lru_cache(maxsize=64)
def _hermite_weights(zc_key: bytes, z_key: bytes) -> tuple[FloatArray, FloatArray]:
    """Matrices (W_y, W_r) (m, mc) of the cubic Hermite interpolation from the nodes ``zc``
    to ``z`` (the grids as bytes): y(z) = W_y y(zc) + W_r y'(zc)."""
    zc = np.frombuffer(zc_key)
    z = np.frombuffer(z_key)
    i = np.clip(np.searchsorted(zc, z, side="right") - 1, 0, zc.size - 2)
    h = zc[i + 1] - zc[i]
    t = (z - zc[i]) / h
    t2, t3 = t * t, t * t * t
    rows = np.arange(z.size)
    w_y = np.zeros((z.size, zc.size))
    w_r = np.zeros((z.size, zc.size))
    w_y[rows, i] = 2 * t3 - 3 * t2 + 1
    w_y[rows, i + 1] = -2 * t3 + 3 * t2
    w_r[rows, i] = (t3 - 2 * t2 + t) * h
    w_r[rows, i + 1] = (t3 - t2) * h
    return w_y, w_r


def _hermite(zc: FloatArray, y: FloatArray, rate: FloatArray, z: FloatArray) -> FloatArray:
    """Cubic Hermite interpolation of z-major ``y`` (mc, ...) with slopes ``rate`` (dy/dz, same
    shape) from the nodes ``zc`` to ``z`` (m,), (m, ...)."""
    w_y, w_r = _hermite_weights(zc.tobytes(), z.tobytes())
    flat = (w_y @ y.reshape(zc.size, -1)) + (w_r @ rate.reshape(zc.size, -1))
    return np.asarray(flat.reshape(z.size, *y.shape[1:]))


def _integrate(y: FloatArray, c_t: FloatArray, alpha: FloatArray, sign: FloatArray,
               dz: FloatArray) -> None:
    """Heun integration of every wave from z = 0 to L in ``y`` = ln P (..., m, N), in place,
    from the row ``y[..., 0, :]``: dy_i/dz = s_i (−α_i + Σ_j C_ij P_j) (s = ±1, the
    direction of travel; a backward wave is followed against its travel)."""
    a_s = -alpha * sign
    cs = c_t * sign  # column i scaled by s_i
    for k, h in enumerate(dz.tolist()):
        y_k = y[..., k, :]
        r1 = np.exp(y_k) @ cs + a_s
        pred = y_k + h * r1
        np.minimum(pred, 60.0, out=pred)
        r2 = np.exp(pred) @ cs + a_s
        nxt = y_k + 0.5 * h * (r1 + r2)
        np.minimum(nxt, 60.0, out=nxt)
        y[..., k + 1, :] = nxt


#: Sweeps in a row with a growing change after which the relaxation hands a variant over.
_RISING_SWEEPS = 4
#: Gauss–Seidel sweeps tried before a variant is handed to the shooting solve.
_RELAX_BUDGET = 60
#: Newton iterations of the shooting solve; largest Newton step [Np]; finite-difference step.
_SHOOT_ITERATIONS = 40
_SHOOT_MAX_STEP_NP = 2.0
_SHOOT_FD_NP = 1e-4


def _shoot(y0: FloatArray, c_t: FloatArray, alpha: FloatArray, nf: int, dz: FloatArray,
           tolerance_np: float, iterations: int = 40) -> tuple[FloatArray, np.ndarray, int]:
    """Shooting solve of the two-point problem for a batch ``y0`` (B, m, N) (attenuation-only
    profiles holding the boundary values): the backward waves' ln P at z = 0 are the
    unknowns, every wave is integrated from z = 0 to L (:func:`_integrate`) and Newton
    (finite-difference Jacobian, steps capped at 2 Np) matches the backward launches at L.

    Returns (profiles, converged per variant, integrations done)."""
    b, m, n = y0.shape
    kb = n - nf
    sign = np.where(np.arange(n) < nf, 1.0, -1.0)
    target = y0[:, -1, nf:]
    u = y0[:, 0, nf:].copy()  # the proposal evaluated next
    u_acc = u.copy()  # the last accepted point
    du_acc = np.zeros_like(u)  # its Newton step
    norm_acc = np.full(b, np.inf)
    lam = np.ones(b)
    ok = np.zeros(b, dtype=bool)
    y = y0.copy()
    count = 0
    eye = np.eye(kb) * _SHOOT_FD_NP
    for _ in range(iterations):
        trial = np.broadcast_to(y0[:, 0, :], (kb + 1, b, n)).copy()
        trial[..., nf:] = u + np.concatenate([np.zeros((1, kb)), eye])[:, None, :]
        ys = np.empty((kb + 1, b, m, n))
        ys[..., 0, :] = trial
        with np.errstate(over="ignore", invalid="ignore"):
            _integrate(ys, c_t, alpha, sign, dz)
        count += 1
        end = ys[..., -1, nf:]  # (kb+1, B, kb)
        r = end[0] - target
        blown = ~np.all(np.isfinite(ys[0]) & (ys[0] < 59.0), axis=(-2, -1))
        norm = np.where(blown, np.inf, np.max(np.abs(r), axis=-1))
        done = ~ok & (norm < tolerance_np)
        y[done] = ys[0][done]
        ok |= done
        if ok.all():
            break
        jac = np.moveaxis((end[1:] - end[0]) / _SHOOT_FD_NP, 0, -1)  # (B, i, j)
        better = ~blown & (norm < norm_acc) & np.all(np.isfinite(jac), axis=(-2, -1))
        det_ok = np.abs(np.linalg.det(np.where(better[:, None, None], jac, np.eye(kb)))) > 1e-12
        better &= det_ok
        # accepted: new Newton step from here; rejected: back-track from the accepted point
        if better.any():
            step = -np.linalg.solve(jac[better], r[better][..., None])[..., 0]
            big = np.max(np.abs(step), axis=-1, keepdims=True)
            du_acc[better] = step * np.minimum(1.0, _SHOOT_MAX_STEP_NP / np.maximum(big, 1e-300))
            u_acc[better] = u[better]
            norm_acc[better] = norm[better]
            lam[better] = np.minimum(1.0, 2.0 * lam[better])
        lam = np.where(better, lam, 0.5 * lam)
        fresh = ~np.isfinite(norm_acc)  # nothing accepted yet: walk down 1 Np a step
        if fresh.any():
            u_acc[fresh] = u[fresh]
            du_acc[fresh] = -1.0
            lam[fresh] = 1.0
        u = np.where(ok[:, None], u, u_acc + lam[:, None] * du_acc)
        if np.all(ok | (lam < 1e-4)):
            break
    return y, ok, count


class _March:
    """The march of one direction group of waves over the integration grid, in z-major
    arrays ``y`` = ln P (m, B, G) (in place), with the other direction held fixed.

    The waves of the other direction do not change during the sweep, so their share of every
    rate is computed over the whole grid before the loop: at the nodes, exp(y_other) @
    C_other→group, and over each step, the integral of their powers (exact for powers
    exponential over the step, :func:`_exp_simpson`). Each step then only couples the group's
    own waves and reads and writes one contiguous (B, G) block.
    """

    def __init__(self, c_t: FloatArray, alpha: FloatArray, nf: int, dz: FloatArray,
                 integrator: str = "exponential") -> None:
        self.heun = integrator == "heun"
        self.a_f = alpha[:nf]
        self.a_b = alpha[nf:]
        self.c_ff = np.ascontiguousarray(c_t[:nf, :nf])
        self.c_bb = np.ascontiguousarray(c_t[nf:, nf:])
        self.c_bf = np.ascontiguousarray(c_t[nf:, :nf])  # backward waves → forward rates
        self.c_fb = np.ascontiguousarray(c_t[:nf, nf:])
        self.dz = dz
        self.hs = dz.tolist()
        # C h, C h/8, C h/6 of each group for every step length (built once per solve)
        self.mats_f = _step_matrices(self.c_ff, self.hs)
        self.mats_b = _step_matrices(self.c_bb, self.hs)

    def _fixed(self, y_other: FloatArray | None, dy_other: FloatArray | None,
               c_og: FloatArray, a_g: FloatArray, m: int) -> tuple[FloatArray, FloatArray]:
        """(rate share at the nodes (m, ·, G), its integral over each step (m − 1, ·, G)):
        Simpson's rule on each step with the other waves' ln P at the middle from the cubic
        Hermite interpolant of their node values and z-slopes ``dy_other``."""
        h = self.dz[:, None, None]
        if y_other is None or dy_other is None or not y_other.shape[-1]:
            return (np.broadcast_to(-a_g, (m, 1, a_g.size)),
                    np.broadcast_to(-a_g * h, (m - 1, 1, a_g.size)))
        e = np.exp(y_other)
        node = e @ c_og - a_g
        y_mid = 0.5 * (y_other[1:] + y_other[:-1]) + (h / 8.0) * (dy_other[:-1] - dy_other[1:])
        p_int = (e[:-1] + 4.0 * np.exp(y_mid) + e[1:]) * (h / 6.0)
        return node, p_int @ c_og - a_g * h

    def forward(self, yf: FloatArray, yb: FloatArray | None) -> None:
        """Sweep the forward waves ``yf`` (m, B, nf) from z = 0 to L, backward ones fixed."""
        if self.heun:
            fixed = (np.exp(yb) @ self.c_bf - self.a_f if yb is not None and yb.shape[-1]
                     else np.broadcast_to(-self.a_f, (yf.shape[0], 1, self.a_f.size)))
            _heun(yf, self.c_ff, fixed, self.hs, range(yf.shape[0] - 1), +1)
            return
        dyb = None
        if yb is not None and yb.shape[-1]:  # dy/dz of the backward waves (−their rate)
            dyb = self.a_b - np.exp(yf) @ self.c_fb - np.exp(yb) @ self.c_bb
        node, step = self._fixed(yb, dyb, self.c_bf, self.a_f, yf.shape[0])
        _exp_simpson(yf, self.c_ff, node, step, self.hs, range(yf.shape[0] - 1), +1,
                     self.mats_f)

    def backward(self, yb: FloatArray, yf: FloatArray | None) -> None:
        """Sweep the backward waves ``yb`` (m, B, nb) from z = L to 0, forward ones fixed."""
        if self.heun:
            fixed = (np.exp(yf) @ self.c_fb - self.a_b if yf is not None and yf.shape[-1]
                     else np.broadcast_to(-self.a_b, (yb.shape[0], 1, self.a_b.size)))
            _heun(yb, self.c_bb, fixed, self.hs, range(yb.shape[0] - 1, 0, -1), -1)
            return
        dyf = None
        if yf is not None and yf.shape[-1]:
            dyf = np.exp(yf) @ self.c_ff + np.exp(yb) @ self.c_bf - self.a_f
        node, step = self._fixed(yf, dyf, self.c_fb, self.a_b, yb.shape[0])
        _exp_simpson(yb, self.c_bb, node, step, self.hs, range(yb.shape[0] - 1, 0, -1), -1,
                     self.mats_b)


#: Simpson corrections per step of :func:`_exp_simpson` (one leaves ~0.1 dB on the
#: second-order validation span, R150_2ND, where the seed's rate changes fastest; two leave
#: under 0.003 dB).
_CORRECTIONS = 2
#: A step whose first correction changes no increment by more than this [Np] is not
#: corrected again (the second correction would move it by far less).
_CORRECTION_SETTLED_NP = 1e-7


def _step_matrices(c_gg: FloatArray, hs: list[float]
                   ) -> dict[float, tuple[FloatArray, FloatArray, FloatArray]]:
    """(C h, C h/8, C h/6) for every step length h of the grid."""
    return {h: (c_gg * h, c_gg * (h / 8.0), c_gg * (h / 6.0)) for h in set(hs)}


def _exp_simpson(y: FloatArray, c_gg: FloatArray, node: FloatArray, step: FloatArray,
                 hs: list[float], ks: range, sign: int,
                 mats: dict[float, tuple[FloatArray, FloatArray, FloatArray]] | None = None
                 ) -> None:
    """One sweep along ``ks`` of the z-major group ``y`` = ln P (m, B, G), in place.

    Along its travel each wave obeys dy_i/dx = −α_i + Σ_j C_ij P_j ([1] eq. 1), so over a
    step of length h: Δy_i = −α_i h + Σ_j C_ij ∫P_j dx. Predictor: ∫P_j dx = h P_j(x_k)
    φ(h r_j(x_k)), φ(d) = (e^d − 1)/d (exact while the rates stay constant: pure attenuation,
    a constant gain). Corrector: Simpson's rule on P_j with ln P_j at the middle of the step
    from the cubic Hermite interpolant of its values and rates at both ends (fourth order in
    h; the error is set by how fast the rates change, not by the rates), twice, or once where
    the first correction moved no increment by :data:`_CORRECTION_SETTLED_NP`. The other
    direction's share ``node`` (m, ·, G) at the nodes and ``step`` (m − 1, ·, G) over each
    step (attenuation included) comes from :class:`_March`.
    """
    base = 0 if sign > 0 else 1  # step k → k ± 1 is step number k − base
    hb = np.asarray(hs).reshape(-1, *([1] * (node.ndim - 1)))
    start = node[:-1] if sign > 0 else node[1:]
    end = node[1:] if sign > 0 else node[:-1]
    h_start = list((start + 1e-300) * hb)
    n_end8 = list(end * (hb / 8.0) - _LN4)  # h/8 × the fixed rate at the end, − ln 4
    fixed = list(step)
    if mats is None:
        mats = _step_matrices(c_gg, hs)
    rows = list(y)  # views (B, G), written in place
    e0 = np.empty(y.shape[1:])
    e1 = np.empty_like(e0)
    r = np.empty_like(e0)
    d = np.empty_like(e0)
    t = np.empty_like(e0)
    q = np.empty_like(e0)
    exp, expm1, matmul, add, multiply = np.exp, np.expm1, np.matmul, np.add, np.multiply
    corrections = range(_CORRECTIONS)
    for k in ks:
        j = k - base
        c_h, c_8, c_6 = mats[hs[j]]
        y_k = rows[k]
        y_n = rows[k + sign]
        f_j = fixed[j]
        e_j = n_end8[j]
        exp(y_k, out=e0)
        matmul(e0, c_h, out=d)
        d += h_start[j]  # h r(x_k)
        multiply(d, 0.125, out=q)
        q += y_k  # ln P at the middle without the end's terms
        expm1(d, out=t)  # exponential predictor
        t /= d
        t *= e0
        matmul(t, c_h, out=d)
        d += f_j
        for c in corrections:
            add(y_k, d, out=y_n)  # predictor, then each correction
            exp(y_n, out=e1)
            matmul(e1, c_8, out=r)
            r += e_j  # h/8 × the rate at the end − ln 4
            multiply(d, 0.5, out=t)
            t += q
            t -= r  # ln P at the middle (cubic Hermite) + ln 4
            exp(t, out=t)
            t += e0
            t += e1  # 6 ∫P dx / h (Simpson)
            matmul(t, c_6, out=r)
            r += f_j
            if c == 0:
                d -= r  # the first correction's change: a second where it is not negligible
                d_max = abs(d).max()
                d[...] = r
                if d_max < _CORRECTION_SETTLED_NP:
                    break
            else:
                d[...] = r
        add(y_k, d, out=y_n)  # corrected


_LN4 = math.log(4.0)


def _heun(y: FloatArray, c_gg: FloatArray, fixed: FloatArray, hs: list[float], ks: range,
          sign: int) -> None:
    """One Heun (trapezoidal predictor-corrector) sweep in ln P along ``ks`` of the z-major
    group ``y`` (m, B, G), in place: dy/dz = ±(exp(y) @ C_gg + fixed(z)) (``fixed`` (m, ·, G):
    the attenuation and the other direction's share, already signed by the caller's rows).

    The step y⁺ = y + h/2 (r(y) + r(ỹ)), ỹ = y + h r(y), regrouped so that every part known
    before the march (the ``fixed`` share of both ends of each step, the step h in the
    coupling matrix) is one array operation over the whole grid: per step two exponentials,
    two small matrix products and five additions.
    """
    h_arr = np.asarray(hs)
    if sign > 0:
        f_lo, f_hi = fixed[:-1], fixed[1:]  # step k → k + 1 of length hs[k]
        base = 0
    else:
        f_lo, f_hi = fixed[1:], fixed[:-1]  # step k → k − 1 of length hs[k − 1]
        base = 1
    hb = h_arr.reshape(-1, *([1] * (fixed.ndim - 1)))
    pred_fixed = list(f_lo * hb)  # h f(z_k)
    corr_fixed = list((0.5 * hb) * (f_lo + f_hi))  # h/2 (f(z_k) + f(z_next))
    mats: dict[float, tuple[FloatArray, FloatArray]] = {}
    for h in set(hs):
        mats[h] = (c_gg * h, c_gg * (0.5 * h))
    rows = list(y)  # views (B, G), written in place
    e = np.empty(y.shape[1:])
    e2 = np.empty_like(e)
    r = np.empty_like(e)
    for k in ks:
        j = k - base  # index of the step
        nxt = k + sign
        c_h, c_half = mats[hs[j]]
        y_k = rows[k]
        y_n = rows[nxt]
        np.exp(y_k, out=e)
        np.matmul(e, c_h, out=r)
        np.add(y_k, pred_fixed[j], out=y_n)
        y_n += r  # predictor
        np.exp(y_n, out=e2)
        e += e2
        np.matmul(e, c_half, out=r)
        np.add(y_k, corr_fixed[j], out=y_n)
        y_n += r  # corrector


def _relax(yf: FloatArray, yb: FloatArray, y0: FloatArray, march: _March, tolerance_np: float,
           max_iterations: int) -> tuple[np.ndarray, int, FloatArray]:
    """Gauss–Seidel forward/backward relaxation of the z-major groups ``yf`` (m, B, nf) and
    ``yb`` (m, B, nb) = ln P (in place) from their boundary values, Anderson-accelerated;
    returns (converged per variant, sweeps, last change per variant).

    One iteration maps the backward profile x to g(x): a forward sweep with x, then a
    backward sweep with the new forward profile. The change of an iteration is the largest
    |Δ ln P| of both groups (for the backward group the fixed-point residual |g(x) − x|); a
    variant stops when it is below ``tolerance_np`` and keeps that sweep's output g(x).
    Otherwise the next x is Anderson's extrapolation from the last :data:`_ANDERSON_DEPTH`
    iterations (type II, D. G. Anderson, J. ACM 12(4):547-560, 1965; H. F. Walker, P. Ni,
    SIAM J. Numer. Anal. 49(4):1715-1735, 2011, eq. 1.2): x⁺ = g_k − ΔG γ with
    γ = argmin ‖f_k − ΔF γ‖, f = g(x) − x. The boundary values of x are those of every g, so
    the two-point conditions hold throughout. The relaxation's contraction near 1 (strong,
    depleted pumps) is what the extrapolation removes; where it would not help (a change that
    grows) the history is dropped and the plain iteration resumes.

    Only the variants still iterating are swept (a variant that has met its tolerance keeps
    its solution, whatever the rest of the batch does). Diverging variants (non-finite,
    > 10 Np change after 5 sweeps, P > e^50 W from a plain step) are reset to ``y0``
    (m, B, N) and reported not converged; an extrapolated step that diverges is taken back
    to the plain one. A variant whose change grows is under-relaxed (no extrapolation), and
    one whose change has grown :data:`_RISING_SWEEPS` sweeps in a row is handed over (not
    converged) to the shooting solve."""
    nf = yf.shape[-1]
    m, n_var, nb = yb.shape
    depth = _ANDERSON_DEPTH
    active = np.ones(n_var, dtype=bool)  # still iterating
    ok = np.ones(n_var, dtype=bool)  # not diverged
    omega = np.ones(n_var)
    last = np.full(n_var, np.inf)
    rising = np.zeros(n_var, dtype=int)
    handed = np.zeros(n_var, dtype=bool)
    # Anderson history per variant: differences of residuals f and of maps g (depth, B, D)
    d_f = np.zeros((depth, n_var, m * nb))
    d_g = np.zeros_like(d_f)
    f_prev = np.zeros((n_var, m * nb))
    g_prev = np.zeros((n_var, m * nb))
    n_hist = np.full(n_var, -1)  # −1: no previous point; else columns of history held
    extrapolated = np.zeros(n_var, dtype=bool)  # this iteration's input x came from Anderson
    f_plain = yf.copy()  # the last plain (sweep-output) state, to take back a failed step
    b_plain = yb.copy()
    it = 0
    for it in range(1, max_iterations + 1):
        sel = np.nonzero(active)[0]
        whole = sel.size == n_var
        f_old = yf.copy() if whole else yf[:, sel]  # copies: yf, yb are written below
        b_old = yb.copy() if whole else yb[:, sel]
        f_new = f_old.copy()
        b_new = b_old.copy()
        with np.errstate(over="ignore", invalid="ignore"):
            march.forward(f_new, b_new)
            march.backward(b_new, f_new)
            chg = np.maximum(np.abs(f_new - f_old).max(axis=(0, 2)),
                             np.abs(b_new - b_old).max(axis=(0, 2)))
            top = np.maximum(f_new.max(axis=(0, 2)), b_new.max(axis=(0, 2)))
            bad_s = ~np.isfinite(chg) | ((it >= 5) & (chg > 10.0)) | ~(top <= 50.0)
        retry = bad_s & extrapolated[sel]
        if retry.any():  # an extrapolation overshot: back to the plain state, no history
            ids = sel[retry]
            f_new[:, retry] = f_plain[:, ids]
            b_new[:, retry] = b_plain[:, ids]
            chg = np.where(retry, np.inf, chg)
            n_hist[ids] = -1
            bad_s &= ~retry
        if bad_s.any():  # the gain runs away: infeasible, reset to attenuation only
            f_new[:, bad_s] = y0[:, sel[bad_s], :nf]
            b_new[:, bad_s] = y0[:, sel[bad_s], nf:]
            chg = np.where(bad_s, 0.0, chg)
        change = np.zeros(n_var)
        change[sel] = chg
        bad = np.zeros(n_var, dtype=bool)
        bad[sel] = bad_s
        ok &= ~bad
        active &= ~bad
        grew = active & (change > last) & (it > 2) & ~np.isinf(change)
        rising = np.where(grew, rising + 1, 0)
        gone = active & (rising >= _RISING_SWEEPS)
        if gone.any():  # oscillating: left to the shooting solve
            handed |= gone
            active &= ~gone
        omega = np.where(grew, np.maximum(omega * 0.5, 0.125), omega)
        under = (active & (omega < 1.0))[sel]
        if under.any():  # under-relaxed: y ← y_old + ω (y − y_old)
            w = omega[sel][None, :, None]
            m3 = under[None, :, None]
            f_new = np.where(m3, f_old + w * (f_new - f_old), f_new)
            b_new = np.where(m3, b_old + w * (b_new - b_old), b_new)
        if whole:
            yf[...] = f_new
            yb[...] = b_new
        else:
            yf[:, sel] = f_new
            yb[:, sel] = b_new
        f_plain[:, sel] = f_new
        b_plain[:, sel] = b_new
        last = np.where(active & np.isfinite(change), change, last)
        active &= change >= tolerance_np
        if not active.any():
            break
        extrapolated[:] = False
        # Anderson step for the variants still iterating at full step
        acc = active[sel] & (omega[sel] >= 1.0) & ~grew[sel] & ~retry & ~bad_s
        n_hist[sel[~acc]] = -1
        if not acc.any() or depth == 0:
            continue
        ids = sel[acc]
        g = b_new[:, acc].transpose(1, 0, 2).reshape(ids.size, -1)
        x = b_old[:, acc].transpose(1, 0, 2).reshape(ids.size, -1)
        f = g - x
        have = n_hist[ids] >= 0
        if have.any():
            h_ids = ids[have]
            d_f[:, h_ids] = np.roll(d_f[:, h_ids], -1, axis=0)
            d_g[:, h_ids] = np.roll(d_g[:, h_ids], -1, axis=0)
            d_f[-1, h_ids] = f[have] - f_prev[h_ids]
            d_g[-1, h_ids] = g[have] - g_prev[h_ids]
            n_hist[h_ids] = np.minimum(n_hist[h_ids] + 1, depth)
        n_hist[ids[~have]] = 0
        f_prev[ids] = f
        g_prev[ids] = g
        use = n_hist[ids] > 0
        if not use.any():
            continue
        u_ids = ids[use]
        df = np.moveaxis(d_f[:, u_ids], 0, -1)  # (U, D, depth)
        dg = np.moveaxis(d_g[:, u_ids], 0, -1)
        valid = np.arange(depth)[None, :] >= depth - n_hist[u_ids][:, None]  # (U, depth)
        gram = np.einsum("udi,udj->uij", df, df)
        rhs = np.einsum("udi,ud->ui", df, f[use])
        scale = np.maximum(np.trace(gram, axis1=-2, axis2=-1), 1e-300)[:, None, None]
        vv = valid[:, :, None] & valid[:, None, :]
        gram = np.where(vv, gram, 0.0) + np.eye(depth) * np.where(
            valid[:, None, :], 1e-10 * scale, 1.0)
        rhs = np.where(valid, rhs, 0.0)
        gamma = np.linalg.solve(gram, rhs[..., None])[..., 0]
        x_new = g[use] - np.einsum("udi,ui->ud", dg, gamma)
        # a step far beyond the plain one is not trusted: cap the extrapolation at 1 Np
        x_new = g[use] + np.clip(x_new - g[use], -_ANDERSON_MAX_NP, _ANDERSON_MAX_NP)
        yb[:, u_ids] = x_new.reshape(u_ids.size, m, nb).transpose(1, 0, 2)
        extrapolated[u_ids] = True
    return ok & ~active & ~handed, it, last


#: Iterations of history of the Anderson extrapolation of the relaxation (0: plain
#: Gauss–Seidel) and the largest extrapolation beyond a plain sweep [Np].
_ANDERSON_DEPTH = 3
_ANDERSON_MAX_NP = 1.0
