"""The consortium's split: cost weights by share and side, capacity allocation.

- Shared items (the wet plant, terminal equipment, indirect costs, O&M) are split by
  ownership share.
- Each landing's own items (shore end, beach manhole, landing station, its colocation and
  power) are paid by the members of that landing's country, pro rata their shares; a landing
  whose country has no member is shared by all members by share.
- Capacity: whole fibre pairs where ``share x pairs`` is a whole number; otherwise each member
  gets ``floor(share x pairs)`` pairs and the remaining pairs are split by spectrum
  (channels, largest remainder), the way consortium cables share a pair in spectrum slices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import EconomicsError

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario import Member, Scenario


def side_weights(scenario: Scenario) -> np.ndarray:
    """(M, 2) weights of each member in the A-end and B-end landing items (columns sum to 1)."""
    members = scenario.consortium.members
    share = np.array([m.share for m in members])
    out = np.zeros((len(members), 2))
    for k, landing in enumerate((scenario.landings.a, scenario.landings.b)):
        local = np.array([m.country.upper() == landing.country.upper() for m in members])
        w = share * local
        out[:, k] = w / w.sum() if w.sum() > 0 else share
    return out


@dataclass(frozen=True)
class Allocation:
    """Capacity of one member."""

    member: str
    whole_fibre_pairs: int
    shared_pair_channels: int  # channels (spectrum slices) in the pairs split by spectrum
    capacity_tbps: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "member": self.member,
            "whole_fibre_pairs": self.whole_fibre_pairs,
            "shared_pair_channels": self.shared_pair_channels,
            "capacity_tbps": round(self.capacity_tbps, 4),
        }


def allocate_capacity(
    members: tuple[Member, ...],
    fibre_pairs: int,
    channels_per_pair: int,
    capacity_tbps_per_pair: float,
) -> tuple[Allocation, ...]:
    """Whole pairs by share, the rest in spectrum slices (largest-remainder channels).

    Examples
    --------
    >>> from transcaspian.scenario import Member
    >>> ms = (Member(name="A", country="AZ", share=0.5), Member(name="B", country="KZ",
    ...       share=0.25), Member(name="C", country="KZ", share=0.25))
    >>> [(a.whole_fibre_pairs, a.shared_pair_channels) for a in allocate_capacity(ms, 6, 64, 1.)]
    [(3, 0), (1, 32), (1, 32)]
    """
    exact = np.array([m.share * fibre_pairs for m in members])
    whole = np.floor(exact + 1e-9).astype(int)
    rest_pairs = fibre_pairs - int(whole.sum())
    ch_exact = (exact - whole) * channels_per_pair
    ch = np.floor(ch_exact + 1e-9).astype(int)
    left = rest_pairs * channels_per_pair - int(ch.sum())
    if left < 0:
        raise EconomicsError("consortium: capacity allocation exceeds the fibre pairs")
    order = np.argsort(-(ch_exact - ch), kind="stable")
    ch[order[:left]] += 1
    per_ch = capacity_tbps_per_pair / channels_per_pair if channels_per_pair else 0.0
    return tuple(
        Allocation(
            member=m.name,
            whole_fibre_pairs=int(w),
            shared_pair_channels=int(c),
            capacity_tbps=float(w * capacity_tbps_per_pair + c * per_ch),
        )
        for m, w, c in zip(members, whole, ch, strict=True)
    )


def check_offers(scenario: Scenario) -> None:
    """Every member named in ``economics.member_offers`` must be a consortium member."""
    names = {m.name for m in scenario.consortium.members}
    for name in scenario.economics.member_offers:
        if name not in names:
            raise EconomicsError(
                f"economics.member_offers.{name}: not a consortium member "
                f"({', '.join(sorted(names))})"
            )


def is_whole(x: float) -> bool:
    return math.isclose(x, round(x), abs_tol=1e-9)
