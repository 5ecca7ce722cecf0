"""``transcaspian power`` and the power verdict of ``optics --cable-length-km``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from transcaspian.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_power_for_a_marea_length_needs_no_route(capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    plan_module = importlib.import_module("transcaspian.plan")

    def no_route(*a: object, **k: object) -> None:
        raise AssertionError("power --cable-length-km must not run the pipeline")

    monkeypatch.setattr(plan_module, "plan", no_route)
    status, out, err = _run(capsys, "power", "--cable-length-km", "6600", "--json")
    assert status == 0, err
    d = json.loads(out)
    assert d["cable_length_km"] == 6600.0 and d["length_source"] == "--cable-length-km"
    assert d["feeding"] in {"single_end", "double_end"}
    assert d["repeaters"] == 109  # ceil(6600 / 60) - 1
    assert d["repeater_power_w"] > 0 and d["pfe_v_per_end"] > 0
    assert 0 < d["pfe_v_per_end"] <= d["usable_v_per_end"] and d["feasible"]
    trade = d["power_limited_design"]
    assert trade["best"] is not None and trade["best"]["feasible"]
    assert len(trade["by_fibre_pairs"]) == 32
    for row in trade["by_fibre_pairs"]:
        assert row["pfe_v_per_end"] <= d["usable_v_per_end"] + 1e-6


def test_power_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "power", "--cable-length-km", "12000")
    assert status == 0
    assert "power-limited design" in out and "<- best" in out
    assert "reference design: 199 repeaters" in out


@pytest.mark.parametrize("value", ["-5", "nan", "50000"])
def test_bad_length_is_one_line_exit_2(capsys: pytest.CaptureFixture[str], value: str) -> None:
    status, out, err = _run(capsys, "power", "--cable-length-km", value)
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "--cable-length-km" in lines[0], err


def test_bad_power_field_in_the_scenario_names_it(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from transcaspian.scenario import default_scenario_text

    d = yaml.safe_load(default_scenario_text())
    d["power"]["repeater"]["edfa_power_conversion_efficiency"] = 0.9
    p = tmp_path / "s.yaml"
    p.write_text(yaml.safe_dump(d), encoding="utf-8")
    status, _, err = _run(capsys, "power", str(p), "--cable-length-km", "6600")
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert "power.repeater.edfa_power_conversion_efficiency" in err


def test_optics_at_a_length_gives_each_design_a_power_verdict(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "optics", "--cable-length-km", "900", "--json")
    assert status == 0, err
    d = json.loads(out)
    names = {x["name"] for x in d["designs"]}
    assert set(d["power"]) == names
    for x in d["designs"]:
        v = d["power"][x["name"]]
        assert isinstance(v["feedable"], bool) and v["reason"]
        if x["repeaters"] > 0:
            assert v["pfe_v_per_end"] > 0 and v["repeaters"] == x["repeaters"]
