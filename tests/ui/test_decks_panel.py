"""The Price decks screen on a real demo workspace (offscreen)."""

from __future__ import annotations

import openpyxl

from riskdesk.ui.panels.decks import DeckImportDialog, DecksPanel
from riskdesk.ui.panels.import_preview import ProblemsDialog


def test_that_the_screen_lists_the_demo_deck_and_charts_each_scenario(qtbot, state):
    panel = DecksPanel(state)
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 1
    assert panel.current_name() == "Corporate 2027"
    assert panel.benchmark.currentText() == "Brent"
    visible = {k: c for k, c in panel.curves.items() if c.isVisible()}
    assert set(visible) == {"Low", "Base", "High"}
    x, y = visible["Base"].getData()
    assert x[0] == 2027 and y[0] == 72.0 and len(x) == 20
    panel.benchmark.setCurrentText("Carbon")
    assert panel.curves["High"].getData()[1][0] == 110.0


def test_that_an_import_shows_the_diff_and_saves_a_new_version(qtbot, state, tmp_path):
    panel = DecksPanel(state)
    qtbot.addWidget(panel)
    path = tmp_path / "deck.xlsx"
    panel.export_path(path)
    wb = openpyxl.load_workbook(path)
    wb["High"]["D3"] = 5.0  # Henry Hub 2028
    wb.save(path)
    dlg = panel.import_path(path)
    assert isinstance(dlg, DeckImportDialog)
    assert dlg.table.rowCount() == 1
    assert dlg.table.item(0, 1).text() == "High/Henry Hub/2028"
    with qtbot.waitSignal(state.decks_changed):
        dlg.accept()
    assert panel.model.rows[0].version == 2
    assert panel.version.currentData() == 2 and "Draft" in panel.version.currentText()
    assert panel.stage_actions["in_review"].isEnabled()
    assert not panel.stage_actions["approved"].isEnabled()
    panel.promote("in_review", "prices checked against the board memo")
    assert panel.model.rows[0].stage == "in_review"
    from riskdesk.services.decks import DeckService

    assert DeckService(state.workspace).version_info("Corporate 2027", 2).stage == "in_review"


def test_that_an_export_to_an_unwritable_place_says_so_and_does_not_crash(qtbot, state,
                                                                           tmp_path):
    panel = DecksPanel(state)
    qtbot.addWidget(panel)
    panel.export_path(tmp_path / "missing-folder" / "deck.xlsx")
    assert isinstance(panel.dialog, ProblemsDialog)
    panel.dialog.reject()


def test_that_a_bad_workbook_shows_its_problems_and_saves_nothing(qtbot, state, tmp_path):
    panel = DecksPanel(state)
    qtbot.addWidget(panel)
    wb = openpyxl.Workbook()
    wb.active.title = "Base"
    wb.active.append(["Benchmark", "Unit", 2027, 2027])
    wb.active.append(["Brent", "USD/bbl", 70, 71])
    path = tmp_path / "dup.xlsx"
    wb.save(path)
    dlg = panel.import_path(path)
    assert isinstance(dlg, ProblemsDialog)
    assert dlg.table.item(0, 0).text() == "Base!D1"
    assert "duplicate period" in dlg.table.item(0, 1).text()
    dlg.reject()
    assert panel.model.rows[0].version == 1


def test_that_an_empty_workspace_gets_its_first_deck_from_an_import(qtbot, empty_workspace,
                                                                    tmp_path):
    from riskdesk.io.deck_excel import write_deck_xlsx
    from riskdesk.services.decks import demo_deck
    from riskdesk.ui.state import AppState

    state = AppState(empty_workspace)
    panel = DecksPanel(state)
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 0 and "no deck" in panel.info.text()
    assert not any(a.isEnabled() for a in panel.stage_actions.values())
    path = tmp_path / "first.xlsx"
    write_deck_xlsx(demo_deck(), path)
    dlg = panel.import_path(path)
    assert isinstance(dlg, DeckImportDialog) and dlg.preview.previous is None
    dlg.name.setText("Planning 2027")
    dlg.accept()
    assert [r.name for r in panel.model.rows] == ["Planning 2027"]
    assert panel.benchmark.count() == 4


def test_that_the_import_preview_sets_money_basis_and_escalation_for_a_bare_workbook(
        qtbot, state, tmp_path):
    import openpyxl

    from riskdesk.services.decks import DeckService

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Base"
    ws.append(["Benchmark", "Unit", "2027", "2028"])
    ws.append(["Brent", "USD/bbl", 70, 72])
    path = tmp_path / "bare.xlsx"
    wb.save(path)
    panel = DecksPanel(state)
    qtbot.addWidget(panel)
    dlg = panel.import_path(path, "Bare")
    assert isinstance(dlg, DeckImportDialog) and dlg.preview.deck.basis == "nominal"
    dlg.basis.setCurrentText("real")
    dlg.base_year.setValue(2026)
    dlg.escalation.setValue(2.5)
    assert dlg.preview.deck.basis == "real" and dlg.preview.deck.base_year == 2026
    assert "real 2026 money, escalation 2.50%" in dlg.info.text()
    dlg.escalation.setValue(-50)  # still valid (> -100 %)
    dlg.escalation.setValue(2.5)
    dlg.accept()
    deck = DeckService(state.workspace).deck("Bare")
    assert (deck.basis, deck.base_year, deck.escalation) == ("real", 2026, 0.025)

