"""A scenario's own corridor additions are blamed on the scenario's fields, not the dataset."""

from __future__ import annotations

import pytest

from transcaspian.errors import NetworkError
from transcaspian.network.config import LinkSpec, NetworkConfig, NodeSpec
from transcaspian.network.topology import build_corridor


def _link(**kw: object) -> LinkSpec:
    base: dict[str, object] = {"id": "x1", "system": "X", "a": "baku", "b": "tbilisi",
                               "kind": "terrestrial", "capacity_tbps": 1.0,
                               "source": "coords"}
    base.update(kw)
    return LinkSpec.model_validate(base)


def test_unknown_node_in_extra_link_names_the_scenario_field() -> None:
    cfg = NetworkConfig(extra_links=(_link(b="atlantis"),))
    with pytest.raises(NetworkError, match=r"^network\.extra_links\.0\.b: unknown node 'atlantis'"):
        build_corridor(cfg, trans_caspian_length_km=372.0)


def test_duplicate_extra_link_id_names_the_scenario_field() -> None:
    cfg = NetworkConfig(extra_links=(_link(), _link()))
    with pytest.raises(NetworkError, match=r"^network\.extra_links\.1\.id: duplicate link id"):
        build_corridor(cfg, trans_caspian_length_km=372.0)


def test_extra_node_redefining_a_dataset_node() -> None:
    node = NodeSpec.model_validate({"id": "baku", "name": "Baku", "country": "AZE",
                                    "lat_deg": 40.4, "lon_deg": 49.9, "source": "x"})
    cfg = NetworkConfig(extra_nodes=(node,))
    with pytest.raises(NetworkError, match=r"^network\.extra_nodes\.0\.id: node 'baku'"):
        build_corridor(cfg, trans_caspian_length_km=372.0)
