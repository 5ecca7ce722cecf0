"""The in-process sweep: rows equal the pipeline's, stages cached by input, resumable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sweep_testlib import sweep, table

from transcaspian.errors import SweepError
from transcaspian.geo.stage import run_route
from transcaspian.plan import plan
from transcaspian.scenario import default_scenario
from transcaspian.sweep import driver
from transcaspian.sweep.cache import StageCache


@pytest.fixture(scope="module")
def shared() -> StageCache:
    """One stage memo for the tests that do not count stage runs (it only saves time)."""
    return StageCache()


def _variant(fp: int, target: float | None = None):  # type: ignore[no-untyped-def]
    base = default_scenario()
    upd = {"cable": base.cable.model_copy(update={"fibre_pairs": fp})}
    if target is not None:
        upd["optics"] = base.optics.model_copy(update={"target_system_capacity_tbps": target})
    return base.model_copy(update=upd)


def test_rows_are_what_the_pipeline_gives(tmp_path: Path, shared: StageCache) -> None:
    """Each row = plan() up to the decision on that design's scenario: one answer."""
    sweep(tmp_path, ["cable.fibre_pairs=8,32", "optics.target_system_capacity_tbps=100,800"],
          cache=shared, stages=("decision",))
    t = table(tmp_path)
    base = default_scenario()
    route = run_route(base.model_copy(update={"route": base.route.model_copy(
        update={"sea_level_sensitivity_m": ()})}))
    assert t["cable_length_km"] == pytest.approx(route.cable_length_km, abs=0)
    for i in range(4):
        fp, tgt = int(t["cable.fibre_pairs"][i]), float(t["optics.target_system_capacity_tbps"][i])
        d = plan(_variant(fp, tgt), until="decision").decision
        rec = d.chosen
        assert t["design_choice"][i] == rec.name
        assert t["system_capacity_tbps"][i] == pytest.approx(rec.system_capacity_tbps, rel=1e-12)
        assert t["margin_db"][i] == rec.margin_db
        assert t["npv_musd"][i] == pytest.approx(rec.npv / 1e6, rel=1e-12)
        assert bool(t["target_met"][i]) == d.target_met
        assert t["error"][i] == ""
    # 8 pairs cannot reach 800 Tb/s: the target is reported as missed, the choice made anyway
    small = (t["cable.fibre_pairs"] == 8) & (t["optics.target_system_capacity_tbps"] == 800)
    assert not t["target_met"][small][0] and t["design_choice"][small][0] != ""


def test_a_launch_power_sweep_routes_once(tmp_path: Path) -> None:
    """Route once per sea level, optics once per (cable length, launch cap): not per design."""
    cache = StageCache()
    res = sweep(tmp_path, ["route.caspian_level_m=-29.18,-31", "cable.fibre_pairs=8,16,24",
                           "optics.design_space.launch_max_dbm=6,12"],
                cache=cache, batch_size=4)
    t = table(tmp_path)
    assert res.n_designs == 12 and res.computed_partitions == 3
    assert cache.runs["route"] == 2
    distinct = {(float(a), float(b)) for a, b in
                zip(t["cable_length_km"], t["optics.design_space.launch_max_dbm"], strict=True)}
    assert cache.runs["optics"] == len(distinct)
    assert cache.hits["route"] + cache.runs["route"] >= 3  # every partition asked for it


def test_resume_computes_only_missing_partitions(tmp_path: Path, shared: StageCache) -> None:
    params = ["cable.fibre_pairs=1:12:1", "optics.target_system_capacity_tbps=50,200"]
    cache = shared
    first = sweep(tmp_path, params, cache=cache, batch_size=5)
    assert first.n_partitions == 5
    before = table(tmp_path)
    parts = tmp_path / "parts"
    (parts / "part-00002.parquet").unlink()
    (parts / "part-00004.parquet").unlink()
    (parts / ".part-00002.parquet.abc.tmp").write_bytes(b"half a file")
    again = sweep(tmp_path, params, cache=shared, batch_size=5)
    assert again.computed_partitions == 2
    assert not list(parts.glob(".*.tmp"))
    after = table(tmp_path)
    for c in before:
        np.testing.assert_array_equal(after[c], before[c])
    done = sweep(tmp_path, params, cache=shared, batch_size=5)
    assert done.computed_partitions == 0
    with pytest.raises(SweepError, match="different sweep"):
        sweep(tmp_path, ["cable.fibre_pairs=1:12:2"], batch_size=5)


def test_batch_size_does_not_change_results(tmp_path: Path, shared: StageCache) -> None:
    params = ["route.caspian_level_m=-29.18,-31", "cable.fibre_pairs=2:32:6",
              "optics.target_system_capacity_tbps=100,300"]
    cache = shared
    sweep(tmp_path / "a", params, cache=cache, batch_size=3)
    sweep(tmp_path / "b", params, cache=cache, batch_size=24)
    a, b = table(tmp_path / "a"), table(tmp_path / "b")
    assert list(a) == list(b)
    for c in a:
        np.testing.assert_array_equal(a[c], b[c])
    np.testing.assert_array_equal(a["design"], np.arange(24))


def test_a_failing_stage_fills_error_not_the_sweep(tmp_path: Path, shared: StageCache) -> None:
    sweep(tmp_path, ["route.max_landing_distance_km=0.5,30", "cable.fibre_pairs=8,16"],
          cache=shared, stages=("decision",))
    t = table(tmp_path)
    bad = t["route.max_landing_distance_km"] == 0.5
    assert all(e.startswith("route: ") and "max_landing_distance_km" in e
               for e in t["error"][bad])
    assert np.isnan(t["system_capacity_tbps"][bad]).all()
    assert (t["repeaters"][bad] == -1).all()
    assert (t["error"][~bad] == "").all()
    assert np.isfinite(t["system_capacity_tbps"][~bad]).all()


def test_without_pyarrow_partitions_are_csv(tmp_path: Path, shared: StageCache,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    params = ["cable.fibre_pairs=4,8,12", "optics.target_system_capacity_tbps=100,300"]
    cache = shared
    sweep(tmp_path / "pq", params, cache=cache, batch_size=4)
    monkeypatch.setattr(driver, "have_pyarrow", lambda: False)
    res = sweep(tmp_path / "csv", params, cache=cache, batch_size=4)
    assert res.format == "csv"
    assert sorted(p.name for p in (tmp_path / "csv" / "parts").iterdir()) == [
        "part-00000.csv", "part-00001.csv"]
    a, b = table(tmp_path / "pq"), table(tmp_path / "csv")
    for c in a:
        np.testing.assert_array_equal(a[c], b[c])


def test_vectorised_decision_follows_the_plans_rule() -> None:
    """Every target of a group: the decision plan() would make with that target."""
    from transcaspian.decision.columns import decision_vector
    from transcaspian.decision.stage import decide

    base = default_scenario()
    d = plan(base, until="decision").decision
    # at the default margin policy two repeaters carry less than three: targets between the
    # two change the choice
    caps = {c.name: c.system_capacity_tbps for c in d.candidates}
    assert caps["repeatered_2"] < caps["repeatered_3"]
    targets = np.r_[np.linspace(20.0, 1800.0, 23), 650.0, 700.0, np.nan]
    got = decision_vector(d, base, {"optics.target_system_capacity_tbps": targets})
    for i, tgt in enumerate(targets):
        v = base.model_copy(update={"optics": base.optics.model_copy(update={
            "target_system_capacity_tbps": None if np.isnan(tgt) else float(tgt)})})
        one = decide(v, list(d.candidates), 2051)
        assert got["design_choice"][i] == one.recommended, tgt
        assert bool(got["target_met"][i]) == one.target_met, tgt
    assert len(set(got["design_choice"].tolist())) >= 2  # the choice does change


def test_availability_capex_npv_rows_are_the_full_stages(tmp_path: Path,
                                                         shared: StageCache) -> None:
    """Availability, CAPEX, NPV of a row = the reliability and economics stages of plan()."""
    sweep(tmp_path, ["cable.fibre_pairs=8,32"], cache=shared, stages=("decision",))
    t = table(tmp_path)
    assert (t["error"] == "").all(), t["error"]
    for i, fp in enumerate(t["cable.fibre_pairs"].tolist()):
        p = plan(_variant(int(fp)), until="economics")
        assert p.reliability is not None and p.economics is not None
        assert t["design_choice"][i] == p.reliability.design_name == p.economics.design.name
        assert t["availability"][i] == p.reliability.availability
        assert t["capex_musd"][i] == p.economics.capex.total / 1e6
        assert t["npv_musd"][i] == p.economics.measures.npv / 1e6
        irr = p.economics.measures.irr
        assert (np.isnan(t["irr"][i]) and irr is None) or t["irr"][i] == irr

