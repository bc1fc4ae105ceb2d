"""Fitting distributions to quantiles: reference values and coherence errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from riskdesk.domain.problems import ValidationError
from riskdesk.elicitation.fitting import FAMILIES, fit, fit_all, from_three_point
from riskdesk.elicitation.metalog import fit_metalog

P10_P50_P90 = {0.1: 10.0, 0.5: 20.0, 0.9: 50.0}


def test_that_a_lognormal_through_p10_and_p90_has_the_closed_form_parameters():
    f = fit({0.1: 10.0, 0.9: 50.0}, "lognormal")
    assert f.params["mu"] == pytest.approx(3.107304, abs=5e-7)
    assert f.params["sigma"] == pytest.approx(0.627926, abs=5e-7)
    assert f.error == pytest.approx(0.0, abs=1e-12)
    d = f.to_distribution()  # registry form keeps the same distribution
    np.testing.assert_allclose(d.ppf([0.1, 0.9]), [10.0, 50.0], rtol=1e-9)


def test_that_pert_from_three_points_has_the_textbook_shape_and_mean():
    f = from_three_point(10, 20, 50, "pert")
    assert (f.params["alpha"], f.params["beta"]) == pytest.approx((2.0, 4.0), abs=1e-12)
    assert f.to_distribution().mean() == pytest.approx(23.333333, abs=5e-7)
    assert float(np.mean(f.ppf((np.arange(20000) + 0.5) / 20000))) == pytest.approx(23.3333,
                                                                                   abs=1e-3)


def test_that_a_three_term_metalog_through_p10_p50_p90_has_the_closed_form_coefficients():
    f = fit(P10_P50_P90, "metalog")
    assert [f.params["a1"], f.params["a2"], f.params["a3"]] == pytest.approx(
        [20.0, 9.102392, 11.377990], abs=5e-7)
    assert f.feasible
    np.testing.assert_allclose(f.ppf([0.1, 0.5, 0.9]), [10, 20, 50], rtol=1e-12)
    np.testing.assert_allclose(f.cdf(np.array([10.0, 20.0, 50.0])), [0.1, 0.5, 0.9], atol=1e-10)


def test_that_the_metalog_density_integrates_to_one_and_matches_its_cdf():
    f = fit(P10_P50_P90, "metalog")
    x = np.linspace(float(f.ppf(1e-6)), float(f.ppf(1 - 1e-6)), 200001)
    dens = f.pdf(x)
    assert np.all(dens >= 0)
    cum = np.concatenate([[0], np.cumsum(0.5 * (dens[1:] + dens[:-1]) * np.diff(x))])
    np.testing.assert_allclose(cum[-1], 1 - 2e-6, atol=1e-5)
    mid = len(x) // 2
    assert cum[mid] + 1e-6 == pytest.approx(float(f.cdf(x[mid])), abs=1e-5)


def test_that_more_quantiles_than_terms_give_a_least_squares_metalog():
    y = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    x = stats.lognorm(0.5, scale=20).ppf(y)
    m = fit_metalog(y, x, terms=3)
    A = np.stack([np.ones(5), np.log(y / (1 - y)), (y - 0.5) * np.log(y / (1 - y))], axis=1)
    np.testing.assert_allclose(m.a, np.linalg.lstsq(A, x, rcond=None)[0], rtol=1e-12)


def test_that_an_infeasible_metalog_is_flagged():
    m = fit_metalog([0.05, 0.25, 0.5, 0.75, 0.95], [5, 12, 25, 35, 50])
    assert not m.feasible()
    f = fit({0.05: 5, 0.25: 12, 0.5: 25, 0.75: 35, 0.95: 50}, "metalog")
    assert f.feasible and len([k for k in f.params if k.startswith("a")]) < 5


@pytest.mark.parametrize(("family", "ref"), [
    ("normal", stats.norm(30, 8)), ("lognormal", stats.lognorm(0.4, scale=25)),
    ("gamma", stats.gamma(3.0, scale=7.0)), ("uniform", stats.uniform(5, 40)),
])
def test_that_quantiles_of_a_known_distribution_recover_it(family, ref):
    y = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    f = fit(dict(zip(y, ref.ppf(y), strict=True)), family)
    assert f.error < 1e-6
    xs = ref.ppf([0.01, 0.3, 0.99])
    np.testing.assert_allclose(f.cdf(xs), [0.01, 0.3, 0.99], atol=1e-6)


def test_that_pert_and_triangular_fits_recover_their_parameters():
    for family, ref in (("pert", stats.beta(2, 4, loc=10, scale=40)),
                        ("triangular", stats.triang(0.25, loc=10, scale=40))):
        y = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
        f = fit(dict(zip(y, ref.ppf(y), strict=True)), family)
        assert f.error < 1e-6
        assert (f.params["min"], f.params["mode"], f.params["max"]) == pytest.approx(
            (10, 20, 50), abs=1e-4)


def test_that_a_scaled_beta_on_given_bounds_recovers_its_shape():
    ref = stats.beta(2.5, 1.5, loc=0, scale=100)
    y = np.array([0.1, 0.5, 0.9])
    f = fit(dict(zip(y, ref.ppf(y), strict=True)), "beta", lower=0, upper=100)
    assert (f.params["alpha"], f.params["beta"]) == pytest.approx((2.5, 1.5), rel=1e-6)
    d = f.to_distribution()
    assert d.family == "discrete" and d.validate() == []
    assert d.mean() == pytest.approx(ref.mean(), rel=2e-3)


def test_that_threats_with_negative_values_fit_a_mirrored_lognormal():
    f = fit({0.1: -50.0, 0.9: -10.0}, "lognormal")
    d = f.to_distribution()
    assert d.params["sign"] == -1.0
    np.testing.assert_allclose(d.ppf([0.1, 0.9]), [-50.0, -10.0], rtol=1e-9)


def test_that_best_fit_prefers_a_registry_family_when_it_is_as_good():
    ref = stats.norm(100, 15)
    y = [0.1, 0.5, 0.9]
    assert fit(dict(zip(y, ref.ppf(y), strict=True))).family == "normal"
    skewed = fit(P10_P50_P90)  # no native family fits exactly: the exact metalog wins
    assert skewed.family == "metalog" and skewed.error < 1e-12
    assert skewed.to_distribution().family == "discrete"


def test_that_fit_all_ranks_every_family_by_error():
    fits = fit_all(P10_P50_P90)
    assert {f.family for f in fits} == set(FAMILIES)
    errors = [f.error for f in fits]
    assert errors == sorted(errors)


@pytest.mark.parametrize(("quantiles", "message"), [
    ({0.1: 30.0, 0.5: 20.0, 0.9: 50.0}, "P50 = 20 must be above P10 = 30"),
    ({0.1: 10.0, 0.5: math.nan, 0.9: 50.0}, "P50: value is missing"),
    ({0.0: 10.0, 0.9: 50.0}, "P0: level 0 must be strictly between 0 and 1"),
    ({0.5: 10.0}, "at least two quantiles"),
])
def test_that_incoherent_answers_are_reported_by_quantile(quantiles, message):
    with pytest.raises(ValidationError, match=message):
        fit(quantiles, "normal")


def test_that_values_outside_physical_bounds_and_bad_signs_are_reported():
    with pytest.raises(ValidationError, match="P90: 120 is above the upper bound 100"):
        fit({0.1: 10, 0.9: 120}, "normal", lower=0, upper=100)
    with pytest.raises(ValidationError, match="lognormal needs all values of one sign"):
        fit({0.1: -5, 0.9: 10}, "lognormal")
    with pytest.raises(ValidationError, match="unknown family 'weibull'"):
        fit(P10_P50_P90, "weibull")


def test_that_two_quantiles_cannot_fix_a_three_parameter_family():
    with pytest.raises(ValidationError, match="pert has three parameters"):
        fit({0.1: 10.0, 0.9: 50.0}, "pert")
    assert fit({0.1: 10.0, 0.9: 50.0}).family in ("normal", "lognormal", "uniform", "loguniform")


def test_that_best_fit_handles_varied_answers_without_warnings():
    rng = np.random.default_rng(7)
    for _ in range(8):
        scale = 10 ** rng.uniform(-2, 5)
        x = np.sort(scale * (rng.uniform(-2, 2) + rng.uniform(0.05, 2, size=3).cumsum()))
        f = fit(dict(zip([0.1, 0.5, 0.9], x, strict=True)))
        assert f.feasible and f.to_distribution().validate() == []
        assert f.max_error <= 0.25 * (x[-1] - x[0])
