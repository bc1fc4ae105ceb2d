"""The registry draft as a table model: display, sort keys, and validated inline edits.

Inline edits never write directly: a cell's text is parsed into a new ``Risk``; if that adds a
data-quality problem the edit is refused (``edit_refused`` carries the reason), otherwise it goes
through an undoable command calling ``RegistryService``. The model reloads from the service when
``state.registry_changed`` fires.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
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

from riskdesk.domain.distributions import FAMILIES, FAMILY_LABELS, Distribution
from riskdesk.domain.problems import Problem
from riskdesk.domain.registry import Correlation
from riskdesk.domain.risk import (
    AFFECTS,
    CATEGORIES,
    KINDS,
    STATUSES,
    Phasing,
    Risk,
    edited_source,
)
from riskdesk.domain.risk_table import excel_number_text
from riskdesk.services.registry import RegistryService
from riskdesk.ui.commands import PutRisksCommand, RenameRiskCommand, execute
from riskdesk.ui.panels.registry_source import source_text
from riskdesk.ui.state import AppState

SORT_ROLE = Qt.ItemDataRole.UserRole
RISK_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ViewColumn:
    key: str
    header: str
    editable: bool = True
    numeric: bool = False
    tip: str = ""


VIEW_COLUMNS: tuple[ViewColumn, ...] = (
    ViewColumn("id", "ID", tip="Unique risk id"),
    ViewColumn("title", "Title"),
    ViewColumn("owner", "Owner"),
    ViewColumn("business_unit", "BU", tip="Business unit"),
    ViewColumn("category", "Category", tip=", ".join(CATEGORIES)),
    ViewColumn("kind", "Kind", tip=", ".join(KINDS)),
    ViewColumn("probability", "Probability", numeric=True, tip="Chance of occurrence, 0-1 or %"),
    ViewColumn("impact", "Impact", tip="e.g. PERT(-900, -400, -250), Normal(-500, 100)"),
    ViewColumn("ev", "EV", editable=False, numeric=True, tip="Expected value p·E[impact]"),
    ViewColumn("affects", "Affects", tip=", ".join(AFFECTS)),
    ViewColumn("phasing", "Phasing", tip="Start month and length: M3+4 (months 3..6)"),
    ViewColumn("post_probability", "Post prob.", numeric=True,
               tip="Probability after mitigation (blank = unchanged)"),
    ViewColumn("post_impact", "Post impact", tip="Impact after mitigation (blank = unchanged)"),
    ViewColumn("post_ev", "Post EV", editable=False, numeric=True,
               tip="Expected value after mitigation"),
    ViewColumn("mitigation_cost", "Mitig. cost", numeric=True, tip="Cost of the mitigation, >= 0"),
    ViewColumn("status", "Status", tip=", ".join(STATUSES)),
    ViewColumn("likelihood", "Likelihood", numeric=True, tip="Qualitative rating 1-5"),
    ViewColumn("severity", "Severity", numeric=True, tip="Qualitative impact rating 1-5"),
    ViewColumn("source", "Source", editable=False,
               tip="Where the numbers came from: an applied elicitation result, the risk "
                   "matrix, or a hand edit after one (details in the risk editor)"),
)
KEYS = tuple(c.key for c in VIEW_COLUMNS)

_LABEL_TO_FAMILY = {**{k: k for k in FAMILIES},
                    **{v.lower().replace("-", ""): k for k, v in FAMILY_LABELS.items()},
                    "tri": "triangular", "betapert": "pert", "constant": "fixed"}


def fmt_money(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def parse_number(text: str, what: str) -> float:
    """A number as typed or copied from Excel (``1,200``, ``-5``, ``45%``, ``(1,200)``);
    ValueError names ``what``."""
    s = excel_number_text(text)
    pct = s.endswith("%")
    try:
        x = float(s.rstrip("%")) / (100.0 if pct else 1.0)
    except ValueError:
        raise ValueError(f"{what}: {text.strip()!r} is not a number") from None
    if not math.isfinite(x):
        raise ValueError(f"{what}: {text.strip()!r} is not a finite number")
    return x


def parse_distribution(text: str) -> Distribution:
    """``PERT(-900, -400, -250)``, ``-Lognormal(1500, 700)``, ``Fixed(-300)`` → Distribution."""
    m = re.fullmatch(r"\s*(-?)\s*([A-Za-z][A-Za-z -]*)\s*\((.*)\)\s*", text)
    if not m:
        raise ValueError(f"{text.strip()!r} is not like PERT(min, mode, max)")
    neg, label, args = m.group(1), m.group(2).strip().lower().replace("-", "").replace(" ", ""), \
        m.group(3)
    fam = _LABEL_TO_FAMILY.get(label)
    if fam is None:
        raise ValueError(f"unknown distribution {m.group(2).strip()!r}; expected one of "
                         + ", ".join(FAMILY_LABELS.values()))
    if fam == "discrete":
        raise ValueError("edit discrete distributions in the risk editor (Enter)")
    names = [k for k in FAMILIES[fam] if k != "sign"]
    parts = [p for p in args.split(",") if p.strip()] if "," in args or args.strip() else []
    if len(parts) != len(names):
        raise ValueError(f"{FAMILY_LABELS[fam]} needs {len(names)} numbers "
                         f"({', '.join(names)}), got {len(parts)}")
    params: dict[str, Any] = {n: parse_number(p, n) for n, p in zip(names, parts, strict=True)}
    if fam == "lognormal":
        params["sign"] = -1.0 if neg else 1.0
    elif neg:
        raise ValueError("a leading minus is only for -Lognormal(mean, sd)")
    return Distribution(fam, params)


def parse_phasing(text: str) -> Phasing:
    """``M3+4`` / ``3+4`` (start 3, 4 months) or ``M3`` → a window phasing."""
    m = re.fullmatch(r"\s*[Mm]?\s*(-?\d+)\s*(?:\+\s*(\d+))?\s*", text)
    if not m:
        raise ValueError(f"{text.strip()!r} is not like M3+4 (start month 3, 4 months); edit "
                         "profiles in the risk editor")
    return Phasing.window(int(m.group(1)), int(m.group(2) or 1))


def display(r: Risk, key: str) -> str:
    """Cell text of risk ``r`` in column ``key``."""
    quali = r.kind == "qualitative"
    if key in ("id", "title", "owner", "business_unit", "category", "status", "kind", "affects"):
        return "" if quali and key == "affects" else str(getattr(r, key))
    if key == "probability":
        return "" if quali else f"{r.probability:.0%}" if r.probability * 100 == round(
            r.probability * 100) else f"{r.probability:.1%}"
    if key == "post_probability":
        return "" if r.post_probability is None else f"{r.post_probability:.0%}"
    if key == "impact":
        return "" if quali else r.impact.describe()
    if key == "post_impact":
        return "" if r.post_impact is None else r.post_impact.describe()
    if key in ("ev", "post_ev"):
        v = _ev(r, key == "post_ev")
        return "" if v is None else fmt_money(v)
    if key == "phasing":
        return "" if quali else r.phasing.describe()
    if key == "mitigation_cost":
        return fmt_money(r.mitigation_cost) if r.mitigation_cost else ""
    if key in ("likelihood", "severity"):
        v = getattr(r, key)
        return "" if v is None else str(v)
    if key == "source":
        return source_text(r.source)
    return ""


def edit_text(r: Risk, key: str) -> str:
    """What an inline editor starts with (exact, re-parsable)."""
    if key == "probability":
        return f"{r.probability:g}"
    if key == "post_probability":
        return "" if r.post_probability is None else f"{r.post_probability:g}"
    if key == "mitigation_cost":
        return f"{r.mitigation_cost:g}"
    if key == "phasing" and r.phasing.type == "window":
        return r.phasing.describe()
    return display(r, key)


def _ev(r: Risk, post: bool) -> float | None:
    if r.kind == "qualitative" or (post and r.post_impact is None and r.post_probability is None):
        return None
    try:
        return r.expected_value(post)
    except (KeyError, ValueError, TypeError, ZeroDivisionError):
        return None


def sort_key(r: Risk, key: str) -> Any:
    if key == "probability":
        return r.probability if r.kind == "quantitative" else -1.0
    if key in ("impact", "post_impact"):
        d = r.impact if key == "impact" else r.post_impact
        try:
            return d.mean() if d is not None and r.kind == "quantitative" else 0.0
        except (KeyError, ValueError, TypeError):
            return 0.0
    if key in ("ev", "post_ev"):
        v = _ev(r, key == "post_ev")
        return 0.0 if v is None else v
    if key in ("post_probability", "likelihood", "severity"):
        v = getattr(r, key)
        return -1.0 if v is None else float(v)
    if key == "mitigation_cost":
        return r.mitigation_cost
    if key == "phasing":
        return float(r.phasing.start if r.phasing.type == "window" else min(r.phasing.months,
                                                                            default=0))
    return display(r, key).lower()


def with_cell(r: Risk, key: str, text: str) -> Risk:
    """``r`` with column ``key`` set from typed ``text``; ValueError says what is wrong."""
    t = text.strip()
    if key in ("id", "title", "owner", "business_unit"):
        if key == "id" and not t:
            raise ValueError("risk id cannot be empty")
        return r.with_(**{"title" if key == "title" else key: t})
    if key in ("category", "status", "kind", "affects"):
        allowed = {"category": CATEGORIES, "status": STATUSES, "kind": KINDS,
                   "affects": AFFECTS}[key]
        match = next((a for a in allowed if a.lower() == t.lower()), None)
        if match is None:
            raise ValueError(f"{key} {t!r} is not one of {', '.join(allowed)}")
        return r.with_(**{key: match})
    if key == "probability":
        return r.with_(probability=parse_number(t, "probability"))
    if key == "post_probability":
        return r.with_(post_probability=parse_number(t, "post probability") if t else None)
    if key == "impact":
        return r.with_(impact=parse_distribution(t))
    if key == "post_impact":
        return r.with_(post_impact=parse_distribution(t) if t else None)
    if key == "phasing":
        return r.with_(phasing=parse_phasing(t))
    if key == "mitigation_cost":
        return r.with_(mitigation_cost=parse_number(t, "mitigation cost") if t else 0.0)
    if key in ("likelihood", "severity"):
        if not t:
            return r.with_(**{key: None})
        x = parse_number(t, key)
        if not x.is_integer():
            raise ValueError(f"{key} {x:g} must be a whole number 1-5")
        return r.with_(**{key: int(x)})
    raise ValueError(f"column {key} is computed and cannot be edited")


def new_problems(old: Risk | None, new: Risk, months: int) -> list[Problem]:
    """Data-quality problems ``new`` has that ``old`` did not (an edit may not add any)."""
    before = set(old.validate(months)) if old is not None else set()
    return [p for p in new.validate(months) if p not in before]


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
            v = _ev(r, col.key == "post_ev")
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
