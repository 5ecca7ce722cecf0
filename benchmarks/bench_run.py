"""``transcaspian run`` on the default scenario, as a user runs it: a fresh process, wall time.

Target: at most 10 s on 2 cores (every stage, the report and the exports). The reference is the
same command with ``TRANSCASPIAN_SERIAL=1`` (every forked call run in order, in one process),
timed alternately with it; the ratio is what the second core buys. Median of three each.
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


def _run_s(out: Path, serial: bool) -> float:
    env = dict(os.environ)
    env.pop("TRANSCASPIAN_SERIAL", None)
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
    par, ser = [], []
    with tempfile.TemporaryDirectory() as d:
        _run_s(Path(d) / "warm", serial=False)  # byte-compile, warm the file cache
        for i in range(3):
            par.append(_run_s(Path(d) / f"p{i}", serial=False))
            ser.append(_run_s(Path(d) / f"s{i}", serial=True))
    p, s = statistics.median(par), statistics.median(ser)
    verdict = "meets" if p <= TARGET_S else "MISSES"
    print(f"  transcaspian run (default): {p:.1f} s wall on {os.cpu_count()} cores "
          f"({verdict} the {TARGET_S:g} s target); serial {s:.1f} s, ratio {s / p:.2f}x")


if __name__ == "__main__":
    main()
