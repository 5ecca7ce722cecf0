"""The power-limited design (fibre pairs x amplifier output x spacing under the PFE limit).

Checks: the GN closed form against the optics package's per-channel GN sum (an independent
implementation); the vectorised argmax against a plain loop; the qualitative results of the
power-efficient SDM papers (Sinkin et al. JLT 2018; Krause Perin et al. JLT 2019): under a
binding feed limit, more pairs run at lower power each and the cable's capacity still grows;
a higher PFE rating never lowers the best capacity; every chosen point is within the rating."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import constants

from transcaspian.power.config import PowerConfig, TradeSpace
from transcaspian.power.tradeoff import (
    nli_coefficient_per_w2_hz2,
    power_limited_design,
    shannon_per_fibre_pair_bps,
)


def test_gn_closed_form_matches_the_per_channel_gn_sum() -> None:
    """Nyquist band of 4.5 THz as 150 channels of 30 GBd: the centre channel's NLI from the
    optics package's GN sum (Poggiolini eq. 120/123) vs the full-band closed form, within
    0.3 dB (the closed form takes the whole band as one block)."""
    from transcaspian.optics.nli import gn_eta

    t = TradeSpace()
    n, rs = 150, 30e9
    f = np.asarray(193.4e12 + rs * (np.arange(n) - n // 2), np.float64)
    alpha = t.loss_db_per_km * np.log(10) / 10 / 1e3
    d = t.dispersion_ps_per_nm_km * 1e-6
    beta2 = -d * (1550e-9) ** 2 / (2 * np.pi * constants.c)
    eta = gn_eta(f, np.full(n, rs), np.full(n, alpha), np.full(n, beta2),
                 np.full(n, t.gamma_per_w_km / 1e3), 60e3)
    centre = eta[n // 2].sum()  # P_NLI = P^3 * sum_j eta_cj (flat power)
    closed = float(nli_coefficient_per_w2_hz2(60.0, t)) / rs**2
    assert 10 * np.log10(closed / centre) == pytest.approx(0.0, abs=0.3)


def test_snr_has_the_gn_optimum_shape() -> None:
    """Below the optimum SNR rises 1 dB per dB of power, above it falls 2 dB per dB; the
    optimum SNR is 1.76 dB below the ASE-only SNR there (GN model, Poggiolini 2012 eq. 43)."""
    t = TradeSpace()
    p = np.arange(-5.0, 30.0, 0.01)
    _, snr = shannon_per_fibre_pair_bps(p, 60.0, 100, t)
    i = int(np.argmax(snr))
    assert 5 < i < p.size - 5
    assert snr[i - 300] == pytest.approx(snr[i] - 3.0 + 10 * np.log10(1.5) - 10 * np.log10(
        1 + 0.5 * 10 ** (-0.9)), abs=0.1)
    cap, _ = shannon_per_fibre_pair_bps(p[i], 60.0, 100, t)
    ase_only = TradeSpace(gamma_per_w_km=1e-9)
    _, snr_ase = shannon_per_fibre_pair_bps(p[i], 60.0, 100, ase_only)
    assert float(snr_ase) - snr[i] == pytest.approx(10 * np.log10(1.5), abs=0.02)
    assert float(cap) > 0


def test_vectorised_search_equals_a_plain_loop() -> None:
    cfg = PowerConfig(trade=TradeSpace(fibre_pairs=(4, 9), span_km=(50.0, 90.0, 10.0),
                                       output_power_dbm=(8.0, 20.0, 1.0)))
    length = 11000.0
    res = power_limited_design(cfg, length)
    from transcaspian.power.repeater import repeater_power_w

    r = cfg.conductor_resistance_ohm_per_km["LW"]
    for i, k in enumerate(range(4, 10)):
        best: tuple[float, tuple[float, float] | None] = (-1.0, None)
        for s, p in itertools.product(np.arange(50.0, 90.01, 10.0), np.arange(8.0, 20.01, 1.0)):
            spans = np.ceil(length / s)
            v = (r * length + cfg.earth_potential_v_per_km * length
                 + (spans - 1) * float(repeater_power_w(p, k, cfg.repeater))) * 0.5
            if v > cfg.usable_v_per_end:
                continue
            cap = k * float(shannon_per_fibre_pair_bps(p, length / spans, spans, cfg.trade)[0])
            if cap > best[0]:
                best = (cap, (float(length / spans), float(p)))
        assert res.cable_capacity_tbps[i] == pytest.approx(best[0] / 1e12, rel=1e-9)
        assert best[1] is not None
        assert res.span_km[i] == pytest.approx(best[1][0])
        assert res.output_power_dbm[i] == pytest.approx(best[1][1])


def test_chosen_points_are_within_the_rating() -> None:
    cfg = PowerConfig()
    res = power_limited_design(cfg, 13000.0)
    assert res.feasible.all()
    assert np.all(res.pfe_v_per_end <= cfg.usable_v_per_end + 1e-9)
    assert np.all(res.cable_capacity_tbps <= res.unconstrained_tbps + 1e-12)


def test_power_limited_sdm_trend() -> None:
    """A transpacific length with the default rating: the limit binds at high pair counts;
    there each pair runs at no more power than with fewer pairs, each pair carries less, and
    the cable still carries more in all (more pairs at lower power: the SDM result)."""
    res = power_limited_design(PowerConfig(), 13000.0)
    lim = np.flatnonzero(res.power_limited)
    assert lim.size > 0 and not res.power_limited[0]
    k = res.fibre_pairs[lim]
    assert np.all(np.diff(res.capacity_per_pair_tbps[lim]) <= 1e-9)
    assert np.all(np.diff(res.cable_capacity_tbps[lim]) > 0)
    # per-pair optical power delivered falls: output x spans per pair is bounded by the budget
    pair_power = 10 ** (res.output_power_dbm[lim] / 10) * (res.repeaters[lim] + 1)
    assert pair_power[-1] <= pair_power[0] * 1.0001
    assert k[-1] == res.fibre_pairs[-1]


@pytest.mark.parametrize("length", [3000.0, 9000.0, 14000.0])
def test_higher_rating_never_lowers_capacity(length: float) -> None:
    lo = power_limited_design(PowerConfig(pfe_rating_v=10000.0), length)
    hi = power_limited_design(PowerConfig(pfe_rating_v=18000.0), length)
    assert np.all(hi.cable_capacity_tbps >= lo.cable_capacity_tbps - 1e-9)
    assert np.all(hi.feasible >= lo.feasible)


def test_unfeedable_length_is_reported_not_invented() -> None:
    """30,000 km of 1 ohm/km at 1 A needs 30 kV of IR drop alone: nothing can be fed."""
    res = power_limited_design(PowerConfig(), 30000.0)
    assert not res.feasible.any() and res.best_index is None
    assert res.to_dict()["best"] is None
    assert np.all(res.cable_capacity_tbps == 0.0)


def test_grid_is_validated() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="span_km"):
        TradeSpace(span_km=(80.0, 40.0, 5.0))
    with pytest.raises(ValidationError, match="fibre_pairs"):
        TradeSpace(fibre_pairs=(0, 8))
