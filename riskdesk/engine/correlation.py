"""Nearest correlation matrix (Higham 2002) with before/after diagnostics.

Alternating projections with Dykstra's correction between the positive semi-definite cone
(clip eigenvalues at ``min_eig``) and the unit-diagonal matrices, in the Frobenius norm (weights
W = I). Reference: N. J. Higham, "Computing the nearest correlation matrix - a problem from
finance", IMA J. Numer. Anal. 22 (2002) 329-343.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Repair:
    """Result of a repair: the matrix and what changed."""

    before: np.ndarray
    matrix: np.ndarray
    iterations: int
    min_eig_before: float
    min_eig_after: float

    @property
    def distance(self) -> float:
        """Frobenius norm of the change."""
        return float(np.linalg.norm(self.matrix - self.before))

    def moved_pairs(self, labels: list[str] | None = None, top: int = 10
                    ) -> list[tuple[str, str, float, float]]:
        """The ``top`` pairs (i < j) that moved most: (a, b, before, after)."""
        n = self.before.shape[0]
        labels = labels or [str(i) for i in range(n)]
        iu = np.triu_indices(n, 1)
        delta = np.abs(self.matrix - self.before)[iu]
        order = np.argsort(-delta, kind="stable")[:top]
        return [(labels[iu[0][k]], labels[iu[1][k]], float(self.before[iu][k]),
                 float(self.matrix[iu][k])) for k in order]

    def diagnostics(self, labels: list[str] | None = None) -> dict[str, Any]:
        return {"min_eig_before": self.min_eig_before, "min_eig_after": self.min_eig_after,
                "frobenius_change": self.distance, "iterations": self.iterations,
                "moved_pairs": [{"a": a, "b": b, "before": x, "after": y}
                                for a, b, x, y in self.moved_pairs(labels)]}


def _project_psd(a: np.ndarray, min_eig: float) -> np.ndarray:
    lam, v = np.linalg.eigh((a + a.T) / 2.0)
    return (v * np.maximum(lam, min_eig)) @ v.T


def nearest_correlation(a: np.ndarray, min_eig: float = 0.0, tol: float = 1e-12,
                        max_iter: int = 10_000) -> Repair:
    """Nearest (Frobenius) symmetric, unit-diagonal matrix with eigenvalues >= ``min_eig``.

    ``a`` is symmetrised first. A matrix that already qualifies comes back unchanged.
    """
    a = np.asarray(a, dtype=float)
    a = (a + a.T) / 2.0
    lam0 = float(np.linalg.eigvalsh(a).min()) if a.size else 1.0
    if lam0 >= min_eig and np.allclose(np.diag(a), 1.0):
        return Repair(a, a.copy(), 0, lam0, lam0)
    y = a.copy()
    ds = np.zeros_like(a)
    x = y
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007
        r = y - ds
        x = _project_psd(r, min_eig)
        ds = x - r
        y_new = x.copy()
        np.fill_diagonal(y_new, 1.0)
        change = float(np.linalg.norm(y_new - y)) / max(float(np.linalg.norm(y)), 1e-300)
        y = y_new
        if change < tol:
            break
    # the last step set the diagonal; make sure the eigenvalue floor still holds
    if np.linalg.eigvalsh(y).min() < min_eig - 1e-12:
        y = _project_psd(y, min_eig)
        d = np.sqrt(np.diag(y))
        y = y / np.outer(d, d)
    y = (y + y.T) / 2.0
    np.fill_diagonal(y, 1.0)
    return Repair(a, y, it, lam0, float(np.linalg.eigvalsh(y).min()))
