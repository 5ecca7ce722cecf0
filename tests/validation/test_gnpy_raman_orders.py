"""Co-pumped and second-order (cascaded) distributed Raman against GNPy 3.0.1 ``RamanFiber``.

Reference: ``data/gnpy_3_0_1_raman_reference.csv`` rows of the line cases
``data/gnpy_raman_R100_CO_0p4W.yaml`` (0.4 W co-pump), ``gnpy_raman_R120_CO_CTR.yaml`` (a co-pump
and two counter pumps) and ``gnpy_raman_R150_2ND.yaml`` (a 1.2 W 1366 nm pump amplifying a 60 mW
1455 nm seed inside the fibre), produced by ``gnpy_raman_reference.py`` with GNPy's own API
(``--only=CASE``; the co-only and second-order cases with GNPy's ``numerical`` SRS method,
whose perturbative expansion is not accurate at these pump powers: see the script).
Targets (issue 19): on-off gain within 0.5 dB and GSNR within 0.3 dB on every channel.

Two stated differences from GNPy, measured here:

1. Photon conservation. Our pumps lose f_p/f_s times the power the signal gains; GNPy's
   ``Fiber.cr`` makes them lose the same power. In a cascade (1366 nm → 1455 nm → signal) the
   difference compounds: the physical (photon-conserving) on-off gain is ~0.8 dB below GNPy's
   on R150_2ND. The gain comparison is therefore made in GNPy's convention
   (``photon_conserving=False``, the reference's own convention, not a fit) and the physical
   gap is bounded separately.
2. NLI of a pumped span. Ours scales the GN closed form per pair by the ratio of the GN
   integral over the solved profile to that over pure attenuation
   (:func:`transcaspian.optics.raman.nli_profile_ratio`); GNPy integrates its generalised GN
   over the profile. Measured in GNPy's convention: |d GSNR| <= 0.16 dB (co-pump only),
   <= 0.03 dB (co + counter, second order); |d SNR_NLI| <= 0.16 dB. (With the earlier
   profile-energy scaling the co-pumped GSNR was 0.3-0.5 dB off.)
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import transcaspian.optics.raman_span as span_mod
from transcaspian.optics import evaluate_line, load_line_case
from transcaspian.optics.raman import raman_coefficients

DATA = Path(__file__).parent / "data"
GAIN_TOLERANCE_DB = 0.5
GSNR_TOLERANCE_DB = 0.3


def reference(case: str) -> dict[str, np.ndarray]:
    with (DATA / "gnpy_3_0_1_raman_reference.csv").open() as fh:
        rows = [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))
                if r["case_id"] == case]
    assert len(rows) == 64, case
    return {k: np.array([float(r[k]) for r in rows])
            for k in ("freq_thz", "on_off_gain_db", "snr_ase_db", "snr_nli_db", "gsnr_db")}


def run(case: str, monkeypatch: pytest.MonkeyPatch, *, gnpy_convention: bool) -> tuple:
    if gnpy_convention:
        monkeypatch.setattr(span_mod, "raman_coefficients",
                            lambda *a, **k: raman_coefficients(*a, photon_conserving=False))
    res = evaluate_line(load_line_case(DATA / f"gnpy_raman_{case}.yaml"), span_cache=None)
    return res, res.raman_spans[0][1]


@pytest.mark.parametrize("case", ["R100_CO_0p4W", "R120_CO_CTR", "R150_2ND"])
def test_on_off_gain_matches_gnpy_in_its_convention(case: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ref = reference(case)
    res, span = run(case, monkeypatch, gnpy_convention=True)
    np.testing.assert_allclose(res.frequency_thz, ref["freq_thz"], atol=1e-6)
    d_gain = np.abs(span.on_off_gain_db - ref["on_off_gain_db"])
    assert d_gain.max() <= GAIN_TOLERANCE_DB, f"on-off gain off by {d_gain.max():.3f} dB"
    assert d_gain.max() <= 0.1  # measured: <= 0.055 dB


@pytest.mark.parametrize("case", ["R100_CO_0p4W", "R120_CO_CTR", "R150_2ND"])
def test_photon_conserving_gain_gap_is_the_stated_one(case: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Physical (photon-conserving) gain below GNPy's by at most ~0.2 dB for first-order pumps
    and ~0.8 dB for the cascade, where the conversion loss compounds."""
    ref = reference(case)
    _, span = run(case, monkeypatch, gnpy_convention=False)
    d = span.on_off_gain_db - ref["on_off_gain_db"]
    assert d.max() <= 0.05  # never above GNPy's (the pumps lose more in ours)
    assert d.min() >= (-0.9 if case == "R150_2ND" else -0.2)


@pytest.mark.parametrize("case", ["R100_CO_0p4W", "R120_CO_CTR", "R150_2ND"])
def test_gsnr_matches_gnpy(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ref = reference(case)
    res, _ = run(case, monkeypatch, gnpy_convention=True)
    d_gsnr = np.abs(res.gsnr_db - ref["gsnr_db"])
    assert d_gsnr.max() <= GSNR_TOLERANCE_DB, f"GSNR off by {d_gsnr.max():.3f} dB"
    # regression bounds at the measured agreement
    assert d_gsnr.max() <= 0.2
    assert np.abs(res.snr_nli_db - ref["snr_nli_db"]).max() <= 0.25


@pytest.mark.parametrize("case", ["R100_CO_0p4W", "R120_CO_CTR", "R150_2ND"])
def test_physical_gsnr_within_tolerance_too(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Photon-conserving (our default): GSNR still within 0.3 dB of GNPy's (measured <= 0.29
    on the co-pumped case, where the lower forward gain also lowers the NLI)."""
    ref = reference(case)
    res, _ = run(case, monkeypatch, gnpy_convention=False)
    assert np.abs(res.gsnr_db - ref["gsnr_db"]).max() <= GSNR_TOLERANCE_DB


def test_second_order_pump_feeds_the_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 1366 nm pump is (nearly) used up and the 1455 nm seed leaves the fibre far above its
    60 mW launch: the energy went pump → seed → signal inside the fibre (and GNPy agrees on
    the resulting gain, above)."""
    _, span = run("R150_2ND", monkeypatch, gnpy_convention=False)
    # pump_out_w: the residual power where each pump leaves the fibre (z = 0 for counter)
    second, seed = span.pump_out_w
    assert second < 0.01 * 1.2
    assert span.on_off_gain_db.min() > 15.0
    assert seed < 0.06  # the seed itself decays towards z = 0 after giving its power away
