"""The Elicitation screen driven by keyboard: live fit, coherence checks, autosave, pause/resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from riskdesk.services.elicitation import ElicitationService, QuestionSpec
from riskdesk.ui.panels.elicitation import ElicitationPanel
from riskdesk.ui.panels.elicitation_form import AUTOSAVE_MS

DATA = Path(__file__).resolve().parents[2] / "../shared/data/cooke"


@pytest.fixture
def session(workspace):
    people = tuple(p.name for p in workspace.people())
    return ElicitationService(workspace).create_session(
        "Compressor trips", "F", (0.1, 0.5, 0.9), people,
        (QuestionSpec("S1", "Trips on Beta platform in 2025", "trips", realisation=7.0),
         QuestionSpec("NS-001", "Revenue lost if the compressor trips again", "kUSD",
                      risk_id="NS-001", parameter="impact")))


@pytest.fixture
def panel(qtbot, state, session):
    w = ElicitationPanel(state)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.open_form(session)
    return w


def type_answer(qtbot, form, values: list[str]) -> None:
    for k, v in enumerate(values):
        field = form.fields[k]
        assert field.hasFocus(), f"field {k} should have the keyboard focus"
        field.selectAll()
        qtbot.keyClicks(field, v)
        qtbot.keyClick(field, Qt.Key.Key_Return)


def select_session(panel, sid: int) -> None:
    panel.table.selectRow(next(r for r in range(panel.table.rowCount())
                               if panel.table.item(r, 0).text() == str(sid)))


def pool(qtbot, res) -> None:
    """Pool in the background worker and wait for it to finish."""
    w = res.run()
    assert w is not None
    qtbot.waitUntil(lambda: not w.running and res.pool_button.text() == "Pool", timeout=20000)


def saved(workspace, session, question="S1"):
    ans = ElicitationService(workspace).answers(session)
    return {k: a.values for k, a in ans.items() if k[0] == question}


def test_that_typed_quantiles_update_the_fit_and_feedback_and_autosave(qtbot, panel, workspace,
                                                                       session):
    form = panel.form
    form.family.setCurrentIndex(form.family.findData("metalog"))
    form.fields[0].setFocus()
    type_answer(qtbot, form, ["10", "20", "50"])
    assert form.rationale.hasFocus()  # Enter walked through the fields
    qtbot.keyClicks(form.rationale, "Last winter's log")
    f = form.last_fit
    assert f is not None and f.family == "metalog"
    assert [f.params["a1"], f.params["a2"], f.params["a3"]] == pytest.approx(
        [20, 9.102392, 11.377990], abs=5e-7)
    x, _ = form.chart.cdf_curve.getData()
    assert len(x) == 400
    assert "You are saying a 1 in 10 chance it exceeds 50 trips." in form.words.text()
    qtbot.waitUntil(lambda: saved(workspace, session) != {}, timeout=5 * AUTOSAVE_MS)
    person = form.current_expert
    assert saved(workspace, session) == {("S1", person): (10.0, 20.0, 50.0)}
    assert ElicitationService(workspace).answers(session)[("S1", person)].rationale == \
        "Last winter's log"


def test_that_an_incoherent_entry_is_flagged_not_saved_and_then_fixed(qtbot, panel, workspace,
                                                                     session):
    form = panel.form
    form.fields[0].setFocus()
    type_answer(qtbot, form, ["30", "20", "50"])
    assert "P50 = 20 must be above P10 = 30" in form.field_msgs[1].text()  # beside P50
    assert form.fields[1].styleSheet() != ""  # the offending field is highlighted
    assert form.last_fit is None
    qtbot.wait(3 * AUTOSAVE_MS)
    assert saved(workspace, session) == {}
    assert form.save_label.text().startswith("Not saved")
    form.fields[0].setFocus()
    form.fields[0].selectAll()
    qtbot.keyClicks(form.fields[0], "10")
    assert form.problems.text() == ""
    assert form.last_fit is not None
    qtbot.waitUntil(lambda: saved(workspace, session) != {}, timeout=5 * AUTOSAVE_MS)
    assert list(saved(workspace, session).values()) == [(10.0, 20.0, 50.0)]


def test_that_a_paused_session_resumes_at_its_question_and_expert(qtbot, panel, state,
                                                                  workspace, session):
    form = panel.form
    form.fields[0].setFocus()
    qtbot.keyClick(form.fields[0], Qt.Key.Key_PageDown)
    assert form.current_question.code == "NS-001"
    qtbot.keyClick(form.fields[0], Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    second = form.current_expert
    assert second == form.experts[1].label
    type_answer(qtbot, form, ["-4200", "-1800", "-900"])
    qtbot.keyClick(form.rationale, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    svc = ElicitationService(workspace)
    info = svc.session(session)
    assert (info.status, info.position, info.expert_position) == ("paused", 1, 1)
    assert svc.answers(session)[("NS-001", second)].values == (-4200.0, -1800.0, -900.0)
    row = next(r for r in range(panel.table.rowCount())
               if panel.table.item(r, 0).text() == str(session))
    assert panel.table.item(row, 2).text() == "paused"

    again = ElicitationPanel(state)  # e.g. after restarting the app
    qtbot.addWidget(again)
    again.open_form(session)
    assert again.form.current_question.code == "NS-001"
    assert again.form.current_expert == second
    assert [e.text() for e in again.form.fields] == ["-4200", "-1800", "-900"]
    assert svc.session(session).status == "active"


def test_that_results_show_scores_and_the_matrix_converts_a_risk(qtbot, panel, state, workspace):
    sid = panel.import_files(str(DATA / "tobacco.dtt"), str(DATA / "tobacco.rls"))
    panel.table.selectRow(panel.table.rowCount() - 1)
    panel.open_results()
    pool(qtbot, panel.results)
    t = panel.results.table
    assert t.rowCount() == 8
    row = {t.item(r, 0).text(): r for r in range(t.rowCount())}
    assert t.item(row["Ex7"], 3).text() == "1.000"
    assert t.item(row["Ex1"], 1).text() == "0.03698"
    assert "α = 0.6876" in panel.results.message.text()
    assert sid is not None

    m = panel.matrix
    m.reload()
    for i in range(m.risks.count()):
        m.risks.item(i).setSelected(m.risks.item(i).data(Qt.ItemDataRole.UserRole) == "LNG-004")
    m.convert()
    from riskdesk.services.registry import RegistryService

    risk = RegistryService(workspace).risk("LNG-004")
    assert risk.kind == "quantitative" and risk.source == "matrix:v1 L4/I2 pert"
    assert "LNG-004" not in [m.risks.item(i).data(Qt.ItemDataRole.UserRole)
                             for i in range(m.risks.count())]


def test_that_bad_excalibur_files_are_reported_without_crashing(qtbot, panel, tmp_path,
                                                                monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    (tmp_path / "x.dtt").write_text("not an excalibur file\n")
    assert panel.import_files(str(tmp_path / "x.dtt"), str(DATA / "tobacco.rls")) is None
    assert "not an Excalibur header" in shown[0]


def test_that_the_main_window_opens_the_elicitation_screen(qtbot, state):
    from riskdesk.ui.main_window import MainWindow

    win = MainWindow(state)
    qtbot.addWidget(win)
    assert isinstance(win.show_screen("elicitation"), ElicitationPanel)


def test_that_robustness_fills_its_table_and_problems_do_not_crash(qtbot, panel, session):
    select_session(panel, session)
    panel.open_results()
    pool(qtbot, panel.results)  # Cooke cannot pool the small session: only one seed question
    assert "Cannot pool" in panel.results.message.text()
    assert "at least 5" in panel.results.message.text()
    panel.results.run_robustness()
    assert panel.results.robust.rowCount() == 0
    sid = panel.import_files(str(DATA / "Arkansas.dtt"), str(DATA / "Arkansas.rls"))
    panel.results.load(sid)
    panel.results.leave_out.setCurrentIndex(1)
    w = panel.results.run_robustness()
    qtbot.waitUntil(lambda: not w.running and  # done comes after every queued row
                    panel.results.robust_button.text() == "Robustness", timeout=30000)
    r = panel.results.robust
    assert [r.item(i, 0).text() for i in range(r.rowCount())] == ["AR01", "AR03", "AR06", "AR07"]


def test_that_a_new_session_is_created_from_the_dialog_and_opens_the_form(qtbot, panel,
                                                                           monkeypatch,
                                                                           workspace):
    from PySide6.QtWidgets import QDialog

    from riskdesk.ui.panels import elicitation as screen

    def fill(dlg):
        if not dlg.name.text():  # first attempt: a bad seed value is reported in the dialog
            dlg.name.setText("Weather days")
            dlg.questions.setPlainText("S1 | Days lost last winter | days | seed=abc")
            return QDialog.DialogCode.Accepted
        if "abc" in dlg.questions.toPlainText():
            assert "seed value 'abc' is not a number" in dlg.error.text()
            dlg.questions.setPlainText("S1 | Days lost last winter | days | seed=14\n"
                                       "Q1 | Probability of a storm stop | | NS-002:probability")
            return QDialog.DialogCode.Accepted
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(screen.NewSessionDialog, "exec", fill)
    panel.new_session()
    svc = ElicitationService(workspace)
    info = svc.sessions()[-1]
    assert info.name == "Weather days" and info.seeds == 1
    assert len(info.experts) == len(workspace.people())
    q1 = svc.questions(info.id)[1]
    assert (q1.risk_id, q1.parameter, q1.lower, q1.upper) == ("NS-002", "probability", 0.0, 1.0)
    assert panel.tabs.currentWidget() is panel.form
    assert panel.form.current_question.code == "S1"


def test_that_a_pooled_question_is_applied_to_its_risk_from_the_results(qtbot, panel, workspace,
                                                                         session):
    svc = ElicitationService(workspace)
    answers = (([5, 8, 12], [-4200, -1800, -900]), ([4, 6, 9], [-5000, -2500, -1000]))
    for k, e in enumerate(svc.experts(session)):
        s1, imp = answers[k % 2]
        svc.answer(session, "S1", e.label, s1)
        svc.answer(session, "NS-001", e.label, imp)
    panel.reload()
    select_session(panel, session)
    panel.open_results()
    res = panel.results
    res.method.setCurrentIndex(res.method.findText("Equal weights"))
    pool(qtbot, res)
    res.question.setCurrentIndex(res.question.findData("NS-001"))
    assert res.apply_button.isEnabled()
    x, _ = res.chart.pooled.getData()
    assert len(x) == 3
    res.apply_button.click()
    from riskdesk.services.registry import RegistryService

    risk = RegistryService(workspace).risk("NS-001")
    assert risk.source.startswith(f"elicitation:session {session}/NS-001 result ")
    assert "Applied to NS-001" in res.message.text()


def test_that_opening_another_workspace_closes_the_open_session(qtbot, panel, state, tmp_path):
    from riskdesk.services.workspace import Workspace

    assert panel.form.sid is not None
    state.set_workspace(Workspace.create(tmp_path / "other.riskdesk"))
    assert panel.form.sid is None
    assert panel.table.rowCount() == 0
    assert panel.tabs.currentIndex() == 0


def test_that_the_form_keeps_an_unsaveable_answer_until_it_is_fixed_or_discarded(
        qtbot, panel, workspace, session):
    form = panel.form
    form.fields[0].setFocus()
    type_answer(qtbot, form, ["30", "20", "50"])
    for key, mod in ((Qt.Key.Key_PageDown, Qt.KeyboardModifier.NoModifier),
                     (Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier),
                     (Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)):
        qtbot.keyClick(form.rationale, key, mod)
        assert (form.current_question.code, form.current_expert) == ("S1", form.experts[0].label)
        assert [e.text() for e in form.fields] == ["30", "20", "50"]
        assert "Esc" in form.save_label.text()
    assert ElicitationService(workspace).session(session).status == "active"
    form.expert.setCurrentIndex(1)  # with the mouse: refused the same way
    assert form.current_expert == form.experts[0].label
    qtbot.keyClick(form.fields[0], Qt.Key.Key_Escape)
    assert [e.text() for e in form.fields] == ["", "", ""]
    assert not form.dirty
    qtbot.keyClick(form.fields[0], Qt.Key.Key_PageDown)
    assert form.current_question.code == "NS-001"
    assert saved(workspace, session) == {}


def test_that_an_answer_typed_before_choosing_another_expert_is_saved_for_its_own_expert(
        qtbot, panel, workspace, session):
    form = panel.form
    first = form.current_expert
    form.fields[0].setFocus()
    type_answer(qtbot, form, ["5", "7", "12"])
    form.expert.setCurrentIndex(1)  # before the autosave timer fires
    assert saved(workspace, session) == {("S1", first): (5.0, 7.0, 12.0)}
    assert [e.text() for e in form.fields] == ["", "", ""]


def test_that_the_pool_chart_names_each_expert_with_weight_and_marks_a_seeds_realisation(
        qtbot, panel):
    panel.import_files(str(DATA / "tobacco.dtt"), str(DATA / "tobacco.rls"))
    panel.table.selectRow(panel.table.rowCount() - 1)
    panel.open_results()
    res = panel.results
    pool(qtbot, res)
    seed = next(i for i in range(res.question.count())
                if res.question.itemText(i).endswith("(seed)"))
    res.question.setCurrentIndex(seed)
    names = [label.text for _item, label in res.chart.legend.items]
    assert "Ex7 (weight 1.00)" in names and "Ex1 (weight 0.00)" in names
    assert names[-1] == "pooled" and len(names) == 8
    q = res.questions[res.question.currentData()]
    assert res.chart.realisation.isVisible()
    assert res.chart.realisation.value() == pytest.approx(q.realisation)
    target = next(i for i in range(res.question.count())
                  if not res.question.itemText(i).endswith("(seed)"))
    res.question.setCurrentIndex(target)
    assert not res.chart.realisation.isVisible()


def test_that_applying_a_pooled_result_and_converting_a_risk_can_be_undone(qtbot, state,
                                                                          workspace):
    from riskdesk.services.registry import RegistryService

    reg = RegistryService(workspace)
    before = {rid: reg.risk(rid) for rid in ("WA-001", "LNG-004")}
    w = ElicitationPanel(state)
    qtbot.addWidget(w)
    select_session(w, 1)  # the demo panel, whose T2 sets WA-001's probability
    w.open_results()
    res = w.results
    pool(qtbot, res)
    res.question.setCurrentIndex(res.question.findData("T2"))
    res.apply_button.click()
    assert reg.risk("WA-001").source.startswith("elicitation:session 1/T2")
    assert "Ctrl+Z" in res.message.text()
    m = w.matrix
    m.reload()
    for i in range(m.risks.count()):
        m.risks.item(i).setSelected(m.risks.item(i).data(Qt.ItemDataRole.UserRole) == "LNG-004")
    m.convert()
    assert reg.risk("LNG-004").kind == "quantitative"
    state.undo_stack.undo()
    assert reg.risk("LNG-004") == before["LNG-004"]
    state.undo_stack.undo()
    assert reg.risk("WA-001") == before["WA-001"]
    state.undo_stack.redo()
    state.undo_stack.redo()
    assert reg.risk("WA-001").source.startswith("elicitation:session 1/T2")
    assert reg.risk("LNG-004").source.startswith("matrix:")


def test_that_a_closed_session_is_read_only_until_reopened(qtbot, panel, workspace, session):
    svc = ElicitationService(workspace)
    panel.tabs.setCurrentIndex(0)  # the Sessions tab, where the button is
    select_session(panel, session)
    panel.toggle_closed()
    assert svc.session(session).status == "closed"
    form = panel.form
    assert form.fields[0].isReadOnly() and "read-only" in form.save_label.text()
    qtbot.keyClicks(form.fields[0], "5")
    assert form.fields[0].text() == ""
    from riskdesk.domain.problems import ValidationError

    with pytest.raises(ValidationError, match="closed"):
        svc.answer(session, "S1", form.current_expert, [5.0, 7.0, 12.0])
    panel.toggle_closed()
    assert svc.session(session).status == "active"
    assert not form.fields[0].isReadOnly()
    panel.open_form(session)
    type_answer(qtbot, form, ["5", "7", "12"])
    qtbot.waitUntil(lambda: saved(workspace, session) != {}, timeout=5 * AUTOSAVE_MS)


def test_that_reloading_the_visible_form_gives_the_first_field_the_focus(qtbot, panel, session):
    assert panel.tabs.currentWidget() is panel.form
    panel.form.load(session)
    assert panel.form.fields[0].hasFocus()


def test_that_questions_pasted_from_excel_columns_are_read():
    from riskdesk.ui.panels.elicitation import parse_questions

    qs = parse_questions("S1\tDays lost last winter\tdays\tseed=14\r\n"
                         "Q1\tCost of the overrun\tkUSD\tNS-003:impact\tLOG\r\n")
    assert [(q.code, q.units, q.realisation, q.risk_id, q.parameter, q.scale) for q in qs] == [
        ("S1", "days", 14.0, "", "", "UNI"),
        ("Q1", "kUSD", None, "NS-003", "impact", "LOG")]


def test_that_robustness_runs_in_the_background_and_can_be_cancelled(qtbot, panel):
    sid = panel.import_files(str(DATA / "Topaz.dtt"), str(DATA / "Topaz.rls"))
    res = panel.results
    res.load(sid)
    w = res.run_robustness()
    assert w is not None and w.running and res.robust_button.text() == "Cancel"
    qtbot.waitUntil(lambda: res.robust.rowCount() >= 1, timeout=30000)
    res.robust_button.click()  # cancels
    qtbot.waitUntil(lambda: not w.running and res.robust_button.text() == "Robustness",
                    timeout=30000)  # the button resets on done, after every queued signal
    assert "cancelled" in res.message.text()
    assert 1 <= res.robust.rowCount() < 49 and res.robust_button.text() == "Robustness"


def test_that_excalibur_export_adds_the_file_suffixes(qtbot, panel, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    sid = panel.import_files(str(DATA / "tobacco.dtt"), str(DATA / "tobacco.rls"))
    select_session(panel, sid)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "tobacco-copy"), ""))
    panel.export_excalibur()
    assert sorted(p.name for p in tmp_path.glob("tobacco-copy*")) == ["tobacco-copy.dtt",
                                                                      "tobacco-copy.rls"]


def test_that_the_risk_matrix_is_edited_in_the_gui_with_a_new_version_and_undone(
        qtbot, state, workspace):
    from PySide6.QtWidgets import QDialogButtonBox, QTableWidgetItem

    w = ElicitationPanel(state)
    qtbot.addWidget(w)
    svc = ElicitationService(workspace)
    dlg = w.matrix.edit_matrix()
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dlg.likelihood.setItem(1, 1, QTableWidgetItem("25%"))  # L2 5%-25%
    dlg.likelihood.setItem(2, 0, QTableWidgetItem("25%"))
    assert not ok.isEnabled() and "new version" in dlg.problems.text()
    dlg.version.setText("v2")
    assert ok.isEnabled(), dlg.problems.text()
    dlg.add_bu.setCurrentText("LNG")
    dlg.add_business_unit()
    dlg.impact.setItem(4, 2 * dlg.keys.index("LNG") + 1, QTableWidgetItem("abc"))
    assert not ok.isEnabled() and "I5 LNG to" in dlg.problems.text()
    dlg.impact.setItem(4, 2 * dlg.keys.index("LNG") + 1, QTableWidgetItem("250,000"))
    ok.click()
    m = svc.matrix()
    assert m.version == "v2" and m.likelihood[1] == (0.05, 0.25)
    assert m.impact["LNG"][4] == (20000.0, 250000.0)
    assert "Matrix v2" in w.matrix.bands.text()
    state.undo_stack.undo()
    assert svc.matrix().version == "v1"
    assert "Matrix v1" in w.matrix.bands.text()


def test_that_a_qualitative_opportunity_converts_with_a_positive_impact(qtbot, state, workspace):
    from riskdesk.services.registry import RegistryService

    w = ElicitationPanel(state)
    qtbot.addWidget(w)
    m = w.matrix
    for i in range(m.risks.count()):
        m.risks.item(i).setSelected(m.risks.item(i).data(Qt.ItemDataRole.UserRole) == "RF-004")
    m.opportunity.setChecked(True)
    m.probability.setCurrentIndex(m.probability.findData("uniform"))
    m.convert()
    risk = RegistryService(workspace).risk("RF-004")
    assert risk.impact.mean() > 0
    assert risk.source == "matrix:v1 L3/I4 pert p~uniform"


def test_that_user_weights_pool_from_the_results_tab(qtbot, state):
    w = ElicitationPanel(state)
    qtbot.addWidget(w)
    select_session(w, 1)
    w.open_results()
    res = w.results
    res.method.setCurrentIndex(res.method.findText("User weights"))
    assert res.user_weights.isEnabled()
    res.user_weights.setText("2, 1, x")
    res.run()
    assert "Cannot pool" in res.message.text() and "'x' is not a number" in res.message.text()
    res.user_weights.setText("2, 1, 1")
    pool(qtbot, res)
    weights = [res.table.item(r, 3).text() for r in range(res.table.rowCount() - 1)]
    assert weights == ["0.500", "0.250", "0.250"]
    assert res.outcome.method == "user"
    res.method.setCurrentIndex(res.method.findText("Equal weights"))
    assert not res.user_weights.isEnabled()


def test_that_the_family_for_applying_a_pooled_result_can_be_chosen(qtbot, state, workspace):
    from riskdesk.services.registry import RegistryService

    w = ElicitationPanel(state)
    qtbot.addWidget(w)
    select_session(w, 1)
    w.open_results()
    res = w.results
    pool(qtbot, res)
    res.question.setCurrentIndex(res.question.findData("T1"))  # NS-002 impact
    res.apply_family.setCurrentIndex(res.apply_family.findData("triangular"))
    res.apply_button.click()
    risk = RegistryService(workspace).risk("NS-002")
    assert risk.impact.family == "triangular" and risk.source.endswith(" triangular")


def test_that_an_expert_new_to_the_workspace_is_added_from_the_session_dialog(
        qtbot, panel, monkeypatch, workspace):
    from PySide6.QtWidgets import QDialog

    from riskdesk.ui.panels import elicitation as screen

    def fill(dlg):
        dlg.name.setText("Shipping panel")
        dlg.new_expert.setText("Ingrid Halvorsen")  # already a person: refused in the dialog
        dlg.add_expert()
        assert "already" in dlg.error.text()
        dlg.new_expert.setText("Kwame Mensah")
        qtbot.keyClick(dlg.new_expert, Qt.Key.Key_Return)
        assert "Kwame Mensah" in dlg.chosen_experts()
        dlg.questions.setPlainText("Q1 | Freight cost | kUSD | LNG-002:impact")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(screen.NewSessionDialog, "exec", fill)
    panel.new_session()
    info = ElicitationService(workspace).sessions()[-1]
    assert "Kwame Mensah" in info.experts
    assert "Kwame Mensah" in [p.name for p in workspace.people()]


def test_that_enter_in_the_new_expert_field_does_not_close_the_dialog(qtbot, workspace):
    from riskdesk.ui.panels.elicitation import NewSessionDialog

    dlg = NewSessionDialog(["Ingrid Halvorsen"], add_person=workspace.add_person)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.new_expert.setFocus()
    qtbot.keyClicks(dlg.new_expert, "Kwame Mensah")
    qtbot.keyClick(dlg.new_expert, Qt.Key.Key_Return)
    assert dlg.isVisible() and dlg.result() == 0
    assert dlg.chosen_experts() == ("Ingrid Halvorsen", "Kwame Mensah")


def test_that_long_texts_do_not_widen_the_elicitation_screen(qtbot, state):
    w = ElicitationPanel(state)
    qtbot.addWidget(w)
    before = w.minimumSizeHint().width()
    w.open_form(1)  # the closed demo session: long title, status and fit texts
    w.form.go(7)
    assert w.minimumSizeHint().width() <= max(before, 1000)
