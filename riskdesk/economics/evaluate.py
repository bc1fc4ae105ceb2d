"""Deterministic evaluation of an asset: cash-flow table, indicators, breakeven price, tornado."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskdesk.domain.asset import Asset
from riskdesk.domain.deck import PriceDeck
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.economics.cashflow import CashFlow, EconInputs, annual, cash_flow, prepare
from riskdesk.economics.indicators import (
    CONVENTION_LABELS,
    IrrResult,
    discount_factors,
    emv,
    irr_all,
    payback_years,
    profitability_index,
)


@dataclass(frozen=True)
class Evaluation:
    """Indicators of one deterministic evaluation; money in MUSD of ``basis``."""

    asset: str
    deck: str
    scenario: str
    basis: str
    convention: str
    npv: dict[float, float]  # rate -> NPV
    irr: IrrResult
    payback_years: float | None
    profitability_index: float | None  # at the first discount rate
    emv: float  # at the first discount rate
    breakeven_price: float | None  # flat price of the first product's benchmark, NPV = 0
    years: list[int]
    annual: dict[str, list[float]]  # line -> values per calendar year
    cash_flow: CashFlow

    def to_dict(self) -> dict[str, Any]:
        return {
            "asset": self.asset, "deck": self.deck, "scenario": self.scenario,
            "basis": self.basis, "units": "MUSD", "npv_convention": self.convention,
            "npv_convention_label": CONVENTION_LABELS[self.convention],
            "npv": [{"rate": r, "npv": v} for r, v in self.npv.items()],
            "irr": {"roots": list(self.irr.roots), "note": self.irr.note},
            "payback_years": self.payback_years,
            "profitability_index": self.profitability_index, "emv": self.emv,
            "breakeven_price": self.breakeven_price,
            "years": self.years, "annual": self.annual,
        }


def _npv(inp: EconInputs, cf: np.ndarray, rate: float, convention: str) -> float:
    return float(cf @ discount_factors(inp.periods, rate, inp.per_year, convention))


def evaluate(asset: Asset, deck: PriceDeck) -> Evaluation:
    """Evaluate ``asset`` under ``deck`` with all inputs at their entered (base) values."""
    probs = asset.validate()
    if probs:
        raise ValidationError(probs)
    try:
        inp = prepare(asset, deck)
    except (KeyError, ValueError) as e:
        raise ValidationError([Problem(f"{asset.name}.deck", str(e).strip("'\""))]) from None
    cf = cash_flow(inp)
    conv, ppy = asset.npv_convention, inp.per_year
    npvs = {r: _npv(inp, cf.net, r, conv) for r in asset.discount_rates}
    r0 = asset.discount_rates[0]
    years = sorted(set(inp.period_year.tolist()))
    lines = {"volume_" + p.name: annual(cf.volumes[j], ppy) for j, p in enumerate(asset.products)}
    lines |= {"revenue": annual(cf.revenue, ppy), "opex": annual(cf.opex, ppy),
              "carbon": annual(cf.carbon, ppy), "capex": annual(cf.capex, ppy),
              "abandonment": annual(cf.abandonment, ppy),
              "government": annual(cf.government, ppy), "net": annual(cf.net, ppy)}
    return Evaluation(
        asset.name, deck.name, asset.deck_scenario, asset.basis, conv, npvs,
        irr_all(cf.net, ppy), payback_years(cf.net, ppy),
        profitability_index(cf.net, cf.capex, r0, ppy, conv),
        emv(asset.chance_of_success, npvs[r0], asset.failure_cost),
        breakeven_price(inp, r0, conv), years,
        {k: [float(x) for x in v] for k, v in lines.items()}, cf)


def breakeven_price(inp: EconInputs, rate: float, convention: str, hi: float = 1e4
                    ) -> float | None:
    """Flat price of the first product's benchmark (other benchmarks as in the deck) at which NPV
    at ``rate`` is zero; None if NPV is positive even at price 0 or negative even at ``hi``."""
    from scipy.optimize import brentq

    b0 = int(inp.bench_index[0])
    base = np.array([inp.prices[list(inp.bench_index).index(i)] if i in inp.bench_index
                     else inp.carbon for i in range(len(inp.benchmarks))])

    def f(price: float) -> float:
        bp = base.copy()
        bp[b0] = price
        return _npv(inp, cash_flow(inp, bench_prices=bp).net, rate, convention)

    lo_v, hi_v = f(0.0), f(hi)
    if lo_v >= 0 or hi_v <= 0:
        return None
    return float(brentq(f, 0.0, hi, xtol=1e-6))


@dataclass(frozen=True)
class TornadoBar:
    name: str
    low_input: float
    high_input: float
    npv_low: float  # NPV with the input at its P10
    npv_high: float  # NPV with the input at its P90


def tornado(asset: Asset, deck: PriceDeck, price_swing: float = 0.2) -> list[TornadoBar]:
    """One-at-a-time NPV swings at the first discount rate: each uncertain multiplier at its P10
    and P90 (others at 1), and benchmark prices at (1 -/+ ``price_swing``); widest bar first."""
    inp = prepare(asset, deck)
    rate, conv = asset.discount_rates[0], asset.npv_convention
    bars = []
    for name, dist in asset.uncertainty.distributions().items():
        lo, hi = (float(x) for x in dist.ppf([0.1, 0.9]))
        vals = []
        for x in (lo, hi):
            mult: dict[str, Any] = {name: x}
            vals.append(_npv(inp, cash_flow(inp, **mult).net, rate, conv))
        bars.append(TornadoBar(name, lo, hi, vals[0], vals[1]))
    base = np.array([inp.prices[list(inp.bench_index).index(i)] if i in inp.bench_index
                     else inp.carbon for i in range(len(inp.benchmarks))])
    for i, b in enumerate(inp.benchmarks):
        vals = []
        for m in (1 - price_swing, 1 + price_swing):
            bp = base.copy()
            bp[i] = bp[i] * m
            vals.append(_npv(inp, cash_flow(inp, bench_prices=bp).net, rate, conv))
        bars.append(TornadoBar(f"price {b}", 1 - price_swing, 1 + price_swing, vals[0], vals[1]))
    return sorted(bars, key=lambda t: -abs(t.npv_high - t.npv_low))

