"""Correlation matrix editor: the draft registry's target rank correlations as an editable
table and a heat map. A matrix that is not positive semi-definite can be repaired to the nearest
valid correlation matrix (Higham 2002) only with the user's consent, after seeing the before/after
difference, the smallest eigenvalue and the pairs that moved most. Shown as a tab of the Runs
screen (``python -m riskdesk.ui.panels.runs``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.problems import ValidationError
from riskdesk.domain.registry import Correlation, Registry
from riskdesk.services.registry import RegistryService
from riskdesk.ui.state import AppState

_CMAP = pg.ColorMap([-1.0, 0.0, 1.0], [(40, 90, 170), (245, 245, 245), (190, 50, 40)])


def heat_map(title: str) -> tuple[pg.GraphicsLayoutWidget, pg.ImageItem]:
    """A square heat map of values in -1..1 (blue negative, red positive)."""
    w = pg.GraphicsLayoutWidget()
    w.setBackground("w")
    plot = w.addPlot(title=title)
    plot.invertY(True)
    plot.setAspectLocked(True)
    plot.hideAxis("bottom")
    plot.hideAxis("left")
    img = pg.ImageItem(axisOrder="row-major")
    img.setLookupTable(_CMAP.getLookupTable(-1.0, 1.0, 256))
    img.setLevels((-1.0, 1.0))
    plot.addItem(img)
    return w, img


class RepairDialog(QDialog):
    """Before/after of a Higham repair; accepting it is the user's consent."""

    def __init__(self, ids: list[str], before: np.ndarray, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from riskdesk.engine.correlation import nearest_correlation

        self.setWindowTitle("Repair the correlation matrix?")
        self.repair = nearest_correlation(before, min_eig=1e-8)  # margin for storage
        r = self.repair
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(
            f"The matrix is not a valid correlation matrix (smallest eigenvalue "
            f"{r.min_eig_before:.4f} < 0). The nearest valid matrix changes it by "
            f"{r.distance:.4f} (Frobenius norm); its smallest eigenvalue is "
            f"{max(r.min_eig_after, 0.0):.4f}. Nothing changes unless you apply it."))
        maps = QHBoxLayout()
        for title, m in (("before", r.before), ("after", r.matrix),
                         ("after − before", r.matrix - r.before)):
            w, img = heat_map(title)
            img.setImage(m, levels=(-1.0, 1.0))
            w.setMinimumSize(220, 220)
            maps.addWidget(w)
        lay.addLayout(maps)
        moved = r.moved_pairs(ids, top=10)
        self.table = QTableWidget(len(moved), 4)
        self.table.setHorizontalHeaderLabels(["risk", "risk", "before", "after"])
        for i, (a, b, x, y) in enumerate(moved):
            for j, v in enumerate((a, b, f"{x:+.3f}", f"{y:+.3f}")):
                self.table.setItem(i, j, QTableWidgetItem(v))
        lay.addWidget(QLabel("Pairs that moved most:"))
        lay.addWidget(self.table)
        box = QDialogButtonBox()
        self.apply_btn = box.addButton("Apply repaired matrix",
                                       QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        lay.addWidget(box)


class CorrelationEditor(QWidget):
    """Edit the draft registry's target rank correlations; check and (with consent) repair."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.ids: list[str] = []
        self.registry: Registry | None = None
        self.matrix = np.zeros((0, 0))
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget()
        self.table.itemChanged.connect(self._edited)
        self.map_widget, self.image = heat_map("target rank correlation")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_btn = QPushButton("Save changes")
        self.repair_btn = QPushButton("Repair…")
        self.revert_btn = QPushButton("Revert")
        self.save_btn.clicked.connect(self.save)
        self.repair_btn.clicked.connect(self.ask_repair)
        self.revert_btn.clicked.connect(self.load)
        btns = QHBoxLayout()
        for b in (self.save_btn, self.revert_btn, self.repair_btn):
            btns.addWidget(b)
        btns.addStretch(1)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.map_widget)
        split.setSizes([600, 400])
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)
        lay.addLayout(btns)
        state.registry_changed.connect(self.load)
        state.workspace_changed.connect(self.load)
        self.load()

    def load(self) -> None:
        regs = RegistryService(self.state.workspace)
        if not regs.exists():
            self.intro.setText("No registry in this workspace.")
            return
        self.registry = regs.draft()
        self.ids = [r.id for r in self.registry.quantitative()]
        corr = self.registry.correlation
        self.matrix = corr.full_matrix(self.ids) if self.ids else np.zeros((0, 0))
        self.intro.setText(
            f"Target rank correlations between risks' outcomes in the draft of "
            f"“{self.registry.name}” ({len(self.ids)} quantitative risks; method "
            f"{corr.method}, applied to {corr.apply_to}). Edit a cell; the matrix stays "
            "symmetric. A run uses the frozen version, so freeze after saving.")
        self.table.blockSignals(True)
        n = len(self.ids)
        self.table.setRowCount(n)
        self.table.setColumnCount(n)
        self.table.setHorizontalHeaderLabels(self.ids)
        self.table.setVerticalHeaderLabels(self.ids)
        for i in range(n):
            for j in range(n):
                it = QTableWidgetItem(f"{self.matrix[i, j]:.2f}")
                it.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if i == j:
                    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(i, j, it)
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)
        self._refresh()
        self.save_btn.setEnabled(False)

    def _edited(self, item: QTableWidgetItem) -> None:
        i, j = item.row(), item.column()
        try:
            v = float(item.text().replace(",", "."))
            if not -1.0 <= v <= 1.0:
                raise ValueError
        except ValueError:
            self.status.setText(f"{self.ids[i]}~{self.ids[j]}: {item.text()!r} is not a "
                                "correlation in -1..1; kept the previous value")
            self.table.blockSignals(True)
            item.setText(f"{self.matrix[i, j]:.2f}")
            self.table.blockSignals(False)
            return
        self.matrix[i, j] = self.matrix[j, i] = v
        self.table.blockSignals(True)
        item.setText(f"{v:.2f}")
        mirror = self.table.item(j, i)
        if mirror is not None:
            mirror.setText(f"{v:.2f}")
        self.table.blockSignals(False)
        self.save_btn.setEnabled(True)
        self._refresh()

    def min_eigenvalue(self) -> float:
        return float(np.linalg.eigvalsh(self.matrix).min()) if self.matrix.size else 1.0

    def _refresh(self) -> None:
        self.image.setImage(self.matrix, levels=(-1.0, 1.0))
        lam = self.min_eigenvalue()
        ok = lam >= -1e-10
        self.status.setText(f"Smallest eigenvalue {lam:.4f}: " + (
            "a valid correlation matrix." if ok else
            "not positive semi-definite, so no run can use it. Edit the correlations or "
            "repair the matrix (you will see the change first)."))
        self.repair_btn.setEnabled(not ok)

    def _corr_with(self, m: np.ndarray) -> Correlation:
        """The draft's correlation with ``m``'s values: a full matrix stays a matrix; blocks and
        pairs stay as they are, with changed cells as pair overrides."""
        assert self.registry is not None
        corr = self.registry.correlation
        if corr.matrix is not None:
            return replace(corr, matrix=tuple(tuple(float(x) for x in row) for row in m))
        new = corr
        for i in range(len(self.ids)):
            for j in range(i + 1, len(self.ids)):
                if new.rho(self.ids[i], self.ids[j]) != m[i, j]:
                    new = new.with_pair(self.ids[i], self.ids[j], float(m[i, j]))
        return new

    def save(self) -> None:
        try:
            RegistryService(self.state.workspace).set_correlation(self._corr_with(self.matrix))
        except ValidationError as e:
            self.status.setText(str(e))
            return
        self.state.registry_changed.emit()
        self.state.notify("correlations saved to the draft")

    def ask_repair(self) -> None:
        dlg = RepairDialog(self.ids, self.matrix, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.apply_repair(dlg.repair.matrix)

    def apply_repair(self, repaired: np.ndarray) -> None:
        """Store the repaired matrix (called only after the user's consent)."""
        self.matrix = np.array(repaired, dtype=float)
        self.repair_btn.setEnabled(False)
        corr = replace(self.registry.correlation,  # type: ignore[union-attr]
                       matrix=tuple(tuple(float(x) for x in row) for row in self.matrix),
                       pairs={}, blocks=())
        RegistryService(self.state.workspace).set_correlation(corr)
        self.state.registry_changed.emit()
        self.state.notify("repaired correlation matrix saved to the draft")
