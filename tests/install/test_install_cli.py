"""``transcaspian install``: text and JSON output, --runs and --seed."""

from __future__ import annotations

import json

import pytest

from transcaspian.cli import main


def test_install_json_has_the_rfs_and_the_burial_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["install", "--runs", "300", "--seed", "3", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["runs"] == 300 and d["seed"] == 3
    assert d["rfs_p50_days"] <= d["rfs_p90_days"]
    assert d["segments"][0]["kp_start_km"] == 0.0
    assert {m["name"] for m in d["milestones"]} >= {"rfs", "lay_complete", "permits_granted"}
    assert any(p["name"] == "caspian_seabed_route_agreement" for p in d["permits"])


def test_install_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["install", "--runs", "200"]) == 0
    out = capsys.readouterr().out
    assert "RFS P50" in out and "vessel days" in out


def test_install_refuses_too_few_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["install", "--runs", "5"]) == 2
    assert ">= 100" in capsys.readouterr().err
