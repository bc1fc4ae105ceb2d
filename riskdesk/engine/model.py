"""Turn a registry into the flat arrays the kernels read (validated; nothing Numba-specific here).

Per quantitative risk ``i`` (in registry order): a family code and parameters, the occurrence
probability, the probability ``P(X < 0)`` that places the compound outcome's zero atom, the phasing
as sparse (month, weight) lists, whether it is capex (cash flow only), and the Cholesky factor of
the normal-scale correlation of the Gaussian copula.

Correlation targets are Spearman rank correlations; the copula uses the normal-scale matrix
``2 sin(pi rho / 6)`` (exact for a Gaussian copula), repaired to the nearest correlation matrix when
that transform leaves it slightly indefinite.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import Registry, psd_problems

FIXED, UNIFORM, TRIANGULAR, PERT, LOGUNIFORM, NORMAL, LOGNORMAL, DISCRETE = range(8)
FAMILY_CODES = {"fixed": FIXED, "uniform": UNIFORM, "triangular": TRIANGULAR, "pert": PERT,
                "loguniform": LOGUNIFORM, "normal": NORMAL, "lognormal": LOGNORMAL,
                "discrete": DISCRETE}
PERT_NODES = 2048  # PERT quantile table: nodes at u = (1 - cos(pi j / M)) / 2, j = 0..M
METHODS = ("iman-conover", "gaussian-copula")
APPLY_TO = ("compound", "impact")


@dataclass
class CompiledModel:
    """Kernel inputs for one registry, pre- or post-mitigation (arrays indexed by risk)."""

    risk_ids: list[str]
    months: int
    fam: np.ndarray          # int64[R]
    par: np.ndarray          # float64[R, 4]
    prob: np.ndarray         # float64[R]
    neg: np.ndarray          # float64[R]  P(X < 0)
    pert_tab: np.ndarray     # float64[K, M+1]
    disc_v: np.ndarray       # float64[*] sorted discrete values
    disc_cw: np.ndarray      # float64[*] cumulative weights
    ph_ptr: np.ndarray       # int64[R+1]
    ph_month: np.ndarray     # int64[nnz]
    ph_w: np.ndarray         # float64[nnz]
    wsum: np.ndarray         # float64[R] share of the impact inside the horizon
    capex: np.ndarray        # bool[R]
    const_e: np.ndarray      # float64[T] deterministic EBITDA delta (mitigation cost)
    const_c: np.ndarray      # float64[T] deterministic cash-flow delta
    fac_ptr: np.ndarray      # int64[R+1]  copula loadings A (z = A e), rows as sparse lists
    fac_col: np.ndarray      # int64[nnz]  factor index
    fac_val: np.ndarray      # float64[nnz] loading
    rkey: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per risk id
    dkey: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # per draw stream
    nfac: int = 0            # number of independent normal factors (0 = independent risks)
    apply_impact: bool = False
    method: str = "independent"
    notes: list[str] = field(default_factory=list)
    target: np.ndarray | None = None
    repair: dict[str, Any] | None = None

    @property
    def correlated(self) -> bool:
        return self.nfac > 0

    def expected_total(self, capex: bool | None = None) -> float:
        """Analytic mean of the total delta: sum p * E[X] * w (+ constants); capex=None: all."""
        sel = np.ones_like(self.capex) if capex is None else (~self.capex if not capex
                                                               else self.capex)
        return float(np.sum(self.prob * self._impact_means * self.wsum * sel))

    _impact_means: np.ndarray = field(default_factory=lambda: np.zeros(0))


def _p_negative(d: Distribution) -> float:
    """P(X < 0) for the impact distribution (exact per family)."""
    f, p = d.family, d.p
    if f == "fixed":
        return 1.0 if p("value") < 0 else 0.0
    if f == "uniform":
        return float(np.clip(-p("min") / (p("max") - p("min")), 0.0, 1.0))
    if f == "triangular":
        a, c, b = p("min"), p("mode"), p("max")
        if 0 <= a:
            return 0.0
        if 0 >= b:
            return 1.0
        if 0 <= c:
            return (0 - a) ** 2 / ((b - a) * (c - a))
        return 1.0 - (b - 0) ** 2 / ((b - a) * (b - c))
    if f == "pert":
        a, b = p("min"), p("max")
        al, be = d.pert_shape()
        from riskdesk.engine.special_cache import beta_cdf

        return beta_cdf(al, be, float(np.clip((0 - a) / (b - a), 0.0, 1.0)))
    if f == "loguniform":
        return 1.0 if p("min") < 0 else 0.0
    if f == "normal":
        return 0.5 * math.erfc(p("mean") / p("sd") / math.sqrt(2.0))  # Phi(-mean / sd)
    if f == "lognormal":
        return 1.0 if p("sign") < 0 else 0.0
    if f == "discrete":
        return float(sum(w for v, w in zip(d.params["values"], d.params["probs"], strict=True)
                         if float(v) < 0))
    raise ValueError(f)


@functools.lru_cache(maxsize=256)
def _beta_table(al: float, be: float) -> np.ndarray:
    """Beta(al, be) quantiles at the table nodes (read-only, cached by shape)."""
    from riskdesk.engine.special_cache import beta_quantiles

    j = np.arange(PERT_NODES + 1)
    u = 0.5 * (1.0 - np.cos(np.pi * j / PERT_NODES))
    out = beta_quantiles(al, be, u)
    out.setflags(write=False)
    return out


def _pert_table(d: Distribution) -> np.ndarray:
    al, be = d.pert_shape()
    return d.p("min") + (d.p("max") - d.p("min")) * _beta_table(al, be)


def compile_model(registry: Registry, post: bool = False, method: str | None = None,
                  repair_consent: bool = False) -> CompiledModel:
    """Validate ``registry`` and build the kernel arrays; raises ValidationError naming fields.

    ``method`` overrides the registry's correlation method; ``repair_consent`` allows replacing a
    target matrix that is not positive semi-definite by its nearest correlation matrix (Higham).
    """
    from riskdesk.engine.correlation import nearest_correlation

    problems = registry.validate()
    psd = [p for p in problems if p.where == "correlation" and "semi-definite" in p.message]
    if repair_consent:
        problems = [p for p in problems if p not in psd]
    elif psd:
        problems = [Problem(p.where, p.message + "; repair it to the nearest valid matrix "
                            "(with consent) or edit the correlations") if p in psd else p
                    for p in problems]
    corr = registry.correlation
    if corr.method not in METHODS:
        problems.append(Problem("correlation.method", f"unknown method {corr.method!r}; "
                                f"expected one of {', '.join(METHODS)}"))
    if corr.apply_to not in APPLY_TO:
        problems.append(Problem("correlation.apply_to", f"unknown apply_to {corr.apply_to!r}; "
                                f"expected one of {', '.join(APPLY_TO)}"))
    if problems:
        raise ValidationError(problems)
    T = registry.months
    risks = registry.quantitative()
    R = len(risks)
    fam = np.zeros(R, np.int64)
    par = np.zeros((R, 4))
    prob = np.zeros(R)
    neg = np.zeros(R)
    means = np.zeros(R)
    tabs: list[np.ndarray] = []
    dv: list[float] = []
    dcw: list[float] = []
    ptr = [0]
    months: list[int] = []
    weights: list[float] = []
    wsum = np.zeros(R)
    capex = np.zeros(R, bool)
    const_e = np.zeros(T)
    const_c = np.zeros(T)
    for i, r in enumerate(risks):
        p, d = r.effective(post)
        prob[i] = p
        fam[i] = FAMILY_CODES[d.family]
        neg[i] = _p_negative(d)
        means[i] = d.mean()
        _fill_params(d, par[i], tabs, dv, dcw)
        w = r.phasing.weights_over(T)
        nz = np.flatnonzero(w)
        months += nz.tolist()
        weights += w[nz].tolist()
        ptr.append(len(months))
        wsum[i] = float(w.sum())
        capex[i] = r.affects == "capex"
        if post and r.mitigation_cost > 0 and nz.size:
            const_e[nz[0]] -= r.mitigation_cost
            const_c[nz[0]] -= r.mitigation_cost
    m = CompiledModel(
        risk_ids=[r.id for r in risks], months=T, fam=fam, par=par, prob=prob, neg=neg,
        pert_tab=np.array(tabs) if tabs else np.zeros((1, PERT_NODES + 1)),
        disc_v=np.array(dv, float), disc_cw=np.array(dcw, float),
        ph_ptr=np.array(ptr, np.int64), ph_month=np.array(months, np.int64),
        ph_w=np.array(weights, float), wsum=wsum, capex=capex, const_e=const_e,
        const_c=const_c, fac_ptr=np.zeros(R + 1, np.int64), fac_col=np.zeros(0, np.int64),
        fac_val=np.zeros(0), apply_impact=corr.apply_to == "impact",
    )
    m._impact_means = means
    m.rkey = np.array([stream_id("risk", r) for r in m.risk_ids], np.int64)
    m.dkey = m.rkey.copy()
    if R > 1 and not corr.is_empty:
        _attach_correlation(m, registry, method or corr.method, nearest_correlation)
    return m


def _fill_params(d: Distribution, row: np.ndarray, tabs: list[np.ndarray], dv: list[float],
                 dcw: list[float]) -> None:
    f, p = d.family, d.p
    if f == "fixed":
        row[0] = p("value")
    elif f == "uniform":
        row[0], row[1] = p("min"), p("max")
    elif f == "triangular":
        a, c, b = p("min"), p("mode"), p("max")
        row[:] = (a, c, b, (c - a) / (b - a))
    elif f == "pert":
        row[0] = len(tabs)
        tabs.append(_pert_table(d))
    elif f == "loguniform":
        a, b = p("min"), p("max")
        row[:3] = (1.0 if a > 0 else -1.0, math.log(abs(a)), math.log(abs(b)))
    elif f == "normal":
        row[0], row[1] = p("mean"), p("sd")
    elif f == "lognormal":
        mu, sg = d.lognormal_mu_sigma()
        row[:3] = (mu, sg, p("sign"))
    elif f == "discrete":
        v = np.asarray(d.params["values"], float)
        w = np.asarray(d.params["probs"], float)
        order = np.argsort(v, kind="stable")
        cw = np.cumsum(w[order])
        cw /= cw[-1]
        row[0], row[1] = len(dv), len(v)
        dv.extend(v[order].tolist())
        dcw.extend(cw.tolist())


def _attach_correlation(m: CompiledModel, registry: Registry, method: str, nearest: Any) -> None:
    target = registry.correlation.full_matrix(m.risk_ids)
    if psd_problems(target):
        rep = nearest(target)
        m.repair = rep.diagnostics(m.risk_ids)
        m.notes.append(f"target correlation repaired with consent (smallest eigenvalue "
                       f"{rep.min_eig_before:.4g} -> {rep.min_eig_after:.4g})")
        target = rep.matrix
    m.target = target
    loadings = None if m.repair else _block_loadings(registry, m.risk_ids)
    if loadings is None:
        normal = 2.0 * np.sin(np.pi * target / 6.0)
        np.fill_diagonal(normal, 1.0)
        if np.linalg.eigvalsh(normal).min() < 1e-10:
            normal = nearest(normal, min_eig=1e-10).matrix
            m.notes.append("normal-scale copula matrix adjusted to the nearest positive definite "
                           "one")
        chol = np.linalg.cholesky(normal)
        rows = [[(j, chol[i, j]) for j in range(i + 1) if chol[i, j] != 0.0]
                for i in range(len(m.risk_ids))]
        loadings = (rows, len(m.risk_ids), m.rkey.copy())
    rows, m.nfac, m.dkey = loadings
    m.fac_ptr = np.cumsum([0] + [len(r) for r in rows]).astype(np.int64)
    m.fac_col = np.array([j for r in rows for j, _ in r], np.int64)
    m.fac_val = np.array([v for r in rows for _, v in r], float)
    m.method = "gaussian-copula"
    if method == "iman-conover":
        m.notes.append("iman-conover targets induced by the equivalent Gaussian copula on the "
                       "compound outcome's quantile (per path, so chunking cannot change results)")


def stream_id(kind: str, name: str) -> int:
    """A stable 63-bit stream number for a risk id or block name (SHA-256 based)."""
    import hashlib

    h = hashlib.sha256(f"{kind}:{name}".encode()).digest()
    return int.from_bytes(h[:8], "little") & (2**63 - 1)


def _block_loadings(registry: Registry, ids: list[str]
                    ) -> tuple[list[list[tuple[int, float]]], int, np.ndarray] | None:
    """Exact one-factor-per-block loadings for a blocks/between target, if it has that form.

    Normal-scale ``b`` between blocks and ``a_k`` inside block k (0 <= b <= a_k):
    ``z_i = sqrt(b) G + sqrt(a_k - b) F_k + sqrt(1 - a_k) e_i`` reproduces the matrix with
    1 + K + R factors and 3 terms per risk instead of a dense Cholesky row.
    """
    corr = registry.correlation
    if corr.matrix is not None or corr.pairs:
        return None
    pos = {r: i for i, r in enumerate(ids)}
    block_of: dict[int, int] = {}
    for k, (_name, members, _rho) in enumerate(corr.blocks):
        for r in members:
            if r in pos:
                if pos[r] in block_of:
                    return None
                block_of[pos[r]] = k
    b = 2.0 * math.sin(math.pi * corr.between / 6.0)
    a = [2.0 * math.sin(math.pi * rho / 6.0) for _n, _m, rho in corr.blocks]
    if b < 0 or any(x < b or x > 1 for x in a):
        return None
    K, R = len(corr.blocks), len(ids)
    rows = []
    for i in range(R):
        row = [(0, math.sqrt(b))] if b > 0 else []
        blk = block_of.get(i)
        ak = b if blk is None else a[blk]
        if blk is not None and ak > b:
            row.append((1 + blk, math.sqrt(ak - b)))
        if ak < 1:
            row.append((1 + K + i, math.sqrt(1.0 - ak)))
        rows.append(row)
    dkey = [stream_id("global", "")] + [stream_id("block", n) for n, _m, _r in corr.blocks] \
        + [stream_id("risk", r) for r in ids]
    return rows, 1 + K + R, np.array(dkey, np.int64)
