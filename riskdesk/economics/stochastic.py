"""Stochastic asset evaluation: price paths around the deck and uncertain inputs -> NPV/IRR
distributions, annual cash-flow fan, computed in chunks by :mod:`riskdesk.economics.kernels`.

:func:`simulate_asset` is a generator: it validates, allocates, then yields :class:`AssetProgress`
after every chunk (each ``yield`` is a cancellation point) and returns an
:class:`AssetSimulation`. Per-path random numbers depend only on (seed, path), so results are
identical for any chunk size and thread count. Percentiles: P10 is the 10th percentile (the low
side, non-exceedance convention), numpy's linear method.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from riskdesk.domain.asset import UNCERTAIN_INPUTS, Asset
from riskdesk.domain.deck import PriceDeck
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import psd_problems
from riskdesk.economics.cashflow import EconInputs, prepare
from riskdesk.economics.indicators import discount_factors

PERCENTILES = (10, 50, 90)
FAN_PERCENTILES = (10, 25, 50, 75, 90)


@dataclass(frozen=True)
class AssetProgress:
    done: int
    total: int
    elapsed: float


@dataclass(frozen=True)
class PathSetup:
    """Everything the kernels need besides the per-path multipliers."""

    inp: EconInputs
    key: np.uint64
    proc: np.ndarray  # (nb, 3) model, sigma, kappa
    chol: np.ndarray  # (nb, nb)
    df: np.ndarray  # (R, T)
    rates: tuple[float, ...]


def setup(asset: Asset, deck: PriceDeck, seed: int) -> PathSetup:
    """Resolve the asset, price processes and correlation; raise ValidationError on bad input."""
    probs = asset.validate()
    try:
        inp = prepare(asset, deck)
    except (KeyError, ValueError) as e:
        probs.append(Problem(f"{asset.name}.deck", str(e).strip("'\"")))
    if probs:
        raise ValidationError(probs)
    unc = asset.uncertainty
    nb = len(inp.benchmarks)
    proc = np.zeros((nb, 3))
    pos = {b: i for i, b in enumerate(inp.benchmarks)}
    for pp in unc.prices:
        if pp.benchmark not in pos:
            probs.append(Problem(f"{asset.name}.uncertainty.prices.{pp.benchmark}",
                                 "benchmark not used by the asset"))
            continue
        proc[pos[pp.benchmark]] = (1.0 if pp.model == "ou" else 0.0, pp.volatility, pp.reversion)
    corr = np.eye(nb)
    if unc.price_correlation is not None:
        m = np.array(unc.price_correlation, dtype=float)
        names = [pp.benchmark for pp in unc.prices]
        if m.shape != (len(names), len(names)):
            probs.append(Problem(f"{asset.name}.uncertainty.price_correlation",
                                 f"matrix is {m.shape}, there are {len(names)} price processes"))
        else:
            probs += psd_problems(m, f"{asset.name}.uncertainty.price_correlation")
            for a, na in enumerate(names):
                for b, nbn in enumerate(names):
                    if na in pos and nbn in pos:
                        corr[pos[na], pos[nbn]] = m[a, b]
    if probs:
        raise ValidationError(probs)
    chol = np.linalg.cholesky(corr + 1e-12 * np.eye(nb))
    df = np.array([discount_factors(inp.periods, r, inp.per_year, asset.npv_convention)
                   for r in asset.discount_rates])
    key = np.random.SeedSequence(int(seed)).generate_state(1, dtype=np.uint64)[0]
    return PathSetup(inp, key, proc, chol, df, asset.discount_rates)


def multipliers(asset: Asset, u: np.ndarray) -> np.ndarray:
    """(n, 4) multipliers from the per-path uniforms ``u`` (n, >=4) via each input's quantile
    function; inputs without a distribution stay at 1."""
    out = np.ones((u.shape[0], len(UNCERTAIN_INPUTS)))
    for j, name in enumerate(UNCERTAIN_INPUTS):
        d = getattr(asset.uncertainty, name)
        if d is not None:
            out[:, j] = d.ppf(u[:, j])
    return out


@dataclass
class AssetSimulation:
    """Per-path results (NPV per rate, IRR, annual net cash flow) and their summaries."""

    asset: str
    deck: str
    seed: int
    rates: tuple[float, ...]
    convention: str
    basis: str
    years: list[int]
    npv: np.ndarray  # (n, R) MUSD
    irr: np.ndarray  # (n,) annual; NaN where a path has no IRR
    annual: np.ndarray  # (n, Y) MUSD
    elapsed: float
    inputs: dict[str, np.ndarray] | None = None  # sampled multipliers of the uncertain inputs

    def sensitivity(self) -> list[dict[str, float | str]]:
        """Spearman rank correlation of each sampled input multiplier with NPV at the first
        rate, strongest first (the stochastic counterpart of the tornado)."""
        from scipy.stats import spearmanr

        out: list[dict[str, float | str]] = []
        for name, x in (self.inputs or {}).items():
            if np.ptp(x) > 0:
                rho = float(spearmanr(x, self.npv[:, 0]).statistic)
                out.append({"input": name, "rank_correlation": rho})
        return sorted(out, key=lambda d: -abs(float(d["rank_correlation"])))

    def summary(self) -> dict[str, Any]:
        """P10/P50/P90 and mean of NPV per rate and of IRR, P(NPV < 0), share of paths without
        an IRR, the fan of annual net cash flow (percentiles per year) and a histogram of NPV at
        the first rate (``edges`` MUSD, ``counts`` paths)."""
        n = self.npv.shape[0]
        npv = [{"rate": r, "mean": float(self.npv[:, i].mean()),
                "prob_negative": float((self.npv[:, i] < 0).mean()),
                **{f"p{q}": float(v) for q, v in zip(
                    PERCENTILES, np.percentile(self.npv[:, i], PERCENTILES), strict=True)}}
               for i, r in enumerate(self.rates)]
        ok = self.irr[np.isfinite(self.irr)]
        irr: dict[str, Any] = {"paths_without_irr": int(n - ok.size)}
        if ok.size:
            irr |= {f"p{q}": float(v) for q, v in zip(PERCENTILES, np.percentile(ok, PERCENTILES),
                                                      strict=True)}
        fan = np.percentile(self.annual, FAN_PERCENTILES, axis=0)
        counts, edges = np.histogram(self.npv[:, 0], bins=min(50, max(5, n // 50)))
        return {
            "asset": self.asset, "deck": self.deck, "iterations": n, "seed": self.seed,
            "units": "MUSD", "basis": self.basis, "npv_convention": self.convention,
            "percentile_convention": "P10 = 10th percentile (low side)",
            "npv": npv, "irr": irr, "years": self.years,
            "fan": {f"p{q}": [float(x) for x in fan[i]] for i, q in enumerate(FAN_PERCENTILES)}
            | {"mean": [float(x) for x in self.annual.mean(axis=0)]},
            "sensitivity": self.sensitivity(),
            "npv_histogram": {"rate": self.rates[0], "edges": [float(x) for x in edges],
                              "counts": [int(c) for c in counts]},
            "elapsed_s": self.elapsed,
        }


def simulate_asset(asset: Asset, deck: PriceDeck, iterations: int | None = None,
                   seed: int | None = None, chunk: int = 4096
                   ) -> Generator[AssetProgress, None, AssetSimulation]:
    """Run the stochastic evaluation in chunks; yields progress, returns the result."""
    from riskdesk.economics.kernels import IRR_GRID, draw_uniforms, value_paths

    n = int(iterations or asset.uncertainty.iterations)
    seed = int(asset.uncertainty.seed if seed is None else seed)
    if n < 1:
        raise ValidationError([Problem(f"{asset.name}.uncertainty.iterations", "must be >= 1")])
    s = setup(asset, deck, seed)
    inp = s.inp
    years = sorted(set(inp.period_year.tolist()))
    npv = np.empty((n, len(s.rates)))
    irr = np.empty(n)
    ann = np.empty((n, len(years)))
    names = list(asset.uncertainty.distributions())
    sampled = {k: np.empty(n) for k in names}
    no_z = np.zeros((0, 1, 1))
    t0 = time.perf_counter()
    for a in range(0, n, chunk):
        b = min(n, a + chunk)
        u = np.empty((b - a, 16))
        draw_uniforms(s.key, a, u)
        mult = multipliers(asset, u)
        for k in names:
            sampled[k][a:b] = mult[:, UNCERTAIN_INPUTS.index(k)]
        value_paths(s.key, a, mult, inp.profile, inp.price_terms, inp.bench_index, inp.prices,
                    inp.carbon, inp.carbon_index, inp.capex, inp.fixed_opex, inp.abandonment,
                    inp.fiscal, s.proc, s.chol, inp.per_year, s.df, IRR_GRID, npv[a:b],
                    irr[a:b], ann[a:b], no_z)
        yield AssetProgress(b, n, time.perf_counter() - t0)
    return AssetSimulation(asset.name, deck.name, seed, s.rates, asset.npv_convention,
                           asset.basis, years, npv, irr, ann, time.perf_counter() - t0, sampled)


def run_asset(asset: Asset, deck: PriceDeck, iterations: int | None = None,
              seed: int | None = None, chunk: int = 4096) -> AssetSimulation:
    """:func:`simulate_asset` run to completion (for the CLI and scripts)."""
    gen = simulate_asset(asset, deck, iterations, seed, chunk)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


def warm_up() -> None:
    """Compile (or load from the cache) the kernels for the argument types every run uses.

    Call from the main thread before running :func:`simulate_asset` in a worker thread: Numba's
    first compilation imports modules, which must not race the GUI thread's import hooks.
    """
    from riskdesk.domain.asset import Product, ProductionProfile
    from riskdesk.domain.deck import DeckSeries

    deck = PriceDeck("warm-up", series=(DeckSeries("Base", "Brent", "USD/bbl", "annual",
                                                   (("2027", 70.0),)),))
    asset = Asset(name="warm-up", years=1, capex=(), basis="nominal",
                  products=(Product(profile=ProductionProfile(rate=1.0)),))
    run_asset(asset, deck, iterations=1, seed=0)
