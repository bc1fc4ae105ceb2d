"""Deterministic cash flow of an asset under a price deck (MUSD per period, in the asset's basis).

Per period: gross revenue = sum over products of volume x price; opex = fixed (from first
production to the end) + variable x volume; carbon = volume x emission intensity x carbon price;
capex by calendar year; abandonment in the last period; then the fiscal terms (royalty, tax with
or without ring fence, or a PSC) — see :func:`fiscal_loop`. Prices are flat beyond the deck.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from riskdesk.domain.asset import Asset
from riskdesk.domain.deck import PriceDeck
from riskdesk.economics.jitable import jitable
from riskdesk.economics.production import period_volumes, to_nominal


def apply_differential(price: np.ndarray | float, fixed: float, pct: float, order: str
                       ) -> np.ndarray | float:
    """Product price from a benchmark price: ``fixed_then_pct`` = (P + fixed) x pct,
    ``pct_then_fixed`` = P x pct + fixed."""
    if order == "fixed_then_pct":
        return (price + fixed) * pct
    if order == "pct_then_fixed":
        return price * pct + fixed
    raise ValueError(f"differential order {order!r} must be fixed_then_pct or pct_then_fixed")


@dataclass(frozen=True)
class EconInputs:
    """An asset reduced to arrays (what the kernels and the numpy reference consume).

    ``prices[j]`` is the deck benchmark of product j per period (basis converted, before the
    differential); ``bench_index[j]`` indexes ``benchmarks``; ``carbon`` per period (USD/t).
    Profile parameters are nominal per-year declines.
    """

    per_year: int
    periods: int
    period_year: np.ndarray  # calendar year of each period (int)
    benchmarks: tuple[str, ...]
    bench_index: np.ndarray
    prices: np.ndarray  # (products, T)
    carbon: np.ndarray  # (T,)
    carbon_index: int  # index in ``benchmarks`` or -1
    capex: np.ndarray  # (T,) MUSD
    fixed_opex: np.ndarray  # (T,) MUSD
    abandonment: np.ndarray  # (T,) MUSD
    profile: np.ndarray  # (products, 7): rate, start, ramp, plateau, di, b, dlim
    price_terms: np.ndarray  # (products, 6): factor, fixed, pct, order(0/1), vopex, intensity
    fiscal: np.ndarray  # (7,): royalty, tax, ring_fence, dep_periods, psc, ceiling, share


def prepare(asset: Asset, deck: PriceDeck) -> EconInputs:
    """Resolve an asset against a deck (scenario ``asset.deck_scenario``, converted to the asset's
    basis). Raises KeyError naming a benchmark missing from the deck."""
    d = deck.converted(asset.basis, deck.base_year) if deck.basis != asset.basis else deck
    ppy, n = asset.per_year, asset.periods
    years = [asset.start_year + k // ppy for k in range(n)]
    start = f"{asset.start_year:04d}-01"

    def series(bench: str) -> np.ndarray:
        s = d.get(asset.deck_scenario, bench)
        vals = s.monthly_values(start, n) if ppy == 12 else s.annual_values(years)
        return np.asarray(vals, dtype=float)

    benches = list(dict.fromkeys(p.benchmark for p in asset.products))
    if asset.carbon_benchmark and asset.carbon_benchmark not in benches:
        benches.append(asset.carbon_benchmark)
    prices = np.array([series(p.benchmark) for p in asset.products])
    carbon = series(asset.carbon_benchmark) if asset.carbon_benchmark else np.zeros(n)
    capex = np.zeros(n)
    for y, amount in asset.capex:
        idx = [k for k in range(n) if years[k] == y]
        if not idx:
            raise KeyError(f"capex year {y} is outside the asset's {asset.start_year}.."
                           f"{asset.start_year + asset.years - 1} horizon")
        capex[idx] += amount / len(idx)
    first = min(p.profile.start_years for p in asset.products)
    t_end = (np.arange(n) + 1.0) / ppy
    fixed = np.where(t_end > first, asset.fixed_opex / ppy, 0.0)
    aband = np.zeros(n)
    aband[-1] = asset.abandonment
    prof, terms = [], []
    for p in asset.products:
        pr = p.profile
        prof.append([pr.rate, pr.start_years, pr.ramp_years, pr.plateau_years,
                     to_nominal(pr.decline, pr.decline_type, pr.b), pr.b,
                     to_nominal(pr.terminal_decline, pr.decline_type, 0.0)
                     if pr.terminal_decline > 0 else 0.0])
        terms.append([p.price_factor, p.differential, p.differential_pct,
                      0.0 if p.differential_order == "fixed_then_pct" else 1.0,
                      p.variable_opex, p.emission_intensity])
    f = asset.fiscal
    fiscal = np.array([f.royalty, f.tax_rate, 1.0 if f.ring_fence else 0.0,
                       max(1, f.depreciation_years) * ppy, 1.0 if f.psc else 0.0,
                       f.psc.cost_recovery_ceiling if f.psc else 0.0,
                       f.psc.contractor_share if f.psc else 0.0])
    return EconInputs(ppy, n, np.array(years), tuple(benches),
                      np.array([benches.index(p.benchmark) for p in asset.products]),
                      prices, carbon,
                      benches.index(asset.carbon_benchmark) if asset.carbon_benchmark else -1,
                      capex, fixed, aband, np.array(prof, float), np.array(terms, float), fiscal)


@jitable
def fiscal_loop(gross: np.ndarray, opex: np.ndarray, capex: np.ndarray, aband: np.ndarray,
                fiscal: np.ndarray, ncf: np.ndarray, tax: np.ndarray) -> None:
    """Fill net cash flow ``ncf`` and government take ``tax`` (royalty + tax + state profit oil).

    Concession: royalty = royalty x gross; taxable = gross - royalty - opex - abandonment -
    depreciation (capex straight-line over ``dep_periods``); ring-fenced losses carry forward,
    otherwise a negative taxable income earns relief at the tax rate at once.
    PSC: cost oil = min(unrecovered costs, ceiling x (gross - royalty)), the rest carried forward;
    profit oil split, tax on the contractor's profit oil.
    """
    royalty, rate, ring, dep_n, psc = fiscal[0], fiscal[1], fiscal[2], int(fiscal[3]), fiscal[4]
    n = gross.shape[0]
    carry = 0.0
    dep = 0.0  # straight-line depreciation: running sum over the last dep_n periods' capex
    for k in range(n):
        roy = royalty * gross[k]
        net = gross[k] - roy
        if psc > 0.5:
            recoverable = carry + opex[k] + capex[k] + aband[k]
            cost_oil = min(recoverable, fiscal[5] * net)
            carry = recoverable - cost_oil
            profit = net - cost_oil
            share = fiscal[6] * profit
            t = rate * share
            ncf[k] = cost_oil + share - t - opex[k] - capex[k] - aband[k]
            tax[k] = roy + (profit - share) + t
        else:
            dep += capex[k] / dep_n
            if k >= dep_n:
                dep -= capex[k - dep_n] / dep_n
            taxable = net - opex[k] - aband[k] - dep
            if ring > 0.5:
                base = taxable + carry
                if base > 0.0:
                    t = rate * base
                    carry = 0.0
                else:
                    t = 0.0
                    carry = base
            else:
                t = rate * taxable
            ncf[k] = net - opex[k] - capex[k] - aband[k] - t
            tax[k] = roy + t


@dataclass(frozen=True)
class CashFlow:
    """Per-period lines (MUSD unless stated) of one evaluation."""

    volumes: np.ndarray  # (products, T) product units
    prices: np.ndarray  # (products, T) realised product price
    revenue: np.ndarray
    opex: np.ndarray  # fixed + variable
    carbon: np.ndarray
    capex: np.ndarray
    abandonment: np.ndarray
    government: np.ndarray  # royalty + tax (+ state profit oil under a PSC)
    net: np.ndarray  # net cash flow to the company


def cash_flow(inp: EconInputs, reserves: float = 1.0, decline: float = 1.0, capex: float = 1.0,
              opex: float = 1.0, bench_prices: np.ndarray | None = None) -> CashFlow:
    """Evaluate with multipliers on rates (reserves), declines, capex and opex; ``bench_prices``
    (benchmarks x T) replaces the deck's benchmark prices when given."""
    n, ppy = inp.periods, inp.per_year
    vols, real = [], []
    for j in range(len(inp.profile)):
        r, st, ramp, plat, di, b, dlim = inp.profile[j]
        vols.append(period_volumes(n, ppy, r * reserves, st, ramp, plat, di * decline, b,
                                   dlim * decline))
        bp = inp.prices[j] if bench_prices is None else bench_prices[inp.bench_index[j]]
        fac, fx, pct, order, _, _ = inp.price_terms[j]
        real.append(apply_differential(bp * fac, fx, pct,
                                       "fixed_then_pct" if order < 0.5 else "pct_then_fixed"))
    v, p = np.array(vols), np.array(real)
    carbon_price = inp.carbon if bench_prices is None or inp.carbon_index < 0 \
        else bench_prices[inp.carbon_index]
    revenue = (v * p).sum(axis=0) / 1e6
    var_opex = (v * inp.price_terms[:, 4:5]).sum(axis=0) / 1e6
    carbon = (v * inp.price_terms[:, 5:6]).sum(axis=0) * carbon_price / 1e6
    op = (inp.fixed_opex + var_opex) * opex
    cx = inp.capex * capex
    ncf, gov = np.zeros(n), np.zeros(n)
    fiscal_loop(revenue, op + carbon, cx, inp.abandonment, inp.fiscal, ncf, gov)
    return CashFlow(v, p, revenue, op, carbon, cx, inp.abandonment.copy(), gov, ncf)


def annual(values: np.ndarray, per_year: int) -> np.ndarray:
    """Sum per-period values into years (last axis)."""
    if per_year == 1:
        return values
    return values.reshape(*values.shape[:-1], -1, per_year).sum(axis=-1)
