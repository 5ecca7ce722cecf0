"""Band plans (issue 20 §5): a spectrum of contiguous bands (C + L), each amplified by its own
band of the repeater, inter-band stimulated Raman scattering in the ISRS closed form and the
generalised GN."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from transcaspian.errors import OpticsError
from transcaspian.optics import evaluate_line, line_case_from_dict
from transcaspian.optics.config import DesignSpace, OpticsConfig
from transcaspian.optics.design import compare_designs
from transcaspian.optics.elements import Band, Edfa, Spectrum
from transcaspian.optics.line import SpanCache

ULL: dict[str, Any] = {"loss_db_per_km": 0.165, "dispersion_ps_per_nm_km": 21.0,
                       "effective_area_um2": 125.0, "effective_area_model": "constant"}
C_L: dict[str, Any] = {
    "spacing_ghz": 75.0, "symbol_rate_gbaud": 64.0, "roll_off": 0.15,
    "band_plan": [{"name": "L", "first_channel_thz": 186.0, "last_channel_thz": 190.8},
                  {"name": "C", "first_channel_thz": 191.4, "last_channel_thz": 196.125}]}
L_BAND = {"low_thz": 185.9, "high_thz": 190.9, "noise_figure_db": 5.0}


def _line(model: str, spans: int, shape: str = "flat", length_km: float = 80.0) -> Any:
    amp: dict[str, Any] = {"noise_figure_db": 4.5, "extra_bands": [L_BAND]}
    if shape == "equalise":
        amp["gain_shape"] = "equalise"
    els: list[dict[str, Any]] = []
    for _ in range(spans):
        els += [{"fibre": {"type": "F", "length_km": length_km}}, {"amplifier": amp}]
    return line_case_from_dict({"name": "c+l", "spectrum": C_L, "fibres": {"F": ULL},
                                "elements": els, "nli_model": model})


def test_band_plan_channels() -> None:
    sp = Spectrum(**C_L)
    assert sp.n_channels == 65 + 64
    assert sp.first_channel_thz == 186.0 and sp.last_channel_thz == 196.125
    idx = np.asarray(sp.grid_indices)
    assert np.all(np.diff(idx) >= 1) and idx[65] - idx[64] == 8  # the L-C guard band


@pytest.mark.parametrize(("bands", "match"), [
    ([{"name": "C", "first_channel_thz": 191.41, "last_channel_thz": 192.0}], "not on the grid"),
    ([{"name": "C", "first_channel_thz": 191.4, "last_channel_thz": 192.0},
      {"name": "L", "first_channel_thz": 191.7, "last_channel_thz": 193.05}], "overlap"),
])
def test_band_plan_is_checked(bands: list[dict[str, Any]], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        Spectrum(spacing_ghz=75.0, symbol_rate_gbaud=64.0, first_channel_thz=191.4,
                 band_plan=bands)


def test_each_band_needs_an_amplifier_band() -> None:
    with pytest.raises(OpticsError, match="outside every amplifier band"):
        line_case_from_dict({"name": "x", "spectrum": C_L, "fibres": {"F": ULL}, "elements": [
            {"fibre": {"type": "F", "length_km": 50.0}},
            {"amplifier": {"extra_bands": [{"low_thz": 187.0, "high_thz": 190.9}]}}]})
    with pytest.raises(OpticsError, match="outside the amplifier band"):
        line_case_from_dict({"name": "x", "spectrum": C_L, "fibres": {"F": ULL}, "elements": [
            {"fibre": {"type": "F", "length_km": 50.0}}, {"amplifier": {}}]})


def test_inter_band_srs_moves_power_from_c_to_l() -> None:
    """One span, flat gain: without SRS (GN) both bands arrive equal; with it, L gains at C's
    expense, in the ISRS closed form and the generalised GN alike (within 0.25 dB)."""
    out = {m: evaluate_line(_line(m, 1), 1.0, span_cache=SpanCache())
           for m in ("gn_closed_form", "isrs_gn_closed_form", "generalised_gn")}
    low = out["gn_closed_form"].frequency_thz < 191.0
    gn = out["gn_closed_form"].signal_power_dbm
    assert abs(gn[low].mean() - gn[~low].mean()) < 1e-3  # (NLI and ASE shares only)
    tilts = []
    for m in ("isrs_gn_closed_form", "generalised_gn"):
        s = out[m].signal_power_dbm
        tilts.append(s[low].mean() - s[~low].mean())
    assert tilts[0] > 1.0 and tilts[1] > 1.0
    assert abs(tilts[0] - tilts[1]) < 0.25


def test_equalised_c_plus_l_line_models_agree() -> None:
    a = evaluate_line(_line("isrs_gn_closed_form", 10, "equalise"), 1.0, span_cache=SpanCache())
    b = evaluate_line(_line("generalised_gn", 10, "equalise"), 1.0, span_cache=SpanCache())
    assert np.abs(a.gsnr_db - b.gsnr_db).max() <= 0.25


def test_band_noise_figure_applies_to_its_channels() -> None:
    amp = Edfa(noise_figure_db=4.5, extra_bands=(Band(**L_BAND),))
    from transcaspian.optics.line import noise_figure_lin

    f = np.array([186.5e12, 193.0e12])
    assert np.asarray(noise_figure_lin(amp, f)) == pytest.approx(10 ** (np.array([5.0, 4.5]) / 10))


def test_c_plus_l_design_carries_about_twice_c() -> None:
    l_band = Band(**L_BAND)
    ds = DesignSpace(max_repeaters=None, launch_step_db=0.5, launch_tilts_db=(0.0,))
    c_only = OpticsConfig(transceivers="submarine", target_system_capacity_tbps=None,
                          design_space=ds)
    both = c_only.model_copy(update={
        "spectrum": Spectrum(**C_L),
        "booster": c_only.booster.model_copy(update={"extra_bands": (l_band,),
                                                     "max_output_power_dbm": 30.0}),
        "repeater": c_only.repeater.model_copy(update={"extra_bands": (l_band,),
                                                       "max_output_power_dbm": 23.0}),
        "preamplifier": c_only.preamplifier.model_copy(update={"extra_bands": (l_band,)})})
    a = compare_designs(c_only, cable_length_km=3000.0, fibre_pairs=1)
    b = compare_designs(both, cable_length_km=3000.0, fibre_pairs=1)
    ca = max(d.capacity_tbps_per_fibre_pair for d in a.designs)
    cb = max(d.capacity_tbps_per_fibre_pair for d in b.designs)
    assert 1.6 * ca < cb < 2.2 * ca
