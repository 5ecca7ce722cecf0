"""``transcaspian run`` on the default scenario, as a user runs it: a fresh process, wall time.

Target: at most 10 s on 2 cores (every stage, the report and the exports). The reference is the
same command with ``TRANSCASPIAN_SERIAL=1`` (every forked call run in order, in one process),
timed alternately with it; the ratio is what the second core buys. Median of three each. Beside
them, the same command on the code before the declared pipeline and the decision stage
(:mod:`benchmarks.baseline`), run in turn with the current code in this benchmark.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 10.0


def _run_s(out: Path, serial: bool, src_root: Path | None = None) -> float:
    from benchmarks.baseline import env_for

    env = env_for(src_root)
    if serial:
        env["TRANSCASPIAN_SERIAL"] = "1"
    exe = Path(sys.executable).with_name("transcaspian")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c",
                                           "import sys; from transcaspian.cli import main; "
                                           "sys.exit(main())"]
    t0 = time.perf_counter()
    subprocess.run([*cmd, "run", "--out", str(out)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    from benchmarks.baseline import baseline_src

    par, ser, base = [], [], []
    with tempfile.TemporaryDirectory() as d:
        root, ref = baseline_src(Path(d))
        _run_s(Path(d) / "warm", serial=False)  # byte-compile, warm the file cache
        if root is not None:
            _run_s(Path(d) / "warm-b", serial=False, src_root=root)
        for i in range(3):
            par.append(_run_s(Path(d) / f"p{i}", serial=False))
            ser.append(_run_s(Path(d) / f"s{i}", serial=True))
            if root is not None:
                base.append(_run_s(Path(d) / f"b{i}", serial=False, src_root=root))
    p, s = statistics.median(par), statistics.median(ser)
    verdict = "meets" if p <= TARGET_S else "MISSES"
    print(f"  transcaspian run (default): {p:.1f} s wall on {os.cpu_count()} cores "
          f"({verdict} the {TARGET_S:g} s target); serial {s:.1f} s, ratio {s / p:.2f}x")
    if base:
        b = statistics.median(base)
        print(f"  beside the code before the decision stage ({ref}): {b:.1f} s; "
              f"now / before {p / b:.2f}")
    else:
        print(f"  {ref}")


if __name__ == "__main__":
    main()
