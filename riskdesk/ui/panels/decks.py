"""The Price decks screen: deck table, versions and stages, chart of a benchmark by scenario,
Excel import with a preview (problems, or the parsed deck and its diff from the previous version)
and export. Run alone: ``python -m riskdesk.ui.panels.decks``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.deck import PriceDeck, period_time
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import STAGE_LABELS, TRANSITIONS
from riskdesk.services.decks import DeckPreview, DeckService, DeckSummary
from riskdesk.ui.panels.import_preview import ProblemsDialog
from riskdesk.ui.state import AppState

Index = QModelIndex | QPersistentModelIndex
#: (name, basis, base year or None, escalation fraction) -> a fresh preview of the same file
Reparse = Callable[[str, str, int | None, float], DeckPreview]
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf")


class DeckTableModel(QAbstractTableModel):
    """One row per deck: its latest version."""

    HEADERS = ("Deck", "Version", "Stage", "Basis", "Scenarios", "Benchmarks", "Imported")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[DeckSummary] = []

    def set_rows(self, rows: list[DeckSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        r = self.rows[index.row()]
        basis = f"real {r.base_year}" if r.basis == "real" else r.basis
        return (r.name, r.version, STAGE_LABELS.get(r.stage, r.stage), basis,
                ", ".join(r.scenarios), ", ".join(r.benchmarks),
                r.created_at.replace("T", " ").rstrip("Z"))[index.column()]


class DeckImportDialog(QDialog):
    """The parsed deck and what changes from the previous version; Save stores a new version.
    Name, money basis, base year and escalation can be set here (decks often arrive without a
    metadata sheet); each change parses the file again and refreshes the diff."""

    def __init__(self, source: str, preview: DeckPreview, parent: QWidget | None = None,
                 reparse: Reparse | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.reparse = reparse
        d = preview.deck
        self.setWindowTitle(f"Import price deck — {source}")
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Deck name:"))
        self.name = QLineEdit(d.name)
        self.name.editingFinished.connect(self._again)
        row.addWidget(self.name, 1)
        self.basis = QComboBox()
        self.basis.addItems(["nominal", "real"])
        self.basis.setCurrentText(d.basis)
        self.base_year = QSpinBox()
        self.base_year.setRange(1900, 2200)
        self.base_year.setValue(d.base_year or (int(str(d.series[0].points[0][0])[:4]) - 1
                                                if d.series and d.series[0].points else 2026))
        self.base_year.setEnabled(d.basis == "real")
        self.escalation = QDoubleSpinBox()
        self.escalation.setRange(-50, 100)
        self.escalation.setDecimals(2)
        self.escalation.setSuffix(" %/yr")
        self.escalation.setValue(d.escalation * 100)
        self.escalation.setKeyboardTracking(False)
        for label, w in (("Money:", self.basis), ("Base year:", self.base_year),
                         ("Escalation:", self.escalation)):
            row.addWidget(QLabel(label))
            row.addWidget(w)
        self.basis.currentTextChanged.connect(self._again)
        self.base_year.valueChanged.connect(self._again)
        self.escalation.valueChanged.connect(self._again)
        lay.addLayout(row)
        self.info = QLabel()
        self.info.setWordWrap(True)
        lay.addWidget(self.info)
        self.head = QLabel()
        self.head.setWordWrap(True)
        lay.addWidget(self.head)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Change", "Where", "Before", "After"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._show(preview)
        self.resize(820, 480)

    def _show(self, preview: DeckPreview) -> None:
        self.preview = preview
        d = preview.deck
        basis = f"real {d.base_year} money" if d.basis == "real" else "nominal"
        info = (f"{len(d.scenarios)} scenarios ({', '.join(d.scenarios)}), {len(d.benchmarks)} "
                f"benchmarks ({', '.join(d.benchmarks)}); {basis}, escalation "
                f"{d.escalation:.2%}/yr. Sheets read as: "
                + ", ".join(f"{k} ({v})" for k, v in preview.layouts.items()))
        if preview.skipped_sheets:
            info += f". Sheets without a price table: {', '.join(preview.skipped_sheets)}"
        self.info.setText(info)
        self.head.setText(f"Changes from version {preview.previous} of {d.name!r}: "
                          f"{preview.diff.summary()}" if preview.previous
                          else f"New deck {d.name!r}: every series is added")
        rows = [(c.kind.replace("_", " "), c.where, "" if c.old is None else str(c.old),
                 "" if c.new is None else str(c.new)) for c in preview.diff.changes]
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, t in enumerate(r):
                self.table.setItem(i, j, QTableWidgetItem(t))
        self._set_saveable(True)

    def accept(self) -> None:
        """Save: a name typed without leaving the field is applied first."""
        typed = self.name.text().strip()
        if typed and typed != self.preview.deck.name:
            if self.reparse is None:
                self.preview = DeckPreview(self.preview.deck.with_(name=typed),
                                           self.preview.previous, self.preview.diff,
                                           self.preview.layouts, self.preview.skipped_sheets)
            else:
                self._again()
                btn = self.buttons.button(QDialogButtonBox.StandardButton.Save)
                if btn is not None and not btn.isEnabled():
                    return
        super().accept()

    def _set_saveable(self, ok: bool) -> None:
        btn = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if btn is not None:
            btn.setEnabled(ok)

    def _again(self, *_: Any) -> None:
        real = self.basis.currentText() == "real"
        self.base_year.setEnabled(real)
        if self.reparse is None:
            return
        try:
            pv = self.reparse(self.name.text().strip() or self.preview.deck.name,
                              self.basis.currentText(),
                              self.base_year.value() if real else None,
                              self.escalation.value() / 100)
        except ValidationError as e:
            self.head.setText("Cannot save: " + "; ".join(str(p) for p in e.problems))
            self._set_saveable(False)
            return
        self._show(pv)


class DecksPanel(QWidget):
    """Price decks: table, versions/stages, chart, import and export."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.dialog: QDialog | None = None
        self._deck: PriceDeck | None = None
        lay = QVBoxLayout(self)
        bar = QToolBar()
        self.act_import = QAction("Import Excel…", self)
        self.act_import.triggered.connect(self._ask_import)
        self.act_export = QAction("Export Excel…", self)
        self.act_export.triggered.connect(self._ask_export)
        bar.addAction(self.act_import)
        bar.addAction(self.act_export)
        bar.addSeparator()
        self.stage_actions: dict[str, QAction] = {}
        for to, label in (("in_review", "Submit for review"), ("approved", "Approve"),
                          ("draft", "Back to draft"), ("retired", "Retire")):
            a = QAction(label, self)
            a.triggered.connect(lambda _=False, t=to: self.promote(t))
            bar.addAction(a)
            self.stage_actions[to] = a
        lay.addWidget(bar)
        split = QSplitter(Qt.Orientation.Vertical)
        self.model = DeckTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().selectionChanged.connect(self._deck_selected)
        split.addWidget(self.table)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Version:"))
        self.version = QComboBox()
        self.version.currentIndexChanged.connect(self._version_selected)
        pick.addWidget(self.version)
        pick.addWidget(QLabel("Benchmark:"))
        self.benchmark = QComboBox()
        self.benchmark.currentIndexChanged.connect(self._redraw)
        pick.addWidget(self.benchmark)
        self.info = QLabel()
        pick.addWidget(self.info, 1)
        ll.addLayout(pick)
        self.plot = pg.PlotWidget(background="w")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setLabel("bottom", "Year")
        self.legend = self.plot.addLegend(offset=(10, 10))
        self.curves: dict[str, pg.PlotDataItem] = {}
        ll.addWidget(self.plot, 1)
        split.addWidget(lower)
        split.setSizes([180, 420])
        lay.addWidget(split)
        state.decks_changed.connect(self.refresh)
        state.workspace_changed.connect(self.refresh)
        self.refresh()

    # ---- data -------------------------------------------------------------------------------
    @property
    def service(self) -> DeckService:
        return DeckService(self.state.workspace)

    def refresh(self) -> None:
        current = self.current_name()
        self.model.set_rows(self.service.summaries() if self.state.has_workspace else [])
        names = [r.name for r in self.model.rows]
        if names:
            self.table.selectRow(names.index(current) if current in names else 0)
        else:
            self._deck_selected()  # nothing selected: empty chart, stage actions disabled

    def current_name(self) -> str | None:
        idx = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.rows[idx[0].row()].name if idx else None

    def _deck_selected(self, *_: Any) -> None:
        name = self.current_name()
        self.version.blockSignals(True)
        self.version.clear()
        if name:
            for v in reversed(self.service.versions(name)):
                self.version.addItem(f"v{v.number} — {STAGE_LABELS[v.stage]}", v.number)
        self.version.blockSignals(False)
        self._version_selected()

    def current_version(self) -> int | None:
        v = self.version.currentData()
        return int(v) if v is not None else None

    def _version_selected(self, *_: Any) -> None:
        name, number = self.current_name(), self.current_version()
        self._show_deck(self.service.deck(name, number) if name and number else None)
        stage = self.service.version_info(name, number).stage if name and number else None
        for to, act in self.stage_actions.items():
            act.setEnabled(stage is not None and to in TRANSITIONS[stage])
        self.act_export.setEnabled(stage is not None)

    def _show_deck(self, deck: PriceDeck | None) -> None:
        self._deck = deck
        keep = self.benchmark.currentText()
        self.benchmark.blockSignals(True)
        self.benchmark.clear()
        if deck:
            self.benchmark.addItems(deck.benchmarks)
            if keep in deck.benchmarks:
                self.benchmark.setCurrentText(keep)
            basis = f"real {deck.base_year} money" if deck.basis == "real" else "nominal"
            self.info.setText(f"  {basis}, escalation {deck.escalation:.2%}/yr")
        else:
            self.info.setText("  no deck: import one from Excel")
        self.benchmark.blockSignals(False)
        self._redraw()

    def _redraw(self, *_: Any) -> None:
        deck, bench = self._deck, self.benchmark.currentText()
        wanted = deck.scenarios if deck and bench else []
        for scen in wanted:  # curves are created once per scenario name, then updated
            if scen not in self.curves:
                pen = pg.mkPen(COLORS[len(self.curves) % len(COLORS)], width=2)
                self.curves[scen] = self.plot.plot([], [], pen=pen, name=scen, symbol="o",
                                                   symbolSize=4)
        for scen, curve in self.curves.items():
            s = None
            if deck and scen in wanted:
                try:
                    s = deck.get(scen, bench)
                except KeyError:
                    s = None
            if s is None:
                curve.setData([], [])
                curve.setVisible(False)
                continue
            curve.setVisible(True)
            curve.setData([period_time(p) for p in s.periods], s.values)
        unit = deck.unit(bench) if deck and bench else ""
        self.plot.setLabel("left", f"{bench} ({unit})" if bench else "")

    # ---- actions ----------------------------------------------------------------------------
    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import price deck", "",
                                              "Excel workbook (*.xlsx)")
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path, name: str | None = None) -> QDialog:
        """Parse ``path``; open the problem list, or the preview whose Save stores a version."""
        try:
            preview = self.service.preview_import(path, name)
        except ValidationError as e:
            dlg: QDialog = ProblemsDialog(
                "Price deck not imported", f"{path.name} was not imported; nothing was saved. "
                "Fix these cells and import again:", e.problems, self)
        else:
            def again(nm: str, basis: str, year: int | None, esc: float) -> DeckPreview:
                return self.service.preview_import(path, nm, basis=basis, base_year=year,
                                                   escalation=esc)

            dlg = DeckImportDialog(path.name, preview, self, again)
            dlg.accepted.connect(lambda: self._save_import(dlg, path))  # type: ignore[arg-type]
        self.dialog = dlg
        dlg.open()
        return dlg

    def _save_import(self, dlg: DeckImportDialog, path: Path) -> None:
        name = dlg.preview.deck.name
        try:
            info = self.service.save(dlg.preview.deck, source=path.name)
        except ValidationError as e:
            self.dialog = ProblemsDialog("Price deck not saved", "Nothing was saved:",
                                         e.problems, self)
            self.dialog.open()
            return
        self.state.decks_changed.emit()
        names = [r.name for r in self.model.rows]
        if name in names:
            self.table.selectRow(names.index(name))
        self.state.notify(f"Imported {path.name} as {name!r} version {info.number}")

    def _ask_export(self) -> None:
        name = self.current_name()
        if not name:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export price deck", f"{name}.xlsx",
                                              "Excel workbook (*.xlsx)")
        if path:
            self.export_path(Path(path))

    def export_path(self, path: Path) -> None:
        name, number = self.current_name(), self.current_version()
        if not name:
            return
        try:
            info = self.service.export(name, path, number)
        except (OSError, ValidationError) as e:
            probs = e.problems if isinstance(e, ValidationError) else [
                Problem(path.name, e.strerror or str(e))]
            self.dialog = ProblemsDialog("Price deck not exported", f"{path} was not written:",
                                         probs, self)
            self.dialog.open()
            return
        self.state.audit_changed.emit()
        self.state.notify(f"Exported {name!r} version {info.number} to {path.name}")

    def promote(self, to: str, comment: str | None = None) -> None:
        """Move the selected version to stage ``to`` with a comment (asked for when None;
        the comment is kept with the stage move and shown in lineage)."""
        name, number = self.current_name(), self.current_version()
        if not name or number is None:
            return
        if comment is None:
            comment, ok = QInputDialog.getText(
                self, "Change stage", f"{name} v{number} → {STAGE_LABELS[to]}\nComment "
                "(kept with the stage move):")
            if not ok:
                return
        try:
            self.service.promote(name, number, to, comment.strip())
        except ValidationError as e:
            self.dialog = ProblemsDialog("Stage not changed", "The version stays where it is:",
                                         e.problems, self)
            self.dialog.open()
            return
        self.state.decks_changed.emit()


if __name__ == "__main__":
    from riskdesk.ui.main_window import screen_main

    raise SystemExit(screen_main("decks"))
