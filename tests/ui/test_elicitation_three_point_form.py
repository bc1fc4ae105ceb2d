"""The elicitation form on min / most likely / max questions, driven by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from riskdesk.services.elicitation import ElicitationService, QuestionSpec
from riskdesk.ui.panels.elicitation import ElicitationPanel
from riskdesk.ui.panels.elicitation_form import AUTOSAVE_MS, format_index


@pytest.fixture
def session(workspace):
    people = tuple(p.name for p in workspace.people())
    return ElicitationService(workspace).create_session(
        "Rig delay", "F", (0.1, 0.5, 0.9), people,
        (QuestionSpec("NS-001", "Revenue lost if the compressor trips again", "kUSD",
                      risk_id="NS-001", parameter="impact"),
         QuestionSpec("S1", "Trips on Beta platform in 2025", "trips", realisation=7.0,
                      answer_format="quantiles")),
        answer_format="three_point")


@pytest.fixture
def panel(qtbot, state, session):
    w = ElicitationPanel(state)
    qtbot.addWidget(w)
    w.resize(1200, 760)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.open_form(session)
    return w


def type_fields(qtbot, form, values: list[str]) -> None:
    for k, v in enumerate(values):
        field = form.fields[k]
        assert field.hasFocus(), f"field {k} should have the keyboard focus"
        field.selectAll()
        qtbot.keyClicks(field, v)
        qtbot.keyClick(field, Qt.Key.Key_Return)


def saved(workspace, session):
    return {k: a.values for k, a in ElicitationService(workspace).answers(session).items()}


def test_that_min_most_likely_max_are_typed_fitted_as_pert_and_autosaved(qtbot, panel,
                                                                         workspace, session):
    form = panel.form
    assert [e.accessibleName() for e in form.fields] == ["min", "most likely", "max"]
    assert not form.family.isEnabled()  # the family comes from the answer format
    type_fields(qtbot, form, ["10", "20", "50"])
    assert form.rationale.hasFocus()
    f = form.last_fit
    assert f is not None and f.family == "pert"
    assert (f.params["alpha"], f.params["beta"]) == pytest.approx((2.0, 4.0), abs=1e-12)
    assert "PERT(10, 20, 50)" in form.fit_label.text()
    assert "cannot be below 10 kUSD or above 50 kUSD, and is most likely about 20 kUSD" in \
        form.words.text()
    assert "and its mean is 23.33 kUSD." in form.words.text()  # PERT(10, 20, 50) mean 23.3333
    x, _ = form.chart.cdf_curve.getData()
    assert len(x) == 400
    person = form.current_expert
    qtbot.waitUntil(lambda: saved(workspace, session) != {}, timeout=5 * AUTOSAVE_MS)
    assert saved(workspace, session) == {("NS-001", person): (10.0, 20.0, 50.0)}


def test_that_an_incoherent_most_likely_is_explained_next_to_its_field_and_not_saved(
        qtbot, panel, workspace, session):
    form = panel.form
    type_fields(qtbot, form, ["10", "5", "50"])
    assert "must be above the min 10" in form.field_msgs[1].text()
    assert form.field_msgs[0].text() == "" and form.field_msgs[2].text() == ""
    assert form.fields[1].styleSheet() != ""
    assert form.last_fit is None
    qtbot.wait(3 * AUTOSAVE_MS)
    assert saved(workspace, session) == {}
    form.fields[1].setFocus()
    form.fields[1].selectAll()
    qtbot.keyClicks(form.fields[1], "12")
    assert form.field_msgs[1].text() == "" and form.problems.text() == ""
    assert form.last_fit is not None
    qtbot.waitUntil(lambda: saved(workspace, session) != {}, timeout=5 * AUTOSAVE_MS)
    assert list(saved(workspace, session).values()) == [(10.0, 12.0, 50.0)]


def test_that_the_next_question_keeps_its_quantiles_and_the_format_is_switched_in_the_form(
        qtbot, panel, workspace, session):
    form = panel.form
    qtbot.keyClick(form.fields[0], Qt.Key.Key_PageDown)
    assert form.current_question.code == "S1"
    assert [e.accessibleName() for e in form.fields] == ["P10", "P50", "P90"]
    form.answer_format.setCurrentIndex(format_index("three_point", "triangular"))
    assert [e.accessibleName() for e in form.fields] == ["min", "most likely", "max"]
    type_fields(qtbot, form, ["2", "6", "14"])
    assert form.last_fit is not None and form.last_fit.family == "triangular"
    qtbot.waitUntil(lambda: saved(workspace, session) != {}, timeout=5 * AUTOSAVE_MS)
    # answered: switching back to quantiles is refused and said so
    form.answer_format.setCurrentIndex(format_index("quantiles"))
    assert "only before the first answer" in form.save_label.text()
    assert form.answer_format.currentData() == ("three_point", "triangular")
    q = next(q for q in ElicitationService(workspace).questions(session) if q.code == "S1")
    assert q.answer_format == "three_point"


def test_that_a_new_session_can_default_to_three_point_answers(qtbot, panel, monkeypatch,
                                                               workspace):
    from PySide6.QtWidgets import QDialog

    from riskdesk.ui.panels import elicitation as screen

    def fill(dlg):
        dlg.name.setText("Weather days")
        dlg.answer_format.setCurrentIndex(format_index("three_point", "pert"))
        dlg.questions.setPlainText("Q1 | Days lost | days\n"
                                   "Q2 | Storm stops | | | | quantiles\n"
                                   "Q3 | Crane downtime | h | | | triangular")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(screen.NewSessionDialog, "exec", fill)
    panel.new_session()
    svc = ElicitationService(workspace)
    qs = svc.questions(svc.sessions()[-1].id)
    assert [(q.answer_format, q.three_point_family) for q in qs] == [
        ("three_point", "pert"), ("quantiles", "pert"), ("three_point", "triangular")]
    assert [e.accessibleName() for e in panel.form.fields] == ["min", "most likely", "max"]
