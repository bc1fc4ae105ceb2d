"""The metalog distribution (Keelin 2016), fitted to quantiles.

Quantile function with ``L = ln(y / (1 - y))`` and ``c = y - 0.5``:
``M(y) = a1 + a2 L + a3 c L + a4 c + a5 c^2 + a6 c^2 L + a7 c^3 + a8 c^3 L + ...``.
With k given quantiles and k terms the coefficients solve a linear system exactly (3 terms from
P10/P50/P90 is the usual closed form); with more quantiles than terms they are the least-squares
solution. Optional bounds transform the value: semi-bounded ``x = lower + exp(M)``, bounded
``x = (lower + upper e^M) / (1 + e^M)``. A fit is *feasible* when ``dM/dy > 0`` on (0, 1), i.e. the
density is positive everywhere; it is checked on a fine logit-spaced grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from riskdesk.domain.problems import ValidationError

MAX_TERMS = 10
_GRID = 1.0 / (1.0 + np.exp(-np.linspace(-16.0, 16.0, 4001)))


def basis(y: np.ndarray, terms: int) -> np.ndarray:
    """(len(y), terms) design matrix of the metalog basis at probabilities ``y``."""
    y = np.asarray(y, float)
    L = np.log(y / (1.0 - y))
    c = y - 0.5
    cols = [np.ones_like(y), L, c * L]
    for j in range(4, terms + 1):
        cols.append(c ** ((j - 1) // 2) if j % 2 == 1 else c ** (j // 2 - 1) * L)
        if j == 4:
            cols[-1] = c
    return np.stack(cols[:terms], axis=1)


def basis_derivative(y: np.ndarray, terms: int) -> np.ndarray:
    """(len(y), terms) derivatives d basis / dy."""
    y = np.asarray(y, float)
    L = np.log(y / (1.0 - y))
    c = y - 0.5
    g = 1.0 / (y * (1.0 - y))
    cols = [np.zeros_like(y), g, L + c * g]
    for j in range(4, terms + 1):
        if j == 4:
            cols.append(np.ones_like(y))
        elif j % 2 == 1:
            k = (j - 1) // 2
            cols.append(k * c ** (k - 1))
        else:
            k = j // 2 - 1
            cols.append(k * c ** (k - 1) * L + c**k * g)
    return np.stack(cols[:terms], axis=1)


@dataclass(frozen=True)
class Metalog:
    """A fitted metalog: coefficients ``a`` and optional bounds (values in the input's units)."""

    a: tuple[float, ...]
    lower: float | None = None
    upper: float | None = None

    @property
    def terms(self) -> int:
        return len(self.a)

    def _m(self, y: np.ndarray) -> np.ndarray:
        return basis(y, self.terms) @ np.asarray(self.a)

    def _dm(self, y: np.ndarray) -> np.ndarray:
        return basis_derivative(y, self.terms) @ np.asarray(self.a)

    def _to_x(self, m: np.ndarray) -> np.ndarray:
        if self.lower is not None and self.upper is not None:
            e = np.exp(-np.abs(m))
            return np.where(m >= 0, (self.lower * e + self.upper) / (1 + e),
                            (self.lower + self.upper * e) / (1 + e))
        if self.lower is not None:
            return self.lower + np.exp(m)
        if self.upper is not None:
            return self.upper - np.exp(-m)
        return m

    def _dx_dm(self, m: np.ndarray) -> np.ndarray:
        if self.lower is not None and self.upper is not None:
            e = np.exp(-np.abs(m))
            return (self.upper - self.lower) * e / (1 + e) ** 2
        if self.lower is not None:
            return np.exp(m)
        if self.upper is not None:
            return np.exp(-m)
        return np.ones_like(m)

    def feasible(self) -> bool:
        """True when the quantile function increases on (0, 1) (a positive density)."""
        return bool(np.all(self._dm(_GRID) > 0))

    def ppf(self, q: np.ndarray | float) -> np.ndarray:
        """Quantiles at probabilities ``q``; q = 0 or 1 give the bounds (or -inf/inf)."""
        q = np.asarray(q, float)
        qc = np.clip(q, 1e-300, 1 - 1e-16)
        with np.errstate(over="ignore"):
            x = self._to_x(self._m(qc.ravel())).reshape(q.shape)
        lo = self.lower if self.lower is not None else -math.inf
        hi = self.upper if self.upper is not None else math.inf
        return np.where(q <= 0, lo, np.where(q >= 1, hi, x))

    def pdf(self, x: np.ndarray | float) -> np.ndarray:
        """Density at ``x`` (by inverting the quantile function)."""
        x = np.asarray(x, float)
        y = self.cdf(x)
        inside = (y > 0) & (y < 1)
        out = np.zeros_like(x, dtype=float)
        yi = y[inside]
        m = self._m(yi)
        dens = 1.0 / (self._dm(yi) * self._dx_dm(m))
        out[inside] = np.where(np.isfinite(dens), dens, 0.0)
        return out

    def cdf(self, x: np.ndarray | float) -> np.ndarray:
        """Cumulative probability at ``x`` by bisection on the logit of y (to ~1e-13)."""
        x = np.asarray(x, float)
        flat = x.ravel()
        lo = np.full(flat.shape, -35.0)
        hi = np.full(flat.shape, 35.0)
        for _ in range(70):
            mid = 0.5 * (lo + hi)
            y = 1.0 / (1.0 + np.exp(-mid))
            with np.errstate(over="ignore"):
                below = self._to_x(self._m(y)) < flat
            lo = np.where(below, mid, lo)
            hi = np.where(below, hi, mid)
        out = 1.0 / (1.0 + np.exp(-0.5 * (lo + hi)))
        out = np.where(out < 1e-17, 0.0, np.where(out > 1 - 1e-16, 1.0, out))
        return out.reshape(x.shape)


def fit_metalog(levels: np.ndarray, values: np.ndarray, terms: int | None = None,
                lower: float | None = None, upper: float | None = None) -> Metalog:
    """Fit a metalog to quantiles ``values`` at probabilities ``levels``.

    ``terms`` defaults to the number of quantiles (exact fit), capped at :data:`MAX_TERMS`.
    Raises ``ValidationError`` if there are fewer quantiles than terms or a value is outside the
    bounds. The result may be infeasible; check :meth:`Metalog.feasible`.
    """
    y = np.asarray(levels, float)
    x = np.asarray(values, float)
    n = len(y)
    k = min(n, MAX_TERMS) if terms is None else int(terms)
    if k < 2:
        raise ValidationError(f"a metalog needs at least 2 terms, got {k}", "terms")
    if k > n:
        raise ValidationError(f"{k} metalog terms need at least {k} quantiles, got {n}", "terms")
    if lower is not None and np.any(x <= lower):
        raise ValidationError(f"every quantile must be above the lower bound {lower:g}", "lower")
    if upper is not None and np.any(x >= upper):
        raise ValidationError(f"every quantile must be below the upper bound {upper:g}", "upper")
    if lower is not None and upper is not None:
        z = np.log((x - lower) / (upper - x))
    elif lower is not None:
        z = np.log(x - lower)
    elif upper is not None:
        z = -np.log(upper - x)
    else:
        z = x
    A = basis(y, k)
    if k == n:
        a = np.linalg.solve(A, z)
    else:
        a = np.linalg.lstsq(A, z, rcond=None)[0]
    return Metalog(tuple(float(v) for v in a), lower, upper)
