"""Sweep options are checked before ``--out`` is created (issue 22, "Sweep options")."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcaspian.cli import main
from transcaspian.errors import SweepError
from transcaspian.scenario import default_scenario_text, loads_scenario
from transcaspian.sweep.driver import prepare_sweep


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--workers", "0"], "--workers"),
        (["--workers", "-3"], "--workers"),
        (["--batch-size", "0"], "--batch-size"),
        (["--batch-size", "-1"], "--batch-size"),
        (["--shared-out"], "--shared-out"),
    ],
)
def test_bad_option_is_one_line_exit_2_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], named: str
) -> None:
    out = tmp_path / "out"
    status = main(["sweep", "--param", "cable.fibre_pairs=1:2:1", *extra, "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert status == 2, err
    assert len(err.splitlines()) == 1, err
    assert err.count(named) >= 1, err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_batch_size_zero_in_a_spec_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "sweep.yaml"
    spec.write_text("params: {cable.fibre_pairs: [1, 2]}\nbatch_size: 0\n", encoding="utf-8")
    out = tmp_path / "out"
    status = main(["sweep", "--spec", str(spec), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert status == 2 and "--batch-size" in err and "got 0" in err, err
    assert not out.exists()


def test_prepare_sweep_checks_workers_before_out(tmp_path: Path) -> None:
    scenario = loads_scenario(default_scenario_text())
    out = tmp_path / "out"
    with pytest.raises(SweepError, match=r"^--workers: must be at least 1 \(got 0"):
        prepare_sweep(scenario, ["cable.fibre_pairs=1:2:1"], out, workers=0)
    assert not out.exists()
