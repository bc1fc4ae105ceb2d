"""The registry's table view: rows of risks, sortable, multi-row selection, Enter opens the
risk editor, and the ID column frozen at the left edge.

The frozen column is a second ``QTableView`` laid over the table's first column, on the same
model and the same selection model, showing only the ID column and scrolling vertically with the
table. Scrolled right on a narrow window, each row still says which risk it is. The ID is sorted
and edited in the frozen view (F2 or typing on an ID cell opens its editor there); keyboard
navigation stays in the table and never leaves a cell hidden under the frozen column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from riskdesk.ui.panels.registry_cells import KEYS

ROW_HEIGHT = 24  # px
WIDTHS = {"id": 65, "title": 210, "owner": 115, "business_unit": 80, "category": 85,
          "status": 75, "kind": 90, "probability": 82, "impact": 195, "ev": 80,
          "affects": 70, "phasing": 70, "post_probability": 70, "post_impact": 190,
          "post_ev": 90, "mitigation_cost": 90, "likelihood": 70, "severity": 65,
          "source": 260}  # px per column key; 90 for any other
FROZEN = 0  # the frozen column (risk id)
Index = QModelIndex | QPersistentModelIndex
_Hint = QAbstractItemDelegate.EndEditHint


class FrozenColumn(QTableView):
    """The ID column drawn over the left edge of ``table`` (same model and selection)."""

    def __init__(self, table: RiskTable) -> None:
        super().__init__(table)
        self.table = table
        self.setObjectName("registryFrozenId")
        self.setModel(table.model())
        own = self.selectionModel()
        self.setSelectionModel(table.selectionModel())
        own.deleteLater()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays with the table
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setSelectionBehavior(table.selectionBehavior())
        self.setSelectionMode(table.selectionMode())
        self.setAlternatingRowColors(table.alternatingRowColors())
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
        hdr = self.horizontalHeader()
        hdr.setSectionsClickable(True)
        hdr.setSortIndicatorShown(True)
        hdr.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hdr.setHighlightSections(False)
        self.hide_other_columns()

    def hide_other_columns(self) -> None:
        model = self.model()
        for c in range(model.columnCount() if model is not None else 0):
            self.setColumnHidden(c, c != FROZEN)
        self.setColumnWidth(FROZEN, self.table.columnWidth(FROZEN))

    def mousePressEvent(self, e: QMouseEvent) -> None:  # noqa: N802
        super().mousePressEvent(e)
        if self.state() != QAbstractItemView.State.EditingState:
            self.table.setFocus(Qt.FocusReason.MouseFocusReason)  # arrows move from this row

    def closeEditor(self, editor: QWidget, hint: _Hint) -> None:  # noqa: N802
        """Give the keyboard back to the table; Tab goes on to the next column there."""
        onward = hint in (_Hint.EditNextItem, _Hint.EditPreviousItem)
        super().closeEditor(editor, _Hint.NoHint if onward else hint)
        self.table.setFocus()
        cur = self.table.currentIndex()
        if hint == _Hint.EditNextItem and cur.isValid():
            nxt = cur.siblingAtColumn(FROZEN + 1)
            self.table.setCurrentIndex(nxt)
            self.table.edit(nxt)

    def paintEvent(self, e: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(e)
        if self.table.horizontalScrollBar().value() > 0:  # columns are hidden underneath
            p = QPainter(self.viewport())
            p.setPen(self.palette().color(self.palette().ColorRole.Dark))
            x = self.viewport().width() - 1
            p.drawLine(x, 0, x, self.viewport().height())
            p.end()


class RiskTable(QTableView):
    """Table view where Enter opens the risk editor (F2 / typing edits the cell in place)."""

    def __init__(self, model: QAbstractItemModel, open_editor: Callable[[], object]) -> None:
        super().__init__()
        self.open_editor = open_editor
        self.setObjectName("registryTable")
        self.setModel(model)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, k in enumerate(KEYS):
            self.setColumnWidth(i, WIDTHS.get(k, 90))

        self.frozen = FrozenColumn(self)
        self.viewport().stackUnder(self.frozen)
        fh, mh = self.frozen.horizontalHeader(), self.horizontalHeader()
        fh.setSortIndicator(mh.sortIndicatorSection(), mh.sortIndicatorOrder())
        fh.sortIndicatorChanged.connect(self._frozen_sorted)
        mh.sortIndicatorChanged.connect(self._sorted)
        mh.sectionResized.connect(self._section_resized)
        fh.sectionResized.connect(self._frozen_resized)
        mh.geometriesChanged.connect(self.update_frozen_geometry)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.horizontalScrollBar().valueChanged.connect(self.frozen.viewport().update)
        model.modelReset.connect(self.frozen.hide_other_columns)
        model.columnsInserted.connect(self.frozen.hide_other_columns)
        self.frozen.doubleClicked.connect(self.doubleClicked)
        self.update_frozen_geometry()
        self.frozen.show()

    # ---- the frozen ID column -----------------------------------------------------------------
    def frozen_width(self) -> int:
        """Width in px of the frozen column over the viewport's left edge."""
        return self.columnWidth(FROZEN)

    def view_of(self, index: Index) -> QTableView:
        """The view that shows ``index`` to the user: the frozen column for an ID."""
        return self.frozen if index.column() == FROZEN and self.frozen.isVisible() else self

    def update_frozen_geometry(self) -> None:
        fw = self.frameWidth()
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self.frozen.setGeometry(self.verticalHeader().width() + fw, fw, self.frozen_width(),
                                self.viewport().height() + self.horizontalHeader().height())

    def _section_resized(self, section: int, _old: int, new: int) -> None:
        if section == FROZEN:
            self.frozen.setColumnWidth(FROZEN, new)
            self.update_frozen_geometry()

    def _frozen_resized(self, section: int, _old: int, new: int) -> None:
        if section == FROZEN:
            self.setColumnWidth(FROZEN, new)

    def _frozen_sorted(self, section: int, order: Qt.SortOrder) -> None:
        if section == FROZEN and self.isSortingEnabled():
            self.sortByColumn(section, order)

    def _sorted(self, section: int, order: Qt.SortOrder) -> None:
        fh = self.frozen.horizontalHeader()
        fh.blockSignals(True)
        fh.setSortIndicator(section, order)
        fh.blockSignals(False)
        fh.viewport().update()

    def resizeEvent(self, e: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(e)
        self.update_frozen_geometry()

    def scrollTo(self, index: Index,  # noqa: N802
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
                 ) -> None:
        """Scroll to ``index`` without leaving it under the frozen column (an ID is always in
        view, so for the ID column only the vertical position changes)."""
        bar = self.horizontalScrollBar()
        if index.column() == FROZEN:
            x = bar.value()
            super().scrollTo(index, hint)
            bar.setValue(x)
            return
        super().scrollTo(index, hint)
        left = self.visualRect(index).left()
        if left < self.frozen_width():
            bar.setValue(bar.value() + left - self.frozen_width())

    def moveCursor(self, action: QAbstractItemView.CursorAction,  # noqa: N802
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        if action == QAbstractItemView.CursorAction.MoveHome:
            self.horizontalScrollBar().setValue(0)  # Home shows the start of the row
        return super().moveCursor(action, modifiers)

    def edit(self, index: Index, trigger: Any = None,  # type: ignore[override]
             event: QEvent | None = None) -> bool:
        """Edit in place; an ID cell is edited in the frozen column that covers it."""
        if trigger is None:  # the public edit(index): Qt calls back with a trigger
            super().edit(index)
            return self.state() == QAbstractItemView.State.EditingState \
                or self.frozen.state() == QAbstractItemView.State.EditingState
        if self.view_of(index) is self.frozen:
            return bool(self.frozen.edit(index, trigger, event))  # type: ignore[arg-type]
        return bool(super().edit(index, trigger, event))  # type: ignore[arg-type]

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802
        if (e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.state() != QAbstractItemView.State.EditingState):
            self.open_editor()
            return
        super().keyPressEvent(e)
