"""Reading GNPy equipment libraries: GNPy's own example files and malformed copies.

The example files in ``tests/optics/data/`` are copied unmodified from GNPy 3.0.1
(BSD-3-Clause, see ``data/GNPY_DATA_README.md`` and ``data/GNPY_LICENSE.txt``).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from transcaspian.errors import OpticsError
from transcaspian.optics.gnpy_equipment import (
    read_gnpy_equipment,
    variable_gain_nf_coefficients,
)
from transcaspian.optics.transceivers import select_modes

DATA = Path(__file__).parent / "data"
EQPT = DATA / "gnpy_eqpt_config.json"
EQPT_ORV5 = DATA / "gnpy_eqpt_config_openroadm_ver5.json"
EQPT_EXTRA = DATA / "gnpy_extra_eqpt_config.json"

# gnpy_3_0_1_nf_vs_gain: average NF (no ripple) from GNPy's own Edfa._nf / _calc_nf on its own
# example library, generated once by data/make_gnpy_nf_reference.py with gnpy 3.0.1.
# Gains 10, 15, 20, 23, 26, 30 dB; P_in per channel -20 dBm (openroadm models, 50 GHz slots).
# Printed to 1e-6 dB; tolerance 1e-5 dB.
GAINS_DB = (10.0, 15.0, 20.0, 23.0, 26.0, 30.0)
GNPY_NF_DB = {
    "std_medium_gain": (15.000000, 10.000000, 6.578747, 6.122542, 6.000000, 5.974833),
    "std_low_gain": (8.793518, 6.617412, 6.375768, 6.333988, 6.312896, 6.300091),
    "std_high_gain": (22.000000, 17.000000, 12.000000, 9.000000, 6.499415, 5.659895),
    "high_power": (12.305263, 9.190855, 8.794429, 8.724413, 8.688893, 8.667270),
    "std_fixed_gain": (15.500000, 10.500000, 5.500000, 5.500000, 5.500000, 5.500000),
    "high_detail_model_example": (15.000330, 10.000330, 6.802608, 5.943239, 5.828510, 5.828510),
    "Juniper_BoosterHG": (13.283700, 10.659200, 8.194700, 7.042400, 6.490200, 6.490200),
    "openroadm_ila_low_noise": (7.002800, 7.002800, 7.002800, 7.002800, 7.002800, 7.002800),
    "openroadm_mw_mw_preamp": (10.142857, 10.142857, 10.142857, 10.142857, 10.142857, 10.142857),
    "medium+low_gain": (10.764349, 8.124426, 6.790097, 6.413927, 6.212384, 6.085800),
    "hybrid_4pumps_mediumgain": (15.107742, 10.331956, 5.973228, 3.764349, 2.010300, 0.565637),
}
# same script: GNPy's estimate_nf_model for std_medium_gain (15-26 dB, nf_min 6, nf_max 10)
GNPY_STD_MEDIUM_NF1_NF2_DP = (5.958107, 6.822681, 5.0)


@pytest.fixture(scope="module")
def eqpt():  # type: ignore[no-untyped-def]
    return read_gnpy_equipment(EQPT)


def _raw(path: Path = EQPT) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _write(tmp_path: Path, data: Any, name: str = "eqpt.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(data), encoding="utf-8")
    for f in ("std_medium_gain_advanced_config.json", "Juniper-BoosterHG.json"):
        (tmp_path / f).write_bytes((DATA / f).read_bytes())
    return p


# --------------------------------------------------------------------------------------------
# GNPy's own example files


def test_reads_gnpy_example_library(eqpt) -> None:  # type: ignore[no-untyped-def]
    assert set(eqpt.fibres) == {"SSMF", "NZDF", "LOF"}
    assert set(eqpt.raman_fibres) == {"SSMF"}
    assert len(eqpt.edfas) == 19
    assert set(eqpt.transceivers) == {"vendorA_trx-type1", "Voyager"}
    assert eqpt.skipped == ()
    assert len(eqpt.roadms) == 3
    assert len(eqpt.spans) == 1
    json.dumps(eqpt.to_dict(), default=str)


def test_fibre_mapping_units(eqpt) -> None:  # type: ignore[no-untyped-def]
    ssmf = eqpt.fibres["SSMF"]
    # 1.67e-5 s/m² = 16.7 ps/(nm km); 83e-12 m² = 83 µm²;
    # 1.265e-15 s/√m = 1.265e-3 ps/√m × √1000 = 0.040003 ps/√km
    assert ssmf.dispersion_ps_per_nm_km == pytest.approx(16.7, abs=1e-9)
    assert ssmf.effective_area_um2 == pytest.approx(83.0, abs=1e-9)
    assert ssmf.pmd_coef_ps_per_sqrt_km == pytest.approx(0.040003, abs=1e-6)
    assert eqpt.fibres["LOF"].effective_area_um2 == pytest.approx(125.0)
    ft = ssmf.to_fibre_type(loss_db_per_km=0.2)
    assert ft.dispersion_ps_per_nm_km == pytest.approx(16.7)
    assert ft.effective_area_um2 == pytest.approx(83.0)
    assert ft.loss_db_per_km == 0.2


def test_fibre_gamma_only_gives_effective_area(tmp_path: Path) -> None:
    # GNPy FiberParams: A_eff = 2π n2 / (λ γ) = 2π·2.6e-20/(1550e-9·1.27e-3) = 82.99 µm²
    data = {
        "Fiber": [{"type_variety": "g", "dispersion": 1.67e-5, "gamma": 1.27e-3, "pmd_coef": 0.0}]
    }
    f = read_gnpy_equipment(_write(tmp_path, data)).fibres["g"]
    assert f.gamma_per_w_per_km == pytest.approx(1.27)
    assert f.effective_area_um2 == pytest.approx(2 * math.pi * 2.6e-20 / (1550e-9 * 1.27e-3) * 1e12)


@pytest.mark.parametrize("name", sorted(GNPY_NF_DB))
def test_noise_figure_matches_gnpy(eqpt, name: str) -> None:  # type: ignore[no-untyped-def]
    nf = eqpt.edfas[name].noise_figure_db(np.array(GAINS_DB), input_power_per_channel_dbm=-20.0)
    np.testing.assert_allclose(nf, GNPY_NF_DB[name], atol=1e-5)


def test_variable_gain_coefficients_match_gnpy() -> None:
    got = variable_gain_nf_coefficients(15.0, 26.0, 6.0, 10.0)
    np.testing.assert_allclose(got, GNPY_STD_MEDIUM_NF1_NF2_DP, atol=1e-6)


def test_variable_gain_end_points_reproduce_nf_min_and_nf_max(eqpt) -> None:  # type: ignore[no-untyped-def]
    # by construction of the model: NF(G_flatmax) = nf_min, NF(G_min) = nf_max
    for name in ("std_medium_gain", "std_low_gain", "std_high_gain", "high_power"):
        a = eqpt.edfas[name]
        nf = a.noise_figure_db([a.gain_flatmax_db, a.gain_min_db])
        np.testing.assert_allclose(nf, [a.nf_min_db, a.nf_max_db], atol=0.01)


def test_noise_figure_is_vectorised(eqpt) -> None:  # type: ignore[no-untyped-def]
    g = np.linspace(10, 30, 12).reshape(3, 4)
    nf = eqpt.edfas["std_medium_gain"].noise_figure_db(g)
    assert nf.shape == (3, 4)
    flat = eqpt.edfas["std_medium_gain"].noise_figure_db(g.ravel())
    np.testing.assert_allclose(nf.ravel(), flat)


def test_openroadm_models_need_input_power(eqpt) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OpticsError, match="input_power_per_channel_dbm"):
        eqpt.edfas["openroadm_ila_standard"].noise_figure_db([20.0])
    assert np.isneginf(eqpt.edfas["openroadm_mw_mw_booster"].noise_figure_db([20.0])).all()


def test_dual_stage_composition(eqpt) -> None:  # type: ignore[no-untyped-def]
    a = eqpt.edfas["medium+low_gain"]
    assert a.gain_flatmax_db == 26 + 16  # preamp + booster, as GNPy
    assert a.p_max_dbm == 23  # booster's
    assert a.preamp.type_variety == "std_medium_gain"


def test_transceivers_map_to_library(eqpt) -> None:  # type: ignore[no-untyped-def]
    lib = eqpt.transceiver_library(["Voyager"])
    assert len(lib.modes) == 4
    m = lib.mode("Voyager: mode 2")
    assert (m.bit_rate_gbps, m.symbol_rate_gbaud, m.min_spacing_ghz) == (400, 66, 75)
    assert m.required_osnr_0p1nm_db == 21
    assert m.tx_osnr_0p1nm_db == 40
    # mode selection runs on it: 66 GBd grid, 87.5 GHz, GSNR 17 dB, margin 2 dB:
    # mode 2 needs 21 + 10log10(12.5/66) = 13.777 + 2 <= 17 -> 400G
    sel = select_modes(
        [17.0], spacing_ghz=87.5, margin_db=2, library=lib, reference_symbol_rate_gbaud=66
    )
    assert sel.rate_gbps[0] == 400
    # on a 75 GHz grid mode 2 occupies 66 x 1.15 = 75.9 GHz > 75 GHz: not selectable
    sel = select_modes(
        [17.0], spacing_ghz=75, margin_db=2, library=lib, reference_symbol_rate_gbaud=66
    )
    assert sel.rate_gbps[0] == 300
    with pytest.raises(OpticsError, match="no transceiver"):
        eqpt.transceiver_library(["nope"])


def test_spectrum_info(eqpt) -> None:  # type: ignore[no-untyped-def]
    si = eqpt.spectrum["default"]
    assert (si.symbol_rate_gbaud, si.spacing_ghz, si.sys_margins_db) == (32, 50, 2)
    assert si.f_min_thz == pytest.approx(191.35)


def test_reads_openroadm_v5_file_as_is() -> None:
    eq = read_gnpy_equipment(EQPT_ORV5)
    modes = eq.transceivers["OpenROADM MSA ver. 5.0"].modes
    assert len(modes) == 6
    # the file's typo is kept by the reader (our bundled library corrects it)
    m = next(m for m in modes if "31.57 Gbaud, DP-16QAM" in m.name)
    assert m.bit_rate_gbps == 100
    assert modes[0].roll_off is None
    pen = eq.transceivers["OpenROADM MSA ver. 5.0"].penalties[modes[0].name]
    assert ("chromatic_dispersion", 18e3, 0.5) in pen
    # openroadm_ila_standard NF at P50 = -20 dBm: OSNR = polyval(coef, -20) =
    # -5.952e-4·(-8000) - 0.0625·400 - 1.071·(-20) + 28.99
    #   = 4.7616 - 25 + 21.42 + 28.99 = 30.1716  ->  NF = -20 - 30.1716 + 58 = 7.8284 dB
    nf = eq.edfas["openroadm_ila_standard"].noise_figure_db([20.0], input_power_per_channel_dbm=-20)
    assert float(nf[0]) == pytest.approx(7.8284, abs=1e-4)


def test_extra_library_with_advanced_model_and_band() -> None:
    eq = read_gnpy_equipment(EQPT_EXTRA)
    assert set(eq.edfas) == {"user_defined", "user_high_detail_model_example"}
    assert eq.edfas["user_defined"].f_min_thz == pytest.approx(192.0)
    assert eq.fibres == {}
    assert eq.transceivers["ZR400G"].modes[0].symbol_rate_gbaud == pytest.approx(60.138546798)


def test_multi_band_is_skipped_with_reason(tmp_path: Path) -> None:
    data = _raw()
    data["Edfa"].append(
        {
            "type_variety": "mb",
            "type_def": "multi_band",
            "amplifiers": ["std_low_gain"],
            "allowed_for_design": False,
        }
    )
    eq = read_gnpy_equipment(_write(tmp_path, data))
    assert eq.skipped == ("$.Edfa[19] (mb): multi_band amplifiers are not mapped",)
    assert "mb" not in eq.edfas


def test_other_name_aliases(tmp_path: Path) -> None:
    data = _raw()
    assert data["Edfa"][10]["type_variety"] == "std_medium_gain"
    data["Edfa"][10]["other_name"] = ["alias_medium"]
    eq = read_gnpy_equipment(_write(tmp_path, data))
    np.testing.assert_allclose(
        eq.edfas["alias_medium"].noise_figure_db([20.0]),
        eq.edfas["std_medium_gain"].noise_figure_db([20.0]),
    )


@pytest.mark.slow
def test_noise_figure_against_live_gnpy() -> None:
    pytest.importorskip("gnpy")
    import functools
    import types

    from gnpy.core.elements import Edfa
    from gnpy.tools.json_io import load_equipment

    ref = load_equipment(EQPT)
    ours = read_gnpy_equipment(EQPT)
    gains = np.linspace(5.0, 40.0, 36)
    for name, params in ref["Edfa"].items():
        for g in gains:
            ns = types.SimpleNamespace(
                params=params,
                effective_gain=float(g),
                pin_db=-15.0,
                nch=1,
                slot_width=50e9,
                uid="x",
                interpol_nf_ripple=0.0,
            )
            ns._nf = functools.partial(Edfa._nf, ns)
            want = float(Edfa._calc_nf(ns, avg=True))
            got = float(ours.edfas[name].noise_figure_db([g], input_power_per_channel_dbm=-15.0)[0])
            assert got == pytest.approx(want, abs=1e-6) or (math.isinf(want) and got == want)


# --------------------------------------------------------------------------------------------
# Malformed libraries: one line naming the file and the JSON path


def test_misspelt_key_fixture() -> None:
    path = DATA / "gnpy_malformed_misspelt_nf_min.json"
    with pytest.raises(OpticsError) as exc:
        read_gnpy_equipment(path)
    assert str(exc.value) == f"{path}: $.Edfa[0].nf_mni: unknown key (did you mean `nf_min`?)"


def _set(path: list[Any], value: Any) -> Any:
    def mutate(d: dict[str, Any]) -> None:
        obj: Any = d
        for k in path[:-1]:
            obj = obj[k]
        obj[path[-1]] = value

    return mutate


def _pop(path: list[Any]) -> Any:
    def mutate(d: dict[str, Any]) -> None:
        obj: Any = d
        for k in path[:-1]:
            obj = obj[k]
        del obj[path[-1]]

    return mutate


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_set(["Amplifier"], []), r"\$\.Amplifier: unknown key"),
        (
            _set(["Fiber", 0, "dispersion_slop"], 0.07),
            r"\$\.Fiber\[0\]\.dispersion_slop: unknown key",
        ),
        (_pop(["Fiber", 1, "pmd_coef"]), r"\$\.Fiber\[1\]\.pmd_coef: required field is missing"),
        (_pop(["Fiber", 1, "effective_area"]), r"\$\.Fiber\[1\]: give effective_area or gamma"),
        (_set(["Fiber", 0, "dispersion"], "16.7"), r"\$\.Fiber\[0\]\.dispersion: Input should be"),
        (
            _pop(["Transceiver", 1, "mode", 2, "baud_rate"]),
            r"\$\.Transceiver\[1\]\.mode\[2\]\.baud_rate: required field is missing",
        ),
        (
            _set(["Transceiver", 0, "mode", 0, "OSNR"], None),
            r"\$\.Transceiver\[0\]\.mode\[0\]\.OSNR",
        ),
        (
            _set(["Transceiver", 0, "mode", 0, "bit_rate"], -1e9),
            r"\$\.Transceiver\[0\]\.mode\[0\]\.bit_rate_gbps",
        ),
        (_set(["Transceiver", 0, "mode", 1, "format"], "mode 1"), r"share a format name"),
        (
            _set(["Edfa", 11, "type_def"], "variable_gian"),
            r"\$\.Edfa\[11\]\.type_def: unknown type_def",
        ),
        (_pop(["Edfa", 11, "nf_max"]), r"\$\.Edfa\[11\]: variable_gain needs nf_min and nf_max"),
        (_pop(["Edfa", 11, "p_max"]), r"\$\.Edfa\[11\]\.p_max: required field is missing"),
        (
            _set(["Edfa", 11, "nf_max"], 6.1),
            r"\$\.Edfa\[11\]: nf_min 6.5 dB and nf_max 6.1 dB admit no two-coil",
        ),
        (_pop(["Edfa", 13, "nf0"]), r"\$\.Edfa\[13\]\.nf0: required for fixed_gain"),
        (_pop(["Edfa", 3, "nf_coef"]), r"\$\.Edfa\[3\]\.nf_coef: required for openroadm"),
        (
            _set(["Edfa", 17, "preamp_variety"], "nope"),
            r"\$\.Edfa\[17\]\.preamp_variety: no single-stage Edfa named 'nope'",
        ),
        (_set(["Edfa", 17, "gain_min"], 10), r"\$\.Edfa\[17\]\.gain_min: below its preamp"),
        (
            _set(["Edfa", 0, "advanced_config_from_json"], "missing.json"),
            r"\$\.Edfa\[0\]\.advanced_config_from_json: file 'missing.json' not found",
        ),
        (
            _set(["Edfa", 12, "type_variety"], "std_medium_gain"),
            r"\$\.Edfa\[12\]\.type_variety: duplicate 'std_medium_gain'",
        ),
        (
            _set(["Edfa", 11, "raman"], "yes"),
            r"\$\.Edfa\[11\]\.raman: Input should be a valid boolean",
        ),
        (_pop(["SI", 0, "sys_margins"]), r"\$\.SI\[0\]\.sys_margins: required field is missing"),
        (_set(["Span", 0, "max_lenght"], 150), r"\$\.Span\[0\]\.max_lenght: unknown key"),
        (_set(["Roadm", 0, "add_drop_onsr"], 38), r"\$\.Roadm\[0\]\.add_drop_onsr: unknown key"),
        (_set(["RamanFiber", 0, "dispersion"], 1.7e-5), r"differs from the Fiber entry"),
    ],
)
def test_malformed_library(tmp_path: Path, mutate: Any, expected: str) -> None:
    data = copy.deepcopy(_raw())
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(OpticsError, match=expected) as exc:
        read_gnpy_equipment(path)
    msg = str(exc.value)
    assert msg.startswith(f"{path}: ")
    assert "\n" not in msg


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(OpticsError, match="not found"):
        read_gnpy_equipment(tmp_path / "none.json")
    p = tmp_path / "syntax.json"
    p.write_text('{"Fiber": [}', encoding="utf-8")
    with pytest.raises(OpticsError, match="JSON syntax error at line 1"):
        read_gnpy_equipment(p)
    p.write_text('{"SI": [], "SI": []}', encoding="utf-8")
    with pytest.raises(OpticsError, match="duplicate key 'SI'"):
        read_gnpy_equipment(p)
    p.write_text("[]", encoding="utf-8")
    with pytest.raises(OpticsError, match="top level must be a JSON object"):
        read_gnpy_equipment(p)
    p.write_text('{"gnpy-eqpt-config:equipment": {}}', encoding="utf-8")
    with pytest.raises(OpticsError, match="YANG-formatted"):
        read_gnpy_equipment(p)


def test_malformed_advanced_config(tmp_path: Path) -> None:
    path = _write(tmp_path, _raw())
    cfg = json.loads((DATA / "std_medium_gain_advanced_config.json").read_text(encoding="utf-8"))
    cfg["nf_fit_coef"] = cfg.pop("nf_fit_coeff")
    (tmp_path / "std_medium_gain_advanced_config.json").write_text(
        json.dumps(cfg), encoding="utf-8"
    )
    with pytest.raises(OpticsError) as exc:
        read_gnpy_equipment(path)
    assert exc.value.message.endswith("std_medium_gain_advanced_config.json: 2 problems")
    assert exc.value.problems == (
        "$.nf_fit_coeff: required field is missing",
        "$.nf_fit_coef: unknown key (did you mean `nf_fit_coeff`?)",
    )


def test_to_edfa_uses_gnpy_nf_at_the_gain(eqpt) -> None:  # type: ignore[no-untyped-def]
    amp = eqpt.edfas["std_medium_gain"].to_edfa(20.0)
    assert amp.noise_figure_db == pytest.approx(6.578747, abs=1e-5)  # GNPY_NF_DB at 20 dB
    assert amp.max_output_power_dbm == 23
    assert (amp.band.low_thz, amp.band.high_thz) == pytest.approx((191.275, 196.125))
    with pytest.raises(OpticsError, match="outside the 3-15 dB"):
        eqpt.edfas["hybrid_4pumps_mediumgain"].to_edfa(26.0)  # NF 2.01 dB (Raman preamp)
