"""The economics stage on the default line, the comparator, the CLI and its bad inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from transcaspian.cli import main
from transcaspian.economics.stage import run_economics
from transcaspian.geo.stage import run_route
from transcaspian.network.stage import run_network
from transcaspian.optics.stage import run_optics
from transcaspian.scenario import default_scenario, default_scenario_text, load_scenario

# Published references (not fitted, only reported; see the ratio tests):
# Trans-Caspian: >23 bn KZT ~ US$50.8 M operator investment (trend.az 2024-06-20).
# Caucasus Cable System: Poti-Balchik 1,182 km, 2 FP, repeatered, US$40 M construction
# (seenews 2008-11-20).
TCFO_BUDGET_USD = 50.8e6
CCS_CONSTRUCTION_USD = 40.0e6


@pytest.fixture(scope="module")
def stages() -> tuple[Any, ...]:
    s = default_scenario()
    route = run_route(s)
    # the design the decision recommends on the default scenario (two repeaters)
    return s, route, run_optics(s, route).design("repeatered_2"), run_network(s, route)


@pytest.fixture(scope="module")
def result(stages: tuple[Any, ...]) -> Any:
    return run_economics(*stages)


class _Rel:
    ship_repairs_per_year = 0.5
    availability = 0.95


def test_capex_is_built_from_the_plans_quantities(stages: tuple[Any, ...], result: Any) -> None:
    _, route, optics, _ = stages
    tally = route.rpl.type_lengths_km()
    cable = {i.book_item: i for i in result.capex.items if i.category == "cable"}
    for t, v in tally.items():
        assert cable[f"cable_{t}_per_km"].quantity == pytest.approx(v["cable_km"] * 1.03)
    survey = next(i for i in result.capex.items if i.book_item == "marine_survey_per_route_km")
    assert survey.quantity == pytest.approx(route.route_length_km)
    assert result.design.name == optics.name
    names = {i.book_item for i in result.capex.items}
    if optics.amplification == "booster_raman_ropa":
        assert {"ropa_per_fibre_pair", "raman_pump_per_fibre_pair"} <= names
    assert "lay_vessel_caspian_mobilisation" in names
    assert sum(i.total for i in result.capex.items) == pytest.approx(result.model_total)


def test_model_beside_published_budgets(result: Any) -> None:
    """Ratios are reported, not fitted. Measured: Trans-Caspian 0.79, CCS 1.25 (the CCS
    figure is 2008 dollars against a 2025 cost book, and its armour split is assumed)."""
    assert result.published_budget == TCFO_BUDGET_USD
    ratio = result.model_total / TCFO_BUDGET_USD
    assert 0.5 < ratio < 2.0, ratio
    ccs = result.comparators[0]
    assert ccs.published == CCS_CONSTRUCTION_USD
    assert 0.5 < ccs.model_total / CCS_CONSTRUCTION_USD < 2.0
    names = {i.book_item for i in ccs.capex.items}
    assert "repeater_per_body" in names and "pfe_per_end" in names
    assert "lay_vessel_caspian_mobilisation" not in names  # Black Sea: open to the ocean


def test_never_sells_more_than_the_design(result: Any) -> None:
    assert np.all(result.sold_tbps <= result.design.design_capacity_tbps + 1e-9)
    assert np.all(np.diff(result.lit_wavelengths) >= 0)
    lit_cap = result.lit_wavelengths * result.design.wavelength_gbps / 1000
    assert np.all(lit_cap[1:] >= result.sold_tbps[1:] - 1e-9)


def test_members_sum_and_json(result: Any) -> None:
    total = sum(m.cash_flow for m in result.members)
    np.testing.assert_allclose(total, result.cash_flow, rtol=1e-9, atol=1e-3)
    d = json.loads(json.dumps(result.to_dict()))
    assert {"capex", "budget", "comparators", "project", "members", "tornado", "monte_carlo",
            "cash_flows"} <= set(d)
    mc = d["monte_carlo"]
    assert mc["npv_p10"] <= mc["npv_p50"] <= mc["npv_p90"]
    assert {b["driver"] for b in d["tornado"]} == {
        "capex", "price_erosion", "demand_growth", "discount_rate", "market_share",
        "availability", "onward_capacity_growth"}
    rows = result.cashflow_csv().splitlines()
    assert len(rows) == 1 + len(result.years)


def test_reliability_result_is_used(stages: tuple[Any, ...], result: Any) -> None:
    worse = run_economics(*stages, reliability=_Rel())
    assert worse.repairs.ship_repairs_per_year == 0.5
    assert worse.sla_credit_fraction > result.sla_credit_fraction
    assert worse.measures.npv < result.measures.npv


def test_three_member_scenario(stages: tuple[Any, ...]) -> None:
    from importlib import resources

    path = resources.files("transcaspian").joinpath("scenarios/trans_caspian_three_members.yaml")
    s3 = load_scenario(Path(str(path)))
    _, route, optics, network = stages
    r = run_economics(s3, route, optics, network)
    by = {m.name: m for m in r.members}
    assert set(by) == {"AzerTelecom", "Transtelecom", "KazTransCom"}
    assert by["AzerTelecom"].allocation.whole_fibre_pairs == 16
    # Kazakh landing items are split between the two Kazakh members only
    np.testing.assert_allclose(sum(m.cash_flow for m in r.members), r.cash_flow, atol=1e-3)
    # Transtelecom sells 10 % cheaper: less revenue than its equal-share peer
    assert by["Transtelecom"].revenue.sum() < by["KazTransCom"].revenue.sum()
    np.testing.assert_allclose(by["Transtelecom"].capital_calls, by["KazTransCom"].capital_calls)


def _scenario(tmp_path: Path, edit: Any, name: str) -> str:
    data = yaml.safe_load(default_scenario_text())
    edit(data)
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(p)


def _e(**kv: Any) -> Any:
    def edit(d: dict[str, Any]) -> None:
        for k, v in kv.items():
            node = d["economics"]
            *path, last = k.split("__")
            for p in path:
                node = node[p]
            node[last] = v
    return edit


def test_bad_inputs_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def shares(d: dict[str, Any]) -> None:
        d["consortium"]["members"][0]["share"] = 0.6

    cases = [
        (_e(cost_book_overrides={"cable_XX_per_km": {"value": 1}}), "cable_XX_per_km"),
        (_e(products__ip_transit__price_per_unit_month=-1), "price_per_unit_month"),
        (shares, "sum to 1"),
        (_e(discount_rate=-1.0), "discount_rate"),
        (_e(cost_book_overrides={"lay_vessel_day_rate": {"value": 1, "currency": "EUR"}}),
         "currency"),
        (_e(member_offers={"Nobody": {"price_factor": {"ip_transit": 0.5}}}), "Nobody"),
    ]
    for i, (edit, expected) in enumerate(cases):
        path = _scenario(tmp_path, edit, f"s{i}.yaml")
        assert main(["economics", path]) == 2
        _out, err = capsys.readouterr()
        lines = err.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], (expected, err)
        assert "Traceback" not in err


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["economics", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["budget"]["published"] == TCFO_BUDGET_USD
    assert len(d["members"]) == 2


def test_repeatered_design_is_costed_with_repeaters_and_pfe(stages: tuple[Any, ...]) -> None:
    s, route, rep, network = stages
    r = run_economics(s, route, rep, network)
    items = {i.book_item: i for i in r.capex.items}
    # 2 repeater sites x ceil(32 pairs / 16 pairs per body) housings
    assert items["repeater_per_body"].quantity == 2 * 2
    assert items["pfe_per_end"].quantity == 2
    assert "ropa_per_fibre_pair" not in items and "raman_pump_per_fibre_pair" not in items
    assert r.design.repeaters == 2


def test_report_section_has_the_figures_and_tables(result: Any) -> None:
    from transcaspian.report.sections.economics import section_html

    html = section_html(result)
    for fig_id in ("economics-cashflow", "economics-tornado", "economics-npv-mc"):
        assert f'id="{fig_id}"' in html
    assert "Caucasus Cable System" in html and "AzerTelecom" in html
    assert "lay_vessel_caspian_mobilisation" in html  # each item names its cost-book row


def test_runs_without_a_network_result(stages: tuple[Any, ...]) -> None:
    s, route, optics, _ = stages
    r = run_economics(s, route, optics)
    assert r.traffic.source.startswith("scenario economics.traffic_without_network")
    assert r.traffic.total_tbps == pytest.approx(2.5)
    assert r.revenue_by_product.sum() > 0


def _real_case(stages: tuple[Any, ...]) -> Any:
    from transcaspian.economics.capex import capex_breakdown
    from transcaspian.economics.opex import fixed_opex_items, repair_model
    from transcaspian.economics.revenue import line_traffic
    from transcaspian.economics.stage import (
        build_case,
        check_economics_inputs,
        design_facts,
        initial_lit,
        line_quantities,
    )

    s, route, optics, network = stages
    cfg = s.economics
    book = check_economics_inputs(s)
    d = design_facts(optics, s.cable.fibre_pairs)
    q = line_quantities(route, d, *initial_lit(cfg, d))
    capex = capex_breakdown(q, book, cfg.spare_cable_percent)
    rep = repair_model(None, route.route_length_km, book, cfg.sla.fallback_mttr_days)
    opex = fixed_opex_items(q, book, capex.total, rep)
    return build_case(s, d, capex, opex, line_traffic(network, cfg), book, rep)[0]


def test_properties_on_the_default_business_case(stages: tuple[Any, ...]) -> None:
    """On the default line's own case, over a grid of samples in one kernel call: NPV never
    rises with CAPEX, and falls with the discount rate (the case pays back at every rate)."""
    from dataclasses import replace

    from transcaspian.economics.kernel import evaluate_batch

    case = _real_case(stages)
    scale = np.linspace(0.5, 3.0, 40)
    npv = evaluate_batch(replace(case, capex_scale=scale)).npv
    assert np.all(np.diff(npv) <= 0)
    rate = np.linspace(-0.05, 0.4, 40)
    detail = evaluate_batch(case, detail=True)
    assert detail.cash_flow is not None and np.cumsum(detail.cash_flow[0])[-1] > 0
    npv_r = evaluate_batch(replace(case, discount_rate=rate)).npv
    assert np.all(np.diff(npv_r) < 0)


def test_digital_hub_moves_kept_local_traffic_from_transit_to_terminating(
    stages: tuple[Any, ...], result: Any
) -> None:
    """The network stage's traffic kept local on the line (line + hub case) is sold as
    terminating traffic when ``economics.digital_hub`` is set; the line carries the same."""
    s, route, optics, network = stages
    combo = next(c for c in network.digital_hub.combinations
                 if c.line and c.digital_hub)
    kept = min(combo["kept_local_on_line_tbps"], result.traffic.baku_transit_tbps)
    assert kept > 0.0  # the default corridor keeps some of the line's traffic in Baku
    assert result.traffic.digital_hub_kept_local_tbps == pytest.approx(kept)
    assert not result.traffic.digital_hub_applied

    s_dh = s.model_copy(update={"economics": s.economics.model_copy(
        update={"digital_hub": True})})
    r_dh = run_economics(s_dh, route, optics, network)
    t0, t1 = result.traffic, r_dh.traffic
    assert t1.digital_hub_applied
    assert t1.total_tbps == pytest.approx(t0.total_tbps)
    assert t1.baku_transit_tbps == pytest.approx(t0.baku_transit_tbps - kept)
    assert t1.terminating_tbps == pytest.approx(t0.terminating_tbps + kept)
    # both runs report the NPV both ways, and each run's own NPV is its side of the pair
    assert result.digital_hub_npv["without"] == pytest.approx(result.measures.npv)
    assert r_dh.digital_hub_npv["with"] == pytest.approx(r_dh.measures.npv)
    assert r_dh.digital_hub_npv == pytest.approx(result.digital_hub_npv)
    # the pools are priced differently, so moving traffic between them changes the NPV
    assert result.digital_hub_npv["with"] != pytest.approx(result.digital_hub_npv["without"])
    from transcaspian.report.sections.economics import section_html

    assert "Digital Hub." in section_html(result)
    assert result.to_dict()["traffic"]["digital_hub_kept_local_tbps"] == pytest.approx(
        kept, abs=1e-6)


def test_digital_hub_without_a_network_result_changes_nothing(stages: tuple[Any, ...]) -> None:
    s, route, optics, _ = stages
    r = run_economics(s, route, optics)
    assert r.traffic.digital_hub_kept_local_tbps == 0.0
    assert r.digital_hub_npv == {"without": r.measures.npv, "with": r.measures.npv}
