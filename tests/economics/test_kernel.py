"""The vectorised business-case kernel: hand cases, capacity cap, IRUs, batch parity, and the
properties of the issue (more CAPEX never raises NPV; a higher discount rate lowers the NPV of
a project that pays back; members' cash flows sum to the project's)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcaspian.economics.kernel import CaseArrays, evaluate_batch


def tiny_case(**kw: object) -> CaseArrays:
    """One member, one lease product sold per Gbit/s at 1000/month, 5 operating years, no
    growth, no erosion: revenue = 2 Tbit/s x 1000 Gbit/s x 1000 x 12 = 24 M per year."""
    base = dict(
        years_since_base=np.arange(6.0),
        horizon_offset=10.0,
        is_iru=np.array([False]),
        unit_gbps=np.array([1.0]),
        iru_term_years=np.array([15.0]),
        share=np.array([1.0]),
        side_weights=np.array([[1.0, 1.0]]),
        capex_shared=np.array(50e6),
        capex_side=np.array([5e6, 5e6]),
        opex_shared=np.array(2e6),
        opex_side=np.array([0.5e6, 0.5e6]),
        capex_scale=np.array(1.0),
        pair_upgrade_cost=np.array(0.0),
        wavelength_cost=np.array(0.0),
        pair_power_cost=np.array(0.0),
        wavelength_power_cost=np.array(0.0),
        initial_wavelengths=np.array(10.0),
        channels_per_pair=np.array(64.0),
        wavelength_gbps=np.array(200.0),
        fibre_pairs=np.array(2.0),
        terminating_tbps=np.array(0.0),
        transit_tbps=np.array(2.0),
        growth=np.array(0.0),
        growth_after=np.array(0.0),
        market_share=np.array(1.0),
        mix_transit=np.array([[1.0]]),
        mix_terminating=np.array([[0.0]]),
        lease_price_month=np.array([[1000.0]]),
        iru_price=np.array([[0.0]]),
        iru_om_fraction=np.array([[0.0]]),
        erosion=np.array([[0.0]]),
        sla_credit_fraction=np.array(0.0),
        discount_rate=np.array(0.1),
    )
    base.update(kw)
    return CaseArrays(**base)  # type: ignore[arg-type]


def test_hand_computed_lease_case() -> None:
    r = evaluate_batch(tiny_case(), detail=True)
    assert r.cash_flow is not None and r.capex is not None
    expected = np.array([-60e6] + [24e6 - 3e6] * 5)
    np.testing.assert_allclose(r.cash_flow[0], expected)
    assert r.npv[0] == pytest.approx(npf.npv(0.1, expected))
    assert r.exhausted_year_index[0] == -1


def test_growth_erosion_and_sla_credit() -> None:
    r = evaluate_batch(
        tiny_case(growth=np.array(0.1), erosion=np.array([[0.2]]),
                  sla_credit_fraction=np.array(0.05)),
        detail=True,
    )
    assert r.revenue is not None
    t = np.arange(6.0)
    want = 24e6 * 1.1**t * 0.8**t * 0.95
    want[0] = 0.0
    np.testing.assert_allclose(r.revenue[0, 0, 0], want, rtol=1e-12)


def test_growth_slows_after_the_horizon() -> None:
    r = evaluate_batch(
        tiny_case(growth=np.array(0.5), growth_after=np.array(0.0), horizon_offset=2.0),
        detail=True,
    )
    assert r.demand_tbps is not None
    np.testing.assert_allclose(r.demand_tbps[0, 1:], 2.0 * np.array([1.5, 2.25, 2.25, 2.25, 2.25]))


def test_never_sells_more_than_the_design_and_reports_when() -> None:
    # design: 2 pairs x 64 x 200 G = 25.6 Tbit/s; demand 2 x 2^t passes it in year 4 (32)
    r = evaluate_batch(tiny_case(growth=np.array(1.0)), detail=True)
    assert r.sold_tbps is not None and r.lit_wavelengths is not None and r.lit_pairs is not None
    assert r.sold_tbps.max() == pytest.approx(25.6)
    assert r.exhausted_year_index[0] == 4
    assert r.lit_wavelengths[0].max() == 128 and r.lit_pairs[0].max() == 2
    assert np.all(np.diff(r.lit_wavelengths[0]) >= 0)


def test_slte_added_when_lit_capacity_runs_out() -> None:
    # 10 wavelengths lit (2 Tbit/s); demand 2 x 1.5^t needs ceil(10 x 1.5^t) wavelengths
    c = tiny_case(growth=np.array(0.5), wavelength_cost=np.array(1000.0),
                  pair_upgrade_cost=np.array(1e5), initial_wavelengths=np.array(10.0))
    r = evaluate_batch(c, detail=True)
    assert r.capex is not None and r.lit_wavelengths is not None
    need = np.maximum(np.ceil(10 * 1.5 ** np.arange(6.0) - 1e-9), 10)
    need[0] = 10
    np.testing.assert_array_equal(r.lit_wavelengths[0], need)
    pairs = np.ceil(need / 64)
    upgrade = np.diff(need) * 1000.0 + np.diff(pairs) * 1e5
    np.testing.assert_allclose(r.capex[0, 1:], upgrade)


def test_iru_upfront_plus_om_then_resold_after_its_term() -> None:
    # 1 unit of 1 Gbit/s... all 2000 Gbit/s sold as IRUs at 100 each + 10 %/yr O&M, 2-yr term
    c = tiny_case(is_iru=np.array([True]), iru_term_years=np.array([2.0]),
                  iru_price=np.array([[100.0]]), iru_om_fraction=np.array([[0.1]]),
                  lease_price_month=np.array([[0.0]]))
    r = evaluate_batch(c, detail=True)
    assert r.revenue is not None
    rev = r.revenue[0, 0, 0]
    # year 1: 2000 units x 100 upfront + 10 % O&M; year 2: O&M; year 3 resold; ...
    np.testing.assert_allclose(rev, [0, 220e3, 20e3, 220e3, 20e3, 220e3])


def test_batch_equals_one_sample_at_a_time() -> None:
    rng = np.random.default_rng(1)
    n = 5000  # > one chunk
    batch = tiny_case(
        capex_scale=rng.uniform(0.5, 2.0, n), growth=rng.uniform(0.0, 0.5, n),
        discount_rate=rng.uniform(0.0, 0.2, n), erosion=rng.uniform(0, 0.3, (n, 1, 1)),
        wavelength_cost=np.array(1000.0),
    )
    npv = evaluate_batch(batch).npv
    for i in (0, 17, 4095, 4096, n - 1):
        one = tiny_case(
            capex_scale=batch.capex_scale[i], growth=batch.growth[i],
            discount_rate=batch.discount_rate[i], erosion=batch.erosion[i],
            wavelength_cost=np.array(1000.0),
        )
        assert npv[i] == pytest.approx(evaluate_batch(one).npv[0], rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    scale=st.floats(0.1, 5.0), extra=st.floats(0.0, 3.0), growth=st.floats(0.0, 1.0),
    rate=st.floats(-0.5, 0.5),
)
def test_more_capex_never_raises_npv(scale: float, extra: float, growth: float,
                                     rate: float) -> None:
    c = tiny_case(growth=np.array(growth), wavelength_cost=np.array(5e4),
                  pair_upgrade_cost=np.array(1e5), discount_rate=np.array(rate))
    lo = evaluate_batch(replace(c, capex_scale=np.array(scale))).npv[0]
    hi = evaluate_batch(replace(c, capex_scale=np.array(scale + extra))).npv[0]
    assert hi <= lo + 1e-6 * abs(lo)


@settings(max_examples=40, deadline=None)
@given(rate=st.floats(0.0, 0.5), bump=st.floats(0.001, 0.5), capex=st.floats(1e6, 9e7))
def test_higher_discount_rate_lowers_npv_of_a_project_that_pays_back(
    rate: float, bump: float, capex: float
) -> None:
    c = tiny_case(capex_shared=np.array(capex))
    cf = evaluate_batch(c, detail=True).cash_flow
    assert cf is not None and np.cumsum(cf[0])[-1] > 0  # pays back (undiscounted)
    a = evaluate_batch(replace(c, discount_rate=np.array(rate))).npv[0]
    b = evaluate_batch(replace(c, discount_rate=np.array(rate + bump))).npv[0]
    assert b < a


@settings(max_examples=40, deadline=None)
@given(
    shares=st.lists(st.floats(0.05, 1.0), min_size=1, max_size=4),
    price_factor=st.lists(st.floats(0.0, 3.0), min_size=4, max_size=4),
    side=st.lists(st.booleans(), min_size=4, max_size=4),
    growth=st.floats(0.0, 1.0),
)
def test_members_cash_flows_sum_to_the_project(
    shares: list[float], price_factor: list[float], side: list[bool], growth: float
) -> None:
    s = np.array(shares) / sum(shares)
    m = s.size
    on_a = np.array(side[:m])
    wa = s * on_a / (s * on_a).sum() if on_a.any() else s
    wb = s * ~on_a / (s * ~on_a).sum() if (~on_a).any() else s
    c = tiny_case(
        share=s, side_weights=np.c_[wa, wb],
        mix_transit=np.full((m, 2), 0.5), mix_terminating=np.full((m, 2), 0.3),
        lease_price_month=1000.0 * np.c_[price_factor[:m], np.ones(m)],
        iru_price=np.c_[np.zeros(m), np.full(m, 5e4)],
        iru_om_fraction=np.full((m, 2), 0.04), erosion=np.full((m, 2), 0.1),
        is_iru=np.array([False, True]), unit_gbps=np.array([1.0, 100.0]),
        iru_term_years=np.array([15.0, 3.0]), terminating_tbps=np.array(0.7),
        growth=np.array(growth), wavelength_cost=np.array(3e4),
        pair_upgrade_cost=np.array(2e5),
    )
    r = evaluate_batch(c, detail=True)
    assert r.member_cash_flow is not None and r.cash_flow is not None
    np.testing.assert_allclose(r.member_cash_flow[0].sum(axis=0), r.cash_flow[0],
                               rtol=1e-9, atol=1e-3)


def test_members_without_offers_split_revenue_by_share() -> None:
    """Two 50 % members selling the project's way earn exactly half the one-owner revenue."""
    one = evaluate_batch(tiny_case(growth=np.array(0.3)), detail=True)
    two = evaluate_batch(
        tiny_case(growth=np.array(0.3), share=np.array([0.5, 0.5]),
                  side_weights=np.array([[1.0, 0.0], [0.0, 1.0]]),
                  mix_transit=np.array([[1.0], [1.0]]), mix_terminating=np.zeros((2, 1)),
                  lease_price_month=np.array([[1000.0], [1000.0]]), iru_price=np.zeros((2, 1)),
                  iru_om_fraction=np.zeros((2, 1)), erosion=np.zeros((2, 1))),
        detail=True,
    )
    assert one.revenue is not None and two.revenue is not None
    np.testing.assert_allclose(two.revenue[0, 0], 0.5 * one.revenue[0, 0])
    np.testing.assert_allclose(two.cash_flow, one.cash_flow)  # type: ignore[arg-type]
    assert two.member_capex is not None
    # each side's landing (5 M) goes to its own member; the shared 50 M is split
    assert two.member_capex[0, 0, 0] == pytest.approx(25e6 + 5e6)


@settings(max_examples=30, deadline=None)
@given(growth=st.floats(0.0, 1.0), erosion=st.floats(0.0, 0.5), term=st.integers(1, 30),
       rate=st.floats(-0.3, 0.5), om=st.floats(0.0, 0.2))
def test_fast_npv_equals_the_detailed_cash_flows(growth: float, erosion: float, term: int,
                                                 rate: float, om: float) -> None:
    """The NPV-only path (Horner over years) equals the discounted detailed cash flows."""
    c = tiny_case(
        share=np.array([0.3, 0.7]), side_weights=np.array([[1.0, 0.0], [0.0, 1.0]]),
        is_iru=np.array([False, True]), unit_gbps=np.array([1.0, 100.0]),
        iru_term_years=np.array([15.0, float(term)]),
        mix_transit=np.array([[0.5, 0.5], [0.2, 0.6]]), mix_terminating=np.full((2, 2), 0.4),
        lease_price_month=np.array([[1000.0, 0.0], [800.0, 0.0]]),
        iru_price=np.array([[0.0, 5e4], [0.0, 6e4]]),
        iru_om_fraction=np.array([[0.0, om], [0.0, om]]),
        erosion=np.array([[erosion, 0.1], [0.05, erosion]]), terminating_tbps=np.array(0.5),
        growth=np.array(growth), wavelength_cost=np.array(3e4), discount_rate=np.array(rate),
        sla_credit_fraction=np.array(0.02),
    )
    fast = evaluate_batch(c).npv[0]
    cf = evaluate_batch(c, detail=True).cash_flow
    assert cf is not None
    assert fast == pytest.approx(npf.npv(rate, cf[0]), rel=1e-9, abs=1e-3)
