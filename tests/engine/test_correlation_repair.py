"""Nearest correlation matrix (Higham 2002)."""

import numpy as np
import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.domain.registry import Registry
from riskdesk.engine.correlation import nearest_correlation
from riskdesk.engine.driver import SimulationSettings, simulate


def test_that_the_published_example_is_repaired_to_highams_answer():
    # Higham (2002), section 4: the nearest correlation matrix to [[1,1,0],[1,1,1],[0,1,1]]
    rep = nearest_correlation(np.array([[1.0, 1, 0], [1, 1, 1], [0, 1, 1]]))
    want = np.array([[1, 0.7607, 0.1573], [0.7607, 1, 0.7607], [0.1573, 0.7607, 1]])
    assert np.allclose(rep.matrix, want, atol=1e-4)
    assert rep.min_eig_before < -0.4 and rep.min_eig_after > -1e-10
    a, b, before, after = rep.moved_pairs(["x", "y", "z"])[0]
    assert {a, b} <= {"x", "y", "z"} and before == 1.0 and after == pytest.approx(0.7607, 1e-4)


def test_that_a_repaired_matrix_is_a_correlation_matrix_no_farther_than_other_valid_ones():
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (8, 8))
    a = (a + a.T) / 2
    np.fill_diagonal(a, 1.0)
    rep = nearest_correlation(a)
    m = rep.matrix
    assert np.allclose(m, m.T) and np.allclose(np.diag(m), 1.0)
    assert np.linalg.eigvalsh(m).min() > -1e-9
    for _ in range(200):  # any other valid matrix nearby is not closer
        g = rng.standard_normal((8, 12))
        other = np.corrcoef(g)
        mix = 0.9 * m + 0.1 * other
        assert np.linalg.norm(mix - a) >= rep.distance - 1e-9


def test_that_a_valid_matrix_is_left_unchanged():
    m = np.array([[1.0, 0.3], [0.3, 1.0]])
    rep = nearest_correlation(m)
    assert np.array_equal(rep.matrix, m) and rep.iterations == 0


def _bad_registry() -> Registry:
    risks = [{"id": r, "probability": 0.5, "impact": {"dist": "uniform", "min": -10, "max": 0},
              "phasing": {"type": "window", "start": 0, "length": 1}} for r in "ABC"]
    return Registry.from_dict({"name": "bad", "months": 2, "risks": risks, "correlation": {
        "matrix": [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]}})


def test_that_a_non_psd_matrix_is_refused_without_consent_and_repaired_with_it():
    with pytest.raises(ValidationError) as err:
        simulate(_bad_registry(), settings=SimulationSettings(iterations=1000))
    assert "semi-definite" in str(err.value) and "consent" in str(err.value)
    res = simulate(_bad_registry(), settings=SimulationSettings(iterations=1000,
                                                                repair_correlation=True))
    rep = res.manifest["correlation"]["repair"]
    assert rep["min_eig_before"] < 0 and rep["min_eig_after"] > -1e-10
    assert rep["moved_pairs"]
