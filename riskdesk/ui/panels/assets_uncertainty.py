"""Editors for an asset's uncertainty on the Assets screen: the input multipliers (reserves,
decline, capex, opex; 1 = as entered) as distributions, and the log-price processes around the
deck with their correlation matrix.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.asset import UNCERTAIN_INPUTS, PriceProcess, Uncertainty
from riskdesk.domain.distributions import FAMILIES, Distribution

#: families offered for a multiplier; others (set through JSON) are shown and kept as they are
EDITABLE = ("triangular", "pert", "uniform")
NONE = "none (fixed at 1)"


def _num(table: QTableWidget, row: int, col: int, what: str) -> float:
    it = table.item(row, col)
    text = it.text().strip().replace(",", "") if it else ""
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not a number") from None


def _is_number(text: str) -> bool:
    try:
        float(text.strip().replace(",", ""))
    except ValueError:
        return False
    return True


def _item(text: str, editable: bool = True) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if not editable:
        it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return it


class UncertaintyEditor(QWidget):
    """Multiplier distributions, price processes and their correlation of one asset."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kept: dict[str, Distribution] = {}
        self.wheel_guard: QObject | None = None  # installed on drop-downs added later
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel("Input multipliers (1 = as entered):"))
        self.dists = QTableWidget(len(UNCERTAIN_INPUTS), 5)
        self.dists.setHorizontalHeaderLabels(["Input", "Distribution", "Min", "Mode", "Max"])
        self.dists.verticalHeader().setVisible(False)
        hh = self.dists.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.dists.setMinimumHeight(150)
        self.family: dict[str, QComboBox] = {}
        for i, name in enumerate(UNCERTAIN_INPUTS):
            self.dists.setItem(i, 0, _item(name, editable=False))
            box = QComboBox()
            box.addItems([NONE, *EDITABLE])
            box.currentTextChanged.connect(lambda _t, r=i: self._family_changed(r))
            self.family[name] = box
            self.dists.setCellWidget(i, 1, box)
        lay.addWidget(self.dists)
        lay.addWidget(QLabel("Price processes around the deck (log space):"))
        self.prices = QTableWidget(0, 4)
        self.prices.setHorizontalHeaderLabels(["Benchmark", "Model", "Volatility /√yr",
                                               "Reversion /yr"])
        self.prices.verticalHeader().setVisible(False)
        self.prices.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.prices.setMinimumHeight(120)
        self.prices.itemChanged.connect(self._price_renamed)
        lay.addWidget(self.prices)
        row = QHBoxLayout()
        self.add_price = QPushButton("Add process")
        self.add_price.clicked.connect(lambda: self.add_process(PriceProcess("", "ou", 0.3, 0.5)))
        self.remove_price = QPushButton("Remove process")
        self.remove_price.clicked.connect(self.remove_process)
        row.addWidget(self.add_price)
        row.addWidget(self.remove_price)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(QLabel("Correlation of the price shocks (symmetric, 1 on the diagonal):"))
        self.corr = QTableWidget(0, 0)
        self.corr.setMinimumHeight(110)
        self.corr.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.corr.itemChanged.connect(self._mirror)
        lay.addWidget(self.corr)

    # ---- load -------------------------------------------------------------------------------
    def load(self, unc: Uncertainty) -> None:
        """Show ``unc`` (replaces whatever is being edited)."""
        self._kept = {}
        for i, name in enumerate(UNCERTAIN_INPUTS):
            d: Distribution | None = getattr(unc, name)
            box = self.family[name]
            box.blockSignals(True)
            if d is None:
                box.setCurrentText(NONE)
                vals = ["", "", ""]
            elif d.family in EDITABLE:
                box.setCurrentText(d.family)
                vals = [f"{d.p('min'):g}", f"{d.p('mode'):g}" if d.family != "uniform" else "",
                        f"{d.p('max'):g}"]
            else:  # keep families this table does not edit
                if box.findText(d.family) < 0:
                    box.addItem(d.family)
                box.setCurrentText(d.family)
                self._kept[name] = d
                vals = [d.describe(), "", ""]
            box.blockSignals(False)
            for j, v in enumerate(vals):
                self.dists.setItem(i, 2 + j, _item(v))
            self._family_changed(i)
        self.prices.blockSignals(True)
        self.prices.setRowCount(0)
        self.prices.blockSignals(False)
        for pp in unc.prices:
            self.add_process(pp, resize=False)
        n = len(unc.prices)
        self._resize_corr(n, unc.price_correlation)

    def _family_changed(self, row: int) -> None:
        fam = self.family[UNCERTAIN_INPUTS[row]].currentText()
        for j in range(3):
            it = self.dists.item(row, 2 + j)
            if it is None:
                it = _item("")
                self.dists.setItem(row, 2 + j, it)
            on = fam in EDITABLE and not (fam == "uniform" and j == 1)
            flags = it.flags() | Qt.ItemFlag.ItemIsEditable if on else \
                it.flags() & ~Qt.ItemFlag.ItemIsEditable
            it.setFlags(flags)
            if fam in EDITABLE and on and not _is_number(it.text()):
                it.setText(("0.8", "1", "1.2")[j])  # a sensible default range
            if fam in EDITABLE and not on:
                it.setText("")
            if fam == NONE:
                it.setText("")

    # ---- price processes --------------------------------------------------------------------
    def add_process(self, pp: PriceProcess, resize: bool = True) -> None:
        r = self.prices.rowCount()
        self.prices.blockSignals(True)
        self.prices.insertRow(r)
        self.prices.setItem(r, 0, QTableWidgetItem(pp.benchmark))
        model = QComboBox()
        model.addItems(["ou", "gbm"])
        model.setCurrentText(pp.model)
        model.setToolTip("ou: mean-reverting to the deck; gbm: random walk around the deck")
        if self.wheel_guard is not None:
            model.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            model.installEventFilter(self.wheel_guard)
        self.prices.setCellWidget(r, 1, model)
        self.prices.setItem(r, 2, _item(f"{pp.volatility:g}"))
        self.prices.setItem(r, 3, _item(f"{pp.reversion:g}"))
        self.prices.blockSignals(False)
        if resize:
            self._resize_corr(r + 1, self._corr_values())
            if not pp.benchmark:
                self.prices.setCurrentCell(r, 0)
                first = self.prices.item(r, 0)
                if first is not None:
                    self.prices.editItem(first)

    def remove_process(self) -> None:
        r = self.prices.currentRow()
        if r < 0:
            return
        old = self._corr_values()
        self.prices.removeRow(r)
        kept = None if old is None else tuple(
            tuple(v for j, v in enumerate(row) if j != r) for i, row in enumerate(old) if i != r)
        self._resize_corr(self.prices.rowCount(), kept)

    def _names(self) -> list[str]:
        out = []
        for i in range(self.prices.rowCount()):
            it = self.prices.item(i, 0)
            out.append(it.text().strip() if it is not None else "")
        return out

    def _price_renamed(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            names = self._names()
            self.corr.setHorizontalHeaderLabels(names)
            self.corr.setVerticalHeaderLabels(names)

    # ---- correlation ------------------------------------------------------------------------
    def _corr_values(self) -> tuple[tuple[float, ...], ...] | None:
        n = self.corr.rowCount()
        if n == 0:
            return None
        out = []
        for i in range(n):
            row = []
            for j in range(n):
                it = self.corr.item(i, j)
                try:
                    row.append(float(it.text()) if it else (1.0 if i == j else 0.0))
                except ValueError:
                    row.append(1.0 if i == j else 0.0)
            out.append(tuple(row))
        return tuple(out)

    def _resize_corr(self, n: int, old: tuple[tuple[float, ...], ...] | None) -> None:
        self.corr.blockSignals(True)
        self.corr.setRowCount(n)
        self.corr.setColumnCount(n)
        names = self._names()
        self.corr.setHorizontalHeaderLabels(names)
        self.corr.setVerticalHeaderLabels(names)
        for i in range(n):
            for j in range(n):
                if i == j:
                    v = 1.0
                elif old is not None and i < len(old) and j < len(old[i]):
                    v = old[i][j]
                else:
                    v = 0.0
                self.corr.setItem(i, j, _item(f"{v:g}", editable=i != j))
        self.corr.blockSignals(False)

    def _mirror(self, item: QTableWidgetItem) -> None:
        i, j = item.row(), item.column()
        other = self.corr.item(j, i)
        if other is not None and other.text() != item.text():
            self.corr.blockSignals(True)
            other.setText(item.text())
            self.corr.blockSignals(False)

    # ---- result -----------------------------------------------------------------------------
    def uncertainty(self, base: Uncertainty) -> Uncertainty:
        """``base`` with the edited distributions, processes and correlation.
        ValueError names the table and the cell that is not a number."""
        dists: dict[str, Distribution | None] = {}
        for i, name in enumerate(UNCERTAIN_INPUTS):
            fam = self.family[name].currentText()
            if fam == NONE:
                dists[name] = None
            elif fam not in EDITABLE:
                dists[name] = self._kept.get(name)
            else:
                keys = FAMILIES[fam]
                cols = {"min": 2, "mode": 3, "max": 4}
                dists[name] = Distribution(fam, {k: _num(self.dists, i, cols[k],
                                                         f"{name} multiplier {k}")
                                                 for k in keys})
        procs = []
        for r, bench in enumerate(self._names()):
            if not bench:
                raise ValueError(f"price process row {r + 1}: name the deck benchmark")
            box = self.prices.cellWidget(r, 1)
            model = box.currentText() if isinstance(box, QComboBox) else "ou"
            procs.append(PriceProcess(bench, model,
                                      _num(self.prices, r, 2, f"{bench} volatility"),
                                      _num(self.prices, r, 3, f"{bench} reversion")))
        if len(set(self._names())) != len(procs):
            raise ValueError("price processes: each benchmark may have only one process")
        n = len(procs)
        corr = None
        if n > 1:
            rows = []
            for i in range(n):
                rows.append(tuple(1.0 if i == j else
                                  _num(self.corr, i, j, f"correlation {procs[i].benchmark} / "
                                                        f"{procs[j].benchmark}")
                                  for j in range(n)))
            corr = tuple(rows)
        return replace(base, prices=tuple(procs), price_correlation=corr,
                       reserves=dists["reserves"], decline=dists["decline"],
                       capex=dists["capex"], opex=dists["opex"])
