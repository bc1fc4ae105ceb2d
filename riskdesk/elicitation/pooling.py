"""Opinion pools of experts' fitted distributions.

* Linear pool: ``F(x) = sum_e w_e F_e(x)`` (a mixture); quantiles solve ``F(x) = q`` by bisection
  to ~1e-12 of the span, so they satisfy the weighted cdf to far better than 1e-6.
* Log pool: density ``f(x) proportional to prod_e f_e(x)^w_e``, normalised numerically on a grid of
  :data:`GRID_POINTS` points spanning every expert's P0.01..P99.99; its cdf is the cumulative
  trapezoid on that grid and quantiles interpolate it linearly.

Weights are normalised to sum to 1; equal weights when none are given. Any object with vectorised
``ppf``, ``cdf`` and ``pdf`` (a :class:`riskdesk.elicitation.fitting.Fit`) can be pooled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import ValidationError
from riskdesk.elicitation.fitting import DISCRETE_POINTS, discretise

GRID_POINTS = 4001
TAIL = 1e-4


class Univariate(Protocol):
    def ppf(self, q: Any) -> np.ndarray: ...
    def cdf(self, x: Any) -> np.ndarray: ...
    def pdf(self, x: Any) -> np.ndarray: ...


def normalise_weights(n: int, weights: Sequence[float] | None) -> np.ndarray:
    """Weights as an array summing to 1 (equal when None); errors name the problem."""
    if n == 0:
        raise ValidationError("nothing to pool: no expert answered", "experts")
    if weights is None:
        return np.full(n, 1.0 / n)
    w = np.asarray(weights, float)
    if w.shape != (n,):
        raise ValidationError(f"{n} experts but {w.size} weights", "weights")
    if not np.isfinite(w).all() or np.any(w < 0) or w.sum() <= 0:
        raise ValidationError("weights must be finite, >= 0 and not all zero", "weights")
    return w / w.sum()


def _support(components: Sequence[Univariate], tail: float) -> tuple[float, float]:
    lo = min(float(np.asarray(c.ppf(np.array([tail])))[0]) for c in components)
    hi = max(float(np.asarray(c.ppf(np.array([1 - tail])))[0]) for c in components)
    return lo, hi


@dataclass(frozen=True)
class LinearPool:
    """Weighted mixture of ``components``."""

    components: tuple[Univariate, ...]
    weights: np.ndarray

    def cdf(self, x: Any) -> np.ndarray:
        x = np.asarray(x, float)
        return sum((w * np.asarray(c.cdf(x), float) for c, w in
                    zip(self.components, self.weights, strict=True)), np.zeros_like(x))

    def pdf(self, x: Any) -> np.ndarray:
        x = np.asarray(x, float)
        return sum((w * np.asarray(c.pdf(x), float) for c, w in
                    zip(self.components, self.weights, strict=True)), np.zeros_like(x))

    def ppf(self, q: Any) -> np.ndarray:
        q = np.asarray(q, float)
        flat = np.clip(q.ravel(), 0.0, 1.0)
        qq = np.clip(flat, 1e-12, 1 - 1e-12)
        comp = np.array([np.asarray(c.ppf(qq), float) for c in self.components])
        lo, hi = comp.min(axis=0), comp.max(axis=0)  # the mixture quantile lies between them
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            below = self.cdf(mid) < flat
            lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
            if np.all(hi - lo <= 1e-13 * np.maximum(1.0, np.abs(hi))):
                break
        return (0.5 * (lo + hi)).reshape(q.shape)

    def mean(self, n: int = 20001) -> float:
        """Mean by the midpoint rule on the quantile function (n points)."""
        return float(np.mean(self.ppf((np.arange(n) + 0.5) / n)))

    def to_distribution(self, n: int = DISCRETE_POINTS) -> Distribution:
        return discretise(self.ppf, n)


@dataclass(frozen=True)
class GridPool:
    """A pooled density tabulated on ``x`` (log pool)."""

    x: np.ndarray
    density: np.ndarray
    cumulative: np.ndarray

    def pdf(self, x: Any) -> np.ndarray:
        return np.interp(np.asarray(x, float), self.x, self.density, left=0.0, right=0.0)

    def cdf(self, x: Any) -> np.ndarray:
        return np.interp(np.asarray(x, float), self.x, self.cumulative, left=0.0, right=1.0)

    def ppf(self, q: Any) -> np.ndarray:
        c, keep = np.unique(self.cumulative, return_index=True)
        return np.interp(np.asarray(q, float), c, self.x[keep])

    def mean(self) -> float:
        return float(np.trapezoid(self.x * self.density, self.x))

    def to_distribution(self, n: int = DISCRETE_POINTS) -> Distribution:
        return discretise(self.ppf, n)


def linear_pool(components: Sequence[Univariate],
                weights: Sequence[float] | None = None) -> LinearPool:
    """Linear opinion pool (equal weights when ``weights`` is None)."""
    w = normalise_weights(len(components), weights)
    return LinearPool(tuple(components), w)


def log_pool(components: Sequence[Univariate], weights: Sequence[float] | None = None,
             points: int = GRID_POINTS) -> GridPool:
    """Logarithmic (geometric) opinion pool, renormalised; fails clearly if the experts' supports
    do not overlap (the product density is zero everywhere)."""
    w = normalise_weights(len(components), weights)
    lo, hi = _support(components, TAIL)
    x = np.linspace(lo, hi, points)
    logf = np.zeros_like(x)
    with np.errstate(divide="ignore"):
        for c, wi in zip(components, w, strict=True):
            if wi > 0:
                logf += wi * np.log(np.asarray(c.pdf(x), float))
    if not np.isfinite(logf).any():
        raise ValidationError("the experts' distributions do not overlap; a log pool is empty",
                              "method")
    f = np.exp(logf - np.max(logf[np.isfinite(logf)]))
    f[~np.isfinite(f)] = 0.0
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(x))])
    total = cum[-1]
    return GridPool(x, f / total, cum / total)
