"""Reduce simulated paths to small plot-ready arrays.

Conventions: percentiles use numpy's "linear" method (Hyndman & Fan type 7) on the signed value,
non-exceedance (P10 = 10 % of paths at or below). Confidence intervals for a quantile are
distribution-free order-statistic intervals from the normal approximation to the binomial:
ranks ``n q -/+ 1.96 sqrt(n q (1 - q))``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054


@dataclass(frozen=True)
class TornadoBar:
    """One risk's effect on a total (occurrence x impact as one bar).

    ``variance_share`` = Cov(c_i, Z) / Var(Z) (shares sum to 1 over risks for a total without
    constants); ``p50_off`` / ``p50_on`` = P50 of the total with the risk forced off / on, with
    common random numbers; ``swing`` = p50_on - p50_off.
    """

    risk_id: str
    variance_share: float
    p50_off: float
    p50_on: float

    @property
    def swing(self) -> float:
        return self.p50_on - self.p50_off


def tornado(ids: list[str], contrib: np.ndarray, on: np.ndarray, z: np.ndarray,
            sum_c: np.ndarray, sum_cz: np.ndarray, sum_z: float, sum_z2: float, n: int,
            include: np.ndarray | None = None) -> list[TornadoBar]:
    """Tornado bars sorted by |variance share|, then |swing|.

    Shares use full-run sums (``sum_c``, ``sum_cz``: per risk; ``sum_z``, ``sum_z2``: the total;
    ``n`` paths); swings use the first ``len(z)`` paths with per-path contributions ``contrib``
    and forced-on contributions ``on`` (paths x risks). ``include``: risks that move this total.
    """
    inc = np.ones(len(ids), bool) if include is None else np.asarray(include, bool)
    ez = sum_z / n
    var = sum_z2 / n - ez * ez
    p50 = float(np.percentile(z, 50)) if len(z) else 0.0
    p_off = np.full(len(ids), p50)
    p_on = p_off.copy()
    if len(z) and inc.any():  # same values as np.percentile(z[:, None] - contrib, 50, axis=0)
        from riskdesk.engine.kernels import shifted_medians

        cols = np.flatnonzero(inc)
        offs, ons = np.empty(len(cols)), np.empty(len(cols))
        shifted_medians(np.ascontiguousarray(z, float), contrib, on, cols, offs, ons)
        p_off[cols], p_on[cols] = offs, ons
    bars = []
    for i, rid in enumerate(ids):
        cov = sum_cz[i] / n - (sum_c[i] / n) * ez
        share = cov / var if var > 0 and inc[i] else 0.0
        bars.append(TornadoBar(rid, float(share), float(p_off[i]), float(p_on[i])))
    bars.sort(key=lambda b: (-abs(b.variance_share), -abs(b.swing)))
    return bars


def top_n(bars: list[TornadoBar], n: int = 10) -> tuple[list[TornadoBar], float]:
    """The first ``n`` bars and the summed variance share of all the others."""
    return bars[:n], float(sum(b.variance_share for b in bars[n:]))


def quantile_ci(z: np.ndarray, q: float, sorted_: bool = False) -> tuple[float, float, float]:
    """(estimate, lower, upper): linear-percentile estimate and 95 % order-statistic CI."""
    n = len(z)
    s = z if sorted_ else np.sort(z)
    est = float(np.percentile(s, 100 * q))
    half = Z95 * math.sqrt(n * q * (1 - q))
    lo = min(max(int(math.floor(n * q - half)) - 1, 0), n - 1)
    hi = min(max(int(math.ceil(n * q + half)) - 1, 0), n - 1)
    return est, float(s[lo]), float(s[hi])


def p90_halfwidth(z: np.ndarray) -> float:
    """Half-width of the 95 % CI of the P90 of ``z`` (same units as z)."""
    n = len(z)
    half = Z95 * math.sqrt(n * 0.09)
    lo = min(max(int(math.floor(n * 0.9 - half)) - 1, 0), n - 1)
    hi = min(max(int(math.ceil(n * 0.9 + half)) - 1, 0), n - 1)
    part = np.partition(z, (lo, hi))
    return float(part[hi] - part[lo]) / 2.0


@dataclass(frozen=True)
class Convergence:
    """Estimates and 95 % CIs of quantiles of the first ``n`` paths, for growing ``n``."""

    n: np.ndarray
    quantiles: tuple[float, ...]
    estimate: np.ndarray  # len(n) x len(quantiles)
    lower: np.ndarray
    upper: np.ndarray


def convergence(z: np.ndarray, quantiles: tuple[float, ...] = (0.1, 0.5, 0.9),
                points: int = 20, first: int = 100) -> Convergence:
    """Convergence of quantiles of ``z`` over prefixes of geometric sizes ``first .. len(z)``."""
    N = len(z)
    ns = np.unique(np.geomspace(min(first, N), N, points).astype(np.int64))
    est = np.empty((len(ns), len(quantiles)))
    lo, hi = np.empty_like(est), np.empty_like(est)
    for a, n in enumerate(ns):
        s = np.sort(z[:n])
        for b, q in enumerate(quantiles):
            est[a, b], lo[a, b], hi[a, b] = quantile_ci(s, q, sorted_=True)
    return Convergence(ns, tuple(quantiles), est, lo, hi)


def histogram(z: np.ndarray, bins: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """(edges[bins+1], counts[bins]) over the range of ``z``."""
    counts, edges = np.histogram(z, bins=bins)
    return edges, counts


def s_curve(z: np.ndarray, points: int = 201) -> tuple[np.ndarray, np.ndarray]:
    """(values, cumulative probability): the empirical CDF at ``points`` probabilities."""
    p = np.linspace(0.0, 1.0, points)
    return np.percentile(z, 100 * p), p


def rank_correlation(x: np.ndarray) -> np.ndarray:
    """Spearman rank correlation of the columns of ``x`` (average ranks for ties)."""
    from scipy import stats

    r = stats.rankdata(x, axis=0)
    return np.corrcoef(r, rowvar=False)
