"""Per-channel GSNR with inter-channel SRS against GNPy 3.0.1's generalised GN + SRS solver.

Reference: ``data/gnpy_3_0_1_reference.csv`` rows ``nli_model == ggn_ss_srs``: GNPy's
``ggn_spectrally_separated`` NLI with its perturbative SRS solver, launch -2..4 dBm per channel,
on the line cases ``data/gnpy_*.yaml``. Ours: ``nli_model: isrs_gn_closed_form`` (Semrau, Killey
& Bayvel, JLT 2019, closed form with the triangular Raman gain). Targets (issue 3): GSNR within
0.25 dB up to 2 dBm per channel, 0.5 dB at 4 dBm.

Where the comparison cannot reach the target, and why
-----------------------------------------------------
GNPy computed the NLI exactly on only 17 evenly spread channels (0, 6, 12, ..., 95 of 96; 0, 4,
..., 63 of 64) and *linearly interpolated* it in between. Near the band edges the NLI drops
steeply and is concave in frequency (an edge channel has interferers on one side only), so the
chord between channel 0 and channel 6 lies below the true NLI: GNPy's SNR_NLI on channels 1-5
and 90-94 is up to 0.5 dB too optimistic, its GSNR up to ~0.35 dB. Our closed form evaluates
every channel. We therefore check (1) the 17 channels GNPy computed, against the targets, and
(2) every channel after sampling our NLI the way GNPy does (same 17 channels, linear
interpolation) -- i.e. the same quantity the CSV holds. A third check bounds the raw all-channel
difference at the measured 0.45 dB (<= 2 dBm) / 0.55 dB (4 dBm), so a regression shows.

The remaining difference at the computed channels (<= 0.15 dB to 2 dBm, <= 0.2 dB at 4 dBm)
comes from (a) the GN closed form's rectangular R_s-wide channels against GNPy's raised-cosine
PSD (about -0.2 dB in SNR_NLI for 32 GBd on 50 GHz, -0.03 dB for 64 GBd on 75 GHz) and (b) the
triangular Raman gain, which cannot reproduce the S-shaped tilt of the real gain curve
(steeper in mid-band, flatter at the edges): on L5_50G at 4 dBm the SNR_ASE differs by up to
0.56 dB mid-band, yet the GSNR (NLI-dominated there) stays within 0.2 dB.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_gnpy_gn import DATA, read_reference

from transcaspian.optics import evaluate_line, load_line_case


def _computed_channels(n: int) -> np.ndarray:
    """Channels on which GNPy computed the NLI (``computed_number_of_channels: 17``)."""
    return np.array([round(i * (n - 1) / 16) for i in range(17)])


def _tolerance(launch_dbm: np.ndarray) -> np.ndarray:
    return np.where(launch_dbm <= 2.0, 0.25, 0.5)[:, None]


@pytest.mark.parametrize("case", ["U1_50G", "U1_75G", "L5_50G"])
def test_isrs_closed_form_matches_gnpy_on_computed_channels(case: str) -> None:
    launches, ref = read_reference(case, "ggn_ss_srs")
    assert list(launches) == [-2.0, 0.0, 2.0, 4.0]
    line = load_line_case(DATA / f"gnpy_{case}.yaml").model_copy(
        update={"nli_model": "isrs_gn_closed_form"})
    res = evaluate_line(line, launches)
    cut = _computed_channels(res.frequency_thz.size)
    err = np.abs(res.gsnr_db - ref["gsnr_db"])[:, cut]
    assert np.all(err <= _tolerance(launches)), f"max {err.max():.3f} dB"


@pytest.mark.parametrize("case", ["U1_50G", "U1_75G", "L5_50G"])
def test_isrs_closed_form_all_channels_sampled_like_gnpy(case: str) -> None:
    launches, ref = read_reference(case, "ggn_ss_srs")
    line = load_line_case(DATA / f"gnpy_{case}.yaml").model_copy(
        update={"nli_model": "isrs_gn_closed_form"})
    res = evaluate_line(line, launches)
    f = res.frequency_thz
    cut = _computed_channels(f.size)
    inv_nli = 10.0 ** (-res.snr_nli_db / 10.0)
    inv_nli = np.stack([np.interp(f, f[cut], row[cut]) for row in inv_nli])
    gsnr = -10.0 * np.log10(10.0 ** (-res.snr_ase_db / 10.0) + inv_nli)
    err = np.abs(gsnr - ref["gsnr_db"])
    assert np.all(err <= _tolerance(launches)), f"max {err.max():.3f} dB"
    raw = np.abs(res.gsnr_db - ref["gsnr_db"])
    assert np.all(raw <= np.where(launches <= 2.0, 0.45, 0.55)[:, None]), f"raw {raw.max():.3f}"


def test_isrs_tilt_direction_and_size() -> None:
    """SRS moves power from high to low frequencies: the received signal tilt on L5_50G at
    4 dBm is 15.1 dB in GNPy (9.23 -> -5.88 dBm); the triangular closed form is within 1.5 dB."""
    _, ref = read_reference("L5_50G", "ggn_ss_srs")
    line = load_line_case(DATA / "gnpy_L5_50G.yaml").model_copy(
        update={"nli_model": "isrs_gn_closed_form"})
    res = evaluate_line(line, 4.0)
    ours = res.signal_power_dbm[0] - res.signal_power_dbm[-1]
    theirs = ref["p_signal_out_dbm"][-1, 0] - ref["p_signal_out_dbm"][-1, -1]
    assert theirs == pytest.approx(15.11, abs=0.01)
    assert abs(ours - theirs) <= 1.5
