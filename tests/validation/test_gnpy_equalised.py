"""Equalised multi-span line against GNPy 3.0.1 (issue 20 §1).

Reference: ``data/gnpy_3_0_1_equalised_reference.csv``, written by
``gnpy_equalised_reference.py`` for the line case ``data/gnpy_eq_EQ10_75G.yaml``: 10 x 80 km
SSMF, 64 x 75 GHz at 64 GBd, every span followed by an equalising amplifier (the launch
spectrum restored to within a 1 dB residual). GNPy has no equalising amplifier, so the script
propagates each span with GNPy's Fiber (inter-channel SRS by its perturbative solver, NLI by
``ggn_spectrally_separated`` on every channel) and applies the amplifier of the line-case
format to GNPy's SpectralInformation: what is compared is the fibre physics over many
equalised spans, the amplifier being the same on both sides.

Tolerances: those of the single-span comparisons -- the generalised GN within 0.05 dB
(``test_gnpy_ggn.py``), the ISRS closed form within 0.25 dB up to 2 dBm per channel
(``test_gnpy_isrs.py``). Measured (0 and 2 dBm per channel): generalised GN within 0.0003 dB
of GNPy on every channel (GSNR, SNR_NLI, SNR_ASE, signal power); ISRS closed form within
0.08 dB in GSNR (0.13 dB in SNR_NLI).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from transcaspian.optics import evaluate_line, load_line_case
from transcaspian.optics.line import SpanCache

DATA = Path(__file__).parent / "data"
CASE = "EQ10_75G"
KEYS = ("freq_thz", "p_signal_out_dbm", "snr_ase_db", "snr_nli_db", "gsnr_db")


def read_equalised_reference() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Launch powers and (launch, channel) arrays of each metric."""
    with (DATA / "gnpy_3_0_1_equalised_reference.csv").open() as fh:
        rows = [r for r in csv.DictReader(x for x in fh if not x.startswith("#"))
                if r["case_id"] == CASE]
    launches = np.array(sorted({float(r["launch_dbm"]) for r in rows}))
    out = {k: np.array([[float(r[k]) for r in rows if float(r["launch_dbm"]) == p]
                        for p in launches]) for k in KEYS}
    return launches, out


@pytest.mark.parametrize(("model", "tol_db"), [("generalised_gn", 0.05),
                                               ("isrs_gn_closed_form", 0.25)])
def test_equalised_line_matches_gnpy(model: str, tol_db: float) -> None:
    launches, ref = read_equalised_reference()
    assert launches.size >= 2 and ref["gsnr_db"].shape[1] == 64
    line = load_line_case(DATA / f"gnpy_eq_{CASE}.yaml").model_copy(update={"nli_model": model})
    res = evaluate_line(line, launches, span_cache=SpanCache())
    np.testing.assert_allclose(res.frequency_thz, ref["freq_thz"][0], atol=1e-6)
    for key, theirs in (("gsnr_db", ref["gsnr_db"]), ("signal_power_dbm",
                                                      ref["p_signal_out_dbm"])):
        err = np.abs(getattr(res, key) - theirs)
        assert err.max() <= tol_db, f"{model} {key}: max {err.max():.4f} dB"


def test_gnpy_received_powers_spread_by_the_residual_only() -> None:
    """In GNPy's propagation too the equalised line ends with the 1 dB residual (+ the share
    of noise in each channel), not tens of dB of SRS tilt."""
    _, ref = read_equalised_reference()
    assert np.ptp(ref["p_signal_out_dbm"], axis=-1).max() < 1.5
