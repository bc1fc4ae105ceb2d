"""The Versions screen: frozen registry versions, their stages and stage history.

A version moves Draft → In review → Approved → Retired (or back from review to Draft) with a
comment; approval is refused while data-quality gates fail, and the refusal lists each failing
risk and field here. Run alone: ``python -m riskdesk.ui.panels.versions``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import STAGE_LABELS, TRANSITIONS
from riskdesk.services.baseline import BaselineService
from riskdesk.services.registry import RegistryService, VersionInfo
from riskdesk.ui.panels.import_preview import risk_changes, risk_summary
from riskdesk.ui.state import AppState

MOVES = (("in_review", "Submit for review"), ("approved", "Approve"), ("retired", "Retire"),
         ("draft", "Back to draft"))
STAGE_COLORS = {"draft": "#6b7280", "in_review": "#b26a00", "approved": "#1b7f3a",
                "retired": "#7f1d1d"}


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.horizontalHeader().setStretchLastSection(True)
    t.setAlternatingRowColors(True)
    return t


def split_where(where: str) -> tuple[str, str]:
    """``NS-001.impact.mode`` → (``NS-001``, ``impact.mode``)."""
    if "." in where:
        a, b = where.split(".", 1)
        return a, b
    return where, ""


class VersionsPanel(QWidget):
    """Frozen registry versions with stage moves, gate failures and history."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.infos: list[VersionInfo] = []
        self.gate_problems: list[Problem] = []

        self.table = _table(["Version", "Hash", "Stage", "Created", "By", "Risks", "Comment"])
        self.table.setObjectName("versionsTable")
        h = self.table.horizontalHeader()
        self.table.setWordWrap(False)
        for i in (0, 1, 2, 3, 4, 5):
            h.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.comment = QLineEdit()
        self.comment.setPlaceholderText("Comment for the stage change (recorded with who and when)")
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addWidget(self.comment, 1)
        for stage, label in MOVES:
            b = QPushButton(label)
            b.clicked.connect(lambda _=False, s=stage: self.move_selected(s))
            self.buttons[stage] = b
            row.addWidget(b)
        self.compare_button = QPushButton("Changes since previous…")
        self.compare_button.setToolTip("What each risk changed from the previous version")
        self.compare_button.clicked.connect(lambda: self.compare_selected())
        row.addWidget(self.compare_button)

        self.gates = QGroupBox("Approval refused — failing data-quality gates")
        self.gates.setStyleSheet("QGroupBox { color: #b3261e; font-weight: bold; }")
        g = QVBoxLayout(self.gates)
        self.gates_label = QLabel()
        self.gates_table = _table(["Risk", "Field", "Problem"])
        self.gates_table.setObjectName("gatesTable")
        g.addWidget(self.gates_label)
        g.addWidget(self.gates_table)
        self.gates.setVisible(False)

        hist = QGroupBox("Stage history of the selected version")
        hl = QVBoxLayout(hist)
        self.history = _table(["From", "To", "Who", "When", "Comment"])
        self.history.setObjectName("historyTable")
        for i in range(4):
            self.history.horizontalHeader().setSectionResizeMode(
                i, QHeaderView.ResizeMode.ResizeToContents)
        hl.addWidget(self.history)

        lower = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table, 1)
        tl.addLayout(row)
        lower.addWidget(top)
        lower.addWidget(self.gates)
        lower.addWidget(hist)
        lower.setSizes([380, 200, 200])

        lay = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(QLabel("<h2 style='margin:0'>Versions</h2>"))
        head.addStretch(1)
        self.which = QComboBox()
        self.which.addItem("Risk registry", "registry")
        self.which.addItem("Baseline plan", "baseline")
        self.which.currentIndexChanged.connect(self._which_changed)
        head.addWidget(QLabel("of the"))
        head.addWidget(self.which)
        lay.addLayout(head)
        self.info = QLabel("Frozen versions are immutable; freeze the draft from the Registry "
                           "or Baseline screen. Approval checks every data-quality gate.")
        self.info.setWordWrap(True)
        lay.addWidget(self.info)
        lay.addWidget(lower, 1)

        for sig in (state.versions_changed, state.workspace_changed, state.registry_changed,
                    state.baseline_changed):
            sig.connect(self.reload)
        self.reload()

    # ---- data -------------------------------------------------------------------------------
    def service(self) -> RegistryService | BaselineService:
        """The service of the versioned thing shown (registry or baseline plan)."""
        if self.which.currentData() == "baseline":
            return BaselineService(self.state.workspace)
        return RegistryService(self.state.workspace)

    def show_kind(self, kind: str) -> None:
        """Show versions of ``registry`` or ``baseline``."""
        self.which.setCurrentIndex(max(self.which.findData(kind), 0))

    def _which_changed(self) -> None:
        self.table.clearSelection()
        self.gates.setVisible(False)
        self.table.setColumnHidden(5, self.which.currentData() == "baseline")
        self.reload()

    def reload(self) -> None:
        keep = self.selected_number()
        svc = self.service() if self.state.has_workspace else None
        self.infos = svc.versions() if svc is not None and svc.exists() else []
        self.table.setRowCount(len(self.infos))
        for i, v in enumerate(reversed(self.infos)):
            cells = (str(v.number), v.hash.removeprefix("sha256:")[:12], STAGE_LABELS[v.stage],
                     v.created_at.replace("T", " ").removesuffix("Z"), v.created_by,
                     str(v.risks), v.comment)
            for j, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if j == 1:
                    it.setToolTip(v.hash)
                if j == 2:
                    it.setForeground(Qt.GlobalColor.white)
                    it.setBackground(QColor(STAGE_COLORS[v.stage]))
                if j == 6:
                    it.setToolTip(v.comment)
                if j in (0, 5):
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                        | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, it)
        if keep is not None:
            self.select_version(keep)
        elif self.infos:
            self.table.selectRow(0)
        self._selection_changed()

    def selected_number(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return int(item.text()) if item is not None else None

    def select_version(self, number: int) -> None:
        for i in range(self.table.rowCount()):
            it = self.table.item(i, 0)
            if it is not None and it.text() == str(number):
                self.table.selectRow(i)
                return

    def _selection_changed(self) -> None:
        n = self.selected_number()
        info = next((v for v in self.infos if v.number == n), None)
        allowed = TRANSITIONS[info.stage] if info else ()
        for stage, b in self.buttons.items():
            b.setEnabled(stage in allowed)
        self.compare_button.setEnabled(self.which.currentData() == "registry" and n is not None
                                       and any(v.number < n for v in self.infos))
        rows = self.service().history(n) if n is not None else []
        self.history.setRowCount(len(rows))
        for i, h in enumerate(rows):
            for j, k in enumerate(("from", "to", "who", "at", "comment")):
                text = STAGE_LABELS.get(h[k], h[k]) if k in ("from", "to") else h[k]
                self.history.setItem(i, j, QTableWidgetItem(text))

    # ---- actions ----------------------------------------------------------------------------
    def move_selected(self, to: str) -> list[Problem]:
        n = self.selected_number()
        if n is None:
            self.state.notify("Select a version first")
            return []
        return self.promote(n, to, self.comment.text())

    def promote(self, number: int, to: str, comment: str = "") -> list[Problem]:
        """Move version ``number`` to stage ``to``; returns the refusal problems (shown here)."""
        try:
            info = self.service().promote(number, to, comment.strip())
        except ValidationError as e:
            self.show_gate_problems(number, to, e.problems)
            self.state.notify(f"Version {number} not moved: {e.problems[0]}")
            return e.problems
        self.gates.setVisible(False)
        self.gate_problems = []
        self.comment.clear()
        self.state.versions_changed.emit()
        self.select_version(number)
        self.state.notify(f"Version {number} is now {STAGE_LABELS[info.stage]}")
        return []

    def compare_selected(self) -> QDialog | None:
        """Show what changed from the previous registry version to the selected one."""
        n = self.selected_number()
        older = [v.number for v in self.infos if n is not None and v.number < n]
        if n is None or not older or self.which.currentData() != "registry":
            self.state.notify("Select a registry version that has an earlier one")
            return None
        svc = RegistryService(self.state.workspace)
        prev = max(older)
        before, after = svc.version(prev), svc.version(n)
        old = {r.id: r for r in before.risks}
        new = {r.id: r for r in after.risks}
        rows = ([("added", rid, risk_summary(new[rid])) for rid in new if rid not in old]
                + [("changed", rid, risk_changes(old[rid], new[rid])) for rid in new
                   if rid in old and old[rid] != new[rid]]
                + [("removed", rid, risk_summary(old[rid])) for rid in old if rid not in new])
        settings = "; ".join(f"{k} {getattr(before, k)} → {getattr(after, k)}"
                             for k in ("units", "months", "start", "iterations", "seed")
                             if getattr(before, k) != getattr(after, k))
        extra = ([("changed", "(settings)", settings)] if settings else []) + (
            [("changed", "(correlations)", f"{len(before.correlation.pairs)} → "
              f"{len(after.correlation.pairs)} pairs; values edited")]
            if before.correlation != after.correlation else [])
        dlg = QDialog(self)
        dlg.setWindowTitle(f"Registry version {prev} → {n}")
        lay = QVBoxLayout(dlg)
        same = len(new) - sum(1 for r in rows if r[0] != "removed")  # before settings rows
        lay.addWidget(QLabel(f"<b>{sum(r[0] == 'added' for r in rows)}</b> added, "
                             f"<b>{sum(r[0] == 'changed' for r in rows)}</b> changed, "
                             f"<b>{sum(r[0] == 'removed' for r in rows)}</b> removed, "
                             f"{same} unchanged."))
        table = _table(["Change", "Risk", "What changes"])
        table.setObjectName("versionDiff")
        rows += extra
        table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.setItem(i, j, QTableWidgetItem(text))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(table, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(dlg.reject)
        lay.addWidget(close)
        dlg.resize(900, 460)
        self.diff_dialog = dlg
        dlg.open()
        return dlg

    def show_gate_problems(self, number: int, to: str, problems: list[Problem]) -> None:
        head = [p for p in problems if p.where == "approval refused"]
        rest = [p for p in problems if p.where != "approval refused"]
        self.gate_problems = rest
        self.gates.setTitle(f"Version {number} cannot move to {STAGE_LABELS.get(to, to)}")
        gates = bool(head) or (to == "approved" and bool(rest))
        if head:
            self.gates_label.setText(head[0].message)
        elif gates:
            self.gates_label.setText(f"{len(rest)} data-quality gate(s) fail")
        else:
            self.gates_label.setText("; ".join(p.message for p in rest))
        reg = self.which.currentData() == "registry"
        self.gates_table.setHorizontalHeaderLabels(
            ["Risk" if reg else "Business unit", "Field" if reg else "Line", "Problem"])
        self.gates_table.setRowCount(len(rest) if gates else 0)
        if gates:
            for i, p in enumerate(rest):
                risk, fld = split_where(p.where)
                for j, text in enumerate((risk, fld, p.message)):
                    self.gates_table.setItem(i, j, QTableWidgetItem(text))
        self.gates_table.setVisible(gates)
        self.gates.setVisible(True)


if __name__ == "__main__":
    from riskdesk.ui.main_window import screen_main

    raise SystemExit(screen_main("versions"))
