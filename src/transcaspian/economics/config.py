"""Inputs of the economics stage (pydantic v2): prices, products, finance, cost-book overrides.

Every price without a public source is a scenario parameter whose default carries its reasoning
(here in the description, and in ``scenarios/trans_caspian.yaml`` beside the value). Amounts
are in :attr:`EconomicsConfig.currency` (US dollars by default) of the cost book's price year;
no inflation is applied (real terms).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..model import StrictModel, resolve_path

ProductName = Literal["ip_transit", "leased_lines", "international_transit", "wavelength_iru"]
Pool = Literal["baku_transit", "terminating"]
POOLS: tuple[Pool, ...] = ("baku_transit", "terminating")
Contract = Literal["lease", "iru"]


def iso_4217(code: str) -> str:
    """``code`` if it is an ISO 4217 currency code (upper case, as the standard writes it)."""
    import pycountry

    found = pycountry.currencies.get(alpha_3=code)
    if found is None or found.alpha_3 != code:
        raise ValueError(f"{code!r} is not an ISO 4217 currency code (e.g. USD, EUR, AZN, KZT)")
    return code


class CostOverride(StrictModel):
    """A replacement for one cost-book row."""

    value: float = Field(ge=0.0, le=1e12, description="New value, in the row's unit.")
    currency: str = Field(
        "USD", min_length=3, max_length=3, description="ISO 4217 code of the value."
    )
    source: str = Field("scenario override", description="Where the value comes from.")

    @field_validator("currency", mode="after")
    @classmethod
    def _iso(cls, value: str) -> str:
        return iso_4217(value)


class ProductMix(StrictModel):
    """Share of each traffic pool of the line sold as one product.

    The network stage splits the traffic the line carries into two disjoint pools: the part
    that transits Baku onward (Europe - Central Asia / Iran carriers) and the rest, which
    starts or ends in the two landing countries.
    """

    baku_transit: float = Field(0.0, ge=0.0, le=1.0, description="Of the Baku-transit traffic.")
    terminating: float = Field(0.0, ge=0.0, le=1.0, description="Of the terminating traffic.")


class Product(StrictModel):
    """A product sold on the line: its contract, price, erosion and share of the volume."""

    contract: Contract = Field(description="'lease' (monthly charge) or 'iru' (upfront + O&M).")
    mix: ProductMix = Field(description="Share of each traffic pool sold as this product.")
    unit_gbps: float = Field(
        gt=0.0, le=1e4, description="Size of one sold unit [Gbit/s] (0.001 = per Mbit/s)."
    )
    price_per_unit_month: float = Field(
        0.0, ge=0.0, le=1e9, description="Lease: monthly charge per unit, base year [currency]."
    )
    iru_price_per_unit: float = Field(
        0.0, ge=0.0, le=1e10, description="IRU: upfront price per unit, base year [currency]."
    )
    iru_om_fraction_per_year: float = Field(
        0.0, ge=0.0, le=0.5, description="IRU: yearly O&M charge [fraction of the upfront price]."
    )
    iru_term_years: int = Field(15, ge=1, le=50, description="IRU term [years].")
    price_erosion_per_year: float = Field(
        ge=0.0, lt=1.0, description="Yearly fall of the unit price of new sales [fraction/yr]."
    )


def check_pools(mix: Mapping[Any, ProductMix], where: str) -> None:
    """Each pool's mix over the products must not exceed 1 (never sell a pool twice)."""
    for pool in POOLS:
        total = math.fsum(getattr(m, pool) for m in mix.values())
        if total > 1.0 + 1e-9:
            raise ValueError(f"{where}: the mix of pool {pool!r} sums to {total:g} > 1")


def _default_products() -> dict[ProductName, Product]:
    # Segment prices (reasoning in scenarios/trans_caspian.yaml): Central Asian IP transit
    # US$15/Mbps (agcnews 2017) eroded ~22 %/yr to 2026, 40 % kept by the crossing; 10G at ~1/3
    # of a 100G wave; 100G at ~15 % of Singapore-Frankfurt; IRU = 48 x MRC + 4 %/yr O&M
    # (subseacables.blogspot 2024-09; SJC 3.5 %).
    return {
        "ip_transit": Product(
            contract="lease", mix=ProductMix(baku_transit=0.25, terminating=0.5),
            unit_gbps=0.001,
            price_per_unit_month=0.6, price_erosion_per_year=0.15,
        ),
        "leased_lines": Product(
            contract="lease", mix=ProductMix(baku_transit=0.2, terminating=0.3),
            unit_gbps=10.0,
            price_per_unit_month=6000.0, price_erosion_per_year=0.13,
        ),
        "wavelength_iru": Product(
            contract="iru", mix=ProductMix(baku_transit=0.25, terminating=0.2),
            unit_gbps=100.0,
            iru_price_per_unit=960000.0, iru_om_fraction_per_year=0.04, iru_term_years=15,
            price_erosion_per_year=0.13,
        ),
        "international_transit": Product(
            contract="lease", mix=ProductMix(baku_transit=0.3), unit_gbps=100.0,
            price_per_unit_month=20000.0, price_erosion_per_year=0.13,
        ),
    }


class MemberOffer(StrictModel):
    """How one member sells its capacity differently from the project's defaults."""

    price_factor: dict[ProductName, float] = Field(
        default_factory=dict,
        description="Multiplier on the project's price per product (1 = same price).",
    )
    mix: dict[ProductName, ProductMix] | None = Field(
        None,
        description="The member's own product mix (replaces the project's mix; products "
        "left out sell nothing for this member).",
    )

    @field_validator("price_factor")
    @classmethod
    def _factors(cls, v: dict[str, float]) -> dict[str, float]:
        for k, f in v.items():
            if not (0.0 <= f <= 100.0) or not math.isfinite(f):
                raise ValueError(f"price_factor.{k} must be between 0 and 100, got {f!r}")
        return v

    @model_validator(mode="after")
    def _mix(self) -> MemberOffer:
        if self.mix is not None:
            check_pools(self.mix, "mix")
        return self


class BudgetRoute(StrictModel):
    """The route a published budget is for: its two landings and how close a scenario's
    landings must be to them for the budget to be compared with the model's CAPEX."""

    name: str = Field("Sumgayit–Aktau", min_length=1, description="Route the budget is for.")
    a_lat_deg: float = Field(40.590, ge=-90.0, le=90.0, description="One landing [deg N].")
    a_lon_deg: float = Field(49.669, ge=-180.0, le=180.0, description="One landing [deg E].")
    b_lat_deg: float = Field(43.650, ge=-90.0, le=90.0, description="Other landing [deg N].")
    b_lon_deg: float = Field(51.150, ge=-180.0, le=180.0, description="Other landing [deg E].")
    tolerance_km: float = Field(
        30.0, gt=0.0, le=1000.0,
        description="Largest distance of each scenario landing from the budget's landing (either "
        "order) for the budget to count as this line's [km]: the sites are unpublished, so "
        "the town positions (Sumgayit 40.59 N 49.67 E, Aktau 43.65 N 51.15 E) and a margin.")

    def applies_to(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether landings ``a``, ``b`` (lat, lon) [deg] are this route's, in either order
        (geodesic distances on WGS84)."""
        from pyproj import Geod

        geod = Geod(ellps="WGS84")

        def km(p: tuple[float, float], q: tuple[float, float]) -> float:
            return float(geod.inv(p[1], p[0], q[1], q[0])[2]) / 1e3

        ends = ((self.a_lat_deg, self.a_lon_deg), (self.b_lat_deg, self.b_lon_deg))
        tol = self.tolerance_km
        return ((km(a, ends[0]) <= tol and km(b, ends[1]) <= tol)
                or (km(a, ends[1]) <= tol and km(b, ends[0]) <= tol))


class Comparator(StrictModel):
    """A published system costed by the same functions from its stated quantities."""

    name: str = Field(min_length=1, description="System name.")
    published_cost: float = Field(gt=0.0, description="Published cost [currency].")
    published_scope: str = Field(description="What the published figure covers, and source.")
    route_length_km: float = Field(gt=0.0, le=40000.0, description="Route length [km].")
    fibre_pairs: int = Field(ge=1, le=64, description="Fibre pairs.")
    repeaters: int = Field(ge=0, le=1000, description="Repeaters (0 = unrepeatered).")
    amplification: Literal["booster", "booster_raman", "booster_raman_ropa", "edfa_repeaters"]
    route_km_by_type: dict[str, float] = Field(
        description="Route km per cable type (must sum to route_length_km within 1 %)."
    )
    buried_route_km_by_type: dict[str, float] = Field(
        default_factory=dict, description="Buried route km per cable type."
    )
    slack_percent: float = Field(3.0, ge=0.0, le=20.0, description="Cable slack [%].")
    lit_wavelengths: int = Field(ge=0, le=100000, description="Wavelengths lit at build.")
    inland_sea: bool = Field(
        False, description="Lay vessel must be brought into an inland sea (the Caspian item)."
    )

    @model_validator(mode="after")
    def _lengths(self) -> Comparator:
        total = math.fsum(self.route_km_by_type.values())
        if abs(total - self.route_length_km) > 0.01 * self.route_length_km:
            raise ValueError(
                f"route_km_by_type sums to {total:g} km, not route_length_km "
                f"{self.route_length_km:g}"
            )
        for t, km in self.buried_route_km_by_type.items():
            if km > self.route_km_by_type.get(t, 0.0) + 1e-9:
                raise ValueError(f"buried_route_km_by_type.{t} exceeds its route km")
        return self


def _default_comparators() -> tuple[Comparator, ...]:
    # Caucasus Cable System, Poti - Balchik (Black Sea), Tyco 2008: 1,182 km, 2 fibre pairs,
    # repeatered, construction US$40 M (seenews 2008-11-20; pt.qwe.wiki). The split by armour,
    # burial and the repeater count are assumptions (reasoning in the scenario file).
    return (
        Comparator(
            name="Caucasus Cable System (Poti - Balchik)",
            published_cost=40.0e6,
            published_scope="construction, 2008 (seenews 2008-11-20); project total US$76 M "
            "incl. terrestrial",
            route_length_km=1182.0,
            fibre_pairs=2,
            repeaters=14,
            amplification="edfa_repeaters",
            route_km_by_type={"DA": 20.0, "SA": 120.0, "LW": 1042.0},
            buried_route_km_by_type={"DA": 20.0, "SA": 120.0},
            slack_percent=4.0,
            lit_wavelengths=16,
            inland_sea=False,
        ),
    )


class SlaModel(StrictModel):
    """Service credits on leases when the line is down (wavelength SLA, Telus terms)."""

    max_credit_fraction: float = Field(
        0.4, ge=0.0, le=1.0,
        description="Credit in a month that breaches the SLA [fraction of that month's lease "
        "charges]: Telus wavelength terms give 10-40 % of MRC.",
    )
    fallback_mttr_days: float = Field(
        60.0, gt=0.0, le=365.0,
        description="Mean time to repair when no reliability result is given [days]: global "
        "20-30 d (SubTel Forum), longer in the landlocked Caspian (assumption).",
    )


class Uncertainty(StrictModel):
    """Spreads of the Monte Carlo NPV (assumptions: desk-study-stage ranges)."""

    capex_low: float = Field(0.9, gt=0.0, le=1.0, description="CAPEX factor, low end.")
    capex_mode: float = Field(1.0, gt=0.0, le=3.0, description="CAPEX factor, most likely.")
    capex_high: float = Field(
        1.4, ge=1.0, le=5.0,
        description="CAPEX factor, high end (triangular; overruns are more likely than savings).",
    )
    erosion_spread: float = Field(
        0.3, ge=0.0, lt=1.0, description="Price erosion x U(1 - s, 1 + s): TeleGeography's "
        "100G erosion moved from -18 to -13 %/yr between periods.",
    )
    growth_spread: float = Field(
        0.3, ge=0.0, lt=1.0, description="Demand growth x U(1 - s, 1 + s).",
    )
    market_share_spread: float = Field(
        0.4, ge=0.0, lt=1.0, description="Market share x U(1 - s, 1 + s), capped at 1.",
    )
    fault_rate_sigma: float = Field(
        0.5, ge=0.0, le=3.0,
        description="Fault rate x lognormal(0, sigma): no Caspian fault record exists.",
    )
    onward_capacity_growth_spread: float = Field(
        0.3, ge=0.0, lt=1.0,
        description="Onward corridor capacity growth (network.onward_capacity_growth_per_year) "
        "x U(1 - s, 1 + s): one system's history (CCS 13.4 %/yr) against another's (EPEG "
        "0 %/yr).",
    )

    @model_validator(mode="after")
    def _order(self) -> Uncertainty:
        if not (self.capex_low <= self.capex_mode <= self.capex_high):
            raise ValueError("capex_low <= capex_mode <= capex_high is required")
        return self


class FallbackTraffic(StrictModel):
    """Traffic on the line when no network result is given (e.g. economics run alone)."""

    baku_transit_tbps: float = Field(
        2.0, ge=0.0, le=1e5,
        description="Base-year traffic transiting Baku [Tbit/s]: assumption, the order of "
        "the network stage's result for the default corridor (2.6 Tbit/s).",
    )
    terminating_tbps: float = Field(
        0.5, ge=0.0, le=1e5, description="Base-year traffic ending in AZ/KZ [Tbit/s]: assumption."
    )
    growth_per_year: float = Field(
        0.28, ge=-0.5, le=2.0,
        description="Growth [fraction/yr]: the network stage's default (TeleGeography).",
    )
    base_year: int = Field(2026, ge=2000, le=2100, description="Year of the traffic above.")
    horizon_year: int = Field(2040, ge=2000, le=2100, description="End of the growth above.")


class EconomicsConfig(StrictModel):
    """The business case: cost book, products, prices, finance and sensitivity settings."""

    currency: str = Field(
        "USD", min_length=3, max_length=3,
        description="Currency of amounts: an ISO 4217 code (the cost book's rows must use it).",
    )
    cost_book: Path | None = Field(
        None, description="A cost-book CSV replacing the bundled one (same columns)."
    )
    cost_book_overrides: dict[str, CostOverride] = Field(
        default_factory=dict, description="Replace single cost-book rows by item name."
    )
    construction_year: int = Field(2026, ge=2000, le=2100, description="Year of the build.")
    discount_rate: float = Field(
        0.11, ge=0.0, le=0.5,
        description="Real discount rate [fraction/yr]: USD WACC 10-12 % (VEON Kazakhstan CGU "
        "11.4 % in 2024, SEC 20-F). Bounds 0-0.5: a negative rate values future cash above "
        "today's and makes the NPV of a long-lived asset explode (issue 22: -0.5 gave "
        "759,193,362.88 M); no project WACC is below zero, and social discount rates go down "
        "to ~1-1.5 %/yr (Stern Review 2006: 1.4 %). 50 %/yr is several times the USD WACC of "
        "telecoms in frontier markets (~10-20 %, Damodaran's country-risk tables) and in the "
        "range of venture-capital hurdle rates for start-ups, not a cable project [D/U].",
    )
    spare_cable_percent: float = Field(
        3.0, ge=0.0, le=50.0, description="Spare cable bought per cable type [% of its km]."
    )
    initial_lit_tbps: float = Field(
        6.0, ge=0.0, le=1e5,
        description="Capacity lit at launch [Tbit/s]: 'at least 4-6 Tb/s' (digitalsilkway.az).",
    )
    market_share: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of the corridor traffic the network stage routes over the line that "
        "the line wins [fraction]: assumption (competing routes via Russia and Iran).",
    )
    demand_growth_per_year: float | None = Field(
        None, ge=-0.5, le=2.0,
        description="Traffic growth up to the network horizon [fraction/yr]; null = the "
        "network stage's demand growth.",
    )
    growth_after_horizon_per_year: float = Field(
        0.10, ge=-0.5, le=2.0,
        description="Traffic growth after the network stage's horizon year [fraction/yr]: "
        "assumption (growth slows as markets mature).",
    )
    digital_hub: bool = Field(
        False,
        description="Sell the traffic with the Azerbaijan Digital Hub in place: the part of "
        "the line's Baku-transit traffic that the network stage finds kept local in Baku "
        "(content served there) is sold as terminating traffic. The result reports the NPV "
        "both ways.",
    )
    traffic_without_network: FallbackTraffic = Field(
        default_factory=FallbackTraffic,
        description="Traffic used only when the stage runs without a network result.",
    )
    products: dict[ProductName, Product] = Field(
        default_factory=_default_products, description="Products, prices and mix."
    )
    member_offers: dict[str, MemberOffer] = Field(
        default_factory=dict, description="Per consortium member: its own prices or mix."
    )
    sla: SlaModel = Field(default_factory=SlaModel)
    published_budget: float = Field(
        50.8e6, gt=0.0,
        description="Published budget of the line [currency]: >23 bn KZT ~ US$50.8 M "
        "(trend.az 2024-06-20).",
    )
    published_budget_route: BudgetRoute = Field(
        default_factory=BudgetRoute,
        description="The route the published budget is for; it is compared with the model's "
        "CAPEX only when the scenario's landings are that route's (else shown as the "
        "reference of another route).",
    )
    comparators: tuple[Comparator, ...] = Field(
        default_factory=_default_comparators,
        description="Published systems costed by the same functions.",
    )
    tornado_swing: float = Field(
        0.2, gt=0.0, lt=1.0, description="Tornado swing of each driver [fraction, +/-]."
    )
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    monte_carlo_samples: int = Field(
        10000, ge=10, le=1_000_000, description="Monte Carlo samples of the NPV."
    )
    seed: int = Field(20260301, ge=0, description="Seed of the Monte Carlo sampling.")

    @field_validator("currency", mode="after")
    @classmethod
    def _iso(cls, value: str) -> str:
        return iso_4217(value)

    @field_validator("cost_book", mode="after")
    @classmethod
    def _resolve(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return resolve_path(value, info)

    @model_validator(mode="after")
    def _check(self) -> EconomicsConfig:
        for name, o in self.cost_book_overrides.items():
            if o.currency != self.currency:
                raise ValueError(
                    f"cost_book_overrides.{name}.currency {o.currency!r} differs from "
                    f"economics.currency {self.currency!r} (no exchange rates are applied)"
                )
        check_pools({k: p.mix for k, p in self.products.items()}, "products")
        for member, offer in self.member_offers.items():
            unknown = set(offer.price_factor) | set(offer.mix or {})
            unknown -= set(self.products)
            if unknown:
                raise ValueError(
                    f"member_offers.{member}: product {sorted(unknown)[0]!r} is not in products"
                )
        return self
