"""As-routed latency through interconnection hubs, on hand-made corridors (hand-computed RTTs)."""

from __future__ import annotations

import numpy as np
import pytest
from network_testlib import build

from transcaspian.errors import DataError, NetworkError
from transcaspian.network.config import InterconnectionOptions
from transcaspian.network.diversity import primary_and_backup, srlg_disjoint_pair
from transcaspian.network.interconnect import (
    InterconnectionDataset,
    interconnection,
    read_interconnection,
)
from transcaspian.network.latency import shortest_path
from transcaspian.network.routed_latency import (
    fibre_rtt_matrix,
    meeting_labels,
    pair_latency,
    routed_rtt_matrix,
)
from transcaspian.network.topology import simple_graph

NG = 1.4682
C_KM_PER_MS = 299_792.458 / 1e3


def rtt(km: float) -> float:
    """Round trip of ``km`` of fibre [ms], no equipment allowance: 2 L n_g / c."""
    return 2.0 * km * NG / C_KM_PER_MS


def dataset(
    presence: dict[str, list[str]], hubs: dict[str, float], **extra
) -> InterconnectionDataset:
    return InterconnectionDataset.model_validate(
        {
            "sources": {"t": "test"},
            "hubs": [
                {"id": h, "name": h, "allowance_ms": a, "source": "t"} for h, a in hubs.items()
            ],
            "presence": [{"node": n, "hubs": hs, "source": "t"} for n, hs in presence.items()],
            **extra,
        }
    )


@pytest.fixture
def star():
    """x and y 100 km apart; hubs h1 (1000 km from both) and h2 (300 km from x, 2000 from y)."""
    return build(
        ["x", "y", "h1", "h2"],
        [
            ("xy", "x", "y", 100.0, 1.0, ()),
            ("xh1", "x", "h1", 1000.0, 1.0, ()),
            ("yh1", "y", "h1", 1000.0, 1.0, ()),
            ("xh2", "x", "h2", 300.0, 1.0, ()),
            ("yh2", "y", "h2", 2000.0, 1.0, ()),
        ],
    )


def matrices(corridor, ds, options=None, **kw):
    options = options or InterconnectionOptions()
    inter = interconnection(options, corridor, dataset=ds, **kw)
    g = simple_graph(corridor, group_index=NG, node_latency_ms=0.0)
    fibre = fibre_rtt_matrix(g, corridor.node_ids, 0.0)
    return inter, g, fibre, routed_rtt_matrix(fibre, corridor.node_ids, inter)


def test_networks_meet_at_their_common_hub(star):
    ds = dataset({"x": ["h1", "h2"], "y": ["h1"]}, {"h1": 1.5, "h2": 1.0})
    _, _, fibre, routed = matrices(star, ds)
    i, j = 0, 1
    assert fibre[i, j] == pytest.approx(rtt(100.0), rel=1e-9)
    # x and y meet only at h1: 1000 km out, 1000 km back, plus h1's allowance
    assert routed.rtt_ms[i, j] == pytest.approx(rtt(2000.0) + 1.5, rel=1e-9)
    assert meeting_labels(routed)[i, j] == "h1"


def test_no_common_hub_means_transit_between_two_hubs(star):
    ds = dataset({"x": ["h2"], "y": ["h1"]}, {"h1": 1.0, "h2": 2.0})
    _, _, _, routed = matrices(star, ds)
    # x -> h2 (300) -> h1 (h2-x-h1: 300 + 1000) -> y (1000), both allowances
    assert routed.rtt_ms[0, 1] == pytest.approx(rtt(300 + 1300 + 1000) + 3.0, rel=1e-9)
    assert meeting_labels(routed)[0, 1] == "h2>h1"


def test_routed_is_never_below_the_fibre_bound(star):
    ds = dataset({"x": ["h2"], "y": ["h1", "h2"]}, {"h1": 0.0, "h2": 0.0})
    _, _, fibre, routed = matrices(star, ds)
    assert np.all(routed.rtt_ms >= fibre - 1e-9)


def test_same_country_exchanges_on_net(star):
    from dataclasses import replace

    ds = dataset({"x": ["h1"], "y": ["h1"]}, {"h1": 1.0})
    inter = interconnection(InterconnectionOptions(), star, dataset=ds)
    inter = replace(inter, country={"x": "AZE", "y": "AZE", "h1": "DEU", "h2": "RUS"})
    g = simple_graph(star, group_index=NG, node_latency_ms=0.0)
    fibre = fibre_rtt_matrix(g, star.node_ids, 0.0)
    routed = routed_rtt_matrix(fibre, star.node_ids, inter)
    assert routed.rtt_ms[0, 1] == pytest.approx(rtt(100.0), rel=1e-9)
    off = replace(inter, domestic_on_net=False)
    assert routed_rtt_matrix(fibre, star.node_ids, off).rtt_ms[0, 1] == pytest.approx(
        rtt(2000.0) + 1.0
    )


def test_digital_hub_joins_and_pair_legs_add_up(star):
    ds = dataset(
        {"x": ["h1"], "y": ["h1"]},
        {"h1": 1.0},
        digital_hub={
            "hub": "h2",
            "name": "H2 exchange",
            "allowance_ms": 0.5,
            "joins": ["x", "y"],
            "source": "t",
        },
    )
    inter, g, _, routed = matrices(star, ds, digital_hub=True)
    assert inter.presence["x"][0] == "h2"
    # via h2: x-h2 300 km, h2-x-y 400 km (shorter than y-h2 direct), h2's 0.5 ms
    best = min(rtt(300.0 + 400.0) + 0.5, rtt(2000.0) + 1.0)
    assert routed.rtt_ms[0, 1] == pytest.approx(best, rel=1e-9)
    p = pair_latency(star, g, inter, "x", "y", group_index=NG, node_latency_ms=0.0)
    legs = sum(leg.rtt_ms for leg in p.legs) + sum(p.hub_allowance_ms)
    assert legs == pytest.approx(p.routed_rtt_ms, rel=1e-9)
    assert p.fibre is not None and p.fibre.rtt_ms == pytest.approx(p.fibre_rtt_ms, rel=1e-9)


def test_fibre_matrix_matches_yen_shortest_path():
    from transcaspian.network import NetworkConfig, build_corridor

    cfg = NetworkConfig()
    c = build_corridor(cfg, trans_caspian_length_km=380.0)
    g = simple_graph(c, group_index=cfg.group_index, node_latency_ms=cfg.node_latency_ms)
    fibre = fibre_rtt_matrix(g, c.node_ids, cfg.node_latency_ms)
    for a, b in [("baku", "frankfurt"), ("almaty", "london"), ("tbilisi", "singapore")]:
        p = shortest_path(
            c, a, b, group_index=cfg.group_index, node_latency_ms=cfg.node_latency_ms, graph=g
        )
        assert p is not None
        i, j = c.node_ids.index(a), c.node_ids.index(b)
        assert fibre[i, j] == pytest.approx(p.rtt_ms, rel=1e-9)


def test_bundled_interconnection_covers_every_node_with_citations():
    from transcaspian.network import NetworkConfig, build_corridor

    cfg = NetworkConfig()
    c = build_corridor(cfg, trans_caspian_length_km=380.0)
    ds = read_interconnection()
    inter = interconnection(cfg.interconnection, c, dataset=ds)
    assert inter.assumed == ()  # every corridor node has cited presence data
    for p in ds.presence:
        for key in (p.source,) if isinstance(p.source, str) else p.source:
            assert key in ds.sources
    assert {"frankfurt", "london", "istanbul", "moscow", "dubai"} <= set(inter.hubs)
    assert ds.digital_hub is not None and ds.digital_hub.hub == "baku"


@pytest.mark.parametrize(
    ("patch", "needle"),
    [
        ({"presence": [{"node": "x", "hubs": ["nowhere"], "source": "t"}]}, "presence.0.hubs"),
        ({"presence": [{"node": "x", "hubs": ["h1"], "source": "missing"}]}, "unknown source"),
        ({"hubs": [{"id": "h1", "name": "h", "allowance_ms": -1, "source": "t"}]}, "hubs.0"),
    ],
)
def test_bad_interconnection_file_is_one_line(tmp_path, patch, needle):
    import yaml

    data = {
        "sources": {"t": "test"},
        "hubs": [{"id": "h1", "name": "h", "allowance_ms": 1.0, "source": "t"}],
        "presence": [],
        **patch,
    }
    path = tmp_path / "ic.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_interconnection(path)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_hub_that_is_not_a_corridor_node_is_refused(star):
    ds = dataset({}, {"elsewhere": 1.0})
    with pytest.raises(NetworkError, match="hubs.0.id"):
        interconnection(InterconnectionOptions(), star, dataset=ds)


# --- diversity: which path is primary -------------------------------------------------------


def _conflict_graph(with_direct: bool):
    """S = s-a-t (20 km) shares an SRLG with each of P = s-b-t (22) and Q = s-c-t (25)."""
    links = [
        ("sa", "s", "a", 10.0, 1.0, ("g1",)),
        ("at", "a", "t", 10.0, 1.0, ("g2",)),
        ("sb", "s", "b", 11.0, 1.0, ("g1",)),
        ("bt", "b", "t", 11.0, 1.0, ()),
        ("sc", "s", "c", 12.5, 1.0, ()),
        ("ct", "c", "t", 12.5, 1.0, ("g2",)),
    ]
    if with_direct:
        links.append(("st", "s", "t", 100.0, 1.0, ()))
    return build(["s", "t", "a", "b", "c"], links)


def test_primary_is_the_shortest_path_when_it_has_a_disjoint_backup():
    c = _conflict_graph(with_direct=True)
    kw = {"group_index": NG, "node_latency_ms": 0.0}
    pair = srlg_disjoint_pair(c, "s", "t", **kw)
    assert pair is not None
    # the min-sum pair does not contain the shortest path (P 22 + Q 25 < S 20 + direct 100) ...
    assert pair.primary.rtt_ms == pytest.approx(rtt(22.0))
    out = primary_and_backup(c, shortest_path(c, "s", "t", **kw), pair, **kw)
    # ... but the primary is the shortest path, protected by the direct link
    assert out.primary_is_shortest is True
    assert out.primary_rtt_ms == pytest.approx(rtt(20.0))
    assert out.backup_rtt_ms == pytest.approx(rtt(100.0))
    assert out.primary is not None
    assert out.primary.nodes == ("s", "a", "t")


def test_trap_topology_says_why_the_primary_is_not_the_shortest():
    c = _conflict_graph(with_direct=False)
    kw = {"group_index": NG, "node_latency_ms": 0.0}
    pair = srlg_disjoint_pair(c, "s", "t", **kw)
    out = primary_and_backup(c, shortest_path(c, "s", "t", **kw), pair, **kw)
    assert out.primary_is_shortest is False
    assert out.primary_rtt_ms == pytest.approx(rtt(22.0))
    assert out.backup_rtt_ms == pytest.approx(rtt(25.0))
    assert "no SRLG-disjoint backup" in out.primary_basis
    assert f"+{rtt(22.0) - rtt(20.0):.1f} ms" in out.primary_basis


PREFERRED = InterconnectionOptions(routing="preferred_upstream")


def test_preferred_upstream_each_direction_leaves_at_its_first_choice(star):
    """x prefers h2, y prefers h1, both are present at both: x -> y goes x-h2-y, y -> x goes
    y-h1-x; the RTT is one way of each (hand-computed), not the faster loop twice."""
    ds = dataset({"x": ["h2", "h1"], "y": ["h1", "h2"]}, {"h1": 1.0, "h2": 3.0})
    _, _, _, fastest = matrices(star, ds)
    inter, g, _, routed = matrices(star, ds, PREFERRED)
    # x -> h2 300 km, h2 -> y: via x (300 + 100) beats h2-y direct (2000)
    out = 0.5 * rtt(300.0 + 400.0) + 0.5 * 3.0
    back = 0.5 * rtt(1000.0 + 1000.0) + 0.5 * 1.0
    assert routed.rtt_ms[0, 1] == pytest.approx(out + back, rel=1e-9)
    assert routed.rtt_ms[1, 0] == pytest.approx(out + back, rel=1e-9)
    assert meeting_labels(routed)[0, 1] == "h2|h1"
    assert meeting_labels(routed)[1, 0] == "h1|h2"
    # the lowest-latency rule takes the faster loop both ways: a bound of the preferred one
    assert fastest.rtt_ms[0, 1] == pytest.approx(min(rtt(700.0) + 3.0, rtt(2000.0) + 1.0))
    assert fastest.rtt_ms[0, 1] <= routed.rtt_ms[0, 1]
    p = pair_latency(star, g, inter, "x", "y", group_index=NG, node_latency_ms=0.0)
    assert p.leg_share == 0.5 and p.hubs == ("h2", "h1")
    total = p.leg_share * sum(leg.rtt_ms for leg in p.legs) + sum(p.hub_allowance_ms)
    assert total == pytest.approx(p.routed_rtt_ms, rel=1e-9)
    assert p.legs[0].nodes[0] == "x" and p.legs[-1].nodes[-1] == "x"


def test_preferred_upstream_same_first_choice_is_symmetric_and_transit_uses_primaries(star):
    ds = dataset({"x": ["h1", "h2"], "y": ["h1", "h2"]}, {"h1": 1.0, "h2": 0.0})
    _, _, _, routed = matrices(star, ds, PREFERRED)
    # both prefer h1 although the loop through h2 (700 km) is faster: x-h1-y both ways
    assert routed.rtt_ms[0, 1] == pytest.approx(rtt(2000.0) + 1.0, rel=1e-9)
    assert meeting_labels(routed)[0, 1] == "h1"
    ds = dataset({"x": ["h2"], "y": ["h1"]}, {"h1": 1.0, "h2": 2.0})
    _, _, _, routed = matrices(star, ds, PREFERRED)
    assert routed.rtt_ms[0, 1] == pytest.approx(rtt(300 + 1300 + 1000) + 3.0, rel=1e-9)
    assert meeting_labels(routed)[0, 1] == "h2>h1"


def test_routing_is_a_scenario_field_with_a_one_line_error(tmp_path, capsys):
    import yaml

    from transcaspian.cli import main
    from transcaspian.scenario import default_scenario_text

    data = yaml.safe_load(default_scenario_text())
    data.setdefault("network", {}).setdefault("interconnection", {})["routing"] = "shortest"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["network", "latency", "Baku", "Almaty", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "network.interconnection.routing" in err[0]
