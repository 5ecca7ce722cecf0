"""Demand between the corridor's PoPs: a singly-constrained gravity model with growth.

Each PoP *i* serves :math:`U_i` internet users (its country's users times its share, plus the
other countries it serves). It originates international traffic

.. math:: O_i(y) = U_i \\, b \\, (1 + g)^{y - y_0}

with :math:`b` the international bandwidth per user in the reference year :math:`y_0` (ITU 2021:
932 Tbit/s over 4.9 billion users ≈ 190 kbit/s) and :math:`g` the growth rate (TeleGeography
2019-2023 CAGR 28 %). The traffic is shared among the PoPs of *other* countries in proportion to
:math:`U_j d_{ij}^{-\\gamma}` (Wilson's production-constrained gravity model [1], eq. 2):

.. math:: T_{ij} = O_i \\frac{U_j d_{ij}^{-\\gamma}}{\\sum_{k} U_k d_{ik}^{-\\gamma}}

Default ``scope="interregional"`` (the corridor's purpose: Europe <-> Asia / Middle East and
the Caucasus / Central Asia upstream). Only two kinds of PoP take part: the Western European
hubs :math:`W` (``west_countries``: London, Amsterdam, Frankfurt, ...) and the PoPs serving
countries with a share :math:`s_c` of their international bandwidth connected to Europe
(``europe_share``: TeleGeography's published regional shares, or a stated assumption). A PoP
*i* of the second kind originates

.. math:: O_i(y) = \\sum_c U_{ic} \\, b_c \\, s_c \\, (1 + g)^{y - y_0}

with :math:`b_c` the country's international bandwidth per user (``kbps_per_user_by``: national
figures where published - India TRAI, China CNNIC, Iran - else ITU 2021 regional / development
averages), shared among the hubs by gravity, :math:`T_{ij} = O_i\\, U_j d_{ij}^{-\\gamma} /
\\sum_{k \\in W} U_k d_{ik}^{-\\gamma}` (:math:`D_{ij} = T_{ij}`: ITU's bandwidth is the busier,
incoming, direction). Pairs between non-European PoPs (Russia - China, India - China, ...) and
PoPs of countries without a share (Russia, Turkey, Bulgaria: intra-European; Egypt: Africa -
Europe, mostly on Mediterranean systems outside the graph) carry no demand. The base-year total
is thus a *derived* inter-regional figure (arithmetic in ``data/SOURCES.md``), an assumption
rather than a measured route total.

With ``scope="europe_asia"`` (the plain gravity model above) only pairs with exactly one end on
the European side are kept: the rest of each PoP's traffic (intra-Asia, intra-Europe) runs on
systems outside the graph. A link's capacity is per direction, so the demand of an unordered
pair is the busier direction, :math:`D_{ij} = \\max(T_{ij}, T_{ji})` (conservative). Per-route
shares are assumptions; only the totals are anchored to published figures (or to a total the
user gives, ``total_tbps_base_year``).

References
----------
.. [1] A. G. Wilson, "A family of spatial interaction models", Environment and Planning A
   3(1):1-32, 1971, doi:10.1068/a030001.
.. [2] ITU, "Facts and Figures 2021: international bandwidth usage",
   https://www.itu.int/itu-d/reports/statistics/2021/11/15/international-bandwidth-usage/
.. [3] TeleGeography shares of international bandwidth connected to Europe: Middle East 83 %
   (https://blog.equinix.com/blog/2021/04/21/digital-corridors-why-the-middle-east-is-a-growing-hotspot-for-digital-exchange/),
   South Asia 46 % (https://www.commsupdate.com/articles/2013/09/18/europe-emerges-as-global-internet-hub/),
   Asia 28 % (https://www.commsupdate.com/articles/2013/10/17/asias-connectivity-patterns-shift-as-carriers-become-less-dependent-on-us/).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .._load import read_text
from ..errors import DataError
from .config import DemandOptions
from .topology import Corridor, geodesic_km

BUNDLED_COUNTRIES = "corridor/countries.csv"


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    group: str
    population: float
    internet_users: float


def read_countries(path: str | Path | None = None) -> dict[str, Country]:
    """Read the country table (population, internet users %); ``None`` = bundled.

    Raises
    ------
    DataError
        Missing column, non-numeric or negative value (one line naming file, row and field).
    """
    if path is None:
        text = (
            resources.files("transcaspian")
            .joinpath("data", BUNDLED_COUNTRIES)
            .read_text(encoding="utf-8")
        )
        name = f"data/{BUNDLED_COUNTRIES}"
    else:
        name = str(path)
        text = read_text(path, what="country table", error=DataError)
    reader = csv.DictReader(io.StringIO(text))
    need = {"iso3", "name", "group", "population", "internet_users_pct"}
    missing = need - set(reader.fieldnames or ())
    if missing:
        raise DataError(f"{name}: missing column {sorted(missing)[0]!r}")
    out: dict[str, Country] = {}
    for row_no, row in enumerate(reader, start=2):
        try:
            pop = float(row["population"])
            pct = float(row["internet_users_pct"])
        except (TypeError, ValueError):
            raise DataError(
                f"{name}: row {row_no}: population/internet_users_pct not a number"
            ) from None
        # float() also reads "nan" and "inf": a table of counts has neither
        if not (math.isfinite(pop) and math.isfinite(pct)):
            raise DataError(f"{name}: row {row_no}: population/internet_users_pct not finite")
        if pop < 0 or not 0 <= pct <= 100:
            raise DataError(f"{name}: row {row_no}: population < 0 or internet % outside 0-100")
        if row["iso3"] in out:
            raise DataError(f"{name}: row {row_no}: country {row['iso3']!r} is listed twice")
        out[row["iso3"]] = Country(row["iso3"], row["name"], row["group"], pop, pop * pct / 100)
    return out


@dataclass(frozen=True)
class Demand:
    """Pair demands of the base year and how they grow."""

    pairs: tuple[tuple[str, str], ...]
    tbps: np.ndarray
    base_year: int
    growth_rate: float
    node_users: dict[str, float]
    region_population: float
    region_internet_users: float
    region_groups: tuple[str, ...]
    countries_served: tuple[str, ...]
    served_population: float
    population_by_group: dict[str, float] = field(default_factory=dict)
    scope: str = "europe_asia"
    origin_tbps_by_country: dict[str, float] = field(default_factory=dict)
    """scope interregional: base-year Europe-bound bandwidth per origin country [Tbit/s]."""

    def scaled(self, year: int) -> np.ndarray:
        """Pair demands of ``year`` [Tbit/s]."""
        return self.tbps * (1.0 + self.growth_rate) ** (year - self.base_year)

    @property
    def total_tbps(self) -> float:
        return float(self.tbps.sum())

    def to_dict(self) -> dict[str, Any]:
        order = np.argsort(-self.tbps)
        return {
            "base_year": self.base_year,
            "growth_rate": self.growth_rate,
            "total_tbps": self.total_tbps,
            "region_groups": list(self.region_groups),
            "region_population": self.region_population,
            "region_internet_users": self.region_internet_users,
            "served_population": self.served_population,
            "population_by_group": self.population_by_group,
            "countries_served": list(self.countries_served),
            "scope": self.scope,
            "origin_tbps_by_country": dict(
                sorted(self.origin_tbps_by_country.items(), key=lambda kv: -kv[1])
            ),
            "top_pairs": [
                {"a": self.pairs[i][0], "b": self.pairs[i][1], "tbps": float(self.tbps[i])}
                for i in order[:15]
            ],
        }


def gravity_demand(
    corridor: Corridor, options: DemandOptions, countries: dict[str, Country] | None = None
) -> Demand:
    """Pair demands of the base year from the gravity model (see the module notes).

    Raises
    ------
    DataError
        A PoP's country (or a country it serves) is missing from the country table.
    """
    table = countries if countries is not None else read_countries(options.countries_file)
    table_name = str(options.countries_file or f"data/{BUNDLED_COUNTRIES}")
    pops = [n for n in corridor.nodes if n.role == "pop"]
    users = np.zeros(len(pops))
    served: set[str] = set()
    for i, n in enumerate(pops):
        for iso, share in ((n.country, n.user_share), *n.countries.items()):
            if iso not in table:
                raise DataError(f"{table_name}: country {iso!r} of node {n.id} is not in the table")
            users[i] += table[iso].internet_users * share
            served.add(iso)
    shares: dict[str, float] = {}
    for n in pops:
        for iso, share in ((n.country, n.user_share), *n.countries.items()):
            shares[iso] = shares.get(iso, 0.0) + share
    over = sorted(iso for iso, total in shares.items() if total > 1.0 + 1e-6)
    if over:
        raise DataError(
            f"network nodes: the user shares of country {over[0]} sum to "
            f"{shares[over[0]]:.3g} over its PoPs (must be <= 1; set user_share)"
        )
    lat = np.array([n.lat_deg for n in pops])
    lon = np.array([n.lon_deg for n in pops])
    d = geodesic_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    country = np.array([n.country for n in pops])
    west = np.isin(country, np.asarray(options.west_countries))
    scale = (1.0 + options.growth_rate) ** (options.base_year - options.bandwidth_reference_year)
    by_country: dict[str, float] = {}
    if options.scope == "interregional":
        origin_tbps = np.zeros(len(pops))
        for i, n in enumerate(pops):
            if west[i]:
                continue
            for iso, share in ((n.country, n.user_share), *n.countries.items()):
                s_eu = _lookup(options.europe_share, iso, table[iso].group)
                if s_eu is None or iso in options.west_countries:
                    continue
                kbps = _lookup(options.kbps_per_user_by, iso, table[iso].group)
                kbps = options.kbps_per_user if kbps is None else kbps
                t = table[iso].internet_users * share * kbps * 1e3 / 1e12 * s_eu * scale
                origin_tbps[i] += t
                by_country[iso] = by_country.get(iso, 0.0) + t
        with np.errstate(divide="ignore"):
            attract = np.where(
                west[None, :] & ~west[:, None],
                users[None, :] * np.maximum(d, 1.0) ** -options.distance_exponent,
                0.0,
            )
        norm = attract.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            T = np.where(norm > 0, origin_tbps[:, None] * attract / norm, 0.0)
        if origin_tbps.sum() > 0 and not np.any(west):
            raise DataError(
                "network.demand.west_countries: no PoP of these countries is in the corridor"
            )
        D = T + T.T  # T is zero except origin -> hub, so D_ij = T_ij (busier direction)
    else:
        foreign = country[:, None] != country[None, :]
        with np.errstate(divide="ignore"):
            attract = np.where(
                foreign, users[None, :] * np.maximum(d, 1.0) ** -options.distance_exponent, 0.0
            )
        norm = attract.sum(axis=1, keepdims=True)
        origin_tbps = users * options.kbps_per_user * 1e3 / 1e12 * scale
        with np.errstate(invalid="ignore", divide="ignore"):
            T = np.where(norm > 0, origin_tbps[:, None] * attract / norm, 0.0)
        D = np.maximum(T, T.T)
        if options.scope == "europe_asia":
            D = np.where(west[:, None] != west[None, :], D, 0.0)
    if options.total_tbps_base_year is not None and D.sum() > 0:
        factor = 2.0 * options.total_tbps_base_year / D.sum()  # D is symmetric: each pair twice
        D = D * factor
        by_country = {k: v * factor for k, v in by_country.items()}
    iu, ju = np.triu_indices(len(pops), k=1)
    keep = D[iu, ju] > 0
    pairs = tuple((pops[i].id, pops[j].id) for i, j in zip(iu[keep], ju[keep], strict=True))
    region = [c for c in table.values() if c.group in options.target_groups]
    by_group: dict[str, float] = {}
    for c in table.values():
        by_group[c.group] = by_group.get(c.group, 0.0) + c.population
    return Demand(
        pairs=pairs,
        tbps=D[iu, ju][keep],
        base_year=options.base_year,
        growth_rate=options.growth_rate,
        node_users={n.id: float(u) for n, u in zip(pops, users, strict=True)},
        region_population=float(sum(c.population for c in region)),
        region_internet_users=float(sum(c.internet_users for c in region)),
        region_groups=tuple(options.target_groups),
        countries_served=tuple(sorted(served)),
        served_population=float(sum(table[c].population for c in served)),
        population_by_group=by_group,
        scope=options.scope,
        origin_tbps_by_country=by_country,
    )


def _lookup(table: dict[str, float], iso: str, group: str) -> float | None:
    """Per-country value, else per-group value, else ``None``."""
    if iso in table:
        return table[iso]
    return table.get(group)
