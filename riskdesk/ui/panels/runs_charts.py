"""The chart side of the Runs screen: the option bar, the fan / histogram and S-curve / tornado /
convergence charts of the run shown, the correlation matrix tab, and exporting pictures and
numbers (part of :class:`~riskdesk.ui.panels.runs.RunsPanel`)."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.baseline import month_label
from riskdesk.domain.problems import ValidationError
from riskdesk.services.runs import StoredRun
from riskdesk.ui.charts.run_charts import (
    ConvergenceChart,
    DistributionChart,
    FanChart,
    TornadoChart,
    export_image,
)
from riskdesk.ui.state import AppState

CONVENTION = "P10 = 10% of paths at or below (non-exceedance)"


class RunChartsMixin:
    """Charts of ``self.current`` (a stored run), redrawn when an option changes."""

    state: AppState
    current: StoredRun | None
    worker: Any

    def _build_charts(self) -> QWidget:
        self.series = QComboBox()
        self.series.addItem("EBITDA", "ebitda")
        self.series.addItem("Cash flow", "cash_flow")
        self.view = QComboBox()
        self.view.addItems(["monthly", "cumulative"])
        self.basis = QComboBox()
        self.basis.addItem("change vs plan (Δ)", "delta")
        self.basis.addItem("plan + risks", "absolute")
        self.topn = QSpinBox()
        self.topn.setRange(3, 50)
        self.topn.setValue(10)
        self.tornado_metric = QComboBox()
        self.tornado_metric.addItem("share of variance", "variance")
        self.tornado_metric.addItem("P50 swing (off → on)", "swing")
        for w in (self.series, self.view, self.basis, self.topn, self.tornado_metric):
            (w.currentIndexChanged if isinstance(w, QComboBox) else w.valueChanged).connect(
                self._redraw)
        bar = QHBoxLayout()
        # each option shows only on the charts it changes, so the bar fits a narrow window
        self._options: list[tuple[list[QWidget], set[str]]] = []
        for label, w, charts in (("Series", self.series, {"fan", "dist", "conv"}),
                                 ("", self.view, {"fan"}), ("", self.basis, {"fan"}),
                                 ("Tornado", self.tornado_metric, {"tornado"}),
                                 ("top", self.topn, {"tornado"})):
            ws: list[QWidget] = [QLabel(label)] if label else []
            ws.append(w)
            for x in ws:
                bar.addWidget(x)
            self._options.append((ws, charts))
        bar.addStretch(1)
        self.export_pic = QPushButton("Export picture…")
        self.export_num = QPushButton("Export numbers…")
        self.export_pic.clicked.connect(self._export_picture)
        self.export_num.clicked.connect(self._export_numbers)
        bar.addWidget(self.export_pic)
        bar.addWidget(self.export_num)

        self.fan = FanChart()
        self.dist = DistributionChart()
        self.tornado = TornadoChart()
        self.conv = ConvergenceChart()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.fan, "Fan chart")
        self.tabs.addTab(self.dist, "Histogram && S-curve")
        self.tabs.addTab(self.tornado, "Tornado")
        self.tabs.addTab(self.conv, "Convergence")
        from riskdesk.ui.panels.correlation import CorrelationEditor

        self.correlation = CorrelationEditor(self.state)
        self.tabs.addTab(self.correlation, "Correlation matrix")
        self.tabs.currentChanged.connect(self._tab_changed)
        self._tab_changed()
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.addLayout(bar)
        rlay.addWidget(self.tabs, 1)
        rlay.addWidget(self.summary)
        return right

    def _redraw(self) -> None:
        st = self.current
        if st is None or self.worker is not None:
            return
        doc, u = st.document, st.info.units
        which = self.series.currentData()
        part = "results" if which == "ebitda" else "cash_flow"
        kind = self.view.currentText()
        labels = [month_label(doc.get("start", st.registry.start), i)
                  for i in range(doc["months"])]
        bands = {k: np.asarray(v) for k, v in doc[part][kind].items()}
        base = None
        if self.basis.currentData() == "absolute" and "absolute" in doc:
            absb = {k: np.asarray(v) for k, v in doc["absolute"][which][kind].items()}
            base = absb["mean"] - bands["mean"]
            bands = absb
        name = "EBITDA" if which == "ebitda" else "cash flow"
        self.fan.set_bands(bands, base, labels, u, f"run {st.info.id} · {kind} {name}"
                           + (" (plan + risks)" if base is not None else " change vs plan"))
        dist = doc["distributions"][which]
        edges = np.asarray(dist["histogram"]["edges"])
        counts = np.asarray(dist["histogram"]["counts"])
        xs = np.asarray(dist["s_curve"]["values"])
        ps = np.asarray(dist["s_curve"]["probability"])
        tot = doc[part]["total"]
        marks = {"P10": tot["p10"], "P50": tot["p50"], "P90": tot["p90"], "mean": tot["mean"]}
        self.dist.set_totals(edges, counts, xs, ps, marks, f"total {name} change ({u})",
                             f"run {st.info.id} · total {name} change over the horizon")
        conv = dist["convergence"]
        self.conv.set_convergence(np.asarray(conv["n"]), np.asarray(conv["estimate"]),
                                  np.asarray(conv["lower"]), np.asarray(conv["upper"]), u,
                                  f"run {st.info.id} · convergence of the total {name} change")
        self._draw_tornado(doc, u)
        self.summary.setText(
            f"Run {st.info.id}: {st.info.registry_name} v{st.info.registry_version}, "
            f"{st.info.iterations:,} iterations, seed {st.info.seed}, {st.info.sampling}, "
            f"{'post' if st.info.post_mitigation else 'pre'}-mitigation. Total {name} change: "
            f"P10 {tot['p10']:,.0f} · P50 {tot['p50']:,.0f} · P90 {tot['p90']:,.0f} · mean "
            f"{tot['mean']:,.0f} {u}. {CONVENTION}.")

    def _draw_tornado(self, doc: dict[str, Any], units: str) -> None:
        bars = doc.get("tornado", [])
        n = self.topn.value()
        key = "variance_share" if self.tornado_metric.currentData() == "variance" else "swing"
        top, rest = bars[:n], bars[n:]
        scale = 100.0 if key == "variance_share" else 1.0
        labels = [b["risk"] for b in top]
        values = [scale * float(b[key]) for b in top]
        if rest and key == "variance_share":
            labels.append(f"others ({len(rest)})")
            values.append(scale * float(sum(b[key] for b in rest)))
        axis = "share of variance of the EBITDA total (%)" if key == "variance_share" \
            else f"P50 of the EBITDA total, risk on minus off ({units})"
        rows = [[b["risk"], b["variance_share"], b["p50_off"], b["p50_on"], b["swing"]]
                for b in bars]
        self.tornado.set_bars(labels, values, "tornado · EBITDA total", axis, rows,
                              ["risk", "variance share", "P50 off", "P50 on", "swing"])

    # ---- export ------------------------------------------------------------------------------
    def _tab_changed(self) -> None:
        current = self.tabs.currentWidget()
        is_chart = current is not self.correlation
        self.export_pic.setEnabled(is_chart)
        self.export_num.setEnabled(is_chart)
        chart = {self.fan: "fan", self.dist: "dist", self.tornado: "tornado",
                 self.conv: "conv"}.get(current, "")
        for ws, charts in self._options:
            for w in ws:
                w.setVisible(chart in charts)

    def _chart(self) -> Any:
        return self.tabs.currentWidget()

    def _export_picture(self) -> None:
        path, _ = QFileDialog.getSaveFileName(cast(QWidget, self), "Export picture", "chart.png",
                                              "PNG image (*.png);;SVG drawing (*.svg)")
        if path:
            export_image(self._chart(), path)
            self.state.notify(f"saved {path}")

    def _export_numbers(self) -> None:
        path, _ = QFileDialog.getSaveFileName(cast(QWidget, self), "Export numbers", "chart.xlsx",
                                              "Excel workbook (*.xlsx);;CSV (*.csv)")
        if path:
            self.export_numbers(path)

    def export_numbers(self, path: str) -> None:
        from riskdesk.io.table_export import write_table

        headers, rows = self._chart().table()
        notes = [CONVENTION]
        if self.current is not None:
            notes.insert(0, f"run {self.current.info.id}, units {self.current.info.units}")
        try:
            write_table(path, headers, rows, sheet=self.tabs.tabText(self.tabs.currentIndex())
                        .replace("&&", "and"), notes=notes)
        except (ValidationError, OSError) as e:
            QMessageBox.warning(cast(QWidget, self), "Export failed", str(e))
            return
        self.state.notify(f"saved {path}")
