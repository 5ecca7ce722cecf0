"""Transceiver library, mode selection, capacity and the Shannon bound.

References for the numbers below are hand calculations (shown in comments) or the sources named
next to them; none is the code's own output.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from transcaspian.errors import DataError, OpticsError
from transcaspian.optics.transceivers import (
    TransceiverLibrary,
    TransceiverMode,
    capacity_tbps,
    load_transceiver_library,
    osnr_to_snr_db,
    select_modes,
    shannon_capacity_tbps,
    transceiver_library_from_dict,
)

LIB = load_transceiver_library()


def _mode(name: str, rate: float, rs: float, snr: float, spacing: float) -> TransceiverMode:
    return TransceiverMode(
        name=name,
        bit_rate_gbps=rate,
        symbol_rate_gbaud=rs,
        min_spacing_ghz=spacing,
        required_snr_db=snr,
        source="test",
        cited=True,
    )


# A: 100G/32 GBd needs 8 dB; B: 200G/32 GBd needs 14 dB; C: 400G/64 GBd needs 16 dB (75 GHz)
TOY = TransceiverLibrary(
    name="toy",
    modes=(
        _mode("A", 100, 32, 8.0, 50),
        _mode("B", 200, 32, 14.0, 50),
        _mode("C", 400, 64, 16.0, 75),
    ),
)


# --------------------------------------------------------------------------------------------
# Library content


def test_bundled_library_loads_with_sources() -> None:
    assert len(LIB.modes) == 22
    assert all(m.source.strip() for m in LIB.modes)
    assert set(LIB.families) == {
        "OpenROADM MSA 5.0",
        "GNPy example",
        "OpenZR+ MSA",
        "OIF 400ZR",
        "High-performance modem class (tutorial)",
    }


@pytest.mark.parametrize(
    ("name", "rate", "baud", "osnr", "spacing"),
    [
        # GNPy 3.0.1 example-data/eqpt_config_openroadm_ver5.json (OpenROADM MSA 5.0)
        ("openroadm_v5_100g_27p95gbd_dp_qpsk", 100, 27.95, 17.0, 50),
        ("openroadm_v5_100g_31p57gbd_dp_qpsk", 100, 31.57, 12.0, 50),
        ("openroadm_v5_200g_31p57gbd_dp_16qam", 200, 31.57, 20.5, 50),  # file says 100e9: typo
        ("openroadm_v5_200g_63p1gbd_dp_qpsk", 200, 63.1, 17.0, 87.5),
        ("openroadm_v5_300g_63p1gbd_dp_8qam", 300, 63.1, 21.0, 87.5),
        ("openroadm_v5_400g_63p1gbd_dp_16qam", 400, 63.1, 24.0, 87.5),
        # GNPy 3.0.1 example-data/eqpt_config.json, Voyager mode 2
        ("gnpy_voyager_mode2_400g", 400, 66, 21.0, 75),
        # GNPy 3.0.1 example-data/extra_eqpt_config.json, ZR400G "SFF-ID:70" (OpenZR+ 400G)
        ("openzrplus_400g_60p14gbd_dp_16qam", 400, 60.138546798, 24.0, 75),
    ],
)
def test_library_values_match_their_source(
    name: str, rate: float, baud: float, osnr: float, spacing: float
) -> None:
    m = LIB.mode(name)
    assert (m.bit_rate_gbps, m.symbol_rate_gbaud, m.min_spacing_ghz) == (rate, baud, spacing)
    assert m.required_osnr_0p1nm_db == osnr
    assert m.cited


def test_assumed_modes_are_marked_uncited() -> None:
    uncited = {m.name for m in LIB.modes if not m.cited}
    assert uncited == {
        "oif_400zr_dp_16qam",
        "openzrplus_300g_60p14gbd_dp_8qam",
        "openzrplus_200g_60p14gbd_dp_qpsk",
        "openzrplus_100g_30p07gbd_dp_qpsk",
        "hp_class_400g",
        "hp_class_600g",
        "hp_class_800g",
        "hp_class_1000g",
        "hp_class_1200g",
    }
    assert LIB.subset(cited_only=True).names == tuple(n for n in LIB.names if n not in uncited)


def test_illustrative_modes_are_gnpy_examples_and_tutorial_classes() -> None:
    ill = {m.name for m in LIB.modes if m.illustrative}
    assert ill == {m.name for m in LIB.modes
                   if m.family in ("GNPy example", "High-performance modem class (tutorial)")}


@pytest.mark.parametrize(
    ("name", "occupied_ghz"),
    [
        ("gnpy_voyager_mode2_400g", 75.9),  # 66 GBd x 1.15
        ("gnpy_vendorA_type1_mode2_200g", 75.9),
        ("openzrplus_400g_60p14gbd_dp_16qam", 72.166),  # 60.1385 GBd x 1.2
        ("oif_400zr_dp_16qam", 59.844),  # roll-off unpublished: the Nyquist width R_s
    ],
)
def test_occupied_bandwidth(name: str, occupied_ghz: float) -> None:
    assert LIB.mode(name).occupied_bandwidth_ghz == pytest.approx(occupied_ghz, abs=1e-3)


def test_mode_wider_than_its_slot_is_not_selectable() -> None:
    """GNPy's 66 GBd / roll-off 0.15 example modes occupy 75.9 GHz: not on a 75 GHz grid,
    whatever the GSNR (the file's 75 GHz min_spacing notwithstanding); on 87.5 GHz they are."""
    lib = LIB.subset(families=["GNPy example"])
    m2 = lib.mode("gnpy_voyager_mode2_400g")
    assert m2.min_spacing_ghz == 75.0 and not m2.fits_slot(75.0) and m2.fits_slot(87.5)
    on75 = select_modes([40.0], spacing_ghz=75.0, margin_db=0.0, library=lib,
                        reference_symbol_rate_gbaud=66.0)
    assert on75.rate_gbps[0] == 300.0  # Voyager mode 3 (44 GBd, 50.6 GHz) is the best that fits
    assert lib.mode_names_fitting(75.0) == (
        "gnpy_vendorA_type1_mode1_100g", "gnpy_voyager_mode1_100g", "gnpy_voyager_mode3_300g")
    on87 = select_modes([40.0], spacing_ghz=87.5, margin_db=0.0, library=lib,
                        reference_symbol_rate_gbaud=66.0)
    assert on87.rate_gbps[0] == 400.0


def test_no_library_mode_beats_shannon_at_its_threshold() -> None:
    # A data check: net rate <= 2 Rs log2(1 + SNR_req). A violation is a data error.
    for m in LIB.modes:
        assert m.bit_rate_gbps <= m.shannon_rate_at_threshold_gbps, m.name


def test_osnr_to_snr_hand_calculation() -> None:
    # 24 dB OSNR at 63.1 GBd: 24 + 10 log10(12.5/63.1) = 24 - 7.0312 = 16.9688 dB
    assert float(osnr_to_snr_db(24.0, 63.1)) == pytest.approx(16.9688, abs=1e-4)
    # 12.5 GBd: SNR = OSNR
    assert float(osnr_to_snr_db(15.0, 12.5)) == pytest.approx(15.0, abs=1e-12)
    m = LIB.mode("openroadm_v5_400g_63p1gbd_dp_16qam")
    assert m.snr_threshold_db == pytest.approx(16.9688, abs=1e-4)


# --------------------------------------------------------------------------------------------
# Mode selection: hand-computed cases


@pytest.mark.parametrize(
    ("gsnr", "spacing", "rate", "mode", "margin_left"),
    [
        (15.0, 50, 200, 1, 0.0),  # B: 15 - 14 - 1 = 0 -> just met
        (14.99, 50, 100, 0, 5.99),  # B misses by 0.01 -> A: 14.99 - 8 - 1
        (9.0, 50, 100, 0, 0.0),  # A just met
        (8.99, 50, 0, -1, -0.01),  # nothing: shortfall to A
        # C at 64 GBd sees GSNR_ref - 10 log10(64/32) = gsnr - 3.0103
        (20.02, 75, 400, 2, 20.02 - 3.0103 - 16 - 1),
        (20.0, 75, 200, 1, 5.0),  # C misses by 0.0103 -> B
    ],
)
def test_select_modes_hand_cases(
    gsnr: float, spacing: float, rate: float, mode: int, margin_left: float
) -> None:
    sel = select_modes(
        [gsnr], spacing_ghz=spacing, margin_db=1.0, library=TOY, reference_symbol_rate_gbaud=32
    )
    assert sel.rate_gbps[0] == rate
    assert sel.mode_index[0] == mode
    assert sel.margin_db[0] == pytest.approx(margin_left, abs=1e-4)


def test_no_mode_fits_the_spacing() -> None:
    sel = select_modes(
        [30.0, 5.0], spacing_ghz=37.5, margin_db=0.0, library=TOY, reference_symbol_rate_gbaud=32
    )
    assert sel.rate_gbps.tolist() == [0.0, 0.0]
    assert sel.mode_index.tolist() == [-1, -1]
    assert np.isnan(sel.margin_db).all()
    assert json.loads(json.dumps(sel.to_dict()))["margin_db"] == [None, None]


def test_tie_on_rate_goes_to_larger_margin() -> None:
    lib = TransceiverLibrary(
        name="tie",
        modes=(_mode("narrow", 200, 32, 14.0, 50), _mode("wide", 200, 64, 8.0, 75)),
    )
    # at 25 dB (32 GBd): narrow left 11; wide sees 21.99, left 13.99 -> wide
    sel = select_modes(
        [25.0], spacing_ghz=75, margin_db=0, library=lib, reference_symbol_rate_gbaud=32
    )
    assert sel.mode_index[0] == 1
    assert sel.margin_db[0] == pytest.approx(25 - 3.0103 - 8, abs=1e-4)


def test_openroadm_example_on_87p5_ghz_grid() -> None:
    # Hand check at R_ref = 63.1 GBd, margin 2 dB, OpenROADM v5 modes only:
    # 18 dB: 400G needs 16.97 + 2 > 18; 300G needs 13.97 + 2 <= 18 -> 300G, left 2.031
    # 10 dB: 200G/63.1 needs 11.97 -> no; 100G/31.57 sees 10 + 10log10(63.1/31.57) = 13.007 and
    #        needs 7.976 + 2 -> 100G, left 3.031
    lib = LIB.subset(families=["OpenROADM MSA 5.0"])
    sel = select_modes(
        [18.0, 10.0], spacing_ghz=87.5, margin_db=2.0, library=lib, reference_symbol_rate_gbaud=63.1
    )
    assert sel.rate_gbps.tolist() == [300.0, 100.0]
    assert sel.margin_db.tolist() == pytest.approx([2.0312, 3.0310], abs=2e-3)
    assert lib.names[sel.mode_index[0]] == "openroadm_v5_300g_63p1gbd_dp_8qam"


def test_vectorised_shapes_match_per_channel_calls() -> None:
    rng = np.random.default_rng(7)
    gsnr = rng.uniform(5.0, 25.0, size=(3, 4, 96))
    margin = np.array([0.0, 1.0, 2.0])[:, None, None]  # per design on the leading axis
    sel = select_modes(
        gsnr, spacing_ghz=75.0, margin_db=margin, library=TOY, reference_symbol_rate_gbaud=32
    )
    assert sel.rate_gbps.shape == sel.mode_index.shape == sel.margin_db.shape == (3, 4, 96)
    assert sel.capacity_tbps.shape == (3, 4)
    for idx in [(0, 0, 0), (1, 2, 50), (2, 3, 95)]:
        one = select_modes(
            [gsnr[idx]],
            spacing_ghz=75.0,
            margin_db=float(margin[idx[0], 0, 0]),
            library=TOY,
            reference_symbol_rate_gbaud=32,
        )
        assert one.rate_gbps[0] == sel.rate_gbps[idx]
        assert one.mode_index[0] == sel.mode_index[idx]
    cap = capacity_tbps(
        gsnr, spacing_ghz=75.0, margin_db=margin, library=TOY, reference_symbol_rate_gbaud=32
    )
    np.testing.assert_allclose(cap, sel.rate_gbps.sum(axis=-1) / 1e3)
    assert shannon_capacity_tbps(gsnr, 32.0).shape == (3, 4)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"gsnr_db": 10.0}, "channel axis"),
        ({"gsnr_db": [np.nan]}, "NaN"),
        ({"gsnr_db": [10.0, 11.0], "spacing_ghz": [50.0, 50.0, 50.0]}, "broadcast"),
        ({"gsnr_db": [10.0], "spacing_ghz": -50.0}, "spacing_ghz"),
        ({"gsnr_db": [10.0], "reference_symbol_rate_gbaud": 0.0}, "symbol_rate"),
        ({"gsnr_db": [10.0], "margin_db": np.inf}, "margin_db"),
    ],
)
def test_select_modes_bad_input(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {
        "spacing_ghz": 50.0,
        "margin_db": 0.0,
        "library": TOY,
        "reference_symbol_rate_gbaud": 32.0,
    }
    args.update(kwargs)
    gsnr = args.pop("gsnr_db")
    with pytest.raises(OpticsError, match=match):
        select_modes(gsnr, **args)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Shannon


def test_shannon_hand_calculation() -> None:
    # 2 channels at 10 dB, 64 GBd: 2 * 2 * 64 * log2(11) = 885.614 Gb/s
    assert float(shannon_capacity_tbps([10.0, 10.0], 64.0)) == pytest.approx(
        4 * 64 * math.log2(11) / 1e3, rel=1e-12
    )
    assert float(shannon_capacity_tbps([10.0, 10.0], 64.0)) == pytest.approx(0.885614, abs=1e-6)


@pytest.mark.parametrize(("snr_db", "published_tbps"), [(6.5, 23.5), (10.0, 33.0), (13.0, 42.0)])
def test_shannon_against_reference_note_cross_check(snr_db: float, published_tbps: float) -> None:
    # Project reference note submarine.md §4.2, "Shannon cross-check per fibre pair over
    # 4.8 THz": 6.5 dB -> 23.5, 10 dB -> 33, 13 dB -> 42 Tb/s (printed to 0.5 Tb/s).
    # 4.8 THz as 75 channels of 64 GBd.
    assert float(shannon_capacity_tbps(np.full(75, snr_db), 64.0)) == pytest.approx(
        published_tbps, abs=0.5
    )


def test_shannon_bad_input() -> None:
    with pytest.raises(OpticsError):
        shannon_capacity_tbps(10.0, 32.0)
    with pytest.raises(OpticsError):
        shannon_capacity_tbps([10.0], -1.0)


# --------------------------------------------------------------------------------------------
# Properties

gsnr_arrays = hnp.arrays(
    np.float64, st.integers(1, 24), elements=st.floats(-5.0, 40.0, allow_nan=False)
)


@settings(max_examples=150, deadline=None)
@given(
    gsnr=gsnr_arrays,
    delta=st.floats(0.0, 10.0),
    spacing=st.sampled_from([37.5, 50.0, 62.5, 75.0, 87.5, 112.5, 150.0]),
    margin=st.floats(0.0, 6.0),
    ref=st.sampled_from([27.95, 32.0, 63.1, 100.0]),
)
def test_capacity_monotone_and_below_shannon(
    gsnr: np.ndarray, delta: float, spacing: float, margin: float, ref: float
) -> None:
    kw = {
        "spacing_ghz": spacing,
        "margin_db": margin,
        "library": LIB,
        "reference_symbol_rate_gbaud": ref,
    }
    lo = select_modes(gsnr, **kw)  # type: ignore[arg-type]
    hi = select_modes(gsnr + delta, **kw)  # type: ignore[arg-type]
    assert (hi.rate_gbps >= lo.rate_gbps).all()
    assert hi.capacity_tbps >= lo.capacity_tbps
    # every served channel: rate <= 2 R_m log2(1 + GSNR_m), GSNR_m rescaled to the mode's R_s
    served = lo.mode_index >= 0
    rs_mode = np.array([m.symbol_rate_gbaud for m in LIB.modes])[lo.mode_index[served]]
    gsnr_mode_lin = 10 ** (gsnr[served] / 10) * ref / rs_mode
    assert (lo.rate_gbps[served] <= 2 * rs_mode * np.log2(1 + gsnr_mode_lin) + 1e-9).all()
    assert (lo.margin_db[served] >= 0).all()
    assert (lo.rate_gbps[~served] == 0).all()


# --------------------------------------------------------------------------------------------
# Loader bad input


def _good() -> dict[str, object]:
    return {
        "name": "x",
        "modes": [
            {
                "name": "m",
                "bit_rate_gbps": 100,
                "symbol_rate_gbaud": 32,
                "min_spacing_ghz": 50,
                "required_osnr_0p1nm_db": 12,
                "source": "s",
                "cited": True,
            }
        ],
    }


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda d: d["modes"][0].update(bit_rate_gbps=-1), r"modes\.0\.bit_rate_gbps"),
        (
            lambda d: d["modes"][0].update(requird_snr_db=3),
            r"modes\.0\.requird_snr_db: unknown key",
        ),
        (lambda d: d["modes"][0].pop("required_osnr_0p1nm_db"), "give required_osnr"),
        (lambda d: d["modes"][0].update(required_snr_db=12.0), "disagrees"),
        (lambda d: d["modes"][0].pop("source"), r"modes\.0\.source: required field is missing"),
        (lambda d: d["modes"].append(dict(d["modes"][0])), "duplicate mode name"),
        (lambda d: d.update(modes=[]), "modes"),
    ],
)
def test_library_bad_input(mutate, match: str) -> None:  # type: ignore[no-untyped-def]
    d = _good()
    mutate(d)
    with pytest.raises(DataError, match=match) as exc:
        transceiver_library_from_dict(d, source="lib.yaml")
    assert str(exc.value).startswith("lib.yaml: ")
    assert "\n" not in str(exc.value)


def test_library_consistent_snr_and_osnr_accepted() -> None:
    d = _good()
    d["modes"][0]["required_snr_db"] = 12 + 10 * math.log10(12.5 / 32)  # type: ignore[index]
    assert transceiver_library_from_dict(d).modes[0].snr_threshold_db == pytest.approx(
        7.9176, abs=1e-4
    )


def test_library_file_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match="not found"):
        load_transceiver_library(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match="YAML syntax error"):
        load_transceiver_library(bad)
    top = tmp_path / "top.yaml"
    top.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(DataError, match="top level"):
        load_transceiver_library(top)


def test_unknown_mode_and_empty_subset() -> None:
    with pytest.raises(OpticsError, match="no mode named"):
        LIB.mode("nope")
    with pytest.raises(OpticsError, match="empty"):
        LIB.subset(families=["nope"])


# --------------------------------------------------------------------------------------------
# The sorted/binary-search implementation against a plain per-mode loop


def _select_loop(gsnr, spacing, margin, lib, r_ref):  # type: ignore[no-untyped-def]
    """Straightforward reference: evaluate every mode on every channel, keep the best."""
    gsnr, spacing, margin, r_ref = np.broadcast_arrays(gsnr, spacing, margin, r_ref)
    best_rate = np.zeros(gsnr.shape)
    best_index = np.full(gsnr.shape, -1)
    best_left = np.full(gsnr.shape, -np.inf)
    for k, m in enumerate(lib.modes):
        # a mode fits when its minimum spacing and its raised-cosine width R_s (1 + beta) do
        occupied = m.symbol_rate_gbaud * (1.0 + (m.roll_off if m.roll_off is not None else 0.0))
        fits = (m.min_spacing_ghz <= spacing + 1e-6) & (occupied <= spacing + 1e-6)
        left = gsnr + 10 * np.log10(r_ref / m.symbol_rate_gbaud) - m.snr_threshold_db - margin
        better = (fits & (left >= -1e-9)) & (
            (m.bit_rate_gbps > best_rate) | ((m.bit_rate_gbps == best_rate) & (left > best_left))
        )
        best_rate = np.where(better, m.bit_rate_gbps, best_rate)
        best_index = np.where(better, k, best_index)
        best_left = np.where(better, left, best_left)
    return best_rate, best_index, best_left


@settings(max_examples=100, deadline=None)
@given(
    gsnr=hnp.arrays(np.float64, (3, 7), elements=st.floats(-5.0, 40.0, allow_nan=False)),
    spacing=hnp.arrays(np.float64, (7,), elements=st.sampled_from([37.5, 50.0, 75.0, 87.5, 112.5])),
    margin=st.floats(0.0, 5.0),
    ref=st.sampled_from([31.57, 32.0, 63.1, 66.0]),
)
def test_fast_selection_equals_plain_loop(
    gsnr: np.ndarray, spacing: np.ndarray, margin: float, ref: float
) -> None:
    sel = select_modes(
        gsnr, spacing_ghz=spacing, margin_db=margin, library=LIB, reference_symbol_rate_gbaud=ref
    )
    rate, index, left = _select_loop(gsnr, spacing, margin, LIB, ref)
    np.testing.assert_array_equal(sel.rate_gbps, rate)
    np.testing.assert_array_equal(sel.mode_index, index)
    served = index >= 0
    np.testing.assert_allclose(sel.margin_db[served], left[served], atol=1e-9)


def test_library_yaml_round_trip() -> None:
    import yaml

    text = yaml.safe_dump(LIB.model_dump(), sort_keys=False, allow_unicode=True)
    assert transceiver_library_from_dict(yaml.safe_load(text)) == LIB
