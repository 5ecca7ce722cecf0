"""Issue 22, 'Penalised zones': the route text listed the Alat-Aktau ferry route as a penalised
zone entered, while the zone table (and its CSV) did not have it. The text tested straight
lon/lat segments between alter-course points; the cable, its RPL and the table follow
geodesics, which over the 330 km mid-sea leg pass about a kilometre clear of that lane."""

from __future__ import annotations

import re

import numpy as np
import pytest

from transcaspian.geo.route import GEOD, _geodesic_line
from transcaspian.geo.zones import route_zone_lengths
from transcaspian.plan import plan
from transcaspian.report.sections.route import section_html
from transcaspian.scenario import default_scenario


@pytest.fixture(scope="module")
def route():  # type: ignore[no-untyped-def]
    return plan(default_scenario(), until="route").route


def test_zones_entered_are_the_zone_table_rows(route) -> None:
    table = {z.name for z in route_zone_lengths(route) if z.action == "penalise"}
    entered = set(route.to_dict()["penalised_zones_entered"])
    assert entered == table
    html = section_html(route)
    rows = re.search(r'<table id="route-zones">.*?</table>', html, re.S)
    assert rows is not None
    for name in entered:
        assert f"<td>{name}</td>" in rows.group(0)


def test_geodesic_line_follows_the_geodesic() -> None:
    """Every vertex of the densified line lies on the geodesic (its distances add up to the
    geodesic length within 1 m) and a vertex falls every ≤ 1 km."""
    lon, lat = np.array([49.7, 51.1]), np.array([40.8, 43.6])
    line = _geodesic_line(lon, lat)
    xy = np.asarray(line.coords)
    _, _, total = GEOD.inv(lon[0], lat[0], lon[1], lat[1])
    steps = np.asarray(GEOD.line_lengths(xy[:, 0], xy[:, 1]))
    assert steps.sum() == pytest.approx(total, abs=1.0)
    assert steps.max() <= 1000.0 + 1e-6
    # the straight lon/lat chord departs from it by kilometres mid-way
    mid = xy[len(xy) // 2]
    chord_lat = lat[0] + (mid[0] - lon[0]) / (lon[1] - lon[0]) * (lat[1] - lat[0])
    _, _, off = GEOD.inv(mid[0], mid[1], mid[0], chord_lat)
    assert off > 1000.0
