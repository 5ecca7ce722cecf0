"""Input models of the network stage (pydantic v2, frozen, unknown keys refused).

``NetworkConfig()`` is the default Trans-Caspian study: the bundled corridor graph, the named
cut scenarios (Red Sea 24 Feb 2024, a Trans-Caspian cut, a Caucasus land cut, Russian transit
unavailable, Jeddah 6 Sep 2025), a gravity demand model and the city pairs of the latency table.
The same node and link models validate the bundled dataset, a user's dataset and the extra
nodes/links of a scenario, so there is one schema for the corridor graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..model import StrictModel, resolve_path
from ..units import FIBRE_GROUP_INDEX

Latitude = Annotated[float, Field(ge=-90.0, le=90.0, description="Latitude [deg], WGS84")]
Longitude = Annotated[float, Field(ge=-180.0, le=180.0, description="Longitude [deg], WGS84")]
NodeId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]

LinkKind = Literal["submarine", "terrestrial"]
LinkStatus = Literal["existing", "planned"]


class NodeSpec(StrictModel):
    """A point of presence (demand point) or a landing / transit site of the corridor graph."""

    id: NodeId = Field(description="Unique node id (snake case), referenced by links.")
    name: str = Field(min_length=1, description="Display name.")
    country: str = Field(min_length=3, max_length=3, description="ISO 3166-1 alpha-3 code.")
    lat_deg: Latitude
    lon_deg: Longitude
    role: Literal["pop", "landing"] = Field(
        "pop", description="pop: demand point of its country; landing: transit only."
    )
    user_share: float = Field(
        1.0,
        ge=0.0,
        le=1.0,
        description="Share of its own country's internet users served here [fraction] (pop only).",
    )
    countries: dict[str, float] = Field(
        default_factory=dict,
        description="Other countries (ISO3) whose users this PoP also serves, with the share "
        "[fraction] of each.",
    )
    source: str | tuple[str, ...] = Field(description="Key(s) of the dataset's `sources`.")


class LinkSpec(StrictModel):
    """One fibre system segment between two nodes (parallel systems are separate links)."""

    id: NodeId = Field(description="Unique link id.")
    system: str = Field(min_length=1, description="Cable / route system name, e.g. 'AAE-1'.")
    a: NodeId = Field(description="Node id of one end.")
    b: NodeId = Field(description="Node id of the other end.")
    kind: LinkKind = Field(description="submarine or terrestrial (sets the route factor).")
    status: LinkStatus = Field("existing", description="existing or planned.")
    length_km: float | None = Field(
        None, gt=0.0, le=40000.0, description="Published route length [km]; null = computed."
    )
    length_from: Literal["geodesic", "route_stage"] = Field(
        "geodesic",
        description="geodesic: length_km or WGS84 geodesic via waypoints x route factor; "
        "route_stage: the cable length passed by the route stage (the Trans-Caspian line).",
    )
    route_factor: float | None = Field(
        None, ge=1.0, le=5.0, description="Route / great-circle factor [-]; null = kind default."
    )
    via: tuple[tuple[float, float], ...] = Field(
        (), description="Waypoints [lat_deg, lon_deg] between a and b (off land, for the map)."
    )
    capacity_tbps: float = Field(
        ge=0.0, le=100000.0, description="Lit capacity [Tbit/s] (usually an estimate)."
    )
    capacity_is_estimate: bool = Field(True, description="True when capacity is an estimate.")
    srlgs: tuple[str, ...] = Field((), description="Shared-risk link groups of this link.")
    source: str | tuple[str, ...] = Field(description="Key(s) of the dataset's `sources`.")
    note: str = ""

    @field_validator("capacity_tbps", mode="before")
    @classmethod
    def _capacity_sign(cls, value: object) -> object:
        if isinstance(value, int | float) and value < 0:
            raise ValueError("capacity must not be negative")
        return value

    @field_validator("via")
    @classmethod
    def _via_range(cls, value: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
        for lat, lon in value:
            if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                raise ValueError(f"waypoint ({lat}, {lon}) is not a [lat_deg, lon_deg] pair")
        return value

    @model_validator(mode="after")
    def _ends(self) -> LinkSpec:
        if self.a == self.b:
            raise ValueError(f"link {self.id} starts and ends at the same node {self.a}")
        return self


class RouteFactors(StrictModel):
    """Route length / great-circle factors by link kind."""

    submarine: float = Field(
        1.13,
        ge=1.0,
        le=5.0,
        description="Median stated length / endpoint great circle of 168 point-to-point cables "
        "(TeleGeography 2022 data, network.md sec. 2.4).",
    )
    terrestrial: float = Field(
        1.3,
        ge=1.0,
        le=5.0,
        description="Median conduit / line-of-sight ratio (Bozkurt et al., arXiv:1811.10737).",
    )


class CorridorDataset(StrictModel):
    """The corridor graph file (YAML): sources, nodes, links."""

    version: int = Field(1, ge=1, le=1)
    route_factor: RouteFactors = Field(default_factory=RouteFactors)
    sources: dict[str, str] = Field(description="Citation text / URL by key.")
    nodes: tuple[NodeSpec, ...] = Field(min_length=2)
    links: tuple[LinkSpec, ...] = Field(min_length=1)


class CutScenario(StrictModel):
    """A named failure: the links it removes.

    A link is cut when its id is in ``links``; or when it belongs to one of ``srlgs`` and (if
    ``systems`` is given) to one of ``systems``; or when ``srlgs`` is empty and its system is in
    ``systems``.
    """

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    links: tuple[str, ...] = ()
    srlgs: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()
    source: str = Field("", description="Where the event is documented.")

    @model_validator(mode="after")
    def _something(self) -> CutScenario:
        if not (self.links or self.srlgs or self.systems):
            raise ValueError(f"cut scenario {self.name} names no links, srlgs or systems")
        return self


DEFAULT_CUTS: tuple[CutScenario, ...] = (
    CutScenario(
        name="red_sea_2024",
        description="24 Feb 2024: AAE-1, SEACOM/TGN-EA and EIG cut in the southern Red Sea "
        "(Rubymar anchor).",
        systems=("AAE-1", "SEACOM/TGN-EA", "EIG"),
        srlgs=("bab_el_mandeb",),
        source="https://www.kentik.com/blog/what-caused-the-red-sea-submarine-cable-cuts/",
    ),
    CutScenario(
        name="trans_caspian_cut",
        description="The Trans-Caspian line is cut.",
        links=("trans_caspian",),
    ),
    CutScenario(
        name="caucasus_land_cut",
        description="Terrestrial fibre through Georgia cut (cf. Ksani, 28 Mar 2011).",
        srlgs=("georgia_land",),
        source="https://dyn.com/blog/faraway-fallout-from-black-sea/",
    ),
    CutScenario(
        name="russia_transit_unavailable",
        description="No transit through Russia (political shared-risk group).",
        srlgs=("russia_transit",),
    ),
    CutScenario(
        name="jeddah_2025",
        description="6 Sep 2025: SEA-ME-WE 4 and IMEWE cut off Jeddah.",
        systems=("SEA-ME-WE 4", "IMEWE"),
        srlgs=("jeddah_landing",),
        source="https://techobserver.co.uk/2025/09/08/microsoft-warns-of-latency-after-red-sea-"
        "cable-cut-disrupts-me-south-asia/",
    ),
)

DEFAULT_LATENCY_PAIRS: tuple[tuple[str, str], ...] = (
    ("baku", "frankfurt"),
    ("baku", "london"),
    ("baku", "istanbul"),
    ("baku", "almaty"),
    ("baku", "tashkent"),
    ("almaty", "frankfurt"),
    ("almaty", "istanbul"),
    ("tashkent", "frankfurt"),
    ("tashkent", "istanbul"),
    ("ashgabat", "frankfurt"),
    ("tbilisi", "almaty"),
    ("istanbul", "beijing"),
    ("frankfurt", "beijing"),
    ("frankfurt", "shanghai"),
    ("frankfurt", "hong_kong"),
    ("london", "mumbai"),
    ("frankfurt", "mumbai"),
    ("frankfurt", "dubai"),
    ("london", "singapore"),
    ("frankfurt", "karachi"),
)


class DemandOptions(StrictModel):
    """Gravity demand model and its growth."""

    kbps_per_user: float = Field(
        190.0,
        gt=0.0,
        le=100000.0,
        description="International bandwidth per internet user in the reference year [kbit/s]: "
        "ITU 2021, 932 Tbit/s over 4.9 billion users.",
    )
    bandwidth_reference_year: int = Field(
        2021, ge=2000, le=2100, description="Year of kbps_per_user."
    )
    growth_rate: float = Field(
        0.28,
        ge=-0.5,
        le=2.0,
        description="Annual demand growth [fraction/yr]: TeleGeography international internet "
        "bandwidth 4-yr CAGR 28 % (2019-2023).",
    )
    base_year: int = Field(2026, ge=2000, le=2100, description="First year studied.")
    horizon_year: int = Field(2040, ge=2000, le=2100, description="Last year studied.")
    distance_exponent: float = Field(
        1.0, ge=0.0, le=4.0, description="Gravity distance-decay exponent gamma [-]."
    )
    total_tbps_base_year: float | None = Field(
        None,
        gt=0.0,
        le=1e7,
        description="Optional calibration: scale the pair demands so that they sum to this "
        "total in the base year [Tbit/s] (e.g. a TeleGeography route figure you hold); "
        "null = the gravity model's own total.",
    )
    countries_file: Path | None = Field(
        None,
        description="Country table (CSV: iso3,name,group,population,internet_users_pct,...); "
        "null = the bundled World Bank extract.",
    )
    scope: Literal["europe_asia", "all"] = Field(
        "europe_asia",
        description="europe_asia: only pairs with exactly one end in `west_countries` (the "
        "corridor's purpose; intra-Asia traffic such as India-China runs on systems not in the "
        "graph); all: every international pair.",
    )
    west_countries: tuple[str, ...] = Field(
        ("GBR", "NLD", "DEU", "FRA", "BGR", "ROU", "TUR", "RUS", "UKR"),
        description="ISO3 codes on the European side of the corridor.",
    )
    target_groups: tuple[str, ...] = Field(
        ("caucasus", "central_asia", "south_asia", "middle_east"),
        description="Country groups summed for the 'people served' figure.",
    )

    @field_validator("countries_file", mode="after")
    @classmethod
    def _resolve(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return resolve_path(value, info)

    @model_validator(mode="after")
    def _years(self) -> DemandOptions:
        if self.horizon_year < self.base_year:
            raise ValueError("demand.horizon_year must not be before demand.base_year")
        return self


class TeleGeographyImport(StrictModel):
    """Submarine cables to import from files in the TeleGeography map format (user-held)."""

    cables_geojson: Path = Field(description="cable-geo.json (FeatureCollection).")
    landing_points_geojson: Path = Field(description="landing-point-geo.json.")
    cables_meta: Path = Field(
        description="JSON list of per-cable records (id, landing_points, length, rfs, ...)."
    )
    cable_ids: tuple[str, ...] = Field((), description="Only these cables; empty = all.")
    capacity_tbps: float = Field(
        10.0, ge=0.0, le=100000.0, description="Capacity estimate given to each imported segment."
    )

    @field_validator("cables_geojson", "landing_points_geojson", "cables_meta", mode="after")
    @classmethod
    def _resolve(cls, value: Path, info: ValidationInfo) -> Path:
        resolved = resolve_path(value, info)
        assert resolved is not None
        return resolved


class NetworkConfig(StrictModel):
    """Inputs of the network stage; the defaults are the Trans-Caspian study."""

    dataset: Path | None = Field(
        None, description="Corridor graph YAML replacing the bundled one; null = bundled."
    )
    extra_nodes: tuple[NodeSpec, ...] = Field((), description="Nodes added to the dataset.")
    extra_links: tuple[LinkSpec, ...] = Field((), description="Links added to the dataset.")
    extra_sources: dict[str, str] = Field(
        default_factory=dict, description="Citations for the extra nodes and links."
    )
    remove_links: tuple[str, ...] = Field((), description="Dataset link ids to drop.")
    include_planned: tuple[str, ...] = Field(
        (), description="Planned link ids to include (the Trans-Caspian line always is)."
    )
    trans_caspian_link: str = Field(
        "trans_caspian", description="Id of the link whose length comes from the route stage."
    )
    hub_node: str = Field("baku", description="Node whose transit volume is reported.")
    group_index: float = Field(
        FIBRE_GROUP_INDEX,
        ge=1.4,
        le=1.6,
        description="Fibre group index n_g [-] (G.652 at 1550 nm; 4.897 us/km one way).",
    )
    node_latency_ms: float = Field(
        0.1,
        ge=0.0,
        le=50.0,
        description="One-way equipment allowance per node on a path, ends included [ms] "
        "(transponder DSP/FEC, switching): an allowance, not a measurement.",
    )
    k_paths: int = Field(3, ge=1, le=20, description="Candidate paths per pair (Yen).")
    latency_pairs: tuple[tuple[str, str], ...] = Field(
        DEFAULT_LATENCY_PAIRS, description="City pairs of the latency and diversity tables."
    )
    cut_scenarios: tuple[CutScenario, ...] = Field(DEFAULT_CUTS, description="Named cuts.")
    diversity_avoid_srlgs: tuple[str, ...] = Field(
        ("russia_transit",),
        description="Also compute diversity on the graph without these groups (a buyer who "
        "cannot use Russian transit); empty = skip.",
    )
    all_single_srlg_cuts: bool = Field(
        True, description="Also evaluate every named shared-risk group alone."
    )
    single_link_cuts: bool = Field(
        False, description="Also evaluate every link alone (its own SRLG): many more LPs."
    )
    demand: DemandOptions = Field(default_factory=DemandOptions)
    column_generation: bool = Field(
        True,
        description="Let the flow LP add paths beyond the k candidates when they lower its cost "
        "(exact min-cost multicommodity flow); false = the k candidates only.",
    )
    unserved_penalty_ms: float = Field(
        10000.0,
        gt=0.0,
        le=1e9,
        description="LP cost of a Tbit/s left unserved, in ms of path latency [ms].",
    )
    telegeography: TeleGeographyImport | None = Field(
        None, description="Optional cable-map import merged into the graph."
    )

    @field_validator("dataset", mode="after")
    @classmethod
    def _resolve(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return resolve_path(value, info)
