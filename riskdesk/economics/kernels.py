"""Numba kernels of the stochastic asset evaluation (options from :mod:`riskdesk.engine.jit`).

Random numbers are counter based: the draw for (path p, counter c) is a SplitMix64 hash of the run
key and (p, c), so path p sees the same numbers for any thread count, chunk size or order.
Counters 0..15 are the per-path input uniforms (one fixed slot per uncertain input); the normal
of period k and benchmark j is the inverse normal CDF (``engine.special.ndtri``, AS 241) of the
uniform at counter ``NORMAL_BASE + k nb + j`` (cheaper than Box-Muller's log/sqrt/sin/cos).

Price paths around the deck, per benchmark, in log space (``dt`` = 1 / per_year, period k priced
at t = (k + 1) dt, mean price equal to the deck):

* GBM: y_k = y_{k-1} - sigma^2 dt / 2 + sigma sqrt(dt) e_k, price = deck x exp(y_k);
* OU:  x_k = x_{k-1} a + sigma sqrt((1 - a^2) / (2 kappa)) e_k with a = exp(-kappa dt),
  price = deck x exp(x_k - Var(x_k) / 2), Var(x_k) = sigma^2 (1 - exp(-2 kappa t)) / (2 kappa);

where e = L eps with L the Cholesky factor of the benchmarks' correlation matrix.
"""

from __future__ import annotations

import math

import numpy as np

from riskdesk.economics.cashflow import fiscal_loop
from riskdesk.economics.production import profile_cum, switch_point
from riskdesk.engine.jit import device, kernel, prange
from riskdesk.engine.special import ndtri

NORMAL_BASE = 16
IRR_GUESS = 0.10
# annual rates bracketing the IRR search (scanned outwards from the interval holding IRR_GUESS)
IRR_GRID = np.array([-0.95, -0.75, -0.5, -0.3, -0.15, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2, 0.3,
                     0.45, 0.7, 1.0, 1.5, 2.5, 5.0, 10.0, 50.0])

_G1 = np.uint64(0x9E3779B97F4A7C15)
_G2 = np.uint64(0xD1B54A32D192ED03)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_INV53 = 1.0 / 9007199254740992.0


@device
def _mix(z: np.uint64) -> np.uint64:
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@device
def uniform(key: np.uint64, path: np.int64, counter: np.int64) -> float:
    """Uniform in (0, 1) for (path, counter) under ``key``."""
    h = _mix(key ^ (np.uint64(path) * _G1))
    h = _mix(h + np.uint64(counter) * _G2 + _G1)
    return (float(h >> np.uint64(11)) + 0.5) * _INV53


@kernel
def draw_uniforms(key: np.uint64, path0: np.int64, out: np.ndarray) -> None:
    """``out[i, j]`` = uniform for path ``path0 + i`` and input slot j."""
    for i in prange(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = uniform(key, path0 + i, j)


@device
def _npv_poly(cf: np.ndarray, x: float) -> tuple[float, float]:
    """f(x) = sum cf_k x^(k+1) and f'(x), by Horner (x = (1 + r)^(-dt))."""
    f = 0.0
    d = 0.0
    for k in range(cf.shape[0] - 1, -1, -1):
        d = d * x + f
        f = f * x + cf[k]
    return f * x, f + d * x


@device
def irr_newton(cf: np.ndarray, per_year: int, grid: np.ndarray) -> float:
    """IRR (annual) by bracketed Newton: brackets from ``grid`` scanned outwards from the interval
    holding IRR_GUESS, then Newton steps kept inside the bracket (bisection when they leave it).
    NaN when NPV changes sign nowhere on the grid."""
    n = grid.shape[0]
    xs = np.empty(n)
    vals = np.zeros(n)  # NPV / x at every grid rate, in one pass (independent Horner chains)
    for q in range(n):
        xs[q] = (1.0 + grid[q]) ** (-1.0 / per_year)
    for k in range(cf.shape[0] - 1, -1, -1):
        for q in range(n):
            vals[q] = vals[q] * xs[q] + cf[k]
    g = 0
    while g < n - 2 and grid[g + 1] <= IRR_GUESS:
        g += 1
    for step in range(2 * n):
        j = g + (step + 1) // 2 if step % 2 == 1 else g - step // 2
        if j < 0 or j >= n - 1:
            continue
        xa, xb, fa, fb = xs[j], xs[j + 1], vals[j], vals[j + 1]
        if fa == 0.0:
            return grid[j]
        if fa * fb > 0.0:
            continue
        lo, hi, flo = xa, xb, fa  # x decreases as r increases; keep f(lo) sign
        x = 0.5 * (lo + hi)
        for _ in range(200):
            f, d = _npv_poly(cf, x)
            if f == 0.0:
                break
            if f * flo > 0.0:
                lo, flo = x, f
            else:
                hi = x
            nx = x - f / d if d != 0.0 else 0.5 * (lo + hi)
            if not (min(lo, hi) < nx < max(lo, hi)):
                nx = 0.5 * (lo + hi)
            if abs(nx - x) <= 1e-12 * abs(x):
                x = nx
                break
            x = nx
        return x ** (-per_year) - 1.0
    return np.nan


@kernel
def value_paths(key: np.uint64, path0: np.int64, mults: np.ndarray, profile: np.ndarray,
                terms: np.ndarray, bench_index: np.ndarray, prices: np.ndarray,
                carbon: np.ndarray, carbon_index: np.int64, capex: np.ndarray,
                fixed: np.ndarray, aband: np.ndarray, fiscal: np.ndarray, proc: np.ndarray,
                chol: np.ndarray, per_year: np.int64, df: np.ndarray, grid: np.ndarray,
                npv_out: np.ndarray, irr_out: np.ndarray, annual_out: np.ndarray,
                z_out: np.ndarray) -> None:
    """Value ``mults.shape[0]`` paths (path ids ``path0 + i``).

    mults (n, 4): reserves, decline, capex, opex multipliers; profile (P, 7); terms (P, 6);
    prices (P, T) deck benchmark per product; proc (nb, 3): model (0 GBM, 1 OU), sigma, kappa;
    chol (nb, nb); df (R, T) discount factors. Writes npv_out (n, R), irr_out (n,),
    annual_out (n, Y) net cash flow per year, and z_out (n, T, nb) correlated normals if it has
    rows (for tests).
    """
    n, T = mults.shape[0], capex.shape[0]
    nb, P = proc.shape[0], profile.shape[0]
    dt = 1.0 / per_year
    # per-benchmark step constants: state = state * a + drift + sd * e; factor = exp(state - hv)
    a = np.ones(nb)
    drift = np.zeros(nb)
    sd = np.zeros(nb)
    hv = np.zeros((T, nb))
    for j in range(nb):
        s, kap = proc[j, 1], proc[j, 2]
        if proc[j, 0] < 0.5 or kap < 1e-12:
            drift[j] = -0.5 * s * s * dt
            sd[j] = s * math.sqrt(dt)
        else:
            a[j] = math.exp(-kap * dt)
            sd[j] = s * math.sqrt((1.0 - a[j] * a[j]) / (2.0 * kap))
            for k in range(T):
                hv[k, j] = 0.5 * s * s * (-math.expm1(-2.0 * kap * (k + 1) * dt)) / (2.0 * kap)
    for i in prange(n):
        p = path0 + i
        fac = np.empty((T, nb))
        eps = np.empty(nb)
        state = np.zeros(nb)
        for k in range(T):
            for j in range(nb):
                eps[j] = ndtri(uniform(key, p, NORMAL_BASE + k * nb + j))
            for j in range(nb):
                e = 0.0
                for c in range(j + 1):
                    e += chol[j, c] * eps[c]
                if z_out.shape[0] > 0:
                    z_out[i, k, j] = e
                state[j] = state[j] * a[j] + drift[j] + sd[j] * e
                fac[k, j] = math.exp(state[j] - hv[k, j])
        gross = np.zeros(T)
        opex = np.zeros(T)
        cx = np.empty(T)
        for q in range(P):
            r0 = profile[q, 0] * mults[i, 0]
            di, dl = profile[q, 4] * mults[i, 1], profile[q, 6] * mults[i, 1]
            prev = 0.0
            ts, qs, ns = switch_point(r0, di, profile[q, 5], dl)
            for k in range(T):
                cum = profile_cum((k + 1) * dt, r0, profile[q, 1], profile[q, 2],
                                  profile[q, 3], di, profile[q, 5], dl, ts, qs, ns)
                vol = cum - prev
                prev = cum
                bp = prices[q, k] * fac[k, bench_index[q]] * terms[q, 0]
                if terms[q, 3] < 0.5:
                    price = (bp + terms[q, 1]) * terms[q, 2]
                else:
                    price = bp * terms[q, 2] + terms[q, 1]
                cp = carbon[k] * fac[k, carbon_index] if carbon_index >= 0 else carbon[k]
                gross[k] += vol * price / 1e6
                opex[k] += vol * terms[q, 4] / 1e6 * mults[i, 3] + vol * terms[q, 5] * cp / 1e6
        for k in range(T):
            opex[k] += fixed[k] * mults[i, 3]
            cx[k] = capex[k] * mults[i, 2]
        ncf = np.empty(T)
        tax = np.empty(T)
        fiscal_loop(gross, opex, cx, aband, fiscal, ncf, tax)
        for r in range(df.shape[0]):
            v = 0.0
            for k in range(T):
                v += ncf[k] * df[r, k]
            npv_out[i, r] = v
        for y in range(annual_out.shape[1]):
            v = 0.0
            for k in range(y * per_year, (y + 1) * per_year):
                v += ncf[k]
            annual_out[i, y] = v
        irr_out[i] = irr_newton(ncf, per_year, grid)
