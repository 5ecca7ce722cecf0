"""Sweep benchmark: 10⁵ complete designs in-process, 10⁶ on Dask, and the memory they take.

* In-process: a grid of 64 fibre-pair counts × capacity targets (10⁵ designs) through every
  declared stage the sweep evaluates (route, optics, power, network, the decision with every
  candidate's availability and business case), beside the same sweep on the code before the
  decision stage (:mod:`benchmarks.baseline`, in a fresh process each) and a loop
  calling ``plan()`` per design on a sample, extrapolated (the same stages: ``plan()`` with
  the sea-level re-routes off, which the sweep does not compute). Target: ≤ 10 s on 2 cores.
* Dask: 10⁶ designs on a LocalCluster of 1 and 2 worker processes (127.0.0.1), after a warm-up
  sweep that fills each worker's stage memo, so the timing is the steady-state throughput;
  scaling efficiency = throughput(2) / (2 × throughput(1)); goal ≥ 80 %.
* Memory: peak RSS of a fresh process running the in-process sweep of 10⁵ and of 10⁶ designs
  (results stream to Parquet, they are not held).

Every number is measured in this run; the ratio compares two timings of this run.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

N_TARGETS_1E5 = 1563  # × 64 fibre-pair counts = 100,032 designs
N_TARGETS_1E6 = 15625  # × 64 = 1,000,000
PLAN_SAMPLE = 2


def _params(n_targets: int) -> list[str]:
    return ["cable.fibre_pairs=1:64:1",
            f"optics.target_system_capacity_tbps=1:{n_targets}:1"]


def _plan_loop_s() -> tuple[float, str]:
    """Seconds per design of a loop calling plan() on each design's scenario, and a note.

    If plan() raises on the default scenario (a stage's input error), the time until it
    raised is what is measured, and the note says so: the ratio is then a lower bound.
    """
    from transcaspian.errors import TranscaspianError
    from transcaspian.plan import plan
    from transcaspian.scenario import default_scenario

    base = default_scenario()
    route = base.route.model_copy(update={"sea_level_sensitivity_m": ()})
    note = ""
    t0 = time.perf_counter()
    for i in range(PLAN_SAMPLE):
        cable = base.cable.model_copy(update={"fibre_pairs": 8 + i})
        try:
            plan(base.model_copy(update={"route": route, "cable": cable}))
        except TranscaspianError as exc:
            note = f" (plan() raised after part of the pipeline: {exc}; ratio is a lower bound)"
    return (time.perf_counter() - t0) / PLAN_SAMPLE, note


def _local(out: Path, n_targets: int) -> tuple[int, float, dict[str, float]]:
    from transcaspian.scenario import default_scenario
    from transcaspian.sweep import prepare_sweep, run_sweep

    t0 = time.perf_counter()
    prepared = prepare_sweep(default_scenario(), _params(n_targets), out)
    res = run_sweep(prepared, progress=lambda d, n: None, summary=False)
    return res.n_designs, time.perf_counter() - t0, res.stage_seconds


def _peak_rss_mb(n_targets: int) -> float:
    """Peak RSS [MB] of a fresh process running the in-process sweep."""
    code = (
        "import resource, sys, tempfile, pathlib\n"
        "from benchmarks.bench_sweep import _local\n"
        "with tempfile.TemporaryDirectory() as d:\n"
        "    _local(pathlib.Path(d) / 'o', int(sys.argv[1]))\n"
        "try:\n"  # VmHWM: this process's own peak (ru_maxrss keeps the forking parent's)
        "    hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')]\n"
        "    print(int(hwm[0].split()[1]) / 1024)\n"
        "except (OSError, IndexError):\n"
        "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(n_targets)], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    return float(out.stdout.strip().splitlines()[-1])


def _dask_throughput(workers: int, tmp: Path) -> float:
    """Designs per second on a LocalCluster of ``workers`` processes (warm stage memos)."""
    import logging

    import distributed

    from transcaspian.scenario import default_scenario
    from transcaspian.sweep import prepare_sweep, run_sweep

    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:
        addr = cluster.scheduler_address
        warm = prepare_sweep(default_scenario(), _params(20 * workers), tmp / f"warm{workers}",
                             batch_size=64, scheduler=addr, shared_out=True)
        run_sweep(warm, progress=lambda d, n: None, summary=False)
        prepared = prepare_sweep(default_scenario(), _params(N_TARGETS_1E6),
                                 tmp / f"dask{workers}", scheduler=addr, shared_out=True)
        t0 = time.perf_counter()
        res = run_sweep(prepared, progress=lambda d, n: None, summary=False)
        return res.n_designs / (time.perf_counter() - t0)


def _fresh_local_s(src_root: Path | None, out: Path) -> float:
    """Seconds of the in-process 10^5 sweep in a fresh process of the given code."""
    from benchmarks.baseline import env_for

    code = ("import sys, time, pathlib\n"
            "from benchmarks.bench_sweep import _local, N_TARGETS_1E5\n"
            "print(_local(pathlib.Path(sys.argv[1]), N_TARGETS_1E5)[1])\n")
    cwd = src_root if src_root is not None else Path(__file__).resolve().parent.parent
    res = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True,
                         check=True, cwd=cwd, env=env_for(src_root))
    return float(res.stdout.strip().splitlines()[-1])


def _beside_baseline(tmp: Path) -> None:
    from benchmarks.baseline import baseline_src

    root, ref = baseline_src(tmp)
    if root is None:
        print(f"  {ref}")
        return
    now = _fresh_local_s(None, tmp / "now")
    before = _fresh_local_s(root, tmp / "before")
    print(f"  fresh processes, in turn: now {now:.2f} s, before the decision stage ({ref}) "
          f"{before:.2f} s; now / before {now / before:.2f}")


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        per_plan, note = _plan_loop_s()
        n, secs, stage_s = _local(tmp / "local", N_TARGETS_1E5)
        loop = per_plan * n
        once = sum(stage_s.values())
        print(f"in-process: {n:,} complete designs (route, optics, power, network, decision) "
              f"in {secs:.2f} s; target <= 10 s")
        _beside_baseline(tmp)
        print(f"  of which one run per distinct input {once:.2f} s "
              f"({', '.join(f'{k} {v:.2f} s' for k, v in stage_s.items())}), per-design array "
              f"work + Parquet {secs - once:.2f} s ({n / max(secs - once, 1e-9):,.0f} designs/s)")
        print(f"plan() loop: {per_plan:.2f} s/design over {PLAN_SAMPLE} designs -> "
              f"{loop / 3600:.1f} h for {n}; ratio {loop / secs:,.0f}x{note}")
        for nt in (N_TARGETS_1E5, N_TARGETS_1E6):
            print(f"peak RSS, in-process sweep of {64 * nt:,} designs: "
                  f"{_peak_rss_mb(nt):.0f} MB")
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("dask: not installed (pip install 'transcaspian[dask]')")
            return
        thr = {w: _dask_throughput(w, tmp) for w in (1, 2)}
        eff = thr[2] / (2 * thr[1])
        print(f"dask, 10^6 designs: {thr[1]:,.0f} designs/s with 1 worker, {thr[2]:,.0f} with "
              f"2; scaling efficiency {eff:.0%} (goal >= 80 %)")


if __name__ == "__main__":
    main()
