"""Rate-adaptive modems (issue 20 §3) and the repeater-count search of long cables (§2)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from transcaspian.errors import DataError
from transcaspian.optics import design as design_mod
from transcaspian.optics.config import DesignSpace, OpticsConfig
from transcaspian.optics.design import choose_repeater_counts, compare_designs, repeater_count_range
from transcaspian.optics.transceivers import (
    BUNDLED_LIBRARIES,
    AdaptiveModem,
    load_transceiver_library,
    select_modes,
)


def _modem(**kw: float | str) -> AdaptiveModem:
    base = dict(name="m", family="F", max_symbol_rate_gbaud=95.0, roll_off=0.05,
                fec_overhead=0.25, ngmi_threshold=0.86, implementation_gap_db=1.0,
                min_net_rate_gbps=200.0, max_net_rate_gbps=800.0, rate_step_gbps=25.0,
                source="test", cited=False)
    base.update(kw)
    return AdaptiveModem.model_validate(base)


def test_net_rate_follows_the_stated_quantities() -> None:
    """At SNR = gap (GMI = 2 bit per dual-pol symbol) the net rate is R_s * 2 / ((1+OH) NGMI);
    at SNR = 3 x gap, R_s * 4 / ((1+OH) NGMI) (log2(1 + 3) = 2)."""
    m = _modem()
    rs = 95.0  # a 100 GHz slot fits 95 GBd x 1.05
    eta = 1.0 / 1.25 / 0.86
    assert float(m.net_rate_gbps(1.0, 100.0)) == pytest.approx(rs * 2.0 * eta)
    snr3 = 1.0 + 10.0 * math.log10(3.0)
    assert float(m.net_rate_gbps(snr3, 100.0)) == pytest.approx(rs * 4.0 * eta)
    # the symbol rate adapts to a narrower slot
    assert m.symbol_rate_for_slot_gbaud(75.0) == pytest.approx(75.0 / 1.05)
    rates = np.array([250.0, 400.0, 775.0])
    assert m.net_rate_gbps(m.required_snr_db(rates, 100.0), 100.0) == pytest.approx(rates)


def test_modes_are_fine_steps_below_shannon() -> None:
    m = _modem()
    modes = m.modes_for_slot(100.0)
    rates = np.array([x.bit_rate_gbps for x in modes])
    assert np.all(np.diff(rates) <= 25.0 + 1e-9) and rates[0] == 200.0 and rates[-1] == 800.0
    req = np.array([x.snr_threshold_db for x in modes])
    assert np.all(np.diff(req) > 0)
    for x in modes:  # every step needs more SNR than Shannon would
        assert x.bit_rate_gbps < x.shannon_rate_at_threshold_gbps


def test_capacity_is_fine_grained_and_below_the_shannon_bound() -> None:
    lib = load_transceiver_library("submarine").for_slot(75.0)
    gsnr = np.linspace(6.0, 20.0, 57)[:, None] * np.ones((1, 4))
    sel = select_modes(gsnr, spacing_ghz=75.0, margin_db=0.0, library=lib,
                       reference_symbol_rate_gbaud=64.0)
    rate = sel.rate_gbps[:, 0]
    assert np.all(np.diff(rate) >= 0) and np.all(np.diff(rate) <= 25.0 + 1e-9)
    shannon = 2.0 * 64.0 * np.log2(1.0 + 10.0 ** (gsnr[:, 0] / 10.0))
    assert np.all(rate < shannon)


@pytest.mark.parametrize("name", sorted(BUNDLED_LIBRARIES))
def test_bundled_libraries_load_and_cite(name: str) -> None:
    lib = load_transceiver_library(name)
    assert lib.modes or lib.modems
    for modem in lib.modems:
        assert modem.source and modem.note  # which figures are assumptions
    if name == "submarine":
        assert len(lib.modems) >= 2 and all(m.cited for m in lib.modems)


def test_scenario_chooses_the_library_by_name_or_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: mine\nmodems:\n  - {name: x, family: Mine, max_symbol_rate_gbaud: 60,\n"
        "     roll_off: 0.1, fec_overhead: 0.2, ngmi_threshold: 0.85,\n"
        "     implementation_gap_db: 1.5, min_net_rate_gbps: 100, max_net_rate_gbps: 300,\n"
        "     rate_step_gbps: 10, source: me, cited: false}\n", encoding="utf-8")
    ds = DesignSpace(max_repeaters=2, launch_step_db=1.0, launch_tilts_db=(0.0,))
    cfg = OpticsConfig(transceivers=str(path),
                       design_space=ds.model_copy(update={"include_unrepeatered": ()}))
    own = compare_designs(cfg, cable_length_km=300.0, fibre_pairs=1)
    for d in own.designs:
        assert "Mine" in d.capacity_model
        assert all(m is None or m.startswith("x_") for m in d.modes)
        assert max(d.rate_gbps) <= 300.0
    with pytest.raises(DataError, match="nowhere.yaml"):
        load_transceiver_library("nowhere.yaml")


def test_long_cable_search_bisects_the_repeater_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """6,600 km, counts searched up to spans of 40 km: a few screens, not one per count; the
    count chosen for the target is the fewest that reaches it on the screen."""
    cfg = OpticsConfig(transceivers="submarine", target_system_capacity_tbps=160.0,
                       design_space=DesignSpace(max_repeaters=None))
    lib = design_mod.design_library(cfg, None)
    counts = repeater_count_range(cfg, 6600.0)
    assert counts[-1] >= 150 and len(counts) > 100
    calls: list[int] = []
    real = design_mod._screen_capacity_tbps

    def counting(c: OpticsConfig, length: float, k: int, lb: object) -> float:
        calls.append(k)
        return real(c, length, k, lb)  # type: ignore[arg-type]

    monkeypatch.setattr(design_mod, "_screen_capacity_tbps", counting)
    chosen = choose_repeater_counts(cfg, 6600.0, 8, lib)
    assert len(chosen) <= cfg.design_space.max_candidates
    assert len(set(calls)) <= 2 * math.ceil(math.log2(len(counts))) + 2
    k = min(c for c in chosen if real(cfg, 6600.0, c, lib) >= 20.0)
    assert real(cfg, 6600.0, k - 1, lib) < 20.0  # the fewest reaching 160/8 Tb/s per pair


def test_three_hundred_repeaters_design() -> None:
    cfg = OpticsConfig(transceivers="submarine", target_system_capacity_tbps=None,
                       design_space=DesignSpace(max_repeaters=None, min_span_km=40.0))
    res = compare_designs(cfg, cable_length_km=12000.0, fibre_pairs=6)
    reps = [d.repeaters for d in res.designs]
    assert max(reps) == 299 and min(reps) > 0
    best = max(res.designs, key=lambda d: d.capacity_tbps_per_fibre_pair)
    assert best.closes
    assert 10.0 < best.capacity_tbps_per_fibre_pair < best.shannon_tbps_per_fibre_pair
    for d in res.designs:  # infeasible designs are clamped, never -2271 dB
        assert d.min_gsnr_db >= design_mod.GSNR_FLOOR_DB
        assert np.all(d.gsnr_db >= design_mod.GSNR_FLOOR_DB)


def test_the_generation_is_the_one_shipping_in_the_announcement_year() -> None:
    """A capacity announced in a year uses the line cards generally available that year: WaveLogic
    Ai shipped from 2Q 2017, WL5e from 2020, PSE-6s / ICE7 from 2023 (the libraries' cited
    years)."""
    from transcaspian.errors import OpticsError
    from transcaspian.optics.transceivers import SUBMARINE_GENERATIONS, generation_library

    y2016 = generation_library(2016)
    assert not y2016.modems and {m.bit_rate_gbps for m in y2016.modes} == {100.0, 200.0}
    assert y2016.channel_plan is not None and y2016.channel_plan.spacing_ghz == 50.0
    assert [m.family for m in generation_library(2017).modems] == ["Ciena WaveLogic Ai"]
    assert [m.name for m in generation_library(2021).modems] == ["ciena_wl5e"]
    assert len(generation_library(2024).modems) == 3
    assert [m.bit_rate_gbps for m in generation_library(2011).modes] == [100.0]
    with pytest.raises(OpticsError, match="2008"):
        generation_library(2008)
    for name in SUBMARINE_GENERATIONS:  # every member of a generation is dated
        lib = load_transceiver_library(name)
        assert all(m.available_year for m in lib.modes)
        assert all(m.available_year for m in lib.modems)


def test_available_in_drops_later_and_undated_members() -> None:
    from transcaspian.errors import OpticsError
    from transcaspian.optics.transceivers import TransceiverLibrary

    lib = TransceiverLibrary(name="t", modems=(_modem(name="a", available_year=2015),
                                               _modem(name="b", available_year=2019),
                                               _modem(name="c")))
    assert [m.name for m in lib.available_in(2018).modems] == ["a"]
    assert [m.name for m in lib.available_in(2019).modems] == ["a", "b"]
    assert lib.available_year == 2015
    with pytest.raises(OpticsError):
        lib.available_in(2014)
    # the year reaches the generated modes
    assert {m.available_year for m in lib.available_in(2015).for_slot(100.0).modes} == {2015}
