"""``transcaspian network [SCENARIO] [--json]`` in-process: JSON contract and exit status."""

from __future__ import annotations

import json

import pytest

import transcaspian.commands as commands
from transcaspian import cli
from transcaspian.commands import network as network_command


@pytest.fixture(autouse=True)
def _wired(monkeypatch):
    if network_command not in commands.COMMAND_MODULES:
        monkeypatch.setattr(
            commands, "COMMAND_MODULES", (*commands.COMMAND_MODULES, network_command)
        )


def test_json_output(capsys):
    status = cli.main(["network", "--json", "--cable-length-km", "380", "--capacity-tbps", "16"])
    assert status == 0
    d = json.loads(capsys.readouterr().out)
    assert d["trans_caspian"] == {
        "link": "trans_caspian",
        "ends": ["sumgayit", "aktau"],
        "length_km": 380.0,
        "capacity_tbps": 16.0,
    }
    assert {"a", "b", "rtt_ms", "rtt_ms_without_trans_caspian", "path"} <= set(d["latency"][0])
    assert {"link", "utilisation"} <= set(d["flows"][0])
    assert isinstance(d["transit_through_baku_tbps"], float)
    assert any(c["name"] == "red_sea_2024" for c in d["cuts"])


def test_bad_input_is_one_line_exit_2(capsys):
    status = cli.main(["network", "--cable-length-km", "-5"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (
        "transcaspian: error: --cable-length-km: must be a finite number > 0 and <= 40000 km, "
        "got -5\n"
    )


def test_plain_tables_are_aligned(capsys):
    """Issue 22: every column of the CLI tables lines up with its header, missing values
    ('-') included; the as-routed users' effect is printed."""
    assert cli.main(["network", "--cable-length-km", "380"]) == 0
    out = capsys.readouterr().out.splitlines()
    for first, columns in (
        (" protected pair", ("primary", "backup without line", "same without line")),
        (" cut ", ("unserved Tb/s", "without", "max dRTT ms", "lost pairs")),
    ):
        start = next(i for i, line in enumerate(out) if line.startswith(first))
        header = out[start]
        block = []
        for line in out[start + 1:]:
            if not line.startswith(" ") or line.startswith(" " + " ") or (
                block and len(line) < 10):
                break
            if line.split()[0] in ("cut", "pair", "protected"):
                break
            block.append(line)
        assert len(block) >= 5
        for col in columns:
            end = header.index(col) + len(col)
            for line in block:
                assert line[end - 1] != " " and (len(line) == end or line[end] == " "), (
                    col, line)
    assert any(line.startswith("what users get, as routed: the line alone:") for line in out)


def test_run_states_the_as_routed_effect_not_the_fibre_bound(default_plan, monkeypatch, tmp_path,
                                                             capsys):
    """Issue 21 §6: run's lines give the as-routed effect of the line alone and of the line
    with the Baku hub (P10-P90, the pairs that gain); no 'city pairs faster' fibre-bound
    headline."""
    import importlib

    plan_module = importlib.import_module("transcaspian.plan")
    html_module = importlib.import_module("transcaspian.report.html")

    monkeypatch.setattr(plan_module, "plan", lambda scenario, **_: default_plan)
    monkeypatch.setattr(html_module, "write_outputs", lambda *a, **k: {})
    assert cli.main(["run", "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "latency as routed, the line alone:" in err
    assert "latency as routed, the line with Baku as an interconnection hub:" in err
    assert "P10-P90" in err
    assert "city pairs faster" not in err
    assert "transit through Baku" in err
