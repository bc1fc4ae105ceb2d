"""The registry's table view: rows of risks, sortable, multi-row selection, Enter opens the
risk editor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from riskdesk.ui.panels.registry_cells import KEYS

ROW_HEIGHT = 24  # px
WIDTHS = {"id": 65, "title": 210, "owner": 115, "business_unit": 80, "category": 85,
          "status": 75, "kind": 90, "probability": 82, "impact": 195, "ev": 80,
          "affects": 70, "phasing": 70, "post_probability": 70, "post_impact": 190,
          "post_ev": 90, "mitigation_cost": 90, "likelihood": 70, "severity": 65,
          "source": 260}  # px per column key; 90 for any other


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
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, k in enumerate(KEYS):
            self.setColumnWidth(i, WIDTHS.get(k, 90))

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802
        if (e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.state() != QAbstractItemView.State.EditingState):
            self.open_editor()
            return
        super().keyPressEvent(e)
