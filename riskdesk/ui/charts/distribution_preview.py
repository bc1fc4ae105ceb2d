"""Live preview of an impact distribution: pdf and cdf with P10/P50/P90 marked.

Plot items are created once; :meth:`DistributionPreview.set_distribution` only calls ``setData``
and ``setValue``. Percentiles follow the usual convention P10 = 10th percentile of the value
(for threats, the worse outcome), computed with ``Distribution.ppf``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from riskdesk.domain.distributions import Distribution

PERCENTILES = (0.10, 0.50, 0.90)
_COLORS = ("#c0392b", "#2c3e50", "#27ae60")


class DistributionPreview(QWidget):
    """Two small plots (density, cumulative) of one distribution."""

    def __init__(self, units: str = "kUSD", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.units = units
        self.percentiles: tuple[float, float, float] | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground("w")
        self.plots.setMinimumSize(320, 300)
        lay.addWidget(self.summary)
        lay.addWidget(self.plots, 1)

        self.pdf_plot = self.plots.addPlot(row=0, col=0)
        self.cdf_plot = self.plots.addPlot(row=1, col=0)
        self.pdf_plot.setLabel("left", "density")
        self.cdf_plot.setLabel("left", "P(value ≤ x)")
        self.cdf_plot.setLabel("bottom", f"impact ({units})")
        self.cdf_plot.setYRange(0, 1.02, padding=0)
        self.cdf_plot.setXLink(self.pdf_plot)
        for p in (self.pdf_plot, self.cdf_plot):
            p.showGrid(x=True, y=True, alpha=0.2)
            p.setMouseEnabled(x=False, y=False)
            p.hideButtons()
        self.pdf_curve = pg.PlotCurveItem(pen=pg.mkPen("#1f5fa8", width=2),
                                          brush=pg.mkBrush(31, 95, 168, 50))
        self.pdf_plot.addItem(self.pdf_curve)
        self.cdf_curve = pg.PlotCurveItem(pen=pg.mkPen("#1f5fa8", width=2))
        self.cdf_plot.addItem(self.cdf_curve)
        self.lines: list[pg.InfiniteLine] = []
        for k, (q, color) in enumerate(zip(PERCENTILES, _COLORS, strict=True)):
            name = f"P{int(q * 100)}"
            for plot, with_label in ((self.pdf_plot, True), (self.cdf_plot, False)):
                line = pg.InfiniteLine(
                    angle=90, movable=False, pen=pg.mkPen(color, width=1,
                                                          style=pg.QtCore.Qt.PenStyle.DashLine),
                    label=name if with_label else None,
                    labelOpts={"position": 0.95 - 0.08 * k, "color": color, "movable": False,
                               "fill": (255, 255, 255, 200)})
                plot.addItem(line)
                self.lines.append(line)
        self.message = pg.TextItem("", color="#b3261e", anchor=(0.5, 0.5))
        self.pdf_plot.addItem(self.message, ignoreBounds=True)
        self.pdf_plot.getAxis("left").enableAutoSIPrefix(False)
        self.set_distribution(None, "no distribution")

    def set_distribution(self, dist: Distribution | None, problem: str = "") -> None:
        """Show ``dist`` (or, when None or with ``problem``, an empty plot with the reason)."""
        if dist is None or problem:
            self.percentiles = None
            self.pdf_curve.setData([], [])
            self.cdf_curve.setData([], [])
            for line in self.lines:
                line.setVisible(False)
            self.message.setText(problem or "no distribution")
            self.message.setPos(0.5, 0.5)
            self.pdf_plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            self.summary.setText(f"<span style='color:#b3261e'>{problem}</span>"
                                 if problem else "")
            return
        self.message.setText("")
        qs = dist.ppf(np.array(PERCENTILES))
        self.percentiles = (float(qs[0]), float(qs[1]), float(qs[2]))
        lo, hi = (float(v) for v in dist.ppf(np.array([0.001, 0.999])))
        if dist.family in ("discrete", "fixed"):
            lo, hi = float(np.min(dist.ppf(0.0))), float(np.max(dist.ppf(1.0)))
        span = hi - lo
        pad = 0.08 * span if span > 0 else max(abs(lo) * 0.1, 1.0)
        x = np.linspace(lo - pad, hi + pad, 400)
        if dist.family in ("discrete", "fixed"):
            pts = (np.asarray(dist.params["values"], float) if dist.family == "discrete"
                   else np.array([dist.p("value")]))
            mass = dist.pdf(pts)
            xs = np.repeat(pts, 2)
            ys = np.column_stack([np.zeros_like(mass), mass]).ravel()
            self.pdf_curve.setData(xs, ys, connect="pairs", fillLevel=None)
            self.pdf_plot.setLabel("left", "probability")
        else:
            self.pdf_curve.setData(x, dist.pdf(x), connect="all", fillLevel=0.0)
            self.pdf_plot.setLabel("left", "density")
        self.cdf_curve.setData(x, dist.cdf(x))
        for i, line in enumerate(self.lines):
            line.setVisible(True)  # before setValue: hidden labels do not update their text
            line.setValue(self.percentiles[i // 2])
        self.pdf_plot.enableAutoRange()
        self.pdf_plot.setXRange(float(x[0]), float(x[-1]), padding=0)
        p10, p50, p90 = self.percentiles
        self.summary.setText(f"Mean {dist.mean():,.0f} · P10 {p10:,.0f} · P50 {p50:,.0f} · "
                             f"P90 {p90:,.0f} {self.units}")


def main() -> int:
    """Show the preview alone with a sample distribution."""
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    w = DistributionPreview()
    w.set_distribution(Distribution("pert", {"min": -4200, "mode": -1800, "max": -900}))
    w.resize(480, 420)
    w.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
