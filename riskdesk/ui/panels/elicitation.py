"""The Elicitation screen: sessions, the elicitation form, pooled results and the risk matrix.

Run alone with sample data: ``python -m riskdesk.ui.panels.elicitation``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.problems import ValidationError
from riskdesk.ui.panels.elicitation_form import FORMATS, ElicitationForm
from riskdesk.ui.panels.elicitation_matrix import MatrixView
from riskdesk.ui.panels.elicitation_results import ResultsView

LEVEL_SETS = (("P10 / P50 / P90", (0.1, 0.5, 0.9)), ("P5 / P50 / P95", (0.05, 0.5, 0.95)),
              ("P5 / P25 / P50 / P75 / P95", (0.05, 0.25, 0.5, 0.75, 0.95)))
QUESTION_HELP = ("One question per line: CODE | question text | units | target | scale | answer "
                 "(or paste these columns from Excel).\n"
                 "target: seed=VALUE (known answer) or RISK:parameter (probability, impact, "
                 "post_probability, post_impact, phasing.start); scale UNI (default) or LOG;\n"
                 "answer: quantiles, pert or triangular (min / most likely / max); empty = the "
                 "session's answer format.")
ANSWER_WORDS = {"quantiles": ("quantiles", None), "pert": ("three_point", "pert"),
                "triangular": ("three_point", "triangular"), "3pt": ("three_point", None),
                "three_point": ("three_point", None), "three-point": ("three_point", None)}


def parse_questions(text: str) -> list[Any]:
    """``QuestionSpec``s from the dialog's lines; ValidationError naming the line."""
    from riskdesk.domain.problems import Problem
    from riskdesk.services.elicitation import QuestionSpec

    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        sep = "|" if "|" in line else "\t"  # typed with bars, or pasted from Excel columns
        parts = [p.strip() for p in line.split(sep)] + [""] * 6
        code, qtext, units, target, scale, answer = parts[:6]
        kw: dict[str, Any] = {}
        if answer:
            if answer.lower() not in ANSWER_WORDS:
                raise ValidationError(Problem(f"line {n}", f"answer format {answer!r} is not "
                                              "quantiles, pert or triangular"))
            kw["answer_format"], kw["three_point_family"] = ANSWER_WORDS[answer.lower()]
        if target.lower().startswith("seed="):
            try:
                kw["realisation"] = float(target[5:])
            except ValueError:
                raise ValidationError(Problem(f"line {n}", f"seed value {target[5:]!r} is not "
                                              "a number")) from None
        elif target:
            rid, _, param = target.partition(":")
            kw["risk_id"], kw["parameter"] = rid.strip(), param.strip() or "impact"
            if kw["parameter"].startswith("probability"):
                kw["lower"], kw["upper"] = 0.0, 1.0
        out.append(QuestionSpec(code, qtext, units, scale or "UNI", **kw))
    return out


class _EnterField(QLineEdit):
    """A line edit whose Enter does its own job and does not also press the dialog's OK."""

    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802
        super().keyPressEvent(e)
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            e.accept()


class NewSessionDialog(QDialog):
    """Name, facilitator, quantile levels, experts (people of the workspace) and questions."""

    def __init__(self, people: list[str], parent: QWidget | None = None,
                 add_person: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New elicitation session")
        self.add_person = add_person  # name -> None, raises WorkspaceError (e.g. a duplicate)
        self.name = QLineEdit()
        self.facilitator = QLineEdit()
        self.levels = QComboBox()
        for text, lv in LEVEL_SETS:
            self.levels.addItem(text, lv)
        self.answer_format = QComboBox()
        self.answer_format.setObjectName("sessionAnswerFormat")
        for text, data in FORMATS:
            self.answer_format.addItem(text, data)
        self.answer_format.setToolTip("How the questions are answered unless a question line "
                                      "says otherwise; quantiles use the levels above")
        self.experts = QListWidget()
        for p in people:
            it = QListWidgetItem(p)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked)
            self.experts.addItem(it)
        self.questions = QPlainTextEdit()
        self.questions.setPlaceholderText("S1 | Days lost to weather last winter | days | "
                                          "seed=14\nQ1 | Cost of the overrun | kUSD | "
                                          "NS-003:impact")
        self.error = QLabel()
        self.error.setStyleSheet("color:#b3261e")
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Facilitator", self.facilitator)
        form.addRow("Quantiles", self.levels)
        form.addRow("Answer format", self.answer_format)
        form.addRow("Experts", self.experts)
        self.new_expert = _EnterField()
        self.new_expert.setPlaceholderText("Name of an expert not yet in the workspace")
        self.new_expert.returnPressed.connect(self.add_expert)
        add = QPushButton("Add expert")
        add.setAutoDefault(False)
        add.clicked.connect(self.add_expert)
        add.setEnabled(add_person is not None)
        row = QHBoxLayout()
        row.addWidget(self.new_expert, 1)
        row.addWidget(add)
        form.addRow("", row)
        form.addRow(QLabel(QUESTION_HELP))
        form.addRow("Questions", self.questions)
        form.addRow(self.error)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                              QDialogButtonBox.StandardButton.Cancel)
        bb.accepted.connect(self.accept)
        bb.rejected.connect(self.reject)
        form.addRow(bb)

    def add_expert(self) -> None:
        """Add the typed name as a person of the workspace and tick them as an expert."""
        from riskdesk.services.workspace import WorkspaceError

        name = self.new_expert.text().strip()
        if not name or self.add_person is None:
            return
        try:
            self.add_person(name)
        except WorkspaceError as exc:
            self.error.setText(str(exc))
            return
        it = QListWidgetItem(name)
        it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        it.setCheckState(Qt.CheckState.Checked)
        self.experts.addItem(it)
        self.new_expert.clear()
        self.error.setText("")

    def chosen_experts(self) -> tuple[str, ...]:
        return tuple(self.experts.item(i).text() for i in range(self.experts.count())
                     if self.experts.item(i).checkState() == Qt.CheckState.Checked)


class ElicitationPanel(QWidget):
    """Sessions list and the three working views, as tabs."""

    def __init__(self, state: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.tabs = QTabWidget()
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("sessions")
        self.table.setHorizontalHeaderLabels(["Id", "Session", "Status", "Experts",
                                              "Questions (seed)", "Answers"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.doubleClicked.connect(lambda _: self.open_form())
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, slot in (("New session…", self.new_session),
                           ("Import Excalibur…", self.import_excalibur),
                           ("Export Excalibur…", self.export_excalibur),
                           ("Open form / resume", self.open_form),
                           ("Results", self.open_results),
                           ("Close / reopen", self.toggle_closed)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        sessions = QWidget()
        sl = QVBoxLayout(sessions)
        sl.addLayout(buttons)
        sl.addWidget(self.table, 1)
        sl.addWidget(self.message)
        self.form = ElicitationForm(state)
        self.results = ResultsView(state)
        self.matrix = MatrixView(state)
        self.tabs.addTab(sessions, "Sessions")
        self.tabs.addTab(self.form, "Elicitation form")
        self.tabs.addTab(self.results, "Results")
        self.tabs.addTab(self.matrix, "Risk matrix")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("<h2>Elicitation</h2>"))
        lay.addWidget(self.tabs)
        self.form.paused.connect(self.reload)
        state.workspace_changed.connect(self._workspace_changed)
        state.registry_changed.connect(self.matrix.reload)
        self.reload()

    def service(self) -> Any:
        from riskdesk.services.elicitation import ElicitationService

        return ElicitationService(self.state.workspace)

    def shutdown(self) -> None:
        """The window closes: stop background work and save the form."""
        self.results.shutdown()
        self.form.close_session()

    def _workspace_changed(self) -> None:
        """Another workspace was opened: forget the open session, show its sessions."""
        self.results.shutdown()
        self.form.close_session()
        self.results.sid = None
        self.results.outcome = None
        self.results.table.setRowCount(0)
        self.tabs.setCurrentIndex(0)
        self.reload()

    def reload(self) -> None:
        if not self.state.has_workspace:
            return
        rows = self.service().sessions()
        self.table.setRowCount(len(rows))
        for r, s in enumerate(rows):
            for c, v in enumerate((s.id, s.name, s.status, len(s.experts),
                                   f"{s.questions} ({s.seeds})", s.answered)):
                it = QTableWidgetItem(str(v))
                it.setData(Qt.ItemDataRole.UserRole, s.id)
                self.table.setItem(r, c, it)
        self.table.resizeColumnsToContents()
        if rows and not self.table.selectedItems():
            self.table.selectRow(len(rows) - 1)
        self.matrix.reload()

    def selected_session(self) -> int | None:
        items = self.table.selectedItems()
        return int(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def open_form(self, sid: int | None = None) -> None:
        sid = sid if sid is not None else self.selected_session()
        if sid is None:
            self.message.setText("Select a session first.")
            return
        self.form.load(sid)
        self.tabs.setCurrentWidget(self.form)
        self.reload()

    def toggle_closed(self) -> None:
        """Close the selected session (its answers become final) or reopen a closed one."""
        sid = self.selected_session()
        if sid is None:
            self.message.setText("Select a session first.")
            return
        if self.form.sid == sid:
            self.form.save()
        svc = self.service()
        closing = svc.session(sid).status != "closed"
        svc.set_status(sid, "closed" if closing else "active")
        self.state.elicitation_changed.emit()
        self.message.setText(f"Session {sid} closed: its answers are final." if closing
                             else f"Session {sid} reopened.")
        if self.form.sid == sid:
            self.form.load(sid)
        self.reload()

    def open_results(self) -> None:
        sid = self.selected_session()
        if sid is None:
            self.message.setText("Select a session first.")
            return
        self.results.load(sid)
        self.tabs.setCurrentWidget(self.results)

    def new_session(self) -> None:
        dlg = NewSessionDialog([p.name for p in self.state.workspace.people()], self,
                               add_person=self.state.workspace.add_person)
        while dlg.exec() == QDialog.DialogCode.Accepted:
            try:
                fmt, family = dlg.answer_format.currentData()
                sid = self.service().create_session(
                    dlg.name.text(), dlg.facilitator.text(), dlg.levels.currentData(),
                    dlg.chosen_experts(), tuple(parse_questions(dlg.questions.toPlainText())),
                    fmt, family)
            except ValidationError as exc:
                dlg.error.setText(str(exc))
                continue
            self.state.elicitation_changed.emit()
            self.reload()
            self.open_form(sid)
            return

    def import_excalibur(self) -> None:
        dtt, _ = QFileDialog.getOpenFileName(self, "Excalibur assessments", "",
                                             "Excalibur (*.dtt);;All files (*)")
        if not dtt:
            return
        rls = str(Path(dtt).with_suffix(".rls"))
        if not Path(rls).exists():
            rls, _ = QFileDialog.getOpenFileName(self, "Excalibur realisations", "",
                                                 "Excalibur (*.rls);;All files (*)")
            if not rls:
                return
        self.import_files(dtt, rls)

    def import_files(self, dtt: str, rls: str) -> int | None:
        try:
            sid = self.service().import_excalibur(dtt, rls)
        except ValidationError as exc:
            QMessageBox.warning(self, "Cannot import", str(exc))
            return None
        self.state.elicitation_changed.emit()
        self.reload()
        self.message.setText(f"Imported {Path(dtt).name} as session {sid}.")
        return int(sid)

    def export_excalibur(self) -> None:
        sid = self.selected_session()
        if sid is None:
            self.message.setText("Select a session first.")
            return
        dtt, _ = QFileDialog.getSaveFileName(self, "Export Excalibur", "",
                                             "Excalibur (*.dtt)")
        if dtt and Path(dtt).suffix.lower() != ".dtt":
            dtt += ".dtt"  # the .rls goes beside it with the same name
        if dtt:
            try:
                self.service().export_excalibur(sid, dtt, str(Path(dtt).with_suffix(".rls")))
            except (ValidationError, OSError) as exc:
                QMessageBox.warning(self, "Cannot export", str(exc))
                return
            self.message.setText(f"Wrote {Path(dtt).name} and its .rls.")


def main() -> int:
    """Open the screen alone on a temporary demo workspace with a sample session."""
    import sys
    import tempfile

    from PySide6.QtWidgets import QApplication

    from riskdesk.services.elicitation import ElicitationService, QuestionSpec
    from riskdesk.services.workspace import Workspace
    from riskdesk.ui.state import AppState

    app = QApplication.instance() or QApplication(sys.argv)
    ws = Workspace.create(Path(tempfile.mkdtemp()) / "elicitation.riskdesk", demo=True)
    ElicitationService(ws).create_session(
        "Compressor trips", "Facilitator", (0.1, 0.5, 0.9),
        tuple(p.name for p in ws.people()),
        (QuestionSpec("S1", "Trips on Beta platform in 2025", "trips", realisation=7.0),
         QuestionSpec("NS-001", "Revenue lost if the compressor trips again", "kUSD",
                      risk_id="NS-001", parameter="impact")))
    w = ElicitationPanel(AppState(ws))
    w.resize(1200, 760)
    w.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
