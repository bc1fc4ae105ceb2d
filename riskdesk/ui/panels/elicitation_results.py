"""Pooling results: each expert's calibration, information and weight, the decision maker, and
the pooled distribution against the individual experts; apply a pooled question to its risk.

Pooling and robustness run in background workers below the GUI thread's priority (optimising
Cooke's α on a large panel takes seconds); the Pool button becomes Cancel meanwhile."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.problems import ValidationError
from riskdesk.elicitation.fitting import FAMILIES
from riskdesk.services.registry import RegistryService
from riskdesk.ui.commands import ServiceRiskCommand, execute
from riskdesk.ui.panels.elicitation_chart import PoolChart
from riskdesk.ui.panels.registry_model import parse_number
from riskdesk.ui.worker import GeneratorWorker

METHODS = (("Cooke, global weights", "cooke", "global"), ("Cooke, item weights", "cooke", "item"),
           ("Equal weights", "equal", "equal"), ("User weights", "user", "user"),
           ("Log pool, equal weights", "log", "equal"), ("Log pool, user weights", "log", "user"))


def _num(x: float | None, fmt: str = ".4g") -> str:
    return "–" if x is None else format(x, fmt)


class ResultsView(QWidget):
    """Pool a session with a chosen method and show the scores and the pooled distributions."""

    def __init__(self, state: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.sid: int | None = None
        self.outcome: Any = None
        self.method = QComboBox()
        for text, m, wk in METHODS:
            self.method.addItem(text, (m, wk))
        self.alpha = QDoubleSpinBox()
        self.alpha.setDecimals(4)
        self.alpha.setRange(0.0, 1.0)
        self.alpha.setSingleStep(0.01)
        self.optimise = QCheckBox("Optimise α")
        self.optimise.setChecked(True)
        self.optimise.toggled.connect(lambda on: self.alpha.setEnabled(not on))
        self.alpha.setEnabled(False)
        self.user_weights = QLineEdit()
        self.user_weights.setPlaceholderText("weight per expert, e.g. 2, 1, 1")
        self.user_weights.setToolTip("One weight per expert in the table's order; they are "
                                     "normalised to sum to 1")
        self.user_weights.setEnabled(False)
        self.user_weights.returnPressed.connect(self.run)
        self.method.currentIndexChanged.connect(lambda: self.user_weights.setEnabled(
            self.method.currentData()[1] == "user"))
        self.pool_button = QPushButton("Pool")
        self.pool_button.clicked.connect(self.run)
        self.pool_worker: GeneratorWorker | None = None
        self.pool_progress = QProgressBar()
        self.pool_progress.setObjectName("poolProgress")
        self.pool_progress.setMaximumWidth(160)
        self.pool_progress.setTextVisible(False)
        self.pool_progress.hide()
        top = QHBoxLayout()
        for w in (QLabel("Method:"), self.method, self.user_weights, QLabel("α:"), self.alpha,
                  self.optimise, self.pool_button, self.pool_progress):
            top.addWidget(w)
        top.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("scores")
        self.table.setHorizontalHeaderLabels(["Expert", "Calibration", "Information (seeds)",
                                              "Weight"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.leave_out = QComboBox()
        self.leave_out.addItem("Leave one seed question out", "items")
        self.leave_out.addItem("Leave one expert out", "experts")
        self.robust_worker: GeneratorWorker | None = None
        self.robust_button = QPushButton("Robustness")
        self.robust_button.clicked.connect(self.run_robustness)
        self.robust = QTableWidget(0, 4)
        self.robust.setObjectName("robustness")
        self.robust.setHorizontalHeaderLabels(["Left out", "DM calibration", "DM information",
                                               "Combined"])
        self.robust.horizontalHeader().setStretchLastSection(True)
        self.robust.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.question = QComboBox()
        self.question.currentIndexChanged.connect(self._show_question)
        self.apply_button = QPushButton("Apply to risk")
        self.apply_button.setToolTip("Set the question's risk parameter in the draft registry "
                                     "from the pooled distribution (Ctrl+Z undoes it)")
        self.apply_button.clicked.connect(self.apply)
        self.apply_family = QComboBox()
        self.apply_family.addItem("best fit", None)
        for f in FAMILIES:
            self.apply_family.addItem(f, f)
        self.apply_family.setToolTip("Family fitted to the pooled quantiles when applying")
        self.chart = PoolChart()
        qrow = QHBoxLayout()
        qrow.addWidget(QLabel("Question:"))
        qrow.addWidget(self.question, 1)
        qrow.addWidget(QLabel("as"))
        qrow.addWidget(self.apply_family)
        qrow.addWidget(self.apply_button)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(qrow)
        rl.addWidget(self.chart, 1)
        left = QWidget()
        lft = QVBoxLayout(left)
        lft.setContentsMargins(0, 0, 0, 0)
        lft.addWidget(self.table, 3)
        rrow = QHBoxLayout()
        rrow.addWidget(self.leave_out, 1)
        rrow.addWidget(self.robust_button)
        lft.addLayout(rrow)
        lft.addWidget(self.robust, 2)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([470, 700])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.message)
        lay.addWidget(split, 1)

    def service(self) -> Any:
        from riskdesk.services.elicitation import ElicitationService

        return ElicitationService(self.state.workspace)

    def load(self, sid: int) -> None:
        self._stop_pool()
        self.sid = sid
        self.outcome = None
        self.table.setRowCount(0)
        svc = self.service()
        self.questions = {q.code: q for q in svc.questions(sid)}
        self.question.blockSignals(True)
        self.question.clear()
        for q in self.questions.values():
            tag = " (seed)" if q.realisation is not None else \
                (f" → {q.risk_id}.{q.parameter}" if q.risk_id else "")
            self.question.addItem(q.code + tag, q.code)
        self.question.blockSignals(False)
        info = svc.session(sid)
        self.message.setText(f"{info.name}: {len(info.experts)} experts, {info.questions} "
                             f"questions ({info.seeds} seed). Choose a method and press Pool.")

    def run(self) -> GeneratorWorker | None:
        """Pool with the chosen method in a background worker (pressing again cancels); the
        scores appear when it is done; problems are shown, never raised."""
        if self.pool_worker is not None and self.pool_worker.running:
            self.pool_worker.cancel()
            return None
        if self.sid is None:
            return None
        method, weights = self.method.currentData()
        alpha = None if self.optimise.isChecked() else self.alpha.value()
        user: list[float] | None = None
        if weights == "user":
            try:
                user = [parse_number(x, "weight") for x in
                        self.user_weights.text().replace(";", ",").split(",") if x.strip()]
            except ValueError as exc:
                self.message.setText(f"<span style='color:#b3261e'>Cannot pool: {exc}</span>")
                return None
            if not user:
                self.message.setText("<span style='color:#b3261e'>Cannot pool: give one weight "
                                     "per expert, e.g. 2, 1, 1</span>")
                return None
            weights = "equal"
        sid, svc = self.sid, self.service()
        w = GeneratorWorker(lambda: svc.pool_steps(sid, method, weights, alpha, user), self,
                            low_priority=True)
        w.progress.connect(self._pool_progress)
        w.finished.connect(lambda out: self._pooled(sid, out))
        w.failed.connect(self._pool_failed)
        w.cancelled.connect(lambda: self.message.setText("Pooling cancelled."))
        w.done.connect(self._pool_done)
        self.pool_button.setText("Cancel")
        self.pool_progress.setRange(0, 0)  # busy until the number of α candidates is known
        self.pool_progress.show()
        self.message.setText("Pooling…")
        self.pool_worker = w
        w.start()
        return w

    def _pool_progress(self, step: tuple[int, int]) -> None:
        k, n = step
        self.pool_progress.setRange(0, n)
        self.pool_progress.setValue(k)
        self.message.setText(f"Pooling: optimising α, {k} of {n} candidate levels tried…")

    def _pool_failed(self, msg: str) -> None:
        self.outcome = None
        self.table.setRowCount(0)
        self.message.setText("<span style='color:#b3261e'>Cannot pool: "
                             + msg.replace("\n", "<br>") + "</span>")

    def _pool_done(self) -> None:
        self.pool_button.setText("Pool")
        self.pool_progress.hide()

    def _stop_pool(self) -> None:
        if self.pool_worker is not None:
            self.pool_worker.stop()

    def _pooled(self, sid: int, out: Any) -> None:
        """Show a finished pool (unless another session was loaded meanwhile)."""
        if sid != self.sid:
            return
        self.outcome = out
        dm = out.decision_maker
        rows = [(e["id"], e["calibration"], e["information"], e["weight"]) for e in out.experts]
        rows.append(("Decision maker", dm["calibration"], dm["information"], None))
        self.table.setRowCount(len(rows))
        for r, (name, cal, info, w) in enumerate(rows):
            for c, text in enumerate((name, _num(cal), _num(info), _num(w, ".3f"))):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.message.setText(f"Decision maker: calibration {_num(dm['calibration'])}, "
                             f"information {_num(dm['information'])}, combined "
                             f"{_num(dm['combined'])}, α = {_num(dm['alpha'])}")
        self._show_question()

    def _show_question(self) -> None:
        code = self.question.currentData()
        if self.outcome is None or code is None or self.sid is None:
            return
        ans = self.service().answers(self.sid)
        experts = {f"{e['id']} (weight {e['weight']:.2f})":
                   (list(ans[(code, e["id"])].values) if (code, e["id"]) in ans else None)
                   for e in self.outcome.experts}
        q = self.questions[code]
        self.chart.set_curves(list(self.outcome.levels), experts, self.outcome.quantiles[code],
                              units=q.units, realisation=q.realisation)
        self.apply_button.setEnabled(bool(q.risk_id))
        self.apply_family.setEnabled(bool(q.risk_id))

    def apply(self) -> None:
        code = self.question.currentData()
        if self.outcome is None or code is None or self.sid is None:
            return
        q = self.questions[code]
        sid, outcome, family = self.sid, self.outcome, self.apply_family.currentData()
        try:
            before = RegistryService(self.state.workspace).risk(q.risk_id)
        except ValidationError as exc:
            QMessageBox.warning(self, "Cannot apply", str(exc))
            return
        cmd = ServiceRiskCommand(self.state, f"Apply {code} to {q.risk_id}.{q.parameter}",
                                 [before], lambda: [self.service().apply(sid, code, outcome, family)])
        problems = execute(self.state, cmd)
        if problems:
            QMessageBox.warning(self, "Cannot apply", "\n".join(str(p) for p in problems))
            return
        risk = cmd.after[0]
        self.state.elicitation_changed.emit()
        self.message.setText(f"Applied to {risk.id}: {risk.impact.describe()} "
                             f"p={risk.probability:g} ({risk.source}) · Ctrl+Z undoes it")

    def run_robustness(self) -> GeneratorWorker | None:
        """Cooke DM scores with each seed question (or expert) left out, same weighting, in a
        worker thread: rows appear as they are scored; pressing the button again cancels."""
        if self.robust_worker is not None and self.robust_worker.running:
            self.robust_worker.cancel()
            return None
        if self.sid is None:
            return None
        method, weights = self.method.currentData()
        if method != "cooke":
            weights = "equal"
        alpha = None if self.optimise.isChecked() else self.alpha.value()
        try:
            total, rows = self.service().robustness_steps(
                self.sid, self.leave_out.currentData(), weights, alpha)
        except ValidationError as exc:
            self.message.setText(f"<span style='color:#b3261e'>Cannot run robustness: "
                                 f"{'<br>'.join(str(p) for p in exc.problems)}</span>")
            return None
        self.robust.setRowCount(0)

        def work() -> Generator[tuple[int, dict[str, Any]], None, int]:
            yield from enumerate(rows, start=1)
            return total

        w = GeneratorWorker(work, self)
        w.progress.connect(lambda item: self._robust_row(item, total))
        w.finished.connect(lambda n: self.message.setText(f"Robustness: {n} reduced panels "
                                                          "scored."))
        w.cancelled.connect(lambda: self.message.setText(
            f"Robustness cancelled after {self.robust.rowCount()} of {total}."))
        w.failed.connect(lambda msg: self.message.setText(
            f"<span style='color:#b3261e'>Robustness failed: {msg}</span>"))
        w.done.connect(lambda: self.robust_button.setText("Robustness"))
        self.robust_button.setText("Cancel")
        self.message.setText(f"Robustness: scoring {total} reduced panels…")
        self.robust_worker = w
        w.start()
        return w

    def _robust_row(self, item: tuple[int, dict[str, Any]], total: int) -> None:
        k, row = item
        r = self.robust.rowCount()
        self.robust.setRowCount(r + 1)
        for c, text in enumerate((row["removed"], _num(row["calibration"]),
                                  _num(row["information"]), _num(row["combined"]))):
            self.robust.setItem(r, c, QTableWidgetItem(text))
        self.robust.resizeColumnsToContents()
        self.message.setText(f"Robustness: {k} of {total} reduced panels scored…")

    def shutdown(self) -> None:
        """Stop running pooling and robustness work (closing the window or the workspace)."""
        self._stop_pool()
        if self.robust_worker is not None:
            self.robust_worker.stop()
