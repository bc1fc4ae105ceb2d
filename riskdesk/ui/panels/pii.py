"""Personal data: scan every free-text field with the PII policy (detections listed by field,
type and position, never the text), and "Share a redacted copy" of the workspace.

Shown as a tab of the Audit screen. The detector loads on first use (about a second); scans
and copies then run in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.ui.state import AppState
from riskdesk.ui.worker import GeneratorWorker

HEADERS = ("Field", "Type", "Start", "End", "Score", "Action", "Policy")


class PiiPanel(QWidget):
    """Scan for personal data and write redacted copies."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.last_result: Any = None
        self.worker: GeneratorWorker | None = None
        self.scan_btn = QPushButton("Scan for personal data")
        self.scan_btn.clicked.connect(self.scan)
        self.share_btn = QPushButton("Share a redacted copy…")
        self.share_btn.clicked.connect(self._share_clicked)
        self.cancel_btn = QPushButton("Cancel")
        self.cancel_btn.setEnabled(False)
        self.cancel_btn.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel("Scans every free-text field (descriptions, mitigations, "
                             "rationales, comments, names) with the PII policy. Detections are "
                             "logged with positions only.")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.scan_btn)
        bar.addWidget(self.share_btn)
        bar.addWidget(self.cancel_btn)
        bar.addWidget(self.progress, 1)
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
        self.cancel_btn.setEnabled(on)
        if not on:
            self.progress.setVisible(False)

    def cancel(self) -> None:
        if self.worker is not None and self.worker.running:
            self.worker.cancel()

    def _on_progress(self, p: Any) -> None:
        if isinstance(p, tuple) and len(p) == 2:
            done, total = p
            self.progress.setVisible(True)
            self.progress.setRange(0, max(1, int(total)))
            self.progress.setValue(int(done))
            self.progress.setFormat(f"%v of {int(total):,} fields")

    def _run(self, message: str, job: Callable[[], Any], on_done: Callable[[Any], None],
             steps: bool = False) -> GeneratorWorker | None:
        """Run ``job`` in a worker thread; its result goes to ``on_done`` on the GUI thread.

        The detector is loaded first on the GUI thread (about a second, once per session) so
        the worker never imports modules. ``steps``: ``job`` returns a generator whose yields
        are progress (done, total) and whose return value is the result."""
        if not self.state.has_workspace or (self.worker is not None and self.worker.running):
            return None
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from riskdesk.governance.pii.analyzer import warm_up

        self.status.setText(message)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            warm_up()
        except Exception as exc:  # never crash the GUI: say what went wrong
            self.status.setText(f"Failed to load the detector: {exc}")
            return None
        finally:
            QApplication.restoreOverrideCursor()

        def gen() -> Generator[Any, None, Any]:
            yield message
            if steps:
                return (yield from job())
            return job()

        w = GeneratorWorker(gen, self)
        w.finished.connect(on_done)
        w.progress.connect(self._on_progress)
        w.cancelled.connect(lambda: self.status.setText("Cancelled; nothing was logged or written."))
        w.failed.connect(lambda msg: self.status.setText(f"Failed: {msg.splitlines()[0]}"))
        w.done.connect(lambda: self._busy(False))
        self.worker = w
        self._busy(True)
        w.start()
        return w

    # ---- scan -------------------------------------------------------------------------------
    def scan(self) -> GeneratorWorker | None:
        from riskdesk.services.pii import PiiService

        if not self.state.has_workspace:
            return None
        ws = self.state.workspace
        return self._run("Loading the detector and scanning…",
                         lambda: PiiService(ws).scan_steps(), self._show_scan, steps=True)

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

    def share_to(self, path: Path) -> GeneratorWorker | None:
        from riskdesk.services.governance import share_copy

        if not self.state.has_workspace:
            return None
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
