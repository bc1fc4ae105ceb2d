"""A slow, obviously correct numpy implementation of the engine's model (a test oracle).

Per iteration k and risk i: ``O ~ Bernoulli(p)``, ``X = F^-1(U)`` with the domain's quantile
function, ``L = O X``; monthly delta ``D = L_ebitda @ W`` (EBITDA: risks not affecting capex) and
``L @ W`` (cash flow) with the phasing matrix ``W`` (risks x months). Correlation: whole-sample rank
reordering (Iman-Conover style) of each risk's column of ``L`` (or of ``X`` for apply_to impact) to
the ranks of Gaussian scores with normal-scale correlation ``2 sin(pi rho / 6)``; marginals are
untouched. Plain Monte Carlo with ``numpy.random.default_rng(seed)``; nothing is shared with the
kernels except the registry.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from riskdesk.domain.baseline import BaselinePlan
from riskdesk.domain.registry import Registry
from riskdesk.engine.correlation import nearest_correlation

PERCENTILES = (10, 25, 50, 75, 90)


def reorder_to_ranks(values: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Each column of ``values`` rearranged so its ranks follow the column of ``scores``."""
    out = np.empty_like(values)
    for j in range(values.shape[1]):
        ranks = np.argsort(np.argsort(scores[:, j], kind="stable"), kind="stable")
        out[:, j] = np.sort(values[:, j], kind="stable")[ranks]
    return out


def sample_outcomes(registry: Registry, iterations: int, seed: int,
                    post: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(L, X): compound outcomes and impacts, iterations x quantitative risks."""
    rng = np.random.default_rng(seed)
    risks = registry.quantitative()
    n, r = iterations, len(risks)
    occ = np.empty((n, r), bool)
    x = np.empty((n, r))
    for i, risk in enumerate(risks):
        p, d = risk.effective(post)
        occ[:, i] = rng.random(n) < p
        x[:, i] = d.ppf(rng.random(n))
    corr = registry.correlation
    if r > 1 and not corr.is_empty:
        target = corr.full_matrix([k.id for k in risks])
        normal = 2.0 * np.sin(np.pi * target / 6.0)
        np.fill_diagonal(normal, 1.0)
        if np.linalg.eigvalsh(normal).min() < 1e-10:
            normal = nearest_correlation(normal, min_eig=1e-10).matrix
        scores = rng.standard_normal((n, r)) @ np.linalg.cholesky(normal).T
        if corr.apply_to == "impact":
            x = reorder_to_ranks(x, scores)
            return np.where(occ, x, 0.0), x
        return reorder_to_ranks(np.where(occ, x, 0.0), scores), x
    return np.where(occ, x, 0.0), x


def simulate_reference(registry: Registry, iterations: int, seed: int, post: bool = False,
                       baseline: BaselinePlan | None = None) -> dict[str, Any]:
    """Monthly and cumulative bands, path totals and the outcome matrix, all in float64."""
    risks = registry.quantitative()
    T = registry.months
    L, _x = sample_outcomes(registry, iterations, seed, post)
    W = np.array([k.phasing.weights_over(T) for k in risks]).reshape(len(risks), T)
    is_capex = np.array([k.affects == "capex" for k in risks], bool)
    const = np.zeros(T)
    if post:
        for k in risks:
            w = k.phasing.weights_over(T)
            if k.mitigation_cost > 0 and w.any():
                const[np.flatnonzero(w)[0]] -= k.mitigation_cost
    d_e = L[:, ~is_capex] @ W[~is_capex] + const
    d_c = L @ W + const
    out: dict[str, Any] = {"outcomes": L, "paths": {"ebitda": d_e, "cash_flow": d_c},
                           "totals": {"ebitda": d_e.sum(axis=1), "cash_flow": d_c.sum(axis=1)}}
    for name, d in (("ebitda_delta", d_e), ("cash_flow_delta", d_c)):
        out[name] = {"monthly": _bands(d), "cumulative": _bands(np.cumsum(d, axis=1))}
    return out


def _bands(d: np.ndarray) -> dict[str, np.ndarray]:
    pct = np.percentile(d, PERCENTILES, axis=0)
    res = {f"p{p}": pct[j] for j, p in enumerate(PERCENTILES)}
    res["mean"] = d.mean(axis=0)
    return res
