"""The Registry screen's file side: settings, freezing a version, import with a preview,
export (redacted by default, in a worker), the shared copy and the empty template.

``RegistryFileActions`` is the base of ``RegistryPanel``; it needs the panel's ``state``,
``model`` and ``act_share`` (set up by the panel before any of these actions can run).
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.services.registry import RegistryService, VersionInfo
from riskdesk.ui.commands import ImportRegistryCommand, execute
from riskdesk.ui.panels.import_preview import (
    ImportPreviewDialog,
    ProblemsDialog,
    risk_changes,
    risk_summary,
)
from riskdesk.ui.panels.registry_model import RiskTableModel
from riskdesk.ui.panels.registry_settings import SettingsCommand, SettingsDialog, settings_of
from riskdesk.ui.state import AppState
from riskdesk.ui.worker import GeneratorWorker


class RegistryFileActions(QWidget):
    """Settings, versions and files of the registry draft (base of the Registry screen)."""

    state: AppState
    model: RiskTableModel
    act_share: QAction
    share_worker: GeneratorWorker | None = None
    problems_dialog: ProblemsDialog | None = None
    import_dialog: ImportPreviewDialog | None = None

    def _show_problems(self, title: str, intro: str, problems: list[Problem]) -> None:
        self.problems_dialog = ProblemsDialog(title, intro, problems, self)
        self.problems_dialog.open()

    def edit_settings(self) -> SettingsDialog | None:
        """Open the registry settings dialog; OK stores them as one undoable step."""
        if not self.model.has_registry:
            self.state.notify("The workspace has no registry yet: import or add risks first")
            return None
        reg = RegistryService(self.state.workspace).draft()
        dlg = SettingsDialog(reg, self)

        def done() -> None:
            problems = execute(self.state, SettingsCommand(self.state, settings_of(reg),
                                                           dlg.settings()))
            if problems:
                self._show_problems("Settings not saved", "", problems)
            else:
                self.state.notify("Registry settings saved (Ctrl+Z to undo)")

        dlg.accepted.connect(done)
        self.settings_dialog = dlg
        dlg.open()
        return dlg

    def freeze(self, comment: str | None = None) -> VersionInfo | None:
        """Freeze the draft as a new version (asks for a comment when none is given)."""
        if comment is None:
            text, ok = QInputDialog.getMultiLineText(self, "Freeze version",
                                                     "Comment for this version:")
            if not ok:
                return None
            comment = text
        svc = RegistryService(self.state.workspace)
        try:
            info = svc.freeze(comment.strip())
        except ValidationError as e:
            self._show_problems("Cannot freeze", "The draft could not be frozen:", e.problems)
            return None
        same = [v.number for v in svc.versions() if v.hash == info.hash and v.number != info.number]
        self.state.versions_changed.emit()
        self.state.notify(f"Froze registry version {info.number} ({info.hash[:15]}…)"
                          + (f": same content as version {same[-1]}" if same else ""))
        return info

    def import_file(self, path: str | Path | None = None) -> ImportPreviewDialog | None:
        """Read a registry .xlsx/.json, then preview the changes (or list every problem)."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import registry", "",
                                                  "Registry files (*.xlsx *.json)")
            if not path:
                return None
        p = Path(path)
        try:
            if p.suffix.lower() == ".json":
                from riskdesk.io.registry_json import load_registry_json

                incoming = load_registry_json(p)
            else:
                from riskdesk.io.registry_excel import read_registry_xlsx

                incoming = read_registry_xlsx(p)
        except ValidationError as e:
            self._show_problems("Import refused", f"Nothing was imported from {p.name}: "
                                f"{len(e.problems)} problem(s).", e.problems)
            return None
        except OSError as e:
            QMessageBox.warning(self, "Import", f"Cannot read {p.name}: {e}")
            return None
        svc = RegistryService(self.state.workspace)
        cur = {r.id: r for r in self.model.risks}
        new = {r.id: r for r in incoming.risks}

        def details(what: str, rid: str) -> str:
            if what == "changed" and rid in cur and rid in new:
                return risk_changes(cur[rid], new[rid])
            r = new.get(rid) if what == "added" else cur.get(rid)
            return risk_summary(r) if r is not None else ""

        dlg = ImportPreviewDialog(p.name, svc.preview_import(incoming),
                                  lambda replace: svc.preview_import(incoming, replace=replace),
                                  self, details=details)
        from riskdesk.services.pii import exported_redacted

        redacted = exported_redacted(p)
        if redacted:  # the same warning as `riskdesk registry import` gives
            warn = QLabel(f"<b>{p.name} was exported redacted:</b> owners and free text in it "
                          "are tokens, not the original text. Applying the import writes those "
                          "tokens into the draft. Cancel unless that is what you want.")
            warn.setObjectName("redactedWarning")
            warn.setWordWrap(True)
            warn.setStyleSheet("QLabel { background: #fff4ce; color: #5c4400; padding: 6px; "
                               "border: 1px solid #e0c060; }")
            lay = dlg.layout()
            assert isinstance(lay, QVBoxLayout)
            lay.insertWidget(0, warn)
            dlg.apply_button.setText("Import tokens anyway")
            dlg.apply_button.setAutoDefault(False)  # Enter cancels; going on takes a click
            cancel = dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel)
            cancel.setAutoDefault(True)
            cancel.setDefault(True)
        dlg.accepted.connect(lambda: self._apply_import(incoming, dlg.replace_draft, p.name,
                                                        redacted))
        self.import_dialog = dlg
        dlg.open()
        return dlg

    def _apply_import(self, incoming: Any, replace: bool, name: str,
                      redacted: bool = False) -> None:
        problems = execute(self.state, ImportRegistryCommand(self.state, incoming, replace, name))
        if problems:
            self._show_problems("Import failed", "Nothing was imported:", problems)
        else:
            self.state.notify(f"Imported {name}" + (" (exported redacted: owners and free text "
                                                     "are tokens)" if redacted else ""))

    def export_file(self, path: str | Path | None = None,
                    reveal_reason: str | None = None) -> Path | GeneratorWorker | None:
        """Export the draft as .xlsx (template layout) or registry JSON, by the file suffix.

        Redacted by default (in a worker; returns it). With a ``reveal_reason`` the original text
        is written at once (returns the path) and the reason lands on the audit log."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export registry", "registry.xlsx",
                                                  "Excel workbook (*.xlsx);;Registry JSON (*.json)")
            if not path:
                return None
            reveal_reason = self._ask_reveal_reason()
            if reveal_reason is None:
                return None
        p = Path(path)
        if not reveal_reason:
            return self.export_shared(p)
        try:
            reg = RegistryService(self.state.workspace).draft()
        except ValidationError as e:
            self._show_problems("Nothing to export", "", e.problems)
            return None
        from riskdesk.services.pii import PiiService

        try:
            PiiService(self.state.workspace).export_registry(reg, p, reveal_reason=reveal_reason)
        except OSError as e:
            QMessageBox.warning(self, "Export", f"Cannot write {p.name}: {e}")
            return None
        self.state.audit_changed.emit()
        self.state.notify(f"Exported {len(reg.risks)} risks with original text to {p} "
                          "(reason recorded on the audit log)")
        return p

    def _ask_reveal_reason(self) -> str | None:
        """"" for a redacted export, a reason for original text, None when cancelled."""
        box = QMessageBox(self)
        box.setWindowTitle("Export registry")
        box.setText("Personal data in descriptions and other free text will be redacted, and "
                    "owners replaced by consistent tokens.")
        redacted = box.addButton("Export redacted", QMessageBox.ButtonRole.AcceptRole)
        original = box.addButton("Export original text…", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(redacted)
        box.exec()
        if box.clickedButton() is redacted:
            return ""
        if box.clickedButton() is not original:
            return None
        while True:
            reason, ok = QInputDialog.getText(self, "Show original text",
                                              "Why must this file carry the original text? "
                                              "(recorded on the audit log)")
            if not ok:
                return None
            if reason.strip():
                return reason.strip()

    def export_shared(self, path: str | Path | None = None) -> GeneratorWorker | None:
        """Write a redacted .xlsx copy for sharing (PII policy; chain head embedded), in a worker
        thread because redaction takes a few seconds."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export for sharing",
                                                  "registry-shared.xlsx",
                                                  "Excel workbook (*.xlsx)")
            if not path:
                return None
        p = Path(path)
        try:
            reg = RegistryService(self.state.workspace).draft()
        except ValidationError as e:
            self._show_problems("Nothing to export", "", e.problems)
            return None
        from riskdesk.services.pii import PiiService

        svc = PiiService(self.state.workspace)

        def work() -> Generator[str, None, dict[str, Any]]:
            yield "Redacting personal data…"
            return svc.export_registry(reg, p)

        w = GeneratorWorker(work, self)
        w.progress.connect(self.state.notify)
        w.finished.connect(lambda res: self._shared(p, res))
        w.failed.connect(lambda msg: self._show_problems(
            "Export for sharing failed", "Nothing usable was written:", [Problem(p.name, msg)]))
        w.done.connect(lambda: self.act_share.setEnabled(True))
        self.act_share.setEnabled(False)
        self.share_worker = w
        w.start()
        return w

    def _shared(self, p: Path, res: Any) -> None:
        self.state.audit_changed.emit()
        self.state.notify(f"Shared copy written to {p}: {res.get('fields_redacted', 0)} fields "
                          "redacted, audit chain head embedded")

    def shutdown(self) -> None:
        """Wait for a running share export before the window closes."""
        if self.share_worker is not None:
            self.share_worker.wait(300_000)

    def save_template(self, path: str | Path | None = None) -> Path | None:
        """Write the empty registry workbook template."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Registry template",
                                                  "registry-template.xlsx",
                                                  "Excel workbook (*.xlsx)")
            if not path:
                return None
        from riskdesk.io.registry_excel import write_template

        try:
            p = write_template(path)
        except OSError as e:
            QMessageBox.warning(self, "Template", f"Cannot write {path}: {e}")
            return None
        self.state.notify(f"Template written to {p}")
        return p

