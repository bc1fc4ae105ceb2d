"""A vectorised numpy implementation of the stochastic valuation (all paths at once).

Independent of the kernels (no Numba, no shared code): a test oracle given the same correlated
normals and multipliers, and the baseline the benchmark compares the kernels with.
"""

from __future__ import annotations

import numpy as np

from riskdesk.economics.cashflow import EconInputs
from riskdesk.economics.production import DAYS_PER_YEAR

IRR_GUESS = 0.10


def _arps_cum(q: np.ndarray, d: np.ndarray, b: float, t: np.ndarray) -> np.ndarray:
    t = np.maximum(t, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if b < 1e-9:
            out = np.where(d > 0, q / d * (1 - np.exp(-d * t)), q * t)
        elif abs(b - 1) < 1e-9:
            out = np.where(d > 0, q / d * np.log1p(d * t), q * t)
        else:
            out = np.where(d > 0, q / ((1 - b) * d) * (1 - (1 + b * d * t) ** (1 - 1 / b)), q * t)
    return DAYS_PER_YEAR * out


def _rate(q: np.ndarray, d: np.ndarray, b: float, t: np.ndarray) -> np.ndarray:
    return q * np.exp(-d * t) if b < 1e-9 else q / (1 + b * d * t) ** (1 / b)


def cumulative(t: float, rate: np.ndarray, start: float, ramp: float, plateau: float,
               di: np.ndarray, b: float, dlim: np.ndarray) -> np.ndarray:
    """Cumulative volume at t years for a vector of paths (rates and declines per path)."""
    s = t - start
    if s <= 0:
        return np.zeros_like(rate)
    if s < ramp:
        return DAYS_PER_YEAR * rate * s * s / (2 * ramp)
    v = DAYS_PER_YEAR * rate * (ramp / 2 + min(s - ramp, plateau))
    s = s - ramp - plateau
    if s <= 0:
        return v
    if b < 1e-9 or not np.any(dlim > 0):
        return v + _arps_cum(rate, di, b, np.full_like(rate, s))
    swi = (dlim > 0) & (di > dlim)
    with np.errstate(divide="ignore", invalid="ignore"):
        ts = np.where(swi, (di / np.where(swi, dlim, 1.0) - 1) / (b * di), np.inf)
    ta = np.minimum(s, ts)
    hyper = _arps_cum(rate, di, b, ta)
    qs = _rate(rate, di, b, np.where(np.isfinite(ts), ts, 0.0))
    tail = np.where(s > ts, _arps_cum(qs, dlim, 0.0, np.maximum(s - ts, 0.0)), 0.0)
    expo = _arps_cum(rate, dlim, 0.0, np.full_like(rate, s))
    only_exp = (dlim > 0) & (di <= dlim)
    return v + np.where(only_exp, expo, hyper + tail)


def price_factors(z: np.ndarray, proc: np.ndarray, per_year: int) -> np.ndarray:
    """(n, T, nb) multiplicative factors on the deck from correlated normals ``z`` (n, T, nb)."""
    n, T, nb = z.shape
    dt = 1.0 / per_year
    out = np.empty_like(z)
    t = (np.arange(T) + 1) * dt
    for j in range(nb):
        model, s, kap = proc[j]
        if model < 0.5 or kap < 1e-12:
            out[:, :, j] = np.exp(np.cumsum(-0.5 * s * s * dt + s * np.sqrt(dt) * z[:, :, j],
                                            axis=1))
        else:
            a = np.exp(-kap * dt)
            sd = s * np.sqrt((1 - a * a) / (2 * kap))
            x = np.zeros(n)
            var = s * s * (-np.expm1(-2 * kap * t)) / (2 * kap)
            for k in range(T):
                x = x * a + sd * z[:, k, j]
                out[:, k, j] = np.exp(x - 0.5 * var[k])
    return out


def irr_vectorised(cf: np.ndarray, per_year: int, grid: np.ndarray, iters: int = 80
                   ) -> np.ndarray:
    """Per-row IRR: the sign-change interval of NPV on ``grid`` nearest the 10 % guess, refined by
    bisection in x = (1 + r)^(-1/per_year); NaN where there is none."""
    n, T = cf.shape
    powers = np.arange(1, T + 1)

    def f(x: np.ndarray) -> np.ndarray:
        return np.sum(cf * x[:, None] ** powers[None, :], axis=1)

    xs = (1 + grid) ** (-1.0 / per_year)
    vals = np.stack([f(np.full(n, x)) for x in xs], axis=1)
    g = int(np.searchsorted(grid, IRR_GUESS, side="right") - 1)
    g = min(max(g, 0), len(grid) - 2)
    order = [g]
    for s in range(1, len(grid)):
        order += [j for j in (g + s, g - s) if 0 <= j < len(grid) - 1]
    lo = np.full(n, np.nan)
    hi = np.full(n, np.nan)
    for j in order:
        hit = np.isnan(lo) & (vals[:, j] * vals[:, j + 1] <= 0) & (vals[:, j] != vals[:, j + 1])
        lo[hit], hi[hit] = xs[j], xs[j + 1]
    found = ~np.isnan(lo)
    a, b = np.where(found, lo, 1.0), np.where(found, hi, 1.0)
    fa = f(a)
    for _ in range(iters):
        m = 0.5 * (a + b)
        fm = f(m)
        left = fa * fm > 0
        a, fa = np.where(left, m, a), np.where(left, fm, fa)
        b = np.where(left, b, m)
    x = 0.5 * (a + b)
    return np.where(found, x ** (-per_year) - 1.0, np.nan)


def value_paths_numpy(inp: EconInputs, mults: np.ndarray, z: np.ndarray, proc: np.ndarray,
                      df: np.ndarray, grid: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(npv (n, R), irr (n,), annual (n, Y)) for multipliers (n, 4) and correlated normals z."""
    n, T, ppy = mults.shape[0], inp.periods, inp.per_year
    fac = price_factors(z, proc, ppy)
    gross = np.zeros((n, T))
    opex = np.zeros((n, T))
    for q in range(inp.profile.shape[0]):
        r0, st, ramp, plat, di, b, dl = inp.profile[q]
        rate, dis, dls = r0 * mults[:, 0], di * mults[:, 1], dl * mults[:, 1]
        cum = np.stack([cumulative((k) / ppy, rate, st, ramp, plat, dis, b, dls)
                        for k in range(T + 1)], axis=1)
        vol = np.diff(cum, axis=1)
        fac_q, fx, pct, order, vopex, inten = inp.price_terms[q]
        bp = inp.prices[q][None, :] * fac[:, :, inp.bench_index[q]] * fac_q
        price = (bp + fx) * pct if order < 0.5 else bp * pct + fx
        cp = inp.carbon[None, :] * (fac[:, :, inp.carbon_index] if inp.carbon_index >= 0 else 1.0)
        gross += vol * price / 1e6
        opex += vol * vopex / 1e6 * mults[:, 3:4] + vol * inten * cp / 1e6
    opex += inp.fixed_opex[None, :] * mults[:, 3:4]
    capex = inp.capex[None, :] * mults[:, 2:3]
    ab = inp.abandonment
    royalty, rate_t, ring, dep_n, psc, ceil, share = inp.fiscal
    dep_n = int(dep_n)
    ncf = np.empty((n, T))
    carry = np.zeros(n)
    kernel_dep = np.array([capex[:, max(0, k - dep_n + 1):k + 1].sum(axis=1) / dep_n
                           for k in range(T)]).T if psc < 0.5 else None
    for k in range(T):
        net = gross[:, k] * (1 - royalty)
        if psc > 0.5:
            rec = carry + opex[:, k] + capex[:, k] + ab[k]
            co = np.minimum(rec, ceil * net)
            carry = rec - co
            po = (net - co) * share
            ncf[:, k] = co + po - rate_t * po - opex[:, k] - capex[:, k] - ab[k]
        else:
            assert kernel_dep is not None
            taxable = net - opex[:, k] - ab[k] - kernel_dep[:, k]
            if ring > 0.5:
                base = taxable + carry
                tax = np.where(base > 0, rate_t * base, 0.0)
                carry = np.where(base > 0, 0.0, base)
            else:
                tax = rate_t * taxable
            ncf[:, k] = net - opex[:, k] - capex[:, k] - ab[k] - tax
    npv = ncf @ df.T
    annual = ncf.reshape(n, -1, ppy).sum(axis=2)
    return npv, irr_vectorised(ncf, ppy, grid), annual
