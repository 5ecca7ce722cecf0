"""Traffic the line sells (from the network stage) and the product arrays of the kernel.

The network stage routes the corridor's demand over the graph; the line's traffic is the flow
on its link, split into the part whose path transits the hub (Baku) and the rest
(terminating in the two landing countries). Demand for both grows at the network's demand
growth; what the line can carry of it is bounded by the corridor onward of it: the line's paths
are grouped by their bottleneck onward link (:func:`transcaspian.network.onward.onward_groups`,
carried in :attr:`LineTraffic.onward`), and the kernel
(:func:`transcaspian.economics.kernel.deliverable_factor`) lets each group grow with demand until
that link is full, then with the link's lit capacity (``network.onward_capacity_growth_per_year``).
Without a network result there is no bound (the scenario's fallback traffic grows freely).

With the Azerbaijan Digital Hub in place (``economics.digital_hub``), the network stage's
``kept_local_on_line_tbps`` of the line + hub combination - the cacheable share of the line's
flows between corridor PoPs and Western hubs that is now served in Baku - no longer transits Baku:
it terminates there, so that part moves from the Baku-transit pool to the terminating pool
(at most the whole transit pool). The line carries the same traffic; what changes is which
products it is sold as.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..network.onward import OnwardGroup, onward_groups
from .config import POOLS, EconomicsConfig, ProductMix

if TYPE_CHECKING:  # pragma: no cover
    from ..network.analysis import CorridorResult
    from ..scenario import Member


@dataclass(frozen=True)
class LineTraffic:
    """Base-year traffic on the line and its growth."""

    base_year: int
    horizon_year: int
    baku_transit_tbps: float
    terminating_tbps: float
    growth_per_year: float
    growth_after_horizon_per_year: float
    source: str
    digital_hub_kept_local_tbps: float = 0.0
    """Part of the line's Baku-transit traffic the Digital Hub keeps local [Tbit/s]."""
    digital_hub_applied: bool = False
    """True when that part is sold as terminating (``economics.digital_hub``)."""
    onward: tuple[OnwardGroup, ...] = ()
    """The line's paths grouped by bottleneck onward link (network stage, base year); empty =
    no bound on the line's traffic (no network result)."""

    @property
    def total_tbps(self) -> float:
        return self.baku_transit_tbps + self.terminating_tbps

    def onward_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Kernel inputs ``(onward_share, onward_headroom)``, each (Q,) [1]; one unbounded
        group when there is no onward bound."""
        if not self.onward:
            return np.ones(1), np.full(1, np.inf)
        return (np.array([g.share for g in self.onward]),
                np.array([g.headroom for g in self.onward]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "base_year": self.base_year,
            "horizon_year": self.horizon_year,
            "line_tbps": round(self.total_tbps, 6),
            "baku_transit_tbps": round(self.baku_transit_tbps, 6),
            "terminating_tbps": round(self.terminating_tbps, 6),
            "growth_per_year": self.growth_per_year,
            "growth_after_horizon_per_year": self.growth_after_horizon_per_year,
            "digital_hub_kept_local_tbps": round(self.digital_hub_kept_local_tbps, 6),
            "digital_hub_applied": self.digital_hub_applied,
            "source": self.source,
            "onward_groups": [g.to_dict() for g in self.onward],
        }

    def with_digital_hub(self, applied: bool) -> LineTraffic:
        """The same traffic with the Digital Hub's kept-local part sold as terminating
        (``applied``) or as Baku transit."""
        if applied == self.digital_hub_applied:
            return self
        moved = self.digital_hub_kept_local_tbps if applied else -self.digital_hub_kept_local_tbps
        return replace(
            self,
            baku_transit_tbps=self.baku_transit_tbps - moved,
            terminating_tbps=self.terminating_tbps + moved,
            digital_hub_applied=applied,
        )


def line_traffic(network: CorridorResult | None, cfg: EconomicsConfig) -> LineTraffic:
    """The line's base-year flow, the part of it transiting the hub and the onward corridor
    that bounds its growth, from the flow solution of the network stage with the line (paths
    that use the line's link; :attr:`LineTraffic.onward` groups them by bottleneck onward
    link); without a network result, the scenario's ``economics.traffic_without_network``,
    unbounded.

    Parameters
    ----------
    network : CorridorResult or None
        The network stage's result. Reads ``corridor.links``, ``line_link``,
        ``flows_with.path_flows``, ``flows_with.link_utilisation``, ``hub_node``,
        ``demand.growth_rate``, ``base_year``, ``horizon_year`` and ``digital_hub``.
    cfg : EconomicsConfig

    Returns
    -------
    LineTraffic
        Base-year flows [Tbit/s], growth [fraction/yr] and onward groups.
    """
    if network is None:
        f = cfg.traffic_without_network
        return LineTraffic(
            base_year=f.base_year,
            horizon_year=f.horizon_year,
            baku_transit_tbps=f.baku_transit_tbps,
            terminating_tbps=f.terminating_tbps,
            growth_per_year=f.growth_per_year
            if cfg.demand_growth_per_year is None
            else cfg.demand_growth_per_year,
            growth_after_horizon_per_year=cfg.growth_after_horizon_per_year,
            source="scenario economics.traffic_without_network (no network result)",
        )
    link = next(lk for lk in network.corridor.links if lk.id == network.line_link)
    ends = {(link.a, link.b), (link.b, link.a)}
    on_line = transit = 0.0
    for nodes, flow in network.flows_with.path_flows:
        if ends & set(itertools.pairwise(nodes)):
            on_line += flow
            if network.hub_node in nodes[1:-1]:
                transit += flow
    growth = (
        network.demand.growth_rate
        if cfg.demand_growth_per_year is None
        else cfg.demand_growth_per_year
    )
    plain = LineTraffic(
        base_year=network.base_year,
        horizon_year=network.horizon_year,
        baku_transit_tbps=transit,
        terminating_tbps=max(on_line - transit, 0.0),
        growth_per_year=float(growth),
        growth_after_horizon_per_year=cfg.growth_after_horizon_per_year,
        source=f"network stage: flow on link {network.line_link!r}, transit via "
        f"{network.hub_node!r}",
        digital_hub_kept_local_tbps=min(_kept_local_on_line(network), transit),
        onward=onward_groups(network),
    )
    return plain.with_digital_hub(cfg.digital_hub)


def _kept_local_on_line(network: CorridorResult) -> float:
    """The network stage's traffic kept local in the hub on the line, line + hub case
    [Tbit/s]; 0 without a Digital Hub result."""
    dh = network.digital_hub
    if dh is None:
        return 0.0
    for c in dh.combinations:
        if c.line and c.digital_hub:
            return float(c.kept_local_on_line_tbps)
    return 0.0


@dataclass(frozen=True)
class ProductArrays:
    """Per member (M) and product (P) arrays of prices and mix."""

    names: tuple[str, ...]
    is_iru: np.ndarray
    unit_gbps: np.ndarray
    iru_term_years: np.ndarray
    mix_transit: np.ndarray  # (M, P)
    mix_terminating: np.ndarray  # (M, P)
    lease_price_month: np.ndarray  # (M, P)
    iru_price: np.ndarray  # (M, P)
    iru_om_fraction: np.ndarray  # (M, P)
    erosion: np.ndarray  # (M, P)


def product_arrays(cfg: EconomicsConfig, members: tuple[Member, ...]) -> ProductArrays:
    """Prices and mixes per member: the project's, changed by each member's offer."""
    names = tuple(cfg.products)
    prods = [cfg.products[n] for n in names]
    m, p = len(members), len(names)
    mix = {pool: np.zeros((m, p)) for pool in POOLS}
    lease, iru, om, ero = (np.zeros((m, p)) for _ in range(4))
    for i, mem in enumerate(members):
        offer = cfg.member_offers.get(mem.name)
        for j, (n, prod) in enumerate(zip(names, prods, strict=True)):
            f = 1.0 if offer is None else offer.price_factor.get(n, 1.0)
            own: ProductMix | None = prod.mix
            if offer is not None and offer.mix is not None:
                own = offer.mix.get(n)
            for pool in POOLS:
                mix[pool][i, j] = 0.0 if own is None else getattr(own, pool)
            lease[i, j] = prod.price_per_unit_month * f
            iru[i, j] = prod.iru_price_per_unit * f
            om[i, j] = prod.iru_om_fraction_per_year
            ero[i, j] = prod.price_erosion_per_year
    return ProductArrays(
        names=names,
        is_iru=np.array([q.contract == "iru" for q in prods]),
        unit_gbps=np.array([q.unit_gbps for q in prods], dtype=float),
        iru_term_years=np.array([q.iru_term_years for q in prods], dtype=float),
        mix_transit=mix["baku_transit"],
        mix_terminating=mix["terminating"],
        lease_price_month=lease,
        iru_price=iru,
        iru_om_fraction=om,
        erosion=ero,
    )
