"""Route position list (RPL): one row at every alter-course point and at least every km.

Columns follow SCIG conventions (Cable Route Survey Dictionary, SCIG Information Guide 1 §3):
KP is the route distance from the A end (Azerbaijani landing) along WGS84 geodesics; cable KP
adds the slack of each section, ``cable length = route length × (1 + slack)``; cable type,
burial target and slack come from the scenario's armour bands by water depth.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from pyproj import Geod

from ..scenario import ArmourBand
from .grid import BathymetryGrid
from .route import Crossing

GEOD = Geod(ellps="WGS84")

RPL_COLUMNS = (
    "kp_km",
    "lat",
    "lon",
    "depth_m",
    "event",
    "course_deg",
    "cable_type",
    "burial_m",
    "slack_percent",
    "cable_kp_km",
)


@dataclass(frozen=True)
class Rpl:
    """The route position list as column arrays (one entry per row)."""

    kp_km: npt.NDArray[np.float64]
    lat_deg: npt.NDArray[np.float64]
    lon_deg: npt.NDArray[np.float64]
    depth_m: npt.NDArray[np.float64]
    event: tuple[str, ...]
    course_deg: npt.NDArray[np.float64]  # course to the next row; NaN on the last row
    cable_type: tuple[str, ...]  # of the section starting at this row
    burial_m: npt.NDArray[np.float64]
    slack_percent: npt.NDArray[np.float64]
    cable_kp_km: npt.NDArray[np.float64]

    @property
    def route_length_km(self) -> float:
        return float(self.kp_km[-1])

    @property
    def cable_length_km(self) -> float:
        return float(self.cable_kp_km[-1])

    def type_lengths_km(self) -> dict[str, dict[str, float]]:
        """Route and cable km per cable type (the cable tally)."""
        seg_route = np.diff(self.kp_km)
        seg_cable = np.diff(self.cable_kp_km)
        out: dict[str, dict[str, float]] = {}
        for t in dict.fromkeys(self.cable_type[:-1]):
            m = np.array([ct == t for ct in self.cable_type[:-1]])
            out[t] = {
                "route_km": float(seg_route[m].sum()),
                "cable_km": float(seg_cable[m].sum()),
            }
        return out

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for i in range(self.kp_km.size):
            course = self.course_deg[i]
            out.append(
                {
                    "kp_km": round(float(self.kp_km[i]), 3),
                    "lat": round(float(self.lat_deg[i]), 6),
                    "lon": round(float(self.lon_deg[i]), 6),
                    "depth_m": round(float(self.depth_m[i]), 1),
                    "event": self.event[i],
                    "course_deg": None if not np.isfinite(course) else round(float(course), 1),
                    "cable_type": self.cable_type[i],
                    "burial_m": float(self.burial_m[i]),
                    "slack_percent": float(self.slack_percent[i]),
                    "cable_kp_km": round(float(self.cable_kp_km[i]), 3),
                }
            )
        return out

    def to_csv(self, cbra_dol_m: npt.ArrayLike | None = None) -> str:
        """The RPL as CSV (columns :data:`RPL_COLUMNS`).

        Parameters
        ----------
        cbra_dol_m : array_like, optional
            The install stage's depth of lowering by risk (CBRA) of the section starting at
            each row [m], one per section (rows − 1): written as a ``cbra_dol_m`` column after
            ``burial_m`` (the armour band's target), empty on the last row.
        """
        cols = list(RPL_COLUMNS)
        rows = self.rows()
        if cbra_dol_m is not None:
            dol = np.asarray(cbra_dol_m, float)
            if dol.shape != (len(rows) - 1,):
                raise ValueError(f"cbra_dol_m: {dol.size} sections for {len(rows)} RPL rows")
            cols.insert(cols.index("burial_m") + 1, "cbra_dol_m")
            for row, d in zip(rows, [*dol.tolist(), None], strict=True):
                row["cbra_dol_m"] = None if d is None else round(float(d), 2)
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({k: ("" if v is None else v) for k, v in row.items()})
        return buf.getvalue()


def band_of(depth_m: npt.ArrayLike, bands: Sequence[ArmourBand]) -> npt.NDArray[np.intp]:
    """Index of the armour band for each water depth (shallowest band whose limit ≥ depth)."""
    limits = np.array([np.inf if b.max_depth_m is None else b.max_depth_m for b in bands])
    idx = np.searchsorted(limits, np.asarray(depth_m, float), side="left")
    return np.minimum(idx, len(bands) - 1).astype(np.intp)


def build_rpl(
    lon_deg: npt.NDArray[np.float64],
    lat_deg: npt.NDArray[np.float64],
    grid: BathymetryGrid,
    level_m: float,
    bands: Sequence[ArmourBand],
    crossings: Sequence[Crossing] = (),
    *,
    max_step_km: float = 1.0,
    end_names: tuple[str, str] = ("A", "B"),
    depth_grid_m: npt.NDArray[np.float64] | None = None,
) -> Rpl:
    """Densify a route polyline into an RPL.

    Rows: every vertex (landing, alter course ``A/C``), every crossing, and intermediate points
    on the geodesic so that no two rows are more than ``max_step_km`` apart. Depth is
    bilinear-interpolated from the grid (0 on land); each section between two rows takes the
    armour band of its mean depth. ``depth_grid_m`` is the water depth on the grid [m] to
    interpolate (default ``grid.water_depth_m(level_m)``; the route stage passes the sea depth,
    in which dry depressions are land).

    Notes
    -----
    A section between two rows is typed by the band of its mean depth; rows are at most
    ``max_step_km`` apart, so a band boundary is placed to within that distance.
    """
    # vertices with their events, plus crossing points inserted at their KP
    seg_km = np.asarray(GEOD.line_lengths(lon_deg, lat_deg)) / 1e3
    vkp = np.concatenate([[0.0], np.cumsum(seg_km)])
    events = ["A/C"] * lon_deg.size
    events[0] = f"landing {end_names[0]}"
    events[-1] = f"landing {end_names[1]}"
    if len(events) > 2:
        events[1] = "A/C shore approach"
        events[-2] = "A/C shore approach"
    pts: list[tuple[float, float, float, str]] = [
        (float(vkp[i]), float(lon_deg[i]), float(lat_deg[i]), events[i])
        for i in range(lon_deg.size)
    ]
    for c in crossings:
        pts.append((c.kp_km, c.lon_deg, c.lat_deg, f"crossing {c.kind}: {c.name}"))
    pts.sort(key=lambda p: p[0])
    lons: list[float] = [pts[0][1]]
    lats: list[float] = [pts[0][2]]
    evs: list[str] = [pts[0][3]]
    for (_, x0, y0, _), (_, x1, y1, ev) in itertools.pairwise(pts):
        _, _, d = GEOD.inv(x0, y0, x1, y1)
        n = int(np.ceil(d / 1e3 / max_step_km - 1e-9))
        if n > 1:
            mid = GEOD.npts(x0, y0, x1, y1, n - 1)
            for x, y in mid:
                lons.append(x)
                lats.append(y)
                evs.append("")
        lons.append(x1)
        lats.append(y1)
        evs.append(ev)
    lon = np.asarray(lons)
    lat = np.asarray(lats)
    az, _, d = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    d_km = np.asarray(d) / 1e3
    kp = np.concatenate([[0.0], np.cumsum(d_km)])
    field_m = grid.water_depth_m(level_m) if depth_grid_m is None else depth_grid_m
    depth = np.clip(grid.interpolate(field_m, lon, lat), 0.0, None)
    depth[0] = depth[-1] = 0.0  # landing stations are ashore
    # rows of the landing approach that are still on land (before the beach) say so
    evs = [e or ("ashore" if d <= 0.0 else "") for e, d in zip(evs, depth, strict=True)]
    mean_depth = 0.5 * (depth[:-1] + depth[1:])
    b = band_of(mean_depth, bands)
    slack = np.array([bands[i].slack_percent for i in b])
    burial = np.array([bands[i].burial_target_m for i in b])
    ctype = [bands[i].cable_type for i in b]
    cable_kp = np.concatenate([[0.0], np.cumsum(d_km * (1.0 + slack / 100.0))])
    course = np.concatenate([np.mod(np.asarray(az), 360.0), [np.nan]])
    return Rpl(
        kp_km=kp,
        lat_deg=lat,
        lon_deg=lon,
        depth_m=depth,
        event=tuple(evs),
        course_deg=course,
        cable_type=(*ctype, ctype[-1]),
        burial_m=np.concatenate([burial, [burial[-1]]]),
        slack_percent=np.concatenate([slack, [slack[-1]]]),
        cable_kp_km=cable_kp,
    )
