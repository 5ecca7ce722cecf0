"""The network stage's typed records: schema, renamed keys and their aliases, field tables.

Every record type's ``json_schema()`` validates the default scenario's ``to_dict()`` output of
that type; the old key kept as an alias carries the new key's value; every field has a
description and every numeric field a unit.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

import pytest

from transcaspian.network.analysis import RENAMED_TOP_LEVEL_KEYS, CorridorResult
from transcaspian.network.digital_hub import DigitalHubResult
from transcaspian.network.diversity import DisjointPair, PrimaryBackup
from transcaspian.network.latency import Path
from transcaspian.network.results import (
    AliasedRecord,
    AvoidingDiversity,
    BackupGainAvoiding,
    CityPairGain,
    CorridorSettings,
    CorridorSummary,
    CutRow,
    CutSide,
    DiversityRow,
    HubCombination,
    LatencyRow,
    LineInfo,
    LinkFlow,
    PairGain,
    PairIncrease,
    SaturationRow,
)
from transcaspian.records import Record

RECORD_TYPES: tuple[type[Record], ...] = (
    Path, DisjointPair, PrimaryBackup, LineInfo, LatencyRow, AvoidingDiversity, DiversityRow,
    PairIncrease, CutSide, CutRow, LinkFlow, SaturationRow, CorridorSettings, PairGain,
    BackupGainAvoiding, CorridorSummary, HubCombination, CityPairGain, DigitalHubResult,
)


@pytest.fixture(scope="module")
def network(default_plan: Any) -> CorridorResult:
    net = default_plan.network
    assert isinstance(net, CorridorResult)
    return net


def _instances(net: CorridorResult) -> Iterator[Record]:
    """Every record the default scenario's network result holds, nested ones included."""
    top: list[Record] = [net.line, net.summary(), *net.latency, *net.diversity, *net.cuts,
                         *net.saturation, *net.link_flows()]
    if net.settings is not None:
        top.append(net.settings)
    if net.digital_hub is not None:
        top.append(net.digital_hub)
    seen: set[int] = set()

    def walk(x: Any) -> Iterator[Record]:
        if isinstance(x, Record):
            if id(x) in seen:
                return
            seen.add(id(x))
            yield x
            for f in x._shown():
                yield from walk(getattr(x, f.name))
        elif isinstance(x, tuple | list):
            for v in x:
                yield from walk(v)

    for r in top:
        yield from walk(r)


def test_every_record_type_is_found_in_the_default_result(network: CorridorResult) -> None:
    found = {type(r) for r in _instances(network)}
    # a primary/backup is folded into its diversity row; the other types all occur
    assert set(RECORD_TYPES) - found == {PrimaryBackup}


def test_each_schema_validates_the_default_output(network: CorridorResult) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    checked: dict[type, int] = {}
    for r in _instances(network):
        jsonschema.validate(r.to_dict(), type(r).json_schema())
        checked[type(r)] = checked.get(type(r), 0) + 1
    assert checked[LatencyRow] == len(network.latency)
    assert checked[CutRow] == len(network.cuts)


def test_the_schema_refuses_a_wrong_type(network: CorridorResult) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    row = network.latency[0].to_dict()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**row, "rtt_ms": "45 ms"}, LatencyRow.json_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in row.items() if k != "rtt_ms_without_trans_caspian"},
                            LatencyRow.json_schema())


def test_old_and_new_keys_carry_equal_values(network: CorridorResult) -> None:
    n_aliases = 0
    for r in _instances(network):
        d = r.to_dict()
        for new, old in getattr(type(r), "ALIASES", {}).items():
            assert d[old] == d[new], (type(r).__name__, new, old)
            assert r[old] == r[new] == getattr(r, new)  # old-style reads still work
            n_aliases += 1
    assert n_aliases > 0
    top = network.to_dict()
    for new, old in RENAMED_TOP_LEVEL_KEYS:
        assert top[old] == top[new], (new, old)
    summary = top["summary"]
    assert summary["transit_through_baku_tbps"] == summary["hub_transit_tbps"]
    assert summary["hub_transit_tbps"] == network.hub_transit_tbps


def test_old_attribute_names_are_aliases(network: CorridorResult) -> None:
    assert network.trans_caspian_link == network.line_link
    assert network.trans_caspian_length_km == network.line_length_km
    assert network.trans_caspian_capacity_tbps == network.line_capacity_tbps
    assert network.transit_through_baku_tbps == network.hub_transit_tbps
    assert network.transit_through_baku_tbps_without == network.hub_transit_tbps_without
    cut = network.cuts[0]
    assert cut.get("with_trans_caspian") is cut.with_line
    assert "without_trans_caspian" in cut and "nonsense" not in cut
    with pytest.raises(KeyError):
        cut["nonsense"]


def _numeric(tp: Any) -> bool:
    if tp in (int, float):
        return True
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return bool(args) and all(_numeric(a) for a in args)
    return False


@pytest.mark.parametrize("cls", RECORD_TYPES, ids=lambda c: c.__name__)
def test_fields_table_describes_every_field(cls: type[Record]) -> None:
    hints = typing.get_type_hints(cls)
    table = cls.fields_table()
    assert table
    for name, unit, description in table:
        assert description.strip(), f"{cls.__name__}.{name}: no description"
        if _numeric(hints[name]):
            assert unit, f"{cls.__name__}.{name}: a number with no unit"


def test_aliases_are_declared_in_the_schema() -> None:
    for cls in RECORD_TYPES:
        if not issubclass(cls, AliasedRecord):
            continue
        props = cls.json_schema()["properties"]
        for new, old in cls.ALIASES.items():
            assert props[old]["deprecated"] is True
            assert new in props


def test_line_keywords_and_their_old_names_agree() -> None:
    from transcaspian.network.config import NetworkConfig
    from transcaspian.network.topology import build_corridor

    new = build_corridor(NetworkConfig(), line_length_km=380.0, line_capacity_tbps=4.0)
    old = build_corridor(NetworkConfig(), trans_caspian_length_km=380.0,
                         trans_caspian_capacity_tbps=4.0)
    assert new.to_dict() == old.to_dict()
    with pytest.raises(TypeError, match="both given"):
        build_corridor(NetworkConfig(), line_length_km=380.0, trans_caspian_length_km=380.0)
    with pytest.raises(TypeError, match="line_length_km"):
        build_corridor(NetworkConfig())
