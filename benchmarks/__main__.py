"""Run every benchmark: ``python -m benchmarks [name ...]``."""

from __future__ import annotations

import importlib
import sys

BENCHES = (
    "bench_route", "bench_optics", "bench_raman", "bench_network", "bench_latency",
    "bench_install", "bench_reliability", "bench_economics", "bench_power", "bench_sweep",
    "bench_report",
    "bench_run",
)


def main(argv: list[str] | None = None) -> int:
    names = argv if argv else list(BENCHES)
    for name in names:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            print(f"== {name}: not available ({exc})")
            continue
        print(f"== {name}")
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
