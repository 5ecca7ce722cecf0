"""Measured-RTT files: the reader, placement on the corridor, the comparison and the CLI forms.

Every measured file here is synthetic (made up for the test); real measurements are used by
pointing ``transcaspian network compare-measured`` at them.
"""

from __future__ import annotations

import json

import pytest

import transcaspian.commands as commands
from transcaspian import cli
from transcaspian.commands import network as network_command
from transcaspian.errors import DataError
from transcaspian.network.measured import parse_measured

HEADER = "city_a,lat_a,lon_a,city_b,lat_b,lon_b,rtt_min_ms\n"


@pytest.fixture(autouse=True)
def _wired(monkeypatch):
    if network_command not in commands.COMMAND_MODULES:
        monkeypatch.setattr(
            commands, "COMMAND_MODULES", (*commands.COMMAND_MODULES, network_command)
        )


def test_reader_takes_names_or_coordinates_and_ignores_extra_columns():
    text = (
        "city_a,country_a,lat_a,lon_a,city_b,country_b,lat_b,lon_b,rtt_min_ms,rtt_avg_ms\n"
        "Frankfurt,Germany,50.12,8.68,London,UK,51.52,-0.11,13.5,14.0\n"
        "Baku,Azerbaijan,,,Tbilisi,Georgia,,,12.0,13.0\n"
    )
    pairs = parse_measured(text, "m.csv")
    assert [(p.city_a, p.city_b, p.rtt_min_ms) for p in pairs] == [
        ("Frankfurt", "London", 13.5),
        ("Baku", "Tbilisi", 12.0),
    ]
    assert pairs[0].coords_a == (50.12, 8.68) and pairs[1].coords_a is None


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "empty file"),
        ("city_a,city_b,rtt_ms\nBaku,Tbilisi,12\n", "missing column 'rtt_min_ms'"),
        ("city_a,city_b,rtt_min_ms\nBaku,Tbilisi,fast\n", "row 1: rtt_min_ms: 'fast'"),
        ("city_a,city_b,rtt_min_ms\nBaku,Tbilisi,12\nBaku,,3\n", "row 2: city_b: empty"),
        ("city_a,city_b,rtt_min_ms\nBaku,Tbilisi,-1\n", "row 1: rtt_min_ms: -1.0 must be"),
        (HEADER + "Baku,40.4,,Tbilisi,41.7,44.8,12\n", "row 1: lon_a: missing"),
        ("city_a,city_b,rtt_min_ms\n", "no data rows"),
    ],
)
def test_reader_errors_name_the_row_and_field(text, needle):
    with pytest.raises(DataError) as err:
        parse_measured(text, "m.csv")
    msg = str(err.value)
    assert needle in msg and msg.startswith("m.csv") and "\n" not in msg


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "empty file"),
        ("city_a,city_b\nBaku,Tbilisi\n", "missing column 'rtt_min_ms'"),
        ("city_a,city_b,rtt_min_ms\nBaku,Tbilisi,n/a\n", "row 1: rtt_min_ms"),
        ("city_a,city_b,rtt_min_ms\nBaku,Atlantis,10\n", "row 1: city_b: unknown city 'Atlantis'"),
    ],
)
def test_compare_measured_bad_input_is_one_line_exit_2(tmp_path, capsys, text, needle):
    f = tmp_path / "m.csv"
    f.write_text(text, encoding="utf-8")
    status = cli.main(["network", "compare-measured", str(f)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and needle in err and str(f) in err


def test_compare_measured_json_pairs_and_unplaced(tmp_path, capsys):
    f = tmp_path / "m.csv"
    f.write_text(
        HEADER
        + "Frankfurt,50.12,8.68,London,51.52,-0.11,13.0\n"  # both on corridor nodes
        + "Baku,,,Tbilisi,,,16.0\n"  # by name
        + "Reykjavik,64.15,-21.94,London,51.52,-0.11,40.0\n",  # 1,900 km from any node
        encoding="utf-8",
    )
    assert cli.main(["network", "compare-measured", str(f), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["variant"] == "without_line"
    pairs = {(p["a"], p["b"]): p for p in d["pairs"]}
    assert set(pairs) == {("frankfurt", "london"), ("baku", "tbilisi")}
    for p in pairs.values():
        assert {"a", "b", "measured_rtt_ms", "fibre_rtt_ms", "routed_rtt_ms"} <= set(p)
        assert p["routed_rtt_ms"] >= p["fibre_rtt_ms"]
        assert p["fibre_ratio"] == pytest.approx(p["fibre_rtt_ms"] / p["measured_rtt_ms"])
    # Frankfurt - London: 636 km great circle, so at least 6.2 ms of fibre RTT (4.9 us/km)
    assert pairs[("frankfurt", "london")]["fibre_rtt_ms"] > 6.2
    assert [m["row"] for m in d["not_placed"]] == [3]
    assert "Reykjavik" in d["not_placed"][0]["reason"]
    s = d["summary"]
    assert s["placed"] == 2 and s["not_placed"] == 1 and s["rows"] == 3
    ratios = sorted(p["routed_ratio"] for p in d["pairs"])
    assert s["routed_ratio"]["median"] == pytest.approx(sum(ratios) / 2)


def test_compare_measured_flags_a_fibre_bound_above_the_measurement(tmp_path, capsys):
    f = tmp_path / "m.csv"
    # a made-up 2 ms between Frankfurt and London is below any fibre path (6.2 ms minimum)
    f.write_text("city_a,city_b,rtt_min_ms\nFrankfurt,London,2.0\n", encoding="utf-8")
    assert cli.main(["network", "compare-measured", str(f), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)["summary"]
    assert [(p["a"], p["b"]) for p in s["fibre_bound_above_measured"]] == [("frankfurt", "london")]


def test_latency_form_draws_both_paths(capsys):
    args = ["network", "latency", "Tbilisi", "almaty", "--cable-length-km", "380"]
    assert cli.main([*args, "--json", "--digital-hub"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["a"] == "tbilisi" and d["b"] == "almaty" and d["variant"] == "with_line_digital_hub"
    assert [h["id"] for h in d["routed"]["hubs"]] == ["baku"]
    legs = d["routed"]["legs"]
    assert legs[0]["nodes"][0] == "tbilisi" and legs[-1]["nodes"][-1] == "almaty"
    total = sum(leg["rtt_ms"] for leg in legs) + sum(h["allowance_ms"] for h in d["routed"]["hubs"])
    assert total == pytest.approx(d["routed_rtt_ms"])
    assert "trans_caspian" in d["fibre_path"]["links"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "fibre bound" in out and "as routed" in out and "Trans-Caspian" in out


def test_latency_form_refuses_an_unknown_city(capsys):
    assert cli.main(["network", "latency", "baku", "gotham", "--cable-length-km", "380"]) == 2
    assert "network latency B: unknown corridor node 'gotham'" in capsys.readouterr().err


def test_coordinates_alone_are_enough():
    text = "lat_a,lon_a,lat_b,lon_b,rtt_min_ms\n50.12,8.68,51.52,-0.11,13.0\n"
    (p,) = parse_measured(text, "m.csv")
    assert p.coords_b == (51.52, -0.11) and p.city_a == "(50.12, 8.68)"
    with pytest.raises(DataError, match="missing column 'city_b' \\(or lat_b/lon_b\\)"):
        parse_measured("city_a,lat_b,rtt_min_ms\nBaku,40.0,3\n", "m.csv")


def test_plain_form_refuses_the_pair_options(capsys):
    assert cli.main(["network", "--digital-hub", "--cable-length-km", "380"]) == 2
    assert "--digital-hub" in capsys.readouterr().err


def test_compare_measured_routing_option(tmp_path, capsys):
    """Preferred upstreams are never faster than the lowest-latency meeting (which bounds
    them), and the option reaches the interconnection the comparison uses."""
    f = tmp_path / "m.csv"
    f.write_text("city_a,city_b,rtt_min_ms\nMoscow,Tbilisi,70.0\nSofia,Tbilisi,70.0\n"
                 "Frankfurt,London,13.0\n", encoding="utf-8")
    out = {}
    for routing in ("lowest_latency", "preferred_upstream"):
        assert cli.main(["network", "compare-measured", str(f), "--json",
                         "--routing", routing]) == 0
        d = json.loads(capsys.readouterr().out)
        out[routing] = {(p["a"], p["b"]): p["routed_rtt_ms"] for p in d["pairs"]}
        meets = {(p["a"], p["b"]): p["meeting_hub"] for p in d["pairs"]}
        assert meets[("frankfurt", "london")] in ("frankfurt", "london", "frankfurt|london")
    low, pref = out["lowest_latency"], out["preferred_upstream"]
    assert set(low) == set(pref) and len(low) == 3
    for k in low:
        assert pref[k] >= low[k] - 1e-9
    # Georgian networks' first choice is Istanbul, where Moscow's are absent: Tbilisi's
    # traffic to Moscow leaves through Frankfurt, slower than meeting in Moscow
    assert pref[("moscow", "tbilisi")] > low[("moscow", "tbilisi")] + 5.0
    assert cli.main(["network", "--routing", "preferred_upstream"]) == 2
    assert "--routing" in capsys.readouterr().err


# --- cities off the corridor graph: attached by access links ---------------------------------

COUNTRY_HEADER = "city_a,country_a,lat_a,lon_a,city_b,country_b,lat_b,lon_b,rtt_min_ms\n"


def _compare(tmp_path, capsys, body, *extra):
    f = tmp_path / "m.csv"
    f.write_text(COUNTRY_HEADER + body, encoding="utf-8")
    assert cli.main(["network", "compare-measured", str(f), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_city_off_the_graph_is_attached_through_its_nearest_nodes(tmp_path, capsys):
    """Vienna (no corridor node, ~600 km from Frankfurt) joins the graph by access links: its
    fibre bound to London is the best anchor's access RTT at the geodesic (no route factor: a
    bound, issue 21) plus that anchor's corridor RTT, recomputed here by hand."""
    from transcaspian.network.routed_latency import corridor_view
    from transcaspian.network.topology import geodesic_km
    from transcaspian.scenario import load_scenario

    d = _compare(
        tmp_path, capsys,
        "Vienna,Austria,48.21,16.37,London,United Kingdom,51.52,-0.11,40.0\n"
        "Frankfurt,Germany,50.12,8.68,London,United Kingdom,51.52,-0.11,13.0\n",
    )
    (vienna,) = d["attached_cities"]
    anchors = {a["node"]: a["km"] for a in vienna["anchors"]}
    assert "frankfurt" in anchors and len(anchors) == 3 and vienna["presence_from"] == "frankfurt"
    assert vienna["country"] == "AUT"
    pairs = {p["row"]: p for p in d["pairs"]}
    assert pairs[1]["attached"] == ["a"] and pairs[1]["a"] == "Vienna"
    assert "attached" not in pairs[2]
    assert d["summary"]["attached_pairs"] == 1 and d["summary"]["snapped"]["placed"] == 1

    view = corridor_view(load_scenario(None), trans_caspian_length_km=None, line=False)
    ids = view.corridor.node_ids
    nl = load_scenario(None).network.node_latency_ms
    london = ids.index("london")
    us_per_km = 1.468 / 299_792.458 * 1e3  # n_g / c [ms/km]
    by_hand = min(
        2 * (geodesic_km(48.21, 16.37, view.corridor.node(a).lat_deg,
                         view.corridor.node(a).lon_deg) * us_per_km + nl)
        + (view.fibre_rtt_ms[ids.index(a), london] if a != "london" else 2 * nl)
        for a in anchors
    )
    assert pairs[1]["fibre_rtt_ms"] == pytest.approx(float(by_hand), rel=1e-9)
    # never faster than light in fibre along the great circle (1,235 km)
    assert pairs[1]["fibre_rtt_ms"] > 2 * 1235 * us_per_km
    assert pairs[1]["routed_rtt_ms"] >= pairs[1]["fibre_rtt_ms"]


def test_attaching_cities_never_changes_the_corridor_pairs(tmp_path, capsys):
    body = (
        "Frankfurt,Germany,50.12,8.68,Moscow,Russia,55.75,37.62,44.0\n"
        "Tbilisi,Georgia,41.72,44.79,Dubai,UAE,25.2,55.27,200.0\n"
        "Kazan,Russia,55.79,49.12,Warsaw,Poland,52.23,21.01,50.0\n"
    )
    with_att = _compare(tmp_path, capsys, body)
    without = _compare(tmp_path, capsys, body, "--attach-km", "0")
    assert with_att["summary"]["placed"] == 3 and without["summary"]["placed"] == 2
    assert [m["row"] for m in without["not_placed"]] == [3]
    assert "beyond snap_km 100" in without["not_placed"][0]["reason"]
    keep = {p["row"]: p for p in without["pairs"]}
    for p in with_att["pairs"]:
        if p["row"] in keep:
            for k in ("fibre_rtt_ms", "routed_rtt_ms", "meeting_hub"):
                assert p[k] == keep[p["row"]][k]


def test_an_attached_city_takes_its_own_countrys_presence(tmp_path, capsys):
    """Novosibirsk is nearer to Urumqi and Almaty than to any Russian node; with its country
    given it also joins Moscow (a domestic backbone) and takes the Russian networks' hubs."""
    d = _compare(
        tmp_path, capsys,
        "Novosibirsk,Russia,55.03,82.92,Frankfurt,Germany,50.12,8.68,90.0\n"
        "Novosibirsk,Narnia,55.03,82.92,London,United Kingdom,51.52,-0.11,90.0\n",
    )
    ru, unknown = d["attached_cities"]
    assert ru["presence_from"] == "moscow" and "moscow" in [a["node"] for a in ru["anchors"]]
    assert ru["country"] == "RUS" and "note" not in ru
    assert unknown["country"] is None and "'Narnia' not recognised" in unknown["note"]
    assert unknown["presence_from"] == unknown["anchors"][0]["node"] != "moscow"


def test_attach_km_option_is_checked(tmp_path, capsys):
    f = tmp_path / "m.csv"
    f.write_text("city_a,city_b,rtt_min_ms\nBaku,Tbilisi,12\n", encoding="utf-8")
    assert cli.main(["network", "compare-measured", str(f), "--attach-km", "-5"]) == 2
    assert "--attach-km: must be in [0, 5000] km" in capsys.readouterr().err
    assert cli.main(["network", "--attach-km", "10"]) == 2
    assert "--attach-km: only for" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "iso"),
    [("Turkey", "TUR"), ("Russia", "RUS"), ("DE", "DEU"), ("United Kingdom", "GBR"),
     ("UK", "GBR"), ("Hong Kong", "HKG"), ("kaz", "KAZ"), ("Atlantis", ""), ("", "")],
)
def test_country_names_and_codes(text, iso):
    from transcaspian.network.measured import country_iso3

    assert country_iso3(text) == iso


def test_two_attached_cities_close_together_are_joined_directly():
    """Two points 100 km apart, both ~1,000 km from their anchor: the direct access link
    (great circle x route factor) is the fibre bound between them, not the detour via the
    anchor."""
    import numpy as np

    from transcaspian.network.interconnect import Interconnection
    from transcaspian.network.routed_latency import AttachedPoint, attach_points
    from transcaspian.network.topology import geodesic_km, one_way_delay_ms

    inter = Interconnection(
        hubs={"h": 1.0}, hub_names={"h": "H"}, presence={"h": ("h",), "n": ("h",)},
        sources={}, country={"h": "AAA", "n": "AAA"}, domestic_on_net=False,
    )
    fibre = np.array([[0.0, 4.0], [4.0, 0.0]])
    pts = (
        AttachedPoint("p", 10.0, 10.0, (("n", 1000.0),), "n", "BBB"),
        AttachedPoint("q", 10.0, 10.9, (("n", 1000.0),), "n", "CCC"),
    )
    ids, f, routed = attach_points(
        fibre, ("h", "n"), inter, pts, group_index=1.468, node_latency_ms=0.0,
        route_factor=1.3, direct_km=500.0,
    )
    assert ids == ("h", "n", "p", "q")
    # the bound: access links at the geodesic (issue 21 sec. 4)
    direct = 2 * one_way_delay_ms(geodesic_km(10.0, 10.0, 10.0, 10.9), 1.468)
    via_anchor = 2 * 2 * one_way_delay_ms(1000.0, 1.468)
    assert f[2, 3] == pytest.approx(float(direct)) and f[2, 3] < via_anchor
    assert f[2, 0] == pytest.approx(float(one_way_delay_ms(1000.0, 1.468)) * 2 + 4.0)
    # as routed: access links at great circle x 1.3; they meet at the one hub (on-net and
    # local exchange switched off)
    to_hub = float(one_way_delay_ms(1300.0, 1.468)) * 2 + 4.0
    assert routed.rtt_ms[2, 3] == pytest.approx(2 * to_hub + 1.0)
    assert np.array_equal(f[:2, :2], fibre)


def test_a_pair_with_both_ends_at_one_attached_place_is_not_placed(tmp_path, capsys):
    d = _compare(tmp_path, capsys, "Vienna,Austria,48.21,16.37,Vienna,Austria,48.21,16.37,1.0\n")
    assert d["pairs"] == [] and "at one place" in d["not_placed"][0]["reason"]
