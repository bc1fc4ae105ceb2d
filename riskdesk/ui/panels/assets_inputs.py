"""The Assets screen's input form: general inputs, products, costs, fiscal terms, capex and the
uncertainty editor, and the asset those inputs describe (part of :class:`AssetsPanel`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.asset import Asset, Product, PSCTerms
from riskdesk.ui.panels.assets_uncertainty import UncertaintyEditor


def _spin(lo: float, hi: float, decimals: int = 2, step: float = 1.0, suffix: str = ""
          ) -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setDecimals(decimals)
    s.setSingleStep(step)
    s.setSuffix(suffix)
    s.setKeyboardTracking(False)
    return s


class _WheelGuard(QObject):
    """Scrolling the long input form must not change the value under the mouse: spin boxes
    and drop-downs take the wheel only when they have the keyboard focus."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) \
                and not obj.hasFocus():
            event.ignore()
            return True
        return False


class AssetInputsMixin:
    """Builds and reads the input form of the Assets screen (mixed into ``AssetsPanel``)."""

    asset: Asset | None
    iterations: QSpinBox
    seed: QSpinBox
    save_inputs: Callable[[], bool]
    revert_inputs: Callable[[], None]

    # ---- layout -----------------------------------------------------------------------------
    def _build_inputs(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.start_year = QSpinBox()
        self.start_year.setRange(1900, 2200)
        self.years = QSpinBox()
        self.years.setRange(1, 100)
        self.years.setSuffix(" yr")
        self.frequency = QComboBox()
        self.frequency.addItems(["annual", "monthly"])
        self.basis = QComboBox()
        self.basis.addItems(["real", "nominal"])
        self.rates_edit = QLineEdit()
        self.rates_edit.setToolTip("Discount rates in % per year, separated by commas")
        self.carbon = QLineEdit()
        self.carbon.setToolTip("Deck benchmark in USD/tCO2e; empty = no carbon cost")
        general: list[tuple[str, QWidget]] = [
            ("Start year", self.start_year), ("Horizon", self.years),
            ("Periods", self.frequency), ("Money basis", self.basis),
            ("Discount rates %", self.rates_edit), ("Carbon benchmark", self.carbon)]
        for label, widget in general:
            form.addRow(label, widget)
        self._products: list[Product] = []
        self._product_index = 0
        prow = QHBoxLayout()
        self.product_box = QComboBox()
        self.product_box.currentIndexChanged.connect(self._product_selected)
        self.add_product_btn = QPushButton("Add")
        self.add_product_btn.setToolTip("Add a product (a copy of the one shown)")
        self.add_product_btn.clicked.connect(self.add_product)
        self.remove_product_btn = QPushButton("Remove")
        self.remove_product_btn.clicked.connect(self.remove_product)
        prow.addWidget(self.product_box, 1)
        prow.addWidget(self.add_product_btn)
        prow.addWidget(self.remove_product_btn)
        form.addRow("Product", prow)
        self.product_name = QLineEdit()
        self.product_unit = QLineEdit()
        self.benchmark = QComboBox()
        self.benchmark.setEditable(True)
        self.price_factor = _spin(0, 1e4, 4, 0.01)
        self.price_factor.setToolTip("Benchmark price units per product unit")
        self.first_prod = _spin(0, 50, 2, 0.5, " yr")
        self.ramp = _spin(0, 50, 2, 0.25, " yr")
        self.terminal = _spin(0, 5, 3, 0.01)
        self.terminal.setToolTip("Terminal decline of the modified hyperbolic; 0 = none")
        self.var_opex = _spin(0, 1e4, 2, 0.5, " USD/unit")
        self.emissions = _spin(0, 100, 4, 0.001, " tCO2e/unit")
        product: list[tuple[str, QWidget]] = [
            ("Name", self.product_name), ("Unit", self.product_unit),
            ("Price benchmark", self.benchmark), ("Price factor", self.price_factor),
            ("First production after", self.first_prod), ("Ramp-up", self.ramp)]
        for label, widget in product:
            form.addRow(label, widget)
        self.rate = _spin(0, 1e7, 0, 1000, " /d")
        self.plateau = _spin(0, 50, 1, 0.5, " yr")
        self.decline = _spin(0, 5, 3, 0.01)
        self.decline_type = QComboBox()
        self.decline_type.addItems(["nominal", "tangent", "secant"])
        self.b = _spin(0, 1, 2, 0.1)
        self.diff_fixed = _spin(-1e4, 1e4, 2, 0.5)
        self.diff_pct = _spin(0, 5, 3, 0.01)
        self.diff_order = QComboBox()
        self.diff_order.addItems(["fixed_then_pct", "pct_then_fixed"])
        self.fixed_opex = _spin(0, 1e6, 1, 5, " MUSD/yr")
        self.abandonment = _spin(0, 1e6, 1, 10, " MUSD")
        self.royalty = _spin(0, 0.99, 3, 0.01)
        self.tax = _spin(0, 0.99, 3, 0.01)
        self.ring_fence = QCheckBox("losses carried forward")
        self.psc = QCheckBox("cost oil + profit oil")
        self.ceiling = _spin(0, 1, 2, 0.05)
        self.share = _spin(0, 1, 2, 0.05)
        self.convention = QComboBox()
        self.convention.addItems(["mid", "end", "start", "excel"])
        self.pg = _spin(0, 1, 2, 0.05)
        self.failure = _spin(0, 1e6, 1, 10, " MUSD")
        rows: list[tuple[str, QWidget]] = [
            ("Plateau rate", self.rate), ("Plateau length", self.plateau),
            ("Initial decline /yr", self.decline), ("Decline type", self.decline_type),
            ("Arps b", self.b), ("Terminal decline /yr", self.terminal),
            ("Differential fixed", self.diff_fixed),
            ("Differential ×", self.diff_pct), ("Order", self.diff_order),
            ("Variable opex", self.var_opex), ("Emission intensity", self.emissions),
            ("Fixed opex", self.fixed_opex), ("Abandonment", self.abandonment),
            ("Royalty", self.royalty), ("Tax rate", self.tax), ("Ring fence", self.ring_fence),
            ("PSC", self.psc), ("Cost-recovery ceiling", self.ceiling),
            ("Contractor profit share", self.share), ("NPV convention", self.convention),
            ("Chance of success", self.pg), ("Failure cost", self.failure)]
        for label, widget in rows:
            form.addRow(label, widget)
        self.capex = QTableWidget(0, 2)
        self.capex.setHorizontalHeaderLabels(["Capex year", "MUSD"])
        self.capex.verticalHeader().setVisible(False)
        self.capex.horizontalHeader().setStretchLastSection(True)
        self.capex.setMinimumHeight(150)
        self.capex.setToolTip("Type in the blank last row to add a year; clear both cells of a "
                              "row to remove it")
        self.capex.itemChanged.connect(self._capex_grow)
        form.addRow(self.capex)
        unc_box = QGroupBox("Uncertainty (stochastic run)")
        self.uncertainty_editor = UncertaintyEditor()
        QVBoxLayout(unc_box).addWidget(self.uncertainty_editor)
        form.addRow(unc_box)
        self.save_btn = QPushButton("Save inputs and evaluate")
        self.save_btn.setShortcut("Ctrl+S")
        self.save_btn.setToolTip("Save the inputs (Ctrl+S); every save is audited")
        self.save_btn.clicked.connect(self.save_inputs)
        self.revert_btn = QPushButton("Revert")
        self.revert_btn.setToolTip("Discard unsaved edits and show the saved inputs")
        self.revert_btn.clicked.connect(self.revert_inputs)
        brow = QHBoxLayout()
        brow.addWidget(self.save_btn, 1)
        brow.addWidget(self.revert_btn)
        form.addRow(brow)
        self._wheel_guard = _WheelGuard(w)
        self.uncertainty_editor.wheel_guard = self._wheel_guard
        for child in w.findChildren(QAbstractSpinBox) + w.findChildren(QComboBox):
            child.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            child.installEventFilter(self._wheel_guard)
        scroll = QScrollArea()
        w.setMinimumWidth(360)
        scroll.setWidget(w)
        scroll.setWidgetResizable(True)
        box = QGroupBox("Inputs")
        QVBoxLayout(box).addWidget(scroll)
        return box

    # ---- inputs -----------------------------------------------------------------------------
    def _load_inputs(self, a: Asset) -> None:
        self.start_year.setValue(a.start_year)
        self.years.setValue(a.years)
        self.frequency.setCurrentText(a.frequency)
        self.basis.setCurrentText(a.basis)
        self.rates_edit.setText(", ".join(f"{r * 100:g}" for r in a.discount_rates))
        self.carbon.setText(a.carbon_benchmark)
        self._products = list(a.products)
        self._product_index = 0
        self._fill_product_box()
        self._load_product(self._products[0])
        self.uncertainty_editor.load(a.uncertainty)
        self.fixed_opex.setValue(a.fixed_opex)
        self.abandonment.setValue(a.abandonment)
        f = a.fiscal
        self.royalty.setValue(f.royalty)
        self.tax.setValue(f.tax_rate)
        self.ring_fence.setChecked(f.ring_fence)
        self.psc.setChecked(f.psc is not None)
        self.ceiling.setValue(f.psc.cost_recovery_ceiling if f.psc else 0.6)
        self.share.setValue(f.psc.contractor_share if f.psc else 0.4)
        self.convention.setCurrentText(a.npv_convention)
        self.pg.setValue(a.chance_of_success)
        self.failure.setValue(a.failure_cost)
        rows = [(str(y), f"{v:g}") for y, v in a.capex] + [("", "")]  # last row: add a year
        self.capex.blockSignals(True)
        self.capex.setRowCount(len(rows))
        for i, (y, v) in enumerate(rows):
            self.capex.setItem(i, 0, QTableWidgetItem(y))
            self.capex.setItem(i, 1, QTableWidgetItem(v))
        self.capex.blockSignals(False)

    def _fill_product_box(self) -> None:
        self.product_box.blockSignals(True)
        self.product_box.clear()
        self.product_box.addItems([f"{i + 1}. {p.name}" for i, p in enumerate(self._products)])
        self.product_box.setCurrentIndex(self._product_index)
        self.product_box.blockSignals(False)
        self.remove_product_btn.setEnabled(len(self._products) > 1)

    def _load_product(self, p: Product) -> None:
        pr = p.profile
        self.product_name.setText(p.name)
        self.product_unit.setText(p.unit)
        self.benchmark.setCurrentText(p.benchmark)
        self.price_factor.setValue(p.price_factor)
        self.first_prod.setValue(pr.start_years)
        self.ramp.setValue(pr.ramp_years)
        self.rate.setValue(pr.rate)
        self.plateau.setValue(pr.plateau_years)
        self.decline.setValue(pr.decline)
        self.decline_type.setCurrentText(pr.decline_type)
        self.b.setValue(pr.b)
        self.terminal.setValue(pr.terminal_decline)
        self.diff_fixed.setValue(p.differential)
        self.diff_pct.setValue(p.differential_pct)
        self.diff_order.setCurrentText(p.differential_order)
        self.var_opex.setValue(p.variable_opex)
        self.emissions.setValue(p.emission_intensity)

    def _product_from_form(self, p: Product) -> Product:
        prof = replace(p.profile, rate=self.rate.value(), plateau_years=self.plateau.value(),
                       decline=self.decline.value(), decline_type=self.decline_type.currentText(),
                       b=self.b.value(), start_years=self.first_prod.value(),
                       ramp_years=self.ramp.value(), terminal_decline=self.terminal.value())
        return replace(p, profile=prof, name=self.product_name.text().strip() or p.name,
                       unit=self.product_unit.text().strip(),
                       benchmark=self.benchmark.currentText().strip(),
                       price_factor=self.price_factor.value(),
                       differential=self.diff_fixed.value(),
                       differential_pct=self.diff_pct.value(),
                       differential_order=self.diff_order.currentText(),
                       variable_opex=self.var_opex.value(),
                       emission_intensity=self.emissions.value())

    def _commit_product(self) -> None:
        if self._products:
            i = self._product_index
            self._products[i] = self._product_from_form(self._products[i])

    def _product_selected(self, index: int) -> None:
        if index < 0 or index >= len(self._products) or index == self._product_index:
            return
        self._commit_product()
        self._product_index = index
        self._fill_product_box()  # names may have been edited
        self._load_product(self._products[index])

    def add_product(self) -> None:
        """Add a product: a copy of the one shown, to edit (e.g. associated gas)."""
        self._commit_product()
        src = self._products[self._product_index]
        self._products.append(replace(src, name=f"{src.name} 2"))
        self._product_index = len(self._products) - 1
        self._fill_product_box()
        self._load_product(self._products[-1])
        self.product_name.setFocus()
        self.product_name.selectAll()

    def remove_product(self) -> None:
        if len(self._products) <= 1:
            return
        del self._products[self._product_index]
        self._product_index = max(0, self._product_index - 1)
        self._fill_product_box()
        self._load_product(self._products[self._product_index])

    def discount_rates_from_text(self) -> tuple[float, ...]:
        """Discount rates from the '8, 10, 12' field (percent per year) as fractions."""
        parts = [t for t in self.rates_edit.text().replace(";", ",").split(",") if t.strip()]
        try:
            rates = tuple(float(t.strip().rstrip("%")) / 100 for t in parts)
        except ValueError:
            raise ValueError(f"discount rates: {self.rates_edit.text()!r} must be percentages "
                             "separated by commas, e.g. 8, 10, 12") from None
        if not rates:
            raise ValueError("discount rates: give at least one rate, e.g. 10")
        return rates

    def _capex_cell(self, row: int, col: int) -> str:
        it = self.capex.item(row, col)
        return it.text().strip() if it is not None else ""

    def _capex_grow(self, item: QTableWidgetItem) -> None:
        """Keep one blank row at the end, so any number of years can be added."""
        last = self.capex.rowCount() - 1
        if item.row() == last and item.text().strip():
            self.capex.blockSignals(True)
            self.capex.insertRow(last + 1)
            self.capex.setItem(last + 1, 0, QTableWidgetItem(""))
            self.capex.setItem(last + 1, 1, QTableWidgetItem(""))
            self.capex.blockSignals(False)

    def capex_from_table(self) -> tuple[tuple[int, float], ...]:
        """(year, MUSD) rows of the capex table; blank rows skipped; ValueError names the row."""
        out = []
        for i in range(self.capex.rowCount()):
            cells = [self._capex_cell(i, j) for j in range(2)]
            if not any(cells):
                continue
            try:
                out.append((int(cells[0]), float(cells[1].replace(",", ""))))
            except ValueError:
                raise ValueError(f"capex row {i + 1}: year and MUSD must be numbers, got "
                                 f"{cells[0]!r}, {cells[1]!r}") from None
        return tuple(out)

    def asset_from_inputs(self) -> Asset:
        """The selected asset with the form's values applied."""
        assert self.asset is not None
        a = self.asset
        self._commit_product()
        fiscal = replace(a.fiscal, royalty=self.royalty.value(), tax_rate=self.tax.value(),
                         ring_fence=self.ring_fence.isChecked(),
                         psc=PSCTerms(self.ceiling.value(), self.share.value())
                         if self.psc.isChecked() else None)
        unc = replace(self.uncertainty_editor.uncertainty(a.uncertainty),
                      iterations=self.iterations.value(), seed=self.seed.value())
        return replace(a, products=tuple(self._products), capex=self.capex_from_table(),
                       start_year=self.start_year.value(), years=self.years.value(),
                       frequency=self.frequency.currentText(), basis=self.basis.currentText(),
                       discount_rates=self.discount_rates_from_text(),
                       carbon_benchmark=self.carbon.text().strip(),
                       fixed_opex=self.fixed_opex.value(),
                       abandonment=self.abandonment.value(), fiscal=fiscal,
                       npv_convention=self.convention.currentText(),
                       chance_of_success=self.pg.value(), failure_cost=self.failure.value(),
                       uncertainty=unc)

