"""Personal data: scan every free-text field with the PII policy (detections listed by field,
type and position, never the text), and "Share a redacted copy" of the workspace.

Shown as a tab of the Audit screen. The detector loads on first use (about a second).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.ui.state import AppState

HEADERS = ("Field", "Type", "Start", "End", "Score", "Action", "Policy")


class PiiPanel(QWidget):
    """Scan for personal data and write redacted copies."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.last_result: Any = None
        self.scan_btn = QPushButton("Scan for personal data")
        self.scan_btn.clicked.connect(self.scan)
        self.share_btn = QPushButton("Share a redacted copy…")
        self.share_btn.clicked.connect(self._share_clicked)
        self.status = QLabel("Scans every free-text field (descriptions, mitigations, "
                             "rationales, comments, names) with the PII policy. Detections are "
                             "logged with positions only.")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.scan_btn)
        bar.addWidget(self.share_btn)
        bar.addStretch(1)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("piiTable")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for i in range(1, len(HEADERS)):
            h.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.status)
        lay.addWidget(self.table, 1)

    def _busy(self, on: bool) -> None:
        self.scan_btn.setEnabled(not on)
        self.share_btn.setEnabled(not on)

    def _run(self, message: str, job: Callable[[], Any], on_done: Callable[[Any], None]
             ) -> bool:
        """Run ``job`` on the GUI thread under a wait cursor; report failures in the status.

        Presidio analysis from a worker thread while the Qt event loop runs Python crashed the
        interpreter (PySide6 6.12), so scans run here; a demo workspace takes about a second."""
        if not self.state.has_workspace:
            return False
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        self.status.setText(message)
        self._busy(True)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QApplication.processEvents()
        try:
            result = job()
        except Exception as exc:  # never crash the GUI: say what went wrong
            self.status.setText(f"Failed: {exc}")
            return False
        finally:
            QApplication.restoreOverrideCursor()
            self._busy(False)
        on_done(result)
        return True

    # ---- scan -------------------------------------------------------------------------------
    def scan(self) -> bool:
        from riskdesk.services.pii import PiiService

        if not self.state.has_workspace:
            return False
        ws = self.state.workspace
        return self._run("Loading the detector and scanning…", lambda: PiiService(ws).scan(),
                         self._show_scan)

    def _show_scan(self, res: Any) -> None:
        self.last_result = res
        counts = ", ".join(f"{k} {v}" for k, v in sorted(res.counts().items())) or "nothing"
        self.status.setText(f"Scan {res.scan_id}: {res.fields} fields under policy "
                            f"{res.policy_version}; found {counts}. Logged in the workspace.")
        self.table.setRowCount(len(res.detections))
        for i, d in enumerate(res.detections):
            for j, v in enumerate((d.field, d.entity_type, str(d.start), str(d.end),
                                   f"{d.score:.2f}", d.action, d.policy_version)):
                self.table.setItem(i, j, QTableWidgetItem(v))
        self.state.audit_changed.emit()

    # ---- share ------------------------------------------------------------------------------
    def _share_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Share a redacted copy", "shared.riskdesk",
                                              "riskdesk workspace (*.riskdesk)")
        if path:
            self.share_to(Path(path))

    def share_to(self, path: Path) -> bool:
        from riskdesk.services.governance import share_copy

        if not self.state.has_workspace:
            return False
        ws = self.state.workspace
        return self._run("Writing a redacted copy…", lambda: share_copy(ws, path),
                         self._show_share)

    def _show_share(self, rep: Any) -> None:
        self.last_result = rep
        d = rep.to_dict()
        ents = ", ".join(f"{e['type']} {e['action']} {e['count']}" for e in d["entities"])
        self.status.setText(f"Wrote {rep.output}: {d['changed_strings']} strings redacted "
                            f"({ents or 'none'}). Report: {rep.report_file}")
        self.state.audit_changed.emit()
