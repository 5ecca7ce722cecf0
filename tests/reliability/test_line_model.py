"""Fault model, repair model, analytic availability and the Monte Carlo of the line."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcaspian.errors import ReliabilityError, ScenarioError
from transcaspian.reliability.availability import line_availability, unavailability
from transcaspian.reliability.config import Phase, ReliabilityConfig, RepairConfig, ZoneFactor
from transcaspian.reliability.faults import fault_rates, generic_cable_faults_per_year
from transcaspian.reliability.montecarlo import simulate_line
from transcaspian.reliability.repair import closure_wait_days, mean_repair_days
from transcaspian.reliability.tables import zone_tables
from transcaspian.scenario import default_scenario_text, loads_scenario

CFG = ReliabilityConfig()
TABLES = zone_tables(CFG)


def _rates(km, depth, slope=None, ctype=None, burial=None, hazards=None, cfg=CFG):
    n = len(km)
    return fault_rates(
        np.asarray(km, float), np.asarray(depth, float),
        np.zeros(n) if slope is None else np.asarray(slope, float),
        tuple(ctype or ["LWP"] * n),
        np.full(n, cfg.reference_burial_m) if burial is None else np.asarray(burial, float),
        tuple(hazards or [()] * n), cfg, zone_tables(cfg),
    )


def test_global_check_generic_1000_km_cable() -> None:
    """A generic 1,000 km cable (the world's length split by depth band, reference protection,
    no hazards) with the global cause mix: 150-200 faults/yr on ~1.7 M km (ICPC 2025) gives
    0.088-0.118 faults per year; the issue asks for about 0.09-0.12."""
    fractions = TABLES.generic_fraction
    mids = [15.0, 100.0, 500.0, 3000.0]  # a depth inside each bundled band
    km = [1000.0 * f for f in fractions]
    total = float(_rates(km, mids).sum())
    assert 0.09 <= total <= 0.12
    assert total == pytest.approx(0.103, rel=1e-9)  # the ICPC midpoint the scenario uses
    assert generic_cable_faults_per_year(1000.0, CFG, TABLES) == pytest.approx(total, rel=1e-12)
    # the same cable all in the shelf band (0-200 m, unburied) fails far more often
    shelf = float(_rates([1000.0], [100.0], burial=[0.0]).sum())
    assert shelf > 3 * total


def test_hand_computed_section() -> None:
    """Two sections worked by hand from the bundled tables.

    Generic normalisation: human Σ f w = 0.02 + 0.08 + 0.1·0.2 = 0.12; environmental
    0.02 + 0.08 + 0.1·1.5 + 0.8·1.5 = 1.45; other 1.
    Section 1: 10 km at 100 m (shelf), SA, buried 1.5 m, in a shipping lane (human ×3):
      human = 0.74·0.103/1000·10·1/0.12·3·0.7·exp(-0.5) = 8.0902e-3
      env   = 0.14·0.103/1000·10·1/1.45 = 9.9448e-5; other = 0.12·0.103/1000·10 = 1.236e-4
    Section 2: 20 km at 500 m (slope), LWP, not buried, 5° slope, near a mud volcano (env ×5):
      human = 0.74·0.103e-3·20·0.2/0.12·1·exp(1) = 6.9063e-3
      env   = 0.14·0.103e-3·20·1.5/1.45·(1 + 0.2·2)·5 = 2.08828e-3 (hazard 1+4=5, slope 1.4)
      other = 0.12·0.103e-3·20 = 2.472e-4
    """
    r = _rates([10.0, 20.0], [100.0, 500.0], slope=[0.0, 5.0], ctype=["SA", "LWP"],
               burial=[1.5, 0.0], hazards=[("shipping_lane",), ("mud_volcano",)])
    assert r[0] == pytest.approx([8.0902e-3, 9.9448e-5, 1.236e-4], rel=1e-4)
    assert r[1] == pytest.approx([6.9063e-3, 2.08828e-3, 2.472e-4], rel=1e-4)


KINDS = sorted(TABLES.hazard)


@settings(max_examples=60, deadline=None)
@given(
    depth=st.floats(0.0, 2000.0), km=st.floats(0.1, 50.0),
    base=st.sets(st.sampled_from(KINDS)), extra=st.sets(st.sampled_from(KINDS), min_size=1),
)
def test_more_hazards_never_mean_fewer_faults(depth, km, base, extra) -> None:
    a = _rates([km], [depth], hazards=[tuple(sorted(base))]).sum()
    b = _rates([km], [depth], hazards=[tuple(sorted(base | extra))]).sum()
    assert b >= a * (1 - 1e-12)


@settings(max_examples=40, deadline=None)
@given(scale=st.floats(1.0, 5.0), field=st.sampled_from(["locate", "permits", "transit", "joint",
                                                          "mobilisation_local"]))
def test_a_longer_repair_never_raises_availability(scale, field) -> None:
    rep = CFG.repair
    ph = getattr(rep, field)
    longer = rep.model_copy(update={field: Phase(median_days=ph.median_days * scale,
                                                 p90_days=ph.p90_days * scale)})
    lam, dep = np.array([0.05, 0.02]), np.array([50.0, 600.0])
    a0 = line_availability(lam, dep, rep, CFG.spares, 25).availability
    a1 = line_availability(lam, dep, longer, CFG.spares, 25).availability
    assert a1 <= a0 + 1e-15


def test_unavailability_is_the_m_g_inf_occupancy() -> None:
    # 0.1 faults/yr, 30 d repairs: m = 3/365.25; U = 1 - exp(-m) (submarine.md 5: ~99.18 %)
    u = unavailability(np.array([0.1]), np.array([30.0]))
    assert u == pytest.approx(1 - math.exp(-3 / 365.25), rel=1e-12)
    assert 1 - u == pytest.approx(0.9918, abs=1e-4)


def test_volga_don_closure_wait() -> None:
    # closed Dec-Mar: a fault at the start of January waits three months (Jan, Feb, Mar)
    month = 365.25 / 12
    assert closure_wait_days(np.array([0.0]), (12, 1, 2, 3))[0] == pytest.approx(3 * month)
    assert closure_wait_days(np.array([5 * month]), (12, 1, 2, 3))[0] == 0.0
    # December wraps into the next year: four months to April
    assert closure_wait_days(np.array([11 * month]), (12, 1, 2, 3))[0] == pytest.approx(4 * month)
    local = mean_repair_days(CFG.repair, 100.0)
    volga = mean_repair_days(CFG.repair.model_copy(update={"vessel": "volga_don"}), 100.0)
    assert volga > local


@pytest.mark.parametrize("vessel", ["local_retainer", "volga_don"])
def test_analytic_and_monte_carlo_agree_within_sampling_error(vessel) -> None:
    """Mean outage hours per year, P(no fault in a life), mean repair time: the analytic model
    and the Monte Carlo (independent code paths) within 4 standard errors."""
    rep: RepairConfig = CFG.repair.model_copy(update={"vessel": vessel})
    spares = CFG.spares.model_copy(update={"stock_km": 6.0})  # stock-outs do happen
    lam, dep = np.array([0.3, 0.1, 0.05]), np.array([20.0, 150.0, 700.0])
    an = line_availability(lam, dep, rep, spares, 25)
    mc = simulate_line(lam, dep, rep, spares, design_life_years=25, years=200_000, seed=7)
    assert abs(mc.mean_outage_hours - an.outage_hours_per_year) < 4 * mc.sampling_error_hours
    n_lives = mc.years / 25
    p = an.p_no_fault_design_life
    assert abs(mc.p_no_fault_design_life - p) < 4 * math.sqrt(p * (1 - p) / n_lives) + 1e-9
    assert mc.faults / mc.years == pytest.approx(lam.sum(), rel=0.02)
    assert mc.stock_out_fraction > 0.005
    assert abs(mc.stock_out_fraction - an.stock_out_fraction) < 0.2 * an.stock_out_fraction


def test_monte_carlo_is_seeded() -> None:
    lam, dep = np.array([0.1]), np.array([100.0])
    a = simulate_line(lam, dep, CFG.repair, CFG.spares, design_life_years=25, years=5000, seed=3)
    b = simulate_line(lam, dep, CFG.repair, CFG.spares, design_life_years=25, years=5000, seed=3)
    c = simulate_line(lam, dep, CFG.repair, CFG.spares, design_life_years=25, years=5000, seed=4)
    assert np.array_equal(a.outage_hours, b.outage_hours)
    assert not np.array_equal(a.outage_hours, c.outage_hours)


def _edit(text: str, block: str) -> str:
    return text + "\n" + block


@pytest.mark.parametrize(("block", "field"), [
    ("reliability: {global_fault_rate_per_1000km_year: -0.1}", "global_fault_rate_per_1000km_year"),
    ("reliability: {cause_shares: {human: 1.2, environmental: 0.0, other: 0.0}}", "human"),
    ("reliability: {repair: {permits: {median_days: 5, p90_days: 1}}}", "permits"),
])
def test_bad_scenario_values_name_the_field(block: str, field: str) -> None:
    with pytest.raises(ScenarioError) as e:
        loads_scenario(_edit(default_scenario_text().split("\nreliability:")[0], block))
    msg = str(e.value)
    assert field in msg and "\n" not in msg


def test_unknown_hazard_kind_in_a_rate_table(tmp_path) -> None:
    p = tmp_path / "zones.csv"
    p.write_text(
        "factor,key,cause,value,source\n"
        "depth_band_max_m,all,,inf,x\n"
        "depth_weight,all,human,1,x\ndepth_weight,all,environmental,1,x\n"
        "depth_weight,all,other,1,x\ngeneric_length_fraction,all,,1,x\n"
        "hazard_multiplier,kraken,human,2,x\n", encoding="utf-8")
    with pytest.raises(ReliabilityError, match="kraken.*key: unknown hazard kind"):
        zone_tables(ReliabilityConfig(zone_factors_file=p))


def test_empty_or_negative_rate_tables(tmp_path) -> None:
    p = tmp_path / "empty.csv"
    p.write_text("factor,key,cause,value,source\n", encoding="utf-8")
    with pytest.raises(ReliabilityError, match=r"empty\.csv: a header and no rows"):
        zone_tables(ReliabilityConfig(zone_factors_file=p))
    q = tmp_path / "neg.csv"
    q.write_text("factor,key,cause,value,source\nhazard_multiplier,anchorage,human,-2,x\n",
                 encoding="utf-8")
    with pytest.raises(ReliabilityError, match=r"row 2: value"):
        zone_tables(ReliabilityConfig(zone_factors_file=q))


def test_scenario_overrides_a_table_row() -> None:
    cfg = ReliabilityConfig(zone_factors=(ZoneFactor(factor="hazard_multiplier",
                                                     key="anchorage", cause="human", value=9.0),))
    assert zone_tables(cfg).hazard["anchorage"] == (0, 9.0)


def test_long_runs_report_progress_by_chunk(monkeypatch) -> None:
    from transcaspian.reliability import montecarlo

    monkeypatch.setattr(montecarlo, "CHUNK_YEARS", 1000)
    calls: list[tuple[int, int]] = []
    lam, dep = np.array([0.1]), np.array([100.0])
    mc = montecarlo.simulate_line(lam, dep, CFG.repair, CFG.spares, design_life_years=25,
                                  years=5000, seed=1, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (5000, 5000) and len(calls) == 5
    assert mc.years == 5000
