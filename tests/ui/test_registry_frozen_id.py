"""Registry screen on a narrow window: the risk ID stays at the left edge however far the table is
scrolled right, and sorting, selection, keyboard moves, copy and inline edits work with it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QToolTip

from riskdesk.services.registry import RegistryService
from riskdesk.ui.panels.registry import RegistryPanel
from riskdesk.ui.panels.registry_model import KEYS, RISK_ROLE
from riskdesk.ui.tsv import parse_tsv


@pytest.fixture
def panel(qtbot, state):  # type: ignore[no-untyped-def]
    p = RegistryPanel(state)
    qtbot.addWidget(p)
    p.resize(560, 420)
    p.show()
    p.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is p)
    return p


def _index(panel, risk_id, key="id"):  # type: ignore[no-untyped-def]
    src = panel.model.index(panel.model.row_of(risk_id), KEYS.index(key))
    return panel.proxy.mapFromSource(src)


def _scroll_right(panel):  # type: ignore[no-untyped-def]
    bar = panel.table.horizontalScrollBar()
    assert bar.maximum() > 1000  # the window is much narrower than the table
    bar.setValue(bar.maximum())
    QApplication.processEvents()


def _id_at_left_edge(panel, row: int) -> str:  # type: ignore[no-untyped-def]
    """The text a user sees at the table's left edge on proxy row ``row``."""
    table, frozen = panel.table, panel.table.frozen
    y = table.visualRect(panel.proxy.index(row, 1)).center().y()
    where = table.viewport().mapTo(table, QPoint(4, y))
    widget = table.childAt(where)
    assert widget is frozen.viewport(), f"{widget!r} is at the left edge"
    return frozen.indexAt(frozen.viewport().mapFrom(table, where)).data()


def test_that_the_id_stays_at_the_left_edge_when_scrolled_right(panel):
    _scroll_right(panel)
    table, frozen = panel.table, panel.table.frozen
    idx = _index(panel, "NS-003")
    assert table.visualRect(idx).right() < 0  # the table's own ID cell scrolled out of view
    rect = frozen.visualRect(idx)
    assert frozen.isVisible() and rect.left() == 0
    assert rect.width() >= table.columnWidth(0) - 1  # less the grid line
    assert frozen.viewport().rect().contains(rect)
    assert frozen.geometry().left() == table.frameWidth()
    assert [_id_at_left_edge(panel, r) for r in range(3)] == \
        [panel.proxy.index(r, 0).data() for r in range(3)] == ["NS-001", "NS-002", "NS-003"]
    assert frozen.horizontalHeader().isVisible()
    assert frozen.model().headerData(0, Qt.Orientation.Horizontal) == "ID"


def test_that_ids_stay_beside_their_rows_when_scrolled_down(panel):
    _scroll_right(panel)
    bar = panel.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert panel.table.frozen.verticalScrollBar().value() == bar.value() > 0
    last = panel.proxy.rowCount() - 1
    idx = panel.proxy.index(last, 0)
    assert panel.table.frozen.visualRect(idx).top() == \
        panel.table.visualRect(panel.proxy.index(last, 1)).top()
    assert _id_at_left_edge(panel, last) == idx.data()


def test_that_clicking_the_frozen_id_header_sorts_by_id(panel, qtbot):
    _scroll_right(panel)
    header = panel.table.frozen.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(0) + 10, header.height() // 2)
    ids = sorted(r.id for r in panel.model.risks)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    shown = [panel.proxy.index(i, 0).data() for i in range(panel.proxy.rowCount())]
    assert shown in (ids, ids[::-1])
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    again = [panel.proxy.index(i, 0).data() for i in range(panel.proxy.rowCount())]
    assert again == shown[::-1]
    assert panel.table.horizontalHeader().sortIndicatorSection() == 0
    assert panel.table.horizontalHeader().sortIndicatorOrder() == header.sortIndicatorOrder()
    # sorting by another column moves the indicator off the ID
    panel.table.sortByColumn(KEYS.index("ev"), Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == KEYS.index("ev")


def test_that_rows_picked_on_the_frozen_ids_are_selected_and_copied(panel, qtbot):
    _scroll_right(panel)
    frozen = panel.table.frozen
    first = frozen.visualRect(_index(panel, "NS-002")).center()
    third = frozen.visualRect(_index(panel, "NS-004")).center()
    panel.search.setFocus()
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.waitUntil(panel.table.hasFocus)  # arrows now move from the picked row
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ShiftModifier, pos=third)
    assert panel.selected_ids() == ["NS-002", "NS-003", "NS-004"]
    assert panel.table.selectionModel().isRowSelected(_index(panel, "NS-003").row())
    rows = parse_tsv(panel.copy_selected())
    assert [r[0] for r in rows[1:]] == ["NS-002", "NS-003", "NS-004"]
    assert panel.table.horizontalScrollBar().value() == \
        panel.table.horizontalScrollBar().maximum()  # picking an id does not jump left


def test_that_moving_left_by_keyboard_never_hides_a_cell_under_the_ids(panel, qtbot):
    table = panel.table
    start = _index(panel, "NS-002", "source")
    table.setFocus()
    table.setCurrentIndex(start)
    table.scrollTo(start)
    assert table.horizontalScrollBar().value() > 0
    for _ in range(len(KEYS) - 2):
        qtbot.keyClick(table, Qt.Key.Key_Left)
        cur = table.currentIndex()
        assert table.visualRect(cur).left() >= table.frozen_width(), KEYS[cur.column()]
    assert table.currentIndex().column() == 1 and table.horizontalScrollBar().value() == 0
    qtbot.keyClick(table, Qt.Key.Key_End)
    assert table.horizontalScrollBar().value() == table.horizontalScrollBar().maximum()
    qtbot.keyClick(table, Qt.Key.Key_Home)
    assert table.currentIndex().column() == 0 and table.horizontalScrollBar().value() == 0
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().data(RISK_ROLE).id == "NS-003"


def test_that_an_id_edited_from_the_keyboard_is_stored_and_undone(panel, state, qtbot):
    _scroll_right(panel)
    table = panel.table
    table.setFocus()
    table.setCurrentIndex(_index(panel, "NS-004"))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.frozen.findChild(QLineEdit)
    assert editor is not None and editor.isVisible() and editor.text() == "NS-004"
    assert table.frozen.viewport().rect().contains(editor.geometry())
    editor.selectAll()
    qtbot.keyClicks(editor, "NS-104")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: state.undo_stack.count() == 1)
    assert "NS-104" in RegistryService(state.workspace).draft().ids
    qtbot.waitUntil(table.hasFocus)  # the keyboard is back in the table
    assert table.horizontalScrollBar().value() == table.horizontalScrollBar().maximum()
    state.undo_stack.undo()
    assert "NS-004" in RegistryService(state.workspace).draft().ids


def test_that_other_cells_still_edit_in_place_when_scrolled_right(panel, state, qtbot):
    _scroll_right(panel)
    idx = _index(panel, "NS-001", "severity")
    panel.table.setCurrentIndex(idx)
    assert panel.table.edit(idx)
    editor = panel.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    assert panel.table.frozen.findChild(QLineEdit) is None
    editor.setText("3")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: state.undo_stack.count() == 1)
    assert RegistryService(state.workspace).draft().risk("NS-001").severity == 3


def test_that_the_frozen_column_shows_only_ids_after_another_workspace_opens(
        panel, state, workspace, empty_workspace):
    state.set_workspace(empty_workspace)
    state.set_workspace(workspace)
    frozen = panel.table.frozen
    shown = [c for c in range(frozen.model().columnCount()) if not frozen.isColumnHidden(c)]
    assert shown == [0]
    panel.table.setColumnWidth(0, 90)
    assert frozen.width() == 90 == frozen.columnWidth(0)


def test_that_a_refused_id_edit_is_explained_beside_the_frozen_id(panel, state, qtbot):
    _scroll_right(panel)
    table = panel.table
    table.setFocus()
    table.setCurrentIndex(_index(panel, "NS-004"))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.frozen.findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "NS-002")
    with qtbot.waitSignal(panel.model.edit_refused) as sig:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "already used" in sig.args[1] and state.undo_stack.count() == 0
    assert "already used" in QToolTip.text()  # (the key release then hides the tip)
    tip = next(w for w in QApplication.topLevelWidgets() if w.inherits("QTipLabel"))
    frozen = table.frozen.viewport()
    left = frozen.mapToGlobal(QPoint(0, 0)).x()
    assert left <= tip.x() <= left + frozen.width()  # under the ID, not off to the left


def test_that_double_clicking_a_frozen_id_edits_it_there(panel, state, qtbot):
    _scroll_right(panel)
    frozen = panel.table.frozen
    pos = frozen.visualRect(_index(panel, "NS-005")).center()
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    editor = frozen.findChild(QLineEdit)
    assert editor is not None and editor.isVisible() and editor.text() == "NS-005"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert state.undo_stack.count() == 0
