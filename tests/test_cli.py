"""The CLI in-process: JSON output, exit statuses, one line per user error, atomic outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from transcaspian.cli import main
from transcaspian.scenario import default_scenario_text


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _scenario(tmp_path: Path, edit=None, name: str = "s.yaml") -> Path:
    data = yaml.safe_load(default_scenario_text())
    if edit is not None:
        edit(data)
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    return p


def test_route_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "route", "--json")
    assert status == 0, err
    d = json.loads(out)
    for key in (
        "route_length_km",
        "cable_length_km",
        "great_circle_km",
        "max_depth_m",
        "coordinates",
        "cable_type_lengths_km",
        "crossings",
    ):
        assert key in d
    lon, lat = d["coordinates"][0]
    assert (lon, lat) == pytest.approx((49.669, 40.590))  # GeoJSON order: [lon, lat]
    assert d["route_length_km"] >= d["great_circle_km"]
    assert sum(d["cable_type_lengths_km"].values()) == pytest.approx(d["cable_length_km"], abs=0.01)


def test_scenario_schema_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "scenario", "schema")
    assert status == 0
    assert json.loads(out)["title"] == "transcaspian scenario"
    status, out, _ = _run(capsys, "scenario", "show")
    assert status == 0
    assert "Sumgayit" in out and "# " in out  # the YAML with its comments


def _set(path: list, value):
    def edit(d: dict) -> None:
        node = d
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value

    return edit


def _bad_inputs(tmp_path: Path) -> list[tuple[list[str], str]]:
    not_json = tmp_path / "layer.geojson"
    not_json.write_text("{ oops", encoding="utf-8")
    junk_grid = tmp_path / "grid.nc"
    junk_grid.write_bytes(b"\x00garbage")
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("name: x\n  : :\n", encoding="utf-8")
    return [
        (
            [str(_scenario(tmp_path, _set(["cable", "colour"], "red"), "a.yaml"))],
            "cable.colour: unknown key",
        ),
        (
            [str(_scenario(tmp_path, _set(["cable", "fibre_pairs"], "x"), "b.yaml"))],
            "cable.fibre_pairs",
        ),
        (
            [str(_scenario(tmp_path, _set(["cable", "fibre_pairs"], 0), "c.yaml"))],
            "cable.fibre_pairs",
        ),
        (
            [
                str(
                    _scenario(
                        tmp_path,
                        _set(
                            ["consortium", "members"],
                            [
                                {"name": "A", "country": "AZ", "share": 0.5},
                                {"name": "B", "country": "KZ", "share": 0.4},
                            ],
                        ),
                        "d.yaml",
                    )
                )
            ],
            "sum to 1",
        ),
        (
            [str(_scenario(tmp_path, _set(["landings", "b", "lon_deg"], 53.5), "e.yaml"))],
            "not near water",
        ),
        (
            [str(_scenario(tmp_path, _set(["route", "bathymetry"], "missing.nc"), "f.yaml"))],
            "missing.nc: bathymetry grid not found",
        ),
        (
            [str(_scenario(tmp_path, _set(["route", "bathymetry"], "grid.nc"), "g.yaml"))],
            "grid.nc: not a readable NetCDF",
        ),
        (
            [
                str(
                    _scenario(
                        tmp_path, _set(["route", "hazards", "files"], ["layer.geojson"]), "h.yaml"
                    )
                )
            ],
            "layer.geojson: JSON syntax error at line 1",
        ),
        ([str(bad_yaml)], "YAML syntax error"),
        ([str(tmp_path / "nope.yaml")], "scenario file not found"),
    ]


def test_every_bad_input_gets_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv, expected in _bad_inputs(tmp_path):
        out_dir = tmp_path / "out"
        status, _out, err = _run(capsys, "run", *argv, "--out", str(out_dir))
        assert status == 2, (argv, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("transcaspian: error: ")
        assert expected in lines[0], (expected, lines[0])
        assert "Traceback" not in err
        assert not out_dir.exists() or not any(out_dir.iterdir())  # nothing half-written


def test_no_water_path_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wall = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[45.9, 42.0], [55.6, 42.0], [55.6, 42.1], [45.9, 42.1], [45.9, 42.0]]
                    ],
                },
                "properties": {"name": "Closed area", "kind": "restricted", "action": "forbid"},
            }
        ],
    }
    (tmp_path / "wall.geojson").write_text(json.dumps(wall), encoding="utf-8")
    sc = _scenario(tmp_path, _set(["route", "hazards", "files"], ["wall.geojson"]))
    status, _, err = _run(capsys, "route", str(sc))
    assert status == 2
    assert "no water path between 'Sumgayit' and 'Aktau'" in err


def test_argparse_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "--bogus"]) == 2
    assert main(["nonsense"]) == 2


def test_user_gebco_style_grid_from_the_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user's own grid (GEBCO layout: 'elevation', descending latitude) named in the scenario
    is read relative to the scenario file and routed on."""
    import netCDF4

    from transcaspian.geo.grid import bundled_grid

    g = bundled_grid()
    lat = g.lat_deg[::-1]
    with netCDF4.Dataset(tmp_path / "my_gebco.nc", "w") as ds:
        ds.createDimension("lat", lat.size)
        ds.createDimension("lon", g.lon_deg.size)
        ds.createVariable("lon", "f8", ("lon",))[:] = g.lon_deg
        ds.createVariable("lat", "f8", ("lat",))[:] = lat
        ds.createVariable("elevation", "f4", ("lat", "lon"))[:] = g.elevation_m[::-1, :]
    sc = _scenario(tmp_path, _set(["route", "bathymetry"], "my_gebco.nc"))
    status, out, err = _run(capsys, "route", str(sc), "--json")
    assert status == 0, err
    d = json.loads(out)
    assert d["bathymetry"] == "my_gebco.nc"
    # the same seabed as the bundled grid, read through the GEBCO path: the same route
    _, out_default, _ = _run(capsys, "route", "--json")
    reference = json.loads(out_default)["route_length_km"]
    assert d["route_length_km"] == pytest.approx(reference, abs=0.5)


def test_grid_without_recognised_variables_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import netCDF4

    with netCDF4.Dataset(tmp_path / "odd.nc", "w") as ds:
        ds.createDimension("x", 3)
        ds.createVariable("temperature", "f4", ("x",))[:] = [1, 2, 3]
    sc = _scenario(tmp_path, _set(["route", "bathymetry"], "odd.nc"))
    status, _, err = _run(capsys, "route", str(sc))
    assert status == 2
    assert "odd.nc: no recognised grid variables" in err


def test_unwritable_output_folder_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    for out, expected in ((blocker, "--out is a file"), (blocker / "sub", "cannot create")):
        status, _, err = _run(capsys, "route", "--out", str(out))
        assert status == 2
        assert expected in err
        assert len(err.strip().splitlines()) == 1


def test_scenario_check_reads_the_files_and_builds_the_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok = _scenario(tmp_path, name="ok.yaml")
    status, out, _ = _run(capsys, "scenario", "check", str(ok))
    assert status == 0
    assert "ok" in out
    missing_layer = _scenario(
        tmp_path, _set(["route", "hazards", "files"], ["none.geojson"]), "m.yaml"
    )
    status, _, err = _run(capsys, "scenario", "check", str(missing_layer))
    assert (status, "none.geojson: hazard layer not found" in err) == (2, True)

    def out_of_band(d: dict) -> None:
        d["optics"]["spectrum"]["first_channel_thz"] = 190.0
        d["optics"]["spectrum"]["last_channel_thz"] = 194.725

    bad_optics = _scenario(tmp_path, out_of_band, "o.yaml")
    for argv in (
        ["scenario", "check", str(bad_optics)],
        ["run", str(bad_optics), "--out", str(tmp_path / "o")],
    ):
        status, _, err = _run(capsys, *argv)
        assert status == 2
        assert "outside the amplifier band" in err
        assert len(err.strip().splitlines()) == 1


def test_a_closed_pipe_stops_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`transcaspian ... | head`: the reader leaving is not an internal error (status 141)."""
    import os

    from transcaspian.commands import scenario as scenario_cmd

    def gone(args: object) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    saved = os.dup(1)  # main() points fd 1 at /dev/null once the pipe is gone: restore it
    try:
        monkeypatch.setattr(scenario_cmd, "_schema", gone)
        assert main(["scenario", "schema"]) == 141
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    assert "internal error" not in capsys.readouterr().err


# --- issue 22: exit statuses of interrupted runs, one-line argparse errors, scenario check ----


@pytest.mark.parametrize(
    ("argv", "prog", "message"),
    [
        (["route", "--bogus"], "transcaspian route", "unrecognized arguments: --bogus"),
        (["nonsense"], "transcaspian", "invalid choice: 'nonsense'"),
        (["run", "--out"], "transcaspian run", "argument --out: expected one argument"),
        (["scenario"], "transcaspian scenario", "required: ACTION"),
        (["scenario", "check", "a.yaml", "b"], "transcaspian scenario check",
         "unrecognized arguments: b"),
        (["sweep"], "transcaspian sweep", "required"),
    ],
)
def test_argparse_errors_are_one_line_and_a_help_hint(
    capsys: pytest.CaptureFixture[str], argv: list[str], prog: str, message: str
) -> None:
    status, out, err = _run(capsys, *argv)
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith(f"{prog}: error: ") and message in lines[0], lines[0]
    assert lines[1] == f"Try '{prog} --help' for more information."
    assert "usage:" not in err


def test_scenario_check_defaults_to_the_embedded_scenario(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = _run(capsys, "scenario", "check")
    assert status == 0, err
    assert out.strip() == "embedded default scenario: ok (Trans-Caspian fibre-optic line)"


def test_interrupted_and_terminated_commands_exit_128_plus_the_signal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import signal

    from transcaspian.commands import scenario as scenario_cmd

    def ctrl_c(args: object) -> int:
        raise KeyboardInterrupt

    def killed(args: object) -> int:
        os.kill(os.getpid(), signal.SIGTERM)  # the handler raises in this (main) thread
        raise AssertionError("SIGTERM did not interrupt the command")

    before = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(scenario_cmd, "_schema", ctrl_c)
    assert main(["scenario", "schema"]) == 130
    assert capsys.readouterr().err == "transcaspian: interrupted\n"
    monkeypatch.setattr(scenario_cmd, "_schema", killed)
    assert main(["scenario", "schema"]) == 143
    assert capsys.readouterr().err == "transcaspian: terminated\n"
    assert signal.getsignal(signal.SIGTERM) is before  # main() puts the caller's handler back


def _children(pid: int) -> set[int]:
    """Child processes of ``pid`` (Linux /proc; empty elsewhere)."""
    import glob

    kids: set[int] = set()
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            with open(path, encoding="ascii") as f:
                kids.update(int(k) for k in f.read().split())
        except OSError:
            pass
    return kids


def _alive(pid: int) -> bool:
    """True when ``pid`` runs and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow  # four full runs signalled mid-way: in make kill-test (timing-sensitive)
@pytest.mark.parametrize("existing", [False, True], ids=["new-out", "existing-out"])
@pytest.mark.parametrize(("sig_name", "status"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_run_interrupted_by_a_signal_exits_128_plus_it_and_leaves_out_alone(
    tmp_path: Path, sig_name: str, status: int, existing: bool
) -> None:
    """``transcaspian run --out`` sent SIGINT or SIGTERM while it computes: exit 130/143 (not
    1), one line on stderr, ``--out`` as it was (absent, or the old files untouched), no hidden
    staging folder beside it, no child process left."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    if existing:
        out.mkdir()
        (out / "report.html").write_text("old report\n", encoding="utf-8")
        (out / "rpl.csv").write_text("old rpl\n", encoding="utf-8")  # a previous run's set
    before = sorted((p.name, p.read_bytes()) for p in out.iterdir()) if existing else None
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "transcaspian.cli", "run", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    try:
        # a run computes for seconds before it writes anything. Signal it once it is inside
        # the pipeline: when its first forked child appears (Linux), else after 2.5 s
        time.sleep(1.0)
        deadline = time.monotonic() + (20.0 if os.path.isdir(f"/proc/{proc.pid}/task") else 1.5)
        while not _children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, proc.communicate()
        kids = _children(proc.pid)
        proc.send_signal(getattr(signal, sig_name))
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    err = stderr.decode()
    assert proc.returncode == status, err
    assert err.strip() == ("transcaspian: interrupted" if status == 130
                           else "transcaspian: terminated"), err
    assert "Traceback" not in err
    if existing:
        assert sorted((p.name, p.read_bytes()) for p in out.iterdir()) == before
    else:
        assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    deadline = time.monotonic() + 5.0
    while any(_alive(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [k for k in kids if _alive(k)], "a child of the interrupted run is still alive"
