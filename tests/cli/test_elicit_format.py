"""``riskdesk elicit format``: show and set how a session's questions are answered."""

from __future__ import annotations

import json

from riskdesk.cli import main
from riskdesk.services.elicitation import ElicitationService, QuestionSpec

PEOPLE = ("Ingrid Halvorsen", "Tunde Adebayo")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_that_questions_are_switched_to_three_points_and_answered_that_way(workspace, capsys):
    svc = ElicitationService(workspace)
    sid = svc.create_session("Rig", "F", (0.1, 0.5, 0.9), PEOPLE,
                             (QuestionSpec("Q1"), QuestionSpec("Q2")))
    w = str(workspace.path)
    rc, out, _ = run(capsys, "elicit", "format", str(sid), "Q2", "--as", "triangular",
                     "--workspace", w, "--json")
    assert rc == 0
    assert json.loads(out) == [{"question": "Q2", "answer_format": "three_point",
                                "three_point_family": "triangular"}]
    rc, out, _ = run(capsys, "elicit", "format", str(sid), "--workspace", w)
    assert "Q1                   quantiles" in out
    assert "min / most likely / max (triangular)" in out
    svc.answer(sid, "Q2", PEOPLE[0], [1, 2, 6])  # three values now fit the question
    rc, _, err = run(capsys, "elicit", "format", str(sid), "Q2", "--as", "quantiles",
                     "--workspace", w)
    assert rc != 0 and "only before the first answer" in err
    rc, _, err = run(capsys, "elicit", "format", str(sid), "Q9", "--as", "pert",
                     "--workspace", w)
    assert rc != 0 and "no question Q9" in err
