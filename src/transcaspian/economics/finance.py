"""Financial measures of a yearly cash flow: NPV, IRR, payback, break-even, levelised cost.

NPV and IRR come from numpy-financial (``npf.npv``: year 0 undiscounted; ``npf.irr``: the
real root of the NPV polynomial). Payback is the first year the cumulative cash flow turns
non-negative; the discounted payback does the same on discounted flows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]


def npv(rate: float, cash_flow: npt.ArrayLike) -> float:
    """Net present value [currency] of flows at years 0, 1, ... (year 0 undiscounted).

    Notes
    -----
    NPV = sum_t CF_t / (1 + r)^t (numpy-financial ``npv``).

    Examples
    --------
    >>> round(npv(0.1, [-100.0, 60.0, 60.0]), 4)
    4.1322
    """
    import numpy_financial as npf

    return float(npf.npv(rate, np.asarray(cash_flow, dtype=float)))


def irr(cash_flow: npt.ArrayLike) -> float | None:
    """Internal rate of return [fraction/yr], ``None`` when the flows have no real IRR.

    Examples
    --------
    >>> round(irr([-100.0, 60.0, 60.0]), 6)
    0.130662
    """
    import numpy_financial as npf

    cf = np.asarray(cash_flow, dtype=float)
    if not (np.any(cf > 0) and np.any(cf < 0)):
        return None
    value = float(npf.irr(cf))
    return value if math.isfinite(value) else None


def payback_index(cash_flow: npt.ArrayLike, rate: float | None = None) -> int | None:
    """Index of the year from which the cumulative (discounted if ``rate``) cash flow stays
    ≥ 0; ``None`` if it is still negative in the last year.

    Examples
    --------
    >>> payback_index([-100.0, 40.0, 40.0, 40.0])
    3
    >>> payback_index([-100.0, 40.0, 40.0, 40.0], rate=0.1) is None
    True
    """
    cf = np.asarray(cash_flow, dtype=float)
    if rate is not None:
        cf = cf / (1.0 + rate) ** np.arange(cf.size)
    cum = np.cumsum(cf)
    neg = np.flatnonzero(cum < 0)
    if neg.size == 0:
        return 0
    # the year after the last negative cumulative: paid back for good
    return int(neg[-1] + 1) if neg[-1] + 1 < cf.size else None


def present_value(rate: float, values: npt.ArrayLike) -> float:
    """Present value of a yearly series at years 0, 1, ... (same convention as :func:`npv`)."""
    return npv(rate, values)


@dataclass(frozen=True)
class Measures:
    """NPV, IRR and payback of one cash flow."""

    npv: float
    irr: float | None
    payback_year: int | None  # calendar year
    discounted_payback_year: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "npv": round(self.npv, 2),
            "irr": None if self.irr is None else round(self.irr, 6),
            "payback_year": self.payback_year,
            "discounted_payback_year": self.discounted_payback_year,
        }


def measures(cash_flow: npt.ArrayLike, rate: float, first_year: int) -> Measures:
    """:class:`Measures` of ``cash_flow`` whose index 0 is calendar year ``first_year``."""
    pb = payback_index(cash_flow)
    dpb = payback_index(cash_flow, rate)
    return Measures(
        npv=npv(rate, cash_flow),
        irr=irr(cash_flow),
        payback_year=None if pb is None else first_year + pb,
        discounted_payback_year=None if dpb is None else first_year + dpb,
    )


def break_even_factor(npv_value: float, pv_revenue: float) -> float | None:
    """Price multiplier on one product that brings the NPV to zero, others held.

    NPV is linear in a product's price (its revenue scales with it; costs do not), so
    NPV(k) = NPV + (k - 1) PV_rev and k* = 1 - NPV / PV_rev. ``None`` if the product earns
    nothing. A k* below 0 means the project breaks even with that product given away.
    """
    if pv_revenue <= 0.0:
        return None
    return 1.0 - npv_value / pv_revenue


def levelised_cost(rate: float, costs: npt.ArrayLike, service: npt.ArrayLike) -> float | None:
    """Levelised cost = PV(costs) / PV(service units) (the LCOE construction, e.g. IEA
    *Projected Costs of Generating Electricity*), ``None`` without service."""
    pv_s = present_value(rate, service)
    if pv_s <= 0.0:
        return None
    return present_value(rate, costs) / pv_s
