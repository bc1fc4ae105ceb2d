"""Charts of a simulation run: fan, histogram + S-curve, tornado, convergence.

Every chart builds its plot items once and updates them with ``setData``/``setOpts``; each can
give its numbers as a table (``table()``) and export its picture (:func:`export_image`).
Percentiles are non-exceedance: P10 = 10 % of paths at or below the value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

BAND = (31, 95, 168)
_P50 = "#1f3f6b"
_BASE = "#555555"
_MARK = {"P10": "#c0392b", "P50": "#1f3f6b", "P90": "#27ae60", "mean": "#8e44ad"}


def _plot(parent: QWidget) -> pg.PlotWidget:
    w = pg.PlotWidget(parent)
    w.setBackground("w")
    w.showGrid(x=True, y=True, alpha=0.2)
    w.addLegend(offset=(10, 10))
    return w


class _Chart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = _plot(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.plot)
        self._headers: list[str] = []
        self._rows: list[list[Any]] = []

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """The plotted numbers: (headers, rows)."""
        return self._headers, self._rows


class FanChart(_Chart):
    """Baseline, P50, and P25-P75 / P10-P90 bands per month."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        p = self.plot
        self.c10 = pg.PlotDataItem(pen=pg.mkPen((*BAND, 90)))
        self.c90 = pg.PlotDataItem(pen=pg.mkPen((*BAND, 90)))
        self.c25 = pg.PlotDataItem(pen=pg.mkPen((*BAND, 140)))
        self.c75 = pg.PlotDataItem(pen=pg.mkPen((*BAND, 140)))
        self.outer = pg.FillBetweenItem(self.c10, self.c90, brush=pg.mkBrush(*BAND, 45))
        self.inner = pg.FillBetweenItem(self.c25, self.c75, brush=pg.mkBrush(*BAND, 90))
        for it in (self.outer, self.inner, self.c10, self.c90, self.c25, self.c75):
            p.addItem(it)
        self.p50 = p.plot(pen=pg.mkPen(_P50, width=2), name="P50")
        self.mean = p.plot(pen=pg.mkPen(_MARK["mean"], width=1, style=pg.QtCore.Qt.PenStyle.DotLine),
                           name="mean")
        self.base = p.plot(pen=pg.mkPen(_BASE, width=2, style=pg.QtCore.Qt.PenStyle.DashLine),
                           name="baseline")
        for alpha, name in ((90, "P25–P75"), (45, "P10–P90")):  # legend swatches only
            swatch = pg.PlotDataItem([0, 1], [0, 0], pen=pg.mkPen(None), fillLevel=0,
                                     fillBrush=pg.mkBrush(*BAND, alpha))
            p.getPlotItem().legend.addItem(swatch, name)
        p.setLabel("bottom", "month")
        self._frame: tuple[Any, ...] = ()
        p.setTitle("No run shown yet: choose the inputs on the left and press Run, "
                   "or pick a stored run")

    def set_bands(self, bands: Mapping[str, Any], baseline: Sequence[float] | None,
                  labels: Sequence[str], units: str, title: str) -> None:
        x = np.arange(len(bands["p50"]), dtype=float)
        for item, key in ((self.c10, "p10"), (self.c25, "p25"), (self.c75, "p75"),
                          (self.c90, "p90"), (self.p50, "p50"), (self.mean, "mean")):
            item.setData(x, np.asarray(bands[key], float))
        self.base.setData(x, np.asarray(baseline, float)) if baseline is not None \
            else self.base.setData([], [])
        ticks = [(i, labels[i]) for i in range(0, len(labels), max(1, len(labels) // 8))]
        frame = (title, units, ticks)
        if frame != self._frame:  # re-laying out title and axes costs more than the curves
            self._frame = frame
            self.plot.setTitle(title)
            self.plot.setLabel("left", units)
            self.plot.getAxis("bottom").setTicks([ticks])
        self._headers = ["month", "P10", "P25", "P50", "P75", "P90", "mean"] + (
            ["baseline"] if baseline is not None else [])
        self._rows = [[labels[i]] + [float(bands[k][i]) for k in
                                     ("p10", "p25", "p50", "p75", "p90", "mean")]
                      + ([float(baseline[i])] if baseline is not None else [])
                      for i in range(len(x))]


class DistributionChart(QWidget):
    """Histogram (top) and S-curve (bottom) of a total, with P10/P50/P90 and mean marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = pg.GraphicsLayoutWidget(self)
        self.plots.setBackground("w")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.plots)
        self.hist = self.plots.addPlot(row=0, col=0)
        self.scurve = self.plots.addPlot(row=1, col=0)
        self.scurve.setXLink(self.hist)
        self.scurve.setYRange(0, 1, padding=0.02)
        self.scurve.setLabel("left", "P(total ≤ x)")
        self.hist.setLabel("left", "paths")
        for p in (self.hist, self.scurve):
            p.showGrid(x=True, y=True, alpha=0.2)
        self.bars = pg.BarGraphItem(x=[0.0], height=[0.0], width=1.0,
                                    brush=pg.mkBrush(*BAND, 150), pen=pg.mkPen(None))
        self.hist.addItem(self.bars)
        self.curve = self.scurve.plot(pen=pg.mkPen(_P50, width=2))
        self.lines: dict[str, tuple[pg.InfiniteLine, pg.InfiniteLine]] = {}
        for k, color in _MARK.items():
            pen = pg.mkPen(color, width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine)
            a = pg.InfiniteLine(angle=90, pen=pen, label=k, labelOpts={"color": color,
                                                                       "position": 0.92})
            b = pg.InfiniteLine(angle=90, pen=pen)
            self.hist.addItem(a)
            self.scurve.addItem(b)
            self.lines[k] = (a, b)
        self.plot = self.plots  # for image export
        self._headers: list[str] = []
        self._rows: list[list[Any]] = []

    def set_totals(self, edges: np.ndarray, counts: np.ndarray, xs: np.ndarray, ps: np.ndarray,
                   marks: dict[str, float], units: str, title: str) -> None:
        centers = (edges[:-1] + edges[1:]) / 2
        self.bars.setOpts(x=centers, height=counts, width=float(edges[1] - edges[0]))
        self.curve.setData(xs, ps)
        for k, (a, b) in self.lines.items():
            a.setValue(marks[k])
            b.setValue(marks[k])
        self.hist.setTitle(title)
        self.scurve.setLabel("bottom", units)
        self._headers = ["bin from", "bin to", "paths", "", "value", "P(total <= value)"]
        n = max(len(counts), len(xs))
        self._rows = []
        for i in range(n):
            row: list[Any] = ([float(edges[i]), float(edges[i + 1]), int(counts[i])]
                              if i < len(counts) else ["", "", ""])
            row += ["", float(xs[i]), float(ps[i])] if i < len(xs) else ["", "", ""]
            self._rows.append(row)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return self._headers, self._rows


class TornadoChart(_Chart):
    """Horizontal bars per risk (top N + others): variance share or P50 swing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot.getPlotItem().legend.setVisible(False)
        self.bars = pg.BarGraphItem(x0=[0.0], y=[0.0], width=[0.0], height=0.7,
                                    brush=pg.mkBrush(*BAND, 170), pen=pg.mkPen(None))
        self.plot.addItem(self.bars)
        self.plot.addItem(pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen("#444")))
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)

    def set_bars(self, labels: list[str], values: list[float], title: str, axis: str,
                 extra: list[list[Any]], headers: list[str]) -> None:
        n = len(values)
        y = np.arange(n)[::-1].astype(float)
        self.bars.setOpts(x0=np.minimum(values, 0), y=y, width=np.abs(values), height=0.7)
        self.plot.getAxis("left").setTicks([[(float(y[i]), labels[i]) for i in range(n)]])
        self.plot.setTitle(title)
        self.plot.setLabel("bottom", axis)
        self.plot.setYRange(-0.6, n - 0.4, padding=0)
        self._headers, self._rows = headers, extra


class ConvergenceChart(_Chart):
    """Estimates of P10/P50/P90 of a total against iterations, with 95 % confidence bands."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot.setLogMode(x=True, y=False)
        self.plot.setLabel("bottom", "iterations")
        self.items = {}
        for k in ("P10", "P50", "P90"):
            color = pg.mkColor(_MARK[k])
            lo, hi = pg.PlotDataItem(pen=pg.mkPen(None)), pg.PlotDataItem(pen=pg.mkPen(None))
            fill = pg.FillBetweenItem(lo, hi, brush=pg.mkBrush(color.red(), color.green(),
                                                               color.blue(), 50))
            for it in (lo, hi, fill):
                self.plot.addItem(it)
            est = self.plot.plot(pen=pg.mkPen(color, width=2), name=f"{k} (95% band)")
            self.items[k] = (est, lo, hi)

    def set_convergence(self, n: np.ndarray, est: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                        units: str, title: str) -> None:
        x = n.astype(float)
        for j, k in enumerate(("P10", "P50", "P90")):
            e, a, b = self.items[k]
            e.setData(x, est[:, j])
            a.setData(x, lo[:, j])
            b.setData(x, hi[:, j])
        self.plot.setTitle(title)
        self.plot.setLabel("left", units)
        self._headers = ["iterations"] + [f"{k} {w}" for k in ("P10", "P50", "P90")
                                          for w in ("estimate", "low 95%", "high 95%")]
        self._rows = [[int(n[i])] + [float(v) for j in range(3)
                                     for v in (est[i, j], lo[i, j], hi[i, j])]
                      for i in range(len(n))]


def export_image(widget: QWidget, path: str) -> None:
    """Save a chart as PNG (pixels) or SVG (vector drawing via QSvgGenerator), by suffix."""
    if str(path).lower().endswith(".svg"):
        from PySide6.QtCore import QPoint
        from PySide6.QtGui import QPainter, QRegion
        from PySide6.QtSvg import QSvgGenerator

        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(widget.size())
        gen.setViewBox(widget.rect())
        gen.setTitle("riskdesk chart")
        painter = QPainter(gen)
        try:
            widget.render(painter, QPoint(0, 0), QRegion(widget.rect()))
        finally:
            painter.end()
        return
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
