"""Fault rates along the route: per RPL section, by cause, from depth, cable, burial and hazards.

Model (derived from the published global rate and cause split; every factor is a table row or a
scenario parameter):

.. math::

    \\lambda_{i,c} = s_c \\frac{R}{1000} L_i \\frac{w_{b(i),c}}{\\sum_b f_b w_{b,c}}
                    H_{i,c} P_{i,c} S_{i,c}

with R the global rate [faults/1000 km/yr] (ICPC 2025: 150-200 faults/yr on ~1.7 M km), s_c the
share of cause c (human, environmental, other; TeleGeography 2017), L_i the cable length of
section i [km], w_{b,c} the weight of depth band b for cause c and f_b the share of the world's
cable length in band b. The normalisation makes a *generic* cable (length split as f_b, reference
protection, no hazards, flat seabed) fail at exactly the global rate: the band weights only move
faults along the route, they do not invent them. H is the hazard factor
1 + Σ_k (m_k − 1) over the hazard zones the section touches (each hazard adds its own excess rate;
multipliers ≥ 1, so more hazards never mean fewer faults), P the protection of human causes
(armour factor × exp(−(burial − reference)/decay)), S the slope factor of environmental causes
1 + k·max(0, slope − threshold).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from ..geo.hazards import Hazard
from ..geo.rpl import Rpl
from .config import CAUSES, ReliabilityConfig
from .tables import ZoneTables

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class FaultProfile:
    """Fault rates of each RPL section (between consecutive rows)."""

    kp_start_km: FloatArray
    kp_end_km: FloatArray
    cable_km: FloatArray
    depth_m: FloatArray  # mean depth of the section
    slope_deg: FloatArray
    band: tuple[str, ...]
    cable_type: tuple[str, ...]
    hazards: tuple[tuple[str, ...], ...]  # hazard kinds touched by each section
    rate_per_year: FloatArray  # (section, cause) [faults/yr]

    @property
    def faults_per_year(self) -> float:
        return float(self.rate_per_year.sum())

    def by_cause(self) -> dict[str, float]:
        tot = self.rate_per_year.sum(axis=0)
        return {c: float(tot[i]) for i, c in enumerate(CAUSES)}

    def zones(self) -> list[dict[str, Any]]:
        """Sections grouped by depth band, cable type and hazards (one Poisson zone each)."""
        keys = [
            (b, t, h) for b, t, h in zip(self.band, self.cable_type, self.hazards, strict=True)
        ]
        out: dict[tuple[str, str, tuple[str, ...]], dict[str, Any]] = {}
        for i, k in enumerate(keys):
            z = out.setdefault(k, {"km": 0.0, "rate": np.zeros(3), "depth_rate": 0.0})
            z["km"] += float(self.cable_km[i])
            z["rate"] = z["rate"] + self.rate_per_year[i]
            z["depth_rate"] += float(self.rate_per_year[i].sum() * self.depth_m[i])
        rows = []
        for (b, t, h), z in out.items():
            lam = float(z["rate"].sum())
            rows.append({
                "zone": f"{b} / {t}" + (f" / {'+'.join(h)}" if h else ""),
                "band": b,
                "cable_type": t,
                "hazards": list(h),
                "cable_km": z["km"],
                "faults_per_year": lam,
                "by_cause": {c: float(z["rate"][j]) for j, c in enumerate(CAUSES)},
                "mean_fault_depth_m": z["depth_rate"] / lam if lam > 0 else 0.0,
            })
        return sorted(rows, key=lambda r: -r["faults_per_year"])

    def density_per_km(self, bin_km: float = 5.0) -> tuple[FloatArray, FloatArray]:
        """Fault density along KP: bin edges [km] and faults per km per year in each bin."""
        end = float(self.kp_end_km[-1]) if self.kp_end_km.size else 0.0
        n = max(1, math.ceil(end / bin_km))
        edges = np.linspace(0.0, n * bin_km, n + 1)
        mid = 0.5 * (self.kp_start_km + self.kp_end_km)
        lam = self.rate_per_year.sum(axis=1)
        tot = np.bincount(np.clip(np.searchsorted(edges, mid, side="right") - 1, 0, n - 1),
                          weights=lam, minlength=n)
        return edges, tot / bin_km


def section_hazards(rpl: Rpl, hazards: tuple[Hazard, ...],
                    kinds: set[str]) -> tuple[tuple[str, ...], ...]:
    """Hazard kinds (of ``kinds``) whose zone each RPL section touches (sorted, unique)."""
    n = rpl.kp_km.size - 1
    if n <= 0:
        return ()
    coords = np.stack([
        np.column_stack([rpl.lon_deg[:-1], rpl.lat_deg[:-1]]),
        np.column_stack([rpl.lon_deg[1:], rpl.lat_deg[1:]]),
    ], axis=1)
    lines = shapely.linestrings(coords)
    hits: list[set[str]] = [set() for _ in range(n)]
    for hz in hazards:
        if hz.kind not in kinds:
            continue
        shapely.prepare(hz.zone)
        for i in np.flatnonzero(shapely.intersects(hz.zone, lines)):
            hits[int(i)].add(hz.kind)
    return tuple(tuple(sorted(h)) for h in hits)


def band_index(depth_m: npt.ArrayLike, band_max_m: tuple[float, ...]) -> npt.NDArray[np.intp]:
    """Depth band of each depth (the shallowest band whose limit ≥ depth)."""
    idx = np.searchsorted(np.asarray(band_max_m), np.asarray(depth_m, float), side="left")
    return np.minimum(idx, len(band_max_m) - 1).astype(np.intp)


def fault_rates(
    cable_km: FloatArray,
    depth_m: FloatArray,
    slope_deg: FloatArray,
    cable_type: tuple[str, ...],
    burial_m: FloatArray,
    hazards: tuple[tuple[str, ...], ...],
    cfg: ReliabilityConfig,
    tables: ZoneTables,
) -> FloatArray:
    """Fault rate of each section by cause [faults/yr], shape (section, 3).

    Parameters
    ----------
    cable_km : array
        Cable length of each section [km].
    depth_m, slope_deg : array
        Mean water depth [m] and seabed slope [deg] of each section.
    cable_type : tuple of str
        Cable type of each section (DA, SA, LWA, LWP, LW).
    burial_m : array
        Burial depth of each section [m].
    hazards : tuple of tuple of str
        Hazard kinds each section touches.
    cfg : ReliabilityConfig
    tables : ZoneTables

    Notes
    -----
    The formula is in the module docstring. Cable types missing from the armour table get
    factor 1; hazard kinds missing from the multiplier table add nothing.
    """
    shares = np.asarray(cfg.cause_shares.as_tuple())
    w = np.asarray(tables.depth_weight)  # (band, cause)
    f = np.asarray(tables.generic_fraction)
    norm = f @ w  # (cause,)
    b = band_index(depth_m, tables.band_max_m)
    base = shares / norm * cfg.global_fault_rate_per_1000km_year / 1000.0
    rate = cable_km[:, None] * base[None, :] * w[b]
    haz = np.ones_like(rate)
    for i, kinds in enumerate(hazards):
        for k in kinds:
            if k in tables.hazard:
                c, m = tables.hazard[k]
                haz[i, c] += m - 1.0
    armour = np.array([tables.armour.get(t, 1.0) for t in cable_type])
    prot = armour * np.exp(-(np.asarray(burial_m) - cfg.reference_burial_m) / cfg.burial_decay_m)
    slope = 1.0 + cfg.slope_factor_per_deg * np.maximum(
        0.0, np.asarray(slope_deg) - cfg.slope_threshold_deg)
    factors = np.ones_like(rate)
    factors[:, 0] = prot
    factors[:, 1] = slope
    return np.asarray(rate * haz * factors, dtype=float)


#: Share of human-caused faults due to anchors: 25 % anchoring of 74 % human causes
#: (TeleGeography 2017, the split behind ``cause_shares.human``) [D].
ANCHOR_SHARE_OF_HUMAN = 25.0 / 74.0


def with_anchor_risk(rate: FloatArray, anchor_faults_per_year: FloatArray,
                     anchor_share: float = ANCHOR_SHARE_OF_HUMAN) -> FloatArray:
    """Replace the anchor part of the human-cause rate by the burial plan's residual risk.

    ``rate[:, 0]`` (human causes, from the per-band model) keeps its fishing and other-human
    part, ``(1 - anchor_share) · rate[:, 0]``, and takes the install stage's residual anchor
    strikes of each section (CBRA after burial and protection) instead of the band's anchor
    part [faults/yr].
    """
    out = np.array(rate, dtype=float, copy=True)
    out[:, 0] = out[:, 0] * (1.0 - anchor_share) + np.asarray(anchor_faults_per_year, float)
    return out


def fault_profile(rpl: Rpl, hazards: tuple[Hazard, ...], cfg: ReliabilityConfig,
                  tables: ZoneTables,
                  anchor_faults_per_year: FloatArray | None = None) -> FaultProfile:
    """Fault rates of every section of an RPL (see :func:`fault_rates`); with
    ``anchor_faults_per_year`` (one per section, the install stage's residual CBRA risk), the
    anchor part of the human causes comes from it (:func:`with_anchor_risk`)."""
    kp = np.asarray(rpl.kp_km, float)
    route_km = np.diff(kp)
    cable_km = np.diff(np.asarray(rpl.cable_kp_km, float))
    depth = np.asarray(rpl.depth_m, float)
    mean_depth = 0.5 * (depth[:-1] + depth[1:])
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.degrees(np.arctan2(np.abs(np.diff(depth)), np.maximum(route_km, 1e-9) * 1e3))
    ctype = tuple(rpl.cable_type[:-1])
    burial = np.asarray(rpl.burial_m, float)[:-1]
    hz = section_hazards(rpl, hazards, set(tables.hazard))
    rate = fault_rates(cable_km, mean_depth, slope, ctype, burial, hz, cfg, tables)
    if anchor_faults_per_year is not None and len(anchor_faults_per_year) == rate.shape[0]:
        rate = with_anchor_risk(rate, anchor_faults_per_year)
    bands = band_index(mean_depth, tables.band_max_m)
    return FaultProfile(
        kp_start_km=kp[:-1],
        kp_end_km=kp[1:],
        cable_km=cable_km,
        depth_m=mean_depth,
        slope_deg=slope,
        band=tuple(tables.band_names[i] for i in bands),
        cable_type=ctype,
        hazards=hz,
        rate_per_year=rate,
    )


def generic_cable_faults_per_year(length_km: float, cfg: ReliabilityConfig,
                                  tables: ZoneTables) -> float:
    """Faults per year of a *generic* cable: ``length_km`` split over the depth bands as the
    world's cables are (``generic_length_fraction``), reference armour and burial, no hazards,
    a flat seabed, through :func:`fault_rates` [1/yr].

    With the bundled tables this is the global rate × length (the normalisation of the module
    notes): the check that the band weights move faults without inventing them.
    """
    frac = np.asarray(tables.generic_fraction)
    edges = np.asarray(tables.band_max_m, float)
    lower = np.concatenate([[0.0], edges[:-1]])
    depth = np.where(np.isinf(edges), lower + 1000.0, 0.5 * (lower + edges))
    n = frac.size
    rate = fault_rates(length_km * frac, depth, np.zeros(n), ("LWP",) * n,
                       np.full(n, cfg.reference_burial_m), ((),) * n, cfg, tables)
    return float(rate.sum())
