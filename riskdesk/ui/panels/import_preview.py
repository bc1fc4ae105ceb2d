"""Dialogs for imports and pastes: the list of problems, and the preview of what will change.

Both are opened with ``open()`` (window-modal, non-blocking) so that the caller stays responsive
and tests can inspect and close them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.problems import Problem
from riskdesk.domain.risk import Risk
from riskdesk.services.registry import ImportPreview

_TEXT_FIELDS = (("description", "description"), ("mitigation", "mitigation actions"))


def risk_changes(old: Risk, new: Risk) -> str:
    """What differs between two versions of a risk, field by field, as the table shows them
    (``Probability 45% → 90%; Impact PERT(…) → PERT(…)``); long texts are only named."""
    from riskdesk.ui.panels.registry_model import VIEW_COLUMNS, display

    out = []
    for col in VIEW_COLUMNS:
        if not col.editable and col.key != "source":
            continue
        a, b = display(old, col.key), display(new, col.key)
        if a != b:
            out.append(f"{col.header} {a or '(blank)'} → {b or '(blank)'}")
    out += [f"{label} edited" for key, label in _TEXT_FIELDS
            if getattr(old, key) != getattr(new, key)]
    if not out and old != new:  # e.g. more digits than the table shows
        out.append("values differ beyond the digits shown")
    return "; ".join(out)


def risk_summary(r: Risk) -> str:
    """One line about a risk being added or removed."""
    from riskdesk.ui.panels.registry_model import display

    if r.kind == "qualitative":
        return f"{r.title} · qualitative L{r.likelihood}/I{r.severity}"
    return f"{r.title} · {display(r, 'probability')} · {display(r, 'impact')}"


def _table(headers: list[str], rows: list[tuple[str, ...]]) -> QTableWidget:
    t = QTableWidget(len(rows), len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            t.setItem(i, j, QTableWidgetItem(text))
    h = t.horizontalHeader()
    h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    h.setStretchLastSection(True)
    return t


class ProblemsDialog(QDialog):
    """Every problem (where, why) of a refused import, paste or approval; nothing was written."""

    def __init__(self, title: str, intro: str, problems: list[Problem],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.problems = list(problems)
        lay = QVBoxLayout(self)
        head = QLabel(intro)
        head.setWordWrap(True)
        lay.addWidget(head)
        self.table = _table(["Where", "Problem"], [(p.where, p.message) for p in problems])
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy list")
        copy.clicked.connect(self.copy)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(640, 380)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(str(p) for p in self.problems))


class ImportPreviewDialog(QDialog):
    """What an import will add, change and (with *replace*) remove; Apply to go ahead."""

    def __init__(self, source: str, preview: ImportPreview,
                 recompute: Callable[[bool], ImportPreview] | None = None,
                 parent: QWidget | None = None,
                 details: Callable[[str, str], str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {source}")
        self.recompute = recompute
        self.details = details  # (change, risk id) -> what changes, shown beside each risk
        self.preview = preview
        lay = QVBoxLayout(self)
        self.summary = QLabel()
        lay.addWidget(self.summary)
        self.replace = QCheckBox("Replace the draft: remove risks that are not in the file")
        self.replace.toggled.connect(self._replace_toggled)
        self.replace.setEnabled(recompute is not None)
        lay.addWidget(self.replace)
        self.table = _table(["Change", "Risk", "What changes"], [])
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        lay.addWidget(self.table, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton("Apply import",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._show(preview)
        self.resize(900, 460)

    def _replace_toggled(self, on: bool) -> None:
        if self.recompute is not None:
            self._show(self.recompute(on))

    def _show(self, p: ImportPreview) -> None:
        self.preview = p
        rows = ([("added", r) for r in p.added] + [("changed", r) for r in p.changed]
                + [("removed", r) for r in p.removed])
        self.table.setRowCount(len(rows))
        colors = {"added": Qt.GlobalColor.darkGreen, "changed": Qt.GlobalColor.darkBlue,
                  "removed": Qt.GlobalColor.darkRed}
        for i, (what, rid) in enumerate(rows):
            a, b = QTableWidgetItem(what), QTableWidgetItem(rid)
            a.setForeground(colors[what])
            self.table.setItem(i, 0, a)
            self.table.setItem(i, 1, b)
            text = self.details(what, rid) if self.details is not None else ""
            c = QTableWidgetItem(text)
            c.setToolTip(text.replace("; ", "\n"))
            self.table.setItem(i, 2, c)
        self.table.resizeRowsToContents()
        self.summary.setText(f"<b>{len(p.added)}</b> added, <b>{len(p.changed)}</b> changed, "
                             f"<b>{len(p.removed)}</b> removed, {len(p.unchanged)} unchanged.")
        self.apply_button.setEnabled(bool(rows))

    @property
    def replace_draft(self) -> bool:
        return self.replace.isChecked()
