"""Scenario input models (pydantic v2), YAML loading and the embedded default scenario.

One schema is the truth for the type, unit, default, bounds and description of every input:
``transcaspian scenario schema`` exports it as JSON Schema so that editors validate a YAML
scenario as it is typed. Every model forbids unknown keys and is frozen.

Relative file paths in a scenario (a bathymetry grid, a hazard layer) are resolved against the
folder of the scenario file.
"""

from __future__ import annotations

import itertools
import math
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ._load import Loc, document_kind_hint, load_yaml, read_text, validation_error
from .decision.config import DecisionConfig
from .economics.config import EconomicsConfig
from .errors import ScenarioError
from .install.config import InstallConfig
from .model import StrictModel, resolve_path
from .network.config import NetworkConfig
from .optics.config import OpticsConfig
from .power.config import PowerConfig
from .reliability.config import ReliabilityConfig
from .report.config import ReportConfig

DEFAULT_SCENARIO_NAME = "trans_caspian"


_resolve_path = resolve_path


Latitude = Annotated[float, Field(ge=-90.0, le=90.0, description="Latitude [deg], WGS84")]
Longitude = Annotated[float, Field(ge=-180.0, le=180.0, description="Longitude [deg], WGS84")]


class LandingStation(StrictModel):
    """A cable landing station (or the beach manhole the route starts from)."""

    name: str = Field(min_length=1, description="Station name, e.g. 'Sumgayit'.")
    country: str = Field(min_length=2, max_length=3, description="ISO 3166 country code.")
    lat_deg: Latitude
    lon_deg: Longitude
    operator: str = Field("", description="Operator of the station.")


class Landings(StrictModel):
    """The two ends of the cable. KP is counted from ``a``."""

    a: LandingStation = Field(description="A end (KP 0).")
    b: LandingStation = Field(description="B end.")

    @model_validator(mode="after")
    def _distinct(self) -> Landings:
        if (self.a.lat_deg, self.a.lon_deg) == (self.b.lat_deg, self.b.lon_deg):
            raise ValueError("landings a and b are at the same position")
        return self


CableType = Literal["DA", "SA", "LWA", "LWP", "LW"]


class ArmourBand(StrictModel):
    """Cable type, burial and slack used from the previous band's depth down to ``max_depth_m``."""

    cable_type: CableType = Field(
        description="DA double armour, SA single armour, LWA light-wire armour, "
        "LWP lightweight protected, LW lightweight."
    )
    max_depth_m: float | None = Field(
        ge=0.0, le=12000.0, description="Deepest water depth of this band [m]; null = no limit."
    )
    burial_target_m: float = Field(ge=0.0, le=10.0, description="Target burial depth [m].")
    slack_percent: float = Field(ge=0.0, le=20.0, description="Cable slack over route [%].")


class CostModel(StrictModel):
    """Least-cost routing weights: cost per km of route = base x depth factor + penalties."""

    depth_band_limits_m: tuple[float, ...] = Field(
        (20.0, 200.0, 600.0),
        max_length=32,
        description="Upper depth limits of the routing depth bands [m], ascending.",
    )
    depth_band_factors: tuple[float, ...] = Field(
        (1.6, 1.0, 1.15, 1.4),
        max_length=33,
        description="Cost multiplier per depth band (one more than the limits).",
    )
    slope_threshold_deg: float = Field(
        3.0, ge=0.0, le=45.0, description="Seabed slope above which a penalty applies [deg]."
    )
    slope_penalty_per_deg: float = Field(
        0.15, ge=0.0, le=100.0, description="Added cost factor per degree above the threshold."
    )
    penalised_factor: float = Field(
        2.0, ge=0.0, le=1000.0, description="Default extra cost factor inside a penalised zone."
    )
    crossing_factor: float = Field(
        4.0,
        ge=0.0,
        le=1000.0,
        description="Extra cost factor inside a crossing corridor (pipeline, cable): a short, "
        "near-perpendicular crossing is cheapest.",
    )
    min_crossing_angle_deg: float = Field(
        60.0,
        ge=0.0,
        le=90.0,
        description="Crossings flatter than this are flagged in the results [deg]. Practice "
        "(ICPC Recommendation No. 3, not public) seeks crossings close to 90°; 60° is an "
        "assumption.",
    )

    @model_validator(mode="after")
    def _bands(self) -> CostModel:
        limits = self.depth_band_limits_m
        if any(b <= a for a, b in itertools.pairwise(limits)):
            raise ValueError("depth_band_limits_m must be strictly ascending")
        if len(self.depth_band_factors) != len(limits) + 1:
            raise ValueError(
                "depth_band_factors needs exactly one more entry than depth_band_limits_m"
            )
        if any(f <= 0 or f > 1000 for f in self.depth_band_factors):
            raise ValueError("depth_band_factors must be in (0, 1000]")
        return self


class HazardOptions(StrictModel):
    """Hazard and constraint layers (GeoJSON)."""

    use_bundled: bool = Field(True, description="Use the bundled Caspian hazard layer.")
    files: tuple[Path, ...] = Field(
        (), max_length=64, description="Extra GeoJSON layers (user files)."
    )
    invalid_geometry: Literal["repair", "refuse"] = Field(
        "repair",
        description="An invalid feature geometry (e.g. a self-intersecting polygon): repair it "
        "with shapely.make_valid and list it in the route's warnings, or refuse the layer.",
    )

    @field_validator("files", mode="after")
    @classmethod
    def _resolve(cls, value: tuple[Path, ...], info: ValidationInfo) -> tuple[Path, ...]:
        return tuple(p for p in (_resolve_path(v, info) for v in value) if p is not None)


class RouteOptions(StrictModel):
    """Inputs of the route stage."""

    bathymetry: Path | None = Field(
        None,
        description="Bathymetry grid (ETOPO/GEBCO NetCDF or GeoTIFF); null = the bundled "
        "Caspian subset of NOAA ETOPO1.",
    )
    caspian_level_m: float = Field(
        -29.18,
        ge=-40.0,
        le=0.0,
        description="Caspian surface level [m] relative to the grid's datum; water is where "
        "elevation < level, depth = level - elevation.",
    )
    max_landing_distance_km: float = Field(
        30.0, gt=0.0, le=200.0, description="How far from a landing station water may be [km]."
    )
    landing_min_depth_m: float = Field(
        5.0,
        ge=0.0,
        le=200.0,
        description="Depth at which the landing approach joins the routed path [m].",
    )
    hazards: HazardOptions = Field(default_factory=HazardOptions)
    cost: CostModel = Field(default_factory=CostModel)
    rpl_max_step_km: float = Field(
        1.0,
        ge=0.05,
        le=10.0,
        description="Largest distance between RPL rows [km]; at least 50 m (finer than any "
        "survey position fix, and it bounds the RPL's size).",
    )
    sea_level_sensitivity_m: tuple[Annotated[float, Field(ge=-40.0, le=0.0)], ...] = Field(
        (),
        max_length=8,
        description="Other Caspian levels [m] at which to re-route, to show how a falling sea "
        "moves the shore ends (landing approach, shore-end armour).",
    )
    sea_point_deg: (
        tuple[
            Annotated[float, Field(ge=-180.0, le=180.0)], Annotated[float, Field(ge=-90.0, le=90.0)]
        ]
        | None
    ) = Field(
        None,
        description="A point (lon, lat) [deg] in open water naming the sea body; null = the "
        "connected water body holding the most water. Basins below the level but not connected "
        "to it (dry depressions) count as land.",
    )

    @field_validator("bathymetry", mode="after")
    @classmethod
    def _resolve(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return _resolve_path(value, info)


class Cable(StrictModel):
    """The cable system."""

    name: str = Field(min_length=1)
    fibre_pairs: int = Field(ge=1, le=64, description="Number of fibre pairs.")
    design_life_years: int = Field(ge=1, le=50, description="Design life [years].")
    armour_bands: tuple[ArmourBand, ...] = Field(
        min_length=1, description="Cable type, burial and slack by depth band, shallow first."
    )

    @model_validator(mode="after")
    def _bands(self) -> Cable:
        depths = [b.max_depth_m for b in self.armour_bands]
        if depths[-1] is not None:
            raise ValueError("the last armour band must have max_depth_m: null (no limit)")
        finite = [d for d in depths[:-1]]
        if any(d is None for d in finite):
            raise ValueError("only the last armour band may have max_depth_m: null")
        vals = [float(d) for d in finite if d is not None]
        if any(b <= a for a, b in itertools.pairwise(vals)):
            raise ValueError("armour band max_depth_m must be strictly ascending")
        return self


class Member(StrictModel):
    """A consortium member and its ownership share."""

    name: str = Field(min_length=1)
    country: str = Field(min_length=2, max_length=3)
    share: float = Field(gt=0.0, le=1.0, description="Ownership share [fraction].")


class Consortium(StrictModel):
    """Owners of the system; shares must sum to 1."""

    members: tuple[Member, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _shares(self) -> Consortium:
        total = math.fsum(m.share for m in self.members)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"member shares must sum to 1, got {total:.6g}")
        names = [m.name for m in self.members]
        if len(set(names)) != len(names):
            raise ValueError("member names must be unique")
        return self


class Scenario(StrictModel):
    """A whole study: one cable system, its route, owners and the analyses to run."""

    name: str = Field(min_length=1)
    description: str = ""
    landings: Landings
    cable: Cable
    route: RouteOptions = Field(default_factory=RouteOptions)
    consortium: Consortium
    optics: OpticsConfig = Field(
        default_factory=OpticsConfig,
        description="Optical design inputs (fibre, spectrum, amplifiers, end-of-life "
        "allowances, design space); defaults are the Trans-Caspian assumptions.",
    )
    network: NetworkConfig = Field(
        default_factory=NetworkConfig,
        description="Europe-Asia corridor study (dataset, cuts, demand); defaults are the "
        "bundled corridor with the Trans-Caspian line.",
    )
    power: PowerConfig = Field(
        default_factory=PowerConfig,
        description="Power feeding of repeatered designs (line current, conductor resistance, "
        "repeater drop, earth-potential allowance, PFE rating).",
    )
    reliability: ReliabilityConfig = Field(
        default_factory=ReliabilityConfig,
        description="Fault, repair and availability model of the line and the corridor; "
        "defaults derived from the global fault rate and cause split (ICPC, TeleGeography).",
    )
    economics: EconomicsConfig = Field(
        default_factory=EconomicsConfig,
        description="Business case (cost book and overrides, products and prices, finance, "
        "member offers, sensitivity); defaults are documented assumptions.",
    )
    decision: DecisionConfig = Field(
        default_factory=DecisionConfig,
        description="How the design to build is chosen: the objective (npv, lifecycle_cost, "
        "capacity) and the minimum margin and availability; the capacity target is "
        "optics.target_system_capacity_tbps.",
    )
    install: InstallConfig = Field(
        default_factory=InstallConfig,
        description="Burial by risk (CBRA), the installation schedule in the Caspian (weather, "
        "Volga-Don season, tank loads), the permit register and the RFS date; defaults are "
        "sourced or flagged estimates (docs/install.md).",
    )
    report: ReportConfig = Field(
        default_factory=ReportConfig,
        description="Report options (the end-of-life margin below which a design is flagged).",
    )


# --------------------------------------------------------------------------------------------
# Loading


def scenario_from_dict(
    data: Any,
    *,
    source: str = "scenario",
    base_dir: Path | None = None,
    lines: dict[Loc, int] | None = None,
) -> Scenario:
    """Validate a mapping (parsed YAML) into a :class:`Scenario`.

    Raises
    ------
    ScenarioError
        One line naming the source, the field's path and the problem; with several problems,
        a header line and one line per problem (``lines`` adds their line numbers).
    """
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: the top level must be a mapping of keys to values")
    hint = document_kind_hint(data, expected="scenario")
    if hint:
        raise ScenarioError(f"{source}: {hint}")
    try:
        return Scenario.model_validate(data, context={"base_dir": base_dir})
    except ValidationError as err:
        raise validation_error(err, source, ScenarioError, model=Scenario, lines=lines) from None


def load_scenario(path: str | Path | None = None) -> Scenario:
    """Read and validate a scenario YAML file; ``None`` loads the embedded default."""
    if path is None:
        return default_scenario()
    p = Path(path)
    text = read_text(p, what="scenario file", error=ScenarioError)
    return loads_scenario(text, source=str(p), base_dir=p.resolve().parent)


def loads_scenario(
    text: str, *, source: str = "scenario", base_dir: Path | None = None
) -> Scenario:
    """Parse YAML text into a :class:`Scenario`."""
    doc = load_yaml(text, source=source, error=ScenarioError)
    return scenario_from_dict(doc.data, source=source, base_dir=base_dir, lines=dict(doc.lines))


def min_margin_db(scenario: Scenario) -> float:
    """The smallest end-of-life margin a design may keep to be chosen [dB]:
    ``decision.min_margin_db``, else ``report.thin_margin_db``. The decision demands it and the
    optics stage provisions the waves at it (``optics.margin_policy_db: null``)."""
    if scenario.decision.min_margin_db is not None:
        return float(scenario.decision.min_margin_db)
    return float(scenario.report.thin_margin_db)


def default_scenario_text() -> str:
    """The embedded default scenario (Trans-Caspian line), as YAML text with its comments."""
    ref = (
        resources.files("transcaspian")
        .joinpath("scenarios")
        .joinpath(f"{DEFAULT_SCENARIO_NAME}.yaml")
    )
    return ref.read_text(encoding="utf-8")


def default_scenario() -> Scenario:
    """The embedded default scenario: Sumgayit (AZ) - Aktau (KZ)."""
    return loads_scenario(default_scenario_text(), source=f"{DEFAULT_SCENARIO_NAME}.yaml")


def json_schema() -> dict[str, Any]:
    """JSON Schema of the scenario file (for editors and docs)."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "transcaspian scenario"
    return schema
