"""``optics.modem_year``: the line cards generally available in a year, from a scenario."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from transcaspian.errors import OpticsError
from transcaspian.optics.config import OpticsConfig
from transcaspian.optics.design import check_channel_plan, compare_designs
from transcaspian.optics.transceivers import generation_library

BASE = {"design_space": {"include_unrepeatered": []}, "target_system_capacity_tbps": None}


@pytest.mark.parametrize("year", [2014, 2018])
def test_the_year_designs_with_that_years_generation(year: int) -> None:
    by_year = compare_designs(OpticsConfig.model_validate({**BASE, "modem_year": year}),
                              cable_length_km=1200.0, fibre_pairs=8)
    given = compare_designs(OpticsConfig.model_validate(BASE), cable_length_km=1200.0,
                            fibre_pairs=8, library=generation_library(year))
    assert [d.capacity_tbps_per_fibre_pair for d in by_year.designs] == [
        d.capacity_tbps_per_fibre_pair for d in given.designs]
    name = generation_library(year).name
    assert all(name in d.capacity_model for d in by_year.designs)


def test_a_year_and_a_library_together_are_refused() -> None:
    with pytest.raises(ValidationError, match="modem_year"):
        OpticsConfig.model_validate({"modem_year": 2016, "transceivers": "submarine"})


def test_a_year_before_every_generation_names_the_key() -> None:
    cfg = OpticsConfig.model_validate({**BASE, "modem_year": 2000})
    with pytest.raises(OpticsError, match="optics.modem_year"):
        compare_designs(cfg, cable_length_km=1200.0, fibre_pairs=8)


def test_the_uncited_flag_reads_the_scenarios_own_library() -> None:
    """The ``estimated_inputs`` flag names the modes of the library the designs came from: the
    2012 generation's thresholds are assumptions (``cited: false``), so a design that uses them
    is flagged when the scenario asks for that year (before, only the default library was read)."""
    from types import SimpleNamespace

    from transcaspian.flags import uncited_modes_used
    from transcaspian.scenario import default_scenario

    base = default_scenario()
    scen = base.model_copy(update={"optics": base.optics.model_copy(update={"modem_year": 2014})})
    rec: Any = SimpleNamespace(modes=("wl3class_200g_dp_16qam", None, "wl3class_100g_dp_qpsk"))
    assert uncited_modes_used(rec, scen) == {"wl3class_200g_dp_16qam", "wl3class_100g_dp_qpsk"}
    assert uncited_modes_used(rec, base) == set()


def test_the_user_guide_example_is_a_valid_optics_block() -> None:
    """The "Modelling a published system" example of the optics guide validates as written and
    designs a 6,600 km cable with the 2017 generation's 100G waves on 50 GHz slots."""
    import re
    from pathlib import Path

    import yaml

    from transcaspian.optics.knee import capacity_knee

    page = Path(__file__).resolve().parents[2] / "docs" / "user_guide" / "optics.rst"
    block = re.search(r"\.\. code-block:: yaml\n\n((?:   .*\n|\n)+)", page.read_text("utf-8"))
    assert block is not None
    cfg = OpticsConfig.model_validate(yaml.safe_load(block.group(1))["optics"])
    res = compare_designs(cfg, cable_length_km=cfg.cable_length_km or 0.0, fibre_pairs=12)
    knee = capacity_knee(res.designs)
    assert knee is not None and knee.repeaters > 0
    assert set(knee.rate_gbps.tolist()) == {100.0}
    assert knee.capacity_tbps_per_fibre_pair == pytest.approx(0.1 * knee.rate_gbps.size)


def test_a_plan_no_mode_fits_is_refused_naming_the_field() -> None:
    """37.5 GHz slots with the 2016 generation (100G and 200G specified for 50 GHz): every
    channel would carry 0 Gb/s on any line, so the plan is refused with the field and the
    narrowest slot the modems fit, instead of a table of designs that do not close."""
    cfg = OpticsConfig.model_validate({
        "modem_year": 2016, "spectrum": {"first_channel_thz": 191.35, "last_channel_thz": 196.075,
                                         "spacing_ghz": 37.5, "symbol_rate_gbaud": 32.0,
                                         "roll_off": 0.1, "launch_power_dbm_per_channel": 0.0}})
    with pytest.raises(OpticsError, match=r"optics\.spectrum\.spacing_ghz: .*37\.5 GHz.*50 GHz"):
        check_channel_plan(cfg)
    check_channel_plan(cfg.model_copy(update={"modem_year": 2021}))  # shaped modems fit it
    assert compare_designs(cfg, cable_length_km=1200.0, fibre_pairs=8).designs  # a GSNR study



def test_scenario_check_refuses_the_plan_too() -> None:
    """``transcaspian scenario check`` runs the same check, before any computation."""
    from transcaspian.plan import check_inputs
    from transcaspian.scenario import default_scenario

    base = default_scenario()
    narrow = base.optics.model_copy(update={"modem_year": 2016, "spectrum": base.optics.spectrum
                                            .model_copy(update={"spacing_ghz": 37.5,
                                                                "first_channel_thz": 191.35,
                                                                "last_channel_thz": 196.075,
                                                                "symbol_rate_gbaud": 32.0})})
    with pytest.raises(OpticsError, match=r"optics\.spectrum\.spacing_ghz"):
        check_inputs(base.model_copy(update={"optics": narrow}))
    check_inputs(base)
