"""``transcaspian reliability`` in-process: JSON keys, the line's numbers, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transcaspian.cli import main
from transcaspian.scenario import default_scenario_text


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_reliability_json_default_scenario(capsys) -> None:
    status, out, _ = _run(capsys, "reliability", "--json", "--years", "5000", "--seed", "3")
    assert status == 0
    d = json.loads(out)
    for key in ("ship_repairs_per_year", "availability", "outage_hours_per_year", "zones",
                "fault_density_per_km_year", "analytic", "monte_carlo", "repair_allowance",
                "protection_options", "corridor", "plant"):
        assert key in d
    an, mc = d["analytic"], d["monte_carlo"]
    assert mc["simulated_years"] == 5000
    oh = mc["outage_hours_per_year"]
    assert abs(oh["mean"] - an["outage_hours_per_year"]) < 4 * oh["sampling_error"]
    assert 0.9 < d["availability"] < 1.0
    # the line is shallow: more faults per km than the global average, ~0.038 for 372 km
    assert d["cable_faults_per_year"] > 0.103 * 0.372
    assert d["ship_repairs_per_year"] >= d["cable_faults_per_year"]
    opts = {r["option"].split(" (")[0]: r for r in d["protection_options"]}
    assert opts["line + second cable"]["availability"] > d["availability"]
    c = d["corridor"]
    assert c["pairs"] and 0.0 <= c["mass_left_out"] < 1.0
    for r in c["pairs"]:
        assert r["availability"] >= r["availability_without_line"] - 1e-12


@pytest.mark.parametrize(("block", "field"), [
    ("reliability: {global_fault_rate_per_1000km_year: -0.1}", "global_fault_rate_per_1000km_year"),
    ("reliability: {cause_shares: {human: 1.5, environmental: 0.1, other: 0.1}}", "human"),
    ("reliability: {zone_factors: [{factor: hazard_multiplier, key: kraken, cause: human, "
     "value: 2}]}", "reliability.zone_factors.0: hazard_multiplier 'kraken'"),
])
def test_bad_input_one_line_exit_2(tmp_path: Path, capsys, block: str, field: str) -> None:
    text = default_scenario_text().split("\nreliability:")[0] + "\n" + block + "\n"
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    status, _, err = _run(capsys, "reliability", str(p), "--json")
    assert status == 2
    assert field in err and err.strip().count("\n") == 0
