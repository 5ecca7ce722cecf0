"""A batched ``evaluate_line`` call gives, line by line, what a plain evaluation gives.

The batched call without profiles updates the state in place, chunks large batches and
rearranges the closed forms (see ``_fast_fibre_step`` in ``optics/line.py``). Two references
that share none of that: (1) the same lines one at a time with ``profile=True`` (the general
step, no in-place update, no chunking); (2) a plain per-line propagation written here from the
public closed forms of :mod:`transcaspian.optics.nli` (η matrices built afresh per span,
``nli_power``, ``isrs_power_ratio``) and the bookkeeping of ``docs/line_case_format.md``
(NLI at the span input from the total power, capped at 0.99 of it and booked out of signal and
ASE; an EDFA adds NF h f G R_s). Both must agree with the batch within 1e-10 (relative, dB).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from _lines import SSMF, spectrum

from transcaspian.optics import LineCase, evaluate_line, line_case_from_dict
from transcaspian.optics import fibre as fib
from transcaspian.optics.line import _CHUNK_LINES, channel_frequencies_hz, launch_offsets_db
from transcaspian.optics.linecase import AmplifierElement, FibreElement
from transcaspian.optics.nli import (
    effective_length_m,
    gn_eta,
    isrs_eta,
    isrs_power_ratio,
    nli_power,
)

FIELDS = ("signal_power_dbm", "ase_power_dbm", "nli_power_dbm", "snr_ase_db", "snr_nli_db",
          "gsnr_db", "osnr_ase_0p1nm_db", "gsnr_0p1nm_db")
REL = 1e-10
H_PLANCK = 6.62607015e-34  # J s (exact, SI 2019)

#: a fibre whose loss and dispersion vary over the band (no Toeplitz shortcut)
SLOPED = {**SSMF, "dispersion_slope_ps_per_nm2_km": 0.057,
          "loss_table": {"frequency_thz": [191.0, 193.5, 196.5],
                         "loss_db_per_km": [0.205, 0.19, 0.2]}}


def _line(model: str, n: int, *, sloped: bool = False) -> LineCase:
    """Booster with an output limit, connectors, extra loss, fixed-gain and
    power-restoring (AGC) amplifiers, two fibre types."""
    elements: list[dict[str, Any]] = [
        {"amplifier": {"gain_db": 2.0, "noise_figure_db": 5.5, "max_output_power_dbm": 20.0}},
        {"fibre": {"type": "A", "length_km": 85.0, "connector_in_db": 0.4,
                   "extra_loss_db": 0.8}},
        {"amplifier": {"noise_figure_db": 5.0}},
        {"fibre": {"type": "B", "length_km": 60.0, "connector_out_db": 0.3}},
        {"amplifier": {"gain_db": 12.0, "noise_figure_db": 4.5, "max_output_power_dbm": 19.0}},
        {"fibre": {"type": "A", "length_km": 95.0}},
        {"amplifier": {"gain_db": 19.0, "noise_figure_db": 5.0}},
    ]
    return line_case_from_dict({
        "name": "batch", "spectrum": spectrum(n), "fibres": {"A": SLOPED if sloped else SSMF,
                                                             "B": SSMF},
        "elements": elements, "nli_model": model})


def _plain_db(case: LineCase, launch_dbm: float, offsets_db: np.ndarray) -> dict[str, Any]:
    """One line, propagated with the public closed forms, straight from their definitions."""
    sp = case.spectrum
    f = channel_frequencies_hz(sp)
    rs = np.full(f.size, sp.symbol_rate_gbaud * 1e9)
    launch = 1e-3 * 10.0 ** ((launch_dbm + launch_offsets_db(sp) + offsets_db) / 10.0)
    sig = launch.copy()
    for el in case.elements:  # back off through the boosters
        if not (isinstance(el, AmplifierElement) and el.amplifier.gain_db is not None):
            break
        sig = sig / 10.0 ** (el.amplifier.gain_db / 10.0)
    ase = np.zeros(f.size)
    nli = np.zeros(f.size)
    for el in case.elements:
        if isinstance(el, FibreElement):
            sec = el.fibre
            ft = case.fibres[sec.type]
            length = sec.length_km * 1e3
            c_in = 10.0 ** (-sec.connector_in_db / 10.0)
            sig, ase, nli = sig * c_in, ase * c_in, nli * c_in
            alpha = fib.alpha_per_m(ft, f) + sec.extra_loss_db / fib.DB_PER_NEPER / length
            beta2 = fib.beta2_s2_per_m(ft, f)
            gamma = fib.gamma_per_w_per_m(ft, f)
            total = sig + ase + nli
            eta = gn_eta(f, rs, alpha, beta2, gamma, length)
            end = np.exp(-alpha * length)
            if case.nli_model == "isrs_gn_closed_form":
                # the GN η scaled per pair by the ISRS / no-ISRS ratio of the ISRS closed form
                cr = fib.raman_gain_slope_per_w_per_m_per_hz(ft)
                eta = eta * (isrs_eta(f, rs, alpha, beta2, gamma, cr, total)
                             / isrs_eta(f, rs, alpha, beta2, gamma, 0.0, total))
                end = end * isrs_power_ratio(
                    f, total, cr, effective_length_m(float(alpha.mean()), length))
            new = np.minimum(nli_power(eta, total), 0.99 * total)
            keep = 1.0 - new / total
            sig, ase, nli = sig * keep * end, ase * keep * end, (nli * keep + new) * end
            c_out = 10.0 ** (-sec.connector_out_db / 10.0)
            sig, ase, nli = sig * c_out, ase * c_out, nli * c_out
        else:
            assert isinstance(el, AmplifierElement)
            amp = el.amplifier
            tot = float((sig + ase + nli).sum())
            gain = (launch.sum() / tot if amp.gain_db is None else 10.0 ** (amp.gain_db / 10.0))
            p_max = 1e-3 * 10.0 ** (amp.max_output_power_dbm / 10.0)
            gain = min(gain, p_max / tot)
            sig, ase, nli = sig * gain, ase * gain, nli * gain
            ase = ase + 10.0 ** (amp.noise_figure_db / 10.0) * H_PLANCK * f * gain * rs
    bw = 10.0 * math.log10(sp.symbol_rate_gbaud * 1e9 / 12.5e9)
    s_db, a_db, n_db = (10.0 * np.log10(x) for x in (sig, ase, nli))
    gsnr = -10.0 * np.log10((ase + nli) / sig)
    return {"signal_power_dbm": s_db + 30.0, "ase_power_dbm": a_db + 30.0,
            "nli_power_dbm": n_db + 30.0, "snr_ase_db": s_db - a_db, "snr_nli_db": s_db - n_db,
            "gsnr_db": gsnr, "osnr_ase_0p1nm_db": s_db - a_db + bw, "gsnr_0p1nm_db": gsnr + bw}


def _close(got: np.ndarray, want: np.ndarray, what: str) -> float:
    """Largest relative difference (dB values; 1 dB floor for values near 0 dB)."""
    assert got.shape == want.shape, what
    rel = float(np.max(np.abs(got - want) / np.maximum(np.abs(want), 1.0)))
    assert rel <= REL, f"{what}: relative difference {rel:.2e} > {REL:g}"
    return rel


def _batch(n: int, rows: int, top_dbm: float = 7.0) -> tuple[np.ndarray, np.ndarray]:
    """Launch powers [dBm] (rows,) up to ``top_dbm`` and per-line tilts [dB] (rows, n)."""
    launch = np.linspace(-5.0, top_dbm, rows)
    tilt = np.linspace(-2.0, 2.0, rows)[::-1, None] * np.linspace(-0.5, 0.5, n)
    return launch, tilt


@pytest.mark.parametrize(("sloped", "top_dbm"), [(False, 7.0), (True, 7.0), (False, 30.0)])
@pytest.mark.parametrize("model", ["gn_closed_form", "isrs_gn_closed_form"])
def test_a_large_batch_matches_the_plain_propagation(model: str, sloped: bool,
                                                     top_dbm: float) -> None:
    """Up to 7 dBm per channel the NLI matters; at 30 dBm the 0.99 cap of the NLI transfer
    and the amplifiers' output limits act."""
    n, rows = 48, 2 * _CHUNK_LINES + 37  # three chunks, the last one short
    case = _line(model, n, sloped=sloped)
    launch, tilt = _batch(n, rows, top_dbm)
    batch = evaluate_line(case, launch, channel_offsets_db=tilt)
    if top_dbm < 20.0:  # the NLI must matter for the check to mean something: at the top it does
        assert batch.snr_nli_db[-1].min() < batch.snr_ase_db[-1].min()
    else:  # the NLI transfer is capped at 0.99 of the power somewhere (SNR_NLI near 0 dB)
        assert batch.snr_nli_db[-1].min() < 0.5
    for i in np.linspace(0, rows - 1, 9).round().astype(int):
        plain = _plain_db(case, float(launch[i]), tilt[i])
        for name in FIELDS:
            _close(getattr(batch, name)[i], plain[name], f"{name}, line {i}")


@pytest.mark.parametrize("model", ["gn_closed_form", "isrs_gn_closed_form"])
@pytest.mark.parametrize("rows", [1, 7, _CHUNK_LINES, _CHUNK_LINES + 1, 3 * _CHUNK_LINES])
def test_batched_and_one_line_at_a_time_agree(model: str, rows: int) -> None:
    """Every line of a batch (one call, chunked above _CHUNK_LINES) against the same line
    alone through the general step (``profile=True``)."""
    n = 24
    case = _line(model, n, sloped=True)
    launch, tilt = _batch(n, rows)
    batch = evaluate_line(case, launch.reshape(rows, 1), channel_offsets_db=tilt[:, None, :])
    assert batch.gsnr_db.shape == (rows, 1, n)
    step = max(1, rows // 40)
    for i in range(0, rows, step):
        alone = evaluate_line(case, float(launch[i]), channel_offsets_db=tilt[i], profile=True)
        for name in FIELDS:
            _close(getattr(batch, name)[i, 0], getattr(alone, name), f"{name}, line {i}")


def test_a_batch_over_a_distributed_raman_span_agrees_line_by_line() -> None:
    """A given-gain Raman fibre takes the general step inside an otherwise in-place batch."""
    case = line_case_from_dict({
        "name": "raman", "spectrum": spectrum(16), "fibres": {"A": SSMF},
        "elements": [{"fibre": {"type": "A", "length_km": 80.0}},
                     {"amplifier": {"gain_db": 16.0, "noise_figure_db": 5.0}},
                     {"fibre": {"type": "A", "length_km": 100.0,
                                "raman": {"model": "given_gain", "on_off_gain_db": 9.0}}},
                     {"amplifier": {"noise_figure_db": 5.0}}],
        "nli_model": "isrs_gn_closed_form"})
    launch, tilt = _batch(16, _CHUNK_LINES + 5)
    batch = evaluate_line(case, launch, channel_offsets_db=tilt)
    for i in (0, 100, _CHUNK_LINES + 4):
        alone = evaluate_line(case, float(launch[i]), channel_offsets_db=tilt[i], profile=True)
        for name in FIELDS:
            _close(getattr(batch, name)[i], getattr(alone, name), f"{name}, line {i}")


def test_repeated_calls_do_not_share_state() -> None:
    """The scratch arrays reused between calls never leak into a result."""
    case = _line("isrs_gn_closed_form", 24)
    launch, tilt = _batch(24, 50)
    first = evaluate_line(case, launch, channel_offsets_db=tilt)
    kept = first.gsnr_db.copy()
    other = evaluate_line(case, launch[::-1] + 1.0, channel_offsets_db=-tilt)
    again = evaluate_line(case, launch, channel_offsets_db=tilt)
    np.testing.assert_array_equal(first.gsnr_db, kept)
    np.testing.assert_array_equal(again.gsnr_db, kept)
    assert not np.shares_memory(first.gsnr_db, other.gsnr_db)
