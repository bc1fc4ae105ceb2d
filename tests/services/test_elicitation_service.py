"""Elicitation sessions in a real workspace file: answers, pooling, applying, converting."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.services.elicitation import ElicitationService, QuestionSpec
from riskdesk.services.registry import RegistryService
from riskdesk.storage.repos.audit import entries

DATA = Path(__file__).resolve().parents[2] / "../shared/data/cooke"
PEOPLE = ("Ingrid Halvorsen", "Tunde Adebayo")


def audit_actions(ws) -> list[str]:
    with ws.read() as s:
        return [e.action for e in entries(s)]


def meeting(ws) -> tuple[ElicitationService, int]:
    """Two experts, three seed questions and one impact question on risk NS-003."""
    svc = ElicitationService(ws)
    qs = (QuestionSpec("S1", realisation=12.0), QuestionSpec("S2", realisation=40.0),
          QuestionSpec("S3", realisation=3.0, scale="LOG"),
          QuestionSpec("NS-003 impact", "Cost overrun if it happens", "kUSD",
                       risk_id="NS-003", parameter="impact"))
    sid = svc.create_session("Well intervention", "Facilitator F", (0.1, 0.5, 0.9), PEOPLE, qs)
    return svc, sid


def test_that_an_imported_excalibur_case_pools_to_the_published_scores(workspace):
    svc = ElicitationService(workspace)
    sid = svc.import_excalibur(DATA / "tobacco.dtt", DATA / "tobacco.rls")
    info = svc.session(sid)
    assert (len(info.experts), info.questions, info.seeds) == (7, 21, 10)
    out = svc.pool(sid, "cooke", "global", alpha=0.0)
    ex1 = next(e for e in out.experts if e["id"] == "Ex1")
    assert ex1["calibration"] == pytest.approx(0.03698194554, rel=1e-6)
    assert ex1["information"] == pytest.approx(0.9291252051, rel=1e-6)
    assert out.decision_maker["combined"] == pytest.approx(0.3503260549, rel=1e-6)
    best = svc.pool(sid, "cooke", "global", alpha=None)
    assert best.decision_maker["alpha"] == pytest.approx(0.6875868657, rel=1e-6)
    assert "elicitation.import" in audit_actions(workspace)


def test_that_answers_are_saved_and_incoherent_ones_write_nothing(workspace):
    svc, sid = meeting(workspace)
    svc.answer(sid, "S1", PEOPLE[0], [8, 11, 15], "from the 2024 campaign")
    n_audit = len(audit_actions(workspace))
    with pytest.raises(ValidationError, match=r"S2/Ingrid Halvorsen\.P50: P50 = 20 must be "
                                              r"above P10 = 30"):
        svc.answer(sid, "S2", PEOPLE[0], [30, 20, 50])
    with pytest.raises(ValidationError, match="must be > 0 on a LOG-scale question"):
        svc.answer(sid, "S3", PEOPLE[0], [-1, 2, 5])
    assert len(audit_actions(workspace)) == n_audit
    assert svc.answers(sid) == {("S1", PEOPLE[0]): svc.answers(sid)[("S1", PEOPLE[0])]}
    assert svc.answers(sid)[("S1", PEOPLE[0])].values == (8, 11, 15)
    svc.answer(sid, "S1", PEOPLE[0], [9, 11, 14])  # an edit replaces the answer
    assert svc.answers(sid)[("S1", PEOPLE[0])].values == (9, 11, 14)


def test_that_a_paused_session_resumes_where_it_stopped(workspace, tmp_path):
    svc, sid = meeting(workspace)
    svc.pause(sid, position=2, expert_position=1)
    path = workspace.path
    workspace.close()
    from riskdesk.services.workspace import Workspace

    with Workspace.open(path) as ws2:
        svc2 = ElicitationService(ws2)
        assert svc2.session(sid).status == "paused"
        assert svc2.resume(sid) == (2, 1)
        assert svc2.session(sid).status == "active"
        assert audit_actions(ws2)[-2:] == ["elicitation.pause", "elicitation.resume"]


def answer_all(svc: ElicitationService, sid: int) -> None:
    a, b = PEOPLE
    for who, vals in ((a, {"S1": [8, 11, 15], "S2": [30, 38, 45], "S3": [1, 2.5, 6],
                           "NS-003 impact": [-2500, -1200, -500]}),
                      (b, {"S1": [5, 20, 30], "S2": [10, 15, 20], "S3": [4, 8, 20],
                           "NS-003 impact": [-3000, -2000, -800]})):
        for q, v in vals.items():
            svc.answer(sid, q, who, v)


def test_that_an_expert_without_answers_is_reported_when_pooling(workspace):
    svc, sid = meeting(workspace)
    svc.answer(sid, "S1", PEOPLE[0], [8, 11, 15])
    with pytest.raises(ValidationError, match="expert Tunde Adebayo: the expert has no answers"):
        svc.pool(sid, "equal")


def test_that_cooke_needs_enough_seed_questions(workspace):
    svc, sid = meeting(workspace)
    answer_all(svc, sid)
    with pytest.raises(ValidationError, match="3 seed item.*at least 5"):
        svc.pool(sid, "cooke")
    out = svc.pool(sid, "equal")  # equal weights still score the experts on the 3 seeds
    assert [e["weight"] for e in out.experts] == [0.5, 0.5]
    assert all(0 <= e["calibration"] <= 1 for e in out.experts)


def test_that_a_pooled_result_is_applied_with_a_link_back(workspace):
    svc, sid = meeting(workspace)
    answer_all(svc, sid)
    out = svc.pool(sid, "user", user_weights=[3, 1])
    risk = svc.apply(sid, "NS-003 impact", out, family="pert")
    draft = RegistryService(workspace).risk("NS-003")
    assert draft.impact == risk.impact and draft.impact.family == "pert"
    assert draft.source.startswith(f"elicitation:session {sid}/NS-003 impact result ")
    res = svc.results("NS-003")[-1]
    assert [e["weight"] for e in res["experts"]] == [0.75, 0.25]
    assert res["method"] == "user" and res["fit"]["family"] == "pert"
    # the applied pert reproduces the pooled median closely
    assert float(draft.impact.ppf([0.5])[0]) == pytest.approx(res["pooled"][1], rel=0.05)
    actions = audit_actions(workspace)
    assert actions[-2:] == ["elicitation.apply", "risk.update"]


def test_that_a_qualitative_risk_converts_through_the_matrix(workspace):
    svc = ElicitationService(workspace)
    risk = svc.convert_qualitative("NS-007", impact_method="loguniform")
    assert risk.kind == "quantitative" and risk.impact.family == "loguniform"
    assert risk.source == "matrix:v1 L2/I4 loguniform"
    assert RegistryService(workspace).risk("NS-007") == risk
    assert audit_actions(workspace)[-1] == "risk.convert"
    with pytest.raises(ValidationError, match="already quantitative"):
        svc.convert_qualitative("NS-007")


def test_that_a_session_exports_to_excalibur_files_that_read_back(workspace, tmp_path):
    from riskdesk.io.excalibur import load_case

    svc = ElicitationService(workspace)
    sid = svc.import_excalibur(DATA / "Arkansas.dtt", DATA / "Arkansas.rls")
    svc.export_excalibur(sid, tmp_path / "a.dtt", tmp_path / "a.rls")
    a, b = load_case(tmp_path / "a.dtt", tmp_path / "a.rls"), \
        load_case(DATA / "Arkansas.dtt", DATA / "Arkansas.rls")
    np.testing.assert_allclose(a.values, b.values, rtol=1e-5)
    assert json.dumps(a.experts) == json.dumps(b.experts)


def test_that_robustness_leaves_each_seed_question_out(workspace):
    svc = ElicitationService(workspace)
    sid = svc.import_excalibur(DATA / "tobacco.dtt", DATA / "tobacco.rls")
    rows = svc.robustness(sid, "items", alpha=None)
    assert len(rows) == 10
    assert rows[0]["removed"] == "$TAdProm2005"
    assert all(0 <= r["calibration"] <= 1 for r in rows)
    with pytest.raises(ValidationError, match="leave out 'items' or 'experts'"):
        svc.robustness(sid, "questions")


def test_that_the_risk_matrix_is_stored_and_used_for_conversion(workspace):
    from riskdesk.elicitation.matrix import RiskMatrix

    svc = ElicitationService(workspace)
    bands = tuple((float(10 ** k), float(10 ** (k + 1))) for k in range(5))
    svc.set_matrix(RiskMatrix(version="v2", impact={"*": bands}))
    assert svc.matrix().version == "v2"
    risk = svc.convert_qualitative("WA-006", "uniform")  # L3 / I3
    assert (risk.impact.p("min"), risk.impact.p("max")) == (-1_000.0, -100.0)  # band 100-1000
    assert risk.source == "matrix:v2 L3/I3 uniform"
    assert audit_actions(workspace)[-2:] == ["matrix.update", "risk.convert"]


def test_that_item_weights_are_summarised_as_mean_normalised_item_weights(workspace):
    svc = ElicitationService(workspace)
    sid = svc.import_excalibur(DATA / "tobacco.dtt", DATA / "tobacco.rls")
    out = svc.pool(sid, "cooke", "item", alpha=0.0)
    assert sum(e["weight"] for e in out.experts) == pytest.approx(1.0)
    res = cooke_item_reference(svc.panel(sid))
    assert [e["weight"] for e in out.experts] == pytest.approx(res, rel=1e-12)


def cooke_item_reference(panel):
    from riskdesk.elicitation.cooke import classical_model

    w = classical_model(panel, "item", 0.0).dm.weights  # (experts, items), all answered here
    return list((w / w.sum(axis=0)).mean(axis=1))


@pytest.mark.parametrize("alpha, says", [(2.0, "below 1"), (-0.1, "at least 0"),
                                         (0.9, "the highest is 0.6876")])
def test_that_a_cooke_alpha_no_expert_passes_is_refused_not_pooled_to_nothing(workspace, alpha,
                                                                              says):
    svc = ElicitationService(workspace)
    sid = svc.import_excalibur(DATA / "tobacco.dtt", DATA / "tobacco.rls")
    with pytest.raises(ValidationError) as e:
        svc.pool(sid, "cooke", "global", alpha=alpha)
    assert says in str(e.value)
    assert svc.pool(sid, "cooke", "global", alpha=0.5).decision_maker["combined"] > 0


def test_that_an_elicited_impact_takes_a_qualitative_risks_probability_from_the_matrix(
        workspace):
    svc = ElicitationService(workspace)
    reg = RegistryService(workspace)
    before = reg.risk("NS-007")
    assert before.kind == "qualitative" and before.likelihood == 2
    sid = svc.create_session("Helicopters", "F", (0.1, 0.5, 0.9), PEOPLE, (
        QuestionSpec("H1", "Cost of a month without helicopters", "kUSD", risk_id="NS-007",
                     parameter="impact"),))
    svc.answer(sid, "H1", PEOPLE[0], [-3000.0, -1500.0, -800.0])
    svc.answer(sid, "H1", PEOPLE[1], [-2500.0, -1200.0, -600.0])
    risk = svc.apply(sid, "H1", svc.pool(sid, "equal"))
    assert risk.kind == "quantitative"
    assert risk.probability == pytest.approx(svc.matrix().probability(2))
    assert risk.probability != before.probability
    assert risk.source.endswith("; probability matrix:v1 L2 midpoint")


def test_that_a_question_on_a_risk_missing_from_the_registry_is_refused(workspace):
    svc = ElicitationService(workspace)
    with pytest.raises(ValidationError, match="risk 'XX-9' is not in the draft registry"):
        svc.create_session("Typo", "F", (0.1, 0.5, 0.9), PEOPLE, (
            QuestionSpec("Q1", "Cost", "kUSD", risk_id="XX-9", parameter="impact"),))
    assert [s.name for s in svc.sessions()] == ["Demo: North Sea and West Africa panel"]
