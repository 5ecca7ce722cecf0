"""NetworkConfig: YAML round trip, user overrides, one-line validation errors."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from transcaspian.network import NetworkConfig

SNIPPET = """
include_planned: [az_tm_caspian]
node_latency_ms: 0.05
latency_pairs: [[baku, frankfurt], [almaty, istanbul]]
demand: {growth_rate: 0.2, base_year: 2027, horizon_year: 2035}
cut_scenarios:
  - {name: red_sea_2024, systems: [AAE-1, SEACOM/TGN-EA, EIG], srlgs: [bab_el_mandeb]}
  - {name: my_cut, links: [tbilisi_baku]}
extra_sources: {me: "my survey"}
extra_nodes:
  - {id: yerevan, name: Yerevan, country: ARM, lat_deg: 40.18, lon_deg: 44.51, source: me}
extra_links:
  - {id: yerevan_tbilisi, system: AM-GE, a: yerevan, b: tbilisi, kind: terrestrial,
     capacity_tbps: 1.0, srlgs: [georgia_land], source: me}
"""


def test_yaml_round_trip_is_identity():
    cfg = NetworkConfig.model_validate(yaml.safe_load(SNIPPET))
    again = NetworkConfig.model_validate(
        yaml.safe_load(yaml.safe_dump(cfg.model_dump(mode="json")))
    )
    assert again == cfg
    assert NetworkConfig.model_validate(NetworkConfig().model_dump(mode="json")) == NetworkConfig()


def test_user_extension_is_used():
    from transcaspian.network import build_corridor

    cfg = NetworkConfig.model_validate(yaml.safe_load(SNIPPET))
    c = build_corridor(cfg, trans_caspian_length_km=380.0)
    assert "yerevan" in c.node_ids and c.link("yerevan_tbilisi").length_km > 0
    assert c.link("az_tm_caspian").status == "planned"


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"k_paths": 0}, "k_paths"),
        ({"demand": {"growth_rate": 5}}, "demand.growth_rate"),
        ({"demand": {"base_year": 2030, "horizon_year": 2020}}, "horizon_year"),
        ({"colour": "red"}, "colour"),
        ({"cut_scenarios": [{"name": "empty"}]}, "names no links"),
    ],
)
def test_bad_values_refused(data, where):
    with pytest.raises(ValidationError, match=where):
        NetworkConfig.model_validate(data)
