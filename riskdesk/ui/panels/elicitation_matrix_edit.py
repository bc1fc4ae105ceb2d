"""Edit the qualitative risk matrix: likelihood bands (probabilities) and impact bands (money, per
business unit, ``*`` for the rest). A changed matrix needs a new version name, so risks converted
with the old one stay traceable (their source says ``matrix:<version>``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.elicitation.matrix import IMPACT_LABELS, LIKELIHOOD_LABELS, RiskMatrix
from riskdesk.services.elicitation import ElicitationService
from riskdesk.ui.commands import ServiceCommand
from riskdesk.ui.panels.registry_model import parse_number
from riskdesk.ui.state import AppState


class SetMatrixCommand(ServiceCommand):
    """Store a new risk matrix; undo stores the previous one."""

    signal_name = "elicitation_changed"

    def __init__(self, state: AppState, before: RiskMatrix, after: RiskMatrix) -> None:
        super().__init__(state, f"Risk matrix {after.version}")
        self.before, self.after = before, after

    def apply(self) -> None:
        ElicitationService(self.state.workspace).set_matrix(self.after)

    def revert(self) -> None:
        ElicitationService(self.state.workspace).set_matrix(self.before)


def _band_table(rows: list[str], cols: list[str]) -> QTableWidget:
    t = QTableWidget(len(rows), len(cols))
    t.setVerticalHeaderLabels(rows)
    t.setHorizontalHeaderLabels(cols)
    return t


class MatrixDialog(QDialog):
    """Bands of ``matrix`` in two tables; ``business_units`` can get their own impact bands."""

    def __init__(self, matrix: RiskMatrix, business_units: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Risk matrix")
        self.original = matrix
        self.version = QLineEdit(matrix.version)
        self.units = QLineEdit(matrix.units)
        self.likelihood = _band_table([f"L{k} {t}" for k, t in enumerate(LIKELIHOOD_LABELS, 1)],
                                      ["From", "To"])
        for r, (a, b) in enumerate(matrix.likelihood):
            self.likelihood.setItem(r, 0, QTableWidgetItem(f"{a:.4g}"))
            self.likelihood.setItem(r, 1, QTableWidgetItem(f"{b:.4g}"))
        self.keys = list(matrix.impact)
        self.impact = _band_table([f"I{k} {t}" for k, t in enumerate(IMPACT_LABELS, 1)], [])
        for key in self.keys:
            self._add_columns(key, matrix.impact[key])
        self.add_bu = QComboBox()
        for bu in business_units:
            if bu not in self.keys:
                self.add_bu.addItem(bu)
        add = QPushButton("Own impact bands for…")
        add.clicked.connect(self.add_business_unit)
        add.setEnabled(self.add_bu.count() > 0)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        head = QFormLayout()
        head.addRow("Version", self.version)
        head.addRow("Money units", self.units)
        bu_row = QHBoxLayout()
        bu_row.addWidget(add)
        bu_row.addWidget(self.add_bu, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(QLabel("Likelihood → probability of occurrence in the horizon "
                             "(0-1 or %)"))
        lay.addWidget(self.likelihood)
        lay.addWidget(QLabel("Impact → money magnitude per business unit (* = all others)"))
        lay.addWidget(self.impact)
        lay.addLayout(bu_row)
        lay.addWidget(self.problems)
        lay.addWidget(self.buttons)
        self.version.textChanged.connect(self.refresh)
        self.units.textChanged.connect(self.refresh)
        self.likelihood.itemChanged.connect(self.refresh)
        self.impact.itemChanged.connect(self.refresh)
        self.resize(640, 600)
        self.refresh()

    def _add_columns(self, key: str, bands: Any) -> None:
        c = self.impact.columnCount()
        self.impact.setColumnCount(c + 2)
        self.impact.setHorizontalHeaderItem(c, QTableWidgetItem(f"{key} from"))
        self.impact.setHorizontalHeaderItem(c + 1, QTableWidgetItem(f"{key} to"))
        for r, (a, b) in enumerate(bands):
            self.impact.setItem(r, c, QTableWidgetItem(f"{a:g}"))
            self.impact.setItem(r, c + 1, QTableWidgetItem(f"{b:g}"))

    def add_business_unit(self) -> None:
        """Give the chosen business unit its own impact bands (starting from the default ones)."""
        bu = self.add_bu.currentText()
        if not bu:
            return
        self.keys.append(bu)
        self.add_bu.removeItem(self.add_bu.currentIndex())
        self._add_columns(bu, self.original.impact["*"])
        self.refresh()

    def matrix(self) -> tuple[RiskMatrix | None, list[str]]:
        """The matrix as typed, or None and the reasons it cannot be used."""
        errors: list[str] = []

        def cell(t: QTableWidget, r: int, c: int, what: str) -> float:
            it = t.item(r, c)
            try:
                return parse_number(it.text() if it else "", what)
            except ValueError as e:
                errors.append(str(e))
                return float("nan")

        lik = tuple((cell(self.likelihood, r, 0, f"L{r + 1} from"),
                     cell(self.likelihood, r, 1, f"L{r + 1} to")) for r in range(5))
        imp = {key: tuple((cell(self.impact, r, 2 * k, f"I{r + 1} {key} from"),
                           cell(self.impact, r, 2 * k + 1, f"I{r + 1} {key} to"))
                          for r in range(5)) for k, key in enumerate(self.keys)}
        m = RiskMatrix(version=self.version.text().strip(), likelihood=lik, impact=imp,
                       units=self.units.text().strip())
        if not m.version:
            errors.append("The matrix needs a version name.")
        if not errors:
            errors += [str(p) for p in m.problems()]
        if not errors and m != self.original and m.version == self.original.version:
            errors.append(f"Give the changed matrix a new version (not {m.version!r}) so risks "
                          f"converted with {m.version} stay traceable.")
        return (None if errors else m), errors

    def refresh(self) -> None:
        m, errors = self.matrix()
        self.problems.setText("\n".join(errors))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(m is not None and m != self.original)
