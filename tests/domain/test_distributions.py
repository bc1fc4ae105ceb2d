"""Distribution rules and closed forms, checked against scipy.stats as an independent reference."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.risk import Phasing

Q = np.array([0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99])


def _reference(d: Distribution):  # type: ignore[no-untyped-def]
    p = d.params
    if d.family == "triangular":
        a, m, b = p["min"], p["mode"], p["max"]
        return stats.triang((m - a) / (b - a), loc=a, scale=b - a)
    if d.family == "pert":
        a, m, b = p["min"], p["mode"], p["max"]
        return stats.beta(1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a), loc=a,
                          scale=b - a)
    if d.family == "uniform":
        return stats.uniform(p["min"], p["max"] - p["min"])
    if d.family == "loguniform":
        return stats.loguniform(p["min"], p["max"])
    if d.family == "normal":
        return stats.norm(p["mean"], p["sd"])
    if d.family == "lognormal":
        s2 = math.log(1 + (p["sd"] / p["mean"]) ** 2)
        return stats.lognorm(math.sqrt(s2), scale=math.exp(math.log(p["mean"]) - s2 / 2))
    raise AssertionError(d.family)


CASES = [
    Distribution("triangular", {"min": -900.0, "mode": -400.0, "max": -250.0}),
    Distribution("pert", {"min": 10.0, "mode": 20.0, "max": 50.0}),
    Distribution("uniform", {"min": -3.0, "max": 7.0}),
    Distribution("loguniform", {"min": 2.0, "max": 200.0}),
    Distribution("normal", {"mean": 5.0, "sd": 2.0}),
    Distribution("lognormal", {"mean": 100.0, "sd": 30.0, "sign": 1.0}),
]


@pytest.mark.parametrize("d", CASES, ids=lambda d: d.family)
def test_that_moments_and_quantiles_match_scipy(d: Distribution) -> None:
    ref = _reference(d)
    assert d.mean() == pytest.approx(ref.mean(), rel=1e-12)
    assert d.variance() == pytest.approx(ref.var(), rel=1e-10)
    np.testing.assert_allclose(d.ppf(Q), ref.ppf(Q), rtol=1e-9)
    x = ref.ppf(Q[1:-1])
    np.testing.assert_allclose(d.pdf(x), ref.pdf(x), rtol=1e-9)
    np.testing.assert_allclose(d.cdf(x), Q[1:-1], atol=2e-4)


def test_that_pert_has_the_textbook_shape_and_mean() -> None:
    d = CASES[1]
    assert d.pert_shape() == (2.0, 4.0)
    assert d.mean() == pytest.approx(23.3333333, abs=1e-6)


def test_that_a_threat_lognormal_mirrors_the_magnitude() -> None:
    up = Distribution("lognormal", {"mean": 100.0, "sd": 30.0, "sign": 1.0})
    down = Distribution("lognormal", {"mean": 100.0, "sd": 30.0, "sign": -1.0})
    np.testing.assert_allclose(down.ppf(Q), -up.ppf(1 - Q), rtol=1e-12)
    assert down.mean() == -100.0


def test_that_negative_loguniform_mirrors_the_positive_one() -> None:
    pos = Distribution("loguniform", {"min": 2.0, "max": 200.0})
    neg = Distribution("loguniform", {"min": -200.0, "max": -2.0})
    np.testing.assert_allclose(neg.ppf(Q), -pos.ppf(1 - Q), rtol=1e-12)
    assert neg.mean() == pytest.approx(-pos.mean())


def test_that_discrete_quantiles_step_through_the_support() -> None:
    d = Distribution("discrete", {"values": [-5.0, -1.0, 0.0], "probs": [0.2, 0.3, 0.5]})
    assert list(d.ppf([0.1, 0.2, 0.21, 0.5, 0.51, 1.0])) == [-5, -5, -1, -1, 0, 0]
    assert d.mean() == pytest.approx(-1.3)
    assert d.variance() == pytest.approx(0.2 * 25 + 0.3 * 1 - 1.69)


@pytest.mark.parametrize("d, where, text", [
    (Distribution("pert", {"min": 5.0, "mode": 1.0, "max": 9.0}), "impact.mode", "min 5 > mode 1"),
    (Distribution("triangular", {"min": 1.0, "mode": 1.0, "max": 1.0}), "impact.max", "above"),
    (Distribution("uniform", {"min": 3.0, "max": 3.0}), "impact.max", "above min"),
    (Distribution("normal", {"mean": 0.0, "sd": 0.0}), "impact.sd", "> 0"),
    (Distribution("lognormal", {"mean": -4.0, "sd": 1.0, "sign": 1.0}), "impact.mean", "sign -1"),
    (Distribution("lognormal", {"mean": 4.0, "sd": 1.0, "sign": 2.0}), "impact.sign", "1 or -1"),
    (Distribution("loguniform", {"min": -1.0, "max": 5.0}), "impact.min", "same sign"),
    (Distribution("discrete", {"values": [1.0], "probs": [0.7]}), "impact.probs", "sum to 0.7"),
    (Distribution("gamma", {"k": 1.0}), "impact.dist", "unknown distribution"),
    (Distribution("pert", {"min": 1.0, "max": 2.0}), "impact.mode", "needs parameter"),
    (Distribution("normal", {"mean": "x", "sd": 1.0}), "impact.mean", "not a number"),
    (Distribution("fixed", {"value": float("nan")}), "impact.value", "finite"),
])
def test_that_invalid_parameters_name_the_field(d: Distribution, where: str, text: str) -> None:
    problems = d.validate()
    assert any(p.where == where and text in p.message for p in problems), problems


def test_that_window_phasing_drops_shares_past_the_horizon() -> None:
    w = Phasing.window(10, 4).weights_over(12)
    assert w[10] == w[11] == 0.25 and w.sum() == pytest.approx(0.5)
    p = Phasing.profile([3, 4, 9], [0.5, 0.25, 0.25]).weights_over(6)
    assert list(p[[3, 4]]) == [0.5, 0.25] and p.sum() == pytest.approx(0.75)
