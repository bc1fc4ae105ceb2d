"""Percentile bands over paths: exact (numpy "linear") or from streaming histograms.

A streaming histogram series keeps, per month, :data:`NBINS` equal bins spanning the pilot
sample's range widened by 25 % on each side, plus under/overflow counts. A quantile is read as the
"linear" interpolation between the two order statistics around rank ``(n-1) q``, each located in
its bin and placed at its rank inside the bin; the error is at most one bin width (the stated
``error_bound``), and ``inf`` if a wanted rank fell outside the binned range.
"""

from __future__ import annotations

import numpy as np

PERCENTILES = (10, 25, 50, 75, 90)
BAND_KEYS = tuple(f"p{p}" for p in PERCENTILES)
NBINS = 4096
WIDEN = 0.25


class HistogramSeries:
    """Streaming per-month histograms of one series (e.g. cumulative EBITDA delta)."""

    def __init__(self, pilot: np.ndarray) -> None:
        """``pilot`` (T x P): the first P paths, which fix the bin ranges."""
        lo = pilot.min(axis=1).astype(np.float64)
        hi = pilot.max(axis=1).astype(np.float64)
        span = hi - lo
        span = np.maximum(span, 1e-9 * np.maximum(1.0, np.abs(lo)))
        self.lo = lo - WIDEN * span
        self.width = (1.0 + 2 * WIDEN) * span / NBINS
        self.inv_width = 1.0 / self.width
        self.counts = np.zeros((pilot.shape[0], NBINS + 2), np.int64)
        self.n = 0

    def add(self, values: np.ndarray) -> None:
        from riskdesk.engine.kernels import histogram_update

        histogram_update(values, self.lo, self.inv_width, self.counts)
        self.n += values.shape[1]

    def add_paths(self, cumulative: HistogramSeries, paths: np.ndarray,
                  scratch: np.ndarray) -> None:
        """Add ``paths`` (n x T, path-major) to this monthly series and their running sums over
        months to ``cumulative``; ``scratch``: float64 n x T work space."""
        from riskdesk.engine.kernels import histogram_paths

        histogram_paths(paths, self.lo, self.inv_width, self.counts, cumulative.lo,
                        cumulative.inv_width, cumulative.counts, scratch)
        self.n += paths.shape[0]
        cumulative.n += paths.shape[0]

    def percentiles(self, qs: tuple[int, ...] = PERCENTILES) -> tuple[np.ndarray, float]:
        """(T x len(qs) values, error bound = max bin width, inf if a rank fell outside)."""
        cum = np.cumsum(self.counts, axis=1)
        out = np.empty((self.counts.shape[0], len(qs)))
        outside = False
        for j, q in enumerate(qs):
            h = (self.n - 1) * q / 100.0
            r0 = int(np.floor(h))
            x0, o0 = self._order_stat(cum, r0)
            x1, o1 = self._order_stat(cum, min(r0 + 1, self.n - 1))
            outside |= o0 or o1
            out[:, j] = x0 + (h - r0) * (x1 - x0)
        return out, (float("inf") if outside else float(self.width.max()))

    def _order_stat(self, cum: np.ndarray, r: int) -> tuple[np.ndarray, bool]:
        """Estimated r-th smallest value (0-based) of every month, and whether any fell in the
        under/overflow bins."""
        rows = np.arange(cum.shape[0])
        b = np.argmax(cum > r, axis=1)
        before = np.where(b > 0, cum[rows, np.maximum(b - 1, 0)], 0)
        pos = (r - before + 0.5) / self.counts[rows, b]
        x = self.lo + (b - 1 + pos) * self.width
        return x, bool(np.any((b == 0) | (b == NBINS + 1)))
