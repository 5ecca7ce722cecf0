"""The corridor graph: load and validate the dataset, resolve link lengths, build graphs.

A :class:`Corridor` is an immutable list of nodes and links. Parallel systems between the same
two nodes stay separate links (each with its own capacity and shared-risk groups); algorithms that
need a simple graph collapse them with :func:`simple_graph` (the minimum-latency link per node
pair), because ``networkx.shortest_simple_paths`` refuses multigraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import ValidationError

from .._load import parse_yaml, read_text, validation_message
from ..errors import DataError, NetworkError
from ..units import SPEED_OF_LIGHT_M_PER_S
from .config import CorridorDataset, LinkSpec, NetworkConfig, NodeSpec

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

BUNDLED_DATASET = "corridor/corridor.yaml"


@lru_cache(maxsize=1)
def _geod() -> Any:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def geodesic_km(lat1_deg: Any, lon1_deg: Any, lat2_deg: Any, lon2_deg: Any) -> np.ndarray:
    """Geodesic distance on the WGS84 ellipsoid [km] (Karney's algorithm via pyproj ``Geod``).

    >>> round(float(geodesic_km(40.59, 49.67, 43.65, 51.20)), 1)
    362.7
    """
    lat1, lon1, lat2, lon2 = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (lat1_deg, lon1_deg, lat2_deg, lon2_deg))
    )
    _, _, dist_m = _geod().inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())
    return np.asarray(dist_m, dtype=float).reshape(lat1.shape) / 1e3


def polyline_km(points: Sequence[tuple[float, float]]) -> float:
    """WGS84 geodesic length of a polyline of ``(lat_deg, lon_deg)`` points [km]."""
    pts = np.asarray(points, dtype=float)
    if len(pts) < 2:
        return 0.0
    return float(np.sum(geodesic_km(pts[:-1, 0], pts[:-1, 1], pts[1:, 0], pts[1:, 1])))


def one_way_delay_ms(length_km: Any, group_index: float) -> np.ndarray:
    """One-way propagation delay in fibre [ms]: ``t = L n_g / c``.

    Notes
    -----
    With n_g = 1.468 (G.652 fibre near 1550 nm) this is 4.897 µs per km (network.md sec. 2.1).
    """
    return np.asarray(length_km, dtype=float) * 1e3 * group_index / SPEED_OF_LIGHT_M_PER_S * 1e3


@dataclass(frozen=True)
class Link:
    """A resolved link: length known, SRLGs include the link's own group ``link:<id>``."""

    id: str
    system: str
    a: str
    b: str
    kind: str
    status: str
    length_km: float
    length_basis: str
    great_circle_km: float
    capacity_tbps: float
    capacity_is_estimate: bool
    srlgs: tuple[str, ...]
    sources: tuple[str, ...]
    geometry: tuple[tuple[float, float], ...]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "system": self.system,
            "a": self.a,
            "b": self.b,
            "kind": self.kind,
            "status": self.status,
            "length_km": self.length_km,
            "length_basis": self.length_basis,
            "great_circle_km": self.great_circle_km,
            "capacity_tbps": self.capacity_tbps,
            "capacity_is_estimate": self.capacity_is_estimate,
            "srlgs": list(self.srlgs),
            "sources": list(self.sources),
            "note": self.note,
        }


@dataclass(frozen=True)
class Corridor:
    """An immutable corridor graph (nodes, links, citations)."""

    nodes: tuple[NodeSpec, ...]
    links: tuple[Link, ...]
    sources: dict[str, str] = field(default_factory=dict)
    source_name: str = "corridor"

    @property
    def node_ids(self) -> tuple[str, ...]:
        return tuple(n.id for n in self.nodes)

    def node(self, node_id: str) -> NodeSpec:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise NetworkError(f"{self.source_name}: unknown node {node_id!r}")

    def link(self, link_id: str) -> Link:
        for lk in self.links:
            if lk.id == link_id:
                return lk
        raise NetworkError(f"{self.source_name}: unknown link {link_id!r}")

    @property
    def srlgs(self) -> tuple[str, ...]:
        """Shared groups (named SRLGs used by at least one link), sorted."""
        names = {g for lk in self.links for g in lk.srlgs if not g.startswith("link:")}
        return tuple(sorted(names))

    def without(self, link_ids: Iterable[str]) -> Corridor:
        """A copy without the given links (a cut); the input is not modified."""
        drop = set(link_ids)
        return replace(self, links=tuple(lk for lk in self.links if lk.id not in drop))

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [
                {
                    "id": n.id,
                    "name": n.name,
                    "country": n.country,
                    "lat_deg": n.lat_deg,
                    "lon_deg": n.lon_deg,
                    "role": n.role,
                }
                for n in self.nodes
            ],
            "links": [lk.to_dict() for lk in self.links],
        }


# --------------------------------------------------------------------------------------------
# Loading


def read_dataset(path: str | Path | None = None) -> CorridorDataset:
    """Read and validate a corridor dataset YAML file; ``None`` reads the bundled one.

    Raises
    ------
    DataError
        One line naming the file, the field path and the problem.
    """
    if path is None:
        ref = resources.files("transcaspian").joinpath("data", BUNDLED_DATASET)
        text = ref.read_text(encoding="utf-8")
        name = f"data/{BUNDLED_DATASET}"
    else:
        name = str(Path(path))
        text = read_text(path, what="corridor dataset", error=DataError)
    data = parse_yaml(text, source=name, error=DataError)
    if not isinstance(data, dict):
        raise DataError(f"{name}: the top level must be a mapping")
    try:
        return CorridorDataset.model_validate(data)
    except ValidationError as err:
        raise DataError(validation_message(err, name)) from None


def resolve_links(
    dataset: CorridorDataset,
    *,
    source_name: str = "corridor",
    route_lengths_km: dict[str, float] | None = None,
) -> Corridor:
    """Check the dataset's references and compute every link's length.

    Parameters
    ----------
    dataset : CorridorDataset
    source_name : str
        File or scenario name used in error messages.
    route_lengths_km : dict of str to float, optional
        Lengths [km] of links with ``length_from: route_stage`` (the cable length from the route
        stage); a link of that kind missing here is dropped.

    Raises
    ------
    NetworkError
        Duplicate ids, a link to an unknown node, an unknown source key, a length shorter than
        the great circle.
    """
    route_lengths_km = route_lengths_km or {}
    ids = [n.id for n in dataset.nodes]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise NetworkError(f"{source_name}: duplicate node id {sorted(dup)[0]!r}")
    by_id = {n.id: n for n in dataset.nodes}
    link_ids = [lk.id for lk in dataset.links]
    dup = {i for i in link_ids if link_ids.count(i) > 1}
    if dup:
        raise NetworkError(f"{source_name}: duplicate link id {sorted(dup)[0]!r}")
    for n in dataset.nodes:
        for key in (n.source,) if isinstance(n.source, str) else n.source:
            if key not in dataset.sources:
                raise NetworkError(f"{source_name}: node {n.id}: unknown source key {key!r}")
    links: list[Link] = []
    for spec in dataset.links:
        for end in (spec.a, spec.b):
            if end not in by_id:
                raise NetworkError(f"{source_name}: link {spec.id}: unknown node {end!r}")
        srcs = (spec.source,) if isinstance(spec.source, str) else tuple(spec.source)
        for key in srcs:
            if key not in dataset.sources:
                raise NetworkError(f"{source_name}: link {spec.id}: unknown source key {key!r}")
        na, nb = by_id[spec.a], by_id[spec.b]
        geometry = ((na.lat_deg, na.lon_deg), *spec.via, (nb.lat_deg, nb.lon_deg))
        gc = float(geodesic_km(na.lat_deg, na.lon_deg, nb.lat_deg, nb.lon_deg))
        factor = spec.route_factor or getattr(dataset.route_factor, spec.kind)
        if spec.length_from == "route_stage":
            if spec.id not in route_lengths_km:
                continue
            length = float(route_lengths_km[spec.id])
            basis = "route stage cable length"
        elif spec.length_km is not None:
            length, basis = float(spec.length_km), "published"
        elif spec.via:
            length = polyline_km(geometry) * factor
            basis = f"geodesic via waypoints x {factor:g}"
        else:
            length, basis = gc * factor, f"great circle x {factor:g}"
        if not np.isfinite(length) or length <= 0:
            raise NetworkError(f"{source_name}: link {spec.id}: length must be positive")
        # The route stage owns its length and its landing positions may differ from the graph's
        # nodes by a few km: only a length clearly below the great circle is refused there.
        floor = 0.9 if spec.length_from == "route_stage" else 1 - 1e-6
        if length < gc * floor:
            raise NetworkError(
                f"{source_name}: link {spec.id}: length {length:.1f} km is shorter than the "
                f"great circle {gc:.1f} km"
            )
        links.append(
            Link(
                id=spec.id,
                system=spec.system,
                a=spec.a,
                b=spec.b,
                kind=spec.kind,
                status=spec.status,
                length_km=length,
                length_basis=basis,
                great_circle_km=gc,
                capacity_tbps=float(spec.capacity_tbps),
                capacity_is_estimate=spec.capacity_is_estimate,
                srlgs=(f"link:{spec.id}", *spec.srlgs),
                sources=srcs,
                geometry=geometry,
                note=spec.note,
            )
        )
    return Corridor(
        nodes=tuple(dataset.nodes),
        links=tuple(links),
        sources=dict(dataset.sources),
        source_name=source_name,
    )


UNSET: Any = object()
"""Default of a keyword renamed from ``trans_caspian_*`` to ``line_*`` (see :func:`renamed`)."""


def renamed(new_name: str, new: Any, old_name: str, old: Any, default: Any = UNSET) -> Any:
    """The value of a keyword renamed to ``new_name``; its old name still works (one release).

    ``default`` (when not :data:`UNSET`) is used when neither is given; else it is an error.
    """
    if old is not UNSET:
        if new is not UNSET:
            raise TypeError(f"{new_name} and its deprecated alias {old_name} are both given")
        return old
    if new is UNSET:
        if default is UNSET:
            raise TypeError(f"missing keyword argument {new_name!r}")
        return default
    return new


def build_corridor(
    config: NetworkConfig,
    *,
    line_length_km: float | None = UNSET,
    line_capacity_tbps: float | None = UNSET,
    extra: CorridorDataset | None = None,
    line_landings_deg: tuple[tuple[float, float], tuple[float, float]] | None = UNSET,
    line_landing_names: tuple[str, str] | None = UNSET,
    trans_caspian_length_km: float | None = UNSET,
    trans_caspian_capacity_tbps: float | None = UNSET,
    trans_caspian_landings_deg: tuple[tuple[float, float], tuple[float, float]] | None = UNSET,
    trans_caspian_landing_names: tuple[str, str] | None = UNSET,
) -> Corridor:
    """The corridor graph of a study: dataset + scenario extras, planned links filtered.

    Parameters
    ----------
    config : NetworkConfig
    line_length_km : float or None
        Cable length of the studied line (``network.trans_caspian_link``) from the route stage
        [km]; ``None`` keeps the dataset's length.
    line_capacity_tbps : float, optional
        Capacity of the line [Tbit/s] (e.g. from the optics stage); default: the dataset's.
    extra : CorridorDataset, optional
        Further nodes/links (e.g. a TeleGeography import) merged in.
    line_landings_deg : ((lat, lon), (lat, lon)), optional
        The scenario's landing stations [deg]. Each end attaches to a dataset node within
        ``LANDING_SNAP_KM``, or becomes a new landing node with a terrestrial backhaul to the
        nearest node (great circle x the terrestrial route factor, labelled as derived: status
        ``planned``, ``length_basis`` "great circle x f"). Default: the dataset's ends.
    line_landing_names : (str, str), optional
        The scenario's names of the two landings: a new landing node takes its name (and an id
        made from it); default "<system> landing A/B".
    trans_caspian_length_km, trans_caspian_capacity_tbps, trans_caspian_landings_deg, \
trans_caspian_landing_names
        Deprecated names of the four ``line_*`` keywords (kept for one release).
    """
    line_length_km = renamed(
        "line_length_km", line_length_km, "trans_caspian_length_km", trans_caspian_length_km
    )
    line_capacity_tbps = renamed(
        "line_capacity_tbps", line_capacity_tbps,
        "trans_caspian_capacity_tbps", trans_caspian_capacity_tbps, None,
    )
    line_landings_deg = renamed(
        "line_landings_deg", line_landings_deg,
        "trans_caspian_landings_deg", trans_caspian_landings_deg, None,
    )
    line_landing_names = renamed(
        "line_landing_names", line_landing_names,
        "trans_caspian_landing_names", trans_caspian_landing_names, None,
    )
    base = read_dataset(config.dataset)
    name = str(config.dataset) if config.dataset else f"data/{BUNDLED_DATASET}"
    if line_length_km is not None and not (np.isfinite(line_length_km) and line_length_km > 0):
        raise NetworkError(f"line_length_km: must be a positive length, got {line_length_km!r}")
    if line_capacity_tbps is not None and not line_capacity_tbps >= 0:
        raise NetworkError(f"line_capacity_tbps: must not be negative, got {line_capacity_tbps!r}")
    nodes = list(base.nodes) + list(config.extra_nodes)
    _check_extras(config, base, nodes)
    links = [lk for lk in base.links if lk.id not in set(config.remove_links)]
    links += list(config.extra_links)
    sources = {**base.sources, **config.extra_sources}
    if extra is not None:
        known = {n.id for n in nodes}
        nodes += [n for n in extra.nodes if n.id not in known]
        links += list(extra.links)
        sources.update(extra.sources)
    unknown_removed = set(config.remove_links) - {lk.id for lk in base.links}
    if unknown_removed:
        raise NetworkError(f"network.remove_links: unknown link {sorted(unknown_removed)[0]!r}")
    tc = config.trans_caspian_link
    if line_landings_deg is not None:
        links = _attach_landings(nodes, links, sources, tc, line_landings_deg, line_landing_names)
    # the backhauls of new landing nodes are assumed links: 'planned', kept like the line itself
    keep_planned = (
        set(config.include_planned)
        | {tc}
        | {lk.id for lk in links if lk.id.startswith(f"{tc}_landing_")}
    )
    unknown_planned = set(config.include_planned) - {lk.id for lk in links}
    if unknown_planned:
        raise NetworkError(f"network.include_planned: unknown link {sorted(unknown_planned)[0]!r}")
    final: list[LinkSpec] = []
    for lk in links:
        if lk.status == "planned" and lk.id not in keep_planned:
            continue
        if lk.id == tc and line_capacity_tbps is not None:
            lk = lk.model_copy(update={"capacity_tbps": float(line_capacity_tbps)})
        final.append(lk)
    if tc not in {lk.id for lk in final}:
        raise NetworkError(f"network.trans_caspian_link: no link {tc!r} in {name}")
    try:
        merged = CorridorDataset(
            version=base.version,
            route_factor=base.route_factor,
            sources=sources,
            nodes=tuple(nodes),
            links=tuple(final),
        )
    except ValidationError as err:
        raise NetworkError(validation_message(err, "network")) from None
    lengths = {} if line_length_km is None else {tc: float(line_length_km)}
    return resolve_links(merged, source_name=name, route_lengths_km=lengths)


LANDING_SNAP_KM = 15.0


def _check_extras(config: NetworkConfig, base: CorridorDataset, nodes: list[NodeSpec]) -> None:
    """Blame the scenario's own additions on the scenario fields, not on the dataset."""
    base_nodes = {n.id for n in base.nodes}
    for i, n in enumerate(config.extra_nodes):
        if n.id in base_nodes:
            raise NetworkError(f"network.extra_nodes.{i}.id: node {n.id!r} is already defined")
    known = {n.id for n in nodes}
    base_links = {lk.id for lk in base.links if lk.id not in set(config.remove_links)}
    seen: set[str] = set()
    for i, lk in enumerate(config.extra_links):
        for end in ("a", "b"):
            node = getattr(lk, end)
            if node not in known:
                raise NetworkError(f"network.extra_links.{i}.{end}: unknown node {node!r}")
        if lk.id in base_links or lk.id in seen:
            raise NetworkError(f"network.extra_links.{i}.id: duplicate link id {lk.id!r}")
        seen.add(lk.id)


def _landing_node_id(name: str | None, fallback: str, taken: set[str]) -> str:
    """A node id from a landing's name (``"Kuryk"`` → ``kuryk``), unique among ``taken``."""
    slug = re.sub(r"[^a-z0-9]+", "_", (name or "").lower()).strip("_")[:48]
    for candidate in (slug, f"{slug}_landing"):
        if candidate and candidate not in taken:
            return candidate
    return fallback


def _attach_landings(
    nodes: list[NodeSpec],
    links: list[LinkSpec],
    sources: dict[str, str],
    tc: str,
    landings: tuple[tuple[float, float], tuple[float, float]],
    names: tuple[str, str] | None,
) -> list[LinkSpec]:
    """Re-point the line's ends at the scenario's landings (mutates ``nodes`` and ``sources``).

    A landing farther than ``LANDING_SNAP_KM`` from every node becomes a new node named as in
    the scenario, with a backhaul to the nearest node whose length is *derived* (no length
    given: the great circle times the dataset's terrestrial route factor) and whose status is
    ``planned`` (nobody has published that it exists).
    """
    spec = next((lk for lk in links if lk.id == tc), None)
    if spec is None:
        return links
    lat = np.array([n.lat_deg for n in nodes])
    lon = np.array([n.lon_deg for n in nodes])
    ends: list[str] = []
    extra_links: list[LinkSpec] = []
    sources.setdefault("scenario_landing", "Landing station given in the scenario file.")
    sources.setdefault(
        "assumed_backhaul",
        "Assumed terrestrial backhaul from a new landing to the nearest corridor node: length "
        "derived as great circle x the dataset's terrestrial route factor; not a published link.",
    )
    for k, (la, lo) in enumerate(landings):
        d = geodesic_km(la, lo, lat, lon)
        i = int(np.argmin(d))
        if d[i] <= LANDING_SNAP_KM:
            ends.append(nodes[i].id)
            continue
        name = names[k] if names is not None else f"{spec.system} landing {'AB'[k]}"
        nid = _landing_node_id(
            names[k] if names else None, f"{tc}_landing_{'ab'[k]}", {n.id for n in nodes}
        )
        nodes.append(
            NodeSpec(
                id=nid,
                name=name,
                country=nodes[i].country,
                lat_deg=la,
                lon_deg=lo,
                role="landing",
                source="scenario_landing",
            )
        )
        extra_links.append(
            LinkSpec(
                id=f"{tc}_landing_{'ab'[k]}_backhaul",
                system=f"{spec.system} backhaul {name} - {nodes[i].name}",
                a=nid,
                b=nodes[i].id,
                kind="terrestrial",
                status="planned",
                capacity_tbps=spec.capacity_tbps,
                capacity_is_estimate=True,
                srlgs=spec.srlgs,
                source=("scenario_landing", "assumed_backhaul"),
                note="assumed backhaul: length derived from the great circle",
            )
        )
        ends.append(nid)
    moved = spec.model_copy(update={"a": ends[0], "b": ends[1]})
    return [moved if lk.id == tc else lk for lk in links] + extra_links


# --------------------------------------------------------------------------------------------
# Graph views


def link_latency_ms(link: Link, group_index: float, node_latency_ms: float) -> float:
    """Latency weight of a link [ms, one way]: fibre delay + the allowance of its far node."""
    return float(one_way_delay_ms(link.length_km, group_index)) + node_latency_ms


def simple_graph(corridor: Corridor, *, group_index: float, node_latency_ms: float) -> nx.Graph:
    """Undirected simple graph; each edge keeps the minimum-latency parallel link.

    Edge attributes: ``weight`` (one-way ms incl. one node allowance), ``link`` (id of the
    fastest member), ``links`` (all parallel ids), ``length_km``, ``capacity_tbps`` (sum of the
    parallel links: a bundle, split among its members in proportion to their capacity).
    """
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(corridor.node_ids)
    for lk in corridor.links:
        w = link_latency_ms(lk, group_index, node_latency_ms)
        if g.has_edge(lk.a, lk.b):
            data = g.edges[lk.a, lk.b]
            data["links"].append(lk.id)
            data["capacity_tbps"] += lk.capacity_tbps
            if w < data["weight"]:
                data.update(weight=w, link=lk.id, length_km=lk.length_km)
        else:
            g.add_edge(
                lk.a,
                lk.b,
                weight=w,
                link=lk.id,
                links=[lk.id],
                length_km=lk.length_km,
                capacity_tbps=lk.capacity_tbps,
            )
    return g
