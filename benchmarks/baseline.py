"""The code before a change, for benchmarks that print a timing beside it in the same run.

:func:`baseline_src` extracts ``src/`` of a git revision (default :data:`BASELINE_REF`, the last
commit before the declared pipeline and the decision stage) into a temporary folder with
``git archive``; a benchmark then runs the same command with ``PYTHONPATH`` pointing there, in
turn with the current code. Without git or that revision (a source tarball), the benchmark says
so and prints the current timing alone. ``TRANSCASPIAN_BENCH_BASELINE=<ref>`` picks another
revision; ``=none`` turns the comparison off.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

#: The commit before "pipeline declared once; decision stage" (issue 18).
BASELINE_REF = "6fe0611"

ROOT = Path(__file__).resolve().parent.parent


def baseline_src(tmp: Path) -> tuple[Path | None, str]:
    """``(path of the baseline's src/, ref)``, or ``(None, reason)``."""
    ref = os.environ.get("TRANSCASPIAN_BENCH_BASELINE", BASELINE_REF)
    if ref.lower() == "none":
        return None, "baseline off (TRANSCASPIAN_BENCH_BASELINE=none)"
    archive = tmp / "baseline.tar"
    try:
        subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive),
                        ref, "src", "benchmarks"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        return None, f"no baseline: git archive {ref} failed ({exc.__class__.__name__})"
    out = Path(tempfile.mkdtemp(dir=tmp, prefix="baseline-"))
    with tarfile.open(archive) as tar:
        tar.extractall(out, filter="data")
    return out, ref


def env_for(src_root: Path | None) -> dict[str, str]:
    """The environment that imports ``transcaspian`` from ``src_root/src`` (None: current)."""
    env = dict(os.environ)
    env.pop("TRANSCASPIAN_SERIAL", None)
    if src_root is not None:
        env["PYTHONPATH"] = str(src_root / "src") + os.pathsep + str(src_root)
    return env
