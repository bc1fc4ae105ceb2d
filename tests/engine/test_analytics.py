"""Plot-ready reductions: tornado, convergence, histogram, S-curve."""

import numpy as np
import pytest

from riskdesk.domain.registry import Registry
from riskdesk.engine import analytics
from riskdesk.engine.driver import SimulationSettings, simulate


def test_that_tornado_swings_are_the_p50_shift_of_forcing_a_risk_off_and_on():
    reg = Registry.from_dict({"name": "t", "months": 2, "risks": [
        {"id": "big", "probability": 0.5, "impact": {"dist": "fixed", "value": -100},
         "phasing": {"type": "window", "start": 0}},
        {"id": "small", "probability": 0.5, "impact": {"dist": "uniform", "min": -2, "max": 0},
         "phasing": {"type": "window", "start": 1}}]})
    res = simulate(reg, settings=SimulationSettings(iterations=20_000, seed=1))
    bars = {b.risk_id: b for b in res.tornado["ebitda"]}
    assert res.tornado["ebitda"][0].risk_id == "big"
    assert bars["big"].swing == pytest.approx(-100, abs=1e-3)
    assert bars["big"].variance_share == pytest.approx(0.9999, abs=1e-3)
    assert sum(b.variance_share for b in bars.values()) == pytest.approx(1.0, abs=1e-9)
    top, others = analytics.top_n(res.tornado["ebitda"], 1)
    assert [b.risk_id for b in top] == ["big"] and others == pytest.approx(
        bars["small"].variance_share)


@pytest.mark.parametrize("n", [1, 2, 3, 10, 4000, 4001])
def test_that_tornado_medians_equal_numpy_percentiles_exactly(n):
    """The compiled P50-swing kernel gives numpy's linear median bit for bit (odd and even n)."""
    rng = np.random.default_rng(n)
    z = rng.normal(size=n) * 100
    contrib = (rng.normal(size=(n, 6)) * (rng.random((n, 6)) < 0.3)).astype(np.float32)
    on = rng.normal(size=(n, 6)).astype(np.float32)
    include = np.array([True, False, True, True, False, True])
    bars = analytics.tornado([f"r{i}" for i in range(6)], contrib, on, z, np.zeros(6),
                             np.zeros(6), 0.0, 1.0, n, include=include)
    got = {b.risk_id: (b.p50_off, b.p50_on) for b in bars}
    off = z[:, None] - contrib[:, include]
    want_off = np.percentile(off, 50, axis=0)
    want_on = np.percentile(off + on[:, include], 50, axis=0)
    for j, i in enumerate(np.flatnonzero(include)):
        assert got[f"r{i}"] == (want_off[j], want_on[j])
    assert got["r1"] == got["r4"] == (np.percentile(z, 50),) * 2  # excluded: no swing


def test_that_convergence_intervals_cover_the_true_quantile_and_narrow():
    z = np.random.default_rng(0).standard_normal(100_000)
    conv = analytics.convergence(z, points=12)
    assert conv.n[-1] == 100_000
    j = conv.quantiles.index(0.9)
    assert conv.lower[-1, j] <= 1.2815515655 <= conv.upper[-1, j]
    width = conv.upper[:, j] - conv.lower[:, j]
    assert width[-1] < width[0] / 10


def test_that_the_p90_half_width_matches_the_normal_theory_value():
    z = np.random.default_rng(1).standard_normal(200_000)
    # s.e. of the P90 of N(0,1): sqrt(q(1-q)/n) / phi(z_q)
    se = np.sqrt(0.09 / 200_000) / (np.exp(-0.5 * 1.2815515655**2) / np.sqrt(2 * np.pi))
    assert analytics.p90_halfwidth(z) == pytest.approx(1.96 * se, rel=0.05)


def test_that_histogram_and_s_curve_describe_the_totals():
    z = np.random.default_rng(2).uniform(0, 1, 10_000)
    edges, counts = analytics.histogram(z, bins=10)
    assert counts.sum() == 10_000 and len(edges) == 11
    x, p = analytics.s_curve(z, points=11)
    assert p[5] == 0.5 and x[5] == pytest.approx(np.median(z))
    assert np.all(np.diff(x) >= 0)
