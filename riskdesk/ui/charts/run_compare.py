"""Two runs side by side and the common-random-numbers waterfall of what moved P50 and P90 of
the EBITDA total (from ``RunsService.compare``), as a table and a bar chart."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QDialog, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget


class CompareDialog(QDialog):
    """Two runs side by side and the common-random-numbers waterfall of the EBITDA total."""

    def __init__(self, cmp: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Run {cmp.a.id} vs run {cmp.b.id}")
        self.resize(820, 620)
        lay = QVBoxLayout(self)
        side = QTableWidget(0, 4)
        side.setHorizontalHeaderLabels(["", f"run {cmp.a.id}", f"run {cmp.b.id}", "change"])
        for key, label in (("results", "EBITDA Δ"), ("cash_flow", "cash flow Δ")):
            for q, (x, y) in cmp.side_by_side[key].items():
                r = side.rowCount()
                side.insertRow(r)
                for c, v in enumerate((f"{label} {q.upper()}", f"{x:,.0f}", f"{y:,.0f}",
                                       f"{y - x:+,.0f}")):
                    side.setItem(r, c, QTableWidgetItem(v))
        side.resizeColumnsToContents()
        lay.addWidget(side)
        steps = cmp.waterfall
        self.steps = QTableWidget(len(steps), 5)
        self.steps.setHorizontalHeaderLabels(["step", "P50", "Δ P50", "P90", "Δ P90"])
        for r, s in enumerate(steps):
            for c, v in enumerate((s["step"], f"{s['p50']:,.0f}", f"{s['d_p50']:+,.0f}",
                                   f"{s['p90']:,.0f}", f"{s['d_p90']:+,.0f}")):
                self.steps.setItem(r, c, QTableWidgetItem(v))
        self.steps.resizeColumnsToContents()
        lay.addWidget(QLabel(f"What moved the EBITDA total ({cmp.waterfall_iterations:,} "
                             "iterations, each risk keeps its random numbers):"))
        lay.addWidget(self.steps)
        plot = pg.PlotWidget()
        plot.setBackground("w")
        plot.setLabel("left", "P50 of the EBITDA total")
        if steps:
            x = np.arange(len(steps), dtype=float)
            top = np.array([s["p50"] for s in steps])
            bottom = np.array([s["p50"] - s["d_p50"] for s in steps])
            bottom[0] = 0.0
            plot.addItem(pg.BarGraphItem(x=x, y0=np.minimum(bottom, top),
                                         height=np.abs(top - bottom), width=0.6,
                                         brush=pg.mkBrush(31, 95, 168, 170)))
            plot.getAxis("bottom").setTicks([[(i, s["step"][:14]) for i, s in
                                              enumerate(steps)]])
        lay.addWidget(plot, 1)
        for n in cmp.notes:
            lay.addWidget(QLabel(f"Note: {n}"))
