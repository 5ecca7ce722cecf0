"""``optics.max_rate_gbps``: waves provisioned at most at a line rate (a design stated as
"N x 200G", or the transponders an operator buys)."""

from __future__ import annotations

import numpy as np
import pytest

from transcaspian.errors import OpticsError
from transcaspian.optics.config import OpticsConfig
from transcaspian.optics.design import compare_designs
from transcaspian.optics.transceivers import load_transceiver_library


@pytest.mark.parametrize("name", ["default", "submarine"])
def test_a_capped_library_offers_nothing_above_the_cap(name: str) -> None:
    lib = load_transceiver_library(name).capped_at(200.0)
    assert all(m.bit_rate_gbps <= 200.0 for m in lib.modes)
    assert all(m.max_net_rate_gbps == 200.0 for m in lib.modems)
    expanded = lib.for_slot(75.0)
    assert expanded.modes and max(m.bit_rate_gbps for m in expanded.modes) <= 200.0


def test_a_cap_below_every_mode_is_refused_naming_the_key() -> None:
    with pytest.raises(OpticsError, match="optics.max_rate_gbps"):
        load_transceiver_library("default").capped_at(1.0)


def test_capped_designs_never_carry_more_and_run_at_most_the_cap() -> None:
    base = {"transceivers": "submarine", "design_space": {"include_unrepeatered": []}}
    free = compare_designs(OpticsConfig.model_validate(base), cable_length_km=372.0,
                           fibre_pairs=8)
    capped = compare_designs(OpticsConfig.model_validate({**base, "max_rate_gbps": 200.0}),
                             cable_length_km=372.0, fibre_pairs=8)
    for f, c in zip(free.designs, capped.designs, strict=True):
        assert np.all(c.rate_gbps <= 200.0)
        assert c.capacity_tbps_per_fibre_pair <= f.capacity_tbps_per_fibre_pair + 1e-9
        # a line that closes 200G on every channel carries exactly channels x 200G
        if f.closes and np.all(f.rate_gbps >= 200.0):
            assert c.capacity_tbps_per_fibre_pair == pytest.approx(0.2 * c.rate_gbps.size)


def test_a_modem_with_a_lowest_symbol_rate_fits_no_narrower_slot() -> None:
    """WaveLogic Ai runs at 35 GBd at the lowest (Gazettabyte 2016): with β = 0.1 it occupies
    38.5 GHz, so a 37.5 GHz slot holds none of its rates and a 50 GHz slot holds them all."""
    lib = load_transceiver_library("submarine_2016")
    (modem,) = lib.modems
    assert modem.min_symbol_rate_gbaud == 35.0
    assert modem.narrowest_slot_ghz == pytest.approx(35.0 * (1.0 + modem.roll_off))
    assert modem.modes_for_slot(37.5) == ()
    wide = modem.modes_for_slot(50.0)
    assert wide and all(m.occupied_bandwidth_ghz <= 50.0 + 1e-9 for m in wide)
    assert lib.narrowest_slot_ghz == pytest.approx(38.5)
    assert lib.narrowest_grid_slot_ghz() == 50.0  # the 12.5 GHz grid's next slot
    # a modem stating no lowest symbol rate follows any slot: no bound for the library
    assert load_transceiver_library("submarine").narrowest_slot_ghz is None
    # fixed-format modes: their published channel
    assert load_transceiver_library("submarine_2012").narrowest_slot_ghz == 50.0


def test_a_lowest_symbol_rate_above_the_highest_is_refused() -> None:
    (modem,) = load_transceiver_library("submarine_2016").modems
    with pytest.raises(ValueError, match="min_symbol_rate_gbaud"):
        type(modem).model_validate({**modem.model_dump(), "min_symbol_rate_gbaud": 60.0})


def test_capped_waves_on_wider_slots_get_a_note() -> None:
    from transcaspian.optics.design import denser_plan_note as capped_plan_note

    cfg = OpticsConfig.model_validate({"modem_year": 2017, "max_rate_gbps": 100.0})
    note = capped_plan_note(cfg)  # default plan: 75 GHz slots; WaveLogic Ai needs 38.5 -> 50
    assert note is not None and "50 GHz" in note and "75 GHz" in note
    plan50 = {**cfg.spectrum.model_dump(), "spacing_ghz": 50.0, "symbol_rate_gbaud": 43.0,
              "last_channel_thz": cfg.spectrum.first_channel_thz + 4.7}
    narrow = cfg.model_copy(update={"spectrum": type(cfg.spectrum)(**plan50)})
    assert capped_plan_note(narrow) is None
    assert capped_plan_note(OpticsConfig.model_validate({"modem_year": 2017})) is None
    # modems stating no lowest symbol rate follow any slot: nothing to say
    assert capped_plan_note(OpticsConfig.model_validate(
        {"transceivers": "submarine", "max_rate_gbps": 400.0})) is None


def test_fixed_format_modes_on_wider_slots_get_a_note() -> None:
    """The 2012 generation's 100G/200G fit 50 GHz: on the default 75 GHz plan each slot carries
    one of them in two thirds of its width. The default library (whose 400G modes need 75 GHz
    and more) on the same plan, and the 2012 generation on its own 50 GHz grid, get none."""
    from transcaspian.optics.design import denser_plan_note

    cfg = OpticsConfig.model_validate({"modem_year": 2016})
    note = denser_plan_note(cfg)
    assert note is not None and "50 GHz" in note and "75 GHz" in note
    assert denser_plan_note(OpticsConfig()) is None
    plan50 = {**cfg.spectrum.model_dump(), "spacing_ghz": 50.0, "symbol_rate_gbaud": 31.57,
              "last_channel_thz": cfg.spectrum.first_channel_thz + 4.7}
    assert denser_plan_note(cfg.model_copy(update={"spectrum": type(cfg.spectrum)(**plan50)})) \
        is None
