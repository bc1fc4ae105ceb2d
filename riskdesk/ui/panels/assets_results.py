"""The Assets screen's results: deterministic indicators, tornado and cash-flow chart, and the
stochastic run in a background worker with progress and cancel (part of :class:`AssetsPanel`).

The whole stochastic run happens in the worker, below the GUI thread's priority: importing the
economics, compiling or loading the kernels from the cache, then the chunked simulation.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any, cast

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.asset import Asset
from riskdesk.domain.problems import ValidationError
from riskdesk.domain.registry import STAGE_LABELS
from riskdesk.services.assets import AssetService
from riskdesk.ui.keys import bind_run_keys
from riskdesk.ui.state import AppState
from riskdesk.ui.worker import GeneratorWorker

PREPARING = "preparing"  # first progress item of a stochastic run: kernels are being loaded


def fill_rows(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
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


class AssetResultsMixin:
    """Results side of the Assets screen (mixed into ``AssetsPanel``)."""

    state: AppState
    asset: Asset | None
    asset_box: QComboBox
    deck_box: QComboBox
    version_box: QComboBox
    scenario_box: QComboBox
    status: QLabel
    worker: GeneratorWorker | None
    run_total: int
    last_evaluation: dict[str, Any] | None
    last_simulation: dict[str, Any] | None

    @property
    def service(self) -> AssetService:
        return AssetService(self.state.workspace)


    def deck_choice(self) -> tuple[int | None, bool]:
        """(deck version or None for the latest, approved only) as chosen in the Version box."""
        data = self.version_box.currentData()
        if not data:
            return None, False
        kind, number = data
        return (number if kind == "version" else None), kind == "approved"

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
        bind_run_keys(cast(QWidget, self), self.run_btn, self.cancel_btn)
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
            fill_rows(self.results, [])
            fill_rows(self.tornado, [])
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
        fill_rows(self.results, rows)
        fill_rows(self.tornado, [(f"{t['input']} ({t['low_input']:.2f} / {t['high_input']:.2f})",
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

        def make() -> Generator[Any, None, dict[str, Any]]:
            # all of it in the worker: importing the economics, compiling or loading the
            # kernels from the cache, then the chunked run (cancel is seen between chunks)
            yield PREPARING
            from riskdesk.economics.stochastic import warm_up

            warm_up()
            return (yield from AssetService(ws).simulate(name, n, seed, deck, version, scen,
                                                         approved))

        self.status.setText("Preparing the simulation kernels…")
        self.worker = GeneratorWorker(make, cast(QWidget, self), low_priority=True)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(lambda msg: self.status.setText(f"Run failed: {msg}"))
        self.worker.cancelled.connect(lambda: self.status.setText("Run cancelled"))
        self.worker.done.connect(self._on_done)
        self.progress.setRange(0, 0)  # busy until the kernels are ready
        self.progress.setValue(0)
        self.run_total = n
        self.run_btn.setEnabled(False)
        self.cancel_btn.setEnabled(True)
        self.worker.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def shutdown(self) -> None:
        """The window closes (or the workspace changes): cancel a running simulation and wait
        for its thread to end (it ends itself; no event loop needed)."""
        if self.worker is not None:
            self.worker.stop()

    def _on_progress(self, p: Any) -> None:
        if p is PREPARING:
            return
        if self.progress.maximum() == 0:
            self.progress.setRange(0, self.run_total)
            self.status.setText(f"Simulating {self.run_total:,} paths…")
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
        fill_rows(self.percentiles, rows)
        years = np.asarray(res["years"], dtype=float)
        self.fan_lo.setData(years, res["fan"]["p10"])
        self.fan_hi.setData(years, res["fan"]["p90"])
        self.fan_mid.setData(years, res["fan"]["p50"])
        self._draw_histogram(res)
        self.status.setText(f"deck v{res['deck_version']} ({STAGE_LABELS[res['deck_stage']]}): "
                            f"{res['iterations']:,} paths in {res['elapsed_s']:.1f} s, seed "
                            f"{res['seed']}; {res['percentile_convention']}; band P10–P90")


