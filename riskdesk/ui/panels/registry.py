"""The Registry screen: the draft's risks in a sortable, filterable, editable table.

Every change goes through ``riskdesk.ui.commands`` (undoable, audited by the services). Copy puts
the selected risks on the clipboard as TSV with the template's columns and a header row, so it
pastes into Excel; paste takes such a block back (header optional), all rows or none.
Run alone: ``python -m riskdesk.ui.panels.registry``.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QToolBar,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import Correlation
from riskdesk.domain.risk import Phasing, Risk, edited_source
from riskdesk.domain.risk_table import COLUMNS, risk_to_row
from riskdesk.services.registry import RegistryService, VersionInfo
from riskdesk.ui.commands import (
    CompositeCommand,
    DeleteRisksCommand,
    ImportRegistryCommand,
    PutRisksCommand,
    RenameRiskCommand,
    ServiceCommand,
    SetCorrelationCommand,
    execute,
)
from riskdesk.ui.panels.import_preview import (
    ImportPreviewDialog,
    ProblemsDialog,
    risk_changes,
    risk_summary,
)
from riskdesk.ui.panels.registry_model import (
    KEYS,
    RISK_ROLE,
    RiskFilter,
    RiskTableModel,
    fmt_money,
)
from riskdesk.ui.panels.registry_settings import SettingsCommand, SettingsDialog, settings_of
from riskdesk.ui.panels.registry_source import provenance_lines
from riskdesk.ui.panels.risk_editor import RiskEditor
from riskdesk.ui.state import AppState
from riskdesk.ui.tsv import format_tsv, parse_risk_block
from riskdesk.ui.worker import GeneratorWorker


class RiskTable(QTableView):
    """Table view where Enter opens the risk editor (F2 / typing edits the cell in place)."""

    def __init__(self, panel: RegistryPanel) -> None:
        super().__init__()
        self.panel = panel

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802
        if (e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.state() != QAbstractItemView.State.EditingState):
            self.panel.open_editor()
            return
        super().keyPressEvent(e)


class RegistryPanel(QWidget):
    """The registry draft: table, toolbar, filters and a one-line summary."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.model = RiskTableModel(state, self)
        self.proxy = RiskFilter(self)
        self.proxy.setSourceModel(self.model)
        self.editor: RiskEditor | None = None
        self.problems_dialog: ProblemsDialog | None = None
        self.import_dialog: ImportPreviewDialog | None = None

        self.table = RiskTable(self)
        self.table.setObjectName("registryTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.doubleClicked.connect(self._double_clicked)
        hdr = self.table.horizontalHeader()
        hdr.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = {"id": 65, "title": 210, "owner": 115, "business_unit": 80, "category": 85,
                  "status": 75, "kind": 90, "probability": 82, "impact": 195, "ev": 80,
                  "affects": 70, "phasing": 70, "post_probability": 70, "post_impact": 190,
                  "post_ev": 90, "mitigation_cost": 90, "likelihood": 70, "severity": 65,
                  "source": 260}
        for i, k in enumerate(KEYS):
            self.table.setColumnWidth(i, widths.get(k, 90))
        self.model.edit_refused.connect(self._edit_refused)
        self.model.modelReset.connect(self._refresh_filters)
        self.model.dataChanged.connect(self._refresh_filters)
        self.model.dataChanged.connect(self._update_summary)
        self.model.modelReset.connect(self._update_summary)
        for sig in (self.proxy.layoutChanged, self.proxy.rowsInserted, self.proxy.rowsRemoved,
                    self.proxy.modelReset):
            sig.connect(self._update_summary)

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.act_new = self._action("New risk", self.new_risk, QKeySequence("Ctrl+N"), ctx)
        self.act_edit = self._action("Edit…", self.open_editor, None, ctx)
        self.act_delete = self._action("Delete", self.delete_selected,
                                       QKeySequence(Qt.Key.Key_Delete), ctx)
        self.toolbar.addSeparator()
        self.act_copy = self._action("Copy", self.copy_selected, QKeySequence.StandardKey.Copy,
                                     ctx)
        self.act_paste = self._action("Paste", self.paste, QKeySequence.StandardKey.Paste, ctx)
        self.toolbar.addSeparator()
        self.act_freeze = self._action("Freeze version…", lambda: self.freeze(), None, ctx)
        self.act_import = self._action("Import…", lambda: self.import_file(), None, ctx)
        self.act_export = self._action("Export…", lambda: self.export_file(), None, ctx)
        self.act_export.setToolTip("Excel or JSON copy of the draft: personal data in free text "
                                   "is redacted and owners tokenized unless you give a reason to "
                                   "show the original text; the audit chain head is embedded")
        self.act_share = self.act_export
        self.act_template = self._action("Download template…", lambda: self.save_template(),
                                         None, ctx)
        self.act_settings = self._action("Settings…", lambda: self.edit_settings(), None, ctx)
        self.act_settings.setToolTip("Money units, plan horizon and first month, simulation "
                                     "iterations and seed")
        self.share_worker: GeneratorWorker | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search id, title, owner, description…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda t: self.proxy.set_filters(text=t))
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(ctx)
        find.triggered.connect(self.focus_search)
        self.addAction(find)
        self.bu_filter = QComboBox()
        self.kind_filter = QComboBox()
        self.owner_filter = QComboBox()
        self.kind_filter.addItem("All kinds", "")
        self.kind_filter.addItem("Quantitative", "quantitative")
        self.kind_filter.addItem("Qualitative", "qualitative")
        self.bu_filter.currentIndexChanged.connect(
            lambda: self.proxy.set_filters(business_unit=self.bu_filter.currentData() or ""))
        self.kind_filter.currentIndexChanged.connect(
            lambda: self.proxy.set_filters(kind=self.kind_filter.currentData() or ""))
        self.owner_filter.currentIndexChanged.connect(
            lambda: self.proxy.set_filters(owner=self.owner_filter.currentData() or ""))
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.bu_filter)
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.owner_filter)

        self.summary = QLabel()
        self.summary.setObjectName("registrySummary")
        lay = QVBoxLayout(self)
        title = QLabel("<h2 style='margin:0'>Risk registry — draft</h2>")
        lay.addWidget(title)
        lay.addWidget(self.toolbar)
        lay.addLayout(filters)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.summary)
        self._refresh_filters()
        self._update_summary()

    def _action(self, text: str, slot: Any, key: Any, ctx: Qt.ShortcutContext) -> QAction:
        a = QAction(text, self)
        if key is not None:
            key = QKeySequence(key)
            a.setShortcut(key)
            a.setShortcutContext(ctx)
            a.setToolTip(f"{text} ({key.toString(QKeySequence.SequenceFormat.NativeText)})")
        a.triggered.connect(lambda _=False: slot())
        self.toolbar.addAction(a)
        self.addAction(a)
        return a

    # ---- view helpers -----------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _refresh_filters(self) -> None:
        for combo, label, values in (
                (self.bu_filter, "All business units",
                 sorted({r.business_unit for r in self.model.risks if r.business_unit})),
                (self.owner_filter, "All owners",
                 sorted({r.owner for r in self.model.risks if r.owner}))):
            cur = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(label, "")
            for v in values:
                combo.addItem(v, v)
            i = combo.findData(cur) if cur else 0
            combo.setCurrentIndex(max(i, 0))
            combo.blockSignals(False)

    def _update_summary(self) -> None:
        risks = self.model.risks
        shown = self.proxy.rowCount()
        quant = [r for r in risks if r.kind == "quantitative"]
        ev = 0.0
        for r in quant:
            try:
                ev += r.expected_value()
            except (KeyError, ValueError, TypeError, ZeroDivisionError):
                pass
        bad = sum(1 for r in risks if self.model.problems(r.id))
        text = (f"{len(risks)} risks ({shown} shown) · {len(quant)} quantitative · total expected "
                f"value {fmt_money(ev)} {self.model.units} · horizon {self.model.months} months "
                f"from {self.model.start}")
        if bad:
            text += f" · <span style='color:#b3261e'>{bad} with data-quality problems</span>"
        self.summary.setText(text)

    def selected_ids(self) -> list[str]:
        """Ids of the selected risks in on-screen order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.index(r, 0).data(RISK_ROLE).id for r in rows]

    def select_ids(self, ids: list[str]) -> None:
        sel = self.table.selectionModel()
        sel.clearSelection()
        for rid in ids:
            row = self.model.row_of(rid)
            if row < 0:
                continue
            idx = self.proxy.mapFromSource(self.model.index(row, 0))
            if idx.isValid():
                self.table.selectRow(idx.row()) if len(ids) == 1 else sel.select(
                    idx, sel.SelectionFlag.Select | sel.SelectionFlag.Rows)

    def _current_risk(self) -> Risk | None:
        ids = self.selected_ids()
        if ids:
            return self.model.risks[self.model.row_of(ids[0])]
        idx = self.table.currentIndex()
        return idx.data(RISK_ROLE) if idx.isValid() else None

    def _edit_refused(self, index: QModelIndex, reason: str) -> None:
        self.state.notify(f"Edit refused — {reason}")
        proxy_index = self.proxy.mapFromSource(index)
        rect = self.table.visualRect(proxy_index)
        QToolTip.showText(self.table.viewport().mapToGlobal(rect.bottomLeft()),
                          f"Not stored: {reason}", self.table)

    def _double_clicked(self, index: QModelIndex) -> None:
        if not index.flags() & Qt.ItemFlag.ItemIsEditable:
            self.open_editor()

    def _show_problems(self, title: str, intro: str, problems: list[Problem]) -> None:
        self.problems_dialog = ProblemsDialog(title, intro, problems, self)
        self.problems_dialog.open()

    # ---- editing ------------------------------------------------------------------------------
    def _next_id(self) -> str:
        n = len(self.model.risks) + 1
        taken = {r.id for r in self.model.risks}
        while f"R-{n:03d}" in taken:
            n += 1
        return f"R-{n:03d}"

    def _editor_for(self, risk: Risk, new: bool) -> RiskEditor:
        bus = sorted({r.business_unit for r in self.model.risks if r.business_unit})
        people = sorted({p.name for p in self.state.workspace.people()}
                        | {r.owner for r in self.model.risks if r.owner})
        ed = RiskEditor(risk, months=self.model.months, units=self.model.units,
                        taken_ids={r.id for r in self.model.risks}, people=people,
                        business_units=bus, new=new,
                        correlation=self.model.correlation if self.model.has_registry else None,
                        quant_ids=[r.id for r in self.model.risks if r.kind == "quantitative"],
                        provenance=[] if new else provenance_lines(self.state.workspace, risk.id),
                        parent=self)
        ed.accepted.connect(lambda: self._editor_done(ed, None if new else risk))
        return ed

    def new_risk(self) -> RiskEditor:
        """Open the editor on a new risk (added when accepted)."""
        risk = Risk(self._next_id(),
                    probability=0.3, phasing=Phasing.window(0, 1),
                    impact=Distribution("pert", {"min": -1000.0, "mode": -500.0, "max": -200.0}))
        self.editor = self._editor_for(risk, new=True)
        self.editor.open()
        return self.editor

    def open_editor(self, risk_id: str | None = None) -> RiskEditor | None:
        """Open the editor on ``risk_id`` (default: the selected risk)."""
        risk = (self.model.risks[self.model.row_of(risk_id)] if risk_id
                and self.model.row_of(risk_id) >= 0 else self._current_risk())
        if risk is None:
            self.state.notify("Select a risk to edit")
            return None
        self.editor = self._editor_for(risk, new=False)
        self.editor.open()
        return self.editor

    def _editor_done(self, ed: RiskEditor, old: Risk | None) -> None:
        new = ed.risk()
        if new is None:
            return
        corr = ed.correlation()
        problems = self.save_risk(new, old, corr if corr != self.model.correlation else None)
        if problems:
            self._show_problems("Risk not saved", "The risk could not be stored:", problems)

    def save_risk(self, new: Risk, old: Risk | None,
                  correlation: Correlation | None = None) -> list[Problem]:
        """Store an edited (``old`` given) or new risk, and optionally new correlations, as one
        undoable step."""
        cmd: ServiceCommand
        if old is not None and new.id != old.id:
            cmd = RenameRiskCommand(self.state, old, new)
        elif old is None:
            cmd = PutRisksCommand(self.state, [new], {new.id: None}, f"Add {new.id}")
        else:
            cmd = PutRisksCommand(self.state, [new], {old.id: old}, f"Edit {old.id}")
        if correlation is not None:
            cmd = CompositeCommand(self.state, [cmd, SetCorrelationCommand(
                self.state, self.model.correlation, correlation)], cmd.text())
        problems = execute(self.state, cmd)
        if not problems:
            self.select_ids([new.id])
            self.state.notify(f"Saved {new.id}")
        return problems

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.state.notify("Select the risks to delete")
            return
        self.delete_ids(ids)

    def delete_ids(self, ids: list[str]) -> list[Problem]:
        problems = execute(self.state, DeleteRisksCommand(self.state, ids))
        self.state.notify(f"Deleted {', '.join(ids)} (Ctrl+Z to undo)" if not problems
                          else "; ".join(str(p) for p in problems))
        return problems

    # ---- clipboard --------------------------------------------------------------------------
    def copy_selected(self) -> str:
        """Copy the selected risks as TSV (header row + template columns); returns the text."""
        ids = self.selected_ids()
        if not ids:
            self.state.notify("Select the risks to copy")
            return ""
        rows: list[list[Any]] = [[c.header for c in COLUMNS]]
        rows += [risk_to_row(self.model.risks[self.model.row_of(i)]) for i in ids]
        text = format_tsv(rows)
        QGuiApplication.clipboard().setText(text)
        self.state.notify(f"Copied {len(ids)} risk(s) — paste into Excel or back here")
        return text

    def paste(self) -> list[Problem]:
        return self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> list[Problem]:
        """Add or update risks from a TSV block; all rows or none. Returns the problems."""
        risks, problems = parse_risk_block(text, self.model.months)
        if problems:
            self._show_problems("Paste refused", f"Nothing was pasted: {len(problems)} "
                                "problem(s) in the clipboard block.", problems)
            self.state.notify(f"Paste refused: {len(problems)} problem(s)")
            return problems
        current = {r.id: r for r in self.model.risks}
        risks = [r.with_(source=edited_source(current[r.id], r)) if r.id in current else r
                 for r in risks]  # a pasted number over an elicited one is a hand edit
        before: dict[str, Risk | None] = {r.id: current.get(r.id) for r in risks}
        n_new = sum(1 for v in before.values() if v is None)
        problems = execute(self.state, PutRisksCommand(
            self.state, risks, before, f"Paste {len(risks)} risk(s)"))
        if problems:
            self._show_problems("Paste refused", "Nothing was pasted:", problems)
            return problems
        self.select_ids([r.id for r in risks])
        self.state.notify(f"Pasted {len(risks)} risk(s): {n_new} added, "
                          f"{len(risks) - n_new} updated")
        return []

    # ---- versions, files ----------------------------------------------------------------------
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
        from PySide6.QtWidgets import QInputDialog

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
        if self.share_worker is not None and self.share_worker.running:
            self.share_worker.wait()

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


if __name__ == "__main__":
    from riskdesk.ui.main_window import screen_main

    raise SystemExit(screen_main("registry"))
