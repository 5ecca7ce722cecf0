"""The installation Monte Carlo: 10⁴ simulated installations of the default scenario.

Target: ≤ 2 s on 2 cores for 10⁴ runs (the vectorised :func:`~transcaspian.install.schedule.
simulate`). Beside it, the same model one installation at a time
(:func:`~transcaspian.install.schedule.simulate_naive`, a Python loop over runs), timed on
fewer runs and scaled to 10⁴; the ratio is what vectorising buys. Median of three.
"""

from __future__ import annotations

import statistics
import time

TARGET_S = 2.0
RUNS = 10_000
NAIVE_RUNS = 300


def main() -> None:
    from transcaspian.install.schedule import simulate, simulate_naive
    from transcaspian.install.stage import simulation_plan
    from transcaspian.install.weather import workable_fraction
    from transcaspian.plan import plan
    from transcaspian.scenario import default_scenario

    sc = default_scenario()
    p = plan(sc, until="decision")
    cfg, _, _, sim_plan, _ = simulation_plan(sc, p.route, p.optics.design(p.decision.recommended))
    f_lay = workable_fraction(cfg.weather, cfg.vessel.hs_limit_lay_m)
    f_shore = workable_fraction(cfg.weather, cfg.vessel.hs_limit_shore_m)
    args = (sim_plan, cfg.waterway, f_lay, f_shore, cfg.start_date,
            cfg.weather.year_to_year_sigma)

    def vec() -> float:
        t0 = time.perf_counter()
        simulate(*args, RUNS, cfg.seed)
        return time.perf_counter() - t0

    def naive() -> float:
        t0 = time.perf_counter()
        simulate_naive(*args, NAIVE_RUNS, cfg.seed)
        return (time.perf_counter() - t0) * RUNS / NAIVE_RUNS

    v = statistics.median(vec() for _ in range(3))
    n = statistics.median(naive() for _ in range(3))
    verdict = "ok" if v <= TARGET_S else "OVER TARGET"
    print(f"install Monte Carlo, {RUNS:,} runs: vectorised {v:.3f} s "
          f"(target <= {TARGET_S:g} s: {verdict}); naive loop {n:.1f} s "
          f"(scaled from {NAIVE_RUNS} runs); ratio {n / v:.0f}x")


if __name__ == "__main__":
    main()
