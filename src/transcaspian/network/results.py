"""Typed records of the network (corridor) stage: one field per value, each with its unit.

The rows of the latency, diversity and cut tables, the saturation timeline, the link flows,
the stage settings and the headline summary (:class:`~.analysis.CorridorResult`), and the rows
of the Digital Hub effect (:class:`~.digital_hub.DigitalHubResult`). ``to_dict()`` writes the
keys of ``report.json``; the field names are generic (``line``, ``hub``), not the default
study's (``trans_caspian``, ``baku``).

Renamed keys. A field renamed from a study-specific name lists its old key in ``ALIASES``:
``to_dict()`` writes the old key too, with the same value, right after the new one (kept for
one release, see ``CHANGELOG.md``), and the JSON schema declares it. Records also read like the
dicts they replace (``row["a"]``, ``row.get("with_trans_caspian")``, old keys included), so
code written against the dicts keeps working while it is moved to attributes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..records import Record, flag, quantity, text
from .diversity import DisjointPair
from .latency import Path

__all__ = [
    "AliasedRecord",
    "AvoidingDiversity",
    "BackupGainAvoiding",
    "CityPairGain",
    "CorridorSettings",
    "CorridorSummary",
    "CutRow",
    "CutSide",
    "DiversityRow",
    "HubCombination",
    "LatencyRow",
    "LineInfo",
    "LinkFlow",
    "PairGain",
    "PairIncrease",
    "SaturationRow",
]


class AliasedRecord(Record):
    """A :class:`~transcaspian.records.Record` with old keys kept as aliases (module notes)."""

    ALIASES: ClassVar[Mapping[str, str]] = {}
    """New field name -> the old key ``to_dict`` also writes (same value)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in super().to_dict().items():
            out[k] = v
            old = self.ALIASES.get(k)
            if old is not None:
                out[old] = v
        return out

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        schema = super().json_schema()
        props: dict[str, Any] = {}
        for k, v in schema["properties"].items():
            props[k] = v
            old = cls.ALIASES.get(k)
            if old is not None:
                props[old] = {
                    **v,
                    "description": f"deprecated alias of {k!r}, kept for one release",
                    "deprecated": True,
                }
        return {**schema, "properties": props, "required": list(props)}

    @classmethod
    def alias_pairs(cls) -> list[tuple[str, str]]:
        """``(new key, old key)`` of every renamed field."""
        return list(cls.ALIASES.items())

    # ---- reads in the manner of the dicts these records replace (old keys included) ----

    @classmethod
    def _key(cls, key: object) -> str | None:
        if not isinstance(key, str):
            return None
        for new, old in cls.ALIASES.items():
            if key == old:
                return new
        if key in cls.__dataclass_fields__ or isinstance(getattr(cls, key, None), property):
            return key
        return None

    def __getitem__(self, key: str) -> Any:
        name = self._key(key)
        if name is None:
            raise KeyError(key)
        return getattr(self, name)

    def get(self, key: str, default: Any = None) -> Any:
        name = self._key(key)
        return default if name is None else getattr(self, name)

    def __contains__(self, key: object) -> bool:
        return self._key(key) is not None

    def keys(self) -> Iterator[str]:
        """The ``to_dict`` keys (aliases included)."""
        for f in self._shown():
            yield f.name
            if f.name in self.ALIASES:
                yield self.ALIASES[f.name]

    def __iter__(self) -> Iterator[str]:
        """Iterates over the keys, as the dicts did (``set(row)``, ``for k in row``)."""
        return self.keys()


def _ms(description: str, default: Any = dataclasses.MISSING) -> Any:
    return quantity("ms", description, digits=None, default=default)


def _tbps(description: str, default: Any = dataclasses.MISSING) -> Any:
    return quantity("Tbit/s", description, digits=None, default=default)


# ---------------------------------------------------------------- the studied line


_REQUIRED: Any = dataclasses.MISSING  # a field with no default, declared with ``field``


def _sub(description: str) -> dict[str, str]:
    """Metadata of a field that holds a record: its description (the record has the units)."""
    return {"unit": "", "description": description}


@dataclass(frozen=True)
class LineInfo(AliasedRecord):
    """The studied line as the corridor holds it."""

    link: str = text("corridor link id of the line")
    ends: tuple[str, ...] = text("node ids the line joins (its landings on the corridor)")
    length_km: float = quantity("km", "cable length from the route stage", digits=None)
    capacity_tbps: float = _tbps("capacity of the line")


# ---------------------------------------------------------------- latency table


@dataclass(frozen=True)
class LatencyRow(AliasedRecord):
    """One latency pair: best path with and without the line, and the k shortest paths."""

    ALIASES: ClassVar[Mapping[str, str]] = {
        "rtt_ms_without_line": "rtt_ms_without_trans_caspian",
        "path_without_line": "path_without_trans_caspian",
    }

    a: str = text("first node id")
    b: str = text("second node id")
    rtt_ms: float | None = _ms("round-trip time of the best path with the line")
    rtt_ms_without_line: float | None = _ms("round-trip time of the best path without the line")
    gain_ms: float | None = _ms("RTT without the line minus RTT with it")
    one_way_ms: float | None = _ms("one-way latency of the best path with the line")
    length_km: float | None = quantity(
        "km", "route length of the best path with the line", digits=None
    )
    path: tuple[str, ...] = text("node ids of the best path with the line")
    path_without_line: tuple[str, ...] = text("node ids of the best path without the line")
    links: tuple[str, ...] = text("link ids of the best path with the line")
    k_paths: tuple[Path, ...] = text("the k shortest paths with the line, shortest first")


# ---------------------------------------------------------------- diversity table


@dataclass(frozen=True)
class AvoidingDiversity(AliasedRecord):
    """SRLG-disjoint diversity on the corridor without the avoided groups (e.g. Russia)."""

    ALIASES: ClassVar[Mapping[str, str]] = {
        "secondary_rtt_ms_without_line": "secondary_rtt_ms_without_trans_caspian",
        "created_by_line": "created_by_trans_caspian",
    }

    srlgs: tuple[str, ...] = text("shared-risk groups avoided")
    secondary_rtt_ms: float | None = _ms(
        "RTT of the slower path of the disjoint pair, with the line"
    )
    secondary_rtt_ms_without_line: float | None = _ms("same, without the line")
    created_by_line: bool = flag("a disjoint pair exists with the line and not without it")


@dataclass(frozen=True)
class DiversityRow(AliasedRecord):
    """One latency pair: the SRLG-disjoint pair and the primary/backup, with and without."""

    ALIASES: ClassVar[Mapping[str, str]] = {
        "disjoint_pair_without_line": "disjoint_pair_without_trans_caspian",
        "secondary_rtt_ms_without_line": "secondary_rtt_ms_without_trans_caspian",
        "created_by_line": "created_by_trans_caspian",
        "backup_rtt_ms_without_line": "backup_rtt_ms_without_trans_caspian",
    }

    a: str = text("first node id")
    b: str = text("second node id")
    disjoint_pair: DisjointPair | None = field(
        default=_REQUIRED, metadata=_sub("shortest SRLG-disjoint pair with the line")
    )
    disjoint_pair_without_line: DisjointPair | None = field(
        default=_REQUIRED, metadata=_sub("same, without the line")
    )
    secondary_rtt_ms: float | None = _ms(
        "RTT of the slower path of the disjoint pair, with the line"
    )
    secondary_rtt_ms_without_line: float | None = _ms("same, without the line")
    created_by_line: bool = flag("a disjoint pair exists with the line and not without it")
    primary: Path | None = field(default=_REQUIRED, metadata=_sub("primary path with the line"))
    backup: Path | None = field(
        default=_REQUIRED, metadata=_sub("SRLG-disjoint backup of the primary, with the line")
    )
    primary_rtt_ms: float | None = _ms("RTT of the primary path with the line")
    backup_rtt_ms: float | None = _ms("RTT of the backup path with the line")
    primary_is_shortest: bool = flag("the primary is the lowest-latency path (no SRLG trap)")
    primary_basis: str = text("why this primary (one sentence)")
    backup_rtt_ms_without_line: float | None = _ms("RTT of the backup path without the line")
    avoiding: AvoidingDiversity | None = field(
        default=None,
        metadata=_sub(
            "the disjoint pair avoiding network.diversity_avoid_srlgs (null when none are avoided)"
        ),
    )


# ---------------------------------------------------------------- cut table


@dataclass(frozen=True)
class PairIncrease(AliasedRecord):
    """RTT increase of one latency pair under a cut (``None``: the pair is cut off)."""

    a: str = text("first node id")
    b: str = text("second node id")
    ms: float | None = _ms("increase of the best RTT; null when the pair is disconnected")


@dataclass(frozen=True)
class CutSide(AliasedRecord):
    """The impact of one cut on one corridor variant (with or without the line)."""

    links_cut: tuple[str, ...] = text("link ids the cut removes")
    disconnected_pairs: tuple[tuple[str, str], ...] = text("PoP pairs left unconnected")
    unserved_tbps: float = _tbps("base-year demand not served after the cut")
    unserved_fraction: float = quantity("1", "unserved share of the base-year demand", digits=None)
    max_rtt_increase_ms: float | None = _ms("largest RTT increase of a latency pair")
    rtt_increase_ms: tuple[PairIncrease, ...] = text("RTT increase of every latency pair")
    extra_unserved_tbps: float = _tbps("unserved demand added by the cut")


@dataclass(frozen=True)
class CutRow(AliasedRecord):
    """One cut scenario (named, or a single shared-risk group / link), with and without."""

    ALIASES: ClassVar[Mapping[str, str]] = {
        "with_line": "with_trans_caspian",
        "without_line": "without_trans_caspian",
    }

    name: str = text("cut name (srlg_* / link_*: a single group or link)")
    description: str = text("what the cut is")
    named: bool = flag("a named scenario of network.cut_scenarios")
    source: str = text("where the event is documented")
    with_line: CutSide = field(
        default=_REQUIRED, metadata=_sub("impact on the corridor with the line")
    )
    without_line: CutSide | None = field(
        default=_REQUIRED,
        metadata=_sub("impact without the line (null: the cut only hits the line)"),
    )


# ---------------------------------------------------------------- flows and saturation


@dataclass(frozen=True)
class LinkFlow(AliasedRecord):
    """Base-year flow on one link."""

    ALIASES: ClassVar[Mapping[str, str]] = {
        "utilisation_without_line": "utilisation_without_trans_caspian",
    }

    link: str = text("link id")
    system: str = text("cable or network system")
    utilisation: float = quantity("1", "flow / capacity with the line", digits=None)
    utilisation_without_line: float | None = quantity(
        "1", "flow / capacity without the line (null: the line itself)", digits=None
    )
    flow_tbps: float = _tbps("flow with the line")
    capacity_tbps: float = _tbps("capacity of the link")
    capacity_is_estimate: bool = flag("the capacity is an estimate, not a published figure")


@dataclass(frozen=True)
class SaturationRow(AliasedRecord):
    """The first year a link reaches 100 % utilisation (null: not by the horizon)."""

    ALIASES: ClassVar[Mapping[str, str]] = {"year_without_line": "year_without_trans_caspian"}

    link: str = text("link id")
    year: int | None = quantity("year", "year the link fills, with the line", digits=None)
    year_without_line: int | None = quantity("year", "same, without the line", digits=None)


# ---------------------------------------------------------------- settings and summary


@dataclass(frozen=True)
class CorridorSettings(AliasedRecord):
    """The settings the network stage ran with."""

    group_index: float = quantity("1", "fibre group index", digits=None)
    node_latency_ms: float = _ms("one-way allowance per node")
    k_paths: int = quantity("1", "shortest paths per pair", digits=None)
    growth_rate: float = quantity("1/yr", "demand growth per year", digits=None)
    kbps_per_user: float = quantity("kbit/s", "bandwidth per internet user", digits=None)
    total_demand_tbps_base_year: float = _tbps("total demand in the base year")


@dataclass(frozen=True)
class PairGain(AliasedRecord):
    """A latency pair and its RTT gain."""

    a: str = text("first node id")
    b: str = text("second node id")
    gain_ms: float = _ms("RTT gain")


@dataclass(frozen=True)
class BackupGainAvoiding(AliasedRecord):
    """The largest backup RTT gain on the corridor without the avoided groups."""

    ALIASES: ClassVar[Mapping[str, str]] = {
        "backup_rtt_ms_without_line": "backup_rtt_ms_without_trans_caspian",
    }

    a: str = text("first node id")
    b: str = text("second node id")
    gain_ms: float = _ms("backup RTT without the line minus with it")
    backup_rtt_ms: float | None = _ms("backup RTT with the line")
    backup_rtt_ms_without_line: float | None = _ms("backup RTT without the line")


@dataclass(frozen=True)
class CorridorSummary(AliasedRecord):
    """Headline numbers: what the line changes for the corridor."""

    ALIASES: ClassVar[Mapping[str, str]] = {
        "hub_transit_tbps": "transit_through_baku_tbps",
        "hub_transit_tbps_without": "transit_through_baku_tbps_without_trans_caspian",
        "unserved_tbps_without_line": "unserved_tbps_without_trans_caspian",
        "red_sea_2024_extra_unserved_tbps_without_line": (
            "red_sea_2024_extra_unserved_tbps_without_trans_caspian"
        ),
        "links_full_base_year_without_line": "links_full_base_year_without_trans_caspian",
    }

    pairs: int = quantity("1", "latency pairs", digits=None)
    pairs_faster: int = quantity(
        "1", "pairs whose best RTT falls by more than 0.05 ms", digits=None
    )
    best_gain: PairGain | None = field(
        default=_REQUIRED, metadata=_sub("the pair with the largest RTT gain")
    )
    pairs_with_faster_backup: int = quantity(
        "1", "pairs whose SRLG-disjoint backup gets faster by more than 0.5 ms", digits=None
    )
    best_backup_gain: PairGain | None = field(
        default=_REQUIRED, metadata=_sub("the pair with the largest backup RTT gain")
    )
    demand_pairs_connected_only_by_the_line: tuple[tuple[str, str], ...] = text(
        "demand pairs the line alone connects"
    )
    diversity_created: tuple[tuple[str, str], ...] = text(
        "pairs with an SRLG-disjoint pair only with the line"
    )
    diversity_avoiding_srlgs: tuple[str, ...] = text("shared-risk groups avoided")
    best_backup_gain_avoiding: BackupGainAvoiding | None = field(
        default=_REQUIRED,
        metadata=_sub("the largest backup gain avoiding those groups (over 0.5 ms)"),
    )
    diversity_created_avoiding: tuple[tuple[str, str], ...] = text(
        "pairs with a disjoint pair avoiding those groups only with the line"
    )
    hub_transit_tbps: float = _tbps("base-year transit through the hub node, with the line")
    hub_transit_tbps_without: float = _tbps("same, without the line")
    unserved_tbps: float = _tbps("base-year demand not served, with the line")
    unserved_tbps_without_line: float = _tbps("same, without the line")
    red_sea_2024_extra_unserved_tbps: float | None = _tbps(
        "extra unserved demand of the Red Sea 2024 replay, with the line"
    )
    red_sea_2024_extra_unserved_tbps_without_line: float | None = _tbps("same, without the line")
    links_full_base_year: int = quantity(
        "1", "links at 100 % in the base year, with the line", digits=None
    )
    links_full_base_year_without_line: int = quantity("1", "same, without the line", digits=None)


# ---------------------------------------------------------------- the Digital Hub effect


@dataclass(frozen=True)
class HubCombination(AliasedRecord):
    """One combination: corridor with/without the line x the hub as interconnection or not."""

    ALIASES: ClassVar[Mapping[str, str]] = {
        "line": "trans_caspian",
        "hub_transit_tbps": "transit_through_baku_tbps",
        "handled_in_hub_tbps": "handled_in_baku_tbps",
    }

    name: str = text("combination (without_line, with_line, *_digital_hub)")
    line: bool = flag("the corridor has the line")
    digital_hub: bool = flag("the hub is an interconnection hub")
    traffic_kept_local_tbps: float = _tbps(
        "base-year demand exchanged in the hub instead of far hubs"
    )
    kept_local_on_line_tbps: float = _tbps("the kept-local part of the flows on the line")
    hub_transit_tbps: float = _tbps("transit through the hub left after the traffic kept local")
    handled_in_hub_tbps: float = _tbps("transit + traffic kept local")
    pairs_gaining: int = quantity(
        "1", "city pairs whose as-routed RTT falls by over 0.5 ms", digits=None
    )
    median_routed_rtt_ms: float = _ms("median as-routed RTT between cities")
    max_gain_ms: float = _ms("largest as-routed RTT gain over the corridor without the line")
    pairs: int = quantity("1", "city pairs with an as-routed RTT in both cases", digits=None,
                          default=0)
    gaining_pairs: tuple[tuple[str, str], ...] = text(
        "the city pairs that gain, largest gain first", default=())
    median_gain_ms: float | None = _ms(
        "median as-routed gain over the pairs that gain (null: none gains)", default=None)
    median_gain_p50_ms: float | None = _ms(
        "the same from the calibrated P50 RTTs (what users feel, central)", default=None)
    median_gain_p10_ms: float | None = _ms(
        "the same from the calibrated P10 RTTs (P10 today - P10 then)", default=None)
    median_gain_p90_ms: float | None = _ms(
        "the same from the calibrated P90 RTTs (P90 today - P90 then)", default=None)
    max_gain_p10_ms: float | None = _ms("the largest gain's pair, P10 today - P10 then",
                                        default=None)
    max_gain_p50_ms: float | None = _ms("the largest gain's pair, P50 today - P50 then",
                                        default=None)
    max_gain_p90_ms: float | None = _ms("the largest gain's pair, P90 today - P90 then",
                                        default=None)
    max_gain_pair: tuple[str, str] | None = text("the pair with the largest gain", default=None)


@dataclass(frozen=True)
class CityPairGain(AliasedRecord):
    """A city pair whose as-routed RTT falls in some combination (null: combination absent)."""

    a: str = text("first city node id")
    b: str = text("second city node id")
    routed_rtt_ms_without_line: float = _ms("as-routed RTT today (no line, no hub)")
    gain_ms_with_line: float | None = _ms("gain with the line")
    meeting_hub_with_line: str | None = text("where the two networks meet, with the line")
    gain_ms_without_line_digital_hub: float | None = _ms("gain with the hub, no line")
    meeting_hub_without_line_digital_hub: str | None = text("meeting hub, hub and no line")
    gain_ms_with_line_digital_hub: float | None = _ms("gain with the line and the hub")
    meeting_hub_with_line_digital_hub: str | None = text("meeting hub, line and hub")
    meeting_hub_without_line: str = text("meeting hub today")
    best_gain_ms: float = _ms("the largest gain of any combination")
