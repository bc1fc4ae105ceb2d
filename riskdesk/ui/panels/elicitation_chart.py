"""Charts of the elicitation screen: a fitted distribution with the expert's quantiles marked, and
the pooled distribution against the individual experts.

Plot items are created once and updated with ``setData``/``setValue``; levels are non-exceedance
probabilities (P10 = 10% chance of a value below).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

MAX_MARKS = 7
_BLUE = "#1f5fa8"
_MARK = "#c0392b"


def _style(plot: Any) -> None:
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()


class FitChart(QWidget):
    """Density and cumulative curves of a fit, with the given quantiles as dashed lines/points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        self.view.setMinimumSize(360, 320)
        lay.addWidget(self.view)
        self.pdf_plot = self.view.addPlot(row=0, col=0)
        self.cdf_plot = self.view.addPlot(row=1, col=0)
        self.pdf_plot.setLabel("left", "density")
        self.cdf_plot.setLabel("left", "P(value ≤ x)")
        self.cdf_plot.getAxis("left").enableAutoSIPrefix(False)
        self.cdf_plot.setXLink(self.pdf_plot)
        self.cdf_plot.setYRange(0, 1.02, padding=0)
        for p in (self.pdf_plot, self.cdf_plot):
            _style(p)
        self.pdf_curve = pg.PlotCurveItem(pen=pg.mkPen(_BLUE, width=2),
                                          brush=pg.mkBrush(31, 95, 168, 50), fillLevel=0.0)
        self.cdf_curve = pg.PlotCurveItem(pen=pg.mkPen(_BLUE, width=2))
        self.pdf_plot.addItem(self.pdf_curve)
        self.cdf_plot.addItem(self.cdf_curve)
        self.points = pg.ScatterPlotItem(size=10, brush=pg.mkBrush(_MARK), pen=pg.mkPen("w"))
        self.cdf_plot.addItem(self.points)
        self.marks: list[pg.InfiniteLine] = []
        for _ in range(MAX_MARKS):
            line = pg.InfiniteLine(angle=90, movable=False,
                                   pen=pg.mkPen(_MARK, width=1,
                                                style=pg.QtCore.Qt.PenStyle.DashLine),
                                   label="", labelOpts={"position": 0.92, "color": _MARK,
                                                        "fill": (255, 255, 255, 200)})
            self.pdf_plot.addItem(line)
            self.marks.append(line)
        self.message = pg.TextItem("", color="#b3261e", anchor=(0.5, 0.5))
        self.pdf_plot.addItem(self.message)
        self.clear("enter the quantiles")

    def clear(self, reason: str = "") -> None:
        self.pdf_curve.setData([], [])
        self.cdf_curve.setData([], [])
        self.points.setData([], [])
        for m in self.marks:
            m.setVisible(False)
        self.message.setText(reason)
        self.message.setPos(0.5, 0.5)
        self.pdf_plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)

    def set_fit(self, fit: Any, levels: list[float], values: list[float], units: str = "",
                names: list[str] | None = None) -> None:
        """Show ``fit`` (anything with ppf/pdf/cdf) and mark ``values`` at ``levels``, labelled
        ``names`` (default ``P10``, ``P50``, ...)."""
        self.message.setText("")
        lo, hi = (float(v) for v in fit.ppf(np.array([0.005, 0.995])))
        lo, hi = min(lo, min(values)), max(hi, max(values))
        pad = 0.05 * (hi - lo or 1.0)
        x = np.linspace(lo - pad, hi + pad, 400)
        dens = np.nan_to_num(fit.pdf(x), nan=0.0, posinf=0.0)
        self.pdf_curve.setData(x, dens)
        self.cdf_curve.setData(x, fit.cdf(x))
        self.points.setData(list(values), list(levels))
        for k, m in enumerate(self.marks):
            if k < len(values):
                m.setVisible(True)  # a hidden label does not update its text
                m.setValue(values[k])
                m.label.setFormat(names[k] if names else f"P{100 * levels[k]:.3g}")
            else:
                m.setVisible(False)
        self.cdf_plot.setLabel("bottom", units)
        self.pdf_plot.setXRange(float(x[0]), float(x[-1]), padding=0)
        self.pdf_plot.setYRange(0, float(dens.max()) * 1.1 or 1.0, padding=0)


_EXPERT_COLOURS = ("#7f8c8d", "#d35400", "#27ae60", "#8e44ad", "#c0a000", "#16a085",
                   "#b03a2e", "#2c3e50", "#e84393", "#6d4c41")


class PoolChart(QWidget):
    """Cumulative curves: each expert (thin, its own colour and legend entry, piecewise linear
    through their quantiles), the pooled decision maker (thick blue) and, for a seed question,
    the known realisation (dashed red line)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.view = pg.PlotWidget(background="w")
        self.view.setMinimumSize(360, 260)
        self.plot = self.view.getPlotItem()
        _style(self.plot)
        self.plot.setLabel("left", "P(value ≤ x)")
        self.plot.getAxis("left").enableAutoSIPrefix(False)
        self.legend = self.plot.addLegend(offset=(10, 10))
        lay.addWidget(self.view)
        self.expert_curves: list[pg.PlotDataItem] = []
        self.pooled = pg.PlotDataItem(pen=pg.mkPen(_BLUE, width=3), symbol="o", symbolSize=7,
                                      symbolBrush=_BLUE, name="pooled")
        self.plot.addItem(self.pooled)
        self.realisation = pg.InfiniteLine(angle=90, pen=pg.mkPen(_MARK, width=2,
                                                                  style=Qt.PenStyle.DashLine),
                                           label="realisation", labelOpts={"color": _MARK,
                                                                           "position": 0.08})
        self.realisation.setVisible(False)
        self.plot.addItem(self.realisation)

    def set_curves(self, levels: list[float], experts: dict[str, list[float] | None],
                   pooled: list[float] | None, ranges: tuple[float, float] | None = None,
                   units: str = "", realisation: float | None = None) -> None:
        """Experts' (name → quantiles, named in the legend) and pooled quantiles at ``levels``;
        ``ranges`` adds the 0/1 end points; ``realisation`` marks a seed's known answer."""
        while len(self.expert_curves) < len(experts):
            colour = _EXPERT_COLOURS[len(self.expert_curves) % len(_EXPERT_COLOURS)]
            c = pg.PlotDataItem(pen=pg.mkPen(colour, width=1.5))
            self.plot.addItem(c)
            self.expert_curves.append(c)
        names = list(experts) + [""] * (len(self.expert_curves) - len(experts))
        for c, name in zip(self.expert_curves, names, strict=True):
            self.legend.removeItem(c)
            c.opts["name"] = name or None
        self.legend.removeItem(self.pooled)
        cum = [0.0, *levels, 1.0] if ranges else list(levels)

        def xs(v: list[float]) -> list[float]:
            return [ranges[0], *v, ranges[1]] if ranges else list(v)

        for c, vals in zip(self.expert_curves, list(experts.values()) + [None] *
                           (len(self.expert_curves) - len(experts)), strict=True):
            if vals is None:
                c.setData([], [])
            else:
                c.setData(xs(vals), cum)
                self.legend.addItem(c, c.opts["name"])
        if pooled is None:
            self.pooled.setData([], [])
        else:
            self.pooled.setData(xs(pooled), cum)
            self.legend.addItem(self.pooled, "pooled")
        self.realisation.setVisible(realisation is not None)
        if realisation is not None:
            self.realisation.setValue(realisation)
        self.plot.setLabel("bottom", units)
        self.plot.enableAutoRange()
