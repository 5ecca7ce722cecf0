"""Helpers for the network tests: small hand-made corridors (no files outside the repository)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from transcaspian.network.config import CorridorDataset
from transcaspian.network.topology import Corridor, resolve_links

LinkTuple = tuple[Any, ...]


def build(
    nodes: Sequence[str],
    links: Sequence[LinkTuple],
    *,
    roles: dict[str, str] | None = None,
) -> Corridor:
    """Corridor from node ids and ``(id, a, b, length_km, capacity_tbps, srlgs)`` tuples.

    Nodes sit within a few hundred metres of each other, so any length of 1 km or more is longer
    than the great circle.
    """
    roles = roles or {}
    data = {
        "sources": {"hand": "hand-made test graph"},
        "nodes": [
            {
                "id": n,
                "name": n,
                "country": f"C{i:02d}"[:3],
                "lat_deg": 40.0 + 0.001 * i,
                "lon_deg": 50.0,
                "role": roles.get(n, "pop"),
                "source": "hand",
            }
            for i, n in enumerate(nodes)
        ],
        "links": [
            {
                "id": lid,
                "system": lid,
                "a": a,
                "b": b,
                "kind": "terrestrial",
                "length_km": length,
                "capacity_tbps": cap,
                "srlgs": list(srlgs),
                "source": "hand",
            }
            for lid, a, b, length, cap, srlgs in links
        ],
    }
    return resolve_links(CorridorDataset.model_validate(data), source_name="test")
