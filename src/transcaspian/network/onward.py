"""The corridor onward of the line: which links bound the traffic the line can carry.

The network stage routes the base-year demand over the corridor; the line's traffic is the flow
on the paths that use its link. Each such path also crosses *onward* links (every hop of the path
except the line itself: the backhaul to Baku, Tbilisi-Baku, the Caucasus Cable System, ...,
Aktau-Almaty, ...). :func:`onward_groups` groups the line's paths by their bottleneck onward link
(the hop of highest base-year utilisation) and gives each group its share of the line's flow and
its *headroom* ``rho = 1 / u_max``: the factor by which the flow on that link can grow before
the link is full (1 when it is already full in the base year).

The business case (:func:`transcaspian.economics.kernel.deliverable_factor`) then bounds the
line's traffic year by year with these groups and the onward capacity growth
(``network.onward_capacity_growth_per_year``): when the bottleneck link of a group is full, all
its traffic - the line's and the rest - is scaled down pro rata, so the line's traffic on that
group grows with the link's capacity instead of with demand.

Reads only these attributes of :class:`~transcaspian.network.analysis.CorridorResult`:
``corridor.links`` (``id``, ``a``, ``b``), ``line_link``, ``flows_with.path_flows`` and
``flows_with.link_utilisation``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..records import Record, quantity, text

if TYPE_CHECKING:  # pragma: no cover
    from .analysis import CorridorResult

__all__ = ["OnwardGroup", "onward_groups"]


@dataclass(frozen=True)
class OnwardGroup(Record):
    """The line's paths that share one bottleneck onward link (network stage, base year)."""

    bottleneck: str = text(
        "Link id(s) of the group's bottleneck onward hop (parallel systems joined by ' + '); "
        "'none' when the paths cross no other link."
    )
    line_flow_tbps: float = quantity("Tbit/s", "Base-year flow of the line on these paths")
    share: float = quantity("1", "Share of the line's base-year flow on these paths")
    utilisation: float = quantity(
        "1", "Base-year utilisation of the bottleneck hop (flow / capacity)"
    )
    headroom: float = quantity(
        "1",
        "Factor by which the bottleneck hop's flow can grow before it is full: 1 / utilisation "
        "(1 = full in the base year; infinite, written null, for no onward hop)",
    )


def onward_groups(network: CorridorResult) -> tuple[OnwardGroup, ...]:
    """The line's base-year paths grouped by bottleneck onward link.

    Parameters
    ----------
    network : CorridorResult
        The network stage's result (base-year flows with the line).

    Returns
    -------
    tuple of OnwardGroup
        One group per distinct bottleneck, largest share first; empty when no flow uses the
        line.

    Notes
    -----
    A hop between two nodes is a bundle of parallel links that the flow model fills together,
    so its utilisation is the bundle's (the same on each of its links). The line's own hop is
    left out: what the line itself carries is bounded by the design capacity in the business
    case. Ties between hops of equal utilisation go to the hop met first from the path's start.
    """
    tc = next(lk for lk in network.corridor.links if lk.id == network.line_link)
    line_hop = frozenset((tc.a, tc.b))
    util = network.flows_with.link_utilisation
    bundle: dict[frozenset[str], list[str]] = {}
    for lk in network.corridor.links:
        if lk.id in util:
            bundle.setdefault(frozenset((lk.a, lk.b)), []).append(lk.id)
    flow_by: dict[str, float] = {}
    util_by: dict[str, float] = {}
    for nodes, flow in network.flows_with.path_flows:
        hops = [frozenset(h) for h in itertools.pairwise(nodes)]
        if line_hop not in hops:
            continue
        name, worst = "none", -1.0
        for h in hops:
            ids = bundle.get(h)
            if h == line_hop or not ids:
                continue
            u = max(util[i] for i in ids)
            if u > worst + 1e-12:
                name, worst = " + ".join(sorted(ids)), u
        flow_by[name] = flow_by.get(name, 0.0) + flow
        util_by[name] = min(max(worst, 0.0), 1.0)  # the LP keeps u <= 1 up to rounding
    total = math.fsum(flow_by.values())
    if total <= 0.0:
        return ()
    groups = [
        OnwardGroup(
            bottleneck=name,
            line_flow_tbps=f,
            share=f / total,
            utilisation=util_by[name],
            headroom=1.0 / util_by[name] if util_by[name] > 0.0 else math.inf,
        )
        for name, f in flow_by.items()
    ]
    return tuple(sorted(groups, key=lambda g: (-g.share, g.bottleneck)))
