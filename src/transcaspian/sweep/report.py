"""``summary.html`` of a sweep: the Pareto fronts as plots and the best designs as tables.

Self-contained and offline (inline SVG through :mod:`transcaspian.report.figures`). The
partitions are read one at a time, keeping only each front and a thinned sample of all designs
for the grey background of the plots, so the summary of 10⁶ designs fits in little memory.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .._io import write_text_atomic
from .pareto import FrontAccumulator, FrontSpec
from .sink import PartitionSink, read_columns

__all__ = ["FRONTS", "write_summary"]

#: Fronts drawn when their columns exist. CAPEX, availability and NPV come from the economics
#: and reliability stages when they are registered; the repeater count and the margin are the
#: trade-offs the route + optics stages give on their own.
FRONTS: tuple[FrontSpec, ...] = (
    FrontSpec("System capacity vs CAPEX", "capex_musd", "system_capacity_tbps", "min", "max"),
    FrontSpec("Availability vs CAPEX", "capex_musd", "availability", "min", "max"),
    FrontSpec("NPV vs system capacity", "system_capacity_tbps", "npv_musd", "max", "max"),
    FrontSpec("System capacity vs submerged repeaters", "repeaters", "system_capacity_tbps",
              "min", "max"),
    FrontSpec("System capacity vs end-of-life margin", "margin_db", "system_capacity_tbps",
              "max", "max"),
    FrontSpec("System capacity vs fibre pairs", "cable.fibre_pairs", "system_capacity_tbps",
              "min", "max"),
)

_LABELS = {
    "capex_musd": "CAPEX [M USD]",
    "system_capacity_tbps": "System capacity [Tb/s]",
    "availability": "Availability",
    "npv_musd": "NPV [M USD]",
    "repeaters": "Submerged repeaters",
    "margin_db": "End-of-life margin [dB]",
    "cable.fibre_pairs": "Fibre pairs",
}
_BACKGROUND_POINTS = 4000
_TABLE_ROWS = 20


def _usable(columns: Mapping[str, npt.NDArray[Any]]) -> npt.NDArray[np.bool_]:
    """Feasible designs; a front also leaves out those missing one of its two columns (a
    later stage's error leaves the earlier stages' fronts intact)."""
    n = len(columns["design"])
    ok = np.ones(n, dtype=bool)
    if "feasible" in columns:
        ok &= np.asarray(columns["feasible"], dtype=bool)
    return ok


def _figure(spec: FrontSpec, background: Mapping[str, npt.NDArray[Any]],
            front: Mapping[str, npt.NDArray[Any]]) -> str:
    from ..report.figures import figure_to_svg, new_figure

    fig = new_figure(6.4, 3.8)
    ax = fig.add_subplot()
    if spec.x in background and spec.y in background:
        ax.scatter(background[spec.x], background[spec.y], s=6, c="#b8b8b8", lw=0,
                   label="designs (sample)")
    ax.plot(front[spec.x], front[spec.y], "o-", ms=4, c="#c0392b", lw=1.2, label="Pareto front")
    ax.set_xlabel(_LABELS.get(spec.x, spec.x))
    ax.set_ylabel(_LABELS.get(spec.y, spec.y))
    ax.set_title(spec.title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    slug = "".join(ch if ch.isalnum() else "-" for ch in spec.title.lower())
    return figure_to_svg(fig, element_id=f"front-{slug}")


def _fmt(v: Any) -> str:
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if isinstance(v, float | np.floating):
        return "–" if not math.isfinite(float(v)) else f"{float(v):.4g}"
    return html.escape(str(v))


def front_columns(spec: FrontSpec, columns: Sequence[str]) -> list[str]:
    """A front table's columns: the design, then the front's two objectives, then the rest
    (so that the objectives are never scrolled off-screen behind the swept parameters)."""
    first = ["design", spec.x, spec.y]
    return list(dict.fromkeys([*first, *columns]))


def _table(rows: Mapping[str, npt.NDArray[Any]], columns: Sequence[str],
           objectives: Sequence[str] = ()) -> str:
    cols = [c for c in columns if c in rows]
    n = len(rows[cols[0]]) if cols else 0
    pick: list[int] = (np.unique(np.linspace(0, n - 1, min(n, _TABLE_ROWS)).round().astype(int))
                       .tolist() if n else [])

    def cls(c: str) -> str:
        return " class='obj'" if c in objectives else ""

    head = "".join(f"<th{cls(c)}>{html.escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td{cls(c)}>{_fmt(rows[c][i])}</td>" for c in cols) + "</tr>"
        for i in pick)
    more = f"<p class='note'>{n} designs on the front; {len(pick)} shown.</p>" if n > len(
        pick) else ""
    return (f"<div class='tbl'><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            f"</table></div>{more}")


def _scan(sink: PartitionSink, keep: tuple[str, ...]
          ) -> tuple[list[FrontAccumulator], dict[str, npt.NDArray[Any]], int, int, dict[str, int]]:
    fronts = [FrontAccumulator(spec=s, keep=keep) for s in FRONTS]
    n_total = int(sink.manifest["space"]["n"])
    stride = max(1, math.ceil(n_total / _BACKGROUND_POINTS))
    bg: dict[str, list[npt.NDArray[Any]]] = {}
    usable = 0
    errors: dict[str, int] = {}
    for cols in read_columns(sink.files()):
        ok = _usable(cols)
        err = np.asarray(cols["error"]) if "error" in cols else np.full(ok.size, "", object)
        usable += int((ok & (err == "")).sum())
        for msg in err[err != ""]:
            stage = str(msg).partition(":")[0]
            errors[stage] = errors.get(stage, 0) + 1
        if (~ok & (err == "")).any():
            errors["infeasible"] = errors.get("infeasible", 0) + int((~ok & (err == "")).sum())
        good = {c: np.asarray(v)[ok] for c, v in cols.items()}
        for f in fronts:
            f.add(good)
        thin = good["design"] % stride == 0
        for c, v in good.items():
            bg.setdefault(c, []).append(v[thin])
    background = {c: np.concatenate(v) for c, v in bg.items()}
    return fronts, background, usable, n_total, errors


def write_summary(sink: PartitionSink) -> Path:
    """Write ``summary.html`` beside the partitions; return its path."""
    space = sink.manifest["space"]
    param_cols = tuple(p["path"] for p in space["params"])
    results = ("route_length_km", "cable_length_km", "optics_design", "repeaters",
               "capacity_tbps_per_fibre_pair", "system_capacity_tbps", "margin_db",
               "availability", "capex_musd", "npv_musd", "irr")
    keep = ("design", *param_cols, *results)
    fronts, background, usable, n_total, errors = _scan(sink, keep)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>transcaspian sweep summary</title><style>",
        "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}",
        "table{border-collapse:collapse;font-size:12px;margin:.5em 0}",
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}",
        ".tbl{overflow-x:auto}th{background:#f2f2f2}.note{color:#555;font-size:12px}svg{max-width:100%;height:auto}",
        # the front's objectives come first and are marked (issue 22: they were off-screen)
        "th.obj{background:#fde2d8}td.obj{background:#fff4ef;font-weight:600}",
        "</style></head><body><h1>Design-space sweep</h1>",
        f"<p>{n_total} designs ({space['method']}, seed {space['seed']}); {usable} feasible "
        f"and evaluated without error. Swept: "
        + ", ".join(f"<code>{html.escape(p)}</code>" for p in param_cols) + ".</p>",
    ]
    if errors:
        parts.append("<p class='note'>Designs with a stage error or infeasible (their "
                     "missing columns are left out of the fronts): " + ", ".join(
            f"{html.escape(k)}: {v}" for k, v in sorted(errors.items())) + "</p>")
    drawn = 0
    for f in fronts:
        if not f.rows or len(f.rows.get(f.spec.x, [])) == 0:
            continue
        drawn += 1
        parts.append(f"<h2>{html.escape(f.spec.title)}</h2>")
        parts.append(_figure(f.spec, background, f.rows))
        parts.append(_table(f.rows, front_columns(f.spec, keep), (f.spec.x, f.spec.y)))
    if not drawn:
        parts.append("<p>No front: no feasible design, or none of the fronts' columns "
                     "exist.</p>")
    parts.append("<h2>Sweep</h2><pre>" + html.escape(json.dumps(sink.manifest, indent=1))
                 + "</pre></body></html>")
    return write_text_atomic(sink.out / "summary.html", "\n".join(parts))
