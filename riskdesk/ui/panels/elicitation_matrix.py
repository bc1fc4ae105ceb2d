"""Risk-matrix heat map of the draft registry's qualitative risks, with conversion to numbers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.problems import ValidationError
from riskdesk.domain.risk import Risk
from riskdesk.elicitation.matrix import IMPACT_LABELS, LIKELIHOOD_LABELS
from riskdesk.services.registry import RegistryService
from riskdesk.ui.commands import ServiceRiskCommand, execute


def _colour(likelihood: int, severity: int) -> QColor:
    """Green (low) to red (high) by likelihood x severity."""
    score = likelihood * severity
    if score >= 15:
        return QColor("#e57373")
    if score >= 8:
        return QColor("#ffb74d")
    if score >= 4:
        return QColor("#fff176")
    return QColor("#aed581")


class MatrixView(QWidget):
    """5x5 heat map (likelihood rows, 5 at the top; impact columns) and a convert action."""

    def __init__(self, state: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.grid = QTableWidget(5, 5)
        self.grid.setObjectName("heatmap")
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.setHorizontalHeaderLabels([f"I{k}\n{t}" for k, t in
                                             enumerate(IMPACT_LABELS, start=1)])
        self.grid.setVerticalHeaderLabels([f"L{5 - r} {LIKELIHOOD_LABELS[4 - r]}"
                                           for r in range(5)])
        from PySide6.QtWidgets import QHeaderView

        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.setMinimumSize(560, 380)
        self.grid.cellClicked.connect(self._select_cell)
        self.risks = QListWidget()
        self.risks.setObjectName("qualitativeRisks")
        self.risks.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.impact = QComboBox()
        for m in ("pert", "loguniform", "uniform"):
            self.impact.addItem(m)
        self.convert_button = QPushButton("Convert selected to numbers")
        self.convert_button.clicked.connect(self.convert)
        self.edit_button = QPushButton("Edit matrix…")
        self.edit_button.clicked.connect(lambda: self.edit_matrix())
        state.elicitation_changed.connect(self.reload)  # e.g. undo of a matrix change
        self.bands = QLabel()
        self.bands.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(QLabel("Qualitative risks"))
        side.addWidget(self.risks, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Impact within band:"))
        row.addWidget(self.impact)
        side.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel("Probability:"))
        self.probability = QComboBox()
        self.probability.addItem("band midpoint", "midpoint")
        self.probability.addItem("uniform within the band", "uniform")
        self.probability.setToolTip("Both give the band midpoint as the chance of occurrence; "
                                    "the choice is recorded in the risk's source")
        row.addWidget(self.probability)
        self.opportunity = QCheckBox("Opportunity (positive impact)")
        self.opportunity.setToolTip("Unticked, the impact is a loss (negative)")
        side.addLayout(row)
        side.addWidget(self.opportunity)
        side.addWidget(self.convert_button)
        side.addWidget(self.message)
        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.grid, 1)
        bands_row = QHBoxLayout()
        bands_row.addWidget(self.bands, 1)
        bands_row.addWidget(self.edit_button)
        left.addLayout(bands_row)
        top.addLayout(left, 3)
        top.addLayout(side, 2)
        self.setLayout(top)

    def service(self) -> Any:
        from riskdesk.services.elicitation import ElicitationService

        return ElicitationService(self.state.workspace)

    def reload(self) -> None:
        """Re-read the matrix and the draft's qualitative risks."""
        from riskdesk.services.registry import RegistryService

        m = self.service().matrix()
        try:
            risks = list(RegistryService(self.state.workspace).draft().risks)
        except ValidationError:
            risks = []
        cells = m.cells(risks)
        self._by_id = {r.id: r for r in risks if r.kind == "qualitative"}
        for r in range(5):
            for c in range(5):
                lk, sv = 5 - r, c + 1
                ids = cells.get((lk, sv), [])
                it = QTableWidgetItem("\n".join([str(len(ids))] + ids[:2]) if ids else "")
                it.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                it.setBackground(QBrush(_colour(lk, sv)))
                it.setData(Qt.ItemDataRole.UserRole, ids)
                self.grid.setItem(r, c, it)
        self.grid.setCurrentCell(-1, -1)
        self.grid.clearSelection()
        self.risks.clear()
        for rid, risk in self._by_id.items():
            li = QListWidgetItem(f"{rid}  L{risk.likelihood}/I{risk.severity}  {risk.title}")
            li.setData(Qt.ItemDataRole.UserRole, rid)
            self.risks.addItem(li)
        lik = ", ".join(f"L{k} {a:.0%}–{b:.0%}" for k, (a, b) in enumerate(m.likelihood, 1))
        imp = ", ".join(f"I{k} {a:,.0f}–{b:,.0f}" for k, (a, b) in
                        enumerate(m.impact_bands(), 1))
        self.bands.setText(f"Matrix {m.version}: likelihood {lik}; impact ({m.units}) {imp}")

    def _select_cell(self, row: int, col: int) -> None:
        cell = self.grid.item(row, col)
        ids = (cell.data(Qt.ItemDataRole.UserRole) if cell else None) or []
        for i in range(self.risks.count()):
            it = self.risks.item(i)
            it.setSelected(it.data(Qt.ItemDataRole.UserRole) in ids)

    def edit_matrix(self) -> Any:
        """Open the matrix editor; OK stores the new matrix as one undoable step."""
        from riskdesk.services.registry import RegistryService
        from riskdesk.ui.panels.elicitation_matrix_edit import MatrixDialog, SetMatrixCommand

        before = self.service().matrix()
        try:
            bus = sorted({r.business_unit for r in RegistryService(self.state.workspace)
                          .draft().risks if r.business_unit})
        except ValidationError:
            bus = []
        dlg = MatrixDialog(before, bus, self)

        def done() -> None:
            m, _ = dlg.matrix()
            if m is None:
                return
            problems = execute(self.state, SetMatrixCommand(self.state, before, m))
            self.message.setText("; ".join(str(p) for p in problems) if problems else
                                 f"Risk matrix {m.version} saved (Ctrl+Z to undo).")
            self.reload()

        dlg.accepted.connect(done)
        self.matrix_dialog = dlg
        dlg.open()
        return dlg

    def convert(self) -> None:
        ids = [it.data(Qt.ItemDataRole.UserRole) for it in self.risks.selectedItems()]
        if not ids:
            self.message.setText("Select qualitative risks first.")
            return
        reg = RegistryService(self.state.workspace)
        before = [reg.risk(rid) for rid in ids]
        impact = self.impact.currentText()
        prob = self.probability.currentData()
        sign = 1.0 if self.opportunity.isChecked() else -1.0
        converted: list[Risk] = []

        def change() -> list[Risk]:
            for rid in ids:  # a failure keeps the ones done so far, and undo covers them
                try:
                    converted.append(self.service().convert_qualitative(rid, impact, prob,
                                                                        sign))
                except ValidationError as exc:
                    self.message.setText(f"<span style='color:#b3261e'>{exc}</span>")
                    break
            return converted

        text = f"Convert {ids[0]}" if len(ids) == 1 else f"Convert {len(ids)} risks"
        execute(self.state, ServiceRiskCommand(self.state, text, before[:len(ids)], change))
        if converted:
            self.message.setText("Converted " + "; ".join(
                f"{r.id}: p={r.probability:g}, {r.impact.describe()}" for r in converted)
                + " · Ctrl+Z undoes it")
        self.reload()
