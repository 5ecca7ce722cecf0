"""``transcaspian sweep`` in-process: bad input is one line and exit 2 before any work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transcaspian.cli import main
from transcaspian.geo import stage as route_stage


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any stage run fails the test: the errors must come before the work."""

    def boom(*args: object, **kw: object) -> None:
        raise AssertionError("a stage ran before the sweep's input was checked")

    monkeypatch.setattr(route_stage, "run_route", boom)


@pytest.mark.parametrize(
    ("param", "named"),
    [
        ("cable.fibre_pairz=1:4:1", "cable.fibre_pairz"),            # unknown field
        ("cable.fibre_pairs=1:80:1", "cable.fibre_pairs"),           # out of bounds (<= 64)
        ("route.caspian_level_m=-20:-25:1", "route.caspian_level_m"),  # empty range
        ("optics.fibre.loss_db_per_km=0.1,60", "optics.fibre.loss_db_per_km"),
        ("optics.nli_model=gn_closed_form,magic", "optics.nli_model"),
        ("description=a,b", "description"),                         # read by no stage
    ],
)
def test_bad_param_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          no_work: None, param: str, named: str) -> None:
    out = tmp_path / "out"
    status = main(["sweep", "--param", param, "--out", str(out)])
    _, err = capsys.readouterr()
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert named in lines[0]
    assert not out.exists()


def test_bad_sampler_options(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             no_work: None) -> None:
    out = str(tmp_path / "o")
    cases = [
        (["--param", "route.caspian_level_m=uniform(-34,-28)"], "--sample"),
        (["--param", "cable.fibre_pairs=1:4:1", "--sample", "lhs"], "--n"),
        (["--param", "cable.fibre_pairs=1:4:1", "--workers", "2", "--scheduler",
          "tcp://127.0.0.1:1"], "--workers and --scheduler"),
        (["--param", "cable.fibre_pairs=1:4:1", "--stages", "optics,weather"], "weather"),
    ]
    for extra, named in cases:
        status = main(["sweep", *extra, "--out", out])
        err = capsys.readouterr().err.strip()
        assert status == 2 and named in err and len(err.splitlines()) == 1, err


def test_spec_file_and_json_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "sweep.yaml"
    spec.write_text(
        "params:\n  cable.fibre_pairs: [8, 16, 32]\n"
        "  optics.target_system_capacity_tbps: 100:300:200\n"
        "stages: [decision]\nbatch_size: 4\n", encoding="utf-8")
    out = tmp_path / "out"
    status = main(["sweep", "--spec", str(spec), "--out", str(out), "--json"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    d = json.loads(captured.out)
    assert d["n_designs"] == 6 and d["n_partitions"] == 2 and d["format"] == "parquet"
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Pareto front" in html
    assert "<script" not in html and 'src="http' not in html and "href='http" not in html
    bad = tmp_path / "bad.yaml"
    bad.write_text("parms: {}\n", encoding="utf-8")
    assert main(["sweep", "--spec", str(bad), "--out", str(out)]) == 2
    assert "parms" in capsys.readouterr().err
