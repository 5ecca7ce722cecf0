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


# Inter-regional calibration inputs (the derivation is in data/SOURCES.md, corridor section).
DEFAULT_EUROPE_SHARE: dict[str, float] = {
    # share of a country's international bandwidth connected to Western European hubs [-]
    "middle_east": 0.83,  # TeleGeography via Equinix blog 2021-04-21 ("83 % ... to Europe")
    "south_asia": 0.46,  # TeleGeography GIG via CommsUpdate 2013-09-18 ("over 46 %")
    "CHN": 0.28,  # TeleGeography via CommsUpdate 2013-10-17: Asia -> Europe 28 %
    "HKG": 0.28,
    "SGP": 0.28,
    "MNG": 0.28,
    "caucasus": 0.5,  # ASSUMPTION: no published split (the rest ends in Moscow/Istanbul)
    "central_asia": 0.5,  # ASSUMPTION: idem (ISOC: ~95 % of KZ traffic transits Russia)
}
DEFAULT_KBPS_PER_USER_BY: dict[str, float] = {
    # international bandwidth per internet user [kbit/s], reference year 2021
    "middle_east": 174.0,  # ITU Facts and Figures 2021, Arab States
    "IND": 133.1,  # TRAI: 83.8 Tbit/s activated end-2021 / 629.8 M users (countries.csv)
    "CHN": 11.6,  # CNNIC 47th report: 11,511,397 Mbit/s (Dec 2020) / 989 M users
    "IRN": 57.6,  # Iranian regulator: 4,309 Gbit/s (year to Mar 2020) / 74.8 M users
    "UZB": 25.8,  # ITU ICT profile 2018: 9.6 kbit/s (2017) x 1.28^4 (growth to 2021)
    "AFG": 34.0,  # ITU 2021, least developed countries
    "BGD": 34.0,
    "NPL": 34.0,
    "YEM": 34.0,
}


class DemandOptions(StrictModel):
    """Gravity demand model, its inter-regional calibration and its growth.

    Default (``scope="interregional"``): the Asian side of every pair is a PoP serving countries
    with a ``europe_share``; each such country originates ``users x kbps_per_user x
    europe_share`` towards the Western European hubs (``west_countries``), shared among them by
    gravity. The base-year total so obtained (derivation in ``data/SOURCES.md``, corridor
    section: 71.8 Tbit/s in 2021, x 1.28^5 = 246.7 Tbit/s in 2026 with the bundled tables) is
    an ASSUMPTION built from sourced per-country bandwidth and published regional shares, not a
    measured route figure.
    """

    kbps_per_user: float = Field(
        144.0,
        gt=0.0,
        le=100000.0,
        description="International bandwidth per internet user in the reference year for "
        "countries not in kbps_per_user_by [kbit/s]: ITU Facts and Figures 2021, developing "
        "countries (144 kbit/s; world 190 = 932 Tbit/s over 4.9 billion users).",
    )
    kbps_per_user_by: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_KBPS_PER_USER_BY),
        description="Per-country (ISO3) or per-group international bandwidth per internet user "
        "in the reference year [kbit/s]; ISO3 wins over group. Defaults: ITU 2021 Arab States "
        "174, India 133.1 (TRAI activated capacity end-2021), China 11.6 (CNNIC Dec 2020), "
        "Iran 57.6 (regulator, Mar 2020), Uzbekistan 25.8 (ITU 2017 9.6 grown 4 yr at 28 %), "
        "LDCs 34 (ITU 2021).",
    )
    europe_share: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_EUROPE_SHARE),
        description="scope interregional: share [fraction] of a country's (ISO3) or group's "
        "international bandwidth connected to the Western European hubs; countries in neither "
        "originate no corridor demand. Defaults: Middle East 0.83 (TeleGeography 2021), South "
        "Asia 0.46 and Asia 0.28 (TeleGeography 2013), Caucasus and Central Asia 0.5 "
        "(ASSUMPTION, unpublished).",
    )
    bandwidth_reference_year: int = Field(
        2021, ge=2000, le=2100, description="Year of kbps_per_user and kbps_per_user_by."
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
        "null = the model's own total (scope interregional: the derived inter-regional figure, "
        "246.7 Tbit/s in 2026 with the bundled tables).",
    )
    countries_file: Path | None = Field(
        None,
        description="Country table (CSV: iso3,name,group,population,internet_users_pct,...); "
        "null = the bundled World Bank extract.",
    )
    scope: Literal["interregional", "europe_asia", "all"] = Field(
        "interregional",
        description="interregional: Western European hubs (west_countries) <-> PoPs of countries "
        "with a europe_share, calibrated as in the class notes; europe_asia: the plain gravity "
        "model, pairs with exactly one end in west_countries; all: every international pair "
        "(plain gravity).",
    )
    west_countries: tuple[str, ...] = Field(
        ("GBR", "NLD", "DEU", "FRA"),
        description="ISO3 codes of the Western European hubs (FLAP-M: Frankfurt, London, "
        "Amsterdam, Paris/Marseille), the European end of the corridor's demand.",
    )
    target_groups: tuple[str, ...] = Field(
        ("caucasus", "central_asia", "south_asia", "middle_east"),
        description="Country groups summed for the 'people served' figure.",
    )

    @field_validator("kbps_per_user_by", "europe_share", mode="after")
    @classmethod
    def _positive(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        hi = 1.0 if info.field_name == "europe_share" else 100000.0
        for key, v in value.items():
            if not 0.0 <= v <= hi:
                raise ValueError(f"{key}: {v} is outside 0-{hi:g}")
        return value

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


class InterconnectionOptions(StrictModel):
    """Where traffic is exchanged: the interconnection layer and the as-routed latency model."""

    dataset: Path | None = Field(
        None,
        description="Interconnection YAML (hubs, per-node presence, the Digital Hub case) "
        "replacing the bundled data/corridor/interconnection.yaml; null = bundled.",
    )
    hub_allowance_ms: float | None = Field(
        None,
        ge=0.0,
        le=100.0,
        description="Round-trip allowance added at every hub where traffic is exchanged [ms], "
        "overriding the dataset's per-hub values; null = the dataset's (1 ms, an assumption).",
    )
    routing: Literal["lowest_latency", "preferred_upstream"] = Field(
        "lowest_latency",
        description="Where two networks exchange traffic. lowest_latency: at the common hub "
        "that gives the lowest RTT (a bound: BGP does not choose by latency). "
        "preferred_upstream: each side hands traffic over at the first hub of its own ranked "
        "presence list where the other side is present (BGP local preference; Gao & Rexford, "
        "IEEE/ACM ToN 9(6) 2001), so the two directions may use different hubs.",
    )
    domestic_on_net: bool = Field(
        True,
        description="Two nodes of the same country exchange traffic in-country along the fibre "
        "(incumbent on-net: AZ 89 %, TR 96 %, Dyn 2015) instead of at a hub.",
    )
    cacheable_share: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="Share of the corridor's inter-regional demand that is content a provider "
        "present in the Digital Hub can serve locally [fraction]: 'nearly 80 %' of the Middle "
        "East's Europe-bound capacity is content and digital media (TeleGeography via Equinix, "
        "2021-04-21).",
    )
    snap_km: float = Field(
        100.0,
        gt=0.0,
        le=2000.0,
        description="compare-measured: a measured city is placed on the nearest corridor node "
        "within this distance [km] (or on a node of the same name).",
    )
    attach_km: float = Field(
        1500.0,
        ge=0.0,
        le=5000.0,
        description="compare-measured: a city farther than snap_km from every node but within "
        "this distance [km] of one is attached to the graph by access links (great circle x "
        "the terrestrial route factor) to its 3 nearest nodes and its country's nearest node, "
        "taking that node's presence; farther ones are reported as not placed; 0 attaches none. "
        "1500 km: about the longest national backbone leg of the corridor's countries (an "
        "assumption, not fitted to measurements).",
    )

    @field_validator("dataset", mode="after")
    @classmethod
    def _resolve(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return resolve_path(value, info)


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
    onward_capacity_growth_per_year: float = Field(
        0.134,
        ge=-0.5,
        le=2.0,
        description="Yearly growth of the lit capacity of the corridor links onward of the "
        "Trans-Caspian line [fraction/yr]; it bounds the line's traffic in the business case "
        "(economics.volumes). ASSUMPTION from the one onward system with a published capacity "
        "history: the Caucasus Cable System went from 1.3 Tbit/s at its 2008 launch "
        "(CommsUpdate 2008-10-08) to the 12.6 Tbit/s lit this dataset counts in the 2026 base "
        "year, (12.6 / 1.3)^(1/18) - 1 = 13.4 %/yr; EPEG's 3.2 Tbit/s of 2012 is unchanged in "
        "the dataset (0 %/yr). Derivation in data/SOURCES.md (corridor section).",
    )
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
    interconnection: InterconnectionOptions = Field(
        default_factory=InterconnectionOptions,
        description="Interconnection hubs and the as-routed latency model (users' view).",
    )
    latency_calibration: Path | None = Field(
        None,
        description="Latency calibration YAML made by `transcaspian network calibrate` "
        "(measured / as-routed RTT at P10/P50/P90, with its provenance); null = the bundled "
        "data/latency_calibration.yaml (WonderProxy pings of 19-20 July 2020, SOURCES.md).",
    )

    @field_validator("dataset", "latency_calibration", mode="after")
    @classmethod
    def _resolve(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return resolve_path(value, info)
