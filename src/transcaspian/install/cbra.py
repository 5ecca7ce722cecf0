"""Anchor-strike probability along the route (Cable Burial Risk Assessment, CBRA).

Structure after the Carbon Trust *Cable Burial Risk Assessment Methodology* (CTC835, Feb 2015,
§8.3-8.7 and §9.2-9.3): for each route section and vessel class *i*, the rate of anchor
strikes that reach the cable is

.. math::

    \\lambda_i = \\rho_i \\; 2 D_{ship,i} \\; P_{incident,i} \\; P_{wd,i} \\; P(\\text{pen}_i > DoL)
    \\quad [\\text{strikes/km/yr}]

with :math:`\\rho_i` the traffic density [vessel-h/km²/yr] (CTC835 P_traffic: a lane of
width *W* crossed by *N* vessels/yr at speed *V* gives :math:`N/(W V)`; an anchorage of area *A*
with *N* calls of *h* hours gives :math:`N h / A`), :math:`2 D_{ship}` the width of the strip
either side of the cable from which a dropped or dragging anchor reaches it [km], so that
:math:`\\rho\\, 2D` is the vessel-hours per year spent in range per km of cable (CTC835's
:math:`D_{ship}/V_{ship}` time in range, per crossing, times the crossings), P_incident the rate
of emergency anchoring (or dragging at anchor) per vessel-hour, P_wd 1 where the water is
shallow enough for the class to anchor and 0 deeper, and the last factor the probability that
the anchor penetrates deeper than the depth of lowering: penetration is lognormal about
``soil multiple × fluke length``, fluke length :math:`c\\,M^{1/3}` (CTC835 §9.3 relates
penetration to fluke length and soil; the multiples and *c* are estimates [U]).

The term-by-term form is the reading of CTC835 §8.3-8.7 "as generally applied"; the guidance's
own equations and tables were not readable in the stored copy (see ``docs/install.md``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod
from scipy.special import ndtr

from .._load import load_yaml, read_text
from ..errors import InstallError
from ..geo.hazards import Hazard, aeqd_transformers, buffer_geodesic, transform_geometry
from .config import Cbra

FloatArray = npt.NDArray[np.float64]
KN_TO_KMH = 1.852
GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class TrafficSource:
    """A lane or anchorage with its traffic by vessel class."""

    name: str
    kind: str  # lane | anchorage
    zone: Any  # shapely geometry (lon/lat)
    width_km: float  # lanes
    area_km2: float  # anchorages
    vessels_per_year: dict[str, float]
    hours_at_anchor: float
    source: str
    estimate: bool


def _area_km2(geom: Any) -> float:
    area, _ = GEOD.geometry_area_perimeter(geom)
    return abs(float(area)) / 1e6


def load_traffic(cfg: Cbra, hazards: tuple[Hazard, ...]) -> tuple[TrafficSource, ...]:
    """The traffic sources (bundled or ``install.cbra.traffic_file``), with their zones.

    A source naming a hazard takes the hazard's zone (lanes: width = 2 × buffer); one giving
    its own ``line`` is buffered by half its ``width_km``. A source naming a hazard the route's
    layers do not hold is skipped (a user's layers may differ).

    Raises
    ------
    InstallError
        The file is unreadable, a count is negative or a class is not declared.
    """
    field = "install.cbra.traffic_file"
    path = cfg.traffic_file or Path(str(resources.files("transcaspian.data").joinpath(
        "install_traffic.yaml")))
    doc = load_yaml(read_text(path, what=f"{field} (traffic sources)", error=InstallError),
                    source=str(path), error=InstallError).data
    try:
        rows = list(doc["sources"])
    except (KeyError, TypeError) as exc:
        raise InstallError(f"{field}: {path.name}: no 'sources' list ({exc})") from None
    by_name = {h.name: h for h in hazards}
    out = []
    for i, r in enumerate(rows):
        where = f"{field}: {path.name} source {i}"
        try:
            counts = {str(k): float(v) for k, v in dict(r["vessels_per_year"]).items()}
            kind = str(r["kind"])
            name = str(r["name"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InstallError(f"{where}: {exc}") from None
        bad = [k for k in counts if k not in cfg.vessel_classes]
        if bad:
            raise InstallError(f"{where}: unknown vessel class {bad[0]!r} "
                               f"(declared: {', '.join(cfg.vessel_classes)})")
        if any(not (v >= 0 and math.isfinite(v)) for v in counts.values()):
            raise InstallError(f"{where}: vessels_per_year must be >= 0")
        if kind not in ("lane", "anchorage"):
            raise InstallError(f"{where}: kind must be lane or anchorage, not {kind!r}")
        hours = float(r.get("hours_at_anchor", 0.0))
        if "hazard" in r:
            hz = by_name.get(str(r["hazard"]))
            if hz is None:
                continue
            zone = hz.zone
            width = 2.0 * hz.buffer_m / 1000.0
        else:
            try:
                width = float(r["width_km"])
                zone = buffer_geodesic(shapely.LineString(r["line"]), width * 500.0)
            except (KeyError, TypeError, ValueError) as exc:
                raise InstallError(f"{where}: {exc}") from None
        if kind == "lane" and not width > 0:
            raise InstallError(f"{where}: a lane needs a width > 0 km")
        if kind == "anchorage" and not hours > 0:
            raise InstallError(f"{where}: an anchorage needs hours_at_anchor > 0")
        out.append(TrafficSource(name, kind, zone, width, _area_km2(zone), counts, hours,
                                 str(r.get("source", "")), bool(r.get("estimate", True))))
    return tuple(out)


def traffic_density(lon_deg: FloatArray, lat_deg: FloatArray,
                    sources: tuple[TrafficSource, ...], cfg: Cbra
                    ) -> tuple[FloatArray, FloatArray, tuple[tuple[str, ...], ...]]:
    """Density of vessels under way and at anchor in each section's buffer zone, by class.

    The buffer zone of a section and vessel class is the strip of half-width ``D_ship`` either
    side of the section (flat ends, so that the strips of consecutive sections tile the route):
    an anchor dropped or dragged by a vessel inside it can reach the cable (CTC835 §8.6 D_ship;
    Application Guide Fig. 4, "buffer zone for anchor risk analysis"). The density returned is
    the strip's area-weighted mean, so that density × 2 D_ship is the vessel-hours per year
    spent within reach of each km of cable.

    Parameters
    ----------
    lon_deg, lat_deg : ndarray, shape (section + 1,)
        The route's vertices (RPL rows) [deg].
    sources : tuple of TrafficSource
        Lanes and anchorages (:func:`load_traffic`).
    cfg : Cbra
        Vessel classes (speed, ``drag_distance_km``) and the background density.

    Returns
    -------
    under_way, at_anchor : ndarray, shape (section, class)
        [vessel-h/km²/yr], classes in ``cfg.vessel_classes`` order.
    names : tuple of tuple of str
        The sources whose zone overlaps a section's buffer zone (any class).
    """
    classes = list(cfg.vessel_classes)
    lon = np.asarray(lon_deg, float)
    lat = np.asarray(lat_deg, float)
    n = max(lon.size - 1, 0)
    way = np.tile([cfg.background_vessel_hours_per_km2_year.get(c, 0.0) for c in classes],
                  (n, 1)).astype(float)
    anchor = np.zeros((n, len(classes)))
    names: list[list[str]] = [[] for _ in range(n)]
    if n == 0 or not sources:
        return way, anchor, tuple(tuple(x) for x in names)
    fwd, _ = aeqd_transformers(float(np.mean(lon)), float(np.mean(lat)))
    x, y = fwd.transform(lon, lat)
    segs = shapely.linestrings(np.stack([np.column_stack([x[:-1], y[:-1]]),
                                         np.column_stack([x[1:], y[1:]])], axis=1))
    zones = [shapely.make_valid(transform_geometry(s.zone, fwd)) for s in sources]
    for j, c in enumerate(classes):
        vc = cfg.vessel_classes[c]
        strips = shapely.buffer(segs, vc.drag_distance_km * 1000.0, cap_style="flat")
        strip_area = np.maximum(shapely.area(strips), 1e-9)
        for s, zone in zip(sources, zones, strict=True):
            share = shapely.area(shapely.intersection(strips, zone)) / strip_area  # [-]
            hit = share > 0.0
            if not hit.any():
                continue
            nv = s.vessels_per_year.get(c, 0.0)
            if s.kind == "lane":
                way[:, j] += share * nv / (s.width_km * vc.speed_kn * KN_TO_KMH)
            else:
                anchor[:, j] += share * nv * s.hours_at_anchor / max(s.area_km2, 1e-9)
            for i in np.flatnonzero(hit):
                if s.name not in names[int(i)]:
                    names[int(i)].append(s.name)
    return way, anchor, tuple(tuple(x) for x in names)


def fluke_length_m(anchor_mass_t: npt.ArrayLike, coefficient: float) -> FloatArray:
    """Fluke length of a stockless anchor, :math:`c M^{1/3}` [m] (geometric similarity) [U]."""
    return coefficient * np.cbrt(np.asarray(anchor_mass_t, float))


def p_penetration_exceeds(dol_m: npt.ArrayLike, median_m: npt.ArrayLike,
                          sigma: float) -> FloatArray:
    """P(penetration > DoL) for a lognormal penetration with ``median_m`` and log-sd ``sigma``.

    DoL ≤ 0 (a surface-laid cable) gives 1; a zero median (rock: no penetration, the anchor
    drags over the surface) gives 1 at DoL 0 and 0 for any cover.
    """
    d = np.asarray(dol_m, float)
    m = np.asarray(median_m, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (np.log(np.maximum(d, 1e-12)) - np.log(np.maximum(m, 1e-300))) / sigma
    p = 1.0 - ndtr(z)
    return np.where(d <= 0.0, 1.0, np.where(m <= 0.0, 0.0, p))


def strike_rate_per_km_year(
    dol_m: npt.ArrayLike,
    water_depth_m: FloatArray,
    penetration_flukes: FloatArray,
    under_way: FloatArray,
    at_anchor: FloatArray,
    cfg: Cbra,
) -> FloatArray:
    """Anchor strikes reaching the cable per km per year, summed over vessel classes.

    Parameters
    ----------
    dol_m : array_like
        Depth of lowering [m], broadcast against the sections (leading axes allowed: a
        ``(k, 1)`` column of candidate DoLs gives ``(k, section)``).
    water_depth_m, penetration_flukes : ndarray, shape (section,)
        Water depth [m] and the soil's median penetration in fluke lengths [-].
    under_way, at_anchor : ndarray, shape (section, class)
        Traffic densities [vessel-h/km²/yr] (:func:`traffic_density`).
    cfg : Cbra
        Vessel classes and incident rates.

    Returns
    -------
    ndarray
        [strikes/km/yr], shape of ``dol_m`` broadcast with (section,).

    Notes
    -----
    CTC835 §8.3-8.7 (term-by-term reading, see the module notes): each term is ≥ 0 and the
    penetration term falls with DoL, so deeper burial never raises the rate and more traffic
    never lowers it.
    """
    dol = np.asarray(dol_m, float)[..., None]  # (..., section, 1)
    total = np.zeros(np.broadcast_shapes(dol.shape[:-1], water_depth_m.shape))
    for j, vc in enumerate(cfg.vessel_classes.values()):
        p_wd = (water_depth_m <= vc.max_anchoring_depth_m).astype(float)
        exposure = (under_way[:, j] * cfg.incident_per_vessel_hour
                    + at_anchor[:, j] * cfg.drag_per_anchored_hour)  # incidents/km²/yr
        median = penetration_flukes * float(fluke_length_m(vc.anchor_mass_t,
                                                           cfg.fluke_coefficient_m_per_t13))
        p_pen = p_penetration_exceeds(dol[..., 0], median, cfg.penetration_sigma)
        total = total + exposure * 2.0 * vc.drag_distance_km * p_wd * p_pen
    return total


def strikes_per_crossing(vessels_per_year: float, drag_distance_km: float, speed_kn: float,
                         p_incident_per_hour: float, p_wd: float = 1.0) -> float:
    """CTC835 §8.3 per-crossing form: N · P_wd · (D_ship / V_ship) · P_incident [strikes/yr].

    The density form of :func:`strike_rate_per_km_year` integrated over a perpendicular
    crossing of a lane gives the same number (a lane of width W: ρ 2D W = N 2D / V; the
    factor 2 counts anchors dropped on either side of the cable, CTC835 Fig. "buffer zone").
    """
    return vessels_per_year * p_wd * (2.0 * drag_distance_km / (speed_kn * KN_TO_KMH)) \
        * p_incident_per_hour
