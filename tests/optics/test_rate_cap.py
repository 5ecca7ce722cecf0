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
