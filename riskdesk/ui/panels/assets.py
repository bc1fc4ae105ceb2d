"""The Assets screen: inputs of an asset, its deterministic results (indicators with their
conventions, tornado, annual cash-flow chart) and a stochastic run with progress and cancel
(NPV/IRR percentiles, fan of annual net cash flow). Run alone: ``python -m riskdesk.ui.panels.assets``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.asset import Asset, Product, PSCTerms
from riskdesk.domain.problems import ValidationError
from riskdesk.domain.registry import STAGE_LABELS
from riskdesk.services.assets import AssetService
from riskdesk.services.decks import DeckService
from riskdesk.ui.panels.assets_uncertainty import UncertaintyEditor
from riskdesk.ui.state import AppState
from riskdesk.ui.worker import GeneratorWorker


def _spin(lo: float, hi: float, decimals: int = 2, step: float = 1.0, suffix: str = ""
          ) -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setDecimals(decimals)
    s.setSingleStep(step)
    s.setSuffix(suffix)
    s.setKeyboardTracking(False)
    return s


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for i, r in enumerate(rows):
        for j, t in enumerate(r):
            it = QTableWidgetItem(t)
            if j > 0:
                it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(i, j, it)


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return t


class _WheelGuard(QObject):
    """Scrolling the long input form must not change the value under the mouse: spin boxes
    and drop-downs take the wheel only when they have the keyboard focus."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) \
                and not obj.hasFocus():
            event.ignore()
            return True
        return False


class AssetsPanel(QWidget):
    """Inputs on the left; deterministic and stochastic results on the right."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.asset: Asset | None = None
        self.worker: GeneratorWorker | None = None
        self.last_evaluation: dict[str, Any] | None = None
        self.last_simulation: dict[str, Any] | None = None
        self._loaded: Asset | None = None  # the form as loaded/saved, to see unsaved edits
        #: asked when unsaved edits would be lost: returns 'save', 'discard' or 'cancel'
        self.ask_unsaved = self._ask_unsaved
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.asset_box, self.deck_box, self.scenario_box = QComboBox(), QComboBox(), QComboBox()
        self.version_box = QComboBox()
        self.version_box.setToolTip("Deck version to evaluate against; 'latest approved' is what "
                                    "an approved evaluation must use")
        for label, w in (("Asset:", self.asset_box), ("Deck:", self.deck_box),
                         ("Version:", self.version_box), ("Scenario:", self.scenario_box)):
            top.addWidget(QLabel(label))
            top.addWidget(w)
        self.new_btn = QPushButton("New asset…")
        self.new_btn.setToolTip("A new asset with default inputs, priced on the selected deck")
        self.new_btn.clicked.connect(lambda: self.new_asset(copy=False))
        self.copy_btn = QPushButton("Copy asset…")
        self.copy_btn.setToolTip("A new asset with the inputs shown (saved or not)")
        self.copy_btn.clicked.connect(lambda: self.new_asset(copy=True))
        self.delete_btn = QPushButton("Delete asset")
        self.delete_btn.clicked.connect(lambda: self.delete_asset())
        top.addSpacing(12)
        for b in (self.new_btn, self.copy_btn, self.delete_btn):
            top.addWidget(b)
        top.addStretch(1)
        lay.addLayout(top)
        split = QSplitter()
        split.addWidget(self._build_inputs())
        split.addWidget(self._build_results())
        split.setStretchFactor(1, 1)
        split.setSizes([430, 900])
        lay.addWidget(split, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.asset_box.currentTextChanged.connect(self._asset_selected)
        self.deck_box.currentTextChanged.connect(self._deck_selected)
        self.scenario_box.currentTextChanged.connect(lambda _: self.evaluate())
        self.version_box.currentIndexChanged.connect(lambda _: self.evaluate())
        state.decks_changed.connect(self.refresh)
        state.workspace_changed.connect(self.refresh)
        self.refresh()

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
        self._wheel_guard = _WheelGuard(self)
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

    def _build_results(self) -> QWidget:
        tabs = QTabWidget()
        det = QWidget()
        dl = QVBoxLayout(det)
        self.convention_label = QLabel()
        dl.addWidget(self.convention_label)
        row = QHBoxLayout()
        self.results = _table(["Indicator", "Value"])
        self.tornado = _table(["Input (P10 / P90)", "NPV low", "NPV high"])
        row.addWidget(self.results)
        row.addWidget(self.tornado)
        dl.addLayout(row, 2)
        self.cf_plot = pg.PlotWidget(background="w")
        self.cf_plot.showGrid(y=True, alpha=0.3)
        self.cf_plot.setLabel("left", "MUSD")
        self.cf_plot.addLegend(offset=(10, 10))
        self.cf_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#4c78a8",
                                       name="Net cash flow")
        self.cf_plot.addItem(self.cf_bars)
        self.cf_cum = self.cf_plot.plot([], [], pen=pg.mkPen("#d62728", width=2),
                                        name="Cumulative")
        dl.addWidget(self.cf_plot, 3)
        tabs.addTab(det, "Deterministic")
        self.tornado_plot = pg.PlotWidget(background="w")
        self.tornado_plot.showGrid(x=True, alpha=0.3)
        self.tornado_plot.setMouseEnabled(x=False, y=False)
        self.tornado_plot.setLabel("bottom", "NPV at the first discount rate, MUSD")
        self.tornado_plot.getAxis("left").setWidth(190)
        tabs.addTab(self.tornado_plot, "Tornado")
        sto = QWidget()
        sl = QVBoxLayout(sto)
        ctl = QHBoxLayout()
        self.iterations = QSpinBox()
        self.iterations.setRange(100, 1_000_000)
        self.iterations.setSingleStep(1000)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.run_btn = QPushButton("Run")
        self.run_btn.clicked.connect(self.run_stochastic)
        self.cancel_btn = QPushButton("Cancel")
        self.cancel_btn.setEnabled(False)
        self.cancel_btn.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        for label, wid in (("Iterations", self.iterations), ("Seed", self.seed)):
            ctl.addWidget(QLabel(label))
            ctl.addWidget(wid)
        ctl.addWidget(self.run_btn)
        ctl.addWidget(self.cancel_btn)
        ctl.addWidget(self.progress, 1)
        sl.addLayout(ctl)
        self.percentiles = _table(["Result", "P10", "P50", "P90", "Mean / note"])
        self.percentiles.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.percentiles.horizontalHeader().setStretchLastSection(True)
        sl.addWidget(self.percentiles, 1)
        self.fan_plot = pg.PlotWidget(background="w")
        self.fan_plot.showGrid(y=True, alpha=0.3)
        self.fan_plot.setLabel("left", "Net cash flow, MUSD")
        self.fan_plot.addLegend(offset=(10, 10))
        self.fan_lo = self.fan_plot.plot([], [], pen=pg.mkPen("#9ecae1"))
        self.fan_hi = self.fan_plot.plot([], [], pen=pg.mkPen("#9ecae1"))
        self.fan_fill = pg.FillBetweenItem(self.fan_lo, self.fan_hi, brush=(158, 202, 225, 120))
        self.fan_plot.addItem(self.fan_fill)
        self.fan_mid = self.fan_plot.plot([], [], pen=pg.mkPen("#08519c", width=2), name="P50")
        self.hist_plot = pg.PlotWidget(background="w")
        self.hist_plot.showGrid(y=True, alpha=0.3)
        self.hist_plot.setLabel("left", "Paths")
        self.hist_plot.setLabel("bottom", "NPV, MUSD")
        charts = QHBoxLayout()
        charts.addWidget(self.hist_plot, 1)
        charts.addWidget(self.fan_plot, 1)
        sl.addLayout(charts, 2)
        tabs.addTab(sto, "Stochastic")
        self.tabs = tabs
        return tabs

    # ---- selection --------------------------------------------------------------------------
    @property
    def service(self) -> AssetService:
        return AssetService(self.state.workspace)

    def refresh(self) -> None:
        if not self.state.has_workspace:
            return
        keep_a, keep_d = self.asset_box.currentText(), self.deck_box.currentText()
        for box, items in ((self.asset_box, self.service.names()),
                           (self.deck_box, DeckService(self.state.workspace).names())):
            box.blockSignals(True)
            box.clear()
            box.addItems(items)
            box.blockSignals(False)
        if keep_d:
            self.deck_box.setCurrentText(keep_d)
        if keep_a:
            self.asset_box.setCurrentText(keep_a)
        self._asset_selected(self.asset_box.currentText())

    def _asset_selected(self, name: str) -> None:
        for w in (self.copy_btn, self.delete_btn, self.save_btn, self.revert_btn,
                  self.run_btn):
            w.setEnabled(bool(name))
        if self.asset is not None and self.has_unsaved_edits():
            if name == self.asset.name:  # the same asset shown again (e.g. a deck import)
                self._deck_selected(self.deck_box.currentText())
                return
            choice = self.ask_unsaved(self.asset.name)
            if choice == "cancel" or (choice == "save" and not self.save_inputs()):
                self.asset_box.blockSignals(True)
                self.asset_box.setCurrentText(self.asset.name)
                self.asset_box.blockSignals(False)
                return
        if not name:
            self.asset = None
            self._loaded = None
            self.status.setText("No asset in this workspace: create one with New asset….")
            _fill(self.results, [])
            _fill(self.tornado, [])
            return
        self.asset, deck = self.service.get(name)
        self._load_inputs(self.asset)
        if deck and deck in [self.deck_box.itemText(i) for i in range(self.deck_box.count())]:
            self.deck_box.blockSignals(True)
            self.deck_box.setCurrentText(deck)
            self.deck_box.blockSignals(False)
        self.iterations.setValue(self.asset.uncertainty.iterations)
        self.seed.setValue(self.asset.uncertainty.seed)
        self._deck_selected(self.deck_box.currentText())
        self._mark_clean()

    def _deck_selected(self, deck: str) -> None:
        self.scenario_box.blockSignals(True)
        self.scenario_box.clear()
        self._fill_versions(deck)
        if deck:
            d = DeckService(self.state.workspace).deck(deck)
            self.scenario_box.addItems(d.scenarios)
            keep = self.benchmark.currentText()
            self.benchmark.clear()
            self.benchmark.addItems(list(dict.fromkeys(s.benchmark for s in d.series)))
            self.benchmark.setCurrentText(keep)
            if self.asset and self.asset.deck_scenario in [
                    self.scenario_box.itemText(i) for i in range(self.scenario_box.count())]:
                self.scenario_box.setCurrentText(self.asset.deck_scenario)
        self.scenario_box.blockSignals(False)
        self.evaluate()

    def _fill_versions(self, deck: str) -> None:
        """Latest approved (the default when there is one), latest, then every version."""
        keep = self.version_box.currentData()
        self.version_box.blockSignals(True)
        self.version_box.clear()
        if deck:
            infos = DeckService(self.state.workspace).versions(deck)
            if any(v.stage == "approved" for v in infos):
                self.version_box.addItem("latest approved", ("approved", None))
            self.version_box.addItem("latest", ("latest", None))
            for v in reversed(infos):
                self.version_box.addItem(f"v{v.number} — {STAGE_LABELS[v.stage]}",
                                         ("version", v.number))
            i = self.version_box.findData(keep) if keep is not None else -1
            self.version_box.setCurrentIndex(max(i, 0))
        self.version_box.blockSignals(False)

    def deck_choice(self) -> tuple[int | None, bool]:
        """(deck version or None for the latest, approved only) as chosen in the Version box."""
        data = self.version_box.currentData()
        if not data:
            return None, False
        kind, number = data
        return (number if kind == "version" else None), kind == "approved"

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

    def save_inputs(self) -> bool:
        """Save the form over the shown asset (audited); False with the reason when refused."""
        if self.asset is None:
            return False
        try:
            self.service.save(self.asset_from_inputs(), self.deck_box.currentText())
        except ValidationError as e:
            self.status.setText("Not saved: " + "; ".join(str(p) for p in e.problems))
            return False
        except ValueError as e:
            self.status.setText(f"Not saved: {e}")
            return False
        self.state.audit_changed.emit()
        self.asset = self.service.get(self.asset.name)[0]
        self._mark_clean()
        if self.asset.name == self.asset_box.currentText():
            self.evaluate()
        self.state.notify(f"Saved asset {self.asset.name!r}")
        return True

    def _mark_clean(self) -> None:
        try:
            self._loaded = self.asset_from_inputs() if self.asset else None
        except ValueError:
            self._loaded = None

    def has_unsaved_edits(self) -> bool:
        """True when the form differs from the asset as loaded or last saved."""
        if self.asset is None or getattr(self, "_loaded", None) is None:
            return False
        try:
            return self.asset_from_inputs() != self._loaded
        except ValueError:
            return True  # a cell that is not a number is an edit too

    def _ask_unsaved(self, name: str) -> str:
        """'save', 'discard' or 'cancel' for unsaved edits of asset ``name``."""
        b = QMessageBox.StandardButton
        r = QMessageBox.question(self, "Unsaved inputs", f"Save the changes to {name!r}?",
                                 b.Save | b.Discard | b.Cancel, b.Save)
        return {b.Save: "save", b.Discard: "discard"}.get(r, "cancel")

    def revert_inputs(self) -> None:
        """Discard unsaved edits: show the asset as last saved."""
        if self.asset is not None:
            self._load_inputs(self.asset)
            self.iterations.setValue(self.asset.uncertainty.iterations)
            self.seed.setValue(self.asset.uncertainty.seed)
            self._mark_clean()
            self.status.setText("Unsaved edits discarded")

    def new_asset(self, name: str | None = None, copy: bool = False) -> bool:
        """Create an asset (defaults priced on the selected deck, or a copy of the inputs
        shown), save it and select it. Asks for the name when ``name`` is None."""
        if copy and self.asset is None:
            return False
        if not copy and self.has_unsaved_edits() and self.asset is not None:
            choice = self.ask_unsaved(self.asset.name)
            if choice == "cancel" or (choice == "save" and not self.save_inputs()):
                return False
            self._loaded = None  # discarded (or saved): nothing left to ask about
        if name is None:
            suggested = f"{self.asset.name} copy" if copy and self.asset else ""
            name, ok = QInputDialog.getText(self, "Copy asset" if copy else "New asset",
                                            "Asset name:", text=suggested)
            if not ok:
                return False
        deck = self.deck_box.currentText()
        try:
            if copy:
                self.service.template(name, "")  # checks the name only
                asset = self.asset_from_inputs().with_(name=name.strip())
            else:
                asset = self.service.template(name, deck)
            self.service.save(asset, deck)
        except ValidationError as e:
            self.status.setText("Not created: " + "; ".join(str(p) for p in e.problems))
            return False
        except ValueError as e:
            self.status.setText(f"Not created: {e}")
            return False
        self.state.audit_changed.emit()
        self._loaded = None  # the edits went into the new asset; the original keeps its saved state
        self.refresh()
        self.asset_box.setCurrentText(asset.name)
        self.state.notify(f"Created asset {asset.name!r}")
        return True

    def delete_asset(self, confirm: bool = True) -> bool:
        """Delete the selected asset after a confirmation (the audit log keeps its
        definition)."""
        name = self.asset_box.currentText()
        if not name:
            return False
        if confirm and QMessageBox.question(
                self, "Delete asset", f"Delete asset {name!r}? Its last definition stays in "
                "the audit log.") != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.service.delete(name)
        except ValidationError as e:
            self.status.setText("Not deleted: " + "; ".join(str(p) for p in e.problems))
            return False
        self.state.audit_changed.emit()
        self.asset = None
        self.asset_box.setCurrentIndex(-1)
        self.refresh()
        self.state.notify(f"Deleted asset {name!r}")
        return True

    # ---- deterministic ----------------------------------------------------------------------
    def evaluate(self) -> None:
        name, deck = self.asset_box.currentText(), self.deck_box.currentText()
        if not name or not deck:
            if name:
                self.status.setText("No price deck in this workspace: import one on the Price "
                                    "decks screen to evaluate this asset.")
            return
        version, approved = self.deck_choice()
        try:
            ev = self.service.evaluate(name, deck, version,
                                       self.scenario_box.currentText() or None, approved)
        except ValidationError as e:
            self.status.setText("Cannot evaluate: " + "; ".join(str(p) for p in e.problems))
            self.last_evaluation = None
            self.convention_label.setText("")
            _fill(self.results, [])
            _fill(self.tornado, [])
            self.tornado_plot.clear()
            self.cf_bars.setOpts(x=[], height=[])
            self.cf_cum.setData([], [])
            return
        self.last_evaluation = ev
        self.status.setText("Note: " + "; ".join(ev["notes"]) if ev.get("notes") else "")
        self.convention_label.setText(
            f"{ev['asset']} under {ev['deck']} v{ev['deck_version']} "
            f"({STAGE_LABELS[ev['deck_stage']]}) / {ev['scenario']}: "
            f"{ev['basis']} MUSD, {ev['npv_convention_label']}")
        rows = [(f"NPV @ {r['rate']:.0%}", f"{r['npv']:,.1f}") for r in ev["npv"]]
        roots = ev["irr"]["roots"]
        rows.append(("IRR" if len(roots) <= 1 else "IRR (several roots)",
                     ", ".join(f"{r:.2%}" for r in roots) if roots else ev["irr"]["note"]))
        pb, pi, be = ev["payback_years"], ev["profitability_index"], ev["breakeven_price"]
        rows += [("Payback", f"{pb:.2f} yr" if pb is not None else "never"),
                 ("Profitability index", f"{pi:.2f}" if pi is not None else "n/a"),
                 (f"EMV (Pg {self.asset.chance_of_success:.0%})" if self.asset else "EMV",
                  f"{ev['emv']:,.1f}"),
                 ("Breakeven price (flat)", f"{be:,.2f}" if be is not None else "none")]
        _fill(self.results, rows)
        _fill(self.tornado, [(f"{t['input']} ({t['low_input']:.2f} / {t['high_input']:.2f})",
                              f"{t['npv_low']:,.1f}", f"{t['npv_high']:,.1f}")
                             for t in ev["tornado"]])
        self._draw_tornado(ev)
        years = np.asarray(ev["years"], dtype=float)
        net = np.asarray(ev["annual"]["net"])
        self.cf_bars.setOpts(x=years, height=net, width=0.7,
                             brushes=["#4c78a8" if v >= 0 else "#e45756" for v in net])
        self.cf_cum.setData(years, np.cumsum(net))

    def _draw_histogram(self, res: dict[str, Any]) -> None:
        """NPV distribution at the first rate with its P10 / P50 / P90 marked."""
        plot = self.hist_plot
        plot.clear()
        h = res.get("npv_histogram")
        if not h:
            return
        edges = np.asarray(h["edges"], dtype=float)
        plot.addItem(pg.BarGraphItem(x0=edges[:-1], width=np.diff(edges), y0=0,
                                     height=np.asarray(h["counts"], dtype=float),
                                     brush="#4c78a8", pen=pg.mkPen("#ffffff")))
        first = res["npv"][0]
        for q in ("p10", "p50", "p90"):
            plot.addItem(pg.InfiniteLine(pos=first[q], angle=90, label=q.upper(),
                                         labelOpts={"position": 0.92, "color": "#333"},
                                         pen=pg.mkPen("#d62728", width=1.5,
                                                      style=Qt.PenStyle.DashLine)))
        plot.setTitle(f"NPV @ {h['rate']:.0%}: P(NPV &lt; 0) {first['prob_negative']:.0%}",
                      size="9pt")

    def _draw_tornado(self, ev: dict[str, Any]) -> None:
        """Horizontal bars from the base NPV to the NPV with each input at P10 (orange) and
        P90 (blue), widest swing on top."""
        plot = self.tornado_plot
        plot.clear()
        bars = sorted(ev["tornado"], key=lambda t: abs(t["npv_high"] - t["npv_low"]))
        if not bars or not ev["npv"]:
            return
        base = float(ev["npv"][0]["npv"])
        y = np.arange(len(bars), dtype=float)
        for key, colour in (("npv_low", "#f58518"), ("npv_high", "#4c78a8")):
            v = np.array([float(t[key]) for t in bars])
            plot.addItem(pg.BarGraphItem(x0=np.minimum(v, base), width=np.abs(v - base), y=y,
                                         height=0.6, brush=colour))
        plot.addItem(pg.InfiniteLine(pos=base, angle=90, pen=pg.mkPen("#333", width=1)))
        plot.getAxis("left").setTicks([[(float(i), f"{t['input']} ({t['low_input']:.2f} / "
                                                    f"{t['high_input']:.2f})")
                                        for i, t in enumerate(bars)]])
        plot.setTitle(f"Base NPV @ {ev['npv'][0]['rate']:.0%} = {base:,.1f} MUSD; orange: input "
                      "at P10, blue: at P90", size="9pt")

    # ---- stochastic -------------------------------------------------------------------------
    def run_stochastic(self) -> None:
        if self.worker is not None or not self.asset_box.currentText():
            return
        name, deck = self.asset_box.currentText(), self.deck_box.currentText()
        scen = self.scenario_box.currentText() or None
        n, seed = self.iterations.value(), self.seed.value()
        version, approved = self.deck_choice()
        ws = self.state.workspace

        def make() -> Any:
            return AssetService(ws).simulate(name, n, seed, deck, version, scen, approved)

        from riskdesk.economics.stochastic import warm_up

        self.status.setText("Preparing the simulation kernels…")
        warm_up()  # compile/load in the GUI thread, never inside the worker
        self.worker = GeneratorWorker(make, self)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(lambda msg: self.status.setText(f"Run failed: {msg}"))
        self.worker.cancelled.connect(lambda: self.status.setText("Run cancelled"))
        self.worker.done.connect(self._on_done)
        self.progress.setRange(0, n)
        self.progress.setValue(0)
        self.run_btn.setEnabled(False)
        self.cancel_btn.setEnabled(True)
        self.worker.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _on_progress(self, p: Any) -> None:
        self.progress.setValue(p.done)

    def _on_done(self) -> None:
        self.worker = None
        self.run_btn.setEnabled(True)
        self.cancel_btn.setEnabled(False)

    def _on_finished(self, res: dict[str, Any]) -> None:
        self.last_simulation = res
        rows = [(f"NPV @ {r['rate']:.0%}", f"{r['p10']:,.1f}", f"{r['p50']:,.1f}",
                 f"{r['p90']:,.1f}", f"{r['mean']:,.1f}; P(<0) {r['prob_negative']:.0%}")
                for r in res["npv"]]
        irr = res["irr"]
        if "p50" in irr:
            rows.append(("IRR", f"{irr['p10']:.2%}", f"{irr['p50']:.2%}", f"{irr['p90']:.2%}",
                         f"{irr['paths_without_irr']} paths without IRR"))
        else:
            rows.append(("IRR", "–", "–", "–", "no path has an IRR"))
        rows += [(f"Rank correlation of {d['input']} with NPV @ {res['npv'][0]['rate']:.0%}",
                  "", "", "", f"{d['rank_correlation']:+.2f}") for d in res["sensitivity"]]
        _fill(self.percentiles, rows)
        years = np.asarray(res["years"], dtype=float)
        self.fan_lo.setData(years, res["fan"]["p10"])
        self.fan_hi.setData(years, res["fan"]["p90"])
        self.fan_mid.setData(years, res["fan"]["p50"])
        self._draw_histogram(res)
        self.status.setText(f"deck v{res['deck_version']} ({STAGE_LABELS[res['deck_stage']]}): "
                            f"{res['iterations']:,} paths in {res['elapsed_s']:.1f} s, seed "
                            f"{res['seed']}; {res['percentile_convention']}; band P10–P90")


if __name__ == "__main__":
    from riskdesk.ui.main_window import screen_main

    raise SystemExit(screen_main("assets"))
