"""Per-channel pre-emphasis of the design search (Chraplyvy et al. 1992).

Checked on the line model itself, not against its own numbers: the total launch power is
kept, the received GSNR spread shrinks, and the worst channel and the capacity never fall.
"""

from __future__ import annotations

import numpy as np
import pytest

from transcaspian.optics.config import OpticsConfig
from transcaspian.optics.design import (
    _clamped,
    _pre_emphasis,
    build_design_lines,
    compare_designs,
    design_library,
    select_with_policy,
)
from transcaspian.optics.line import evaluate_line


def _line(cfg: OpticsConfig, repeaters: int = 1) -> tuple[object, np.ndarray, np.ndarray]:
    case = build_design_lines(cfg, 372.0, repeater_counts=(repeaters,))[f"repeatered_{repeaters}"]
    n = cfg.spectrum.n_channels
    offsets = 4.0 * np.linspace(-0.5, 0.5, n)  # a tilt that leaves a GSNR spread
    gsnr = _clamped(evaluate_line(case, 2.0, channel_offsets_db=offsets).gsnr_db).reshape(n)
    return case, offsets, gsnr


def test_pre_emphasis_keeps_the_total_launch_and_narrows_the_gsnr_spread() -> None:
    cfg = OpticsConfig()
    lib = design_library(cfg, None)
    case, offsets, gsnr = _line(cfg)
    before = select_with_policy(gsnr[None, :], cfg, lib).capacity_tbps[0]
    found = _pre_emphasis(cfg, case, lib, 2.0, offsets, gsnr, float(before))
    assert found is not None
    new_offsets, new_gsnr = found
    np.testing.assert_allclose(np.sum(10 ** (new_offsets / 10)), np.sum(10 ** (offsets / 10)),
                               rtol=1e-9)
    assert np.ptp(new_gsnr) < np.ptp(gsnr) - 0.1
    assert new_gsnr.min() > gsnr.min()
    after = select_with_policy(new_gsnr[None, :], cfg, lib).capacity_tbps[0]
    assert after >= before - 1e-9
    # the returned GSNR is the line's at the returned launch
    again = _clamped(evaluate_line(case, 2.0, channel_offsets_db=new_offsets).gsnr_db)
    np.testing.assert_allclose(again.reshape(-1), new_gsnr, atol=1e-9)


def test_no_iterations_means_tilt_only() -> None:
    cfg = OpticsConfig.model_validate({"design_space": {"pre_emphasis_iterations": 0}})
    case, offsets, gsnr = _line(cfg)
    assert _pre_emphasis(cfg, case, design_library(cfg, None), 2.0, offsets, gsnr, 0.0) is None
    res = compare_designs(cfg, cable_length_km=372.0, fibre_pairs=8)
    assert all(d.launch_offsets_db is None and d.pre_emphasis_db == 0.0 for d in res.designs)


@pytest.mark.parametrize("iterations", [1, 4])
def test_the_search_never_loses_capacity_or_worst_channel_to_pre_emphasis(
        iterations: int) -> None:
    off = OpticsConfig.model_validate({"design_space": {"pre_emphasis_iterations": 0,
                                                        "include_unrepeatered": []}})
    on = OpticsConfig.model_validate({"design_space": {"pre_emphasis_iterations": iterations,
                                                       "include_unrepeatered": []}})
    a = compare_designs(off, cable_length_km=372.0, fibre_pairs=8)
    b = compare_designs(on, cable_length_km=372.0, fibre_pairs=8)
    for da, db in zip(a.designs, b.designs, strict=True):
        assert db.capacity_tbps_per_fibre_pair >= da.capacity_tbps_per_fibre_pair - 1e-9
        assert db.min_gsnr_db >= da.min_gsnr_db - 1e-9
        assert db.launch_power_dbm == da.launch_power_dbm
