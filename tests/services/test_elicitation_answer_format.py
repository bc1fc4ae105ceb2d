"""Questions answered as min / most likely / max: saving, checks, pooling, format changes, and
workspaces from before the answer format existed."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from scipy import stats

from riskdesk.domain.problems import ValidationError
from riskdesk.services.elicitation import ElicitationService, QuestionSpec
from riskdesk.services.workspace import Workspace

PEOPLE = ("Ingrid Halvorsen", "Tunde Adebayo")


def pert(a: float, m: float, b: float):
    """Independent PERT reference: beta(1 + 4(m-a)/(b-a), 1 + 4(b-m)/(b-a)) on [a, b]."""
    return stats.beta(1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a), loc=a, scale=b - a)


def three_point_session(ws) -> tuple[ElicitationService, int]:
    svc = ElicitationService(ws)
    sid = svc.create_session(
        "Rig delay", "F", (0.1, 0.5, 0.9), PEOPLE,
        (QuestionSpec("S1", realisation=12.0, answer_format="quantiles"),
         QuestionSpec("NS-003 impact", "Cost overrun", "kUSD", risk_id="NS-003",
                      parameter="impact")),
        answer_format="three_point")
    return svc, sid


def answer_seed(svc: ElicitationService, sid: int) -> None:
    svc.answer(sid, "S1", PEOPLE[0], [8, 11, 15])
    svc.answer(sid, "S1", PEOPLE[1], [5, 9, 20])


def test_that_three_point_answers_are_saved_and_incoherent_ones_name_their_field(workspace):
    svc, sid = three_point_session(workspace)
    fmts = {q.code: q.answer_format for q in svc.questions(sid)}
    assert fmts == {"S1": "quantiles", "NS-003 impact": "three_point"}
    svc.answer(sid, "NS-003 impact", PEOPLE[0], [10, 20, 50], "analogue wells")
    assert svc.answers(sid)[("NS-003 impact", PEOPLE[0])].values == (10.0, 20.0, 50.0)
    with pytest.raises(ValidationError) as e:
        svc.answer(sid, "NS-003 impact", PEOPLE[1], [10, 8, 50])
    assert "NS-003 impact/Tunde Adebayo.most likely" in str(e.value)
    assert "must be above the min 10" in str(e.value)
    with pytest.raises(ValidationError):
        svc.answer(sid, "NS-003 impact", PEOPLE[1], [10, 20])
    assert ("NS-003 impact", PEOPLE[1]) not in svc.answers(sid)


def test_that_pooling_three_point_answers_pools_the_fitted_distributions(workspace):
    svc, sid = three_point_session(workspace)
    answers = {PEOPLE[0]: (10.0, 20.0, 50.0), PEOPLE[1]: (15.0, 40.0, 60.0)}
    answer_seed(svc, sid)
    for who, v in answers.items():
        svc.answer(sid, "NS-003 impact", who, list(v))
    out = svc.pool(sid, "user", "equal", 0.0, [3.0, 1.0])
    q = np.array(out.quantiles["NS-003 impact"])
    # the weighted mixture of the two PERT cdfs takes the pooled quantiles to the levels
    mix = 0.75 * pert(*answers[PEOPLE[0]]).cdf(q) + 0.25 * pert(*answers[PEOPLE[1]]).cdf(q)
    np.testing.assert_allclose(mix, [0.1, 0.5, 0.9], atol=1e-9)


def test_that_a_three_point_seed_answer_is_scored_through_its_fitted_quantiles(workspace):
    svc = ElicitationService(workspace)
    sid = svc.create_session("Seeds", "F", (0.05, 0.5, 0.95), PEOPLE,
                             (QuestionSpec("S1", realisation=12.0),),
                             answer_format="three_point", three_point_family="triangular")
    svc.answer(sid, "S1", PEOPLE[0], [5, 10, 30])
    panel = svc.panel(sid)
    ref = stats.triang((10 - 5) / 25, loc=5, scale=25).ppf([0.05, 0.5, 0.95])
    np.testing.assert_allclose(panel.values[0, 0], ref, rtol=1e-12)


def test_that_the_format_changes_only_before_the_first_answer_but_the_family_any_time(
        workspace):
    svc, sid = three_point_session(workspace)
    svc.set_answer_format(sid, "S1", "three_point", "triangular")
    svc.answer(sid, "S1", PEOPLE[0], [5, 10, 30])
    with pytest.raises(ValidationError, match="only before the first answer"):
        svc.set_answer_format(sid, "S1", "quantiles")
    svc.set_answer_format(sid, "S1", "three_point", "pert")
    q = next(q for q in svc.questions(sid) if q.code == "S1")
    assert (q.answer_format, q.three_point_family) == ("three_point", "pert")
    with pytest.raises(ValidationError, match="not one of"):
        svc.set_answer_format(sid, "S1", "three_point", "lognormal")


def test_that_applying_a_three_point_question_keeps_its_family(workspace):
    svc, sid = three_point_session(workspace)
    answer_seed(svc, sid)
    svc.answer(sid, "NS-003 impact", PEOPLE[0], [-50, -20, -10])
    svc.answer(sid, "NS-003 impact", PEOPLE[1], [-60, -30, -15])
    risk = svc.apply(sid, "NS-003 impact", svc.pool(sid, "equal", "equal"))
    assert risk.impact.family == "pert"
    assert "pert" in risk.source


def test_that_a_workspace_from_before_answer_formats_upgrades_and_keeps_working(tmp_path):
    path = tmp_path / "old.riskdesk"
    ws = Workspace.create(path, demo=True)
    svc = ElicitationService(ws)
    sid = svc.create_session("Old", "F", (0.1, 0.5, 0.9), PEOPLE, (QuestionSpec("Q1"),))
    svc.answer(sid, "Q1", PEOPLE[0], [1, 2, 4])
    ws.close()
    con = sqlite3.connect(path)  # back to schema 7: no answer-format columns
    con.execute("ALTER TABLE elicitation_question DROP COLUMN answer_format")
    con.execute("ALTER TABLE elicitation_question DROP COLUMN three_point_family")
    con.execute("DELETE FROM schema_migration WHERE name = 'm008_answer_format'")
    con.execute("PRAGMA user_version = 7")
    con.commit()
    con.close()

    ws = Workspace.open(path)
    try:
        svc = ElicitationService(ws)
        (q,) = svc.questions(sid)
        assert (q.answer_format, q.three_point_family) == ("quantiles", "pert")
        assert svc.answers(sid)[("Q1", PEOPLE[0])].values == (1.0, 2.0, 4.0)
        svc.answer(sid, "Q1", PEOPLE[1], [2, 3, 5])
        svc.add_question(sid, QuestionSpec("Q2", answer_format="three_point"))
        svc.answer(sid, "Q2", PEOPLE[1], [2, 3, 5])
    finally:
        ws.close()
    assert list(tmp_path.glob("old.riskdesk.v7-*.bak"))
