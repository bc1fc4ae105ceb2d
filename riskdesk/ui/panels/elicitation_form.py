"""The elicitation form: one question at a time, keyboard only, live fit, feedback in words.

A question is answered with the session's quantiles, or (its answer format ``three_point``) with
min / most likely / max, fitted live as PERT or triangular. Problems show next to their field.

Keys: type a value and press Enter to go to the next field; Tab/Shift+Tab move between fields;
PgDown/PgUp next/previous question; Ctrl+PgDown/Ctrl+PgUp next/previous expert; Ctrl+P pauses
the session (saving where the form is); Esc discards an unsaved change. A coherent answer is saved
automatically :data:`AUTOSAVE_MS` after the last change, and when moving to another question or
expert; the form does not move away from a changed answer that cannot be saved (fix it, or Esc).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.problems import ValidationError
from riskdesk.elicitation.feedback import chance, describe_answer, describe_three_point
from riskdesk.elicitation.fitting import (
    FAMILIES,
    THREE_POINT_NAMES,
    check_quantiles,
    check_three_point,
    fit,
    from_three_point,
    label,
)
from riskdesk.ui.panels.elicitation_chart import FitChart

AUTOSAVE_MS = 600
BIG = 15
FORMATS = (("Quantiles", ("quantiles", "pert")),
           ("Min / most likely / max (PERT)", ("three_point", "pert")),
           ("Min / most likely / max (triangular)", ("three_point", "triangular")))
THREE_POINT_HINTS = ("the lowest value you think possible", "the single most likely value",
                     "the highest value you think possible")


def _font(size: int, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSize(size)
    f.setBold(bold)
    return f


def _parse(text: str) -> float:
    t = text.strip().replace(",", "").replace("_", "")
    return float(t) if t else math.nan


class ElicitationForm(QWidget):
    """Answers of one session, question by question, for the selected expert."""

    saved = Signal()
    paused = Signal()

    def __init__(self, state: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.sid: int | None = None
        self.levels: list[float] = []
        self.questions: list[Any] = []
        self.experts: list[Any] = []
        self.qpos = 0
        self.closed = False  # a closed session is shown read-only
        self.shown_expert = ""  # the expert whose answer the fields hold
        self.last_fit: Any = None
        self.dirty = False
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save)

        self.title = QLabel()
        self.title.setFont(_font(BIG + 3, True))
        self.progress = QLabel()
        self.progress.setObjectName("progress")
        self.question = QLabel()
        self.question.setObjectName("questionText")
        self.question.setFont(_font(BIG))
        self.question.setWordWrap(True)
        self.expert = QComboBox()
        self.expert.setFont(_font(BIG - 2))
        self.expert.currentIndexChanged.connect(self._expert_changed)
        self.family = QComboBox()
        self.family.addItem("Best fit", None)
        for f in FAMILIES:
            self.family.addItem(f, f)
        self.family.currentIndexChanged.connect(self.refresh)
        self.answer_format = QComboBox()
        self.answer_format.setObjectName("answerFormat")
        self.answer_format.setToolTip("How this question is answered; quantiles and three "
                                      "points can be switched until the first answer")
        for text, data in FORMATS:
            self.answer_format.addItem(text, data)
        self.answer_format.currentIndexChanged.connect(self._format_chosen)
        self.fields_box = QFormLayout()
        self.fields_box.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: list[QLineEdit] = []
        self.field_msgs: list[QLabel] = []  # a problem of a field, shown next to it
        self.field_names: list[str] = []  # P10, P50, ... or min, most likely, max
        self.built_for: tuple[str, tuple[float, ...]] | None = None
        self.rationale = QPlainTextEdit()
        self.rationale.setPlaceholderText("Why? (evidence, analogues, assumptions)")
        self.rationale.setTabChangesFocus(True)
        self.rationale.setMaximumHeight(90)
        self.rationale.textChanged.connect(self._changed_rationale)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setStyleSheet("color:#b3261e")
        self.problems.setWordWrap(True)
        self.problems.setFont(_font(BIG - 3))
        self.words = QLabel()
        self.words.setObjectName("feedback")
        self.words.setWordWrap(True)
        self.words.setFont(_font(BIG - 3))
        self.fit_label = QLabel()
        for lab in (self.title, self.progress, self.fit_label):  # never widen the window
            lab.setWordWrap(True)
        self.save_label = QLabel()
        self.save_label.setObjectName("saveState")
        self.save_label.setWordWrap(True)  # long states must not widen the window
        self.chart = FitChart()

        nav = QHBoxLayout()
        for text, slot in (("◀ Previous question (PgUp)", lambda: self.go(self.qpos - 1)),
                           ("Next question (PgDn) ▶", lambda: self.go(self.qpos + 1)),
                           ("Pause session (Ctrl+P)", self.pause)):
            b = QPushButton(text)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(slot)
            nav.addWidget(b)
        nav.addStretch(1)
        nav.addWidget(self.save_label)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addWidget(self.title)
        ll.addWidget(self.progress)
        row = QHBoxLayout()
        row.addWidget(QLabel("Expert:"))
        row.addWidget(self.expert, 1)
        row.addWidget(QLabel("Fit:"))
        row.addWidget(self.family)
        ll.addLayout(row)
        frow = QHBoxLayout()
        frow.addWidget(QLabel("Answer as:"))
        frow.addWidget(self.answer_format)
        frow.addStretch(1)
        ll.addLayout(frow)
        ll.addWidget(self.question)
        ll.addLayout(self.fields_box)
        ll.addWidget(self.problems)
        ll.addWidget(QLabel("Rationale"))
        ll.addWidget(self.rationale)
        ll.addWidget(self.words)
        ll.addStretch(1)
        ll.addLayout(nav)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.fit_label)
        rl.addWidget(self.chart, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(split)

        for keys, slot in ((QKeySequence.StandardKey.MoveToNextPage,
                            lambda: self.go(self.qpos + 1)),
                           (QKeySequence.StandardKey.MoveToPreviousPage,
                            lambda: self.go(self.qpos - 1)),
                           (QKeySequence("Ctrl+PgDown"), lambda: self.step_expert(1)),
                           (QKeySequence("Ctrl+PgUp"), lambda: self.step_expert(-1)),
                           (QKeySequence("Ctrl+P"), self.pause),
                           (QKeySequence("Escape"), self.discard)):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

    # ---- loading ----------------------------------------------------------------------------
    @property
    def service(self) -> Any:
        from riskdesk.services.elicitation import ElicitationService

        return ElicitationService(self.state.workspace)

    def load(self, sid: int) -> None:
        """Open session ``sid`` where it was left (resuming it if paused)."""
        svc = self.service
        info = svc.session(sid)
        if info.status == "paused":
            svc.resume(sid)
        self.closed = info.status == "closed"
        self.sid = sid
        self.levels = list(info.levels)
        self.questions = svc.questions(sid)
        self.experts = svc.experts(sid)
        self.title.setText(info.name)
        self.built_for = None
        self._loading = True
        self.expert.clear()
        for e in self.experts:
            self.expert.addItem(e.label)
        self.expert.setCurrentIndex(min(info.expert_position, max(len(self.experts) - 1, 0)))
        self._loading = False
        self.qpos = min(info.position, max(len(self.questions) - 1, 0))
        self._show_question()

    def close_session(self) -> None:
        """Save what can be saved and show no session."""
        if self.sid is not None:
            try:
                self.save()
            except Exception:  # the old workspace may already be closed
                pass
        self.sid = None
        self.questions, self.experts = [], []
        self.title.setText("No session open")
        self.progress.setText("Open a session from the Sessions tab.")
        self.question.setText("")
        self.expert.clear()
        for e in self.fields:
            e.clear()
        self.chart.clear("no session")

    @property
    def three_point(self) -> bool:
        q = self.current_question
        return q is not None and getattr(q, "answer_format", "quantiles") == "three_point"

    def _build_fields(self) -> None:
        """One row per quantile, or min / most likely / max, each with its message label."""
        kind = "three_point" if self.three_point else "quantiles"
        if self.built_for == (kind, tuple(self.levels)):
            return
        self.built_for = (kind, tuple(self.levels))
        while self.fields_box.rowCount():
            self.fields_box.removeRow(0)
        self.fields, self.field_msgs = [], []
        if kind == "three_point":
            rows = [(n.capitalize(), n, h) for n, h in zip(THREE_POINT_NAMES, THREE_POINT_HINTS,
                                                           strict=True)]
        else:
            rows = []
            for p in self.levels:
                side = "below" if p <= 0.5 else "above"
                odds = chance(p if p <= 0.5 else 1 - p)
                hint = "the median" if abs(p - 0.5) < 1e-9 else f"{odds} of a value {side}"
                rows.append((label(p), label(p), hint))
        self.field_names = [name for _, name, _ in rows]
        for k, (title, name, hint) in enumerate(rows):
            e = QLineEdit()
            e.setObjectName(f"{'three_point' if kind == 'three_point' else 'quantile'}_{k}")
            e.setAccessibleName(name)
            e.setFont(_font(BIG + 1))
            e.setMinimumWidth(160)
            e.textEdited.connect(self._changed)
            e.returnPressed.connect(lambda k=k: self._enter(k))
            msg = QLabel()
            msg.setObjectName(f"fieldProblem_{k}")
            msg.setStyleSheet("color:#b3261e")
            msg.setWordWrap(True)
            msg.setFont(_font(BIG - 4))
            lab = QLabel(f"{title}  <span style='color:#666'>({hint})</span>")
            lab.setFont(_font(BIG - 2))
            cell = QWidget()
            cl = QVBoxLayout(cell)  # the message right under its field, shown when there is one
            cl.setContentsMargins(0, 0, 0, 0)
            cl.setSpacing(1)
            cl.addWidget(e)
            cl.addWidget(msg)
            self.fields_box.addRow(lab, cell)
            for w in (lab, cell, e):
                w.show()  # at once, not queued: the first field takes the keyboard focus next
            self.fields.append(e)
            self.field_msgs.append(msg)
        if self.fields:
            QWidget.setTabOrder(self.fields[-1], self.rationale)

    def _enter(self, k: int) -> None:
        if k + 1 < len(self.fields):
            self.fields[k + 1].setFocus()
            self.fields[k + 1].selectAll()
        else:
            self.rationale.setFocus()
        self.save_soon()

    # ---- navigation -------------------------------------------------------------------------
    @property
    def current_question(self) -> Any:
        return self.questions[self.qpos] if self.questions else None

    @property
    def current_expert(self) -> str:
        return self.expert.currentText()

    def go(self, pos: int) -> None:
        """Save and move to question ``pos`` (clamped)."""
        if not self.questions or not self._may_leave():
            return
        self.qpos = max(0, min(pos, len(self.questions) - 1))
        self._show_question()

    def step_expert(self, step: int) -> None:
        n = self.expert.count()
        if n and self._may_leave():
            self.expert.setCurrentIndex((self.expert.currentIndex() + step) % n)

    def _expert_changed(self) -> None:
        if self._loading or self.sid is None:
            return
        if self.dirty and not self._may_leave():  # chosen with the mouse over a bad answer
            self._loading = True
            self.expert.setCurrentText(self.shown_expert)
            self._loading = False
            return
        self._show_question()

    def _may_leave(self) -> bool:
        """Save the shown answer; False (and say why) if a changed answer cannot be saved."""
        if self.save() or not self.dirty:
            return True
        self.save_label.setText("Not saved: fix the answer, or press Esc to discard it")
        if self.fields:
            self.fields[0].setFocus()
        return False

    def discard(self) -> None:
        """Forget unsaved changes and show the stored answer again."""
        if self.sid is not None and self.dirty:
            self._timer.stop()
            self._show_question()

    def _show_question(self) -> None:
        q = self.current_question
        if q is None:
            self.question.setText("This session has no questions yet.")
            return
        kind = "seed question" if q.realisation is not None else "question"
        self.progress.setText(f"{kind.capitalize()} {self.qpos + 1} of {len(self.questions)} · "
                              f"expert {self.current_expert} · {q.scale} scale"
                              + (f" · in {q.units}" if q.units else ""))
        bounds = ""
        if q.lower is not None or q.upper is not None:
            bounds = (f"<br><span style='color:#666'>Physical bounds: "
                      f"{'' if q.lower is None else f'{q.lower:g}'} … "
                      f"{'' if q.upper is None else f'{q.upper:g}'}</span>")
        self.question.setText(f"<b>{q.code}</b> — {q.text or '(no text)'}{bounds}")
        self._build_fields()
        self._loading = True
        self._show_format(q)
        self.answer_format.setEnabled(not self.closed)
        self.family.setEnabled(not self.three_point)
        self.shown_expert = self.current_expert
        ans = self.service.answers(self.sid).get((q.code, self.current_expert)) \
            if self.sid is not None else None
        self._loading = True
        for k, e in enumerate(self.fields):
            e.setText("" if ans is None else f"{ans.values[k]:g}")
        self.rationale.setPlainText("" if ans is None else ans.rationale)
        for e in self.fields:
            e.setReadOnly(self.closed)
        self.rationale.setReadOnly(self.closed)
        self._loading = False
        self.dirty = False
        self.save_label.setText("Session closed: read-only (reopen it on the Sessions tab)"
                                if self.closed else
                                "Saved" if ans is not None else "Not answered yet")
        self.refresh()
        if self.fields:
            self.fields[0].setFocus()
            self.fields[0].selectAll()

    # ---- live checks and fit ----------------------------------------------------------------
    def values(self) -> list[float]:
        return [_parse(e.text()) for e in self.fields]

    def coherence_problems(self) -> list[str]:
        """Messages for the typed answer (empty when it can be saved); each starts with the
        field it is about (``P90: ...``, ``most likely: ...``)."""
        q = self.current_question
        bad = [n for n, e in zip(self.field_names, self.fields, strict=True)
               if not _is_number(e.text())]
        if bad:
            return [f"{n}: not a number" for n in bad]
        vals = self.values()
        if any(math.isnan(v) for v in vals):
            return ["Enter min, most likely and max." if self.three_point else
                    "Enter every quantile."]
        if self.three_point:
            return [str(p) for p in check_three_point(vals, q.lower, q.upper, q.scale == "LOG")]
        out = [str(p) for p in check_quantiles(self.levels, vals, q.lower, q.upper)]
        if q.scale == "LOG" and vals[0] <= 0:
            out.append(f"{label(self.levels[0])}: values must be above 0 on a LOG-scale question")
        return out

    def _changed(self) -> None:
        if self._loading:
            return
        self.dirty = True
        self.refresh()
        self.save_soon()

    def _changed_rationale(self) -> None:
        if not self._loading:
            self.dirty = True
            self.save_soon()

    def refresh(self) -> None:
        """Re-check the answer and update the fit, chart and words."""
        if self.current_question is None or not self.fields:
            return
        q = self.current_question
        probs = self.coherence_problems()
        for e, msg, name in zip(self.fields, self.field_msgs, self.field_names, strict=True):
            mine = [s[len(name) + 1:].strip() for s in probs if s.startswith(name + ":")]
            e.setStyleSheet("background:#fde2e1" if mine else "")
            msg.setText("; ".join(mine))
            msg.setVisible(bool(mine))
        if probs:
            self.last_fit = None  # the summary holds what no field shows next to it
            self.problems.setText("\n".join(
                p for p in probs if not any(p.startswith(n + ":") for n in self.field_names)))
            self.words.setText("")
            self.fit_label.setText("")
            self.chart.clear("fix the answer" if not probs[0].startswith("Enter") else
                             "enter min, most likely, max" if self.three_point else
                             "enter the quantiles")
            return
        self.problems.setText("")
        vals = self.values()
        if self.three_point:
            self._refresh_three_point(q, vals)
            return
        pairs = dict(zip(self.levels, vals, strict=True))
        try:
            f = fit(pairs, self.family.currentData(), lower=q.lower, upper=q.upper)
        except Exception as exc:  # any failure of a fit is shown, never raised into Qt
            self.last_fit = None
            self.fit_label.setText(f"cannot fit {self.family.currentText()}: {exc}")
            self.chart.clear("no fit")
            return
        self.last_fit = f
        warn = "" if f.feasible else " — infeasible (density not positive everywhere)"
        self.fit_label.setText(f"<b>{f.describe()}</b> · fit error {100 * f.error:.2f}% of the "
                               f"range{warn}")
        subject = "the value" if not q.text else "it"
        self.words.setText("\n".join(describe_answer(pairs, subject, q.units, f)))
        self.chart.set_fit(f, self.levels, vals, q.units)

    def _refresh_three_point(self, q: Any, vals: list[float]) -> None:
        try:
            f = from_three_point(vals[0], vals[1], vals[2], q.three_point_family)
        except ValidationError as exc:  # shown, never raised into Qt
            self.last_fit = None
            self.fit_label.setText(f"cannot fit {q.three_point_family}: {exc}")
            self.chart.clear("no fit")
            return
        self.last_fit = f
        p = f.params
        shape = f" (α = {p['alpha']:.3g}, β = {p['beta']:.3g})" if "alpha" in p else ""
        self.fit_label.setText(f"<b>{f.family.upper() if f.family == 'pert' else f.family}"
                               f"({vals[0]:g}, {vals[1]:g}, {vals[2]:g})</b>{shape} · exact "
                               "through min, most likely and max")
        subject = "the value" if not q.text else "it"
        self.words.setText("\n".join(describe_three_point(vals[0], vals[1], vals[2], subject, q.units, f)))
        mode_level = float(f.cdf([vals[1]])[0])
        self.chart.set_fit(f, [0.0, mode_level, 1.0], vals, q.units,
                           ["min", "most likely", "max"])

    def _format_chosen(self) -> None:
        """The facilitator switches the shown question's answer format (stored at once)."""
        q = self.current_question
        if self._loading or q is None or self.sid is None:
            return
        fmt, family = self.answer_format.currentData()
        if (fmt, family) == (q.answer_format, q.three_point_family if fmt == "three_point"
                             else "pert"):
            return
        if not self._may_leave():
            self._show_format(q)
            return
        try:
            self.service.set_answer_format(self.sid, q.code, fmt, family)
        except ValidationError as exc:
            self._show_format(q)
            self.save_label.setText(f"Format not changed: {exc}")
            return
        self.questions = self.service.questions(self.sid)
        self.state.elicitation_changed.emit()
        self._show_question()

    def _show_format(self, q: Any) -> None:
        self._loading = True
        self.answer_format.setCurrentIndex(format_index(
            q.answer_format, q.three_point_family))
        self._loading = False

    # ---- saving -----------------------------------------------------------------------------
    def save_soon(self) -> None:
        if self.dirty:
            self._timer.start()

    def save(self) -> bool:
        """Save the answer if it changed and is coherent; never raises into the GUI."""
        self._timer.stop()
        q = self.current_question
        if not self.dirty or q is None or self.sid is None:
            return not self.dirty
        if self.coherence_problems():
            self.save_label.setText("Not saved: fix the answer")
            return False
        try:
            self.service.answer(self.sid, q.code, self.shown_expert, self.values(),
                                self.rationale.toPlainText(), q.units)
        except ValidationError as exc:
            self.save_label.setText(f"Not saved: {exc}")
            return False
        self.dirty = False
        self.save_label.setText(f"Saved {datetime.now():%H:%M:%S}")
        self.state.elicitation_changed.emit()
        self.saved.emit()
        return True

    def pause(self) -> None:
        """Save, then mark the session paused at this question and expert."""
        if self.sid is None or self.closed or not self._may_leave():
            return
        self.service.pause(self.sid, self.qpos, max(self.expert.currentIndex(), 0))
        self.save_label.setText("Session paused")
        self.state.elicitation_changed.emit()
        self.paused.emit()


def format_index(answer_format: str, family: str = "pert") -> int:
    """Index in :data:`FORMATS` of an answer format (the family matters for three points)."""
    key = (answer_format, family if answer_format == "three_point" else "pert")
    return next((k for k, (_, data) in enumerate(FORMATS) if data == key), 0)


def _is_number(text: str) -> bool:
    try:
        _parse(text)
    except ValueError:
        return False
    return True
