"""The in-process sweep: rows equal the pipeline's, stages cached by input, resumable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sweep_testlib import sweep, table

from transcaspian.errors import SweepError
from transcaspian.geo.stage import run_route
from transcaspian.optics.stage import run_optics
from transcaspian.scenario import default_scenario
from transcaspian.sweep import driver
from transcaspian.sweep.cache import StageCache


@pytest.fixture(scope="module")
def shared() -> StageCache:
    """One stage memo for the tests that do not count stage runs (it only saves time)."""
    return StageCache()


def test_rows_are_what_the_pipeline_gives(tmp_path: Path) -> None:
    """Each row = the optics stage run on that design's scenario (pairs and target swept)."""
    sweep(tmp_path, ["cable.fibre_pairs=8,32", "optics.target_system_capacity_tbps=100,800"])
    t = table(tmp_path)
    base = default_scenario()
    route = run_route(base.model_copy(update={"route": base.route.model_copy(
        update={"sea_level_sensitivity_m": ()})}))
    assert t["cable_length_km"] == pytest.approx(route.cable_length_km, abs=0)
    for i in range(4):
        fp, tgt = int(t["cable.fibre_pairs"][i]), float(t["optics.target_system_capacity_tbps"][i])
        variant = base.model_copy(update={
            "cable": base.cable.model_copy(update={"fibre_pairs": fp}),
            "optics": base.optics.model_copy(update={"target_system_capacity_tbps": tgt})})
        res = run_optics(variant, route)
        rec = res.design(res.recommended)
        assert t["optics_design"][i] == rec.name
        assert t["system_capacity_tbps"][i] == rec.system_capacity_tbps
        assert t["margin_db"][i] == rec.margin_db
        assert t["launch_power_dbm"][i] == rec.launch_power_dbm
        assert t["error"][i] == ""
    # 8 pairs x 12.8 Tb/s cannot reach 800 Tb/s: the most capacity instead (a repeatered one)
    small = (t["cable.fibre_pairs"] == 8) & (t["optics.target_system_capacity_tbps"] == 800)
    assert t["repeaters"][small][0] > 0


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
    # the searched launch never exceeds the swept cap
    assert np.all(t["launch_power_dbm"] <= t["optics.design_space.launch_max_dbm"] + 1e-9)


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
          cache=shared)
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


def test_vectorised_recommendation_follows_the_optics_rule() -> None:
    """Every (fibre pairs, target) pair: the optics stage's own recommendation rule."""
    from dataclasses import replace

    from transcaspian.optics.design import _recommend, compare_designs
    from transcaspian.sweep.kernels import _optics_vector

    base = default_scenario()
    res = compare_designs(base.optics, cable_length_km=372.0, fibre_pairs=32)
    pairs = np.repeat(np.arange(1, 65), 12)
    targets = np.tile(np.r_[np.linspace(20.0, 1800.0, 11), np.nan], 64)
    got = _optics_vector(res, base, {"cable.fibre_pairs": pairs,
                                     "optics.target_system_capacity_tbps": targets})
    for i in range(pairs.size):
        fp, tgt = int(pairs[i]), targets[i]
        designs = [replace(d, system_capacity_tbps=d.capacity_tbps_per_fibre_pair * fp)
                   for d in res.designs]
        rec, _ = _recommend(designs, None if np.isnan(tgt) else float(tgt))
        assert got["optics_design"][i] == rec.name, (fp, tgt)
        assert got["system_capacity_tbps"][i] == rec.system_capacity_tbps
    assert len(set(got["optics_design"].tolist())) >= 2  # the choice does change
