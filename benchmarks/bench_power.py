"""Power-limited design benchmark: the whole fibre pairs × output × spacing grid at once.

:func:`transcaspian.power.tradeoff.power_limited_design` for 6,600 km and 13,000 km cables with
the default grid (32 pair counts × 23 spacings × 49 output powers = 36,064 designs), against a
plain Python loop over the same grid calling the same scalar formulas (run on a subset and
extrapolated). Run: ``python -m benchmarks bench_power``.
"""

from __future__ import annotations

import time

import numpy as np


def _loop(cfg, length: float, limit: int) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    from transcaspian.power.repeater import repeater_power_w
    from transcaspian.power.tradeoff import shannon_per_fibre_pair_bps

    t = cfg.trade
    r = cfg.conductor_resistance_ohm_per_km[cfg.main_cable_type]
    n = 0
    t0 = time.perf_counter()
    for k in range(t.fibre_pairs[0], t.fibre_pairs[1] + 1):
        for s in np.arange(t.span_km[0], t.span_km[1] + 1e-9, t.span_km[2]):
            for p in np.arange(t.output_power_dbm[0], t.output_power_dbm[1] + 1e-9,
                               t.output_power_dbm[2]):
                spans = float(np.ceil(length / s))
                v = 0.5 * (r * length + cfg.earth_potential_v_per_km * length + (spans - 1)
                           * float(repeater_power_w(p, k, cfg.repeater)) / cfg.line_current_a)
                if v <= cfg.usable_v_per_end:
                    shannon_per_fibre_pair_bps(p, length / spans, spans, t)
                n += 1
                if n >= limit:
                    return n, time.perf_counter() - t0
    return n, time.perf_counter() - t0


def main() -> None:
    from transcaspian.power.config import PowerConfig
    from transcaspian.power.tradeoff import power_limited_design

    cfg = PowerConfig()
    for length in (6600.0, 13000.0):
        power_limited_design(cfg, length)  # warm
        reps = 20
        t0 = time.perf_counter()
        for _ in range(reps):
            res = power_limited_design(cfg, length)
        dt = (time.perf_counter() - t0) / reps
        n, naive = _loop(cfg, length, 3000)
        naive_full = naive / n * res.grid_points
        best = res.best_index
        print(f"power-limited design {length:,.0f} km: {res.grid_points:,} designs in "
              f"{dt * 1e3:.2f} ms; naive loop ~{naive_full:.2f} s (extrapolated from {n:,}); "
              f"x{naive_full / dt:,.0f}; best {res.fibre_pairs[best] if best is not None else '-'}"
              " pairs")


if __name__ == "__main__":
    main()
