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
