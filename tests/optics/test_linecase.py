"""The line-case format: loading, and one-line OpticsError for every kind of bad input."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from _lines import SSMF, spectrum

from transcaspian.errors import OpticsError
from transcaspian.optics import evaluate_line, line_case_from_dict, load_line_case


def base() -> dict[str, Any]:
    return {
        "name": "t",
        "spectrum": spectrum(8),
        "fibres": {"SSMF": dict(SSMF)},
        "elements": [{"fibre": {"type": "SSMF", "length_km": 80.0}},
                     {"amplifier": {"gain_db": 16.0, "noise_figure_db": 5.0}}],
    }


def _set(path: str, value: Any) -> Any:
    def mod(d: dict[str, Any]) -> None:
        keys = path.split(".")
        cur: Any = d
        for k in keys[:-1]:
            cur = cur[int(k)] if isinstance(cur, list) else cur[k]
        cur[keys[-1]] = value
    return mod


BAD = [
    ("overlapping channels", _set("spectrum.symbol_rate_gbaud", 45.0),
     "spectrum: channels overlap"),
    ("outside band", _set("elements.1.amplifier.band", {"low_thz": 193.7, "high_thz": 196.0}),
     "elements.1.amplifier.band"),
    ("negative length", _set("elements.0.fibre.length_km", -3.0), "elements.0.fibre.length_km"),
    ("absurd loss", _set("fibres.SSMF.loss_db_per_km", 50.0), "fibres.SSMF.loss_db_per_km"),
    ("absurd NF", _set("elements.1.amplifier.noise_figure_db", 99.0),
     "elements.1.amplifier.noise_figure_db"),
    ("empty line", _set("elements", []), "elements: needs at least 1 item"),
    ("no fibre", _set("elements", [{"amplifier": {"gain_db": 3.0}}]), "elements: the line has no"),
    ("unknown key", _set("spectrum.spacing", 50.0), "spectrum.spacing: unknown key"),
    ("misspelt element key", _set("elements.0.fibre.lenght_km", 3.0),
     "elements.0.fibre.lenght_km: unknown key"),
    ("unknown element", _set("elements", [{"splitter": {}}]), "unknown element 'splitter'"),
    ("unknown fibre type", _set("elements.0.fibre.type", "SMF28"),
     "elements.0.fibre.type: unknown fibre type 'SMF28'"),
    ("missing spectrum", lambda d: d.pop("spectrum"), "spectrum: required field is missing"),
    ("unknown nli model", _set("nli_model", "ssfm"), "nli_model"),
    ("ropa without pump", _set("elements", [
        {"fibre": {"type": "SSMF", "length_km": 80.0}},
        {"ropa": {"pump_power_w": 0.0}},
        {"fibre": {"type": "SSMF", "length_km": 80.0}}]), "elements.1.ropa.pump_power_w"),
    ("ropa at the end", _set("elements", [
        {"fibre": {"type": "SSMF", "length_km": 80.0}}, {"ropa": {}}]), "elements.1.ropa"),
    ("raman without power", _set("elements.0.fibre.raman", {"model": "undepleted_pump"}),
     "pump_power_w is required"),
    ("booster without gain", _set("elements", [
        {"amplifier": {}}, {"fibre": {"type": "SSMF", "length_km": 80.0}}]),
     "elements.0.amplifier.gain_db"),
    ("not a mapping element", _set("elements", ["fibre"]),
     "elements.0: each entry must be a mapping"),
]


@pytest.mark.parametrize(("label", "mod", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_line_naming_the_field(label: str, mod: Any, fragment: str) -> None:
    data = copy.deepcopy(base())
    mod(data)
    with pytest.raises(OpticsError) as info:
        line_case_from_dict(data, source="case.yaml")
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith("case.yaml: ")
    assert fragment in msg


def test_load_line_case_file_errors(tmp_path: Path) -> None:
    with pytest.raises(OpticsError, match="not found"):
        load_line_case(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(OpticsError, match="YAML syntax error"):
        load_line_case(bad)
    top = tmp_path / "list.yaml"
    top.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(OpticsError, match="top level must be a mapping"):
        load_line_case(top)


def test_round_trip_through_yaml(tmp_path: Path) -> None:
    import yaml

    p = tmp_path / "case.yaml"
    p.write_text(yaml.safe_dump(base()), encoding="utf-8")
    case = load_line_case(p)
    assert case.spectrum.n_channels == 8
    again = line_case_from_dict(case.model_dump(mode="json", exclude_defaults=True))
    assert again == case


@pytest.mark.parametrize("launch", [float("nan"), 45.0, -60.0])
def test_absurd_launch_power_is_refused(launch: float) -> None:
    with pytest.raises(OpticsError, match="launch_power_dbm"):
        evaluate_line(line_case_from_dict(base()), launch)


def test_to_dict_has_channels_list() -> None:
    d = evaluate_line(line_case_from_dict(base())).to_dict()
    assert len(d["channels"]) == 8
    assert set(d["channels"][0]) >= {"frequency_thz", "gsnr_db", "snr_ase_db", "snr_nli_db"}
