"""CBRA strike model: properties (deeper burial never raises the strike rate, more traffic never
lowers it), the per-crossing form of CTC835 §8.3 against the density form, and the burial rule."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import CRS, Transformer
from scipy.stats import lognorm

from transcaspian.install.burial import Sections, design_burial
from transcaspian.install.cbra import (
    KN_TO_KMH,
    TrafficSource,
    p_penetration_exceeds,
    strike_rate_per_km_year,
    strikes_per_crossing,
    traffic_density,
)
from transcaspian.install.config import Burial, Cbra

CFG = Cbra()


def _rate(dol: float, depth: float, flukes: float, way: list[float], anchor: list[float]) -> float:
    return float(strike_rate_per_km_year(
        dol, np.array([depth]), np.array([flukes]), np.array([way]), np.array([anchor]), CFG)[0])


dens = st.lists(st.floats(0.0, 50.0), min_size=3, max_size=3)


@settings(max_examples=200, deadline=None)
@given(d1=st.floats(0.0, 5.0), d2=st.floats(0.0, 5.0), depth=st.floats(0.0, 200.0),
       flukes=st.floats(0.0, 4.0), way=dens, anchor=dens)
def test_deeper_burial_never_raises_the_strike_rate(d1: float, d2: float, depth: float,
                                                    flukes: float, way: list[float],
                                                    anchor: list[float]) -> None:
    lo, hi = sorted((d1, d2))
    assert _rate(hi, depth, flukes, way, anchor) <= _rate(lo, depth, flukes, way, anchor)


@settings(max_examples=200, deadline=None)
@given(dol=st.floats(0.0, 5.0), depth=st.floats(0.0, 200.0), flukes=st.floats(0.0, 4.0),
       way=dens, anchor=dens, extra=dens, extra_anchor=dens)
def test_more_traffic_never_lowers_the_strike_rate(dol: float, depth: float, flukes: float,
                                                   way: list[float], anchor: list[float],
                                                   extra: list[float],
                                                   extra_anchor: list[float]) -> None:
    more_way = [a + b for a, b in zip(way, extra, strict=True)]
    more_anchor = [a + b for a, b in zip(anchor, extra_anchor, strict=True)]
    assert _rate(dol, depth, flukes, more_way, more_anchor) >= _rate(dol, depth, flukes, way,
                                                                     anchor)


def test_penetration_probability_is_the_lognormal_survival() -> None:
    """P(pen > DoL) against scipy's lognormal (an independent implementation)."""
    dol = np.array([0.2, 0.8, 1.5, 3.0])
    median, sigma = 1.1, 0.4
    want = lognorm(s=sigma, scale=median).sf(dol)
    np.testing.assert_allclose(p_penetration_exceeds(dol, median, sigma), want, rtol=1e-12)
    assert p_penetration_exceeds(0.0, median, sigma) == 1.0  # surface-laid: always reached
    assert p_penetration_exceeds(0.5, 0.0, sigma) == 0.0  # rock: covered cable unreachable


def test_density_form_integrates_to_the_ctc835_per_crossing_form() -> None:
    """A perpendicular crossing of a lane (N vessels/yr, width W) by a surface-laid cable: the
    density form ρ·2D per km, times the W km of cable inside the lane, equals CTC835 §8.3's
    N · P_wd · (D_ship/V_ship) · P_incident summed over both sides of the cable."""
    n_year, width_km = 1200.0, 4.0
    vc = CFG.vessel_classes["medium"]
    rho = n_year / (width_km * vc.speed_kn * KN_TO_KMH)
    way = np.zeros((1, 3))
    way[0, 1] = rho
    per_km = strike_rate_per_km_year(0.0, np.array([30.0]), np.array([1.0]), way,
                                     np.zeros((1, 3)), CFG)[0]
    # hand form: 1200 transits × (2 × 0.5 km / (12 kn × 1.852)) h × 1e-5 /h
    hand = 1200.0 * (2 * 0.5 / (12.0 * 1.852)) * 1.0e-5
    assert per_km * width_km == pytest.approx(hand, rel=1e-12)
    assert strikes_per_crossing(n_year, vc.drag_distance_km, vc.speed_kn,
                                CFG.incident_per_vessel_hour) == pytest.approx(hand, rel=1e-12)


LON0, LAT0 = 50.5, 42.0  # a Middle-Caspian origin for the buffer-zone geometry tests
_AEQD = CRS.from_proj4(f"+proj=aeqd +lat_0={LAT0} +lon_0={LON0} +datum=WGS84 +units=m")
_INV = Transformer.from_crs(_AEQD, "EPSG:4326", always_xy=True)


def _lonlat(x_km: np.ndarray, y_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = _INV.transform(np.asarray(x_km, float) * 1000.0, np.asarray(y_km, float) * 1000.0)
    return np.asarray(lon, float), np.asarray(lat, float)


def _lane(name: str, x0_km: float, x1_km: float, y0_km: float, y1_km: float,
          n_year: float) -> TrafficSource:
    """A rectangular lane (x0..x1 by y0..y1 km about the origin) of medium and large traffic."""
    xs = np.array([x0_km, x1_km, x1_km, x0_km, x0_km])
    ys = np.array([y0_km, y0_km, y1_km, y1_km, y0_km])
    lon, lat = _lonlat(xs, ys)
    width = (x1_km - x0_km) if (y1_km - y0_km) > (x1_km - x0_km) else (y1_km - y0_km)
    return TrafficSource(name, "lane", shapely.Polygon(np.column_stack([lon, lat])), width, 0.0,
                         {"medium": n_year, "large": n_year / 2}, 0.0, "test", True)


NO_BACKGROUND = CFG.model_copy(update={"background_vessel_hours_per_km2_year": {}})


def test_buffer_zone_counts_a_lane_beside_the_cable_by_its_overlap() -> None:
    """A lane whose edge lies 0.3 km east of the cable (its band x = 0.3..4.3 km): only vessels
    within D_ship of the cable can reach it (CTC835 §8.6, Application Guide Fig. 4), so each
    class counts the lane's density times the share of its strip inside the lane: small
    (D 0.3 km) none, medium (D 0.5 km) 0.2/1.0, large (D 0.8 km) 0.5/1.6. The old midpoint
    test saw no lane at all."""
    y = np.linspace(-10.0, 10.0, 21)  # a north-south cable, 1 km sections
    lon, lat = _lonlat(np.zeros_like(y), y)
    n_year, width = 1000.0, 4.0
    lane = _lane("beside", 0.3, 0.3 + width, -30.0, 30.0, n_year)
    way, anchor, names = traffic_density(lon, lat, (lane,), NO_BACKGROUND)
    vc = CFG.vessel_classes
    rho = {c: f * n_year / (width * vc[c].speed_kn * KN_TO_KMH)
           for c, f in (("medium", 1.0), ("large", 0.5))}
    np.testing.assert_allclose(way[:, 0], 0.0, atol=1e-12)
    np.testing.assert_allclose(way[:, 1], 0.2 * rho["medium"], rtol=2e-3)
    np.testing.assert_allclose(way[:, 2], (0.5 / 1.6) * rho["large"], rtol=2e-3)
    assert np.all(anchor == 0.0) and all(n == ("beside",) for n in names)


def test_buffer_zone_lane_crossing_integrates_to_the_per_crossing_form() -> None:
    """A lane crossing the cable at right angles: summed over the sections, the strike rate
    times section length equals CTC835 §8.3's N · (2 D_ship / V_ship) · P_incident per class,
    whatever the cut of the sections (the strips tile the route)."""
    y = np.array([-12.0, -5.3, -1.7, 0.4, 0.9, 2.6, 7.1, 12.0])  # uneven sections
    lon, lat = _lonlat(np.zeros_like(y), y)
    n_year, width = 1200.0, 4.0
    lane = _lane("across", -40.0, 40.0, -1.0, -1.0 + width, n_year)
    way, anchor, _ = traffic_density(lon, lat, (lane,), NO_BACKGROUND)
    sec_km = np.diff(y)
    per_km = strike_rate_per_km_year(0.0, np.full(sec_km.size, 30.0), np.ones(sec_km.size),
                                     way, anchor, NO_BACKGROUND)
    want = sum(strikes_per_crossing(n, CFG.vessel_classes[c].drag_distance_km,
                                    CFG.vessel_classes[c].speed_kn,
                                    CFG.incident_per_vessel_hour)
               for c, n in (("medium", n_year), ("large", n_year / 2)))
    assert float(per_km @ sec_km) == pytest.approx(want, rel=2e-3)


def _sections(soil: tuple[str, ...], depth: list[float], way: float) -> Sections:
    n = len(soil)
    return Sections(
        kp_start_km=np.arange(n, dtype=float), kp_end_km=np.arange(1, n + 1, dtype=float),
        cable_km=np.full(n, 1.02), mid_lon_deg=np.zeros(n), mid_lat_deg=np.zeros(n),
        depth_m=np.array(depth), slope_deg=np.zeros(n), cable_type=("SA",) * n, soil=soil,
        under_way=np.full((n, 3), way), at_anchor=np.zeros((n, 3)), traffic=((),) * n)


def test_burial_rule_meets_the_target_and_protects_rock() -> None:
    sec = _sections(("medium_sand", "firm_clay", "rock", "soft_clay"), [20.0, 40.0, 10.0, 500.0],
                    way=5.0)
    plan = design_burial(sec, CFG, Burial(), 25)
    target = 1.0 / CFG.return_period_years_km
    # buriable shallow sections: the shallowest DoL on the grid that meets the target
    for i in (0, 1):
        assert plan.dol_m[i] > 0 and plan.strike_per_km_year[i] <= target
        shallower = plan.dol_m[i] - CFG.dol_step_m
        assert _rate(shallower, sec.depth_m[i], sec.penetration_flukes[i], [5.0] * 3,
                     [0.0] * 3) > target
    assert plan.dol_m[1] > plan.dol_m[0]  # clay lets anchors in deeper than sand
    assert plan.reason[2] == "rock" and plan.dol_m[2] == 0.0 and plan.protection[2] != ""
    assert plan.dol_m[3] == 0.0 and plan.strike_per_km_year[3] == 0.0  # too deep to anchor


def test_least_cost_rule_buries_less_when_faults_are_cheap() -> None:
    sec = _sections(("soft_clay",) * 3, [20.0, 40.0, 60.0], way=200.0)
    cheap = design_burial(sec, CFG.model_copy(update={"objective": "least_cost",
                                                      "fault_cost_usd": 1.0}), Burial(), 25)
    dear = design_burial(sec, CFG.model_copy(update={"objective": "least_cost",
                                                     "fault_cost_usd": 1e9}), Burial(), 25)
    assert np.all(cheap.dol_m == 0.0)
    assert np.all(dear.dol_m > 0.0)
    assert math.isclose(cheap.burial_capex_usd.sum(), 0.0)


@pytest.mark.xfail(strict=True, reason=(
    "Full-scale drop and drag tests in the German Bight (Deltares report 1207052-002-GEO-0003, "
    "2013, for TenneT/BAW/BSH; summary read on scribd 318876676, studylib 18828598, "
    "iscpc.org): an 11.5 t Hall (stockless) anchor penetrated 0.26-0.88 m and no anchor more "
    "than 1.0 m. The toolkit's penetration model (median = soil multiple x 0.85 M^(1/3) m, "
    "multiples [U]) gives 1.34-5.8 m for 11.5 t in every buriable soil class: it over-predicts "
    "the only full-scale data found by >= 1.5x. The sites' soil was not readable, so the "
    "multiples are not refitted (that would tune the model to its check)."))
def test_penetration_matches_the_german_bight_full_scale_anchor_tests() -> None:
    from transcaspian.install.cbra import fluke_length_m
    from transcaspian.install.soils import SOILS

    fluke = float(fluke_length_m(11.5, CFG.fluke_coefficient_m_per_t13))
    medians = {k: v.penetration_flukes * fluke for k, v in SOILS.items() if v.buriable}
    measured_lo_m, measured_hi_m = 0.26, 0.88  # 11.5 t Hall anchor, all three sites
    assert any(measured_lo_m <= m <= measured_hi_m for m in medians.values()), medians


@pytest.mark.xfail(strict=True, reason=(
    "No published CBRA case with both its inputs and its result was readable (search record "
    "in docs/install.md, 'Checks and gaps'): CTC835 (2015, scribd 398701250) and the "
    "Application Guide (scribd 847478966 via fanyv88) give only their contents, so Tables 13 "
    "and 15 and Fig. 9 of the worked example were not read; the Haenam-Jeju application "
    "(DoL 0.60-0.74 m at 2,500 yr) gives results without inputs; DNV-RP-F107 (2001/2010 "
    "copies) and the Zhoushan (GMEE 2018) and Luo et al. (2021) papers showed only their "
    "openings. Add the worked example's inputs and DoLs to run this check."))
def test_reproduces_the_ctc835_worked_example() -> None:
    from pathlib import Path

    case = Path(__file__).with_name("ctc835_worked_example.yaml")
    assert case.exists(), "add the worked example's inputs and DoLs to run this check"
