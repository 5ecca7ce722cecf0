"""Issue 22, 'Sweeps': a sweep printed nothing on a non-TTY for 10-60 s (progress went to a
terminal bar only), and the summary's Pareto tables put the swept parameters first, hiding the
front's objective columns off-screen."""

from __future__ import annotations

import io
import re
import threading
import time
from pathlib import Path

import pytest

from transcaspian.cli import main
from transcaspian.sweep.executors import ProgressLines
from transcaspian.sweep.report import FRONTS


class _Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_lines_at_every_tenth_on_a_non_tty() -> None:
    out, clock = io.StringIO(), _Clock()
    show = ProgressLines(100, out, every_s=5.0, clock=clock)
    for k in range(1, 101):
        clock.t += 0.01  # fast partitions: only the 10 % steps are printed
        show(k, 10 * k)
    lines = out.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[0].startswith("sweep: 10/100 partitions (10 %), 100 designs")
    assert lines[-1].startswith("sweep: 100/100 partitions (100 %), 1000 designs")
    assert "\r" not in out.getvalue()


def test_slow_partitions_print_every_few_seconds() -> None:
    out, clock = io.StringIO(), _Clock()
    show = ProgressLines(1000, out, every_s=5.0, clock=clock)
    for k in range(1, 21):  # 2 % of the sweep, 3 s per partition: a line at most every 5 s
        clock.t += 3.0
        show(k, k)
    lines = out.getvalue().splitlines()
    assert 10 <= len(lines) <= 12


def test_heartbeat_while_one_partition_runs() -> None:
    out = io.StringIO()
    with ProgressLines(1, out, every_s=0.05) as show:
        time.sleep(0.4)
        show(1, 7)
    lines = out.getvalue().splitlines()
    beats = [ln for ln in lines if "working on partition 1" in ln]
    assert 2 <= len(beats) <= 10  # rate-limited: ~every 0.05 s, never a flood
    assert lines[-1].startswith("sweep: 1/1 partitions (100 %), 7 designs")
    assert not any(t.name == "sweep-progress" for t in threading.enumerate())


def test_cli_sweep_progress_and_objectives_first(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    # the decision stage gives every front's columns (capacity, CAPEX, NPV, availability)
    status = main(["sweep", "--param", "cable.fibre_pairs=8,16", "--stages", "decision",
                   "--batch-size", "1", "--out", str(out)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "sweep: 2/2 partitions (100 %), 2 designs" in captured.err  # stderr is not a TTY
    html = (out / "summary.html").read_text(encoding="utf-8")
    fronts = {(f.x, f.y) for f in FRONTS}
    heads = re.findall(r"<thead><tr>(.*?)</tr></thead>", html)
    assert heads
    for head in heads:
        cells = re.findall(r"<th[^>]*>(.*?)</th>", head)
        assert cells[0] == "design"
        assert (cells[1], cells[2]) in fronts, cells[:4]
        assert re.findall(r"<th class='obj'>(.*?)</th>", head) == cells[1:3]
