"""Model RTTs against published operator claims (network.md sec. 2.3) and the fibre minimum.

Operator claims are best-case *measured* RTTs over real routes (equipment, regeneration and
routing included), so the physics model - route length x group index plus a 0.1 ms allowance
per node - must lie between the great-circle fibre minimum and the claim. The lower bound of
0.65 x claim catches a model that is implausibly fast (claims are 1.2-1.4 x the model here).
"""

from __future__ import annotations

import pytest

from transcaspian.network import NetworkConfig, build_corridor
from transcaspian.network.config import CutScenario
from transcaspian.network.latency import shortest_path
from transcaspian.network.resilience import links_cut
from transcaspian.network.topology import geodesic_km

MS_PER_KM_RTT = 2 * 4.8967e-3  # 2 x n_g / c, n_g = 1.468

CLAIMS = [
    # (a, b, claimed RTT ms, source)
    ("hong_kong", "frankfurt", 159.0, "China Telecom Super TSR, Capacity Media"),
    ("shanghai", "frankfurt", 147.0, "China Telecom Super TSR, Capacity Media"),
    ("london", "hong_kong", 190.0, "Rostelecom TEA, submarinenetworks.com"),
]


@pytest.fixture(scope="module")
def corridor():
    return build_corridor(NetworkConfig(), trans_caspian_length_km=380.0)


def _rtt(c, a, b):
    p = shortest_path(c, a, b, group_index=1.468, node_latency_ms=0.1)
    assert p is not None
    return p.rtt_ms


@pytest.mark.parametrize(("a", "b", "claim_ms", "source"), CLAIMS)
def test_between_fibre_minimum_and_operator_claim(corridor, a, b, claim_ms, source):
    na, nb = corridor.node(a), corridor.node(b)
    fibre_min = float(geodesic_km(na.lat_deg, na.lon_deg, nb.lat_deg, nb.lon_deg)) * MS_PER_KM_RTT
    rtt = _rtt(corridor, a, b)
    assert fibre_min < rtt <= claim_ms, source
    assert rtt >= 0.65 * claim_ms, source


def test_epeg_beats_the_best_submarine_route_to_dubai(corridor):
    # Renesys (via LIRNEasia 2013): EPEG RTT Dubai - Frankfurt >= 10 % below the best
    # submarine route.
    with_epeg = _rtt(corridor, "frankfurt", "dubai")
    cut = links_cut(corridor, CutScenario(name="no_epeg", srlgs=("epeg",)))
    submarine = _rtt(corridor.without(cut), "frankfurt", "dubai")
    assert with_epeg <= 0.9 * submarine
