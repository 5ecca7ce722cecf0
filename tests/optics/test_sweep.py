"""The vectorised uniform-line sweep agrees with the element-by-element line model."""

from __future__ import annotations

import numpy as np
import pytest
from _lines import SSMF, repeatered

from transcaspian.errors import OpticsError
from transcaspian.optics import FibreType, evaluate_line
from transcaspian.optics.sweep import uniform_line_gsnr_db


def test_sweep_matches_line_model() -> None:
    line = repeatered(400.0, 5, n=16, fixed_gain=True)
    launch = np.array([-4.0, -2.0, 0.0, 2.0])
    ref = evaluate_line(line, launch).gsnr_db
    got = uniform_line_gsnr_db(line.spectrum, [line.fibres["F"]], fibre_index=0,
                               length_km=400.0, repeaters=4, launch_power_dbm=launch,
                               reduce="none")
    # only GNPy's span-by-span bookkeeping (NLI from signal + ASE) differs
    assert np.abs(got - ref).max() < 0.05
    worst = uniform_line_gsnr_db(line.spectrum, [line.fibres["F"]], fibre_index=0,
                                 length_km=400.0, repeaters=4, launch_power_dbm=launch)
    np.testing.assert_allclose(worst, got.min(axis=-1))


def test_sweep_broadcasts_over_design_axes() -> None:
    line = repeatered(80.0, 1, n=8)
    fibres = [FibreType(**SSMF), FibreType(**dict(SSMF, effective_area_um2=125.0))]
    out = uniform_line_gsnr_db(
        line.spectrum, fibres, fibre_index=np.arange(2)[:, None, None],
        length_km=np.array([200.0, 400.0])[None, :, None],
        repeaters=np.arange(4)[None, None, :], launch_power_dbm=-4.0)
    assert out.shape == (2, 2, 4)
    assert np.all(np.diff(out, axis=2) > 0)       # ASE-limited at -4 dBm: repeaters help
    assert np.all(out[:, 1] < out[:, 0])          # longer cable, worse
    assert np.all(out[1] > out[0])                # larger A_eff, less NLI


def test_sweep_bad_input() -> None:
    line = repeatered(80.0, 1, n=8)
    with pytest.raises(OpticsError):
        uniform_line_gsnr_db(line.spectrum, [line.fibres["F"]], fibre_index=3,
                             length_km=100.0, repeaters=0, launch_power_dbm=0.0)
    with pytest.raises(OpticsError):
        uniform_line_gsnr_db(line.spectrum, [line.fibres["F"]], fibre_index=0,
                             length_km=-1.0, repeaters=0, launch_power_dbm=0.0)


def test_isrs_sweep_matches_line_model() -> None:
    line = repeatered(400.0, 5, n=32, nli_model="isrs_gn_closed_form")
    launch = np.array([-2.0, 0.0, 2.0, 4.0])
    ref = evaluate_line(line, launch).gsnr_db
    got = uniform_line_gsnr_db(line.spectrum, [line.fibres["F"]], fibre_index=0,
                               length_km=400.0, repeaters=4, launch_power_dbm=launch,
                               reduce="none", nli_model="isrs_gn_closed_form")
    np.testing.assert_allclose(got, ref, atol=1e-6)
    with pytest.raises(OpticsError, match="nli_model"):
        uniform_line_gsnr_db(line.spectrum, [line.fibres["F"]], fibre_index=0, length_km=400.0,
                             repeaters=4, launch_power_dbm=0.0, nli_model="ssfm")
