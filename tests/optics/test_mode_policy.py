"""Mode selection: back-to-back thresholds are not charged the back-to-back noise twice, and
waves are provisioned at the margin policy (issue 20 §3, the decision's margin policy)."""

from __future__ import annotations

import numpy as np
import pytest

from transcaspian.optics.config import OpticsConfig
from transcaspian.optics.design import select_with_policy
from transcaspian.optics.transceivers import load_transceiver_library, select_modes
from transcaspian.units import db_to_linear, linear_to_db

OPENROADM = load_transceiver_library().subset(families=["OpenROADM MSA 5.0"])
R_REF = 63.1  # GBd
SPACING = 87.5  # GHz


def _combine_db(*snr_db: float | np.ndarray) -> np.ndarray:
    return np.asarray(linear_to_db(1.0 / sum(1.0 / db_to_linear(np.asarray(s))
                                             for s in snr_db)))


def test_a_back_to_back_threshold_meets_the_line_noise_plus_the_transmitter_noise() -> None:
    """With the line GSNR g and a back-to-back SNR b in the GSNR given, a mode measured back to
    back qualifies exactly when g combined with its transmitter OSNR meets its threshold: the
    same choice as a selection given that combination and no back-to-back SNR."""
    line = np.linspace(8.0, 26.0, 181)
    for mode in OPENROADM.modes:
        lib = OPENROADM.subset(names=[mode.name])
        assert mode.threshold_basis == "back_to_back"
        tx = (np.inf if mode.tx_osnr_0p1nm_db is None
              else mode.tx_osnr_0p1nm_db + 10 * np.log10(12.5 / mode.symbol_rate_gbaud))
        total = _combine_db(line, np.full_like(line, 21.0))
        with_b2b = select_modes(total, spacing_ghz=SPACING, margin_db=2.0, library=lib,
                                reference_symbol_rate_gbaud=mode.symbol_rate_gbaud,
                                b2b_snr_db=21.0)
        line_tx = line if not np.isfinite(tx) else _combine_db(line, np.full_like(line, tx))
        plain = select_modes(line_tx, spacing_ghz=SPACING, margin_db=2.0, library=lib,
                             reference_symbol_rate_gbaud=mode.symbol_rate_gbaud)
        np.testing.assert_array_equal(with_b2b.rate_gbps, plain.rate_gbps)


def test_adaptive_modems_keep_the_back_to_back_snr() -> None:
    """The adaptive modems' gap is defined without the transceiver's own noise: their choice
    is the same with or without ``b2b_snr_db`` (the noise is in the GSNR given)."""
    lib = load_transceiver_library("submarine").for_slot(75.0)
    assert lib.modes and all(m.threshold_basis == "line" for m in lib.modes)
    g = np.linspace(6.0, 20.0, 57)
    a = select_modes(g, spacing_ghz=75.0, margin_db=1.0, library=lib,
                     reference_symbol_rate_gbaud=64.0, b2b_snr_db=21.0)
    b = select_modes(g, spacing_ghz=75.0, margin_db=1.0, library=lib,
                     reference_symbol_rate_gbaud=64.0)
    np.testing.assert_array_equal(a.rate_gbps, b.rate_gbps)


def test_removing_the_double_count_never_lowers_a_rate() -> None:
    g = np.linspace(5.0, 25.0, 201)
    a = select_modes(g, spacing_ghz=SPACING, margin_db=2.0, library=OPENROADM,
                     reference_symbol_rate_gbaud=R_REF, b2b_snr_db=21.0)
    b = select_modes(g, spacing_ghz=SPACING, margin_db=2.0, library=OPENROADM,
                     reference_symbol_rate_gbaud=R_REF)
    assert (a.rate_gbps >= b.rate_gbps).all() and (a.rate_gbps > b.rate_gbps).any()


@pytest.mark.parametrize("policy", [0.0, 0.5, 1.0, 3.0])
def test_waves_keep_the_policy_margin_wherever_a_mode_allows(policy: float) -> None:
    cfg = OpticsConfig(margin_policy_db=policy)
    from transcaspian.optics.design import design_library

    lib = design_library(cfg, None)
    rng = np.random.default_rng(7)
    g = rng.uniform(6.0, 24.0, size=(40, cfg.spectrum.n_channels))
    sel = select_with_policy(g, cfg, lib)
    greedy = select_with_policy(g, cfg.model_copy(update={"margin_policy_db": 0.0}), lib)
    served = sel.mode_index >= 0
    np.testing.assert_array_equal(served, greedy.mode_index >= 0)  # never drops a channel
    assert (sel.rate_gbps <= greedy.rate_gbps).all()
    kept = sel.margin_db[served] >= policy - 1e-9
    # a channel runs thin only where even the lowest-rate mode cannot keep the policy
    strict = select_modes(g, spacing_ghz=cfg.spectrum.spacing_ghz,
                          margin_db=cfg.system_margin_db + policy, library=lib,
                          reference_symbol_rate_gbaud=cfg.spectrum.symbol_rate_gbaud,
                          b2b_snr_db=cfg.transceiver.b2b_snr_db)
    np.testing.assert_array_equal(kept, (strict.mode_index >= 0)[served])
    if policy == 0.0:
        np.testing.assert_array_equal(sel.rate_gbps, greedy.rate_gbps)
