"""``transcaspian optics`` in-process: JSON compared with tolerances, errors as exit 2.

The command module registers itself with ``register(subparsers)``; until it is wired into
``transcaspian.commands.COMMAND_MODULES`` these tests build a parser with it directly, and the
``transcaspian.cli.main`` test is skipped.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from transcaspian.commands import optics as optics_command
from transcaspian.errors import TranscaspianError

DATA = Path(__file__).parents[1] / "validation" / "data"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="transcaspian")
    optics_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    try:
        code = int(args.func(args) or 0)
    except TranscaspianError as exc:
        code = exc.exit_status
        print(f"transcaspian: error: {exc}", file=__import__("sys").stderr)
    out, err = capsys.readouterr()
    return code, out, err


def test_optics_line_json_matches_gnpy(capsys: pytest.CaptureFixture[str]) -> None:
    """L5_50G at 0 dBm: GNPy 3.0.1 gives GSNR 21.00 dB, SNR_ASE 25.86, SNR_NLI 22.72 at the
    centre channel 193.75 THz (project reference note, table 3d)."""
    code, out, _ = run(["optics", "line", str(DATA / "gnpy_L5_50G.yaml"), "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    ch = {round(c["frequency_thz"], 3): c for c in d["channels"]}
    assert len(ch) == 96
    c = ch[193.75]
    assert c["gsnr_db"] == pytest.approx(21.00, abs=0.02)
    assert c["snr_ase_db"] == pytest.approx(25.86, abs=0.02)
    assert c["snr_nli_db"] == pytest.approx(22.72, abs=0.02)


def test_optics_line_launch_power_option(capsys: pytest.CaptureFixture[str]) -> None:
    """U1_50G at +2 dBm: GNPy gives GSNR 24.46 dB at the centre channel (table 3d)."""
    code, out, _ = run(["optics", "line", str(DATA / "gnpy_U1_50G.yaml"), "--json",
                        "--launch-power-dbm", "2"], capsys)
    assert code == 0
    ch = {round(c["frequency_thz"], 3): c for c in json.loads(out)["channels"]}
    assert ch[193.75]["gsnr_db"] == pytest.approx(24.46, abs=0.02)


def test_optics_line_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["optics", "line", str(DATA / "gnpy_U1_75G.yaml")], capsys)
    assert code == 0
    assert "min GSNR" in out


def test_optics_line_bad_case_is_exit_2(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((DATA / "gnpy_L5_50G.yaml").read_text().replace("type: SSMF", "type: SMF", 1))
    code, _, err = run(["optics", "line", str(bad)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "unknown fibre type 'SMF'" in err
    code, _, err = run(["optics", "line"], capsys)
    assert code == 2 and "give the line-case file" in err


def test_optics_designs_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["optics", "--json", "--cable-length-km", "380"], capsys)
    assert code == 0
    d = json.loads(out)
    assert d["cable_length_km"] == pytest.approx(380.0)
    for x in d["designs"]:
        for key in ("name", "repeaters", "launch_power_dbm", "min_gsnr_db", "margin_db",
                    "capacity_tbps_per_fibre_pair", "system_capacity_tbps", "feasible"):
            assert key in x
    assert d["recommended"] is None and d["decision"] is None  # no route: no decision
    # ... but the capacity knee, a design that closes and can be fed
    by_name = {x["name"]: x for x in d["designs"]}
    knee = by_name[d["capacity_knee"]]
    assert knee["closes"] and d["power"][knee["name"]]["feedable"]
    code, text, _ = run(["optics", "--cable-length-km", "380"], capsys)
    assert code == 0 and f"capacity knee: {knee['name']}" in text


def test_registered_in_main_cli(capsys: pytest.CaptureFixture[str]) -> None:
    from transcaspian import cli
    from transcaspian.commands import COMMAND_MODULES

    if optics_command not in COMMAND_MODULES:
        pytest.skip("optics command not yet wired into transcaspian.commands")
    code = cli.main(["optics", "line", str(DATA / "gnpy_U1_50G.yaml"), "--json"])
    assert code == 0
    assert len(json.loads(capsys.readouterr().out)["channels"]) == 96
