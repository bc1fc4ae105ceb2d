"""The Baseline screen: the draft plan as an editable month table, a chart, and its versions.

Rows are business unit × line (revenue, opex, capex entered; EBITDA and cash flow derived and
read-only) plus the all-units total; columns are months ``YYYY-MM``. Edits and pasted blocks go
through undoable commands calling ``BaselineService``. Run alone:
``python -m riskdesk.ui.panels.baseline``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QInputDialog,
    QLabel,
    QMessageBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.baseline import PLAN_LINES, BaselinePlan, month_label
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import STAGE_LABELS
from riskdesk.services.baseline import BaselineService
from riskdesk.services.registry import VersionInfo
from riskdesk.ui.commands import BaselineCellCommand, BaselinePlanCommand, execute
from riskdesk.ui.panels.import_preview import ProblemsDialog
from riskdesk.ui.panels.registry_model import parse_number
from riskdesk.ui.state import AppState
from riskdesk.ui.tsv import format_tsv, parse_tsv

LINES = ("revenue", "opex", "ebitda", "capex", "cash_flow")
LINE_LABELS = {"revenue": "Revenue", "opex": "Opex", "ebitda": "EBITDA", "capex": "Capex",
               "cash_flow": "Cash flow"}
TOTAL = "All units"
Index = QModelIndex | QPersistentModelIndex


class BaselineModel(QAbstractTableModel):
    """Plan lines by row, months by column, and a read-only total column at the end."""

    edit_refused = Signal(object, str)

    def __init__(self, state: AppState, parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state
        self.plan = BaselinePlan(lines={})
        self.rows: list[tuple[str, str]] = []
        state.baseline_changed.connect(self.reload)
        state.workspace_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        plan = BaselinePlan(lines={})
        if self.state.has_workspace:
            svc = BaselineService(self.state.workspace)
            if svc.exists():
                plan = svc.draft()
        rows = [(bu, ln) for bu in plan.business_units for ln in LINES]
        if plan.business_units:
            rows += [(TOTAL, ln) for ln in LINES]
        same = rows == self.rows and plan.months == self.plan.months
        if same:
            self.plan = plan
            if rows:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(rows) - 1, plan.months))
        else:
            self.beginResetModel()
            self.plan, self.rows = plan, rows
            self.endResetModel()

    def row_label(self, row: int) -> str:
        bu, ln = self.rows[row]
        return f"{bu} · {LINE_LABELS[ln]}"

    def value(self, row: int, col: int) -> float:
        bu, ln = self.rows[row]
        vals = self.plan.line(ln, None if bu == TOTAL else bu)
        return float(vals.sum()) if col == self.plan.months else float(vals[col])

    def is_editable(self, row: int, col: int) -> bool:
        bu, ln = self.rows[row]
        return bu != TOTAL and ln in PLAN_LINES and col < self.plan.months

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or not self.rows else self.plan.months + 1

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section == self.plan.months:
                return "Total"
            return month_label(self.plan.start, section)
        return self.row_label(section) if 0 <= section < len(self.rows) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.is_editable(index.row(), index.column()):
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        bu, ln = self.rows[r]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{self.value(r, c):,.0f}"
        if role == Qt.ItemDataRole.EditRole:
            return f"{self.value(r, c):g}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and not self.is_editable(r, c):
            return QBrush(QColor("#eef1f5" if bu != TOTAL else "#e2e8f0"))
        if role == Qt.ItemDataRole.FontRole and ln in ("ebitda", "cash_flow"):
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole and self.value(r, c) < 0:
            return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.ToolTipRole and not self.is_editable(r, c):
            return "Derived: EBITDA = revenue − opex; cash flow = EBITDA − capex" \
                if ln in ("ebitda", "cash_flow") else "Total: read-only"
        return None

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        r, c = index.row(), index.column()
        where = f"{self.row_label(r)}, {month_label(self.plan.start, c)}"
        if not self.is_editable(r, c):
            self.edit_refused.emit(index, f"{where} is derived and read-only")
            return False
        try:
            x = parse_number(str(value), where)
        except ValueError as e:
            self.edit_refused.emit(index, str(e))
            return False
        if x == self.value(r, c):
            return False
        bu, ln = self.rows[r]
        problems = execute(self.state, BaselineCellCommand(
            self.state, bu, ln, c, x, month_label(self.plan.start, c)))
        if problems:
            self.edit_refused.emit(index, "; ".join(str(p) for p in problems))
            return False
        return True


class BaselineChart(pg.PlotWidget):
    """Monthly EBITDA and cash flow of one business unit or all; items created once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.addLegend(offset=(-10, 10), labelTextColor="#333", brush=(255, 255, 255, 210))
        self.showGrid(x=True, y=True, alpha=0.2)
        self.getAxis("left").enableAutoSIPrefix(False)
        self.ebitda = self.plot([], [], pen=pg.mkPen("#1f5fa8", width=2), name="EBITDA")
        self.cash = self.plot([], [], pen=pg.mkPen("#d97706", width=2), name="Cash flow")
        self.zero = pg.InfiniteLine(0, angle=0, pen=pg.mkPen("#999", width=1))
        self.addItem(self.zero)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()

    def set_plan(self, plan: BaselinePlan, business_unit: str | None) -> None:
        x = np.arange(plan.months, dtype=float)
        self.ebitda.setData(x, plan.line("ebitda", business_unit))
        self.cash.setData(x, plan.line("cash_flow", business_unit))
        step = max(1, plan.months // 6)
        ticks = [(float(i), month_label(plan.start, i)) for i in range(0, plan.months, step)]
        self.getAxis("bottom").setTicks([ticks])
        self.setLabel("left", plan.units)


class BaselinePanel(QWidget):
    """The draft baseline plan: table, chart, import/export, freeze and versions."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.model = BaselineModel(state, self)
        self.problems_dialog: ProblemsDialog | None = None

        self.table = QTableView()
        self.table.setObjectName("baselineTable")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setDefaultSectionSize(72)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.model.edit_refused.connect(self._edit_refused)

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self._action("Copy", self.copy_selection, QKeySequence.StandardKey.Copy, ctx)
        self._action("Paste", self.paste, QKeySequence.StandardKey.Paste, ctx)
        self.toolbar.addSeparator()
        self._action("Freeze version…", lambda: self.freeze(), None, ctx)
        self._action("Import Excel…", lambda: self.import_file(), None, ctx)
        self._action("Export Excel…", lambda: self.export_file(), None, ctx)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(QLabel(" Chart: "))
        self.chart_bu = QComboBox()
        self.chart_bu.currentIndexChanged.connect(self._update_chart)
        self.toolbar.addWidget(self.chart_bu)

        self.chart = BaselineChart()
        self.chart.setMinimumHeight(180)
        vbox = QGroupBox("Baseline versions")
        vl = QVBoxLayout(vbox)
        self.versions = QTableWidget(0, 5)
        self.versions.setObjectName("baselineVersions")
        self.versions.setHorizontalHeaderLabels(["Version", "Stage", "Created", "By", "Comment"])
        self.versions.verticalHeader().setVisible(False)
        self.versions.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions.horizontalHeader().setStretchLastSection(True)
        self.versions.setWordWrap(False)
        vl.addWidget(self.versions)

        bottom = QSplitter()
        bottom.addWidget(self.chart)
        bottom.addWidget(vbox)
        bottom.setSizes([700, 360])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setSizes([440, 240])

        self.summary = QLabel()
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("<h2 style='margin:0'>Baseline plan — draft</h2>"))
        lay.addWidget(self.toolbar)
        lay.addWidget(split, 1)
        lay.addWidget(self.summary)

        self.model.modelReset.connect(self._plan_changed)
        self.model.dataChanged.connect(self._plan_changed)
        state.workspace_changed.connect(self._reload_versions)
        self._plan_changed()
        self._reload_versions()

    def _action(self, text: str, slot: Any, key: Any, ctx: Qt.ShortcutContext) -> QAction:
        a = QAction(text, self)
        if key is not None:
            a.setShortcut(QKeySequence(key))
            a.setShortcutContext(ctx)
        a.triggered.connect(lambda _=False: slot())
        self.toolbar.addAction(a)
        self.addAction(a)
        return a

    # ---- view -------------------------------------------------------------------------------
    def _plan_changed(self) -> None:
        plan = self.model.plan
        cur = self.chart_bu.currentData()
        self.chart_bu.blockSignals(True)
        self.chart_bu.clear()
        self.chart_bu.addItem(TOTAL, "")
        for bu in plan.business_units:
            self.chart_bu.addItem(bu, bu)
        self.chart_bu.setCurrentIndex(max(self.chart_bu.findData(cur), 0) if cur else 0)
        self.chart_bu.blockSignals(False)
        self._update_chart()
        if plan.business_units:
            self.summary.setText(
                f"{len(plan.business_units)} business units · {plan.months} months from "
                f"{plan.start} · EBITDA {plan.line('ebitda').sum():,.0f} {plan.units} · cash "
                f"flow {plan.line('cash_flow').sum():,.0f} {plan.units}")
        else:
            self.summary.setText("No baseline plan yet: import one from Excel.")

    def _update_chart(self) -> None:
        self.chart.set_plan(self.model.plan, self.chart_bu.currentData() or None)
        self.chart.setXRange(-0.5, max(self.model.plan.months - 0.5, 1), padding=0)

    def _reload_versions(self) -> None:
        svc = BaselineService(self.state.workspace) if self.state.has_workspace else None
        infos = svc.versions() if svc is not None and svc.exists() else []
        self.versions.setRowCount(len(infos))
        for i, v in enumerate(reversed(infos)):
            cells = (str(v.number), STAGE_LABELS[v.stage],
                     v.created_at.replace("T", " ").removesuffix("Z"), v.created_by, v.comment)
            for j, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setToolTip(v.hash)
                self.versions.setItem(i, j, it)
        self.versions.resizeColumnsToContents()

    def _edit_refused(self, index: QModelIndex, reason: str) -> None:
        self.state.notify(f"Edit refused — {reason}")
        rect = self.table.visualRect(index)
        QToolTip.showText(self.table.viewport().mapToGlobal(rect.bottomLeft()),
                          f"Not stored: {reason}", self.table)

    def _show_problems(self, title: str, intro: str, problems: list[Problem]) -> None:
        self.problems_dialog = ProblemsDialog(title, intro, problems, self)
        self.problems_dialog.open()

    # ---- clipboard --------------------------------------------------------------------------
    def copy_selection(self) -> str:
        """Copy the bounding block of the selection as TSV values (pastes into Excel)."""
        idx = self.table.selectionModel().selectedIndexes()
        if not idx:
            return ""
        r0, r1 = min(i.row() for i in idx), max(i.row() for i in idx)
        c0, c1 = min(i.column() for i in idx), max(i.column() for i in idx)
        rows = [[self.model.value(r, c) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
        text = format_tsv(rows)
        QGuiApplication.clipboard().setText(text)
        self.state.notify(f"Copied {r1 - r0 + 1}×{c1 - c0 + 1} cells")
        return text

    def paste(self) -> list[Problem]:
        idx = self.table.currentIndex()
        if not idx.isValid():
            self.state.notify("Select the top-left cell to paste into")
            return []
        return self.paste_text(QGuiApplication.clipboard().text(), idx.row(), idx.column())

    def paste_text(self, text: str, row: int, col: int) -> list[Problem]:
        """Paste a TSV block with its top-left at (row, col); all cells or none."""
        block = parse_tsv(text)
        m = self.model
        problems: list[Problem] = []
        lines = {k: list(v) for k, v in m.plan.lines.items()}
        if not block:
            problems.append(Problem("clipboard", "the clipboard holds no table"))
        for i, cells in enumerate(block):
            for j, cell in enumerate(cells):
                r, c = row + i, col + j
                where = f"block row {i + 1}, column {j + 1}"
                if r >= m.rowCount() or c >= m.plan.months:
                    problems.append(Problem(where, "falls outside the plan table"))
                    continue
                label = f"{m.row_label(r)}, {month_label(m.plan.start, c)}"
                if not m.is_editable(r, c):
                    problems.append(Problem(where, f"{label} is derived and read-only"))
                    continue
                try:
                    x = parse_number(cell, label)
                except ValueError as e:
                    problems.append(Problem(where, str(e)))
                    continue
                bu, ln = m.rows[r]
                vals = lines.setdefault((bu, ln), [0.0] * m.plan.months)
                vals[c] = x
        if problems:
            self._show_problems("Paste refused", f"Nothing was pasted: {len(problems)} "
                                "problem(s).", problems)
            return problems
        after = m.plan.with_(lines={k: tuple(v) for k, v in lines.items()})
        n = sum(len(r) for r in block)
        problems = execute(self.state, BaselinePlanCommand(self.state, m.plan, after,
                                                           f"Paste {n} plan cells"))
        if problems:
            self._show_problems("Paste refused", "Nothing was pasted:", problems)
        else:
            self.state.notify(f"Pasted {n} cells")
        return problems

    # ---- files, versions --------------------------------------------------------------------
    def freeze(self, comment: str | None = None) -> VersionInfo | None:
        if comment is None:
            text, ok = QInputDialog.getMultiLineText(self, "Freeze baseline version",
                                                     "Comment for this version:")
            if not ok:
                return None
            comment = text
        try:
            info = BaselineService(self.state.workspace).freeze(comment.strip())
        except ValidationError as e:
            self._show_problems("Cannot freeze", "The plan could not be frozen:", e.problems)
            return None
        self._reload_versions()
        self.state.versions_changed.emit()
        self.state.notify(f"Froze baseline version {info.number}")
        return info

    def import_file(self, path: str | Path | None = None) -> bool:
        """Replace the draft plan by an Excel workbook (undoable); problems listed on failure."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import baseline", "",
                                                  "Excel workbook (*.xlsx)")
            if not path:
                return False
        from riskdesk.io.baseline_excel import read_baseline_xlsx

        p = Path(path)
        try:
            plan = read_baseline_xlsx(p)
        except ValidationError as e:
            self._show_problems("Import refused", f"Nothing was imported from {p.name}: "
                                f"{len(e.problems)} problem(s).", e.problems)
            return False
        except OSError as e:
            QMessageBox.warning(self, "Import", f"Cannot read {p.name}: {e}")
            return False
        before = self.model.plan if self.model.rows else None
        problems = execute(self.state, BaselinePlanCommand(self.state, before,
                                                           plan.with_(name=self.model.plan.name
                                                                      if before else plan.name),
                                                           f"Import {p.name}"))
        if problems:
            self._show_problems("Import refused", "Nothing was imported:", problems)
            return False
        self.state.notify(f"Imported {p.name}")
        return True

    def export_file(self, path: str | Path | None = None) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export baseline", "baseline.xlsx",
                                                  "Excel workbook (*.xlsx)")
            if not path:
                return None
        from riskdesk.services.baseline import BaselineService

        try:
            p = BaselineService(self.state.workspace).export_xlsx(path)
        except (OSError, ValidationError) as e:
            QMessageBox.warning(self, "Export", f"Cannot write {path}: {e}")
            return None
        self.state.audit_changed.emit()
        self.state.notify(f"Exported the baseline to {p} (audit chain head embedded)")
        return p


if __name__ == "__main__":
    from riskdesk.ui.main_window import screen_main

    raise SystemExit(screen_main("baseline"))
