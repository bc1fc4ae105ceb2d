"""Baseline screen: cell edits with undo, read-only derived lines, block paste, chart, freeze."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from riskdesk.domain.baseline import month_label
from riskdesk.services.baseline import BaselineService
from riskdesk.ui.panels.baseline import TOTAL, BaselinePanel
from riskdesk.ui.tsv import format_tsv, parse_tsv


@pytest.fixture
def panel(qtbot, state):  # type: ignore[no-untyped-def]
    p = BaselinePanel(state)
    qtbot.addWidget(p)
    return p


def _row(panel, bu, line):  # type: ignore[no-untyped-def]
    return panel.model.rows.index((bu, line))


def _draft(state):  # type: ignore[no-untyped-def]
    return BaselineService(state.workspace).draft()


def test_that_months_are_labelled_and_derived_lines_are_read_only(panel):
    m = panel.model
    assert m.headerData(0, Qt.Orientation.Horizontal) \
        == month_label(m.plan.start, 0) == "2027-01"
    r = _row(panel, "North Sea", "ebitda")
    assert not m.is_editable(r, 0)
    assert m.is_editable(_row(panel, "North Sea", "opex"), 0)
    assert not m.is_editable(_row(panel, TOTAL, "revenue"), 0)
    assert m.value(r, 2) == pytest.approx(
        m.plan.line("revenue", "North Sea")[2] - m.plan.line("opex", "North Sea")[2])


def test_that_a_cell_edit_is_stored_and_undo_restores_it(panel, state):
    r = _row(panel, "North Sea", "opex")
    old = _draft(state).line("opex", "North Sea")[5]
    assert panel.model.setData(panel.model.index(r, 5), "17,250")
    assert _draft(state).line("opex", "North Sea")[5] == 17250
    ebitda = panel.model.value(_row(panel, "North Sea", "ebitda"), 5)
    assert ebitda == pytest.approx(_draft(state).line("revenue", "North Sea")[5] - 17250)
    state.undo_stack.undo()
    assert _draft(state).line("opex", "North Sea")[5] == old
    state.undo_stack.redo()
    assert _draft(state).line("opex", "North Sea")[5] == 17250


def test_that_bad_or_derived_cell_edits_are_refused(panel, state, qtbot):
    before = _draft(state)
    with qtbot.waitSignal(panel.model.edit_refused) as sig:
        assert not panel.model.setData(panel.model.index(_row(panel, "LNG", "capex"), 0), "lots")
    assert "not a number" in sig.args[1]
    with qtbot.waitSignal(panel.model.edit_refused) as sig:
        assert not panel.model.setData(panel.model.index(_row(panel, "LNG", "ebitda"), 0), "1")
    assert "read-only" in sig.args[1]
    assert _draft(state) == before and state.undo_stack.count() == 0


def test_that_a_pasted_block_is_stored_and_undone_in_one_step(panel, state):
    r = _row(panel, "LNG", "revenue")
    block = format_tsv([[100, 200, 300], [10, 20, 30]])  # revenue and opex rows of LNG
    assert panel.paste_text(block, r, 4) == []
    d = _draft(state)
    assert list(d.line("revenue", "LNG")[4:7]) == [100, 200, 300]
    assert list(d.line("opex", "LNG")[4:7]) == [10, 20, 30]
    assert state.undo_stack.count() == 1
    state.undo_stack.undo()
    assert list(_draft(state).line("revenue", "LNG")[4:7]) != [100, 200, 300]


def test_that_a_bad_block_paste_writes_nothing_and_reports_cells(panel, state):
    r = _row(panel, "LNG", "opex")  # second row of the block lands on derived EBITDA
    before = _draft(state)
    problems = panel.paste_text("1\tx\r\n2\t3\r\n", r, 0)
    where = {p.where: p.message for p in problems}
    assert "not a number" in where["block row 1, column 2"]
    assert "read-only" in where["block row 2, column 1"]
    assert _draft(state) == before
    assert panel.problems_dialog is not None and panel.problems_dialog.isVisible()


def test_that_copy_gives_the_selected_block_as_tsv(panel):
    r = _row(panel, "Refining", "revenue")
    sel = panel.table.selectionModel()
    for c in range(2):
        for rr in (r, r + 1):
            sel.select(panel.model.index(rr, c), sel.SelectionFlag.Select)
    rows = parse_tsv(panel.copy_selection())
    plan = panel.model.plan
    assert [[float(x) for x in row] for row in rows] == [
        list(plan.line("revenue", "Refining")[:2]), list(plan.line("opex", "Refining")[:2])]


def test_that_the_chart_shows_total_ebitda_and_cash_flow(panel, state):
    plan = _draft(state)
    _, y = panel.chart.ebitda.getData()
    assert np.allclose(y, plan.line("ebitda"))
    panel.chart_bu.setCurrentIndex(panel.chart_bu.findData("LNG"))
    _, y = panel.chart.cash.getData()
    assert np.allclose(y, plan.line("cash_flow", "LNG"))
    panel.model.setData(panel.model.index(_row(panel, "LNG", "capex"), 0), "99999")
    _, y = panel.chart.cash.getData()
    assert y[0] == pytest.approx(_draft(state).line("ebitda", "LNG")[0] - 99999)


def test_that_freeze_adds_a_version_with_its_comment(panel, state):
    n = panel.versions.rowCount()
    info = panel.freeze("Budget 2027 v2")
    assert info is not None and panel.versions.rowCount() == n + 1
    assert panel.versions.item(0, 4).text() == "Budget 2027 v2"
    assert BaselineService(state.workspace).version(info.number) == _draft(state)


def test_that_excel_export_and_import_round_trip_and_import_is_undoable(panel, state, tmp_path):
    path = panel.export_file(tmp_path / "plan.xlsx")
    assert path is not None
    panel.model.setData(panel.model.index(_row(panel, "LNG", "opex"), 0), "1")
    assert panel.import_file(path)
    assert _draft(state).line("opex", "LNG")[0] != 1
    state.undo_stack.undo()
    assert _draft(state).line("opex", "LNG")[0] == 1
