"""The self-contained HTML report and the output folder (the set of files swapped in at once)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .._io import write_output_set
from .._json import to_json

if TYPE_CHECKING:  # pragma: no cover
    from ..plan import Plan

OUTPUT_FILES = (
    "report.html", "report.json", "route.geojson", "route.kml", "rpl.csv", "latency_matrix.csv",
    "cashflows.csv", "tables",
)


def render_report(plan: Plan, *, static: bool = False) -> str:
    """The report as one HTML string (see :func:`render_report_files`)."""
    return render_report_files(plan, static=static)["report.html"]


def render_report_files(plan: Plan, *, static: bool = False) -> dict[str, str]:
    """The report and the CSV of each of its tables, as ``{relative path: text}``.

    Parameters
    ----------
    plan : Plan
    static : bool
        ``True``: inline SVG figures only, no script (for e-mail and print). ``False``
        (default): interactive Plotly figures with plotly.js inlined, each with its SVG twin in
        ``<noscript>``.
    """
    import jinja2

    from ..plan import render_sections
    from .summary import flags_html, summary_html
    from .tables import export_tables

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("transcaspian", "report/templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )
    sc = plan.scenario
    flags = plan.flags()
    sections: list[tuple[str, str, str]] = [("summary", "Summary", summary_html(plan, flags))]
    sections.extend(render_sections(plan, interactive=not static))
    sections = [
        (sid, label, _with_flags(html, flags_html([f for f in flags if f.section == sid],
                                                  link=False)) if sid != "summary" else html)
        for sid, label, html in sections
    ]
    template = env.get_template("report.html.j2")
    from markupsafe import Markup

    from .._version import __version__
    from .interactive import plotly_script_tag

    html = template.render(
        static=static,
        plotly_script=Markup("" if static else plotly_script_tag()),
        title=sc.name,
        description=sc.description,
        version=__version__,
        scenario_name=sc.name,
        landing_a=sc.landings.a.name,
        landing_b=sc.landings.b.name,
        country_a=sc.landings.a.country,
        country_b=sc.landings.b.country,
        fibre_pairs=sc.cable.fibre_pairs,
        design_life=sc.cable.design_life_years,
        consortium=", ".join(f"{m.name} {m.share:.0%}" for m in sc.consortium.members),
        toc=[(sid, label) for sid, label, _ in sections],
        sections=[Markup(html) for _, _, html in sections],
    )
    html, csvs = export_tables(html)
    return {"report.html": html, **csvs}


def _with_flags(section: str, flags: str) -> str:
    """Put a section's flags right under its heading."""
    if not flags:
        return section
    end = section.find("</h2>")
    return section if end < 0 else section[: end + 5] + flags + section[end + 5 :]


def _cbra_dol(plan: Plan) -> npt.NDArray[np.float64] | None:
    """The install stage's DoL by risk per RPL section for ``rpl.csv`` (None: no install
    stage). Its sections are the RPL's, so a count that differs fails in ``Rpl.to_csv``."""
    inst = plan.results.get("install")
    return None if inst is None else np.asarray(inst.section_dol_m, float)


def write_outputs(plan: Plan, out_dir: str | Path, *, static: bool = False) -> dict[str, Path]:
    """Write the report, its JSON and the route exports into ``out_dir``.

    Everything is rendered in memory first; the whole set then replaces ``out_dir`` at once
    (:func:`transcaspian._io.write_output_set`): a failed or killed run leaves the previous
    complete set or the new one, never a mix and never a temporary file inside ``out_dir``.
    """
    from ..geo.export import route_geojson, route_kml

    out = Path(out_dir)
    contents = {
        **render_report_files(plan, static=static),
        "report.json": to_json(plan.to_dict()) + "\n",
        "route.geojson": json.dumps(route_geojson(plan.route), indent=1) + "\n",
        "route.kml": route_kml(plan.route),
        "rpl.csv": plan.route.rpl.to_csv(cbra_dol_m=_cbra_dol(plan)),
        "latency_matrix.csv": plan.network.latency_matrix_csv(),
    }
    if plan.economics is not None:
        contents["cashflows.csv"] = plan.economics.cashflow_csv()
    return write_output_set(out, contents, OUTPUT_FILES)
