"""Reliability benchmarks: the line's Monte Carlo and the corridor's city-pair availability.

1. 10^6 simulated cable-years of the line (Trans-Caspian-like fault zones, default repair model)
   with :func:`transcaspian.reliability.montecarlo.simulate_line` (vectorised over years),
   against a naive Python loop over years and faults in the same process (run on a subset and
   extrapolated). Target (issue 9): <= 1 s.
2. Availability of every demand pair of the bundled corridor, with and without the line (exact
   enumeration of <= 2 failures + Monte Carlo), with
   :func:`transcaspian.reliability.corridor.corridor_availability`, against the naive way in
   networkx (rebuild the graph for each state, ``has_path`` per pair), on a subset of states and
   extrapolated. Target (issue 9): <= 5 s.
"""

from __future__ import annotations

import math
import time

import numpy as np

YEARS = 1_000_000
NAIVE_YEARS = 20_000
NAIVE_STATES = 300

#: zones like the default route's (faults/yr, depth m): shelf SA, slope LWP, shore DA, ROPA
ZONES = ((0.070, 77.0), (0.027, 579.0), (0.0071, 13.0), (0.002, 23.0), (0.0028, 767.0),
         (0.0028, 459.0))


def _naive_line(years: int, seed: int) -> float:
    """Mean outage hours per year, one year and one fault at a time (the baseline)."""
    from transcaspian.reliability.config import ReliabilityConfig
    from transcaspian.reliability.repair import sample_repair_days

    cfg = ReliabilityConfig()
    rng = np.random.default_rng(seed)
    lam = np.array([z[0] for z in ZONES])
    dep = np.array([z[1] for z in ZONES])
    total = 0.0
    for _ in range(years):
        n = rng.poisson(lam.sum())
        intervals = []
        for _ in range(n):
            z = rng.choice(lam.size, p=lam / lam.sum())
            day = rng.uniform(0.0, 365.25)
            dur = float(sample_repair_days(rng, cfg.repair, dep[z:z + 1], np.array([day]))[0])
            intervals.append((day, day + dur))
        intervals.sort()
        end = -math.inf
        for s, e in intervals:
            total += max(0.0, e - max(s, end))
            end = max(end, e)
    return total * 24.0 / years


def bench_line() -> None:
    from transcaspian.reliability.config import ReliabilityConfig
    from transcaspian.reliability.montecarlo import simulate_line

    cfg = ReliabilityConfig()
    lam = np.array([z[0] for z in ZONES])
    dep = np.array([z[1] for z in ZONES])
    simulate_line(lam, dep, cfg.repair, cfg.spares, design_life_years=25, years=1000, seed=0)
    t0 = time.perf_counter()
    mc = simulate_line(lam, dep, cfg.repair, cfg.spares, design_life_years=25, years=YEARS,
                       seed=1)
    t_vec = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive_mean = _naive_line(NAIVE_YEARS, 2)
    t_naive = (time.perf_counter() - t0) * YEARS / NAIVE_YEARS
    print(f"line Monte Carlo, {mc.years:,} cable-years: vectorised {t_vec:.2f} s "
          f"({'meets' if t_vec <= 1.0 else 'MISSES'} the 1 s target); naive loop "
          f"{t_naive:.1f} s extrapolated from {NAIVE_YEARS:,} years; ratio {t_naive / t_vec:.0f}x")
    print(f"  mean outage {mc.mean_outage_hours:.1f} ± {mc.sampling_error_hours:.1f} h/yr "
          f"(naive subset {naive_mean:.1f} h/yr)")


def bench_corridor() -> None:
    import itertools

    import networkx as nx

    from transcaspian.network.analysis import analyse_corridor
    from transcaspian.reliability.config import ReliabilityConfig
    from transcaspian.reliability.corridor import corridor_availability, failure_units
    from transcaspian.scenario import default_scenario

    sc = default_scenario()
    a, b = sc.landings.a, sc.landings.b
    net = analyse_corridor(sc.network, trans_caspian_length_km=372.0,
                           trans_caspian_landings_deg=((a.lat_deg, a.lon_deg),
                                                       (b.lat_deg, b.lon_deg)))
    cfg = ReliabilityConfig()
    t0 = time.perf_counter()
    res = corridor_availability(net, cfg, line_unavailability=0.0144, line_rate_per_year=0.11,
                                seed=1)
    t_vec = time.perf_counter() - t0
    units = failure_units(net.corridor, cfg, line_link=net.trans_caspian_link,
                          line_unavailability=0.0144)
    live = np.flatnonzero(units.q > 0)
    states = [(), *((i,) for i in live), *itertools.combinations(live, 2)]
    n_states = len(states)
    links = net.corridor.links
    pairs = res.pairs
    t0 = time.perf_counter()
    for st in states[:NAIVE_STATES]:
        down = np.zeros(len(links), bool)
        for u in st:
            down |= units.cuts[u]
        g = nx.MultiGraph()
        g.add_nodes_from(units.node_ids)
        g.add_edges_from((lk.a, lk.b) for lk, d in zip(links, down, strict=True) if not d)
        for x, y in pairs:
            nx.has_path(g, x, y)
    # naive: the same states again without the line, and the Monte Carlo states as well
    per_state = (time.perf_counter() - t0) / NAIVE_STATES
    sampled = cfg.corridor.monte_carlo_samples + cfg.corridor.residual_samples
    t_naive = per_state * 2 * (n_states + sampled)
    print(f"corridor availability, {len(pairs)} city pairs (every demand pair and the study's "
          f"latency pairs) x {n_states:,} states (+{sampled:,} sampled) with and without the "
          "line: "
          f"vectorised {t_vec:.2f} s ({'meets' if t_vec <= 5.0 else 'MISSES'} the 5 s target); "
          f"naive networkx {t_naive:.1f} s extrapolated from {NAIVE_STATES} states; ratio "
          f"{t_naive / t_vec:.0f}x")


def main() -> None:
    bench_line()
    bench_corridor()


if __name__ == "__main__":
    main()
