"""Capacity allocation (whole pairs or spectrum slices), side weights, member offers."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from transcaspian.economics.consortium import allocate_capacity, side_weights
from transcaspian.economics.revenue import product_arrays
from transcaspian.scenario import Member, default_scenario_text, scenario_from_dict


def _members(*shares: float, countries: tuple[str, ...] = ()) -> tuple[Member, ...]:
    cs = countries or ("AZ",) * len(shares)
    return tuple(Member(name=f"M{i}", country=c, share=s)
                 for i, (s, c) in enumerate(zip(shares, cs, strict=True)))


def test_whole_pairs_when_shares_divide() -> None:
    alloc = allocate_capacity(_members(0.5, 0.25, 0.25), 32, 64, 12.8)
    assert [a.whole_fibre_pairs for a in alloc] == [16, 8, 8]
    assert [a.shared_pair_channels for a in alloc] == [0, 0, 0]
    assert [a.capacity_tbps for a in alloc] == pytest.approx([204.8, 102.4, 102.4])


def test_spectrum_slices_when_pairs_do_not_divide() -> None:
    third = 1 / 3
    alloc = allocate_capacity(_members(third, third, 1 - 2 * third), 32, 64, 12.8)
    # 10 whole pairs each; the 2 remaining pairs (128 channels) split 43 / 43 / 42
    assert [a.whole_fibre_pairs for a in alloc] == [10, 10, 10]
    assert sum(a.shared_pair_channels for a in alloc) == 128
    assert sorted(a.shared_pair_channels for a in alloc) == [42, 43, 43]
    assert sum(a.capacity_tbps for a in alloc) == pytest.approx(32 * 12.8)


def test_side_weights_by_country() -> None:
    data = yaml.safe_load(default_scenario_text())
    data["consortium"]["members"] = [
        {"name": "AzerTelecom", "country": "AZ", "share": 0.5},
        {"name": "Transtelecom", "country": "KZ", "share": 0.3},
        {"name": "KazTransCom", "country": "KZ", "share": 0.2},
    ]
    w = side_weights(scenario_from_dict(data))
    np.testing.assert_allclose(w[:, 0], [1.0, 0.0, 0.0])  # Sumgayit: Azerbaijan's
    np.testing.assert_allclose(w[:, 1], [0.0, 0.6, 0.4])  # Aktau: the Kazakh pro rata
    data["consortium"]["members"] = [{"name": "X", "country": "TR", "share": 1.0}]
    np.testing.assert_allclose(side_weights(scenario_from_dict(data)), [[1.0, 1.0]])


def test_a_member_with_its_own_price_and_mix() -> None:
    data = yaml.safe_load(default_scenario_text())
    data["economics"]["member_offers"] = {
        "Kazakhtelecom": {"price_factor": {"international_transit": 1.2},
                          "mix": {"wavelength_iru": {"baku_transit": 1.0}}}
    }
    s = scenario_from_dict(data)
    pa = product_arrays(s.economics, s.consortium.members)
    j = pa.names.index("international_transit")
    k = pa.names.index("wavelength_iru")
    assert pa.lease_price_month[1, j] == pytest.approx(1.2 * pa.lease_price_month[0, j])
    assert pa.mix_transit[1, k] == 1.0 and pa.mix_transit[1].sum() == 1.0
    assert pa.mix_transit[0].sum() == pytest.approx(1.0)  # AzerTelecom keeps the project's


def test_offer_mix_over_one_is_refused() -> None:
    data = yaml.safe_load(default_scenario_text())
    data["economics"]["member_offers"] = {
        "Kazakhtelecom": {"mix": {"ip_transit": {"baku_transit": 0.7},
                                  "leased_lines": {"baku_transit": 0.6}}}
    }
    with pytest.raises(Exception, match="sums to 1.3 > 1"):
        scenario_from_dict(data)
