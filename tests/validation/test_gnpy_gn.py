"""Per-channel GSNR, SNR_ASE and SNR_NLI against GNPy 3.0.1 (closed-form GN, SRS off).

Reference: ``data/gnpy_3_0_1_reference.csv`` (rows ``nli_model == gn_analytic``), GNPy 3.0.1's
``gn_model_analytic`` (eq. 120 of arXiv:1209.0394) on the three line cases
``data/gnpy_U1_50G.yaml``, ``data/gnpy_U1_75G.yaml`` and ``data/gnpy_L5_50G.yaml`` over the launch
sweep -4..8 dBm per channel. Provenance in the CSV header. Tolerance: 0.1 dB (issue 3).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from transcaspian.optics import evaluate_line, load_line_case

DATA = Path(__file__).parent / "data"
TOLERANCE_DB = 0.1


def read_per_channel(
    csv_name: str, keys: tuple[str, ...], **match: str
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Launch powers and (launch, channel) arrays of each metric from a trimmed GNPy CSV,
    for the rows whose columns equal ``match``."""
    with (DATA / csv_name).open() as fh:
        rows = [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))
                if all(r[k] == v for k, v in match.items())]
    launches = np.array(sorted({float(r["launch_dbm_per_ch"]) for r in rows}))
    out: dict[str, np.ndarray] = {}
    for key in keys:
        table = []
        for p in launches:
            sel = sorted((r for r in rows if float(r["launch_dbm_per_ch"]) == p),
                         key=lambda r: int(r["ch"]))
            table.append([float(r[key]) for r in sel])
        out[key] = np.array(table)
    return launches, out


def read_reference(case: str, model: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Launch powers and (launch, channel) arrays of each metric from the trimmed GNPy CSV."""
    return read_per_channel(
        "gnpy_3_0_1_reference.csv",
        ("freq_thz", "gsnr_db", "snr_ase_db", "snr_nli_db", "osnr_ase_0p1nm_db",
         "p_signal_out_dbm"),
        case_id=case, nli_model=model,
    )


@pytest.mark.parametrize("case", ["U1_50G", "U1_75G", "L5_50G"])
def test_gn_closed_form_matches_gnpy_gn_analytic(case: str) -> None:
    launches, ref = read_reference(case, "gn_analytic")
    assert launches.size == 7
    res = evaluate_line(load_line_case(DATA / f"gnpy_{case}.yaml"), launches)
    np.testing.assert_allclose(res.frequency_thz, ref["freq_thz"][0], atol=1e-6)
    for key in ("gsnr_db", "snr_ase_db", "snr_nli_db", "osnr_ase_0p1nm_db"):
        err = np.abs(getattr(res, key) - ref[key])
        assert err.max() <= TOLERANCE_DB, f"{case} {key}: max |Δ| = {err.max():.3f} dB"


def test_best_launch_on_sweep_grid_matches_gnpy() -> None:
    """GNPy's best launch power on the grid (max of min-GSNR) for each case (gnpy.md §3d)."""
    expected = {"U1_50G": (0.0, 26.17), "U1_75G": (2.0, 25.86), "L5_50G": (-2.0, 22.03)}
    for case, (p_best, gsnr_min) in expected.items():
        launches = np.array([-4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0])
        res = evaluate_line(load_line_case(DATA / f"gnpy_{case}.yaml"), launches)
        k = int(np.argmax(res.min_gsnr_db))
        assert launches[k] == p_best
        assert abs(res.min_gsnr_db[k] - gsnr_min) <= 0.01 + 0.005
