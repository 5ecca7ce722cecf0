"""Issue 22, 'Figures that mislead': the Raman span's ASE curve was a straight line from 0 to
the output ASE, so the power-profile figure showed ASE above the signal mid-span. The figure
now draws the solved profile: the pumps' emission integrated up to each point of the fibre
(Bromage, JLT 22(1) 2004, eqs. 8-9)."""

from __future__ import annotations

import numpy as np
import pytest

from transcaspian.plan import plan
from transcaspian.scenario import default_scenario


@pytest.fixture(scope="module")
def optics():  # type: ignore[no-untyped-def]
    return plan(default_scenario(), until="optics").optics


def _pumped_designs(optics):  # type: ignore[no-untyped-def]
    found = [d for d in optics.designs if d.line.raman_spans]
    assert found, "the default scenario has Raman-pumped designs"
    return found


def test_counter_pumped_ase_grows_near_the_pumps(optics) -> None:
    """A counter pump is attenuated towards the fibre's start (0.25 dB/km at 1450 nm: > 40 dB
    over the first half of a 140+ km fibre), so almost all its emission arises in the last
    part of the fibre: at mid-fibre far less than half the output ASE (the straight line
    drew exactly half)."""
    for d in _pumped_designs(optics):
        for _pos, res in d.line.raman_spans:
            if not all(p.direction == "counter" for p in res.pumps):
                continue
            ase = res.ase_profile_w
            assert ase is not None
            mid = int(np.searchsorted(res.z_m, res.z_m[-1] / 2.0))
            assert np.all(ase[..., mid, :] < 0.05 * ase[..., -1, :]), d.name
            # the profile ends in the output ASE the line uses
            np.testing.assert_allclose(ase[..., -1, :], res.ase_w, rtol=1e-9)


def test_profile_ase_stays_below_the_signal_inside_the_pumped_fibre(optics) -> None:
    for d in _pumped_designs(optics):
        line = d.line
        x = line.profile_distance_km
        for pos, res in line.raman_spans:
            end = pos + res.z_m[-1] / 1e3
            inside = (x > pos + 1e-6) & (x < end - 1e-6)
            assert inside.sum() >= 10
            gap = line.profile_signal_dbm[inside] - line.profile_ase_dbm[inside]
            # mid-fibre the ASE is far below the signal (the old straight line put it 11.6 dB
            # above on the booster + Raman design)
            assert float(np.min(gap[: inside.sum() // 2])) > 5.0, d.name
