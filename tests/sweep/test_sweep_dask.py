"""The sweep on a real Dask cluster: 2 worker processes on 127.0.0.1.

Checks that the results are bitwise those of the in-process executor, that a sweep whose
driver process is killed (SIGKILL) resumes with only the missing partitions, and that a bad
--param is refused before anything reaches the cluster.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sweep_testlib import sweep, table

from transcaspian.cli import main
from transcaspian.scenario import default_scenario
from transcaspian.sweep import prepare_sweep, run_sweep
from transcaspian.sweep.batch import evaluate_batch
from transcaspian.sweep.cache import StageCache
from transcaspian.sweep.sink import read_columns

HOW = "needs the [dask] extra: pip install 'transcaspian[dask]'"
distributed = pytest.importorskip("distributed", reason=HOW)
pytest.importorskip("pyarrow", reason=HOW)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A LocalCluster of 2 worker processes (1 thread each) on the loopback interface."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=logging.ERROR,
    ) as c:
        yield c


def _scheduler_tasks(address: str) -> int:
    with distributed.Client(address, timeout="10s") as client:
        return int(client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)))


def test_cluster_gives_bitwise_the_in_process_results(tmp_path: Path, cluster: Any) -> None:
    params = ["route.caspian_level_m=-29.18,-31", "cable.fibre_pairs=4:32:4",
              "optics.target_system_capacity_tbps=100,400"]
    local = sweep(tmp_path / "local", params, batch_size=5)
    remote = sweep(tmp_path / "dask", params, batch_size=5, scheduler=cluster.scheduler_address)
    assert local.n_partitions == remote.n_partitions == 7
    a, b = table(tmp_path / "local"), table(tmp_path / "dask")
    assert list(a) == list(b)
    for c in a:
        np.testing.assert_array_equal(a[c], b[c], err_msg=c)
    assert (a["error"] == "").all()


def test_resume_after_the_driver_is_killed(tmp_path: Path, cluster: Any) -> None:
    out = tmp_path / "out"
    argv = ["sweep", "--param", "optics.system_margin_db=1:3:0.25", "--stages", "optics",
            "--batch-size", "1", "--scheduler", cluster.scheduler_address, "--out", str(out),
            "--no-summary"]
    code = "import sys; from transcaspian.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen([sys.executable, "-c", code, *argv],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = out / "parts"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if parts.is_dir() and len(list(parts.glob("part-*.parquet"))) >= 2:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the sweep ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    written = sorted(p.name for p in parts.glob("part-*.parquet"))
    assert 2 <= len(written) < 9
    prepared = prepare_sweep(default_scenario(), ["optics.system_margin_db=1:3:0.25"], out,
                             stages=("optics",), batch_size=1,
                             scheduler=cluster.scheduler_address)
    res = run_sweep(prepared, progress=lambda d, n: None, summary=False)
    assert res.computed_partitions == 9 - len(written)
    t = table(out)
    np.testing.assert_array_equal(t["design"], np.arange(9))
    np.testing.assert_allclose(t["optics.system_margin_db"], 1.0 + 0.25 * np.arange(9))
    # one partition of the killed run and one of the resumed run, against this process
    cache = StageCache()
    resumed = next(k for k in range(9) if f"part-{k:05d}.parquet" not in written)
    for k in (int(written[0][5:10]), resumed):
        job = prepared.job
        got = next(read_columns([prepared.sink.path(k)]))
        want = evaluate_batch(*job.task_args(k), stages=("optics",), cache=cache)
        for c in want:
            np.testing.assert_array_equal(got[c], np.asarray(want[c]), err_msg=c)


def test_bad_param_is_refused_before_the_cluster_sees_it(
        tmp_path: Path, cluster: Any, capsys: pytest.CaptureFixture[str]) -> None:
    before = _scheduler_tasks(cluster.scheduler_address)
    out = tmp_path / "out"
    for bad, named in (("cable.fibre_pairs=0:4:1", "cable.fibre_pairs"),
                       ("optics.nosuch=1,2", "optics.nosuch"),
                       ("route.caspian_level_m=-28:-30:0.5", "route.caspian_level_m")):
        status = main(["sweep", "--param", bad, "--scheduler", cluster.scheduler_address,
                       "--out", str(out)])
        err = capsys.readouterr().err.strip()
        assert status == 2
        assert len(err.splitlines()) == 1 and named in err, err
    assert not out.exists()
    assert _scheduler_tasks(cluster.scheduler_address) == before


def test_workers_option_starts_and_stops_its_own_cluster(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    status = main(["sweep", "--param", "cable.fibre_pairs=8,16", "--stages", "decision",
                   "--workers", "2", "--out", str(out), "--no-summary"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "Dask dashboard: http://127.0.0.1:" in captured.err
    t = table(out)
    np.testing.assert_array_equal(t["system_capacity_tbps"] / t["capacity_tbps_per_fibre_pair"],
                                  [8.0, 16.0])
