"""The elicitation form: one question at a time, keyboard only, live fit, feedback in words.

Keys: type a value and press Enter to go to the next quantile; Tab/Shift+Tab move between fields;
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
from riskdesk.elicitation.feedback import chance, describe_answer
from riskdesk.elicitation.fitting import FAMILIES, check_quantiles, fit, label
from riskdesk.ui.panels.elicitation_chart import FitChart

AUTOSAVE_MS = 600
BIG = 15


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
        self.fields_box = QFormLayout()
        self.fields: list[QLineEdit] = []
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
        self._build_fields()
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

    def _build_fields(self) -> None:
        while self.fields_box.rowCount():
            self.fields_box.removeRow(0)
        self.fields = []
        for k, p in enumerate(self.levels):
            e = QLineEdit()
            e.setObjectName(f"quantile_{k}")
            e.setFont(_font(BIG + 1))
            e.setMinimumWidth(160)
            e.textEdited.connect(self._changed)
            e.returnPressed.connect(lambda k=k: self._enter(k))
            side = "below" if p <= 0.5 else "above"
            odds = chance(p if p <= 0.5 else 1 - p)
            hint = "the median" if abs(p - 0.5) < 1e-9 else f"{odds} of a value {side}"
            lab = QLabel(f"{label(p)}  <span style='color:#666'>({hint})</span>")
            lab.setFont(_font(BIG - 2))
            self.fields_box.addRow(lab, e)
            lab.show()  # at once, not queued: the first field takes the keyboard focus next
            e.show()
            self.fields.append(e)
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
        """Messages for the typed answer (empty when it can be saved)."""
        q = self.current_question
        try:
            vals = self.values()
        except ValueError:
            bad = [label(p) for p, e in zip(self.levels, self.fields, strict=True)
                   if not _is_number(e.text())]
            return [f"{', '.join(bad)}: not a number"]
        if any(math.isnan(v) for v in vals):
            return ["Enter every quantile."]
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
        for e in self.fields:
            e.setStyleSheet("")
        if probs:
            self.last_fit = None
            self.problems.setText("\n".join(probs))
            for p, e in zip(self.levels, self.fields, strict=True):
                if any(s.startswith(label(p) + ":") or s.startswith(label(p) + " ")
                       for s in probs):
                    e.setStyleSheet("background:#fde2e1")
            self.words.setText("")
            self.fit_label.setText("")
            self.chart.clear("fix the answer" if not probs[0].startswith("Enter") else
                             "enter the quantiles")
            return
        self.problems.setText("")
        vals = self.values()
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


def _is_number(text: str) -> bool:
    try:
        _parse(text)
    except ValueError:
        return False
    return True
