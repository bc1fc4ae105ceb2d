"""The registry draft as a table model: display, sort keys, and validated inline edits.

Inline edits never write directly: a cell's text is parsed into a new ``Risk``; if that adds a
data-quality problem the edit is refused (``edit_refused`` carries the reason), otherwise it goes
through an undoable command calling ``RegistryService``. The model reloads from the service when
``state.registry_changed`` fires.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.problems import Problem
from riskdesk.domain.registry import Correlation
from riskdesk.domain.risk import Risk, edited_source
from riskdesk.services.registry import RegistryService
from riskdesk.ui.commands import PutRisksCommand, RenameRiskCommand, execute
from riskdesk.ui.panels.registry_cells import (
    KEYS,
    VIEW_COLUMNS,
    ViewColumn,
    cell_ev,
    display,
    edit_text,
    fmt_money,
    new_problems,
    parse_distribution,
    parse_number,
    parse_phasing,
    sort_key,
    with_cell,
)
from riskdesk.ui.state import AppState

__all__ = ["KEYS", "RISK_ROLE", "SORT_ROLE", "VIEW_COLUMNS", "RiskFilter", "RiskTableModel",
           "ViewColumn", "display", "edit_text", "fmt_money", "new_problems",
           "parse_distribution", "parse_number", "parse_phasing", "sort_key", "with_cell"]

SORT_ROLE = Qt.ItemDataRole.UserRole
RISK_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class RiskTableModel(QAbstractTableModel):
    """The draft's risks in registry order; one row per risk, columns ``VIEW_COLUMNS``."""

    edit_refused = Signal(object, str)  # (QModelIndex, reason)

    def __init__(self, state: AppState, parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state
        self.risks: list[Risk] = []
        self.months = 36
        self.units = "kUSD"
        self.start = "2027-01"
        self.correlation = Correlation()
        self.has_registry = False
        self._problems: dict[str, list[Problem]] = {}
        state.registry_changed.connect(self.reload)
        state.workspace_changed.connect(self.reload)
        self.reload()

    # ---- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the draft again; rows are reset only if the number of risks changed."""
        risks: list[Risk] = []
        self.has_registry, self.correlation = False, Correlation()
        if self.state.has_workspace:
            svc = RegistryService(self.state.workspace)
            if svc.exists():
                reg = svc.draft()
                risks = list(reg.risks)
                self.months, self.units, self.start = reg.months, reg.units, reg.start
                self.correlation, self.has_registry = reg.correlation, True
        self._problems = {}
        for r in risks:
            self._problems[r.id] = r.validate(self.months)
        if len(risks) == len(self.risks):
            self.risks = risks
            if risks:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(risks) - 1, len(KEYS) - 1))
        else:
            self.beginResetModel()
            self.risks = risks
            self.endResetModel()

    def risk_at(self, row: int) -> Risk:
        return self.risks[row]

    def row_of(self, risk_id: str) -> int:
        for i, r in enumerate(self.risks):
            if r.id == risk_id:
                return i
        return -1

    def problems(self, risk_id: str) -> list[Problem]:
        return self._problems.get(risk_id, [])

    # ---- Qt model ---------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.risks)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(KEYS):
            return None
        col = VIEW_COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            if col.key in ("impact", "ev", "post_impact", "post_ev", "mitigation_cost"):
                return f"{col.header} ({self.units})"
            return col.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tip or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and VIEW_COLUMNS[index.column()].editable:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.risks):
            return None
        r, col = self.risks[index.row()], VIEW_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(r, col.key)
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(r, col.key)
        if role == SORT_ROLE:
            return sort_key(r, col.key)
        if role == RISK_ROLE:
            return r
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col.key in ("ev", "post_ev"):
            v = cell_ev(r, col.key == "post_ev")
            if v:
                return QBrush(QColor("#b3261e") if v < 0 else QColor("#1b7f3a"))
        probs = self._problems.get(r.id)
        if probs and col.key == "id":
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Data-quality problems:\n" + "\n".join(str(p) for p in probs)
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor("#fde2e1"))
        if role == Qt.ItemDataRole.ToolTipRole and col.key == "title":
            return r.description or None
        if role == Qt.ItemDataRole.ToolTipRole and col.key == "source":
            return r.source or None
        if role == Qt.ItemDataRole.ToolTipRole and col.key in ("impact", "post_impact"):
            text = display(r, col.key)
            return f"{text}\n(type e.g. PERT(min, mode, max); Enter opens the editor)" \
                if text else None
        return None

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        old = self.risks[index.row()]
        key = VIEW_COLUMNS[index.column()].key
        text = "" if value is None else str(value)
        if text.strip() == edit_text(old, key).strip():
            return False
        reason = self.edit(old, key, text)
        if reason:
            self.edit_refused.emit(index, reason)
            return False
        return True

    def edit(self, old: Risk, key: str, text: str) -> str:
        """Apply an edit of one cell through the undo stack; returns the refusal reason or ''."""
        header = next(c.header for c in VIEW_COLUMNS if c.key == key)
        try:
            new = with_cell(old, key, text)
        except ValueError as e:
            return f"{old.id} {header}: {e}"
        new = new.with_(source=edited_source(old, new))
        problems = new_problems(old, new, self.months)
        if problems:
            return "; ".join(str(p) for p in problems)
        if new.id != old.id:
            if any(r.id == new.id for r in self.risks):
                return f"risk id {new.id!r} is already used"
            cmd: Any = RenameRiskCommand(self.state, old, new)
        else:
            cmd = PutRisksCommand(self.state, [new], {old.id: old}, f"Edit {old.id} {header}")
        problems = execute(self.state, cmd)
        return "; ".join(str(p) for p in problems)


class RiskFilter(QSortFilterProxyModel):
    """Search text (id, title, owner, description, BU, category) and BU/kind/owner filters."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.business_unit = ""
        self.kind = ""
        self.owner = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_filters(self, *, text: str | None = None, business_unit: str | None = None,
                    kind: str | None = None, owner: str | None = None) -> None:
        self.beginFilterChange()
        if text is not None:
            self.text = text.strip().lower()
        if business_unit is not None:
            self.business_unit = business_unit
        if kind is not None:
            self.kind = kind
        if owner is not None:
            self.owner = owner
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        r: Risk = self.sourceModel().index(row, 0, parent).data(RISK_ROLE)
        if r is None:
            return False
        if self.business_unit and r.business_unit != self.business_unit:
            return False
        if self.kind and r.kind != self.kind:
            return False
        if self.owner and r.owner != self.owner:
            return False
        if self.text:
            hay = " ".join((r.id, r.title, r.owner, r.description, r.business_unit,
                            r.category, r.mitigation)).lower()
            return all(word in hay for word in self.text.split())
        return True
