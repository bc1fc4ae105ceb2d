"""Registry settings (money units, plan horizon and start, simulation iterations and seed): a small
dialog and the undoable command that stores them through the registry service."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.registry import Registry
from riskdesk.services.registry import RegistryService
from riskdesk.ui.commands import ServiceCommand
from riskdesk.ui.state import AppState

KEYS = ("units", "months", "start", "iterations", "seed")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def settings_of(reg: Registry) -> dict[str, Any]:
    return {k: getattr(reg, k) for k in KEYS}


class SettingsCommand(ServiceCommand):
    """Change registry settings; undo puts the old ones back."""

    def __init__(self, state: AppState, before: dict[str, Any], after: dict[str, Any]) -> None:
        changed = [k for k in KEYS if before[k] != after[k]]
        super().__init__(state, "Change registry " + ", ".join(changed))
        self.before = {k: before[k] for k in changed}
        self.after = {k: after[k] for k in changed}

    def apply(self) -> None:
        RegistryService(self.state.workspace).update_settings(**self.after)

    def revert(self) -> None:
        RegistryService(self.state.workspace).update_settings(**self.before)


class SettingsDialog(QDialog):
    """Edit the settings; OK is enabled only while they are valid. ``settings()`` reads them."""

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Registry settings")
        self.registry = reg
        self.units = QLineEdit(reg.units)
        self.months = QSpinBox()
        self.months.setRange(1, 600)
        self.months.setValue(reg.months)
        self.months.setSuffix(" months")
        self.start = QLineEdit(reg.start)
        self.start.setPlaceholderText("YYYY-MM")
        self.iterations = QSpinBox()
        self.iterations.setRange(100, 10_000_000)
        self.iterations.setSingleStep(1000)
        self.iterations.setValue(reg.iterations)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2_147_483_647)
        self.seed.setValue(reg.seed)
        form = QFormLayout()
        form.addRow("Money units", self.units)
        form.addRow("Plan horizon", self.months)
        form.addRow("First month", self.start)
        form.addRow("Simulation iterations", self.iterations)
        form.addRow("Random seed", self.seed)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.problems)
        lay.addWidget(self.buttons)
        for e in (self.units, self.start):
            e.textChanged.connect(self.refresh)
        for s in (self.months, self.iterations, self.seed):
            s.valueChanged.connect(self.refresh)
        self.refresh()

    def settings(self) -> dict[str, Any]:
        return {"units": self.units.text().strip(), "months": self.months.value(),
                "start": self.start.text().strip(), "iterations": self.iterations.value(),
                "seed": self.seed.value()}

    def refresh(self) -> None:
        """Check the fields; warn (without refusing) when risks fall outside a shorter horizon."""
        s = self.settings()
        errors = []
        if not s["units"]:
            errors.append("Money units cannot be empty.")
        if not _MONTH.fullmatch(s["start"]):
            errors.append(f"First month {s['start']!r} must look like 2027-01.")
        outside = sorted(self._phased_outside(s["months"])
                         - self._phased_outside(self.registry.months))
        note = (f"{len(outside)} risk(s) would be phased outside the horizon and fail approval: "
                + ", ".join(outside[:8]) + ("…" if len(outside) > 8 else "")) if outside else ""
        self.problems.setText("\n".join(errors + ([note] if note else [])))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not errors and s != settings_of(self.registry))

    def _phased_outside(self, months: int) -> set[str]:
        return {p.where.split(".")[0] for r in self.registry.risks for p in r.validate(months)
                if ".phasing" in p.where}
