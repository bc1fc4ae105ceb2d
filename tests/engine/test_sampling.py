"""Each impact family, sampled by the compiled kernels, against its closed form."""

import math

import numpy as np
import pytest
from scipy import special as sp

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.registry import Registry
from riskdesk.engine.driver import SimulationSettings, simulate
from riskdesk.engine.special import ndtri

FAMILIES = [
    {"dist": "triangular", "min": -900, "mode": -400, "max": -250},
    {"dist": "pert", "min": -500, "mode": -100, "max": 50},
    {"dist": "pert", "min": 0, "mode": 0, "max": 10},
    {"dist": "uniform", "min": -10, "max": 30},
    {"dist": "loguniform", "min": -1000, "max": -10},
    {"dist": "loguniform", "min": 5, "max": 500},
    {"dist": "normal", "mean": 100, "sd": 30},
    {"dist": "lognormal", "mean": 300, "sd": 200, "sign": -1},
    {"dist": "lognormal", "mean": 50, "sd": 10, "sign": 1},
    {"dist": "discrete", "values": [-10, 5, 20], "probs": [0.2, 0.5, 0.3]},
    {"dist": "fixed", "value": -7},
]


def _single(impact: dict, p: float = 1.0) -> Registry:
    return Registry.from_dict({"name": "one", "months": 3, "risks": [
        {"id": "R", "probability": p, "impact": impact,
         "phasing": {"type": "window", "start": 0, "length": 2}}]})


@pytest.mark.parametrize("impact", FAMILIES, ids=lambda d: d["dist"])
def test_that_each_family_is_sampled_with_its_closed_form_mean_variance_and_quantiles(impact):
    d = Distribution.from_dict(impact)
    n = 40_000
    res = simulate(_single(impact), settings=SimulationSettings(iterations=n, seed=3,
                                                                sampling="mc"))
    x = res.totals["ebitda"]
    sd = math.sqrt(d.variance())
    assert abs(x.mean() - d.mean()) <= 4 * sd / math.sqrt(n) + 1e-9
    if sd > 0:
        kurt = float(np.mean((x - x.mean()) ** 4) / x.var() ** 2)
        se_var = d.variance() * math.sqrt((kurt - 1) / n)
        assert abs(x.var() - d.variance()) <= 5 * se_var
        for q in (0.1, 0.5, 0.9):  # sample quantile inside its order-statistic 99.9 % band
            s = np.sort(x)
            half = 3.3 * math.sqrt(n * q * (1 - q))
            lo, hi = s[int(n * q - half)], s[min(int(n * q + half), n - 1)]
            assert lo <= float(d.ppf(q)) <= hi


def test_that_latin_hypercube_puts_one_draw_in_each_stratum_of_a_block():
    res = simulate(_single({"dist": "uniform", "min": 0, "max": 1}),
                   settings=SimulationSettings(iterations=1024, seed=9, sampling="lhs"))
    strata = np.floor(res.totals["ebitda"] * 1024).astype(int)
    assert sorted(strata.tolist()) == list(range(1024))


def test_that_occurrence_happens_with_the_risk_probability():
    n = 20_000
    res = simulate(_single({"dist": "fixed", "value": -1.0}, p=0.3),
                   settings=SimulationSettings(iterations=n, seed=4, sampling="mc"))
    rate = float(np.mean(res.totals["ebitda"] != 0))
    assert abs(rate - 0.3) <= 4 * math.sqrt(0.3 * 0.7 / n)


def test_that_the_inverse_normal_matches_scipy_to_double_precision():
    ps = np.concatenate([np.geomspace(1e-300, 0.5, 400), 1 - np.geomspace(1e-16, 0.5, 400)])
    ours = np.array([ndtri(p) for p in ps])
    assert np.allclose(ours, sp.ndtri(ps), rtol=1e-14, atol=1e-14)
