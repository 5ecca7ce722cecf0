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

Against GNPy's generalised GN computed on *every* channel (``data/gnpy_3_0_1_ggn_all_channels.csv``,
no interpolation) the closed form is within 0.19 dB on every channel at -2..4 dBm
(:func:`test_isrs_closed_form_matches_gnpy_on_every_channel`): the 0.45 dB "raw" difference above is
GNPy's interpolation, not our model.

Why the closed form and the generalised GN differ (0.01-0.26 dB in SNR_NLI), and why the gap
depends on the span length
----------------------------------------------------------------------------------------------
Two approximations of eq. 120 of arXiv:1209.0394 (the GN closed form our ISRS closed form
scales), measured with our generalised GN (``nli_model: generalised_gn``, itself within 0.001 dB
of GNPy's on every channel) at -10 dBm (no SRS), one SSMF span, SNR_NLI of the closed form minus
the generalised GN:

(a) Channel shape, independent of the span: the closed form's channels are R_s-wide rectangles,
    GNPy's are raised cosines (roll-off 0.15) of the same power, whose flatter PSD makes less NLI:
    -0.25 dB for 32 GBd on 50 GHz, -0.09 dB for 64 GBd on 75 GHz (values at 150 km, where (b)
    has vanished).
(b) The span's link function, dependent on αL: eq. 120 integrates L_eff² α²/(α² + Δβ²) over the
    channel pairs, i.e. it keeps |∫_0^L e^{(iΔβ-α)z} dz|² = (1 - 2e^{-αL} cos ΔβL + e^{-2αL}) /
    (α² + Δβ²) exact only at Δβ = 0 and drops the e^{-αL} terms elsewhere (a long-span
    assumption). Where ΔβL >> 1 -- the cross-phase modulation of all but the nearest channels,
    most of the NLI -- the true numerator averages 1 + e^{-2αL}, not (1 - e^{-αL})²: the closed
    form under-estimates the NLI by up to 10 log10[(1 + e^{-2αL}) / (1 - e^{-αL})²] = 0.09 dB at
    100 km (αL = 4.6), 0.22 dB at 80 km, 0.96 dB at 50 km. Measured: +0.08, +0.20 and +0.79 dB
    (the same for both channel plans to 0.03 dB; less than the bound because the near-Δβ = 0
    part is exact).

The two have opposite signs, so the net gap changes with the span: -0.17 dB on U1_50G (100 km,
32 GBd), -0.01 dB on U1_75G (100 km, 64 GBd), -0.04 dB on L5_50G (80 km spans), +0.54 dB for a
50 km span at 32 GBd and +2.2 dB at 25 km -- where the closed form is optimistic.
(:func:`test_closed_form_gap_to_generalised_gn_depends_on_span_length` checks it.) Beyond that,
at 4 dBm the triangular Raman gain of the ISRS closed form cannot reproduce the S-shaped tilt of
the measured gain curve (on L5_50G its SNR_ASE differs by up to 0.56 dB mid-band, its GSNR,
NLI-dominated there, by <= 0.2 dB).
"""

from __future__ import annotations

import numpy as np
import pytest
from test_gnpy_ggn import read_ggn_reference
from test_gnpy_gn import DATA, read_reference

from transcaspian.optics import evaluate_line, load_line_case
from transcaspian.optics.line import SpanCache


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


@pytest.mark.parametrize("case", ["U1_50G", "U1_75G", "L5_50G"])
def test_isrs_closed_form_matches_gnpy_on_every_channel(case: str) -> None:
    """Against GNPy's generalised GN on every channel: within 0.25 dB up to 2 dBm, 0.5 dB at
    4 dBm (measured: at most 0.19 dB)."""
    launches, ref = read_ggn_reference(case)
    line = load_line_case(DATA / f"gnpy_{case}.yaml").model_copy(
        update={"nli_model": "isrs_gn_closed_form"})
    err = np.abs(evaluate_line(line, launches).gsnr_db - ref["gsnr_db"])
    assert np.all(err <= _tolerance(launches)), f"max {err.max():.3f} dB"
    assert err.max() <= 0.2


def _gap_db(case: str, length_km: float, cache: SpanCache) -> float:
    """Mean over channels of SNR_NLI(closed form) - SNR_NLI(generalised GN) [dB], one span of
    the case's fibre ``length_km`` long, at -10 dBm per channel (SRS negligible)."""
    base = load_line_case(DATA / f"gnpy_{case}.yaml")
    fibre, amp = base.elements
    fibre = fibre.model_copy(update={"fibre": fibre.fibre.model_copy(
        update={"length_km": length_km})})
    line = base.model_copy(update={"elements": (fibre, amp)})
    snr = {m: evaluate_line(line.model_copy(update={"nli_model": m}), -10.0,
                            span_cache=cache).snr_nli_db
           for m in ("gn_closed_form", "generalised_gn")}
    return float(np.mean(snr["gn_closed_form"] - snr["generalised_gn"]))


def test_closed_form_gap_to_generalised_gn_depends_on_span_length() -> None:
    """The closed form's long-span link function: its NLI deficit grows as the span shortens,
    by the same amount for both channel plans; the channel-shape part differs between plans and
    not with length (module docstring)."""
    cache = SpanCache()
    gaps = {(case, km): _gap_db(case, km, cache)
            for case in ("U1_50G", "U1_75G") for km in (50.0, 100.0, 150.0)}
    alpha_l = {km: 0.2 * km / (10.0 * np.log10(np.e)) for km in (50.0, 100.0)}
    bound = {km: 10.0 * np.log10((1.0 + np.exp(-2.0 * a)) / (1.0 - np.exp(-a)) ** 2)
             for km, a in alpha_l.items()}
    length_term = {}
    for case in ("U1_50G", "U1_75G"):
        for km in (50.0, 100.0):
            term = gaps[(case, km)] - gaps[(case, 150.0)]
            assert 0.0 < term < bound[km], (case, km, term, bound[km])
            length_term[(case, km)] = term
        assert gaps[(case, 50.0)] - gaps[(case, 100.0)] >= 0.5  # 32 GBd: +0.54 vs -0.17 dB
    for km in (50.0, 100.0):  # the link function does not care about the channel plan
        assert abs(length_term[("U1_50G", km)] - length_term[("U1_75G", km)]) <= 0.1
    # the shape part (150 km): rectangle vs raised cosine, larger for 32 GBd on 50 GHz
    assert gaps[("U1_50G", 150.0)] < gaps[("U1_75G", 150.0)] < 0.0
