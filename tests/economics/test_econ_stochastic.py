"""Stochastic asset evaluation: kernels against the numpy oracle, price processes against closed
forms, determinism across chunk sizes and thread counts."""

from __future__ import annotations

import math

import numpy as np
import pytest

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
from riskdesk.domain.problems import ValidationError
from riskdesk.economics.evaluate import evaluate
from riskdesk.economics.indicators import irr_all
from riskdesk.economics.kernels import IRR_GRID, draw_uniforms, value_paths
from riskdesk.economics.reference import value_paths_numpy
from riskdesk.economics.stochastic import multipliers, run_asset, setup


def _deck(years: int = 20) -> PriceDeck:
    yrs = [str(2027 + i) for i in range(years)]
    return PriceDeck("Test", "nominal", None, 0.0, (
        DeckSeries("Base", "Brent", "USD/bbl", "annual",
                   tuple((y, 70.0 + i) for i, y in enumerate(yrs))),
        DeckSeries("Base", "HH", "USD/MMBtu", "annual", tuple((y, 3.0) for y in yrs)),
        DeckSeries("Base", "Carbon", "USD/t", "annual", tuple((y, 80.0) for y in yrs)),
    ))


def _asset(frequency: str = "annual", psc: bool = False, **unc) -> Asset:
    from riskdesk.domain.asset import PSCTerms

    prof = ProductionProfile(rate=20000, start_years=1.5, ramp_years=1.0, plateau_years=2.0,
                             decline=0.3, b=0.6, decline_type="secant", terminal_decline=0.08)
    gas = ProductionProfile(rate=30000, start_years=2.0, ramp_years=0.5, plateau_years=4.0,
                            decline=0.2, b=0.0)
    return Asset(
        name="Field", basis="nominal", frequency=frequency, years=20, start_year=2027,
        carbon_benchmark="Carbon",
        products=(Product("Oil", "bbl", "Brent", prof, differential=-3.0, differential_pct=0.97,
                          variable_opex=6.0, emission_intensity=0.03),
                  Product("Gas", "Mcf", "HH", gas, price_factor=1.037,
                          differential_order="pct_then_fixed", differential_pct=0.9,
                          differential=0.1)),
        capex=((2027, 600.0), (2028, 400.0), (2032, 50.0)), fixed_opex=45.0, abandonment=150.0,
        fiscal=FiscalTerms(royalty=0.08, tax_rate=0.35, ring_fence=True, depreciation_years=4,
                           psc=PSCTerms(0.55, 0.4) if psc else None),
        uncertainty=Uncertainty(
            reserves=Distribution("triangular", {"min": 0.7, "mode": 1.0, "max": 1.25}),
            decline=Distribution("uniform", {"min": 0.8, "max": 1.2}),
            capex=Distribution("pert", {"min": 0.9, "mode": 1.0, "max": 1.4}),
            opex=Distribution("normal", {"mean": 1.0, "sd": 0.05}),
            prices=(PriceProcess("Brent", "ou", 0.3, 0.6), PriceProcess("HH", "gbm", 0.25, 0.0),
                    PriceProcess("Carbon", "gbm", 0.1, 0.0)),
            price_correlation=((1.0, 0.5, 0.2), (0.5, 1.0, 0.0), (0.2, 0.0, 1.0)), **unc))


def _kernel_run(asset: Asset, n: int, seed: int = 7):
    s = setup(asset, _deck(), seed)
    inp = s.inp
    u = np.empty((n, 16))
    draw_uniforms(s.key, 0, u)
    mult = multipliers(asset, u)
    Y = inp.periods // inp.per_year
    npv, irr, ann = np.empty((n, len(s.rates))), np.empty(n), np.empty((n, Y))
    z = np.empty((n, inp.periods, len(inp.benchmarks)))
    value_paths(s.key, 0, mult, inp.profile, inp.price_terms, inp.bench_index, inp.prices,
                inp.carbon, inp.carbon_index, inp.capex, inp.fixed_opex, inp.abandonment,
                inp.fiscal, s.proc, s.chol, inp.per_year, s.df, IRR_GRID, npv, irr, ann, z)
    return s, mult, z, npv, irr, ann


@pytest.mark.parametrize("frequency, psc", [("annual", False), ("monthly", False),
                                            ("annual", True)])
def test_that_the_kernel_matches_the_numpy_oracle_on_the_same_draws(frequency, psc):
    asset = _asset(frequency, psc)
    s, mult, z, npv, irr, ann = _kernel_run(asset, 300)
    rnpv, rirr, rann = value_paths_numpy(s.inp, mult, z, s.proc, s.df, IRR_GRID)
    np.testing.assert_allclose(npv, rnpv, rtol=1e-9, atol=1e-7)
    np.testing.assert_allclose(ann, rann, rtol=1e-9, atol=1e-7)
    assert np.array_equal(np.isnan(irr), np.isnan(rirr))
    np.testing.assert_allclose(irr[~np.isnan(irr)], rirr[~np.isnan(rirr)], atol=1e-8)


def test_that_a_path_without_randomness_reproduces_the_deterministic_evaluation():
    asset = _asset()
    flat = asset.with_(uncertainty=Uncertainty(
        prices=tuple(PriceProcess(p.benchmark, p.model, 0.0, p.reversion)
                     for p in asset.uncertainty.prices)))
    sim = run_asset(flat, _deck(), iterations=3, seed=1)
    ev = evaluate(flat, _deck())
    assert sim.npv[:, 0] == pytest.approx([ev.npv[0.08]] * 3, rel=1e-10)
    assert sim.annual[0] == pytest.approx(ev.annual["net"], rel=1e-10, abs=1e-9)
    roots = irr_all(ev.cash_flow.net).roots
    assert min(roots, key=lambda r: abs(r - 0.1)) == pytest.approx(sim.irr[0], abs=1e-9)


def _price_probe(model: str, sigma: float, kappa: float) -> Asset:
    """Constant production, no costs or tax: yearly cash flow = volume x price path."""
    prof = ProductionProfile(rate=1000, start_years=0.0, ramp_years=0.0, plateau_years=100.0)
    return Asset(name="Probe", basis="nominal", years=10, products=(Product(profile=prof),),
                 capex=(), fixed_opex=0.0, abandonment=0.0,
                 uncertainty=Uncertainty(prices=(PriceProcess("Brent", model, sigma, kappa),)))


@pytest.mark.parametrize("model, kappa", [("gbm", 0.0), ("ou", 0.8)])
def test_that_price_paths_have_the_closed_form_mean_and_log_variance(model, kappa):
    sigma, n = 0.3, 20000
    sim = run_asset(_price_probe(model, sigma, kappa), _deck(), iterations=n, seed=2024)
    vol = 1000 * 365.25 / 1e6
    for y in (0, 4, 9):
        fac = sim.annual[:, y] / (vol * (70.0 + y))
        t = y + 1.0
        var = sigma ** 2 * t if model == "gbm" else \
            sigma ** 2 * (1 - math.exp(-2 * kappa * t)) / (2 * kappa)
        # mean of the factor is 1 (price is unbiased around the deck)
        se_mean = math.sqrt(math.expm1(var) / n)
        assert abs(fac.mean() - 1.0) < 4 * se_mean
        # log factor ~ N(-var/2, var)
        lg = np.log(fac)
        assert abs(lg.mean() + var / 2) < 4 * math.sqrt(var / n)
        assert abs(lg.var(ddof=1) - var) < 4 * var * math.sqrt(2 / (n - 1))


def test_that_benchmark_shocks_have_the_requested_correlation():
    n = 4000
    *_, z = _kernel_run(_asset(), n)[:3]
    rho = np.corrcoef(z[:, 5, 0], z[:, 5, 1])[0, 1]
    # SE of a sample correlation ~ (1 - rho^2) / sqrt(n)
    assert abs(rho - 0.5) < 4 * (1 - 0.25) / math.sqrt(n)
    assert abs(np.corrcoef(z[:, 5, 1], z[:, 5, 2])[0, 1]) < 4 / math.sqrt(n)


def test_that_input_multipliers_follow_their_distributions():
    n = 20000
    s = setup(_asset(), _deck(), 3)
    u = np.empty((n, 16))
    draw_uniforms(s.key, 0, u)
    m = multipliers(_asset(), u)
    tri = Distribution("triangular", {"min": 0.7, "mode": 1.0, "max": 1.25})
    assert abs(m[:, 0].mean() - tri.mean()) < 4 * math.sqrt(tri.variance() / n)
    assert 0.8 <= m[:, 1].min() and m[:, 1].max() <= 1.2


def test_that_results_do_not_depend_on_chunk_size_or_thread_count():
    from riskdesk.engine.jit import set_threads

    a = run_asset(_asset("monthly"), _deck(), iterations=500, seed=9, chunk=500)
    b = run_asset(_asset("monthly"), _deck(), iterations=500, seed=9, chunk=77)
    try:
        set_threads(1)
        c = run_asset(_asset("monthly"), _deck(), iterations=500, seed=9, chunk=128)
    finally:
        set_threads(None)
    for x in (b, c):
        assert np.array_equal(a.npv, x.npv) and np.array_equal(a.annual, x.annual)
        assert np.array_equal(a.irr, x.irr, equal_nan=True)


def test_that_the_summary_reports_percentiles_fan_and_conventions():
    sim = run_asset(_asset(), _deck(), iterations=2000, seed=5)
    s = sim.summary()
    n8 = s["npv"][0]
    assert n8["rate"] == 0.08 and n8["p10"] < n8["p50"] < n8["p90"]
    assert 0 <= n8["prob_negative"] <= 1
    assert s["npv_convention"] == "mid" and "10th percentile" in s["percentile_convention"]
    assert len(s["fan"]["p50"]) == 20 and s["fan"]["p10"][10] <= s["fan"]["p90"][10]
    assert s["irr"]["paths_without_irr"] < 2000 and s["irr"]["p10"] < s["irr"]["p90"]
    sens = {d["input"]: d["rank_correlation"] for d in s["sensitivity"]}
    assert set(sens) == {"reserves", "decline", "capex", "opex"}
    assert sens["reserves"] > 0 > sens["capex"]  # more oil helps, more capex hurts


def test_that_a_bad_price_correlation_is_rejected_with_its_field():
    bad = _asset()
    bad = bad.with_(uncertainty=Uncertainty(prices=bad.uncertainty.prices,
                                            price_correlation=((1, 0.99, -0.99), (0.99, 1, 0.99),
                                                               (-0.99, 0.99, 1))))
    with pytest.raises(ValidationError, match="price_correlation"):
        run_asset(bad, _deck(), iterations=10)


def test_that_the_npv_histogram_counts_every_path_at_the_first_rate():
    sim = run_asset(_asset(), _deck(), iterations=2000, seed=5)
    h = sim.summary()["npv_histogram"]
    assert h["rate"] == 0.08 and sum(h["counts"]) == 2000
    assert len(h["edges"]) == len(h["counts"]) + 1
    assert h["edges"][0] == pytest.approx(float(sim.npv[:, 0].min()))
    assert h["edges"][-1] == pytest.approx(float(sim.npv[:, 0].max()))
