"""The bundled (user-replaceable) rate tables: zone factors and plant reliability.

One loader, :func:`load_tables`, reads both CSV files (the bundled ones or the scenario's),
applies the scenario's row overrides and validates every row; an error names the file, the row
and the field in one line.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from .._load import read_text, validation_message
from ..errors import ReliabilityError
from ..geo.hazards import Kind
from .config import CAUSES, PlantItem, ReliabilityConfig, ZoneFactor

ZONE_FILE = "fault_zone_factors.csv"
PLANT_FILE = "plant_reliability.csv"
HAZARD_KINDS = frozenset(get_args(Kind))
CABLE_TYPES = frozenset(("DA", "SA", "LWA", "LWP", "LW"))


@dataclass(frozen=True)
class ZoneTables:
    """Validated zone factors.

    ``band_names``/``band_max_m`` ascending; ``depth_weight`` (band, cause); ``generic_fraction``
    per band; ``hazard`` kind → (cause index, multiplier); ``armour`` type → human factor.
    """

    band_names: tuple[str, ...]
    band_max_m: tuple[float, ...]
    depth_weight: tuple[tuple[float, float, float], ...]
    generic_fraction: tuple[float, ...]
    hazard: dict[str, tuple[int, float]]
    armour: dict[str, float]
    sources: dict[str, str]


def _read_csv(path: Path | None, bundled: str) -> tuple[list[dict[str, str]], str]:
    if path is None:
        ref = resources.files("transcaspian").joinpath("data").joinpath(bundled)
        return list(csv.DictReader(io.StringIO(ref.read_text(encoding="utf-8")))), bundled
    text = read_text(path, what="reliability table", error=ReliabilityError)
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        # an empty table would silently drop every bundled row (issue 22)
        what = "an empty file" if not text.strip() else "a header and no rows"
        raise ReliabilityError(f"{path}: {what}: the table needs at least one row")
    return rows, str(path)


#: CSV cells that hold numbers (the models are strict: a number, never a numeric string)
_FLOAT_CELLS = frozenset({"value", "fit", "repair_hours"})
_INT_CELLS = frozenset({"redundancy"})


def _cell(key: str, value: str, where: str) -> Any:
    try:
        if key in _FLOAT_CELLS:
            return float(value)
        if key in _INT_CELLS:
            return int(value)
    except ValueError:
        raise ReliabilityError(f"{where}: {key}: not a number ({value!r})") from None
    return value


def _model(cls: Any, row: dict[str, Any], where: str) -> Any:
    if None in row:
        raise ReliabilityError(f"{where}: more fields than the header")
    clean = {k: _cell(k, v.strip(), where) for k, v in row.items()
             if isinstance(k, str) and v not in ("", None)}
    try:
        return cls.model_validate(clean)
    except ValidationError as err:
        raise ReliabilityError(validation_message(err, where)) from None


def _zone_rows(
    cfg: ReliabilityConfig,
) -> tuple[list[tuple[ZoneFactor, str]], dict[str, float], str]:
    """The table's rows with the overrides applied (each with its origin), the table's own
    depth-band edges (before the overrides) and the table's name."""
    rows, name = _read_csv(cfg.zone_factors_file, ZONE_FILE)
    out: dict[tuple[str, str, str | None], tuple[ZoneFactor, str]] = {}
    file_edges: dict[str, float] = {}
    for i, row in enumerate(rows, start=2):
        if row.get("value", "").strip() == "inf":
            row = {**row, "value": "1e6"}
        if None in row:
            raise ReliabilityError(f"{name}: row {i}: more fields than the header")
        zf = _model(ZoneFactor, row, f"{name}: row {i}")
        out[(zf.factor, zf.key, zf.cause)] = (zf, name)
        if zf.factor == "depth_band_max_m":
            file_edges[zf.key] = zf.value
    for j, zf in enumerate(cfg.zone_factors):
        out[(zf.factor, zf.key, zf.cause)] = (zf, f"reliability.zone_factors.{j}")
    return list(out.values()), file_edges, name


def _depth(value: float) -> str:
    return "inf" if value >= 1e6 else f"{value:g} m"


def _check_band_order(tagged: list[tuple[ZoneFactor, str]], file_edges: dict[str, float],
                      name: str) -> None:
    """Depth-band edges strictly increasing, and the table's band order kept by the overrides.

    The table's rows give the bands in depth order (sorted by their edges there); an override
    that moves an edge past a neighbour's would silently reorder the bands, so that each band's
    weights and length fraction apply to other depths (issue 22: the fault rate halves).
    """
    final = [(r.value, r.key, origin) for r, origin in tagged if r.factor == "depth_band_max_m"]
    for a, b in itertools.pairwise(sorted(final)):
        if a[0] == b[0]:
            (value, key, origin), other = (a, b) if a[2] != name else (b, a)
            raise ReliabilityError(
                f"{origin}: depth_band_max_m '{key}': {_depth(value)} is the edge of band "
                f"'{other[1]}' too (band edges must be strictly increasing)")
    by_key = {k: (v, origin) for v, k, origin in final}
    declared = sorted(file_edges, key=lambda k: (file_edges[k], k))
    for lower, upper in itertools.pairwise(declared):
        (v_lo, o_lo), (v_up, o_up) = by_key[lower], by_key[upper]
        if v_lo >= v_up:
            origin, key, value = (o_up, upper, v_up) if o_up != name else (o_lo, lower, v_lo)
            shown = ", ".join(f"{k} <= {_depth(file_edges[k])}" for k in declared)
            raise ReliabilityError(
                f"{origin}: depth_band_max_m '{key}': {_depth(value)} puts the depth bands out "
                f"of order (an edge must stay between its neighbours'; {name}: {shown})")


def zone_tables(cfg: ReliabilityConfig) -> ZoneTables:
    """Validated zone-factor tables (bundled or the scenario's, with its overrides)."""
    tagged, file_edges, name = _zone_rows(cfg)
    rows = [r for r, _ in tagged]
    edges = sorted((r.value, r.key) for r in rows if r.factor == "depth_band_max_m")
    if not edges:
        raise ReliabilityError(f"{name}: no depth_band_max_m rows")
    _check_band_order(tagged, file_edges, name)
    bands = tuple(k for _, k in edges)
    band_max = tuple(math.inf if v >= 1e6 else v for v, _ in edges)
    weights = {b: [math.nan] * 3 for b in bands}
    frac = dict.fromkeys(bands, math.nan)
    hazard: dict[str, tuple[int, float]] = {}
    armour: dict[str, float] = {}
    sources: dict[str, str] = {}
    for r, origin in tagged:
        tag = f"{r.factor}:{r.key}:{r.cause or ''}"
        sources[tag] = r.source
        where = f"{origin}: {r.factor} '{r.key}'"
        if r.factor == "depth_weight":
            if r.key not in weights or r.cause is None:
                raise ReliabilityError(f"{where}: unknown depth band or missing cause")
            weights[r.key][CAUSES.index(r.cause)] = r.value
        elif r.factor == "generic_length_fraction":
            if r.key not in frac:
                raise ReliabilityError(f"{where}: unknown depth band")
            if r.value > 1.0:
                raise ReliabilityError(f"{where}: value: a length fraction must be <= 1")
            frac[r.key] = r.value
        elif r.factor == "hazard_multiplier":
            if r.key not in HAZARD_KINDS:
                raise ReliabilityError(
                    f"{where}: key: unknown hazard kind (one of {', '.join(sorted(HAZARD_KINDS))})")
            if r.cause is None:
                raise ReliabilityError(f"{where}: cause: missing")
            if r.value < 1.0:
                raise ReliabilityError(f"{where}: value: a hazard multiplier must be >= 1 "
                                       "(a hazard never lowers the fault rate)")
            hazard[r.key] = (CAUSES.index(r.cause), r.value)
        elif r.factor == "armour_factor":
            if r.key not in CABLE_TYPES:
                raise ReliabilityError(f"{where}: key: unknown cable type")
            armour[r.key] = r.value
    for b in bands:
        if any(math.isnan(w) for w in weights[b]):
            raise ReliabilityError(f"{name}: depth_weight: band '{b}' lacks a cause")
        if math.isnan(frac[b]):
            raise ReliabilityError(f"{name}: generic_length_fraction: band '{b}' missing")
    total = sum(frac.values())
    if abs(total - 1.0) > 1e-6:
        raise ReliabilityError(f"{name}: generic_length_fraction: must sum to 1, got {total:.6g}")
    if not math.isinf(band_max[-1]):
        raise ReliabilityError(f"{name}: depth_band_max_m: the deepest band must be 'inf'")
    for c in range(3):
        if sum(frac[b] * weights[b][c] for b in bands) <= 0.0:
            raise ReliabilityError(f"{name}: depth_weight: cause '{CAUSES[c]}' has zero weight "
                                   "on the generic cable")
    return ZoneTables(
        band_names=bands,
        band_max_m=band_max,
        depth_weight=tuple((weights[b][0], weights[b][1], weights[b][2]) for b in bands),
        generic_fraction=tuple(frac[b] for b in bands),
        hazard=hazard,
        armour=armour,
        sources=sources,
    )


def plant_table(cfg: ReliabilityConfig) -> tuple[PlantItem, ...]:
    """Validated plant-reliability rows (bundled or the scenario's, with its overrides)."""
    rows, name = _read_csv(cfg.plant_file, PLANT_FILE)
    out: dict[str, PlantItem] = {}
    for i, row in enumerate(rows, start=2):
        item = _model(PlantItem, row, f"{name}: row {i}")
        out[item.item] = item
    for item in cfg.plant:
        out[item.item] = item
    for item in out.values():
        if item.plant == "dry" and item.repair_hours is None:
            raise ReliabilityError(f"{name}: {item.item}: repair_hours: required for dry plant")
    return tuple(out.values())
