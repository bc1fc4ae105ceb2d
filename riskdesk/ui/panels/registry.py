"""The Registry screen: the draft's risks in a sortable, filterable, editable table.

Every change goes through ``riskdesk.ui.commands`` (undoable, audited by the services). Copy puts
the selected risks on the clipboard as TSV with the template's columns and a header row, so it
pastes into Excel; paste takes such a block back (header optional), all rows or none.
Settings, versions and files are in ``registry_files``; the table view (ID column frozen at the
left) is in ``registry_table``. Run alone: ``python -m riskdesk.ui.panels.registry``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolBar,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import Problem
from riskdesk.domain.registry import Correlation
from riskdesk.domain.risk import Phasing, Risk, edited_source
from riskdesk.domain.risk_table import COLUMNS, risk_to_row
from riskdesk.ui.commands import (
    CompositeCommand,
    DeleteRisksCommand,
    PutRisksCommand,
    RenameRiskCommand,
    ServiceCommand,
    SetCorrelationCommand,
    execute,
)
from riskdesk.ui.panels.registry_files import RegistryFileActions
from riskdesk.ui.panels.registry_model import (
    RISK_ROLE,
    RiskFilter,
    RiskTableModel,
    fmt_money,
)
from riskdesk.ui.panels.registry_source import provenance_lines
from riskdesk.ui.panels.registry_table import RiskTable
from riskdesk.ui.panels.risk_editor import RiskEditor
from riskdesk.ui.state import AppState
from riskdesk.ui.tsv import format_tsv, parse_risk_block


class RegistryPanel(RegistryFileActions):
    """The registry draft: table, toolbar, filters and a one-line summary."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.model = RiskTableModel(state, self)
        self.proxy = RiskFilter(self)
        self.proxy.setSourceModel(self.model)
        self.editor: RiskEditor | None = None
        self.problems_dialog = None
        self.import_dialog = None

        self.table = RiskTable(self.proxy, lambda: self.open_editor())
        self.table.doubleClicked.connect(self._double_clicked)
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
        self.share_worker = None

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
        view = self.table.view_of(proxy_index)  # an ID cell is shown in the frozen column
        rect = view.visualRect(proxy_index)
        QToolTip.showText(view.viewport().mapToGlobal(rect.bottomLeft()),
                          f"Not stored: {reason}", view)

    def _double_clicked(self, index: QModelIndex) -> None:
        if not index.flags() & Qt.ItemFlag.ItemIsEditable:
            self.open_editor()

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


if __name__ == "__main__":
    from riskdesk.ui.main_window import screen_main

    raise SystemExit(screen_main("registry"))
