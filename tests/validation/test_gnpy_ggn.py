"""Generalised GN on every channel against GNPy 3.0.1's ``ggn_spectrally_separated`` + SRS.

Reference: ``data/gnpy_3_0_1_ggn_all_channels.csv`` -- GNPy 3.0.1 with the NLI computed on
every channel (no interpolation), its perturbative Raman solver (order 2), dispersion tolerance 1
and phase-shift tolerance 0.1, on the line cases ``data/gnpy_*.yaml`` at -2, 0, 2 and 4 dBm per
channel (provenance in the CSV header). Ours: ``nli_model: generalised_gn``
(:mod:`transcaspian.optics.ggn`). Target (issue 7): per channel within 0.05 dB.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_gnpy_gn import DATA, read_per_channel

from transcaspian.optics import evaluate_line, load_line_case
from transcaspian.optics.line import SpanCache

TOLERANCE_DB = 0.05


def read_ggn_reference(case: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Launch powers and (launch, channel) arrays of each metric."""
    return read_per_channel(
        "gnpy_3_0_1_ggn_all_channels.csv",
        ("freq_thz", "gsnr_db", "snr_ase_db", "snr_nli_db", "p_signal_out_dbm"),
        case_id=case,
    )


@pytest.mark.parametrize("case", ["U1_50G", "U1_75G", "L5_50G"])
def test_generalised_gn_matches_gnpy_on_every_channel(case: str) -> None:
    launches, ref = read_ggn_reference(case)
    assert list(launches) == [-2.0, 0.0, 2.0, 4.0]
    line = load_line_case(DATA / f"gnpy_{case}.yaml").model_copy(
        update={"nli_model": "generalised_gn"})
    res = evaluate_line(line, launches, span_cache=SpanCache())
    np.testing.assert_allclose(res.frequency_thz, ref["freq_thz"][0], atol=1e-6)
    for key in ("gsnr_db", "snr_nli_db", "snr_ase_db", "signal_power_dbm"):
        theirs = ref["p_signal_out_dbm" if key == "signal_power_dbm" else key]
        err = np.abs(getattr(res, key) - theirs)
        assert err.max() <= TOLERANCE_DB, f"{key}: max {err.max():.4f} dB"


def test_generalised_gn_resolves_the_band_edges() -> None:
    """The edge channels' NLI drops steeply (interferers on one side only): GNPy's all-channel
    reference shows 0.54 dB between channels 0 and 1 of L5_50G at 0 dBm; ours follows it, where
    an interpolation between 17 computed channels would not."""
    _, ref = read_ggn_reference("L5_50G")
    line = load_line_case(DATA / "gnpy_L5_50G.yaml").model_copy(
        update={"nli_model": "generalised_gn"})
    res = evaluate_line(line, 0.0)
    theirs = ref["snr_nli_db"][1, :3]
    assert theirs[0] - theirs[1] > 0.5
    np.testing.assert_allclose(res.snr_nli_db[:3], theirs, atol=TOLERANCE_DB)
