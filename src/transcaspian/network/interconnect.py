"""The interconnection layer: which hubs exist and where each node's networks meet others.

Traffic between two networks is exchanged where they interconnect - at a few hubs (public
exchanges and carrier-neutral facilities). The bundled ``data/corridor/interconnection.yaml``
lists the hubs with a round-trip allowance each, and per corridor node the hubs where the networks
serving that city buy IP transit or peer (from cited public routing and peering facts), plus the
"Digital Hub" case in which Baku becomes a hub. One loader reads it (:func:`read_interconnection`)
and :func:`interconnection` applies the scenario's options (the Digital Hub on or off, an
allowance override) to give the immutable :class:`Interconnection` the latency models use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import Field, ValidationError

from .._load import parse_yaml, read_text, validation_message
from ..errors import DataError, NetworkError
from ..model import StrictModel
from .config import InterconnectionOptions, NodeId
from .topology import Corridor

BUNDLED_INTERCONNECTION = "corridor/interconnection.yaml"

Sources = str | tuple[str, ...]
AllowanceMs = Annotated[
    float,
    Field(ge=0.0, le=100.0, description="Round trip added where traffic is exchanged [ms]."),
]


class HubSpec(StrictModel):
    """An interconnection hub: a corridor node where many networks meet."""

    id: NodeId = Field(description="Corridor node id of the hub city.")
    name: str = Field(min_length=1, description="Display name (city and exchange).")
    allowance_ms: AllowanceMs = 1.0
    source: Sources = Field(description="Key(s) of `sources`.")


class PresenceSpec(StrictModel):
    """Where one node's networks buy transit or peer."""

    node: NodeId = Field(description="Corridor node id.")
    hubs: tuple[NodeId, ...] = Field(min_length=1, description="Hub ids, most used first.")
    source: Sources = Field(description="Key(s) of `sources`.")


class DigitalHubSpec(StrictModel):
    """The Digital Hub case: ``hub`` becomes an interconnection hub that ``joins`` use."""

    hub: NodeId = Field(description="Corridor node that becomes a hub (Baku).")
    name: str = Field(min_length=1, description="Display name.")
    allowance_ms: AllowanceMs = 1.0
    joins: tuple[NodeId, ...] = Field(
        min_length=1, description="Nodes whose networks add the hub to their presence."
    )
    source: Sources = Field(description="Key(s) of `sources`.")


class UpstreamSpec(StrictModel):
    """A country with no corridor node whose international traffic crosses into the networks
    of the ``via`` countries (its upstreams): an attached city of it exchanges locally with
    their networks (:meth:`Interconnection.attached_local`)."""

    country: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 3166 alpha-3 code.")
    via: tuple[str, ...] = Field(
        min_length=1, description="ISO 3166 alpha-3 codes of the upstream countries."
    )
    source: Sources = Field(description="Key(s) of `sources`.")


class InterconnectionDataset(StrictModel):
    """Schema of the interconnection YAML."""

    version: int = Field(1, ge=1, le=1, description="Format version.")
    sources: dict[str, str] = Field(description="Citation per key.")
    hubs: tuple[HubSpec, ...] = Field(min_length=1, description="The interconnection hubs.")
    presence: tuple[PresenceSpec, ...] = Field(description="Per-node upstream / peering hubs.")
    digital_hub: DigitalHubSpec | None = Field(None, description="The Digital Hub case.")
    upstream: tuple[UpstreamSpec, ...] = Field(
        (), description="Countries with no corridor node and the countries they transit."
    )


def read_interconnection(path: str | Path | None = None) -> InterconnectionDataset:
    """Read and validate an interconnection YAML file; ``None`` reads the bundled one.

    Raises
    ------
    DataError
        One line naming the file, the field path and the problem (also an unknown source key,
        a duplicate hub or node, a presence naming a hub that is not in ``hubs``).
    """
    if path is None:
        ref = resources.files("transcaspian").joinpath("data", BUNDLED_INTERCONNECTION)
        text, name = ref.read_text(encoding="utf-8"), f"data/{BUNDLED_INTERCONNECTION}"
    else:
        name = str(Path(path))
        text = read_text(path, what="interconnection dataset", error=DataError)
    data = parse_yaml(text, source=name, error=DataError)
    if not isinstance(data, dict):
        raise DataError(f"{name}: the top level must be a mapping")
    try:
        ds = InterconnectionDataset.model_validate(data)
    except ValidationError as err:
        raise DataError(validation_message(err, name)) from None
    _check_references(ds, name)
    return ds


def _keys(source: Sources) -> tuple[str, ...]:
    return (source,) if isinstance(source, str) else tuple(source)


def _check_references(ds: InterconnectionDataset, name: str) -> None:
    """Source keys exist, ids are unique, presence names only declared hubs."""
    hub_ids = [h.id for h in ds.hubs]
    entries: list[tuple[str, Sources]] = [(f"hubs.{i}", h.source) for i, h in enumerate(ds.hubs)]
    entries += [(f"presence.{i}", p.source) for i, p in enumerate(ds.presence)]
    entries += [(f"upstream.{i}", u.source) for i, u in enumerate(ds.upstream)]
    if ds.digital_hub is not None:
        entries.append(("digital_hub", ds.digital_hub.source))
    for where, src in entries:
        for key in _keys(src):
            if key not in ds.sources:
                raise DataError(f"{name}: {where}.source: unknown source key {key!r}")
    for i, h in enumerate(hub_ids):
        if h in hub_ids[:i]:
            raise DataError(f"{name}: hubs.{i}.id: duplicate hub {h!r}")
    seen: set[str] = set()
    for i, p in enumerate(ds.presence):
        if p.node in seen:
            raise DataError(f"{name}: presence.{i}.node: duplicate node {p.node!r}")
        seen.add(p.node)
        for h in p.hubs:
            if h not in hub_ids:
                raise DataError(f"{name}: presence.{i}.hubs: {h!r} is not a hub")


@dataclass(frozen=True)
class Interconnection:
    """Hubs (with their round-trip allowance) and each node's presence, resolved on a corridor.

    ``presence[node]`` holds the hubs where that node's networks interconnect, the node itself
    first when it is a hub; a node absent from the data falls back on its nearest hub by
    great-circle distance (listed in ``assumed``).
    """

    hubs: dict[str, float]
    hub_names: dict[str, str]
    presence: dict[str, tuple[str, ...]]
    sources: dict[str, str]
    digital_hub: str | None = None
    domestic_on_net: bool = True
    assumed: tuple[str, ...] = ()
    routing: str = "lowest_latency"
    country: dict[str, str] = field(default_factory=dict)
    local: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Countries (ISO 3166 alpha-3) whose networks a node or attached point also exchanges
    with locally, besides its own ``country`` (:func:`.routed_latency.attach_points`: an
    attached city and the country of the node whose presence it takes)."""

    upstream: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per country with no corridor node: the countries whose networks carry its international
    traffic (cited data, ``upstream`` of the dataset)."""

    def attached_local(self, country: str, presence_from: str) -> tuple[str, ...]:
        """The countries, besides its own, whose networks an attached city exchanges with
        locally (issue 21 sec. 5). It takes the presence of ``presence_from``; that node's
        country is its market when the city is of that country or of unknown country. A city
        of a country with no corridor node exchanges locally only with the countries the data
        list as its upstreams (e.g. Armenia through Georgia); its nearest node's country is no
        market of it unless listed (Tel Aviv's nearest node is Egyptian; nothing cited says
        Egyptian networks carry Israel's traffic)."""
        home = self.country.get(presence_from, "")
        if not country:
            return (home,) if home else ()
        if home == country:
            return ()
        return tuple(c for c in self.upstream.get(country, ()) if c != country)

    def exchange_countries(self, node: str) -> frozenset[str]:
        """The countries whose networks ``node`` exchanges with locally (on-net, along the
        fibre, no hub): its own and those of ``local``; empty when unknown."""
        return frozenset(c for c in (self.country.get(node, ""), *self.local.get(node, ())) if c)

    def presence_mask(self, node_ids: tuple[str, ...]) -> tuple[tuple[str, ...], np.ndarray]:
        """Hub ids and a boolean matrix ``[node, hub]``: the node's networks are at the hub."""
        hub_ids = tuple(self.hubs)
        col = {h: j for j, h in enumerate(hub_ids)}
        mask = np.zeros((len(node_ids), len(hub_ids)), dtype=bool)
        for i, n in enumerate(node_ids):
            for h in self.presence.get(n, ()):
                mask[i, col[h]] = True
        return hub_ids, mask

    def presence_rank(self, node_ids: tuple[str, ...]) -> tuple[tuple[str, ...], np.ndarray]:
        """Hub ids and ``[node, hub]`` ranks: the hub's position in the node's presence list
        (0 = first choice), ``inf`` where the node's networks are absent."""
        hub_ids = tuple(self.hubs)
        col = {h: j for j, h in enumerate(hub_ids)}
        rank = np.full((len(node_ids), len(hub_ids)), np.inf)
        for i, n in enumerate(node_ids):
            for k, h in enumerate(self.presence.get(n, ())):
                rank[i, col[h]] = k
        return hub_ids, rank

    def to_dict(self) -> dict[str, Any]:
        return {
            "routing": self.routing,
            "hubs": [
                {"id": h, "name": self.hub_names[h], "allowance_ms": a}
                for h, a in self.hubs.items()
            ],
            "presence": {n: list(p) for n, p in self.presence.items()},
            "digital_hub": self.digital_hub,
            "domestic_on_net": self.domestic_on_net,
            "presence_assumed_nearest_hub": list(self.assumed),
        }


def interconnection(
    options: InterconnectionOptions,
    corridor: Corridor,
    *,
    digital_hub: bool = False,
    dataset: InterconnectionDataset | None = None,
) -> Interconnection:
    """The interconnection layer on ``corridor``, with or without the Digital Hub.

    Parameters
    ----------
    options : InterconnectionOptions
    corridor : Corridor
        Hubs and presence entries must name its nodes.
    digital_hub : bool
        Make the dataset's ``digital_hub`` node a hub joined by its ``joins`` nodes.
    dataset : InterconnectionDataset, optional
        Already read data; default: read ``options.dataset`` (or the bundled file).

    Raises
    ------
    NetworkError
        A hub or presence node that is not a corridor node; ``digital_hub`` asked of a dataset
        without one.
    """
    ds = dataset if dataset is not None else read_interconnection(options.dataset)
    name = str(options.dataset) if options.dataset else f"data/{BUNDLED_INTERCONNECTION}"
    ids = set(corridor.node_ids)
    for i, h in enumerate(ds.hubs):
        if h.id not in ids:
            raise NetworkError(f"{name}: hubs.{i}.id: {h.id!r} is not a corridor node")
    over = options.hub_allowance_ms
    hubs = {h.id: (h.allowance_ms if over is None else over) for h in ds.hubs}
    names = {h.id: h.name for h in ds.hubs}
    given = {p.node: p.hubs for p in ds.presence if p.node in ids}
    joins: set[str] = set()
    dh = None
    if digital_hub:
        if ds.digital_hub is None:
            raise NetworkError(f"{name}: digital_hub: the dataset defines no Digital Hub case")
        dh = ds.digital_hub.hub
        if dh not in ids:
            raise NetworkError(f"{name}: digital_hub.hub: {dh!r} is not a corridor node")
        hubs[dh] = ds.digital_hub.allowance_ms if over is None else over
        names[dh] = ds.digital_hub.name
        joins = set(ds.digital_hub.joins)
    presence, assumed = _resolve_presence(corridor, hubs, given, joins, dh)
    return Interconnection(
        hubs=hubs,
        hub_names=names,
        presence=presence,
        sources=dict(ds.sources),
        digital_hub=dh,
        domestic_on_net=options.domestic_on_net,
        assumed=tuple(assumed),
        routing=options.routing,
        country={n.id: n.country for n in corridor.nodes},
        upstream={u.country: u.via for u in ds.upstream},
    )


def _resolve_presence(
    corridor: Corridor,
    hubs: dict[str, float],
    given: dict[str, tuple[str, ...]],
    joins: set[str],
    digital_hub: str | None,
) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Presence per node: itself if a hub, the Digital Hub if it joins, then its listed hubs."""
    from .topology import geodesic_km

    hub_ids = list(hubs)
    hub_lat = np.array([corridor.node(h).lat_deg for h in hub_ids])
    hub_lon = np.array([corridor.node(h).lon_deg for h in hub_ids])
    presence: dict[str, tuple[str, ...]] = {}
    assumed: list[str] = []
    for n in corridor.nodes:
        listed = list(given.get(n.id, ()))
        if not listed and n.id not in hubs:
            d = geodesic_km(n.lat_deg, n.lon_deg, hub_lat, hub_lon)
            listed = [hub_ids[int(np.argmin(d))]]
            assumed.append(n.id)
        own = [n.id] if n.id in hubs else []
        dh = [digital_hub] if digital_hub is not None and n.id in joins else []
        seq = own + dh + listed
        presence[n.id] = tuple(dict.fromkeys(h for h in seq if h in hubs))
    return presence, assumed
