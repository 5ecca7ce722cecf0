"""Issue 21 sec. 5: an attached city exchanges traffic locally with the networks whose presence
it takes (its presence node's country), not at a far hub; with others it still meets at a hub.

A small synthetic corridor shaped like the Caucasus / Central Asia: two hubs far away
(``mos``, ``ist``), ``alm`` (KAZ) and ``tas`` (UZB) whose networks meet only in ``mos``,
``tbs`` (GEO) whose networks meet in ``ist``. Coordinates are real city centres, lengths
hand-typed; nothing is read outside the repository.
"""

from __future__ import annotations

import numpy as np
import pytest

from transcaspian.network.config import CorridorDataset
from transcaspian.network.interconnect import Interconnection
from transcaspian.network.measured import compare_measured, parse_measured
from transcaspian.network.routed_latency import (
    AttachedPoint,
    CorridorView,
    attach_points,
    fibre_rtt_matrix,
    meeting_labels,
    routed_rtt_matrix,
)
from transcaspian.network.topology import (
    geodesic_km,
    one_way_delay_ms,
    resolve_links,
    simple_graph,
)

NG = 1.4682
NODES = {  # id: (country, lat, lon)
    "mos": ("RUS", 55.76, 37.62),
    "ist": ("TUR", 41.01, 28.98),
    "alm": ("KAZ", 43.24, 76.89),
    "tas": ("UZB", 41.30, 69.24),
    "tbs": ("GEO", 41.72, 44.79),
}
LINKS = [  # id, a, b, km
    ("mos_alm", "mos", "alm", 4000.0),
    ("mos_tas", "mos", "tas", 3600.0),
    ("alm_tas", "alm", "tas", 900.0),
    ("ist_tbs", "ist", "tbs", 1800.0),
    ("mos_tbs", "mos", "tbs", 2200.0),
    ("mos_ist", "mos", "ist", 2300.0),
]
PRESENCE = {"alm": ("mos",), "tas": ("mos",), "tbs": ("ist", "mos")}


def _view(*, domestic_on_net: bool = True) -> CorridorView:
    data = {
        "sources": {"hand": "hand-made test graph"},
        "nodes": [
            {"id": n, "name": n, "country": c, "lat_deg": lat, "lon_deg": lon, "role": "pop",
             "source": "hand"}
            for n, (c, lat, lon) in NODES.items()
        ],
        "links": [
            {"id": i, "system": i, "a": a, "b": b, "kind": "terrestrial", "length_km": km,
             "capacity_tbps": 1.0, "srlgs": [], "source": "hand"}
            for i, a, b, km in LINKS
        ],
    }
    corridor = resolve_links(CorridorDataset.model_validate(data), source_name="test")
    graph = simple_graph(corridor, group_index=NG, node_latency_ms=0.1)
    inter = Interconnection(
        hubs={"mos": 1.0, "ist": 1.0}, hub_names={"mos": "M", "ist": "I"},
        presence={"mos": ("mos",), "ist": ("ist",), **PRESENCE}, sources={},
        domestic_on_net=domestic_on_net, country={n: c for n, (c, _, _) in NODES.items()},
        upstream={"KGZ": ("KAZ",), "ARM": ("GEO",)},
    )
    fibre = fibre_rtt_matrix(graph, corridor.node_ids, 0.1)
    return CorridorView("without_line", corridor, graph, inter, fibre,
                        routed_rtt_matrix(fibre, corridor.node_ids, inter))


CSV = """city_a,country_a,lat_a,lon_a,city_b,country_b,lat_b,lon_b,rtt_min_ms
Bishkek,Kyrgyzstan,42.87,74.59,Almaty,Kazakhstan,43.24,76.89,6.0
Yerevan,Armenia,40.18,44.51,Tbilisi,Georgia,41.72,44.79,8.5
Bishkek,Kyrgyzstan,42.87,74.59,Tashkent,Uzbekistan,41.30,69.24,30.0
Yerevan,Armenia,40.18,44.51,Istanbul,Turkey,41.01,28.98,40.0
"""


def _compare(view: CorridorView) -> dict[tuple[str, str], dict]:
    cmp = compare_measured(
        parse_measured(CSV), view, snap_km=100.0, attach_km=1500.0, group_index=NG,
        node_latency_ms=0.1, route_factor=1.3,
    )
    assert cmp.summary()["placed"] == 4
    return {(p["city_a"], p["city_b"]): p for p in cmp.pairs}


def test_attached_neighbours_exchange_locally_not_at_a_far_hub():
    d = _compare(_view())
    for pair in (("Bishkek", "Almaty"), ("Yerevan", "Tbilisi")):
        p = d[pair]
        assert p["meeting_hub"] == ""  # no hub: local exchange
        assert p["routed_rtt_ms"] < 10.0, pair  # the access leg, not via Moscow / Istanbul
        assert p["routed_rtt_ms"] >= p["fibre_rtt_ms"]
    # the access leg Bishkek - Almaty at great circle x 1.3, plus two node allowances
    km = float(geodesic_km(42.87, 74.59, 43.24, 76.89))
    assert d[("Bishkek", "Almaty")]["routed_rtt_ms"] == pytest.approx(
        2 * (float(one_way_delay_ms(km * 1.3, NG)) + 0.2))


def test_others_still_meet_at_a_hub():
    """Bishkek's networks take Almaty's presence, not Tashkent's: the two meet in Moscow as
    Almaty and Tashkent do; Yerevan (Tbilisi's presence: Istanbul first) meets Istanbul at its
    own hub."""
    d = _compare(_view())
    assert d[("Bishkek", "Tashkent")]["meeting_hub"] == "mos"
    assert d[("Bishkek", "Tashkent")]["routed_rtt_ms"] > 60.0
    assert d[("Yerevan", "Istanbul")]["meeting_hub"] == "ist"


def test_local_exchange_follows_the_on_net_switch():
    d = _compare(_view(domestic_on_net=False))
    assert d[("Bishkek", "Almaty")]["meeting_hub"] == "mos"
    assert d[("Yerevan", "Tbilisi")]["meeting_hub"] == "ist"


def test_attached_city_lists_its_local_exchange():
    view = _view()
    cmp = compare_measured(
        parse_measured(CSV), view, snap_km=100.0, attach_km=1500.0, group_index=NG,
        node_latency_ms=0.1, route_factor=1.3,
    )
    by_city = {c["city"]: c for c in cmp.attached}
    assert by_city["Bishkek"]["local_exchange"] == ["KAZ", "KGZ"]
    assert by_city["Yerevan"]["local_exchange"] == ["ARM", "GEO"]


def test_points_sharing_a_market_exchange_locally_and_strangers_do_not():
    """Matrix level: two points whose countries the data list as carried by one node's
    country share its market; a point whose presence node has no country (unknown market)
    has no local exchange."""
    inter = Interconnection(
        hubs={"h": 1.0}, hub_names={"h": "H"},
        presence={"h": ("h",), "n": ("h",), "m": ("h",)}, sources={},
        country={"h": "AAA", "n": "BBB", "m": ""},
        upstream={"XXX": ("BBB",), "YYY": ("BBB",)},  # both carried by BBB's networks
    )
    fibre = np.array([[0.0, 40.0, 40.0], [40.0, 0.0, 60.0], [40.0, 60.0, 0.0]])
    pts = (
        AttachedPoint("p", 10.0, 10.0, (("n", 300.0),), "n", "XXX"),
        AttachedPoint("q", 10.0, 13.0, (("n", 300.0),), "n", "YYY"),
        AttachedPoint("r", 20.0, 10.0, (("m", 300.0),), "m", "ZZZ"),
    )
    ids, f, routed = attach_points(
        fibre, ("h", "n", "m"), inter, pts, group_index=NG, node_latency_ms=0.0,
        route_factor=1.3,
    )
    i = {x: k for k, x in enumerate(ids)}
    label = meeting_labels(routed)
    assert label[i["p"], i["n"]] == "" and label[i["p"], i["q"]] == ""
    leg = 2 * float(one_way_delay_ms(300.0 * 1.3, NG))
    assert routed.rtt_ms[i["p"], i["n"]] == pytest.approx(leg)
    assert label[i["r"], i["m"]] == "h"  # unknown market: meets at the hub
    assert label[i["p"], i["h"]] == "h"  # the hub's country is not p's market
    assert np.all(routed.rtt_ms >= f - 1e-9)


def test_a_border_is_crossed_locally_only_where_the_data_list_an_upstream():
    """An attached city of a country with no corridor node exchanges locally with its nearest
    node's country only when the interconnection data list that country as its upstream:
    without the entry, Yerevan meets Tbilisi at Istanbul (its presence node's first hub)."""
    from dataclasses import replace

    view = _view()
    bare = replace(view, interconnection=replace(view.interconnection, upstream={}))
    d = _compare(bare)
    assert d[("Yerevan", "Tbilisi")]["meeting_hub"] == "ist"
    assert d[("Bishkek", "Almaty")]["meeting_hub"] == "mos"
    # a city whose country the file does not give keeps its nearest node's market
    csv = CSV.replace("Yerevan,Armenia,", "Yerevan,,")
    cmp = compare_measured(
        parse_measured(csv), bare, snap_km=100.0, attach_km=1500.0, group_index=NG,
        node_latency_ms=0.1, route_factor=1.3,
    )
    p = {(x["city_a"], x["city_b"]): x for x in cmp.pairs}
    assert p[("Yerevan", "Tbilisi")]["meeting_hub"] == ""


def test_bundled_data_cairo_and_tel_aviv_meet_at_a_hub_bishkek_and_almaty_locally():
    """Bundled corridor and interconnection data: Tel Aviv (Israel, no node, no listed
    upstream) takes the presence of Suez but does not exchange locally with Egyptian networks;
    Bishkek (Kyrgyzstan, listed upstream Kazakhstan) does with Almaty's. Coordinates: city
    centres."""
    from transcaspian.network.routed_latency import corridor_view
    from transcaspian.scenario import load_scenario

    view = corridor_view(load_scenario(None), line_length_km=None, line=False)
    csv = (
        "city_a,country_a,lat_a,lon_a,city_b,country_b,lat_b,lon_b,rtt_min_ms\n"
        "Cairo,Egypt,30.06,31.23,Tel Aviv,Israel,32.08,34.88,100.0\n"
        "Bishkek,Kyrgyzstan,42.87,74.59,Almaty,Kazakhstan,43.24,76.89,6.0\n"
    )
    cmp = compare_measured(
        parse_measured(csv), view, snap_km=100.0, attach_km=1500.0, group_index=NG,
        node_latency_ms=0.1, route_factor=1.3,
    )
    p = {(x["city_a"], x["city_b"]): x for x in cmp.pairs}
    ct = p[("Cairo", "Tel Aviv")]
    assert ct["meeting_hub"] != ""  # a hub, not local exchange through Egypt
    assert ct["routed_rtt_ms"] > 3 * ct["fibre_rtt_ms"]
    assert p[("Bishkek", "Almaty")]["meeting_hub"] == ""
    by_city = {c["city"]: c for c in cmp.attached}
    assert by_city["Tel Aviv"]["local_exchange"] == ["ISR"]
    assert by_city["Bishkek"]["local_exchange"] == ["KAZ", "KGZ"]
