"""The gain-flattening filter element (``- gff: ...``, issue 19): flattens the received
channel powers after a Raman-pumped fibre; a passive loss on signal and noise alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from transcaspian.errors import OpticsError
from transcaspian.optics import evaluate_line, line_case_from_dict

CASE = Path(__file__).parents[1] / "validation" / "data" / "gnpy_raman_R150_2P_1p0W.yaml"


def case_with(gff: dict[str, Any] | None) -> dict[str, Any]:
    data = yaml.safe_load(CASE.read_text())
    if gff is not None:
        data["elements"].insert(1, {"gff": gff})  # after the pumped fibre, before the EDFA
    return data


def test_flatten_equalises_the_received_powers() -> None:
    plain = evaluate_line(line_case_from_dict(case_with(None)))
    flat = evaluate_line(line_case_from_dict(case_with({"mode": "flatten",
                                                        "insertion_loss_db": 0.0})))
    assert np.ptp(plain.signal_power_dbm) > 5.0  # the two-pump ripple
    assert np.ptp(flat.signal_power_dbm) < 1e-9
    # passive: the GSNR moves only through the EDFA noise added after the filter (lower input)
    assert np.all(flat.gsnr_db <= plain.gsnr_db + 1e-9)
    weakest = int(np.argmin(plain.signal_power_dbm))  # the flattening target: not attenuated
    assert abs(flat.gsnr_db[weakest] - plain.gsnr_db[weakest]) < 1e-6


def test_given_loss_and_depth_limit() -> None:
    loss = [3.0] * 64
    res = evaluate_line(line_case_from_dict(case_with({"mode": "given", "loss_db": loss,
                                                       "insertion_loss_db": 0.5})))
    plain = evaluate_line(line_case_from_dict(case_with(None)))
    np.testing.assert_allclose(plain.signal_power_dbm - res.signal_power_dbm, 3.5, atol=1e-9)
    shallow = evaluate_line(line_case_from_dict(case_with({"mode": "flatten",
                                                           "max_depth_db": 2.0,
                                                           "insertion_loss_db": 0.0})))
    assert np.max(plain.signal_power_dbm - shallow.signal_power_dbm) <= 2.0 + 1e-9


def test_given_loss_needs_one_value_per_channel() -> None:
    with pytest.raises(OpticsError, match="gff.loss_db"):
        line_case_from_dict(case_with({"mode": "given", "loss_db": [1.0, 2.0]}))
    with pytest.raises(OpticsError, match="loss_db is required"):
        line_case_from_dict(case_with({"mode": "given"}))
