"""The Audit screen: the hash-chained audit log as a filterable table (who, when, what, entity),
the field-level diff of the selected entry, "Verify chain" with its findings, export to Excel
with the chain head embedded, and a Lineage tab (runs ↔ inputs, approvals, elicitations).

Run alone: ``python -m riskdesk.ui.panels.audit``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.services.governance import AuditRow, GovernanceService, export_audit_xlsx
from riskdesk.ui.state import AppState

COLUMNS = ("Seq", "When (UTC)", "Who", "Action", "Entity type", "Entity", "Changes")
OK_STYLE = "background:#e7f5ec; color:#1b5e20; padding:6px; border-radius:4px;"
BAD_STYLE = "background:#fdecea; color:#8a1c12; padding:6px; border-radius:4px;"
Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()


class AuditModel(QAbstractTableModel):
    """Audit entries, newest first."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self.rows = list(reversed(rows))
        self.endResetModel()

    def rowCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(r.seq), r.at.replace("T", " ").removesuffix("Z")[:19], r.who, r.action,
                    r.entity_type, r.entity_id, str(len(r.diff)))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return f"OS user: {r.os_user}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _short(v: Any) -> str:
    if v is None:
        return "—"
    s = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)
    return s if len(s) <= 300 else s[:300] + "…"


class AuditPanel(QWidget):
    """Audit log table with filter, per-entry diff, chain verification and Excel export."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.model = AuditModel()
        self.last_report: Any = None

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by who, action, entity or date…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.reload)
        self.kind = QComboBox()
        self.kind.currentIndexChanged.connect(self.reload)
        self.verify_btn = QPushButton("Verify chain")
        self.verify_btn.clicked.connect(self.verify)
        self.export_btn = QPushButton("Export to Excel…")
        self.export_btn.clicked.connect(self._export_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(QLabel("Entity:"))
        bar.addWidget(self.kind)
        bar.addWidget(self.verify_btn)
        bar.addWidget(self.export_btn)

        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setVisible(False)
        self.issues = QTableWidget(0, 3)
        self.issues.setHorizontalHeaderLabels(["Finding", "Where", "Detail"])
        self.issues.verticalHeader().setVisible(False)
        self.issues.horizontalHeader().setStretchLastSection(True)
        self.issues.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issues.setVisible(False)
        self.issues.setMaximumHeight(160)

        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        h = self.table.horizontalHeader()
        for i in range(len(COLUMNS)):
            h.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._show_diff)

        box = QGroupBox("Changes in the selected entry")
        bl = QVBoxLayout(box)
        self.entry_label = QLabel("Select an entry to see what it changed.")
        self.entry_label.setWordWrap(True)
        self.diff = QTableWidget(0, 3)
        self.diff.setObjectName("diffTable")
        self.diff.setHorizontalHeaderLabels(["Field", "Before", "After"])
        self.diff.verticalHeader().setVisible(False)
        self.diff.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.diff.setWordWrap(True)
        dh = self.diff.horizontalHeader()
        dh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        dh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        dh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        bl.addWidget(self.entry_label)
        bl.addWidget(self.diff)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(box)
        split.setSizes([420, 260])

        log = QWidget()
        lay = QVBoxLayout(log)
        lay.setContentsMargins(0, 4, 0, 0)
        note = QLabel("Every change is an entry on a keyed hash chain (HMAC-SHA-256, key kept "
                      "outside the workspace). Verify checks the chain, the checkpoints kept "
                      "outside the file, and that tables match their audited states.")
        note.setWordWrap(True)
        lay.addWidget(note)
        lay.addLayout(bar)
        lay.addWidget(self.result)
        lay.addWidget(self.issues)
        lay.addWidget(split, 1)

        from riskdesk.ui.panels.lineage import LineagePanel

        self.lineage = LineagePanel(state)
        self.tabs = QTabWidget()
        self.tabs.addTab(log, "Log")
        self.tabs.addTab(self.lineage, "Lineage")
        from riskdesk.ui.panels.pii import PiiPanel

        self.pii = PiiPanel(state)
        self.tabs.addTab(self.pii, "Personal data")
        outer = QVBoxLayout(self)
        outer.addWidget(QLabel("<h2 style='margin:0'>Audit</h2>"))
        outer.addWidget(self.tabs, 1)

        state.audit_changed.connect(self.reload)
        state.workspace_changed.connect(self._workspace_changed)
        self._workspace_changed()

    def shutdown(self) -> None:
        """The window closes: wait for a scan or shared copy running on the Personal data tab."""
        self.pii.shutdown()

    # ---- data -------------------------------------------------------------------------------
    def _svc(self) -> GovernanceService | None:
        return GovernanceService(self.state.workspace) if self.state.has_workspace else None

    def _workspace_changed(self) -> None:
        svc = self._svc()
        self.kind.blockSignals(True)
        current = self.kind.currentData()
        self.kind.clear()
        self.kind.addItem("All", "")
        for t in svc.entity_types() if svc else []:
            self.kind.addItem(t, t)
        i = self.kind.findData(current)
        self.kind.setCurrentIndex(max(0, i))
        self.kind.blockSignals(False)
        self.result.setVisible(False)
        self.issues.setVisible(False)
        self.reload()

    def reload(self) -> None:
        svc = self._svc()
        rows = svc.audit_rows(self.filter.text(), self.kind.currentData() or "") if svc else []
        self.model.set_rows(rows)
        self.diff.setRowCount(0)
        self.entry_label.setText(f"{len(rows)} entries shown. Select one to see what it "
                                 "changed." if rows else "No entries match the filter.")

    def _show_diff(self) -> None:
        sel = self.table.selectionModel().selectedRows()
        if not sel:
            return
        r = self.model.rows[sel[0].row()]
        self.entry_label.setText(f"Entry {r.seq}: <b>{r.action}</b> on {r.entity_type} "
                                 f"<b>{r.entity_id}</b> by {r.who} ({r.os_user}) at {r.at}")
        self.diff.setRowCount(len(r.diff))
        for i, d in enumerate(r.diff):
            for j, v in enumerate((d.get("path", ""), _short(d.get("before")),
                                   _short(d.get("after")))):
                it = QTableWidgetItem(v)
                it.setToolTip(v)
                self.diff.setItem(i, j, it)
        self.diff.resizeRowsToContents()

    # ---- actions ----------------------------------------------------------------------------
    def verify(self) -> None:
        svc = self._svc()
        if svc is None:
            return
        try:
            rep = svc.verify()
        except Exception as exc:  # never crash the GUI; say what happened
            self._banner(False, f"Verification could not run: {exc}")
            return
        self.last_report = rep
        if rep.ok:
            self._banner(True, f"✔ Chain verified: {rep.entries} entries, head {rep.head_seq} "
                         f"({rep.head_hash[:12]}…), {rep.checkpoints} outside checkpoints, "
                         "tables match their audited states.")
            self.issues.setVisible(False)
        else:
            self._banner(False, f"✘ {len(rep.issues)} finding(s) — the history or the data was "
                         "changed outside riskdesk.")
            self.issues.setRowCount(len(rep.issues))
            for i, iss in enumerate(rep.issues):
                where = f"entry {iss.seq}" if iss.seq is not None else ""
                if iss.entity:
                    where = f"{where} · {iss.entity}" if where else iss.entity
                for j, v in enumerate((iss.kind, where, iss.message)):
                    self.issues.setItem(i, j, QTableWidgetItem(v))
            self.issues.resizeColumnsToContents()
            self.issues.horizontalHeader().setStretchLastSection(True)
            self.issues.setVisible(True)
        self.state.notify("Audit chain verified" if rep.ok else "Audit chain verification "
                          "found problems")

    def _banner(self, ok: bool, text: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
        self.result.setVisible(True)

    def _export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export audit log", "audit-log.xlsx",
                                              "Excel workbook (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Path | None:
        """Write the filtered log to ``path`` with the chain head; reports errors in the banner."""
        if not self.state.has_workspace:
            return None
        try:
            out = export_audit_xlsx(self.state.workspace, path, self.filter.text(),
                                    self.kind.currentData() or "")
        except OSError as exc:
            self._banner(False, f"Could not write {path}: {exc.strerror or exc}")
            return None
        self.state.notify(f"Audit log exported to {out}")
        return out


if __name__ == "__main__":
    from riskdesk.ui.main_window import screen_main

    raise SystemExit(screen_main("audit"))
