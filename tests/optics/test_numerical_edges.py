"""Numerical edges of the line model (issue 8): one channel, a 1 km span, a 10 000 km line.

Results must be finite, and monotone where the physics says so: fewer channels never lower a
channel's GSNR (less NLI), a longer span or more spans never raise it, and a longer cable never
raises the best design's GSNR.
"""

from __future__ import annotations

import numpy as np
import pytest
from _lines import repeatered
from hypothesis import given, settings
from hypothesis import strategies as st

from transcaspian._json import to_json
from transcaspian.errors import OpticsError
from transcaspian.optics import evaluate_line

EDGE = settings(max_examples=15, deadline=None)
MODELS = ("gn_closed_form", "isrs_gn_closed_form")


def _finite(res) -> None:
    for key in ("gsnr_db", "snr_ase_db", "snr_nli_db", "osnr_ase_0p1nm_db", "signal_power_dbm"):
        assert np.all(np.isfinite(getattr(res, key))), key
    for ch in res.to_dict()["channels"]:
        assert all(np.isfinite(v) for v in ch.values()), ch
    to_json(res.to_dict())  # the profile's -inf dBm (no ASE before the first amplifier) -> null


@pytest.mark.parametrize("model", MODELS)
def test_one_channel_is_finite_and_no_worse_than_a_full_band(model: str) -> None:
    one = evaluate_line(repeatered(240.0, 3, n=1, nli_model=model), 2.0)
    _finite(one)
    assert one.gsnr_db.shape == (1,)
    full = evaluate_line(repeatered(240.0, 3, n=9, nli_model=model), 2.0)
    # the single channel sits where the centre channel of the 9-channel plan sits (193.7 THz)
    centre = int(np.argmin(np.abs(full.frequency_thz - one.frequency_thz[0])))
    assert one.gsnr_db[0] >= full.gsnr_db[centre]
    assert one.snr_nli_db[0] > full.snr_nli_db[centre]  # no XPM from neighbours


@EDGE
@given(st.integers(1, 12), st.floats(-4.0, 6.0))
def test_more_channels_never_raise_the_centre_gsnr(n: int, launch: float) -> None:
    a = evaluate_line(repeatered(160.0, 2, n=2 * n - 1), launch)
    b = evaluate_line(repeatered(160.0, 2, n=2 * n + 1), launch)
    ca = int(np.argmin(np.abs(a.frequency_thz - 193.7)))
    cb = int(np.argmin(np.abs(b.frequency_thz - 193.7)))
    assert b.gsnr_db[cb] <= a.gsnr_db[ca] + 1e-9


@pytest.mark.parametrize("model", MODELS)
def test_a_1_km_span_is_finite(model: str) -> None:
    res = evaluate_line(repeatered(1.0, 1, nli_model=model), 0.0)
    _finite(res)
    # 0.2 dB of loss: the OSNR is that of one amplifier with 0.2 dB of gain, far above 40 dB
    assert np.all(res.osnr_ase_0p1nm_db > 40.0)


@EDGE
@given(st.floats(1.0, 20.0), st.floats(0.5, 30.0))
def test_gsnr_falls_with_span_length_from_1_km(length_km: float, extra_km: float) -> None:
    a = evaluate_line(repeatered(length_km, 1), 0.0)
    b = evaluate_line(repeatered(length_km + extra_km, 1), 0.0)
    assert np.all(b.osnr_ase_0p1nm_db < a.osnr_ase_0p1nm_db)
    assert np.all(b.gsnr_db <= a.gsnr_db + 1e-9)


@pytest.mark.parametrize("model", MODELS)
def test_a_10000_km_line_is_finite_and_below_a_short_one(model: str) -> None:
    long = evaluate_line(repeatered(10_000.0, 125, n=8, nli_model=model), 0.0)
    _finite(long)
    short = evaluate_line(repeatered(400.0, 5, n=8, nli_model=model), 0.0)
    # 25x the spans: ASE and NLI both add per span, so ~10 log10(25) = 14 dB less GSNR
    assert np.all(long.gsnr_db < short.gsnr_db - 13.0)
    assert np.all(long.gsnr_db > short.gsnr_db - 15.0)


@EDGE
@given(st.integers(1, 100), st.integers(1, 25))
def test_gsnr_falls_with_the_span_count(spans: int, more: int) -> None:
    a = evaluate_line(repeatered(80.0 * spans, spans), 1.0)
    b = evaluate_line(repeatered(80.0 * (spans + more), spans + more), 1.0)
    assert np.all(b.gsnr_db < a.gsnr_db)


def test_design_comparison_at_the_length_edges() -> None:
    from transcaspian.optics.config import DesignSpace, OpticsConfig
    from transcaspian.optics.design import compare_designs

    short = compare_designs(OpticsConfig(), cable_length_km=1.0, fibre_pairs=1)
    to_json(short.to_dict())
    assert all(np.isfinite(d.min_gsnr_db) for d in short.designs)
    with pytest.raises(OpticsError, match="a 10000 km cable has no candidate design"):
        compare_designs(OpticsConfig(), cable_length_km=10_000.0, fibre_pairs=1)
    cfg = OpticsConfig(design_space=DesignSpace(max_repeaters=3, launch_step_db=1.0,
                                                launch_tilts_db=(0.0,)))
    a = compare_designs(cfg, cable_length_km=300.0, fibre_pairs=1)
    b = compare_designs(cfg, cable_length_km=600.0, fibre_pairs=1)
    to_json(b.to_dict())
    # spans past design_space.max_span_loss_db (45 dB) are no candidates at 600 km
    assert {d.name for d in a.designs} - {d.name for d in b.designs} == {"repeatered_1"}
    for db in b.designs:
        da = a.design(db.name)
        assert db.min_gsnr_db <= da.min_gsnr_db + 1e-9, da.name
