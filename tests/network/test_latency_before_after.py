"""``compare-measured --before A.csv --after B.csv`` (issue 21 §6): pairs matched across the two
files, the measured change beside the model's predicted change (line + Baku hub switched on).

The two CSVs beside this file are synthetic (hand-made RTTs, not measurements).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import transcaspian.commands as commands
from transcaspian import cli
from transcaspian.commands import network as network_command
from transcaspian.network.before_after import CHANGE_MIN_MS, pair_key
from transcaspian.network.calibration import load_calibration

HERE = Path(__file__).parent
BEFORE, AFTER = HERE / "measured_before.csv", HERE / "measured_after.csv"


@pytest.fixture(autouse=True)
def _wired(monkeypatch):
    if network_command not in commands.COMMAND_MODULES:
        monkeypatch.setattr(
            commands, "COMMAND_MODULES", (*commands.COMMAND_MODULES, network_command)
        )


@pytest.fixture(scope="module")
def result():
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        if network_command not in commands.COMMAND_MODULES:
            commands.COMMAND_MODULES = (*commands.COMMAND_MODULES, network_command)
        status = cli.main(["network", "compare-measured", "--before", str(BEFORE), "--after",
                           str(AFTER), "--json"])
    assert status == 0
    return json.loads(buf.getvalue())


def test_pairs_are_matched_by_names_in_either_order(result):
    s = result["summary"]
    # 7 before, 8 rows after (one pair twice, one reversed); 6 in both
    assert s["matched"] == 6 and s["only_before"] == 1 and s["only_after"] == 1
    assert result["only_before"] == ["Almaty - Istanbul"]
    assert result["only_after"] == ["Baku - London"]
    by = {pair_key(p["city_a"], p["city_b"]): p for p in result["pairs"]}
    # Tehran,Ashgabat in the after file matches Ashgabat,Tehran; the twice-measured pair keeps
    # its lowest RTT
    assert by[pair_key("Ashgabat", "Tehran")]["measured_after_ms"] == 36.0
    assert by[pair_key("Tashkent", "Tehran")]["measured_after_ms"] == 52.0
    for p in result["pairs"]:
        assert p["measured_change_ms"] == pytest.approx(
            p["measured_after_ms"] - p["measured_before_ms"])


def test_predicted_change_is_the_models_switch_to_line_and_hub(result):
    """Pairs that meet in Frankfurt today and in Baku with the hub are predicted to gain a
    lot; a pair whose networks still meet in Frankfurt is predicted unchanged."""
    by = {pair_key(p["city_a"], p["city_b"]): p for p in result["pairs"]}
    ash = by[pair_key("Ashgabat", "Tehran")]
    assert ash["meeting_hub_before"] == "frankfurt" and ash["meeting_hub_after"] == "baku"
    assert ash["predicted_change_ms"] < -20.0
    cal = load_calibration().routed
    if not cal.covariates:  # pooled factors: the P50 change is P50 x the as-routed change
        assert ash["predicted_change_ms"] == pytest.approx(
            cal.p50 * (ash["routed_after_ms"] - ash["routed_before_ms"]))
    assert ash["predicted_change_p90_ms"] <= ash["predicted_change_ms"] <= ash[
        "predicted_change_p10_ms"] < 0.0
    fra = by[pair_key("Baku", "Frankfurt")]
    assert abs(fra["predicted_change_ms"]) <= CHANGE_MIN_MS
    for p in result["pairs"]:
        lo = min(p["predicted_change_p10_ms"], p["predicted_change_p90_ms"])
        hi = max(p["predicted_change_p10_ms"], p["predicted_change_p90_ms"])
        if abs(p["predicted_change_ms"]) <= CHANGE_MIN_MS:
            assert p["in_predicted_interval"] is None  # no width, not scored
        else:
            assert p["in_predicted_interval"] == (lo <= p["measured_change_ms"] <= hi)
    # hand-made: Tbilisi - Almaty measured -4.0 ms; the model predicts a large gain (the hub)
    assert by[pair_key("Tbilisi", "Almaty")]["in_predicted_interval"] is False


def test_summary_scores_the_predicted_change(result):
    s = result["summary"]
    moving = [p for p in result["pairs"] if abs(p["predicted_change_ms"]) > CHANGE_MIN_MS]
    still = [p for p in result["pairs"] if abs(p["predicted_change_ms"]) <= CHANGE_MIN_MS]
    assert s["expected_to_change"] == len(moving) >= 2
    assert s["expected_unchanged"] == len(still) >= 1
    # hand-made: every moving pair's measured change has the predicted sign but Baku-Tbilisi
    signs = [(p["measured_change_ms"] < 0) == (p["predicted_change_ms"] < 0) for p in moving]
    assert s["sign_agrees"] == pytest.approx(sum(signs) / len(signs))
    # unchanged: |-0.8| and |+0.9| -> median 0.85 ms
    assert s["unchanged_median_abs_measured_change_ms"] == pytest.approx(0.85)


def test_text_output_and_errors(capsys):
    assert cli.main(["network", "compare-measured", "--before", str(BEFORE), "--after",
                     str(AFTER)]) == 0
    out = capsys.readouterr().out
    assert "6 pairs in both" in out and "pairs the model expects to change" in out
    assert cli.main(["network", "compare-measured", "--before", str(BEFORE)]) == 2
    assert "--after is missing" in capsys.readouterr().err
    assert cli.main(["network", "compare-measured", "--before", str(BEFORE), "--after",
                     str(AFTER), "--line", "with"]) == 2
    assert "--line does not apply" in capsys.readouterr().err
