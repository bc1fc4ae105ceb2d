"""Registry screen: inline edits, undo, TSV copy/paste, filters, delete, import/export, freeze."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit

from riskdesk.domain.risk import Risk
from riskdesk.domain.risk_table import COLUMNS
from riskdesk.services.registry import RegistryService
from riskdesk.ui.panels.registry import RegistryPanel
from riskdesk.ui.panels.registry_model import KEYS, RISK_ROLE
from riskdesk.ui.tsv import format_tsv, parse_tsv


@pytest.fixture
def panel(qtbot, state):  # type: ignore[no-untyped-def]
    p = RegistryPanel(state)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    return p


def _show(panel, qtbot):  # type: ignore[no-untyped-def]
    panel.show()
    panel.windowHandle().requestActivate()  # shortcuts only fire in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel)


def _index(panel, risk_id, key):  # type: ignore[no-untyped-def]
    src = panel.model.index(panel.model.row_of(risk_id), KEYS.index(key))
    return panel.proxy.mapFromSource(src)


def _draft(state):  # type: ignore[no-untyped-def]
    return RegistryService(state.workspace).draft()


def test_that_typing_in_a_probability_cell_stores_it_and_undo_restores_it(panel, state, qtbot):
    _show(panel, qtbot)
    idx = _index(panel, "NS-001", "probability")
    panel.table.setCurrentIndex(idx)
    panel.table.edit(idx)
    editor = panel.table.findChild(QLineEdit)
    assert editor is not None and editor.text() == "0.45"
    editor.selectAll()
    qtbot.keyClicks(editor, "60%")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: state.undo_stack.count() == 1)
    assert _draft(state).risk("NS-001").probability == pytest.approx(0.6)
    assert _index(panel, "NS-001", "probability").data() == "60%"
    state.undo_stack.undo()
    assert _draft(state).risk("NS-001").probability == pytest.approx(0.45)
    assert _index(panel, "NS-001", "probability").data() == "45%"
    state.undo_stack.redo()
    assert _draft(state).risk("NS-001").probability == pytest.approx(0.6)


@pytest.mark.parametrize(("key", "text", "reason"), [
    ("probability", "1.4", "outside 0-1"),
    ("probability", "likely", "not a number"),
    ("impact", "PERT(-100, -500, -50)", "min -100 > mode -500"),
    ("impact", "Gamma(1, 2)", "unknown distribution"),
    ("kind", "maybe", "not one of"),
    ("id", "NS-002", "already used"),
])
def test_that_a_bad_cell_value_is_refused_with_a_reason_and_nothing_is_stored(
        panel, state, qtbot, key, text, reason):
    before = _draft(state)
    messages: list[str] = []
    state.status_message.connect(messages.append)
    with qtbot.waitSignal(panel.model.edit_refused) as sig:
        assert panel.proxy.setData(_index(panel, "NS-001", key), text) is False
    assert reason in sig.args[1]
    assert any(reason in m for m in messages)
    assert _draft(state) == before
    assert state.undo_stack.count() == 0


def test_that_an_impact_typed_as_text_is_stored_as_that_distribution(panel, state):
    assert panel.proxy.setData(_index(panel, "NS-003", "impact"), "Triangular(-500, -300, -100)")
    d = _draft(state).risk("NS-003").impact
    assert d.family == "triangular" and d.params == {"min": -500, "mode": -300, "max": -100}
    assert _index(panel, "NS-003", "ev").data() == "-150"  # p·E[X] = 0.5 × -300


def test_that_renaming_a_risk_id_keeps_its_place_and_undo_renames_back(panel, state):
    pos = _draft(state).ids.index("NS-004")
    assert panel.proxy.setData(_index(panel, "NS-004", "id"), "NS-104")
    assert _draft(state).ids[pos] == "NS-104"
    state.undo_stack.undo()
    assert _draft(state).ids[pos] == "NS-004"


def test_that_copied_risks_are_a_tsv_block_with_the_template_header(panel, state):
    panel.select_ids(["NS-001", "WA-003"])
    text = panel.copy_selected()
    assert QGuiApplication.clipboard().text() == text
    rows = parse_tsv(text)
    assert rows[0] == [c.header for c in COLUMNS]
    assert [r[0] for r in rows[1:]] == ["NS-001", "WA-003"]
    # the description contains no tab, but a quote/newline would be quoted the Excel way
    assert "\r\n" in text
    # pasting the same block back changes nothing (same values)
    before = _draft(state)
    assert panel.paste() == []
    assert _draft(state) == before


def test_that_pasting_a_tsv_block_adds_rows_and_undo_removes_them(panel, state):
    panel.select_ids(["NS-001", "NS-002"])
    rows = parse_tsv(panel.copy_selected())
    rows[1][0], rows[2][0] = "NS-101", "NS-102"
    rows[1][1] = 'Compressor "B" trip\tsecond train'
    n = len(_draft(state).risks)
    assert panel.paste_text(format_tsv(rows)) == []
    draft = _draft(state)
    assert len(draft.risks) == n + 2
    assert draft.risk("NS-101").title == 'Compressor "B" trip\tsecond train'
    assert draft.risk("NS-102").impact == draft.risk("NS-002").impact
    assert sorted(panel.selected_ids()) == ["NS-101", "NS-102"]
    state.undo_stack.undo()
    assert "NS-101" not in _draft(state).ids and len(_draft(state).risks) == n


def test_that_a_headerless_paste_uses_the_template_column_order(panel, state):
    row = ["X-1", "Pump failure", "", "Tunde Adebayo", "LNG", "technical", "open",
           "quantitative", "25%", "triangular", "-300", "-200", "-100"]
    assert panel.paste_text("\t".join(row) + "\r\n") == []
    r = _draft(state).risk("X-1")
    assert r.probability == pytest.approx(0.25) and r.impact.mean() == pytest.approx(-200)


def test_that_a_bad_tsv_paste_writes_nothing_and_reports_every_cell(panel, state):
    head = [c.header for c in COLUMNS]
    good = ["OK-1", "fine", "", "", "LNG", "technical", "open", "quantitative", "0.2",
            "pert", "-30", "-20", "-10"]
    bad_p = ["BAD-1", "prob", "", "", "LNG", "technical", "open", "quantitative", "1.4",
             "pert", "-30", "-20", "-10"]
    bad_d = ["BAD-2", "dist", "", "", "LNG", "technical", "open", "quantitative", "0.3",
             "weird", "-30", "-20", "-10"]
    before = _draft(state)
    problems = panel.paste_text(format_tsv([head, good, bad_p, bad_d]))
    where = [p.where for p in problems]
    assert "row 3, column I (Probability)" in where
    assert "row 4, column J (Distribution)" in where
    assert _draft(state) == before and state.undo_stack.count() == 0
    dlg = panel.problems_dialog
    assert dlg is not None and dlg.isVisible()
    assert dlg.table.rowCount() == len(problems)
    assert dlg.table.item(0, 0).text() == problems[0].where


def test_that_delete_and_undo_put_risks_back_in_their_places(panel, state, qtbot):
    ids = _draft(state).ids
    _show(panel, qtbot)
    panel.select_ids(["NS-002", "WA-001"])
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert "NS-002" not in _draft(state).ids and "WA-001" not in _draft(state).ids
    state.undo_stack.undo()
    assert _draft(state).ids == ids


def test_that_search_and_filters_narrow_the_rows(panel, state):
    panel.search.setText("compressor")
    assert panel.proxy.rowCount() == 1
    panel.search.setText("")
    panel.bu_filter.setCurrentIndex(panel.bu_filter.findData("West Africa"))
    wa = [r for r in _draft(state).risks if r.business_unit == "West Africa"]
    assert panel.proxy.rowCount() == len(wa)
    panel.kind_filter.setCurrentIndex(panel.kind_filter.findData("qualitative"))
    shown = [panel.proxy.index(i, 0).data(RISK_ROLE) for i in range(panel.proxy.rowCount())]
    assert shown and all(r.kind == "qualitative" and r.business_unit == "West Africa"
                         for r in shown)
    assert f"({len(shown)} shown)" in panel.summary.text()


def test_that_sorting_by_expected_value_is_numeric(panel):
    col = KEYS.index("ev")
    panel.table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    risks = [panel.proxy.index(i, 0).data(RISK_ROLE) for i in range(panel.proxy.rowCount())]
    evs = [r.expected_value() for r in risks if r.kind == "quantitative"]
    assert evs == sorted(evs)


def test_that_the_risk_editor_opens_on_enter_and_saves_through_undo(panel, state, qtbot):
    _show(panel, qtbot)
    panel.select_ids(["NS-003"])
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    ed = panel.editor
    assert ed is not None and ed.isVisible() and ed.id_edit.text() == "NS-003"
    ed.probability.setText("0.7")
    ed.accept()
    assert _draft(state).risk("NS-003").probability == pytest.approx(0.7)
    state.undo_stack.undo()
    assert _draft(state).risk("NS-003").probability == pytest.approx(0.5)


def test_that_ctrl_n_opens_a_new_risk_that_is_added_on_ok(panel, state, qtbot):
    _show(panel, qtbot)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    ed = panel.editor
    assert ed is not None and ed.windowTitle() == "New risk"
    ed.title_edit.setText("Pipeline corrosion")
    ed.accept()
    new_id = ed.id_edit.text()
    assert _draft(state).risk(new_id).title == "Pipeline corrosion"


def test_that_export_then_import_previews_changes_and_applies(panel, state, tmp_path):
    path = panel.export_file(tmp_path / "reg.json", reveal_reason="edit and re-import")
    doc = json.loads(path.read_text())
    doc["risks"][0]["probability"] = 0.05
    path.write_text(json.dumps(doc))
    dlg = panel.import_file(path)
    assert dlg is not None
    assert dlg.preview.changed == ["NS-001"] and dlg.preview.added == []
    dlg.accept()
    assert _draft(state).risk("NS-001").probability == pytest.approx(0.05)
    state.undo_stack.undo()
    assert _draft(state).risk("NS-001").probability == pytest.approx(0.45)


def test_that_a_bad_import_lists_problems_and_writes_nothing(panel, state, tmp_path):
    path = panel.export_file(tmp_path / "reg.xlsx", reveal_reason="test a bad edit")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Risks"]
    col = [c.value for c in ws[1]].index("Probability") + 1
    ws.cell(2, col, 1.4)
    wb.save(path)
    before = _draft(state)
    assert panel.import_file(path) is None
    dlg = panel.problems_dialog
    assert dlg is not None and dlg.isVisible()
    assert any(p.where.startswith("Risks!") and "outside 0-1" in p.message
               for p in dlg.problems)
    assert _draft(state) == before


def test_that_the_template_is_written(panel, tmp_path):
    p = panel.save_template(tmp_path / "t.xlsx")
    assert p is not None and p.stat().st_size > 0


def test_that_a_version_frozen_here_appears_in_the_versions_screen(panel, state, qtbot):
    from riskdesk.ui.panels.versions import VersionsPanel

    versions = VersionsPanel(state)
    qtbot.addWidget(versions)
    n = versions.table.rowCount()
    info = panel.freeze("Quarterly review")
    assert info is not None
    assert versions.table.rowCount() == n + 1
    assert versions.table.item(0, 0).text() == str(info.number)
    assert versions.table.item(0, 6).text() == "Quarterly review"


def test_that_ctrl_f_puts_the_cursor_in_the_search_box(panel, qtbot):
    _show(panel, qtbot)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert panel.search.hasFocus()


def test_that_opening_an_empty_workspace_empties_the_table_and_actions_explain(
        panel, state, empty_workspace, tmp_path):
    state.set_workspace(empty_workspace)
    assert panel.model.rowCount() == 0
    assert panel.export_file(tmp_path / "x.json", reveal_reason="r") is None
    assert "no registry" in panel.problems_dialog.problems[0].message
    problems = panel.save_risk(Risk("N-1"), None)
    assert problems and "no registry" in problems[0].message


def test_that_a_new_business_unit_typed_in_a_cell_appears_in_the_filter(panel):
    assert panel.proxy.setData(_index(panel, "NS-008", "business_unit"), "Trading")
    assert panel.bu_filter.findData("Trading") > 0


def test_that_a_risk_and_its_correlation_are_saved_and_undone_together(panel, state):
    ed = panel.open_editor("NS-001")
    ed.probability.setText("0.5")
    ed.set_pair("NS-004", 0.25)
    ed.accept()
    draft = _draft(state)
    assert draft.risk("NS-001").probability == pytest.approx(0.5)
    assert draft.correlation.rho("NS-001", "NS-004") == pytest.approx(0.25)
    assert state.undo_stack.count() == 1
    state.undo_stack.undo()
    draft = _draft(state)
    assert draft.risk("NS-001").probability == pytest.approx(0.45)
    assert draft.correlation.rho("NS-001", "NS-004") == draft.correlation.between


def test_that_export_redacts_owners_in_a_worker_by_default(panel, state, qtbot, tmp_path):
    path = tmp_path / "shared.xlsx"
    worker = panel.export_file(path)
    assert worker is not None and not panel.act_share.isEnabled()
    with qtbot.waitSignal(worker.done, timeout=60000):
        pass
    assert panel.act_share.isEnabled()
    from openpyxl import load_workbook

    cells = [str(c.value) for row in load_workbook(path)["Risks"].iter_rows() for c in row
             if c.value is not None]
    assert "NS-001" in cells
    assert not any("Ingrid Halvorsen" in c or "Tunde Adebayo" in c for c in cells)


def test_that_original_text_needs_a_reason_which_is_audited(panel, state, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from riskdesk.services.governance import GovernanceService

    path = panel.export_file(tmp_path / "orig.xlsx", reveal_reason="board pack for the CFO")
    assert load_workbook(path)["Risks"]["D2"].value == "Ingrid Halvorsen"
    rows = GovernanceService(state.workspace).audit_rows()
    assert any(r.action == "pii.reveal" for r in rows)
    # cancelling the choice writes nothing
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "cancel.xlsx"), ""))
    monkeypatch.setattr(type(panel), "_ask_reveal_reason", lambda self: None)
    assert panel.export_file() is None and not (tmp_path / "cancel.xlsx").exists()
