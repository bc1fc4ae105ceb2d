"""Linear and logarithmic opinion pools of fitted distributions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from riskdesk.domain.problems import ValidationError
from riskdesk.elicitation.fitting import fit
from riskdesk.elicitation.pooling import linear_pool, log_pool


def experts():
    return [fit({0.1: 10, 0.5: 20, 0.9: 50}, "lognormal"),
            fit({0.1: 15, 0.5: 30, 0.9: 40}, "pert"),
            fit({0.1: 5, 0.5: 25, 0.9: 45}, "metalog")]


def test_that_linear_pool_quantiles_satisfy_the_weighted_cdf():
    ex = experts()
    w = np.array([1.0, 2.0, 1.0]) / 4
    pool = linear_pool(ex, [1, 2, 1])
    q = np.array([0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99])
    x = pool.ppf(q)
    weighted = sum(wi * e.cdf(x) for wi, e in zip(w, ex, strict=True))
    np.testing.assert_allclose(weighted, q, atol=1e-6)


def test_that_an_equal_weight_pool_of_two_normals_matches_the_mixture():
    a, b = fit({0.1: 0, 0.9: 10}, "normal"), fit({0.1: 20, 0.9: 30}, "normal")
    pool = linear_pool([a, b])
    mix_cdf = lambda x: 0.5 * stats.norm(5, 10 / 2.5631031310892007).cdf(x) + \
        0.5 * stats.norm(25, 10 / 2.5631031310892007).cdf(x)  # noqa: E731
    x = pool.ppf([0.3])[0]
    assert mix_cdf(x) == pytest.approx(0.3, abs=1e-9)
    assert pool.mean() == pytest.approx(15.0, abs=1e-3)


def test_that_a_log_pool_of_two_normals_is_the_precision_weighted_normal():
    # geometric pool of N(m1, s^2) and N(m2, s^2) with weights w, 1-w is N(w m1 + (1-w) m2, s^2)
    a, b = fit({0.1: 0, 0.9: 10}, "normal"), fit({0.1: 6, 0.9: 16}, "normal")
    pool = log_pool([a, b], [0.25, 0.75])
    sd = 10 / (2 * 1.2815515655446004)
    ref = stats.norm(0.25 * 5 + 0.75 * 11, sd)
    np.testing.assert_allclose(pool.ppf([0.1, 0.5, 0.9]), ref.ppf([0.1, 0.5, 0.9]), atol=2e-3)
    assert integrate.trapezoid(pool.pdf(pool.x), pool.x) == pytest.approx(1.0, abs=1e-9)


def test_that_pools_become_valid_registry_distributions():
    d = linear_pool(experts()).to_distribution()
    assert d.family == "discrete" and d.validate() == []


def test_that_bad_weights_and_disjoint_log_pools_are_reported():
    with pytest.raises(ValidationError, match="3 experts but 2 weights"):
        linear_pool(experts(), [1, 2])
    with pytest.raises(ValidationError, match="not all zero"):
        linear_pool(experts(), [0, 0, 0])
    with pytest.raises(ValidationError, match="no expert answered"):
        linear_pool([])
    a = fit({0.1: 0, 0.5: 1, 0.9: 2}, "pert")
    b = fit({0.1: 100, 0.5: 101, 0.9: 102}, "pert")
    with pytest.raises(ValidationError, match="do not overlap"):
        log_pool([a, b])
