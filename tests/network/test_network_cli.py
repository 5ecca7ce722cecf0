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
