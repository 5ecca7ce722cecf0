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
  dedicated pump fibre (0.17 dB/km; 2.5 W per direction); ROPA 120 km from the receiver, 25 dB
  small-signal gain, NF 4.5 dB. (Through the line fibre, 1.5 W of remote pump would add ~30 dB
  of distributed Raman gain on top in the undepleted-pump model, which ignores the pump
  depletion and double Rayleigh backscattering that limit it in practice.)
* Transceiver back-to-back SNR 21 dB; required SNR for 120G PM-QPSK with soft-decision FEC
  8.0 dB in the symbol bandwidth, i.e. the OpenROADM MSA 5.0 100G oFEC threshold (12 dB OSNR in
  0.1 nm at 31.57 GBd) at the same SNR.

Where the model puts the margin: about +2.3 dB on the worst channel at the best launch power
(~ -1.5 dBm/ch into the fibre). Without the ROPA the same pumps leave the link below threshold,
and with the booster alone it is ~20 dB short -- the record needs every amplifier it used.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from transcaspian.errors import OpticsError
from transcaspian.optics import LineResult, evaluate_line, line_case_from_dict

REQUIRED_SNR_DB = 12.0 - 10 * np.log10(31.57 / 12.5)  # 7.98 dB
BAND = {"low_thz": 191.0, "high_thz": 196.5}
LAUNCH = np.arange(-6.0, 6.01, 0.5)


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


def test_record_setting_closes_with_margin() -> None:
    line = line_case_from_dict(record_line())
    assert line.spectrum.n_channels == 150
    total_loss_db = sum(el.fibre.length_km for el in line.elements
                        if hasattr(el, "fibre")) * 68.2 / 409.6
    assert abs(total_loss_db - 68.2) < 1e-9
    launch, gsnr, _ = best(record_line())
    margin = gsnr - REQUIRED_SNR_DB
    assert 0.5 <= margin <= 4.0, f"margin {margin:.2f} dB at {launch} dBm"
    assert -3.0 <= launch <= 2.0


def test_unphysical_raman_gain_is_refused() -> None:
    """3 W at 1452 nm would give > 35 dB of distributed gain, outside the undepleted-pump
    model: refused with one line."""
    with pytest.raises(OpticsError, match="distributed Raman on-off gain"):
        evaluate_line(line_case_from_dict(record_line(backward_w=3.0)), 0.0)


def test_remote_pump_through_the_line_adds_raman_gain() -> None:
    """A ROPA pump sent through the line fibre Raman-amplifies the signal on its way (1480 nm
    pump, ~8.9 THz from the band: ~2/3 of the peak gain of the triangular spectrum)."""
    data = record_line(backward_w=None, ropa_path="line")
    data["elements"][2]["ropa"]["pump_power_w"] = 0.6
    data["elements"].pop()  # no pre-amplifier: compare the power reaching the receiver
    with_gain = evaluate_line(line_case_from_dict(data), 0.0)
    data["elements"][2]["ropa"]["line_pump_raman"] = False
    without = evaluate_line(line_case_from_dict(data), 0.0)
    gain_db = with_gain.signal_power_dbm.mean() - without.signal_power_dbm.mean()
    # undepleted pump: 10 log10(e) g_R (2/3) P L_eff,p  with g_R = 0.42 x 80/112 /W/km
    l_eff = (1 - np.exp(-0.19 / 4.343 * 120)) / (0.19 / 4.343)
    shift = (2.0256e14 - 1.9382e14) / 13.2e12
    expected = 4.343 * 0.42 * 80 / 112 * shift * 0.6 * l_eff
    assert gain_db == pytest.approx(expected, rel=0.05)


def test_record_needs_ropa_and_raman() -> None:
    _, with_all, _ = best(record_line())
    _, no_ropa, _ = best(record_line(ropa=False))
    _, booster_only, _ = best(record_line(ropa=False, forward_w=None, backward_w=None))
    assert no_ropa < REQUIRED_SNR_DB < with_all
    assert booster_only < REQUIRED_SNR_DB - 15.0
