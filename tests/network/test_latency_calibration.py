"""Latency calibration (issue 21): quantile factors, scores, cross-validation, the calibration
file, ``network calibrate`` and the interval fields of ``compare-measured``; the fibre bound from
an attached city (geodesic access legs).

Every measured file here is synthetic; the bundled calibration's numbers come from the shared
WonderProxy file, which the tests never read.
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import pytest
import yaml

import transcaspian.commands as commands
from transcaspian import cli
from transcaspian.commands import network as network_command
from transcaspian.errors import DataError
from transcaspian.network.calibration import (
    Covariates,
    Factors,
    calibrate,
    cross_validate,
    fit_factors,
    hubs_met,
    interval_score,
    load_calibration,
    parse_calibration,
    score,
    select_covariates,
    set_label,
)

HEADER = "city_a,country_a,lat_a,lon_a,city_b,country_b,lat_b,lon_b,rtt_min_ms\n"
BODY = (
    "Frankfurt,Germany,50.12,8.68,London,United Kingdom,51.52,-0.11,13.0\n"
    "Frankfurt,Germany,50.12,8.68,Moscow,Russia,55.75,37.62,44.0\n"
    "Vienna,Austria,48.21,16.37,London,United Kingdom,51.52,-0.11,40.0\n"
    "Baku,Azerbaijan,40.41,49.87,Tbilisi,Georgia,41.72,44.79,12.0\n"
    "Istanbul,Turkey,41.01,28.98,Frankfurt,Germany,50.12,8.68,45.0\n"
    "Almaty,Kazakhstan,43.24,76.89,Moscow,Russia,55.75,37.62,80.0\n"
)


@pytest.fixture(autouse=True)
def _wired(monkeypatch):
    if network_command not in commands.COMMAND_MODULES:
        monkeypatch.setattr(
            commands, "COMMAND_MODULES", (*commands.COMMAND_MODULES, network_command)
        )


def test_factors_are_log_space_quantiles_of_measured_over_model():
    """Ratios e^-1, 1, e (three pairs): ln-quantiles -0.6, 0, 0.6 by linear interpolation
    (Hyndman & Fan type 7: position 0.1 x 2 = 0.2 between -1 and 0)."""
    model = np.array([10.0, 20.0, 40.0])
    measured = model * np.exp([-1.0, 0.0, 1.0])
    f = fit_factors(measured, model)
    assert (f.p10, f.p50, f.p90) == pytest.approx((math.exp(-0.8), 1.0, math.exp(0.8)))
    assert f.width == pytest.approx(math.exp(1.6))
    with pytest.raises(DataError, match="at least 2"):
        fit_factors(np.array([1.0]), np.array([1.0]))


def test_interval_score_is_gneiting_raftery_eq_43():
    """Width, plus 2/alpha x the miss below or above (alpha 0.2: 10 x the miss)."""
    lo, hi = np.array([10.0, 10.0, 10.0]), np.array([20.0, 20.0, 20.0])
    y = np.array([15.0, 8.0, 23.0])
    assert interval_score(y, lo, hi).tolist() == pytest.approx([10.0, 30.0, 40.0])


def test_score_on_hand_made_pairs():
    f = Factors(1.0, 1.5, 2.0)
    s = score(np.array([15.0, 25.0, 9.0]), np.array([10.0, 10.0, 10.0]), f)
    # [10, 20] covers 15 only; P50 = 15: errors 0, 0.4, 0.667 -> median 0.4
    assert s["coverage"] == pytest.approx(1 / 3)
    assert s["mdape"] == pytest.approx(0.4)
    assert s["interval_score_ms"] == pytest.approx((10 + 60 + 20) / 3)
    assert s["width"] == pytest.approx(2.0)


def test_cross_validated_coverage_holds_on_lognormal_data():
    """Measured = model x lognormal(0.3, 0.25): the held-out [P10, P90] covers about 80 % and
    P50 sits near e^0.3; a model with no information (a constant) is wider."""
    rng = np.random.default_rng(1)
    model = rng.uniform(10.0, 200.0, 2000)
    measured = model * np.exp(rng.normal(0.3, 0.25, model.size))
    cv = cross_validate(measured, {"routed": model, "fibre": np.full(model.size, 50.0)}, 5)
    assert cv["pairs"] == 2000 and cv["k"] == 5
    assert 0.76 <= cv["routed"]["coverage"] <= 0.84
    assert cv["routed"]["width"] == pytest.approx(math.exp(2 * 1.2816 * 0.25), rel=0.08)
    assert cv["fibre"]["width"] > 3 * cv["routed"]["width"]
    assert cv["routed"]["interval_score_ms"] < cv["fibre"]["interval_score_ms"]
    with pytest.raises(DataError, match="--cv"):
        cross_validate(measured[:3], {"routed": model[:3]}, 5)


def test_bundled_calibration_is_the_wonderproxy_one():
    cal = load_calibration()
    p = cal.provenance
    assert p["input_file"] == "wonderproxy_rtt_2020-07-19_calibration.csv"
    assert len(p["input_sha256"]) == 64 and p["n_pairs"] >= 100
    assert p["corridor"] == "without_line" and p["routing"] == "lowest_latency"
    for f in (cal.routed, cal.fibre):
        assert 0.5 < f.p10 < f.p50 < f.p90 < 10.0
    # the as-routed interval is the narrower: the hub model carries information
    assert cal.routed.width < cal.fibre.width


@pytest.mark.parametrize(
    ("patch", "needle"),
    [
        ({"factors": {"routed": {"p10": 2.0, "p50": 1.0, "p90": 3.0},
                      "fibre": {"p10": 1.0, "p50": 2.0, "p90": 3.0}}}, "p10 <= p50 <= p90"),
        ({"kind": "something else"}, "kind"),
        ({"quantiles": [0.05, 0.5, 0.95]}, "quantiles"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_calibration_file_is_one_line(patch, needle):
    data = load_calibration().to_dict()
    data.update(patch)
    with pytest.raises(DataError) as err:
        parse_calibration(yaml.safe_dump(data), "c.yaml")
    msg = str(err.value)
    assert needle in msg and msg.startswith("c.yaml") and "\n" not in msg


def _scenario_with(tmp_path, calibration):
    from transcaspian.scenario import default_scenario_text

    data = yaml.safe_load(default_scenario_text())
    data.setdefault("network", {})["latency_calibration"] = str(calibration)
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_calibrate_writes_provenance_and_compare_measured_uses_it(tmp_path, capsys):
    measured = tmp_path / "m.csv"
    measured.write_text(HEADER + BODY, encoding="utf-8")
    out = tmp_path / "cal" / "c.yaml"
    assert cli.main(["network", "calibrate", str(measured), "--out", str(out), "--cv", "2"]) == 0
    assert "6 pairs" in capsys.readouterr().out
    cal = load_calibration(out)
    p = cal.provenance
    assert p["input_sha256"] == hashlib.sha256(measured.read_bytes()).hexdigest()
    assert p["n_pairs"] == 6 and p["input_file"] == "m.csv" and p["date"]
    assert cal.cross_validated is not None and cal.cross_validated["k"] == 2
    assert "log" in cal.method or "ln(" in cal.method

    scen = _scenario_with(tmp_path, out)
    assert cli.main(["network", "compare-measured", str(measured), str(scen), "--json",
                     "--cv", "3"]) == 0
    d = json.loads(capsys.readouterr().out)
    for pr in d["pairs"]:
        r = pr["routed_rtt_ms"]
        assert pr["routed_rtt_p10_ms"] == pytest.approx(cal.routed.p10 * r, rel=1e-5)
        assert pr["routed_rtt_p50_ms"] == pytest.approx(cal.routed.p50 * r, rel=1e-5)
        assert pr["routed_rtt_p90_ms"] == pytest.approx(cal.routed.p90 * r, rel=1e-5)
    iv = d["summary"]["intervals"]
    assert iv["calibration"]["source"] == str(out)
    for model in ("routed", "fibre"):
        assert set(iv[model]) >= {"coverage", "mdape", "interval_score_ms", "width"}
        assert set(iv["cross_validated"][model]) >= {"coverage", "mdape", "interval_score_ms"}
    # in sample, [P10, P90] covers what the quantiles say (linear interpolation: 4 of 6 inside)
    assert iv["routed"]["coverage"] == pytest.approx(4 / 6)


def test_compare_measured_default_calibration_and_text(tmp_path, capsys):
    measured = tmp_path / "m.csv"
    measured.write_text(HEADER + BODY, encoding="utf-8")
    assert cli.main(["network", "compare-measured", str(measured), "--cv", "2"]) == 0
    out = capsys.readouterr().out
    assert "bundled latency_calibration.yaml" in out and "2-fold cross-validated" in out
    assert "P10" in out and "interval score" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["network", "compare-measured", "{f}", "--cv", "1"], "--cv: K must be at least 2"),
        (["network", "compare-measured", "{f}", "--cv", "50"], "--cv: K must be in [2, 6]"),
        (["network", "compare-measured", "{f}", "--out", "x.yaml"], "--out does not apply"),
        (["network", "--cv", "5"], "--cv: only for"),
        (["network", "calibrate"], "expected FILE.csv"),
    ],
)
def test_calibration_options_are_checked(tmp_path, capsys, argv, needle):
    f = tmp_path / "m.csv"
    f.write_text(HEADER + BODY, encoding="utf-8")
    assert cli.main([a.replace("{f}", str(f)) for a in argv]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1


def test_fibre_bound_from_an_attached_city_takes_the_geodesic():
    """Issue 21 sec. 4: the bound uses only what cannot be beaten on an access leg, the geodesic
    x n_g / c; the route factor (1.3) belongs to the as-routed estimate. A synthetic city 1 000
    km from its only anchor, a synthetic measurement 2 % above light-in-fibre along the
    geodesic: the bound stays below it, the old rule (x 1.3) would not."""
    from transcaspian.network.interconnect import Interconnection
    from transcaspian.network.routed_latency import AttachedPoint, attach_points
    from transcaspian.network.topology import one_way_delay_ms

    inter = Interconnection(
        hubs={"h": 1.0}, hub_names={"h": "H"}, presence={"h": ("h",), "n": ("h",)},
        sources={}, country={"h": "AAA", "n": "AAA"},
    )
    fibre = np.array([[0.0, 4.0], [4.0, 0.0]])
    pts = (AttachedPoint("p", 10.0, 10.0, (("n", 1000.0),), "n", "AAA"),)
    _, f, routed = attach_points(
        fibre, ("h", "n"), inter, pts, group_index=1.468, node_latency_ms=0.0,
        route_factor=1.3,
    )
    light = 2 * float(one_way_delay_ms(1000.0, 1.468))  # 9.79 ms
    measured = 1.02 * light
    assert f[2, 1] == pytest.approx(light) and f[2, 1] <= measured
    assert 2 * float(one_way_delay_ms(1300.0, 1.468)) > measured  # the old rule's "bound"
    # as routed (same country: on-net along the access link at x 1.3)
    assert routed.rtt_ms[2, 1] == pytest.approx(2 * float(one_way_delay_ms(1300.0, 1.468)))
    assert np.all(routed.rtt_ms >= f - 1e-9)


def test_network_latency_states_the_calibrated_interval(capsys):
    cal = load_calibration().routed
    assert cli.main(["network", "latency", "baku", "almaty", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    r = d["routed_rtt_ms"]
    assert (d["routed_rtt_p10_ms"], d["routed_rtt_p50_ms"], d["routed_rtt_p90_ms"]) == (
        pytest.approx(cal.p10 * r), pytest.approx(cal.p50 * r), pytest.approx(cal.p90 * r))
    assert cli.main(["network", "latency", "baku", "almaty"]) == 0
    assert "P10-P90" in capsys.readouterr().out


def _two_regimes(n: int, seed: int, spread_by_distance: bool):
    """Model RTTs 5-200 ms (fibre bound = model); measured / model is lognormal with median
    e^0.2 and sigma 0.1, except that with ``spread_by_distance`` regional pairs (< 20 ms) have
    median e^1.0: a covariate that matters."""
    rng = np.random.default_rng(seed)
    model = rng.uniform(5.0, 200.0, n)
    mu = np.where(spread_by_distance & (model < 20.0), 1.0, 0.2)
    measured = model * np.exp(rng.normal(mu, 0.1, n))
    hubs = rng.integers(0, 3, n)
    return measured, model, Covariates(model, hubs)


def test_covariates_are_chosen_by_cross_validation_only_when_they_help():
    y, m, cov = _two_regimes(400, 2, spread_by_distance=True)
    names, scores = select_covariates(y, m, cov, 5)
    assert "distance" in names
    assert scores[set_label(names)] < scores["none"]
    y, m, cov = _two_regimes(400, 3, spread_by_distance=False)
    names, scores = select_covariates(y, m, cov, 5)
    assert set(scores) == {"none", "distance", "hubs", "distance+hubs"}
    # no covariate carries information: the pooled factors win or tie within noise
    assert names == () or scores[set_label(names)] > 0.97 * scores["none"]


def test_conditioned_calibration_applies_class_factors_and_round_trips(tmp_path):
    y, m, cov = _two_regimes(400, 4, spread_by_distance=True)
    cal = calibrate(y, m, m, {"input_file": "x.csv"}, cv=5, covariates=cov)
    sel = cal.provenance["covariate_selection"]
    assert "distance" in sel["routed"]["chosen"]
    assert set(sel["routed"]["cv_interval_score_ms"]) == {"none", "distance", "hubs",
                                                          "distance+hubs"}
    assert len(cal.cross_validated["routed"]["chosen"]) == 5  # nested: chosen in every fold
    # regional pairs get about e^1.0 x the model, the rest about e^0.2
    _, mid, _ = cal.routed.apply(np.array([10.0, 100.0]), Covariates(
        np.array([10.0, 100.0]), np.array([1, 1])))
    assert mid[0] / 10.0 == pytest.approx(math.exp(1.0), rel=0.1)
    assert mid[1] / 100.0 == pytest.approx(math.exp(0.2), rel=0.1)
    with pytest.raises(ValueError, match="covariates"):
        cal.routed.apply(np.array([10.0]))
    back = parse_calibration(cal.to_yaml(), "c.yaml")
    assert back.routed.covariates == cal.routed.covariates
    assert back.routed.apply(np.array([10.0]), Covariates(np.array([10.0]), np.array([0])))[1][
        0] == pytest.approx(mid[0], rel=1e-5)


def test_bundled_calibration_records_the_covariate_choice():
    """The bundled file says which covariates cross-validation chose for each model and every
    candidate's score; the chosen one has the lowest score."""
    sel = load_calibration().provenance["covariate_selection"]
    for model in ("routed", "fibre"):
        scores = sel[model]["cv_interval_score_ms"]
        assert set(scores) == {"none", "distance", "hubs", "distance+hubs"}
        assert scores[sel[model]["chosen"]] == min(scores.values())


def test_hubs_met_counts_meeting_labels():
    assert hubs_met(np.array(["", "frankfurt", "sofia>marseille", "a|b"], dtype=object)).tolist(
    ) == [0, 1, 2, 2]


def test_hubs_from_a_routed_matrix_equal_hubs_from_its_labels():
    from transcaspian.network.routed_latency import corridor_view, meeting_labels
    from transcaspian.scenario import load_scenario

    view = corridor_view(load_scenario(None), line_length_km=None, line=False,
                         digital_hub=True)
    r = view.routed
    fast = Covariates.of_routed(view.fibre_rtt_ms, r.hub_a, r.hub_b)
    slow = Covariates.of(view.fibre_rtt_ms, meeting_labels(r))
    assert np.array_equal(fast.hubs, slow.hubs)
    assert set(np.unique(fast.hubs)) <= {0, 1, 2}
    names = ("distance", "hubs")
    assert np.array_equal(fast.keys(names), slow.keys(names))
