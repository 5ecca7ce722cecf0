"""Sensitivity of the NPV: a tornado over the main drivers and a Monte Carlo distribution.

Both are one call of the vectorised kernel (:func:`transcaspian.economics.kernel
.evaluate_batch`) over a sample axis: the tornado evaluates 2 x drivers cases, the Monte Carlo
``n`` seeded samples (``numpy.random.default_rng(SeedSequence(seed))``).

Availability enters through the faults: ship repairs per year ``f`` and unavailability ``U``
scale together; they change the expected repair cost and the SLA credits on leases.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from .config import Uncertainty
from .kernel import SAMPLE_FIELDS, CaseArrays, evaluate_batch

Array = npt.NDArray[np.float64]


def sla_credit_fraction(
    unavailability: npt.ArrayLike, repairs_per_year: npt.ArrayLike, max_credit: float
) -> Array:
    """Expected SLA credit [fraction of yearly lease charges].

    A month breaches a 99.7 % wavelength SLA after ~2 h down, so every month an outage
    touches earns the full credit. An outage of mean length MTTR touches on average
    MTTR / month + 1 months, i.e. per year ``12 U + f`` months (``U = f MTTR / yr``).
    Credits per breached month: 10-40 % of the MRC (Telus wavelength service terms).
    """
    u = np.asarray(unavailability, dtype=float)
    f = np.asarray(repairs_per_year, dtype=float)
    months = np.clip(12.0 * u + f, 0.0, 12.0)
    return np.asarray(max_credit * months / 12.0, dtype=float)


@dataclass(frozen=True)
class FaultTerms:
    """How faults enter the case: repairs/yr, unavailability, cost per repair, credits."""

    repairs_per_year: float
    unavailability: float
    cost_per_repair: float
    max_credit: float
    opex_shared_without_repairs: float

    def apply(self, case: CaseArrays, factor: npt.ArrayLike) -> CaseArrays:
        """``case`` with faults scaled by ``factor`` (per sample)."""
        k = np.asarray(factor, dtype=float)
        f = self.repairs_per_year * k
        u = np.clip(self.unavailability * k, 0.0, 1.0)
        return replace(
            case,
            opex_shared=self.opex_shared_without_repairs + f * self.cost_per_repair,
            sla_credit_fraction=sla_credit_fraction(u, f, self.max_credit),
        )


DRIVERS = (
    ("capex", "CAPEX"),
    ("price_erosion", "price erosion"),
    ("demand_growth", "demand growth"),
    ("discount_rate", "discount rate"),
    ("market_share", "market share taken"),
    ("availability", "availability (faults: repairs and SLA credits)"),
    ("onward_capacity_growth", "onward corridor capacity growth"),
)
"""Tornado drivers ``(key, label)``. Demand growth acts through the onward bound: once the
bottleneck onward link of the line's traffic is full, the line grows with that link's capacity
(``onward_capacity_growth``), so more demand growth no longer sells more."""


def _scaled(case: CaseArrays, faults: FaultTerms, driver: str, k: Array) -> CaseArrays:
    if driver == "capex":
        return replace(case, capex_scale=np.asarray(case.capex_scale) * k)
    if driver == "price_erosion":
        return replace(case, erosion=np.clip(np.asarray(case.erosion) * k[:, None, None], 0, 0.99))
    if driver == "demand_growth":
        return replace(case, growth=case.growth * k, growth_after=case.growth_after * k)
    if driver == "discount_rate":
        return replace(case, discount_rate=case.discount_rate * k)
    if driver == "market_share":
        return replace(case, market_share=np.clip(case.market_share * k, 0.0, 1.0))
    if driver == "onward_capacity_growth":
        return replace(case, capacity_growth=np.asarray(case.capacity_growth) * k)
    return faults.apply(case, k)


@dataclass(frozen=True)
class TornadoBar:
    """NPV with one driver at its low and high value, the others at base."""

    driver: str
    label: str
    low_factor: float
    high_factor: float
    npv_low: float
    npv_high: float

    @property
    def swing(self) -> float:
        return abs(self.npv_high - self.npv_low)

    def to_dict(self) -> dict[str, Any]:
        return {
            "driver": self.driver,
            "label": self.label,
            "low_factor": self.low_factor,
            "high_factor": self.high_factor,
            "npv_low": round(self.npv_low, 2),
            "npv_high": round(self.npv_high, 2),
            "swing": round(self.swing, 2),
        }


def _stack(cases: list[CaseArrays]) -> CaseArrays:
    """Concatenate single-sample cases along the sample axis."""
    return replace(
        cases[0],
        **{f: np.concatenate([getattr(c, f) for c in cases]) for f in SAMPLE_FIELDS},  # type: ignore[arg-type]
    )


def tornado(case: CaseArrays, faults: FaultTerms, swing: float) -> tuple[TornadoBar, ...]:
    """Each driver x (1 - swing) and x (1 + swing), in one kernel call; sorted by swing."""
    k = np.array([1.0 - swing, 1.0 + swing])
    cases = [_scaled(case, faults, d, k) for d, _ in DRIVERS]
    npv = evaluate_batch(_stack([c.broadcast(2) for c in cases])).npv
    bars = [
        TornadoBar(d, label, float(k[0]), float(k[1]), float(npv[2 * i]), float(npv[2 * i + 1]))
        for i, (d, label) in enumerate(DRIVERS)
    ]
    return tuple(sorted(bars, key=lambda b: -b.swing))


@dataclass(frozen=True)
class MonteCarloResult:
    """Distribution of the project NPV."""

    samples: int
    seed: int
    p10: float
    p50: float
    p90: float
    mean: float
    probability_npv_negative: float
    histogram_edges: tuple[float, ...]
    histogram_counts: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "seed": self.seed,
            "npv_p10": round(self.p10, 2),
            "npv_p50": round(self.p50, 2),
            "npv_p90": round(self.p90, 2),
            "npv_mean": round(self.mean, 2),
            "probability_npv_negative": round(self.probability_npv_negative, 4),
            "histogram_edges": [round(e, 2) for e in self.histogram_edges],
            "histogram_counts": list(self.histogram_counts),
        }


def sample_cases(
    case: CaseArrays, faults: FaultTerms, spread: Uncertainty, n: int, seed: int
) -> CaseArrays:
    """``n`` seeded samples of the uncertain drivers (the discount rate is the investor's
    choice, not an uncertainty, and stays fixed)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    capex = rng.triangular(spread.capex_low, spread.capex_mode, spread.capex_high, n)
    ero = rng.uniform(1 - spread.erosion_spread, 1 + spread.erosion_spread, n)
    growth = rng.uniform(1 - spread.growth_spread, 1 + spread.growth_spread, n)
    share = rng.uniform(1 - spread.market_share_spread, 1 + spread.market_share_spread, n)
    faults_k = rng.lognormal(0.0, spread.fault_rate_sigma, n)
    # drawn last, so the draws above are those of the scenario's earlier releases
    onward = rng.uniform(1 - spread.onward_capacity_growth_spread,
                         1 + spread.onward_capacity_growth_spread, n)
    c = case.broadcast(n)
    c = _scaled(c, faults, "capex", capex)
    c = _scaled(c, faults, "price_erosion", ero)
    c = _scaled(c, faults, "demand_growth", growth)
    c = _scaled(c, faults, "market_share", share)
    c = _scaled(c, faults, "onward_capacity_growth", onward)
    return faults.apply(c, faults_k)


def monte_carlo(
    case: CaseArrays, faults: FaultTerms, spread: Uncertainty, n: int, seed: int
) -> MonteCarloResult:
    """NPV P10 / P50 / P90 over ``n`` samples (vectorised)."""
    npv = evaluate_batch(sample_cases(case, faults, spread, n, seed)).npv
    counts, edges = np.histogram(npv, bins=30)
    p10, p50, p90 = np.percentile(npv, [10, 50, 90])
    return MonteCarloResult(
        samples=n,
        seed=seed,
        p10=float(p10),
        p50=float(p50),
        p90=float(p90),
        mean=float(npv.mean()),
        probability_npv_negative=float((npv < 0).mean()),
        histogram_edges=tuple(float(e) for e in edges),
        histogram_counts=tuple(int(x) for x in counts),
    )
