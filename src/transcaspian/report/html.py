"""The self-contained HTML report and the output folder (the set of files swapped in at once)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .._io import write_output_set
from .._json import to_json

if TYPE_CHECKING:  # pragma: no cover
    from ..plan import Plan

OUTPUT_FILES = (
    "report.html", "report.json", "route.geojson", "route.kml", "rpl.csv", "latency_matrix.csv",
    "cashflows.csv", "tables",
)


def render_report(plan: Plan) -> str:
    """The report as one HTML string (inline SVG figures, inline CSS, no scripts)."""
    import jinja2

    from .sections import route as route_section

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("transcaspian", "report/templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )
    sc = plan.scenario
    sections: list[tuple[str, str, str]] = [
        ("route", "Route", route_section.section_html(plan.route)),
    ]
    for stage_id, label, html in _later_sections(plan):
        sections.append((stage_id, label, html))
    template = env.get_template("report.html.j2")
    from markupsafe import Markup

    from .. import __version__

    return template.render(
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


def _later_sections(plan: Plan) -> list[tuple[str, str, str]]:
    """Sections of the stages after the route, for the stages the plan holds."""
    from .sections.economics import section_html as economics_section
    from .sections.network import section_html as network_section
    from .sections.optics import section_html as optics_section

    out = [
        ("optics", "Optics", optics_section(plan.optics)),
        ("network", "Corridor", network_section(plan.network)),
        ("economics", "Business case", economics_section(plan.economics)),
    ]
    if plan.reliability is not None:
        from .sections.reliability import section_html as reliability_section

        out.append(("reliability", "Reliability",
                    reliability_section(plan.reliability, plan.power)))
    return out


def write_outputs(plan: Plan, out_dir: str | Path) -> dict[str, Path]:
    """Write the report, its JSON and the route exports into ``out_dir``.

    Everything is rendered in memory first; the whole set then replaces ``out_dir`` at once
    (:func:`transcaspian._io.write_output_set`): a failed or killed run leaves the previous
    complete set or the new one, never a mix and never a temporary file inside ``out_dir``.
    """
    from ..geo.export import route_geojson, route_kml

    out = Path(out_dir)
    contents = {
        "report.html": render_report(plan),
        "report.json": to_json(plan.to_dict()) + "\n",
        "route.geojson": json.dumps(route_geojson(plan.route), indent=1) + "\n",
        "route.kml": route_kml(plan.route),
        "rpl.csv": plan.route.rpl.to_csv(),
        "latency_matrix.csv": plan.network.latency_matrix_csv(),
    }
    if plan.economics is not None:
        contents["cashflows.csv"] = plan.economics.cashflow_csv()
    return write_output_set(out, contents, OUTPUT_FILES)
