"""Measured round-trip times: read a user's file, place it on the corridor, compare with the model.

The file is CSV with one row per city pair, the column ``rtt_min_ms`` (the minimum RTT measured
between the two cities [ms]) and, for each end, the city's name (``city_a``, ``city_b``) or its
coordinates (``lat_a``, ``lon_a``, ``lat_b``, ``lon_b`` [deg]) or both. With coordinates a city is
placed on the nearest corridor node within ``snap_km``; without them it must be named like a
corridor node (its name or id, case-insensitive). Other columns are ignored, so WonderProxy-style
exports, a user's own pings or RIPE Atlas summaries load as they are.

Pairs whose ends are farther than ``snap_km`` from every node, or snap onto one node, are reported
as not placed - never silently dropped.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .._load import read_text
from ..errors import DataError
from .topology import Corridor, geodesic_km

REQUIRED = ("city_a", "city_b", "rtt_min_ms")
COORDS = {"a": ("lat_a", "lon_a"), "b": ("lat_b", "lon_b")}
RATIO_BAND = (0.7, 1.0)  # the as-routed / measured band of the check
FIBRE_BOUND_TOLERANCE = 1.02  # fibre bound / measured above this: a bug in data or model


@dataclass(frozen=True)
class MeasuredPair:
    """One measured pair: row number (1 = first data row), city names and coordinates, RTT."""

    row: int
    city_a: str
    city_b: str
    coords_a: tuple[float, float] | None
    coords_b: tuple[float, float] | None
    rtt_min_ms: float


def _number(text: str, *, source: str, row: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"{source}: row {row}: {column}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise DataError(f"{source}: row {row}: {column}: {text!r} is not a finite number")
    return value


def _coords(rec: dict[str, str], end: str, *, source: str, row: int) -> tuple[float, float] | None:
    lat_c, lon_c = COORDS[end]
    lat_t, lon_t = (rec.get(lat_c) or "").strip(), (rec.get(lon_c) or "").strip()
    if not lat_t and not lon_t:
        return None
    if not lat_t or not lon_t:
        missing = lat_c if not lat_t else lon_c
        raise DataError(f"{source}: row {row}: {missing}: missing (both coordinates or neither)")
    lat = _number(lat_t, source=source, row=row, column=lat_c)
    lon = _number(lon_t, source=source, row=row, column=lon_c)
    if not -90.0 <= lat <= 90.0:
        raise DataError(f"{source}: row {row}: {lat_c}: {lat} is outside -90..90 deg")
    if not -180.0 <= lon <= 180.0:
        raise DataError(f"{source}: row {row}: {lon_c}: {lon} is outside -180..180 deg")
    return (lat, lon)


def parse_measured(text: str, source: str = "measured RTTs") -> tuple[MeasuredPair, ...]:
    """Parse measured-RTT CSV text (module notes for the columns).

    Raises
    ------
    DataError
        One line naming the file, the row and the field: empty file, a missing column, an empty
        city name, a non-numeric or non-positive RTT, half a coordinate pair.
    """
    if not text.strip():
        raise DataError(f"{source}: empty file (expected a header with {', '.join(REQUIRED)})")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "rtt_min_ms" not in header:
        raise DataError(f"{source}: missing column 'rtt_min_ms' (header: {','.join(header)})")
    for col, end in (("city_a", "a"), ("city_b", "b")):
        if col not in header and not set(COORDS[end]) <= set(header):
            raise DataError(
                f"{source}: missing column {col!r} (or {'/'.join(COORDS[end])}) "
                f"(header: {','.join(header)})"
            )
    reader.fieldnames = header
    pairs: list[MeasuredPair] = []
    for row, rec in enumerate(reader, start=1):
        if not any((v or "").strip() for v in rec.values() if isinstance(v, str)):
            continue  # a blank line
        names = []
        for col, end in (("city_a", "a"), ("city_b", "b")):
            name = (rec.get(col) or "").strip()
            if not name and col not in header:
                lat_c, lon_c = COORDS[end]
                name = f"({(rec.get(lat_c) or '').strip()}, {(rec.get(lon_c) or '').strip()})"
            elif not name:
                raise DataError(f"{source}: row {row}: {col}: empty city name")
            names.append(name)
        rtt_text = (rec.get("rtt_min_ms") or "").strip()
        if not rtt_text:
            raise DataError(f"{source}: row {row}: rtt_min_ms: missing value")
        rtt = _number(rtt_text, source=source, row=row, column="rtt_min_ms")
        if rtt <= 0.0:
            raise DataError(f"{source}: row {row}: rtt_min_ms: {rtt} must be positive")
        pairs.append(
            MeasuredPair(
                row=row,
                city_a=names[0],
                city_b=names[1],
                coords_a=_coords(rec, "a", source=source, row=row),
                coords_b=_coords(rec, "b", source=source, row=row),
                rtt_min_ms=rtt,
            )
        )
    if not pairs:
        raise DataError(f"{source}: no data rows (only a header)")
    return tuple(pairs)


def read_measured(path: str | Path) -> tuple[MeasuredPair, ...]:
    """Read a measured-RTT CSV file (:func:`parse_measured`)."""
    text = read_text(path, what="measured RTT file", error=DataError)
    return parse_measured(text, source=str(Path(path)))


@dataclass(frozen=True)
class Placement:
    """Where a measured city sits on the corridor: node id (or ``None``) and distance [km]."""

    node: str | None
    distance_km: float | None
    reason: str = ""


def place_city(
    corridor: Corridor,
    name: str,
    coords: tuple[float, float] | None,
    snap_km: float,
    *,
    source: str,
    row: int,
    column: str,
) -> Placement:
    """Snap one measured city to a corridor node.

    With coordinates: the nearest node (WGS84 geodesic) if within ``snap_km``. Without: the node
    whose name or id matches. Raises :class:`DataError` for an unknown name without coordinates.
    """
    if coords is None:
        key = name.strip().casefold()
        for n in corridor.nodes:
            if key in (n.name.casefold(), n.id.casefold(), n.id.replace("_", " ").casefold()):
                return Placement(n.id, 0.0)
        lat_c, lon_c = COORDS[column[-1]]
        raise DataError(
            f"{source}: row {row}: {column}: unknown city {name!r} and no {lat_c}/{lon_c} to "
            "place it"
        )
    lat = np.array([n.lat_deg for n in corridor.nodes])
    lon = np.array([n.lon_deg for n in corridor.nodes])
    d = geodesic_km(coords[0], coords[1], lat, lon)
    i = int(np.argmin(d))
    if d[i] > snap_km:
        return Placement(
            None, float(d[i]), f"{name}: nearest node {corridor.nodes[i].id} is {d[i]:.0f} km away"
        )
    return Placement(corridor.nodes[i].id, float(d[i]))


@dataclass(frozen=True)
class MeasuredComparison:
    """Modelled / measured per placed pair, the pairs not placed, and summary statistics."""

    pairs: tuple[dict[str, Any], ...]
    not_placed: tuple[dict[str, Any], ...]
    variant: str
    snap_km: float

    def summary(self) -> dict[str, Any]:
        """Counts, median and spread of the ratios, the share in the 0.7-1.0 band, violations."""
        fr = np.array([p["fibre_ratio"] for p in self.pairs if p["fibre_ratio"] is not None])
        rr = np.array([p["routed_ratio"] for p in self.pairs if p["routed_ratio"] is not None])
        lo, hi = RATIO_BAND

        def stats(x: np.ndarray) -> dict[str, float | None]:
            if x.size == 0:
                return {"median": None, "p10": None, "p25": None, "p75": None, "p90": None}
            q = np.percentile(x, [10, 25, 50, 75, 90])
            return {
                "median": float(q[2]),
                "p10": float(q[0]),
                "p25": float(q[1]),
                "p75": float(q[3]),
                "p90": float(q[4]),
            }

        return {
            "rows": len(self.pairs) + len(self.not_placed),
            "placed": len(self.pairs),
            "not_placed": len(self.not_placed),
            "fibre_ratio": stats(fr),
            "routed_ratio": stats(rr),
            "routed_within_band": float(np.mean((rr >= lo) & (rr <= hi))) if rr.size else None,
            "band": list(RATIO_BAND),
            "fibre_bound_above_measured": [
                {"a": p["a"], "b": p["b"], "fibre_ratio": p["fibre_ratio"]}
                for p in self.pairs
                if p["fibre_ratio"] is not None and p["fibre_ratio"] > FIBRE_BOUND_TOLERANCE
            ],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "variant": self.variant,
            "snap_km": self.snap_km,
            "summary": self.summary(),
            "pairs": list(self.pairs),
            "not_placed": list(self.not_placed),
        }


def compare_measured(
    measured: tuple[MeasuredPair, ...],
    corridor: Corridor,
    fibre_rtt_ms: np.ndarray,
    routed_rtt_ms: np.ndarray,
    *,
    snap_km: float,
    variant: str,
    source: str = "measured RTTs",
    meeting: np.ndarray | None = None,
) -> MeasuredComparison:
    """Place every measured pair on ``corridor`` and set the model's RTTs beside the measurement.

    Parameters
    ----------
    measured : tuple of MeasuredPair
    corridor : Corridor
        The graph whose node order indexes the matrices.
    fibre_rtt_ms, routed_rtt_ms : ndarray, shape (N, N)
        Fibre-bound and as-routed RTT [ms] between the corridor's nodes.
    snap_km : float
        Placement radius [km].
    variant : str
        Label of the corridor variant compared (e.g. ``without_line``).
    meeting : ndarray of str, shape (N, N), optional
        Where the model exchanges each pair's traffic (:func:`.routed_latency.meeting_labels`),
        reported per pair as ``meeting_hub``.
    """
    idx = {n: i for i, n in enumerate(corridor.node_ids)}
    pairs: list[dict[str, Any]] = []
    missed: list[dict[str, Any]] = []
    for m in measured:
        pa = place_city(
            corridor, m.city_a, m.coords_a, snap_km, source=source, row=m.row, column="city_a"
        )
        pb = place_city(
            corridor, m.city_b, m.coords_b, snap_km, source=source, row=m.row, column="city_b"
        )
        base = {"row": m.row, "city_a": m.city_a, "city_b": m.city_b}
        if pa.node is None or pb.node is None:
            why = "; ".join(p.reason for p in (pa, pb) if p.node is None)
            missed.append({**base, "reason": why})
            continue
        if pa.node == pb.node:
            missed.append({**base, "reason": f"both ends snap to {pa.node}"})
            continue
        i, j = idx[pa.node], idx[pb.node]
        f, r = float(fibre_rtt_ms[i, j]), float(routed_rtt_ms[i, j])
        ok_f, ok_r = math.isfinite(f), math.isfinite(r)
        pairs.append(
            {
                **base,
                "a": pa.node,
                "b": pb.node,
                "snap_km": [pa.distance_km, pb.distance_km],
                "measured_rtt_ms": m.rtt_min_ms,
                "fibre_rtt_ms": f if ok_f else None,
                "routed_rtt_ms": r if ok_r else None,
                "fibre_ratio": f / m.rtt_min_ms if ok_f else None,
                "routed_ratio": r / m.rtt_min_ms if ok_r else None,
                **({} if meeting is None else {"meeting_hub": str(meeting[i, j])}),
            }
        )
    return MeasuredComparison(tuple(pairs), tuple(missed), variant, snap_km)
