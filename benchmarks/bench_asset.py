#!/usr/bin/env python3
"""Stochastic asset evaluation: Numba kernels vs a vectorised numpy version, in the same run.

A 20-year monthly asset (oil + gas, OU and GBM correlated prices, uncertain reserves/decline/
capex/opex, ring-fenced tax) valued over N paths (default 100,000; ``--quick`` 10,000) with NPV at
three rates and IRR per path. Each variant runs in its own child process so that its peak resident
memory can be reported; Numba compilation is excluded (a warm-up run precedes the timing).

    python benchmarks/bench_asset.py [--quick] [--iterations N]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def build():  # -> (Asset, PriceDeck)
    from riskdesk.domain.asset import (
        Asset,
        FiscalTerms,
        PriceProcess,
        Product,
        ProductionProfile,
        Uncertainty,
    )
    from riskdesk.domain.deck import DeckSeries, PriceDeck
    from riskdesk.domain.distributions import Distribution

    months = [f"{y}-{m:02d}" for y in range(2027, 2047) for m in range(1, 13)]
    deck = PriceDeck("Bench", "nominal", None, 0.0, (
        DeckSeries("Base", "Brent", "USD/bbl", "monthly",
                   tuple((p, 70.0 + 0.02 * i) for i, p in enumerate(months))),
        DeckSeries("Base", "HH", "USD/MMBtu", "monthly", tuple((p, 3.2) for p in months)),
    ))
    asset = Asset(
        name="Bench field", years=20, frequency="monthly", basis="nominal",
        products=(Product("Oil", "bbl", "Brent",
                          ProductionProfile(25000, 1.5, 1.0, 3.0, 0.35, 0.7, "secant", 0.08),
                          differential=-2.5, differential_pct=0.98, variable_opex=5.0),
                  Product("Gas", "Mcf", "HH", ProductionProfile(40000, 2.0, 0.5, 4.0, 0.2, 0.0),
                          price_factor=1.037, variable_opex=0.3)),
        capex=((2027, 900.0), (2028, 600.0), (2031, 120.0)), fixed_opex=60.0, abandonment=250.0,
        fiscal=FiscalTerms(royalty=0.1, tax_rate=0.35, ring_fence=True, depreciation_years=6),
        uncertainty=Uncertainty(
            reserves=Distribution("triangular", {"min": 0.7, "mode": 1.0, "max": 1.3}),
            decline=Distribution("uniform", {"min": 0.8, "max": 1.2}),
            capex=Distribution("pert", {"min": 0.9, "mode": 1.0, "max": 1.5}),
            opex=Distribution("normal", {"mean": 1.0, "sd": 0.07}),
            prices=(PriceProcess("Brent", "ou", 0.3, 0.5), PriceProcess("HH", "gbm", 0.35, 0.0)),
            price_correlation=((1.0, 0.4), (0.4, 1.0))))
    return asset, deck


def run_numba(n: int) -> dict[str, float]:
    from riskdesk.economics.stochastic import run_asset

    asset, deck = build()
    run_asset(asset, deck, iterations=64, seed=1)  # compile / load the cache
    t0 = time.perf_counter()
    sim = run_asset(asset, deck, iterations=n, seed=1, chunk=8192)
    dt = time.perf_counter() - t0
    return {"seconds": dt, "p50_npv10": float(sorted(sim.npv[:, 1])[n // 2])}


def run_numpy(n: int, chunk: int = 5000) -> dict[str, float]:
    import numpy as np

    from riskdesk.economics.kernels import IRR_GRID
    from riskdesk.economics.reference import value_paths_numpy
    from riskdesk.economics.stochastic import multipliers, setup

    asset, deck = build()
    s = setup(asset, deck, 1)
    inp = s.inp
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    npv = np.empty((n, len(s.rates)))
    irr = np.empty(n)
    for a in range(0, n, chunk):
        m = min(chunk, n - a)
        mult = multipliers(asset, rng.random((m, 4)))
        z = rng.standard_normal((m, inp.periods, len(inp.benchmarks))) @ s.chol.T
        npv[a:a + m], irr[a:a + m], _ = value_paths_numpy(inp, mult, z, s.proc, s.df, IRR_GRID)
    dt = time.perf_counter() - t0
    return {"seconds": dt, "p50_npv10": float(np.median(npv[:, 1]))}


def child(variant: str, n: int) -> None:
    out = run_numba(n) if variant == "numba" else run_numpy(n)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--child":
        child(argv[1], int(argv[2]))
        return 0
    n = 10_000 if "--quick" in argv else 100_000
    if "--iterations" in argv:
        n = int(argv[argv.index("--iterations") + 1])
    res = {}
    for v in ("numba", "numpy"):
        proc = subprocess.run([sys.executable, __file__, "--child", v, str(n)],
                              capture_output=True, text=True, cwd=ROOT)
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return 1
        res[v] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"asset: 20-year monthly (240 periods), 2 products, 2 correlated price processes, "
          f"NPV at 3 rates + IRR per path, {n:,} paths")
    print(f"{'variant':<8} {'seconds':>9} {'paths/s':>11} {'peak RSS MB':>12} {'P50 NPV10':>10}")
    for v, r in res.items():
        print(f"{v:<8} {r['seconds']:>9.2f} {n / r['seconds']:>11,.0f} {r['peak_rss_mb']:>12.0f} "
              f"{r['p50_npv10']:>10.1f}")
    print(f"speed-up numba / numpy: {res['numpy']['seconds'] / res['numba']['seconds']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
