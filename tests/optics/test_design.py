"""The optics stage: compare_designs on the Trans-Caspian defaults."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from transcaspian.errors import OpticsError
from transcaspian.optics.config import OpticsConfig
from transcaspian.optics.design import build_design_lines, compare_designs
from transcaspian.optics.line import evaluate_line

KEYS = {"name", "repeaters", "launch_power_dbm", "min_gsnr_db", "margin_db",
        "capacity_tbps_per_fibre_pair", "system_capacity_tbps", "feasible",
        "shannon_tbps_per_fibre_pair", "gsnr_db", "frequency_thz"}


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return compare_designs(OpticsConfig(), cable_length_km=380.0, fibre_pairs=4)


def test_to_dict_lists_every_design(result) -> None:  # type: ignore[no-untyped-def]
    d = result.to_dict()
    names = [x["name"] for x in d["designs"]]
    assert names[:3] == ["unrepeatered_booster", "unrepeatered_booster_raman",
                         "unrepeatered_booster_raman_ropa"]
    assert names[3:] == [f"repeatered_{k}" for k in range(1, 7)]
    for x in d["designs"]:
        assert set(x) >= KEYS
        assert len(x["gsnr_db"]) == 64
        assert x["system_capacity_tbps"] == pytest.approx(4 * x["capacity_tbps_per_fibre_pair"],
                                                          rel=1e-3)
        assert x["shannon_tbps_per_fibre_pair"] >= x["capacity_tbps_per_fibre_pair"]


def test_unrepeatered_380_km_needs_raman_and_ropa(result) -> None:  # type: ignore[no-untyped-def]
    """~63 dB + EOL allowances: booster only cannot close (GSNR < 0 dB, cf. the reference
    note's sanity check, OSNR ≈ -1 dB at +9 dBm/ch); each added amplifier helps."""
    b, r, ropa = (result.design(n) for n in ("unrepeatered_booster",
                                             "unrepeatered_booster_raman",
                                             "unrepeatered_booster_raman_ropa"))
    assert not b.feasible and b.min_gsnr_db < 0.0
    assert b.min_gsnr_db < r.min_gsnr_db < ropa.min_gsnr_db
    assert ropa.feasible
    # published reference points: 10-15 Tb/s per fibre pair unrepeatered at ~400 km
    assert 5.0 <= ropa.capacity_tbps_per_fibre_pair <= 16.0


def test_repeaters_raise_gsnr(result) -> None:  # type: ignore[no-untyped-def]
    """More repeaters: more capacity at each design's best launch, and a higher peak (over
    launch power) of the worst channel's GSNR. The worst-channel GSNR *at* the
    capacity-maximising launch need not rise: with modes of several rates per channel the
    optimum may trade the worst channel's GSNR for more channels on a faster mode."""
    caps = [result.design(f"repeatered_{k}").capacity_tbps_per_fibre_pair for k in range(1, 7)]
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(caps))
    lines = build_design_lines(OpticsConfig(), 380.0)
    grid = np.arange(-6.0, 14.01, 0.5)
    g = [float(evaluate_line(lines[f"repeatered_{k}"], grid).min_gsnr_db.max())
         for k in range(1, 7)]
    assert all(b >= a - 0.05 for a, b in itertools.pairwise(g))
    assert any(d.feasible for d in result.designs)


def test_short_cable_closes_unrepeatered() -> None:
    res = compare_designs(OpticsConfig(), cable_length_km=120.0, fibre_pairs=2)
    rec = res.design("unrepeatered_booster")
    assert rec.repeaters == 0 and rec.feasible
    assert math.isfinite(rec.margin_db) and rec.margin_db >= 0.0


@pytest.mark.parametrize(("length", "pairs"), [(-5.0, 4), (float("nan"), 4), (380.0, 0)])
def test_bad_arguments(length: float, pairs: int) -> None:
    with pytest.raises(OpticsError):
        compare_designs(OpticsConfig(), cable_length_km=length, fibre_pairs=pairs)


def test_run_optics_stage_uses_route_length() -> None:
    from types import SimpleNamespace

    from transcaspian.optics.stage import run_optics
    from transcaspian.scenario import default_scenario

    scenario = default_scenario()
    res = run_optics(scenario, SimpleNamespace(cable_length_km=372.0))  # type: ignore[arg-type]
    assert res.cable_length_km == 372.0
    assert res.fibre_pairs == scenario.cable.fibre_pairs


def test_to_dict_is_strict_json(result) -> None:  # type: ignore[no-untyped-def]
    import json

    text = json.dumps(result.to_dict(), allow_nan=False)
    assert [d["name"] for d in json.loads(text)["designs"]] == [d.name for d in result.designs]


def test_default_design_uses_only_modes_that_fit_its_slots(result) -> None:  # type: ignore[no-untyped-def]
    """Every mode a default design uses occupies at most the 75 GHz slot (R_s (1 + beta)).

    Before the slot check the default capacity rested on GNPy's illustrative 66 GBd modes,
    75.9 GHz wide on a 75 GHz grid."""
    from transcaspian.optics.transceivers import load_transceiver_library

    lib = load_transceiver_library()
    for d in result.designs:
        for name in {m for m in d.modes if m is not None}:
            assert lib.mode(name).occupied_bandwidth_ghz <= 75.0 + 1e-9, (d.name, name)
        assert not d.relies_on_illustrative_mode
        assert d.to_dict()["relies_on_illustrative_mode"] is False


def test_design_relying_on_an_illustrative_mode_is_flagged() -> None:
    cfg = OpticsConfig(allow_illustrative_modes=True,
                       transceiver_families=("GNPy example",))
    res = compare_designs(cfg, cable_length_km=380.0, fibre_pairs=4)
    used = [d for d in res.designs if any(m is not None for m in d.modes)]
    assert used
    for d in used:
        assert d.relies_on_illustrative_mode
        out = d.to_dict()
        assert out["relies_on_illustrative_mode"] is True
        assert set(out["illustrative_modes"]) == {m for m in d.modes if m is not None}
