"""An upstream asset as data: products with production profiles, costs, fiscal terms, uncertainty.

Units and conventions (stored with the asset, shown with every result):

* money in ``MUSD`` (millions of US dollars) in the asset's ``basis`` (``real`` money of the deck's
  base year, or ``nominal``); the deck is converted to that basis before use;
* rates in product units per day (``bbl/d``, ``Mcf/d``...), volumes in product units;
* decline rates per year of the stated ``decline_type`` (nominal / tangent / secant effective);
* prices: product price = benchmark x ``price_factor`` with the differential applied in
  ``differential_order``: ``fixed_then_pct`` = (P + fixed) x pct, ``pct_then_fixed`` = P x pct + fixed;
* capex by calendar year (MUSD, spread evenly over the months of a monthly model);
* timeline starts on 1 January of ``start_year`` and runs ``years`` years, annual or monthly periods.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import Problem
from riskdesk.domain.registry import canonical_json

ASSET_SCHEMA = "riskdesk.asset/1"
DIFFERENTIAL_ORDERS = ("fixed_then_pct", "pct_then_fixed")
NPV_CONVENTIONS = ("end", "mid", "start", "excel")
UNCERTAIN_INPUTS = ("reserves", "decline", "capex", "opex")


@dataclass(frozen=True)
class ProductionProfile:
    """Ramp-up to ``rate`` (units/day), plateau, then (modified) Arps decline."""

    rate: float = 10000.0
    start_years: float = 1.0  # first production, years after the model start
    ramp_years: float = 0.5
    plateau_years: float = 3.0
    decline: float = 0.25
    b: float = 0.5
    decline_type: str = "nominal"  # nominal | tangent | secant
    terminal_decline: float = 0.0  # same type as ``decline``; 0 = no modified-hyperbolic switch


@dataclass(frozen=True)
class Product:
    name: str = "Oil"
    unit: str = "bbl"
    benchmark: str = "Brent"
    profile: ProductionProfile = field(default_factory=ProductionProfile)
    price_factor: float = 1.0  # benchmark price units per product unit
    differential: float = 0.0  # added to the price, per unit (negative = discount)
    differential_pct: float = 1.0  # price multiplier (0.9 = 90 %)
    differential_order: str = "fixed_then_pct"
    variable_opex: float = 0.0  # USD per unit
    emission_intensity: float = 0.0  # tCO2e per unit


@dataclass(frozen=True)
class PSCTerms:
    """Production sharing: cost oil up to ``cost_recovery_ceiling`` x revenue after royalty
    (unrecovered cost carried forward), contractor gets ``contractor_share`` of profit oil."""

    cost_recovery_ceiling: float = 0.6
    contractor_share: float = 0.4


@dataclass(frozen=True)
class FiscalTerms:
    """Royalty on gross revenue; corporate tax on revenue - royalty - opex - abandonment -
    straight-line depreciation of capex over ``depreciation_years``. Ring-fenced: losses carried
    forward inside the asset; not ring-fenced: a loss gives relief at ``tax_rate`` immediately.
    Under a PSC, the tax applies to the contractor's profit oil."""

    royalty: float = 0.0
    tax_rate: float = 0.0
    ring_fence: bool = True
    depreciation_years: int = 5
    psc: PSCTerms | None = None


@dataclass(frozen=True)
class PriceProcess:
    """Log-price model around the deck: ``gbm`` (volatility per sqrt(year)) or ``ou``
    (mean-reverting to the deck, ``reversion`` per year); mean price equals the deck."""

    benchmark: str = "Brent"
    model: str = "ou"
    volatility: float = 0.3
    reversion: float = 0.5


@dataclass(frozen=True)
class Uncertainty:
    """Multipliers (1 = as entered) drawn per path, and the price processes."""

    reserves: Distribution | None = None
    decline: Distribution | None = None
    capex: Distribution | None = None
    opex: Distribution | None = None
    prices: tuple[PriceProcess, ...] = ()
    price_correlation: tuple[tuple[float, ...], ...] | None = None  # in order of ``prices``
    iterations: int = 10000
    seed: int = 12345

    def distributions(self) -> dict[str, Distribution]:
        return {k: d for k in UNCERTAIN_INPUTS if (d := getattr(self, k)) is not None}


@dataclass(frozen=True)
class Asset:
    name: str = "Asset"
    start_year: int = 2027
    years: int = 20
    frequency: str = "annual"  # annual | monthly
    basis: str = "real"
    deck_scenario: str = "Base"
    products: tuple[Product, ...] = (Product(),)
    capex: tuple[tuple[int, float], ...] = ((2027, 500.0), (2028, 300.0))  # (year, MUSD)
    fixed_opex: float = 40.0  # MUSD per year while producing
    abandonment: float = 100.0  # MUSD in the last period
    carbon_benchmark: str = ""  # deck benchmark in USD/tCO2e; "" = no carbon cost
    fiscal: FiscalTerms = field(default_factory=FiscalTerms)
    discount_rates: tuple[float, ...] = (0.08, 0.10, 0.12)
    npv_convention: str = "mid"
    chance_of_success: float = 1.0
    failure_cost: float = 0.0  # MUSD if unsuccessful (EMV)
    uncertainty: Uncertainty = field(default_factory=Uncertainty)

    def with_(self, **changes: Any) -> Asset:
        return replace(self, **changes)

    @property
    def per_year(self) -> int:
        return 12 if self.frequency == "monthly" else 1

    @property
    def periods(self) -> int:
        return self.years * self.per_year

    def validate(self) -> list[Problem]:
        out: list[Problem] = []

        def bad(where: str, msg: str) -> None:
            out.append(Problem(f"{self.name}.{where}", msg))

        if self.frequency not in ("annual", "monthly"):
            bad("frequency", "must be annual or monthly")
        if self.basis not in ("real", "nominal"):
            bad("basis", "must be real or nominal")
        if not 1 <= self.years <= 100:
            bad("years", "horizon must be 1..100 years")
        if not self.products:
            bad("products", "an asset needs at least one product")
        for i, p in enumerate(self.products):
            w = f"products[{i}]"
            pr = p.profile
            if pr.rate < 0 or pr.ramp_years < 0 or pr.plateau_years < 0 or pr.start_years < 0:
                bad(f"{w}.profile", "rate and durations must be >= 0")
            if pr.decline_type not in ("nominal", "tangent", "secant"):
                bad(f"{w}.profile.decline_type", "must be nominal, tangent or secant")
            if not 0 <= pr.b <= 1:
                bad(f"{w}.profile.b", f"Arps b {pr.b} must be in 0..1")
            if pr.decline < 0 or (pr.decline_type != "nominal" and pr.decline >= 1):
                bad(f"{w}.profile.decline", "effective declines must be in 0..1, nominal >= 0")
            if p.differential_order not in DIFFERENTIAL_ORDERS:
                bad(f"{w}.differential_order", "must be fixed_then_pct or pct_then_fixed")
        last = self.start_year + self.years - 1
        for y, amount in self.capex:
            if not self.start_year <= y <= last or not math.isfinite(amount):
                bad(f"capex.{y}", f"capex year {y} must lie in {self.start_year}..{last} with a "
                                  "finite amount")
        f = self.fiscal
        for k in ("royalty", "tax_rate"):
            if not 0 <= getattr(f, k) < 1:
                bad(f"fiscal.{k}", "must be a fraction in 0..1")
        if f.psc and not (0 <= f.psc.cost_recovery_ceiling <= 1 and 0 <= f.psc.contractor_share <= 1):
            bad("fiscal.psc", "ceiling and contractor share must be fractions in 0..1")
        if self.npv_convention not in NPV_CONVENTIONS:
            bad("npv_convention", f"must be one of {', '.join(NPV_CONVENTIONS)}")
        if not 0 <= self.chance_of_success <= 1:
            bad("chance_of_success", "must be in 0..1")
        if any(not math.isfinite(r) or r <= -1 for r in self.discount_rates):
            bad("discount_rates", "rates must be > -100%")
        for k, d in self.uncertainty.distributions().items():
            out += d.validate(f"{self.name}.uncertainty.{k}")
        used = {p.benchmark for p in self.products} | {self.carbon_benchmark} - {""}
        for pp in self.uncertainty.prices:
            if pp.model not in ("gbm", "ou") or pp.volatility < 0 or pp.reversion < 0:
                bad(f"uncertainty.prices.{pp.benchmark}", "model gbm|ou, volatility and "
                                                           "reversion >= 0")
            if pp.benchmark not in used:
                bad(f"uncertainty.prices.{pp.benchmark}", "benchmark not used by the asset "
                    f"(products and carbon use: {', '.join(sorted(used)) or 'none'})")
        corr, n = self.uncertainty.price_correlation, len(self.uncertainty.prices)
        if corr is not None and (len(corr) != n or any(len(r) != n for r in corr)):
            bad("uncertainty.price_correlation", f"must be {n} x {n}, one row and column per "
                                                 "price process")
        elif corr is not None:
            for i, row in enumerate(corr):
                for j, v in enumerate(row):
                    if not (math.isfinite(v) and -1 <= v <= 1) or v != corr[j][i] or \
                            (i == j and v != 1):
                        bad(f"uncertainty.price_correlation[{i}][{j}]",
                            f"{v} must be in -1..1, symmetric, with 1 on the diagonal")
        return out

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        u = self.uncertainty
        d["uncertainty"] = {k: v for k, v in d["uncertainty"].items() if k not in UNCERTAIN_INPUTS}
        d["uncertainty"].update({k: dist.to_dict() for k, dist in u.distributions().items()})
        d["schema"] = ASSET_SCHEMA
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Asset:
        def prod(p: dict[str, Any]) -> Product:
            p = dict(p)
            p["profile"] = ProductionProfile(**p.get("profile", {}))
            return Product(**p)

        fd = dict(d.get("fiscal", {}))
        fd["psc"] = PSCTerms(**fd["psc"]) if fd.get("psc") else None
        ud = dict(d.get("uncertainty", {}))
        unc = Uncertainty(
            **{k: Distribution.from_dict(ud[k]) for k in UNCERTAIN_INPUTS if ud.get(k)},
            prices=tuple(PriceProcess(**x) for x in ud.get("prices", ())),
            price_correlation=tuple(tuple(float(v) for v in r) for r in ud["price_correlation"])
            if ud.get("price_correlation") else None,
            iterations=int(ud.get("iterations", 10000)), seed=int(ud.get("seed", 12345)))
        keep = {k: v for k, v in d.items() if k not in ("products", "fiscal", "uncertainty",
                                                        "capex", "schema", "discount_rates",
                                                        "deck")}  # "deck": workspace default
        return cls(**keep, products=tuple(prod(p) for p in d.get("products", [])),
                   capex=tuple((int(y), float(v)) for y, v in d.get("capex", [])),
                   discount_rates=tuple(float(r) for r in d.get("discount_rates", (0.1,))),
                   fiscal=FiscalTerms(**fd), uncertainty=unc)

    def content_hash(self) -> str:
        return "sha256:" + hashlib.sha256(canonical_json(self.to_dict()).encode()).hexdigest()
