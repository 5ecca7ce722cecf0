"""Measured round-trip times: read a user's file, place it on the corridor, compare with the model.

The file is CSV with one row per city pair, the column ``rtt_min_ms`` (the minimum RTT measured
between the two cities [ms]) and, for each end, the city's name (``city_a``, ``city_b``) or its
coordinates (``lat_a``, ``lon_a``, ``lat_b``, ``lon_b`` [deg]) or both, and optionally its country
(``country_a``, ``country_b``: a name or an ISO 3166 code). Other columns are ignored, so
WonderProxy-style exports, a user's own pings or RIPE Atlas summaries load as they are.

Placement. Without coordinates a city must be named like a corridor node (its name or id,
case-insensitive). With coordinates it *snaps* to the nearest node within ``snap_km``. Farther
out, up to ``attach_km`` from its nearest node, it is *attached*: an off-graph point joined by
access links (at the geodesic for the fibre bound, great circle x the corridor's terrestrial
route factor for the as-routed estimate) to its
``ATTACH_ANCHORS`` nearest nodes within ``attach_km`` and to the nearest node of its own country
(a domestic backbone reaches it), whose networks' presence it takes - or the nearest node's when
its country has none (:func:`.routed_latency.attach_points`). It exchanges traffic locally
(along the fibre, through no hub) with the nodes and attached cities of its own country and, for
a country with no corridor node, of the upstream countries the interconnection data list for it
(the nearest node's country only when the file gives no country); with others it meets at a
hub. Two attached cities within ``attach_km`` of each other are also joined
directly. Attaching never changes the corridor's own numbers. Pairs beyond ``attach_km``, or whose
two ends snap onto one node, are reported as not placed - never silently dropped.

With a latency calibration (:mod:`.calibration`) every pair carries the as-routed RTT's P10 /
P50 / P90 and the summary scores the intervals (coverage, MdAPE, interval score), for the
as-routed model and the fibre-only baseline, in sample and K-fold cross-validated.
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
from .calibration import Covariates, LatencyCalibration, cross_validate, score
from .routed_latency import AttachedPoint, CorridorView, attach_points, meeting_labels
from .topology import Corridor, geodesic_km

REQUIRED = ("city_a", "city_b", "rtt_min_ms")
COUNTRY = {"a": "country_a", "b": "country_b"}
ATTACH_ANCHORS = 3  # access links of an attached city: to its 3 nearest nodes (within attach_km)
# Names that ISO 3166 (pycountry) does not list as a name, a code or an exact alias, as
# measurement files spell them: the pre-2022 English name of Turkiye, the UK's short forms.
COUNTRY_ALIASES = {"turkey": "TUR", "uk": "GBR", "great britain": "GBR", "england": "GBR"}
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
    country_a: str = ""
    country_b: str = ""


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
                country_a=(rec.get("country_a") or "").strip(),
                country_b=(rec.get("country_b") or "").strip(),
            )
        )
    if not pairs:
        raise DataError(f"{source}: no data rows (only a header)")
    return tuple(pairs)


def read_measured(path: str | Path) -> tuple[MeasuredPair, ...]:
    """Read a measured-RTT CSV file (:func:`parse_measured`)."""
    text = read_text(path, what="measured RTT file", error=DataError)
    return parse_measured(text, source=str(Path(path)))


def country_iso3(text: str) -> str:
    """ISO 3166 alpha-3 code of a country given by name or code; ``""`` when not recognised.

    Uses the ISO 3166 tables of ``pycountry`` (names, common and official names, alpha-2/3
    codes) and ``COUNTRY_ALIASES``; a fuzzy match is taken only when it is unique.
    """
    import pycountry

    key = text.strip()
    if not key:
        return ""
    if key.casefold() in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key.casefold()]
    try:
        return str(pycountry.countries.lookup(key).alpha_3)
    except LookupError:
        pass
    try:
        found = pycountry.countries.search_fuzzy(key)
    except LookupError:
        return ""
    return str(found[0].alpha_3) if len(found) == 1 else ""


@dataclass(frozen=True)
class Placement:
    """Where a measured city sits on the corridor.

    Snapped: ``node`` is the node. Attached: ``node`` is ``None`` and ``anchors`` holds the
    (node, great-circle km) access links, ``presence_from`` the node whose presence it takes.
    Not placed: both empty and ``reason`` says why. ``distance_km`` is to the nearest node.
    """

    node: str | None
    distance_km: float | None
    reason: str = ""
    anchors: tuple[tuple[str, float], ...] = ()
    presence_from: str | None = None
    country: str = ""
    note: str = ""

    @property
    def placed(self) -> bool:
        return self.node is not None or bool(self.anchors)


def place_city(
    corridor: Corridor,
    name: str,
    coords: tuple[float, float] | None,
    snap_km: float,
    *,
    source: str,
    row: int,
    column: str,
    attach_km: float = 0.0,
    country: str = "",
) -> Placement:
    """Snap one measured city to a corridor node, or attach it (module notes).

    With coordinates: the nearest node (WGS84 geodesic) if within ``snap_km``; else attached if
    that node is within ``attach_km``. Without: the node whose name or id matches. Raises
    :class:`DataError` for an unknown name without coordinates.
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
    order = np.argsort(d, kind="stable")
    i = int(order[0])
    if d[i] <= snap_km:
        return Placement(corridor.nodes[i].id, float(d[i]))
    if d[i] > attach_km:
        limit = f"attach_km {attach_km:g}" if attach_km > 0 else f"snap_km {snap_km:g}"
        return Placement(
            None,
            float(d[i]),
            f"{name}: nearest node {corridor.nodes[i].id} is {d[i]:.0f} km away (beyond {limit})",
        )
    iso = country_iso3(country)
    note = f"country {country!r} not recognised" if country and not iso else ""
    near = [int(k) for k in order[:ATTACH_ANCHORS] if d[k] <= attach_km]
    home = [int(k) for k in order if iso and corridor.nodes[int(k)].country == iso]
    if home and home[0] not in near:
        near.append(home[0])
    return Placement(
        None,
        float(d[i]),
        anchors=tuple((corridor.nodes[k].id, float(d[k])) for k in near),
        presence_from=corridor.nodes[home[0] if home else i].id,
        country=iso,
        note=note,
    )


def _stats(x: np.ndarray) -> dict[str, float | None]:
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


def _within(x: np.ndarray) -> float | None:
    lo, hi = RATIO_BAND
    return float(np.mean((x >= lo) & (x <= hi))) if x.size else None


@dataclass(frozen=True)
class MeasuredComparison:
    """Modelled / measured per placed pair, the pairs not placed, and summary statistics."""

    pairs: tuple[dict[str, Any], ...]
    not_placed: tuple[dict[str, Any], ...]
    variant: str
    snap_km: float
    attach_km: float = 0.0
    attached: tuple[dict[str, Any], ...] = ()
    calibration: LatencyCalibration | None = None
    cv: int = 0
    """K of the K-fold cross-validated scores in the summary; 0: none."""

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Measured, as-routed and fibre-bound RTT of the placed pairs [ms] (nan: no path)."""

        def col(key: str) -> np.ndarray:
            return np.array([np.nan if p[key] is None else p[key] for p in self.pairs], float)

        return col("measured_rtt_ms"), col("routed_rtt_ms"), col("fibre_rtt_ms")

    def covariates(self) -> Covariates:
        """The placed pairs' calibration covariates (fibre bound, hubs met)."""
        _, _, f = self.arrays()
        return Covariates.of(f, [p["meeting_hub"] for p in self.pairs])

    def calibrated(self) -> dict[str, Any] | None:
        """Scores of the calibration's P10 / P50 / P90 on these pairs, for the as-routed model
        and the fibre-only baseline (:func:`.calibration.score`), and the K-fold
        cross-validated scores when ``cv`` (:func:`.calibration.cross_validate`)."""
        if self.calibration is None and not self.cv:
            return None
        y, r, f = self.arrays()
        cov = self.covariates()
        out: dict[str, Any] = {}
        if self.calibration is not None:
            cal = self.calibration
            out["calibration"] = {
                "source": cal.source,
                "factors": {"routed": cal.routed.to_dict(), "fibre": cal.fibre.to_dict()},
                "provenance": cal.provenance,
            }
            out["routed"] = score(y, r, cal.routed, cov)
            out["fibre"] = score(y, f, cal.fibre, cov)
        if self.cv:
            out["cross_validated"] = cross_validate(
                y, {"routed": r, "fibre": f}, self.cv, covariates=cov
            )
        return out

    def summary(self) -> dict[str, Any]:
        """Counts, median and spread of the ratios, the share in the 0.7-1.0 band, violations;
        the same for the pairs whose two ends snapped onto corridor nodes (``snapped``)."""

        def ratios(key: str, pairs: tuple[dict[str, Any], ...]) -> np.ndarray:
            return np.array([p[key] for p in pairs if p[key] is not None])

        snapped = tuple(p for p in self.pairs if not p.get("attached"))
        rr = ratios("routed_ratio", self.pairs)
        rs = ratios("routed_ratio", snapped)
        return {
            "rows": len(self.pairs) + len(self.not_placed),
            "placed": len(self.pairs),
            "attached_pairs": len(self.pairs) - len(snapped),
            "not_placed": len(self.not_placed),
            "fibre_ratio": _stats(ratios("fibre_ratio", self.pairs)),
            "routed_ratio": _stats(rr),
            "routed_within_band": _within(rr),
            "band": list(RATIO_BAND),
            "snapped": {
                "placed": len(snapped),
                "fibre_ratio": _stats(ratios("fibre_ratio", snapped)),
                "routed_ratio": _stats(rs),
                "routed_within_band": _within(rs),
            },
            "fibre_bound_above_measured": [
                {"a": p["a"], "b": p["b"], "fibre_ratio": p["fibre_ratio"]}
                for p in self.pairs
                if p["fibre_ratio"] is not None and p["fibre_ratio"] > FIBRE_BOUND_TOLERANCE
            ],
            **({"intervals": cal} if (cal := self.calibrated()) is not None else {}),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "variant": self.variant,
            "snap_km": self.snap_km,
            "attach_km": self.attach_km,
            "summary": self.summary(),
            "pairs": list(self.pairs),
            "attached_cities": list(self.attached),
            "not_placed": list(self.not_placed),
        }


def compare_measured(
    measured: tuple[MeasuredPair, ...],
    view: CorridorView,
    *,
    snap_km: float,
    attach_km: float,
    group_index: float,
    node_latency_ms: float,
    route_factor: float,
    source: str = "measured RTTs",
    calibration: LatencyCalibration | None = None,
    cv: int = 0,
) -> MeasuredComparison:
    """Place every measured pair on the corridor and set the model's RTTs beside the measurement.

    Parameters
    ----------
    measured : tuple of MeasuredPair
    view : CorridorView
        The corridor variant compared: its graph, interconnection and all-pairs matrices.
    snap_km : float
        A city within this distance of a node is that node [km].
    attach_km : float
        A city farther than ``snap_km`` but within this distance of a node is attached by
        access links (module notes) [km]; 0 attaches none.
    group_index : float
        Fibre group index of the access links [-].
    node_latency_ms : float
        One-way latency per node [ms], as on the corridor.
    route_factor : float
        Access-link length / great circle [-] of the as-routed estimate (the corridor's
        terrestrial factor); the fibre bound takes access links at the geodesic.
    calibration : LatencyCalibration, optional
        Gives every pair ``routed_rtt_p{10,50,90}_ms`` and the summary its scores.
    cv : int
        K of K-fold cross-validated scores in the summary (0: none).
    """
    corridor = view.corridor
    idx = {n: i for i, n in enumerate(corridor.node_ids)}
    placed: list[tuple[MeasuredPair, Placement, Placement]] = []
    missed: list[dict[str, Any]] = []
    points: dict[tuple[str, tuple[float, float], str], AttachedPoint] = {}
    point_of: dict[tuple[int, str], str] = {}
    attached_info: list[dict[str, Any]] = []
    seen: dict[tuple[str, tuple[float, float], str], Placement] = {}
    for m in measured:
        ends = []
        for end, name, coords, country in (
            ("a", m.city_a, m.coords_a, m.country_a),
            ("b", m.city_b, m.coords_b, m.country_b),
        ):
            if coords is None:
                pl = place_city(corridor, name, None, snap_km, source=source, row=m.row,
                                column=f"city_{end}")
                ends.append(pl)
                continue
            key = (name, coords, country)
            if key not in seen:  # each city is placed once, however many rows name it
                seen[key] = place_city(
                    corridor, name, coords, snap_km, source=source, row=m.row,
                    column=f"city_{end}", attach_km=attach_km, country=country,
                )
            pl = seen[key]
            if pl.anchors and pl.presence_from is not None:
                if key not in points:
                    pid = f"@{len(points)}"
                    points[key] = AttachedPoint(
                        pid, coords[0], coords[1], pl.anchors, pl.presence_from, pl.country
                    )
                    attached_info.append(
                        {
                            "city": name,
                            "country": pl.country or None,
                            "anchors": [{"node": a, "km": km} for a, km in pl.anchors],
                            "presence_from": pl.presence_from,
                            "local_exchange": sorted({
                                pl.country,
                                *view.interconnection.attached_local(
                                    pl.country, pl.presence_from),
                            } - {""}),
                            **({"note": pl.note} if pl.note else {}),
                        }
                    )
                point_of[(m.row, end)] = points[key].id
            ends.append(pl)
        pa, pb = ends
        base = {"row": m.row, "city_a": m.city_a, "city_b": m.city_b}
        if not (pa.placed and pb.placed):
            why = "; ".join(p.reason for p in (pa, pb) if not p.placed)
            missed.append({**base, "reason": why})
        elif pa.node is not None and pa.node == pb.node:
            missed.append({**base, "reason": f"both ends snap to {pa.node}"})
        elif pa.node is None and point_of[(m.row, "a")] == point_of.get((m.row, "b")):
            missed.append({**base, "reason": f"both ends are {m.city_a} at one place"})
        else:
            placed.append((m, pa, pb))
    pts = tuple(points.values())
    if pts:
        ids, fibre, routed = attach_points(
            view.fibre_rtt_ms, corridor.node_ids, view.interconnection, pts,
            group_index=group_index, node_latency_ms=node_latency_ms,
            route_factor=route_factor, direct_km=attach_km,
        )
        idx = {n: i for i, n in enumerate(ids)}
    else:
        fibre, routed = view.fibre_rtt_ms, view.routed
    meeting = meeting_labels(routed)
    pairs: list[dict[str, Any]] = []
    for m, pa, pb in placed:
        ka = pa.node if pa.node is not None else point_of[(m.row, "a")]
        kb = pb.node if pb.node is not None else point_of[(m.row, "b")]
        i, j = idx[ka], idx[kb]
        f, r = float(fibre[i, j]), float(routed.rtt_ms[i, j])
        ok_f, ok_r = math.isfinite(f), math.isfinite(r)
        att = [e for e, p in (("a", pa), ("b", pb)) if p.node is None]
        band: dict[str, float | None] = {}
        if calibration is not None:
            cov = Covariates.of(np.array([f]), np.array([meeting[i, j]], dtype=object))
            qs = (
                tuple(float(x[0]) for x in calibration.routed.apply(np.array([r]), cov))
                if ok_r else (None, None, None)
            )
            band = {f"routed_rtt_p{q}_ms": x for q, x in zip((10, 50, 90), qs, strict=True)}
        pairs.append(
            {
                "row": m.row,
                "city_a": m.city_a,
                "city_b": m.city_b,
                "a": pa.node if pa.node is not None else m.city_a,
                "b": pb.node if pb.node is not None else m.city_b,
                "snap_km": [pa.distance_km, pb.distance_km],
                **({"attached": att} if att else {}),
                "measured_rtt_ms": m.rtt_min_ms,
                "fibre_rtt_ms": f if ok_f else None,
                "routed_rtt_ms": r if ok_r else None,
                **band,
                "fibre_ratio": f / m.rtt_min_ms if ok_f else None,
                "routed_ratio": r / m.rtt_min_ms if ok_r else None,
                "meeting_hub": str(meeting[i, j]),
            }
        )
    return MeasuredComparison(
        tuple(pairs), tuple(missed), view.label, snap_km, attach_km, tuple(attached_info),
        calibration, cv,
    )
