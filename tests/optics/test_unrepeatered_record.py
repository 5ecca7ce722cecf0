"""The 2014 unrepeatered record as a check of the Raman + ROPA models.

Source: the record summarised in the project's reference note (submarine.md §3.4): 15 Tb/s
(150 × 120 Gb/s) over 409.6 km, 68.2 dB, single fibre type G.654B (Corning Vascade EX2000),
forward + backward distributed Raman and a ROPA, pump power < 2.5 W per direction
(Optics Express 22(25) 31057, 2014). The link closed experimentally, so the model must find a
positive margin for 120 Gb/s channels at its best launch power.

Assumptions (not published in the note, chosen as typical values and stated here):

* 150 channels on a 33 GHz grid at 30 GBd, roll-off 0.1 (120 Gb/s PM-QPSK incl. FEC overhead).
* Fibre: 68.2 dB / 409.6 km = 0.1665 dB/km including splices; A_eff 112 µm², D 20.7 ps/(nm km)
  (Vascade EX2000 data sheet values), pump-band loss 0.19 dB/km; ISRS closed form on.
* Booster: 27 dBm total output, NF 5.5 dB; receiver pre-amplifier NF 5 dB.
* Forward Raman 0.5 W; backward: 1.0 W Raman at 1452 nm + 1.5 W ROPA pump at 1480 nm through a
  dedicated pump fibre (0.17 dB/km; 2.5 W per direction); ROPA 120 km from the receiver, the
  default ``giles`` erbium model (12 m EDF, 6 dB/m; 13.7 mW of residual pump gives 18.5-28.0 dB
  of gain and NF 4.0-5.9 dB across the band at the best launch). With the flat ``pump_limited``
  approximation (25 dB small-signal gain, NF 4.5 dB at full inversion) the margin below is
  0.6 dB better: the erbium gain tilt costs the worst channel. (Through the line fibre, 1.5 W
  of remote pump would add ~30 dB of distributed Raman gain on top in the undepleted-pump
  model, which ignores the pump depletion and double Rayleigh backscattering that limit it in
  practice.)
* Transceiver back-to-back SNR 21 dB; required SNR for 120G PM-QPSK with soft-decision FEC
  8.0 dB in the symbol bandwidth, i.e. the OpenROADM MSA 5.0 100G oFEC threshold (12 dB OSNR in
  0.1 nm at 31.57 GBd) at the same SNR.

Issue 19 reproduction (``test_record_closes_with_designed_pumps``): the same published facts
and the assumptions above (booster, receiver, fibre, channel plan, 1.5 W ROPA pump, giles
ROPA), but the pumps designed by the toolkit's search within the published bounds (2.5 W per
direction; first-order 14xx nm pumps <= 1 W each and a 1365 nm second-order pump, forward and
backward; ROPA 80-140 km from the receiver, fed through a dedicated fibre or the line) instead
of the assumed plan below. Added assumption: the fibre's pump-band loss, 0.19 dB/km, applies to
the 1365 nm pump too (the model has one pump-band loss; Vascade EX2000's loss at 1365 nm is not
published in the note, and a water-peak tail would raise it). Result (2026-12-06): min GSNR
7.57 dB against 8.0 dB (0.41 dB short, within the 1 dB accepted), with forward and backward
second-order pumping: about 1.77 W at 1365 nm forward with 10-17 mW first-order co seeds, 2.1 W
at 1365 nm backward with 1-2 mW seeds, the ROPA 140 km from the receiver on a dedicated feed.

What the search missed before, and its measured cause (issue 19 §3). The search gave 6.36 dB
(1.64 dB short): the ROPA line's transmit-end fibre is designed with forward pumps only (no
backward budget), and the 13xx nm co pump was capped by the *backward* budget, i.e. at 0 W;
second-order pumps were also held to the 1 W per-diode cap of first-order pumps; and with one
weight per candidate a cascaded plan (one strong 13xx nm pump, weak seeds) was rarely sampled.
Now a second-order pump is capped by its own direction's budget, the search vector carries each
direction's order split, and a second-order pump is lit only with a lit seed (the objective no
longer credits 1 nW unlit candidates that a strong 13xx nm pump amplified into phantom seeds).
Spread over optimiser seeds 0-5 (10 generations): -0.22 to +0.72 dB with forward second order
(always chosen), -1.24 to -1.63 dB with first-order pumps only (``schemes: [backward,
forward_backward]``; the default seed 7 happens to reach -0.49 dB there);
``test_forward_second_order_is_what_closes_the_record`` checks this on two seeds. 40 instead of
10 generations: -0.47 dB (no gain). Sensitivity to the added assumption: with 0.25 dB/km at
every pump wavelength (which also penalises the 14xx nm pumps) the search gives 6.73 dB (1.25 dB
short). Earlier measurements on the first-order design (not the cause): pre-amplifier NF 5 -> 4
dB (+0.00 dB), booster 27 -> 30 dBm (+0.00), ROPA pump 1.5 -> 2.5 W (+0.24), EDF 12 -> 16 m
(-0.67), the 120G threshold (8.0 dB: 12 dB OSNR at 31.6 GBd). A line-fed ROPA pump's residual
leaves out the pump-pump Raman transfer from shorter-wavelength backward pumps
(``amplifiers.ropa_residual_pump_w``); the design chose the dedicated feed, so this does not
move the record. The experiment's own pump plan (Xtera's commercial system) is not published.

Where the model puts the margin with the assumed plan. With the flat peak-efficiency,
undepleted Raman model this assumed plan closed with +2.3 dB. With the measured Raman gain
spectrum and the coupled equations (pump depletion by the ~20 dBm of signal, which takes most
of a 0.5 W first-order forward pump, and the 10 dB gain ripple of one 1 W backward pump) the
same plan is ~6.6 dB short with the flat ROPA and ~7.2 dB short with the erbium ROPA:
``test_record_margin_with_assumed_pumps`` bounds this shortfall. The experiment used Xtera's
commercial Raman system, whose pumping scheme (orders, wavelengths, powers per direction below
2.5 W) this note does not give; the assumed single first-order pump per direction is not the
experiment's plan. Designed pumps (``test_record_closes_with_designed_pumps`` above) close the gap.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from transcaspian.errors import OpticsError
from transcaspian.optics import LineResult, evaluate_line, line_case_from_dict
from transcaspian.optics.config import OpticsConfig

REQUIRED_SNR_DB = 12.0 - 10 * np.log10(31.57 / 12.5)  # 7.98 dB
BAND = {"low_thz": 191.0, "high_thz": 196.5}
LAUNCH = np.arange(-6.0, 6.01, 1.0)


def record_line(*, ropa: bool = True, forward_w: float | None = 0.5,
                backward_w: float | None = 1.0, ropa_path: str = "dedicated") -> dict[str, Any]:
    length, d_ropa = 409.6, 120.0
    fwd = {"pump_power_w": forward_w, "direction": "co"} if forward_w else None
    bwd = {"pump_power_w": backward_w} if backward_w else None
    els: list[dict[str, Any]] = [{"amplifier": {
        "gain_db": 15.0, "noise_figure_db": 5.5, "max_output_power_dbm": 27.0, "band": BAND}}]
    if ropa:
        els += [{"fibre": {"type": "EX2000", "length_km": length - d_ropa, "forward_raman": fwd}},
                {"ropa": {"pump_power_w": 1.5, "pump_path": ropa_path}},
                {"fibre": {"type": "EX2000", "length_km": d_ropa, "raman": bwd}}]
    else:
        els += [{"fibre": {"type": "EX2000", "length_km": length, "forward_raman": fwd,
                           "raman": bwd}}]
    els.append({"amplifier": {"noise_figure_db": 5.0, "band": BAND}})
    return {
        "name": "record_2014_409km",
        "spectrum": {"first_channel_thz": 191.35,
                     "last_channel_thz": round(191.35 + 149 * 0.033, 6),
                     "spacing_ghz": 33.0, "symbol_rate_gbaud": 30.0, "roll_off": 0.1},
        "fibres": {"EX2000": {"loss_db_per_km": 68.2 / 409.6, "pump_loss_db_per_km": 0.19,
                              "dispersion_ps_per_nm_km": 20.7, "effective_area_um2": 112.0,
                              "effective_area_model": "constant"}},
        "elements": els,
        "nli_model": "isrs_gn_closed_form",
        "transceiver": {"b2b_snr_db": 21.0},
    }


def best(data: dict[str, Any]) -> tuple[float, float, LineResult]:
    res = evaluate_line(line_case_from_dict(data), LAUNCH)
    k = int(np.nanargmax(res.min_gsnr_db))
    return float(LAUNCH[k]), float(res.min_gsnr_db[k]), res


def record_config(**pump_bounds: Any) -> OpticsConfig:
    """The record as the design search sees it: the published facts (409.6 km, 68.2 dB,
    EX2000, 150 x 120 Gb/s in 61 nm, forward + backward Raman + ROPA, < 2.5 W of pump per
    direction) and the assumptions of the module docstring; no end-of-life allowance (a lab
    experiment) and no system margin (the threshold is checked directly)."""
    band = BAND
    return OpticsConfig.model_validate({
        "spectrum": record_line()["spectrum"],
        "fibre": record_line()["fibres"]["EX2000"],
        "booster": {"gain_db": 20.0, "noise_figure_db": 5.5, "max_output_power_dbm": 27.0,
                    "band": band},
        "preamplifier": {"gain_db": None, "noise_figure_db": 5.0, "band": band},
        "repeater": {"gain_db": None, "noise_figure_db": 4.5, "band": band},
        "end_of_life": {"ageing_db_per_span": 0.0, "repairs": 0, "terminal_loss_db": 0.0},
        "transceiver": {"b2b_snr_db": 21.0},
        "system_margin_db": 0.0,
        "design_space": {"max_repeaters": 0, "include_unrepeatered": ["booster_raman_ropa"],
                         "ropa_distances_km": [80.0, 100.0, 120.0, 140.0]},
        "raman_pump_design": {"max_total_power_w": 2.5, "max_forward_power_w": 2.5,
                              "max_power_per_pump_w": 1.0, **pump_bounds},
        "ropa": {"pump_power_w": 1.5},
    })


@pytest.fixture(scope="module")
def designed_record() -> Any:
    from transcaspian.optics.design import compare_designs

    return compare_designs(record_config(), cable_length_km=409.6, fibre_pairs=1).designs[0]


def test_record_closes_with_designed_pumps(designed_record: Any) -> None:
    """Issue 19: the record reproduced from its published configuration with the toolkit's own
    pump design (not an assumed plan): min GSNR within 1 dB of the threshold or better."""
    assert designed_record.min_gsnr_db >= REQUIRED_SNR_DB - 1.0


def test_designed_record_respects_the_published_bounds(designed_record: Any) -> None:
    plan = designed_record.pump_plan
    assert plan is not None and plan.pumps
    by_dir = plan.power_by_direction_w()
    assert by_dir["co"] <= 2.5 + 1e-6 and by_dir["counter"] <= 2.5 + 1e-6
    assert any(p.direction == "co" for p in plan.pumps)  # forward Raman was used
    assert designed_record.line.ropas  # and the ROPA
    assert plan.evaluations > 0 and plan.seconds > 0.0


def test_designed_record_is_far_closer_than_the_assumed_plan(designed_record: Any) -> None:
    """The measured gap with designed pumps (regression bound, not a reference): from ~7 dB
    short with one assumed first-order pump per direction to ~0.4 dB."""
    _, assumed, _ = best(record_line())
    assert designed_record.min_gsnr_db > assumed + 5.0
    assert -1.0 <= designed_record.min_gsnr_db - REQUIRED_SNR_DB <= 1.0


def test_record_margin_with_assumed_pumps() -> None:
    """The measured shortfall of the assumed plan (regression bound, not a reference)."""
    _, gsnr, _ = best(record_line())
    assert -8.0 <= gsnr - REQUIRED_SNR_DB <= -5.0


def test_unphysical_raman_gain_is_refused() -> None:
    """3 W at 1452 nm would give far more than 35 dB of distributed gain: refused with one
    line naming the total on-off gain."""
    with pytest.raises(OpticsError, match="total distributed Raman on-off gain"):
        evaluate_line(line_case_from_dict(record_line(backward_w=3.0)), 0.0)


def test_total_gain_guard_is_on_all_pumps_together() -> None:
    """Two pumps each well under 35 dB but together over it are refused (issue 7: the guard
    was per pump). The guard reads the solver's depleted result (issue 19): at -20 dBm per
    channel one 0.9 W pump gives ~26 dB and the pair ~42 dB."""
    data = record_line(ropa=False, forward_w=None, backward_w=None)
    data["elements"][1]["fibre"]["length_km"] = 100.0
    data["fibres"]["EX2000"]["loss_db_per_km"] = 0.17
    pumps = [{"power_w": 0.9, "wavelength_nm": 1452.0}, {"power_w": 0.9, "wavelength_nm": 1452.0}]
    data["elements"][1]["fibre"]["raman_pumps"] = pumps[:1]
    one = evaluate_line(line_case_from_dict(data), -20.0).raman_spans[0][1]
    assert one.on_off_gain_db.max() < 30.0
    data["elements"][1]["fibre"]["raman_pumps"] = pumps
    with pytest.raises(OpticsError, match="all pumps together.*depleted coupled solution"):
        evaluate_line(line_case_from_dict(data), -20.0)


def test_remote_pump_through_the_line_adds_raman_gain() -> None:
    """A ROPA pump sent through the line fibre Raman-amplifies the signal on its way. At a low
    signal power (undepleted regime) the solver's gain equals the undepleted closed form
    exp(C_ip P L_eff,p) with the measured gain spectrum at the 1480 nm pump's offset."""
    from scipy import constants

    from transcaspian.optics.raman import raman_coefficients, raman_gain_spectrum

    data = record_line(backward_w=None, ropa_path="line")
    data["elements"][2]["ropa"]["pump_power_w"] = 0.6
    data["elements"].pop()  # no pre-amplifier: compare the power reaching the receiver
    with_gain = evaluate_line(line_case_from_dict(data), -25.0)
    data["elements"][2]["ropa"]["line_pump_raman"] = False
    without = evaluate_line(line_case_from_dict(data), -25.0)
    gain_db = with_gain.signal_power_dbm - without.signal_power_dbm
    f = np.append(with_gain.frequency_thz * 1e12, constants.c / 1480e-9)
    c = raman_coefficients(f, np.full(f.size, 112e-12), raman_gain_spectrum())[:-1, -1]
    alpha_p = 0.19 / (10 * np.log10(np.e)) / 1e3
    l_eff = (1 - np.exp(-alpha_p * 120e3)) / alpha_p
    expected = 10 * np.log10(np.e) * c * 0.6 * l_eff
    np.testing.assert_allclose(gain_db, expected, atol=0.15)


def test_record_needs_ropa_and_raman() -> None:
    _, with_all, _ = best(record_line())
    _, booster_only, _ = best(record_line(ropa=False, forward_w=None, backward_w=None))
    _, no_forward, _ = best(record_line(forward_w=None))
    assert with_all > no_forward
    assert booster_only < with_all - 10.0


@pytest.mark.parametrize("seed", [0, 2])
def test_forward_second_order_is_what_closes_the_record(seed: int) -> None:
    """The cause of the reproduction, on two optimiser seeds other than the default: the same
    search with first-order pumps only stays more than 1 dB short (measured -1.56 dB on both),
    with second-order pumps it designs a forward 13xx nm pump and comes within 1 dB (+0.48 and
    -0.16 dB)."""
    from transcaspian.optics.design import compare_designs

    full = compare_designs(record_config(seed=seed), cable_length_km=409.6,
                           fibre_pairs=1).designs[0]
    first = compare_designs(record_config(seed=seed, schemes=["backward", "forward_backward"]),
                            cable_length_km=409.6, fibre_pairs=1).designs[0]
    assert full.pump_plan is not None and first.pump_plan is not None
    assert any(p.direction == "co" and p.wavelength_nm < 1420.0 for p in full.pump_plan.pumps)
    assert all(p.wavelength_nm >= 1420.0 for p in first.pump_plan.pumps)
    assert full.min_gsnr_db >= REQUIRED_SNR_DB - 1.0
    assert first.min_gsnr_db < REQUIRED_SNR_DB - 1.0
