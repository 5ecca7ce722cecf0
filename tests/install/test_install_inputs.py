"""Bad install inputs: one line naming the field, exit status 2 (scenario check and the verb)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transcaspian.cli import main
from transcaspian.scenario import default_scenario_text

PERMIT_SELF = """install:
  permits:
    entries:
      loop:
        authority: nobody
        duration: {min_days: 1, mode_days: 2, max_days: 3}
        depends_on: [loop]
"""
PERMIT_CYCLE = """install:
  permits:
    entries:
      a:
        authority: x
        duration: {min_days: 1, mode_days: 2, max_days: 3}
        depends_on: [b]
      b:
        authority: y
        duration: {min_days: 1, mode_days: 2, max_days: 3}
        depends_on: [a]
"""
MONTHS_11 = ("install:\n  weather:\n    monthly_mean_hs_m: {"
             + ", ".join(f"{m}: 1.0" for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul",
                                                "aug", "sep", "oct", "nov")) + "}\n")

CASES = [
    ("install:\n  durations:\n    loading_km_per_h: -5.0\n",
     "install.durations.loading_km_per_h"),
    ("install:\n  burial:\n    surface_lay_km_per_h: -1.0\n",
     "install.burial.surface_lay_km_per_h"),
    (PERMIT_SELF, "install.permits: permit 'loop' depends on itself"),
    (PERMIT_CYCLE, "is in a dependency cycle"),
    (MONTHS_11, "wave table is missing month(s) dec"),
    ("install:\n  burial:\n    default_soil: basalt\n",
     "install.burial.default_soil: unknown soil class 'basalt'"),
]


def _scenario(tmp_path: Path, extra: str) -> Path:
    p = tmp_path / "s.yaml"
    p.write_text(default_scenario_text() + "\n" + extra, encoding="utf-8")
    return p


@pytest.mark.parametrize(("extra", "needle"), CASES)
def test_bad_install_input_is_one_line_exit_2(tmp_path: Path, extra: str, needle: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["scenario", "check", str(_scenario(tmp_path, extra))])
    err = capsys.readouterr().err.strip()
    assert status == 2, err
    assert needle in err, err
    assert len(err.splitlines()) == 1, err


def test_unknown_soil_class_in_a_soil_layer(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    layer = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"soil": "granite_wash"},
        "geometry": {"type": "Polygon",
                     "coordinates": [[[49, 40], [50, 40], [50, 41], [49, 41], [49, 40]]]}}]}
    (tmp_path / "soils.geojson").write_text(json.dumps(layer), encoding="utf-8")
    extra = "install:\n  burial:\n    soils_file: soils.geojson\n"
    status = main(["scenario", "check", str(_scenario(tmp_path, extra))])
    err = capsys.readouterr().err.strip()
    assert status == 2, err
    assert "install.burial.soils_file" in err and "unknown soil class 'granite_wash'" in err
    assert len(err.splitlines()) == 1, err


def test_install_verb_refuses_bad_input_before_running(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["install", str(_scenario(tmp_path, PERMIT_SELF))])
    err = capsys.readouterr().err.strip()
    assert status == 2 and "depends on itself" in err and len(err.splitlines()) == 1, err
