"""Cooke's classical model: calibration, information, performance weights, decision makers.

Conventions (the standard model as in Excalibur/ANDURYL, "PWL" interpolation, chi-square
statistical accuracy):

* Quantile levels ``p_1 < ... < p_Q`` split (0, 1) into Q+1 bins with probabilities
  ``diff([0, p, 1])``. A realisation equal to a quantile counts in the lower bin.
* Calibration = ``1 - F_chi2(2 N I(s||p); Q)`` where ``s`` is the expert's empirical bin frequency
  over the seed items they answered and N the smallest number of answered seed items over all
  experts of the panel (the same N is used for every expert and the decision maker).
* Intrinsic range per item: min/max of all experts' quantiles and the realisation, on ln(value)
  for LOG items, each end extended by ``overshoot`` (10%) of the width.
* Information per item: relative entropy of the expert's piecewise-uniform density (through
  L, q_1..q_Q, U) against the uniform on [L, U]; the expert's score is the mean over answered seed
  items.
* Global weight = calibration x information, zero below the significance level alpha; item weights
  use the per-item information instead. The decision maker (DM) is the weighted mixture of the
  experts' piecewise-uniform CDFs (experts without an answer dropped, weights renormalised), with
  quantiles read off by linear interpolation, and is scored like an expert.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from scipy import stats

from riskdesk.domain.problems import Problem, ValidationError

OVERSHOOT = 0.10
MIN_SEEDS = 5
WeightKind = Literal["global", "item", "equal", "user"]


@dataclass(frozen=True)
class Panel:
    """Experts' quantile answers to a set of items (seed items have a realisation).

    ``values`` has shape (experts, items, quantiles), NaN where an expert did not answer an item;
    ``levels`` are quantile probabilities in (0, 1); ``realisations`` NaN for target items;
    ``log_scale[i]`` True when item ``i`` is on the LOG scale (background log-uniform).
    """

    experts: tuple[str, ...]
    items: tuple[str, ...]
    levels: np.ndarray
    values: np.ndarray
    realisations: np.ndarray
    log_scale: np.ndarray

    @classmethod
    def from_case(cls, case: object) -> Panel:
        """From an ``riskdesk.io.excalibur.ExcaliburCase`` (or anything with the same fields)."""
        return cls(tuple(case.experts), tuple(case.items),  # type: ignore[attr-defined]
                   np.asarray(case.levels, float), np.asarray(case.values, float),  # type: ignore[attr-defined]
                   np.asarray(case.realisations, float),  # type: ignore[attr-defined]
                   np.array([s.upper() == "LOG" for s in case.scales]))  # type: ignore[attr-defined]

    @property
    def seeds(self) -> np.ndarray:
        return np.flatnonzero(~np.isnan(self.realisations))

    @property
    def answered(self) -> np.ndarray:
        """(experts, items) bool: the expert gave all quantiles for the item."""
        return ~np.isnan(self.values).any(axis=2)

    def problems(self, min_seeds: int = MIN_SEEDS) -> list[Problem]:
        """Every reason the panel cannot be scored, each naming expert/item."""
        out: list[Problem] = []
        lv = self.levels
        if lv.ndim != 1 or lv.size < 1 or np.any(lv <= 0) or np.any(lv >= 1) \
                or np.any(np.diff(lv) <= 0):
            out.append(Problem("levels", f"quantile levels {list(lv)} must increase inside (0, 1)"))
        ans = self.answered
        for e, ex in enumerate(self.experts):
            if not ans[e].any():
                out.append(Problem(f"expert {ex}", "the expert has no answers"))
        for e, ex in enumerate(self.experts):
            for i, it in enumerate(self.items):
                if not ans[e, i]:
                    continue
                q = self.values[e, i]
                if np.any(np.diff(q) <= 0):
                    out.append(Problem(f"expert {ex}, item {it}",
                                       f"quantiles {list(map(float, q))} are not increasing"))
                if self.log_scale[i] and q[0] <= 0:
                    out.append(Problem(f"expert {ex}, item {it}", f"LOG-scale item needs positive "
                                       f"values, got {float(q[0]):g}"))
        for i in self.seeds:
            r = self.realisations[i]
            if self.log_scale[i] and r <= 0:
                out.append(Problem(f"item {self.items[i]}", f"realisation {r:g} on a LOG-scale "
                                   "item must be positive"))
        seeds = self.seeds
        if len(seeds) < min_seeds:
            out.append(Problem("seed items", f"{len(seeds)} seed item(s) with a realisation; the "
                               f"classical model needs at least {min_seeds}"))
        elif len(seeds) > 0:
            for e, ex in enumerate(self.experts):
                n = int(ans[e, seeds].sum())
                if ans[e].any() and n == 0:
                    out.append(Problem(f"expert {ex}", "the expert answered no seed item"))
        return out

    def check(self, min_seeds: int = MIN_SEEDS) -> None:
        probs = self.problems(min_seeds)
        if probs:
            raise ValidationError(probs)

    def scaled(self) -> np.ndarray:
        """Values on the interpolation scale (ln for LOG items)."""
        v = self.values.copy()
        with np.errstate(invalid="ignore", divide="ignore"):
            v[:, self.log_scale, :] = np.log(v[:, self.log_scale, :])
        return v

    def scaled_realisations(self) -> np.ndarray:
        r = self.realisations.copy()
        with np.errstate(invalid="ignore", divide="ignore"):
            r[self.log_scale] = np.log(r[self.log_scale])
        return r

    def drop(self, experts: Sequence[int] = (), items: Sequence[int] = ()) -> Panel:
        """The panel without the given expert and item indices (for robustness analysis)."""
        ke = [e for e in range(len(self.experts)) if e not in set(experts)]
        ki = [i for i in range(len(self.items)) if i not in set(items)]
        return replace(self, experts=tuple(self.experts[e] for e in ke),
                       items=tuple(self.items[i] for i in ki),
                       values=self.values[np.ix_(ke, ki)], realisations=self.realisations[ki],
                       log_scale=self.log_scale[ki])


def intrinsic_ranges(panel: Panel, overshoot: float = OVERSHOOT) -> np.ndarray:
    """(items, 2) array of [L, U] on the interpolation scale, extended by ``overshoot``."""
    v = panel.scaled()
    r = panel.scaled_realisations()
    lo = np.fmin(np.nanmin(v, axis=(0, 2)), r)
    hi = np.fmax(np.nanmax(v, axis=(0, 2)), r)
    w = hi - lo
    return np.stack([lo - overshoot * w, hi + overshoot * w], axis=1)


def bin_probabilities(levels: np.ndarray) -> np.ndarray:
    return np.diff(np.concatenate([[0.0], np.asarray(levels, float), [1.0]]))


def calibration_score(counts: np.ndarray, p: np.ndarray, n_eff: int) -> float:
    """Chi-square calibration of bin ``counts`` against bin probabilities ``p`` with N = n_eff."""
    total = counts.sum()
    if total == 0:
        return math.nan
    s = counts / total
    nz = s > 0
    kl = float(np.sum(s[nz] * np.log(s[nz] / p[nz])))
    return float(stats.chi2.sf(2.0 * n_eff * kl, len(p) - 1))


def item_information(q: np.ndarray, lo: float, hi: float, p: np.ndarray) -> float:
    """Relative information of a piecewise-uniform density through (lo, q..., hi) vs uniform."""
    x = np.concatenate([[lo], q, [hi]])
    return float(math.log(hi - lo) + np.sum(p * np.log(p / np.diff(x))))


@dataclass(frozen=True)
class Scores:
    """Calibration, seed-item information, combined score and bin counts of one assessor."""

    calibration: float
    information: float
    information_all: float
    item_information: np.ndarray = field(repr=False)

    @property
    def combined(self) -> float:
        return self.calibration * self.information


def score(q: np.ndarray, panel: Panel, ranges: np.ndarray, n_eff: int) -> Scores:
    """Score one assessor's scaled quantiles ``q`` (items, Q) (NaN rows = unanswered)."""
    p = bin_probabilities(panel.levels)
    r = panel.scaled_realisations()
    answered = ~np.isnan(q).any(axis=1)
    info = np.full(len(panel.items), np.nan)
    for i in np.flatnonzero(answered):
        info[i] = item_information(q[i], ranges[i, 0], ranges[i, 1], p)
    counts = np.zeros(len(p))
    seeds = [i for i in panel.seeds if answered[i]]
    for i in seeds:
        counts[int(np.searchsorted(q[i], r[i], side="left"))] += 1
    cal = calibration_score(counts, p, n_eff)
    seed_info = float(np.mean(info[seeds])) if seeds else math.nan
    all_info = float(np.nanmean(info)) if answered.any() else math.nan
    return Scores(cal, seed_info, all_info, info)


def effective_n(panel: Panel) -> int:
    """Smallest number of answered seed items over the experts (used for every chi-square)."""
    ans = panel.answered[:, panel.seeds]
    return int(ans.sum(axis=1).min())


def mixture_quantiles(qs: np.ndarray, weights: np.ndarray, lo: float, hi: float,
                      levels: np.ndarray) -> np.ndarray:
    """Quantiles at ``levels`` of the weighted mixture of piecewise-uniform CDFs (one item).

    ``qs`` (k, Q) scaled quantiles of the k contributing assessors, ``weights`` (k,) summing to 1.
    """
    grid = np.unique(np.concatenate([[lo, hi], qs.ravel()]))
    cum = np.concatenate([[0.0], levels, [1.0]])
    F = np.zeros_like(grid)
    for qrow, w in zip(qs, weights, strict=True):
        F += w * np.interp(grid, np.concatenate([[lo], qrow, [hi]]), cum)
    return np.interp(levels, F, grid)


def log_mixture_quantiles(qs: np.ndarray, weights: np.ndarray, lo: float, hi: float,
                          levels: np.ndarray) -> np.ndarray:
    """Quantiles of the logarithmic pool (normalised weighted geometric mean of the densities).

    Each piecewise-uniform density is constant between consecutive points of the union grid, so
    the pooled density is too and its CDF is piecewise linear on that grid (exact, no sampling).
    """
    grid = np.unique(np.concatenate([[lo, hi], qs.ravel()]))
    mids = 0.5 * (grid[1:] + grid[:-1])
    p = bin_probabilities(levels)
    logf = np.zeros_like(mids)
    for qrow, w in zip(qs, weights, strict=True):
        x = np.concatenate([[lo], qrow, [hi]])
        dens = p / np.diff(x)
        logf += w * np.log(dens[np.clip(np.searchsorted(x, mids) - 1, 0, len(p) - 1)])
    mass = np.exp(logf - logf.max()) * np.diff(grid)
    cdf = np.concatenate([[0.0], np.cumsum(mass) / mass.sum()])
    return np.interp(levels, cdf, grid)


@dataclass(frozen=True)
class DecisionMaker:
    """A pooled assessor: its quantiles (original scale), scores, weights and alpha."""

    method: str
    alpha: float
    pool: str
    weights: np.ndarray  # (experts,) normalised global weights, or (experts, items) for item weights
    values: np.ndarray  # (items, Q) on the original scale, NaN where no expert answered
    scores: Scores


@dataclass(frozen=True)
class CookeResult:
    """Per-expert scores, the decision maker, and the settings used."""

    panel: Panel
    experts: tuple[Scores, ...]
    dm: DecisionMaker
    n_eff: int
    ranges: np.ndarray

    def table(self) -> list[dict[str, float | str]]:
        """Rows ``{"id", "calibration", "information", "combined", "weight"}``."""
        w = self.dm.weights if self.dm.weights.ndim == 1 else self.dm.weights.mean(axis=1)
        return [{"id": ex, "calibration": s.calibration, "information": s.information,
                 "combined": s.combined, "weight": float(w[e])}
                for e, (ex, s) in enumerate(zip(self.panel.experts, self.experts, strict=True))]


def _weights(kind: WeightKind, expert_scores: Sequence[Scores], alpha: float,
             user: Sequence[float] | None, n_items: int) -> np.ndarray:
    n = len(expert_scores)
    if kind == "equal":
        return np.full(n, 1.0 / n)
    if kind == "user":
        if user is None or len(user) != n:
            raise ValidationError(f"user weights: need {n} weights, got "
                                  f"{0 if user is None else len(user)}", "weights")
        w = np.asarray(user, float)
        if np.any(w < 0) or not np.isfinite(w).all() or w.sum() <= 0:
            raise ValidationError("user weights must be >= 0 with a positive sum", "weights")
        return w / w.sum()
    cal = np.array([s.calibration for s in expert_scores])
    keep = cal >= alpha
    if kind == "global":
        w = np.where(keep, cal * np.array([s.information for s in expert_scores]), 0.0)
        return w / w.sum() if w.sum() > 0 else w
    if kind == "item":
        info = np.array([s.item_information for s in expert_scores])  # (E, I)
        return np.where(keep[:, None], cal[:, None] * np.nan_to_num(info), 0.0)
    raise ValidationError(f"unknown weighting {kind!r}", "weights")


def pool_quantiles(panel: Panel, weights: np.ndarray, ranges: np.ndarray,
                   pool: Literal["linear", "log"] = "linear") -> np.ndarray:
    """(items, Q) pooled quantiles on the interpolation scale; NaN where no weighted expert
    answered. ``weights`` is (experts,) or (experts, items); unanswered experts are dropped and the
    remaining weights renormalised per item."""
    combine = mixture_quantiles if pool == "linear" else log_mixture_quantiles
    v = panel.scaled()
    ans = panel.answered
    out = np.full((len(panel.items), len(panel.levels)), np.nan)
    for i in range(len(panel.items)):
        wi = (weights[:, i] if weights.ndim == 2 else weights) * ans[:, i]
        if wi.sum() <= 0:
            continue
        rows = np.flatnonzero(wi > 0)
        out[i] = combine(v[rows, i], wi[rows] / wi[rows].sum(), ranges[i, 0], ranges[i, 1],
                         panel.levels)
    return out


def unscale(panel: Panel, scaled: np.ndarray) -> np.ndarray:
    """Back from the interpolation scale (exp for LOG items)."""
    out = scaled.copy()
    out[panel.log_scale] = np.exp(out[panel.log_scale])
    return out


def decision_maker(panel: Panel, expert_scores: Sequence[Scores], ranges: np.ndarray, n_eff: int,
                   kind: WeightKind = "global", alpha: float = 0.0,
                   user: Sequence[float] | None = None,
                   pool: Literal["linear", "log"] = "linear") -> DecisionMaker:
    """The DM for weights ``kind`` at significance level ``alpha`` (linear or log pool)."""
    w = _weights(kind, expert_scores, alpha, user, len(panel.items))
    out = pool_quantiles(panel, w, ranges, pool)
    return DecisionMaker(kind, alpha, pool, w, unscale(panel, out),
                         score(out, panel, ranges, n_eff))


def classical_model(panel: Panel, weights: WeightKind = "global", alpha: float | None = 0.0,
                    user: Sequence[float] | None = None, overshoot: float = OVERSHOOT,
                    min_seeds: int = MIN_SEEDS,
                    pool: Literal["linear", "log"] = "linear") -> CookeResult:
    """Score every expert and build the DM; ``alpha=None`` optimises alpha.

    The optimised DM tries each distinct expert calibration score as alpha (ascending) and keeps
    the DM with the highest combined score (calibration x seed information).
    """
    steps = iter_classical_model(panel, weights, alpha, user, overshoot, min_seeds, pool)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def iter_classical_model(panel: Panel, weights: WeightKind = "global",
                         alpha: float | None = 0.0, user: Sequence[float] | None = None,
                         overshoot: float = OVERSHOOT, min_seeds: int = MIN_SEEDS,
                         pool: Literal["linear", "log"] = "linear"
                         ) -> Generator[tuple[int, int], None, CookeResult]:
    """:func:`classical_model` one step at a time: yields (alphas tried, alphas to try) while
    optimising alpha (a caller may stop between steps) and returns the :class:`CookeResult`."""
    panel.check(min_seeds)
    ranges = intrinsic_ranges(panel, overshoot)
    n_eff = effective_n(panel)
    v = panel.scaled()
    ex_scores = tuple(score(v[e], panel, ranges, n_eff) for e in range(len(panel.experts)))
    if alpha is not None or weights in ("equal", "user"):
        dm = decision_maker(panel, ex_scores, ranges, n_eff, weights, alpha or 0.0, user, pool)
    else:
        best: DecisionMaker | None = None
        alphas = sorted({s.calibration for s in ex_scores})
        for k, a in enumerate(alphas):
            cand = decision_maker(panel, ex_scores, ranges, n_eff, weights, a, None, pool)
            if best is None or cand.scores.combined > best.scores.combined:
                best = cand
            yield k + 1, len(alphas)
        assert best is not None
        dm = best
    return CookeResult(panel, ex_scores, dm, n_eff, ranges)


@dataclass(frozen=True)
class RobustnessRow:
    """The DM's scores with one seed item or one expert left out (``removed`` names it)."""

    removed: str
    calibration: float
    information: float
    combined: float


def robustness(panel: Panel, by: Literal["items", "experts"] = "items",
               weights: WeightKind = "global", alpha: float | None = 0.0,
               overshoot: float = OVERSHOOT) -> list[RobustnessRow]:
    """Leave-one-out robustness: re-run the model without each seed item (or each expert).

    Intrinsic ranges, N and the optimised alpha are recomputed for every reduced panel, as
    Excalibur does; user weights are not supported here (use equal, global or item).
    """
    return list(iter_robustness(panel, by, weights, alpha, overshoot))


def robustness_count(panel: Panel, by: Literal["items", "experts"] = "items") -> int:
    """How many reduced panels :func:`iter_robustness` scores."""
    return len(panel.seeds) if by == "items" else len(panel.experts)


def iter_robustness(panel: Panel, by: Literal["items", "experts"] = "items",
                    weights: WeightKind = "global", alpha: float | None = 0.0,
                    overshoot: float = OVERSHOOT) -> Iterator[RobustnessRow]:
    """:func:`robustness` one row at a time (for progress and cancel on large panels)."""
    panel.check(1)
    if by == "items":
        for i in panel.seeds:
            res = classical_model(panel.drop(items=[int(i)]), weights, alpha, None, overshoot, 1)
            s = res.dm.scores
            yield RobustnessRow(panel.items[i], s.calibration, s.information, s.combined)
    else:
        if len(panel.experts) < 2:
            raise ValidationError("leaving an expert out needs at least two experts", "experts")
        for e, ex in enumerate(panel.experts):
            res = classical_model(panel.drop(experts=[e]), weights, alpha, None, overshoot, 1)
            s = res.dm.scores
            yield RobustnessRow(ex, s.calibration, s.information, s.combined)
