"""Seabed sediment classes: the soil layer along the route and each class's properties.

Rates by burial method and soil are DTOcean's equipment performance table
(DTOcean/dtocean-logistics ``examples/databases/equipment_perf_rates.xlsx``, commit 340f5f6;
reference E4) [S]. Anchor penetration as a multiple of the anchor's fluke length follows the
structure of CTC835 §9.3 (penetration by soil); the multiples themselves are estimates [U]
(the guidance's table was not readable).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
import shapely

from ..errors import InstallError


@dataclass(frozen=True)
class Soil:
    """Properties of one sediment class."""

    penetration_flukes: float  # median anchor penetration / fluke length [-] [U]
    plough_m_per_h: float  # [S] DTOcean
    jet_m_per_h: float  # [S] DTOcean
    cut_m_per_h: float  # [S] DTOcean

    @property
    def buriable(self) -> bool:
        return max(self.plough_m_per_h, self.jet_m_per_h, self.cut_m_per_h) > 0

    def best_method(self) -> tuple[str, float]:
        """The fastest burial method in this soil and its rate [m/h]."""
        rates = {"plough": self.plough_m_per_h, "jet": self.jet_m_per_h,
                 "cut": self.cut_m_per_h}
        name = max(rates, key=lambda k: rates[k])
        return name, rates[name]


#: Sediment classes [DTOcean rates in m/h]. Penetration multiples [U].
SOILS: dict[str, Soil] = {
    "loose_sand": Soil(1.0, 100.0, 250.0, 0.0),
    "medium_sand": Soil(1.0, 350.0, 200.0, 275.0),
    "sand_gravel": Soil(0.7, 350.0, 0.0, 75.0),  # DTOcean "gravel"
    "shelly_sand_over_clay": Soil(1.5, 350.0, 200.0, 275.0),  # as medium sand [U]
    "soft_clay": Soil(3.0, 375.0, 475.0, 275.0),
    "firm_clay": Soil(2.0, 500.0, 250.0, 275.0),
    "stiff_clay": Soil(1.5, 550.0, 0.0, 75.0),
    "rock": Soil(0.0, 0.0, 0.0, 0.0),  # hard rock: no burial (cutting 0 in DTOcean)
}


def soil(name: str, field: str) -> Soil:
    """The class called ``name``; ``field`` names where it came from in an error."""
    try:
        return SOILS[name]
    except KeyError:
        raise InstallError(f"{field}: unknown soil class {name!r} "
                           f"(known: {', '.join(SOILS)})") from None


def bundled_soils_path() -> Path:
    return Path(str(resources.files("transcaspian.data").joinpath("caspian_soils.geojson")))


def read_soils(path: Path | None) -> tuple[tuple[str, shapely.Geometry], ...]:
    """Polygons of the soil layer as (class, geometry); later features win where they overlap.

    Raises
    ------
    InstallError
        The file is missing or malformed, or a feature names an unknown class.
    """
    p = bundled_soils_path() if path is None else path
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        feats = data["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InstallError(f"install.burial.soils_file: cannot read {p.name}: {exc}") from None
    out = []
    for i, f in enumerate(feats):
        try:
            name = str(f["properties"]["soil"])
            geom = shapely.geometry.shape(f["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InstallError(f"install.burial.soils_file: {p.name} feature {i}: {exc}") from None
        soil(name, f"install.burial.soils_file: {p.name} feature {i} soil")
        out.append((name, geom))
    return tuple(out)


def soil_along(lon_deg: npt.NDArray[np.float64], lat_deg: npt.NDArray[np.float64],
               layer: tuple[tuple[str, shapely.Geometry], ...], default: str) -> tuple[str, ...]:
    """Soil class at each point (the last polygon containing it, else ``default``)."""
    soil(default, "install.burial.default_soil")
    pts = shapely.points(np.column_stack([lon_deg, lat_deg]))
    out = np.full(pts.shape, default, dtype=object)
    for name, geom in layer:
        out[shapely.contains(geom, pts)] = name
    return tuple(str(s) for s in out)
