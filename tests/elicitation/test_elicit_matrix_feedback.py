"""Qualitative risk matrix conversion and feedback in words."""

from __future__ import annotations

import math

import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.domain.risk import Risk
from riskdesk.elicitation.feedback import chance, describe_answer, sentence
from riskdesk.elicitation.fitting import fit
from riskdesk.elicitation.matrix import RiskMatrix


def qualitative(l: int = 3, s: int = 4, bu: str = "") -> Risk:  # noqa: E741
    return Risk("Q1", "Late rig", kind="qualitative", likelihood=l, severity=s, business_unit=bu)


def test_that_converting_gives_the_band_midpoint_and_a_pert_inside_the_impact_band():
    m = RiskMatrix()
    r = m.convert(qualitative(3, 4))
    assert r.kind == "quantitative"
    assert r.probability == pytest.approx(0.35)
    assert r.impact.family == "pert"
    assert (r.impact.p("min"), r.impact.p("mode"), r.impact.p("max")) == pytest.approx(
        (-20_000.0, -math.sqrt(5_000 * 20_000), -5_000.0))
    assert r.source == "matrix:v1 L3/I4 pert"
    assert r.validate(12) == []


def test_that_business_units_use_their_own_impact_bands_and_loguniform_is_recorded():
    bands = tuple((10.0 * 10**k, 10.0 * 10 ** (k + 1)) for k in range(5))
    m = RiskMatrix(version="v2", impact={"*": RiskMatrix().impact["*"], "Upstream": bands})
    r = m.convert(qualitative(1, 2, "Upstream"), impact_method="loguniform",
                  probability_method="uniform")
    assert (r.impact.p("min"), r.impact.p("max")) == (-1000.0, -100.0)
    assert r.probability == pytest.approx(0.03)
    assert r.source == "matrix:v2 L1/I2 loguniform p~uniform"
    assert r.impact.mean() == pytest.approx(-(1000 - 100) / math.log(10))


def test_that_the_heat_map_cells_list_qualitative_risks():
    risks = [qualitative(3, 4), Risk("Q2", kind="qualitative", likelihood=3, severity=4),
             Risk("R1", probability=0.5)]
    assert RiskMatrix().cells(risks) == {(3, 4): ["Q1", "Q2"]}


def test_that_a_matrix_round_trips_through_its_dict_form():
    m = RiskMatrix(version="v7")
    assert RiskMatrix.from_dict(m.to_dict()) == m


def test_that_bad_matrices_and_ratings_are_reported():
    with pytest.raises(ValidationError, match=r"likelihood\[2\]: band 0.5-0.2"):
        RiskMatrix.from_dict({"likelihood": [[0, .1], [.5, .2], [.2, .3], [.3, .4], [.4, .5]],
                              "impact": {"*": [[1, 2], [2, 3], [3, 4], [4, 5], [5, 6]]}})
    with pytest.raises(ValidationError, match="needs 5 bands"):
        RiskMatrix.from_dict({"likelihood": [[0, .1]], "impact": {"*": []}})
    with pytest.raises(ValidationError, match="Q1 has no likelihood/severity"):
        RiskMatrix().convert(Risk("Q1", kind="qualitative"))
    with pytest.raises(ValidationError, match="impact rating 7 must be 1-5"):
        RiskMatrix().convert(qualitative(2, 7))


def test_that_quantiles_are_read_back_in_words():
    assert sentence(0.9, 7, "the delay", "months") == \
        "You are saying a 1 in 10 chance the delay exceeds 7 months."
    assert sentence(0.05, 2.5, "the delay", "months") == \
        "You are saying a 1 in 20 chance the delay is below 2.5 months."
    assert chance(0.3) == "a 30% chance"
    q = {0.1: 3, 0.5: 5, 0.9: 7}
    words = describe_answer(q, "the delay", "months", fit(q, "normal"))
    assert "You are 80% sure the delay is between 3 and 7 months." in words
    assert "You are saying the delay is as likely to be above 5 months as below it." in words
    assert words[-1].startswith("Fitted normal distribution: mean 5 months")
