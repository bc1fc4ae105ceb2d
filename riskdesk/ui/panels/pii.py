"""Personal data: scan every free-text field with the PII policy (detections listed by field,
type and position, never the text), and "Share a redacted copy" of the workspace; choose the
policy in use (load a YAML file, or pick a stored version).

Shown as a tab of the Audit screen. The detector (Presidio, about a second to load) is loaded
in a background thread a little after the main window appears (:func:`schedule_warm_up`);
scans and copies run in a worker thread and wait for it there if it is not ready yet, so the
GUI thread never loads it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.ui.state import AppState
from riskdesk.ui.worker import GeneratorWorker

HEADERS = ("Field", "Type", "Start", "End", "Score", "Action", "Policy")
WARM_UP_DELAY_MS = 2000


def schedule_warm_up(owner: QObject, delay_ms: int = WARM_UP_DELAY_MS) -> None:
    """Load the PII detector in a background thread ``delay_ms`` after the event loop runs (not
    if ``owner`` is gone by then), so the first scan, shared copy or registry export does not
    wait for it. Nothing is imported now: the window's start-up is not slowed."""
    def start() -> None:
        from riskdesk.governance.pii.analyzer import start_background_warm_up

        start_background_warm_up()

    QTimer.singleShot(delay_ms, owner, start)


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
        self.policy_label = QLabel()
        self.policy_label.setObjectName("policyInUse")
        self.policy_combo = QComboBox()
        self.policy_combo.setObjectName("policyVersions")
        self.policy_combo.setToolTip("Stored policy versions; choose one to use it")
        self.policy_combo.activated.connect(self._policy_chosen)
        self.load_policy_btn = QPushButton("Policy…")
        self.load_policy_btn.setToolTip("Load a PII policy YAML file and use it for the next "
                                        "scans and shared copies (stored and audited)")
        self.load_policy_btn.clicked.connect(self._load_policy_clicked)
        self.problems_dialog: Any = None
        self.status = QLabel("Scans every free-text field (descriptions, mitigations, "
                             "rationales, comments, names) with the PII policy. Detections are "
                             "logged with positions only.")
        self.status.setWordWrap(True)
        pol_bar = QHBoxLayout()
        pol_bar.addWidget(QLabel("Policy in use:"))
        pol_bar.addWidget(self.policy_label)
        pol_bar.addSpacing(16)
        pol_bar.addWidget(QLabel("Stored versions:"))
        pol_bar.addWidget(self.policy_combo, 1)
        pol_bar.addWidget(self.load_policy_btn)
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
        lay.addLayout(pol_bar)
        lay.addLayout(bar)
        lay.addWidget(self.status)
        lay.addWidget(self.table, 1)
        state.workspace_changed.connect(self.refresh_policies)
        self.refresh_policies()

    # ---- policy -----------------------------------------------------------------------------
    def refresh_policies(self) -> None:
        """Show the policy in use and list the stored versions (newest first)."""
        self.policy_combo.clear()
        if not self.state.has_workspace:
            self.policy_label.setText("no workspace")
            return
        from riskdesk.services.pii import PiiService

        svc = PiiService(self.state.workspace)
        try:
            pol = svc.policy()
        except ValidationError as e:  # a damaged stored policy: say so, keep the tab usable
            self.policy_label.setText(f"<b>unreadable</b> ({e.problems[0]})")
            pol = None
        active = pol.content_hash if pol is not None else ""
        if pol is not None:
            name = f" ({pol.name})" if pol.name else ""
            origin = "" if svc.active_policy_hash() else ", shipped default"
            self.policy_label.setText(f"<b>{pol.version}</b>{name}{origin} · {active[:8]}")
        from riskdesk.governance.policy import load_policy

        stored = {row.hash for row in svc.policies()}
        for row in reversed(svc.policies()):
            self.policy_combo.addItem(f"{row.version} · {row.hash[:8]} · {row.created_at} · "
                                      f"{row.created_by}", row.hash)
        shipped = load_policy()
        if shipped.content_hash not in stored:  # always offer the way back to the default
            self.policy_combo.addItem(f"{shipped.version} · {shipped.content_hash[:8]} · "
                                      "shipped default", shipped.content_hash)
        self.policy_combo.setCurrentIndex(max(0, self.policy_combo.findData(active)))

    def _policy_chosen(self, index: int) -> None:
        h = self.policy_combo.itemData(index)
        if not h or not self.state.has_workspace:
            return
        from riskdesk.governance.policy import load_policy
        from riskdesk.services.pii import PiiService

        svc = PiiService(self.state.workspace)
        try:
            stored = any(r.hash == h for r in svc.policies())
            pol = svc.stored_policy(h) if stored else load_policy()
            changed = svc.use_policy(pol)
        except ValidationError as e:
            self._policy_problems("the stored version", e.problems)
            return
        self.refresh_policies()
        if changed:
            self.status.setText(f"Policy {pol.version} is now in use (recorded on the audit "
                                "log).")
            self.state.audit_changed.emit()

    def _load_policy_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load a PII policy", "",
                                              "PII policy (*.yaml *.yml);;All files (*)")
        if path:
            self.load_policy_file(Path(path))

    def load_policy_file(self, path: Path) -> bool:
        """Validate the policy YAML at ``path``, store it and use it for the following scans
        and shared copies. A bad file lists its problems (file, field or line) and changes
        nothing. Returns True when the policy was put in use."""
        if not self.state.has_workspace:
            return False
        from riskdesk.services.pii import PiiService

        try:
            pol = PiiService(self.state.workspace).use_policy_file(path)
        except ValidationError as e:
            self._policy_problems(path.name, e.problems)
            return False
        except OSError as e:
            self._policy_problems(path.name, [Problem(path.name, str(e))])
            return False
        self.refresh_policies()
        self.status.setText(f"Loaded {path.name}: policy {pol.version} is in use for the next "
                            "scans and shared copies (stored and recorded on the audit log).")
        self.state.audit_changed.emit()
        return True

    def _policy_problems(self, name: str, problems: list[Problem]) -> None:
        from riskdesk.ui.panels.import_preview import ProblemsDialog

        self.status.setText(f"Policy not loaded from {name}; nothing changed: {problems[0]}")
        self.problems_dialog = ProblemsDialog(
            "Policy not loaded", f"{name} is not a valid PII policy; the policy in use is "
            f"unchanged. {len(problems)} problem(s):", problems, self)
        self.problems_dialog.open()

    def _busy(self, on: bool) -> None:
        self.scan_btn.setEnabled(not on)
        self.share_btn.setEnabled(not on)
        self.load_policy_btn.setEnabled(not on)
        self.policy_combo.setEnabled(not on)
        self.cancel_btn.setEnabled(on)
        if not on:
            self.progress.setVisible(False)

    def cancel(self) -> None:
        if self.worker is not None and self.worker.running:
            self.worker.cancel()

    def shutdown(self) -> None:
        """The window closes (or the workspace changes): cancel a scan at its next field, let a
        shared copy being written finish, and wait for the thread."""
        if self.worker is not None:
            self.worker.stop()

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

        The worker first waits for the detector (loaded in the background since start-up, or
        loaded there now): the GUI thread never loads it. ``steps``: ``job`` returns a generator
        whose yields are progress (done, total) and whose return value is the result."""
        if not self.state.has_workspace or (self.worker is not None and self.worker.running):
            return None
        from riskdesk.governance.pii import analyzer

        self.status.setText(message if analyzer.is_warm() else
                            "Loading the detector (about a second, once per session)…")

        def gen() -> Generator[Any, None, Any]:
            if not analyzer.is_warm():
                yield "Loading the detector…"
                analyzer.warm_up()
            yield message
            if steps:
                return (yield from job())
            return job()

        w = GeneratorWorker(gen, self)
        w.finished.connect(on_done)
        w.progress.connect(self._on_progress)
        w.progress.connect(lambda p: self.status.setText(p) if isinstance(p, str) else None)
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
        return self._run("Scanning…",
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
        self.refresh_policies()
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
        self.status.setText(f"Wrote {rep.output} under policy {rep.policy_version}: "
                            f"{d['changed_strings']} strings redacted ({ents or 'none'}). "
                            f"Report: {rep.report_file}")
        self.refresh_policies()
        self.state.audit_changed.emit()
