"""Fitting distributions to an expert's quantiles (P10/P50/P90, 5/50/95, 5/25/50/75/95, ...).

Families: ``normal``, ``lognormal``, ``uniform``, ``loguniform``, ``pert``, ``triangular``,
``beta`` (scaled to bounds), ``gamma`` and ``metalog``. Values are in the question's units;
levels are non-exceedance probabilities in (0, 1) (P10 = 10% chance of being below).

How each family is fitted:

* normal / lognormal / uniform / loguniform: least squares of x (ln|x|) on the standard quantiles,
  closed form; exact through two quantiles (lognormal from (P10, P90) = (10, 50) gives
  mu = 3.107304, sigma = 0.627926).
* pert / triangular (min, mode, max) and gamma (shape, scale) and beta (alpha, beta on given bounds):
  nonlinear least squares of the fitted quantiles against the given ones.
* metalog: exact with as many terms as quantiles, least squares with fewer terms; unless the number
  of terms is given, terms are dropped (down to 3) until the fit is feasible.
* Lognormal, loguniform and gamma need values of one sign; all-negative values (threats) are fitted
  on their magnitude and mirrored.

``error`` is the root-mean-square difference between fitted and given quantiles divided by the span
of the given quantiles (0 = exact). Best fit (``family=None``) takes the smallest error, preferring
families the registry stores natively (normal, lognormal, pert, triangular, uniform, loguniform) when
their error is within :data:`PREFER_NATIVE_WITHIN` of the smallest.

For the registry, a fit becomes a ``riskdesk.domain.distributions.Distribution``: the same family
where it exists there; gamma, beta and metalog become a ``discrete`` distribution of
:data:`DISCRETE_POINTS` equally likely values at the quantiles (i + 0.5) / n, which keeps every
quantile between P0.5 and P99.5 to within one step and the mean to the midpoint rule's accuracy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import optimize, special, stats

from riskdesk.domain.distributions import PERT_LAMBDA, Distribution
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.elicitation.metalog import Metalog, fit_metalog

FAMILIES = ("normal", "lognormal", "uniform", "loguniform", "pert", "triangular", "beta", "gamma",
            "metalog")
NATIVE = ("normal", "lognormal", "pert", "triangular", "uniform", "loguniform")
PREFER_NATIVE_WITHIN = 0.005
DISCRETE_POINTS = 100


def check_quantiles(levels: Any, values: Any, lower: float | None = None,
                    upper: float | None = None) -> list[Problem]:
    """Coherence problems of an answer: levels inside (0, 1) and increasing, values increasing and
    finite and inside the physical bounds. Each problem names the quantile (e.g. ``P90``)."""
    out: list[Problem] = []
    lv = [float(x) for x in levels]
    vs = [float(x) for x in values]
    if len(lv) != len(vs):
        return [Problem("quantiles", f"{len(lv)} levels but {len(vs)} values")]
    if len(lv) < 2:
        return [Problem("quantiles", "give at least two quantiles")]
    for p, x in zip(lv, vs, strict=True):
        name = label(p)
        if not 0.0 < p < 1.0:
            out.append(Problem(name, f"level {p:g} must be strictly between 0 and 1"))
        if not math.isfinite(x):
            out.append(Problem(name, "value is missing or not a number"))
        elif lower is not None and x < lower:
            out.append(Problem(name, f"{x:g} is below the lower bound {lower:g}"))
        elif upper is not None and x > upper:
            out.append(Problem(name, f"{x:g} is above the upper bound {upper:g}"))
    for k in range(1, len(lv)):
        p0, x0, p1, x1 = lv[k - 1], vs[k - 1], lv[k], vs[k]
        if p1 <= p0:
            out.append(Problem(label(p1), f"levels must increase ({label(p0)} then {label(p1)})"))
        elif math.isfinite(x0) and math.isfinite(x1) and x1 <= x0:
            out.append(Problem(label(p1), f"{label(p1)} = {x1:g} must be above "
                                          f"{label(p0)} = {x0:g}"))
    return out


THREE_POINT_FAMILIES = ("pert", "triangular")
THREE_POINT_NAMES = ("min", "most likely", "max")


def check_three_point(values: Any, lower: float | None = None, upper: float | None = None,
                      positive: bool = False) -> list[Problem]:
    """Coherence problems of a min / most likely / max answer: three finite numbers with
    min < most likely < max, inside the physical bounds (and above 0 when ``positive``, for a
    LOG-scale question). Each problem names its field (``min``, ``most likely``, ``max``)."""
    vs = [float(x) for x in values]
    if len(vs) != 3:
        return [Problem("answer", f"give min, most likely and max (3 values, got {len(vs)})")]
    out: list[Problem] = []
    for name, x in zip(THREE_POINT_NAMES, vs, strict=True):
        if not math.isfinite(x):
            out.append(Problem(name, "value is missing or not a number"))
        elif lower is not None and x < lower:
            out.append(Problem(name, f"{x:g} is below the lower bound {lower:g}"))
        elif upper is not None and x > upper:
            out.append(Problem(name, f"{x:g} is above the upper bound {upper:g}"))
        elif positive and x <= 0:
            out.append(Problem(name, f"{x:g} must be above 0 on a LOG-scale question"))
    lo, mode, hi = vs
    if all(math.isfinite(v) for v in vs):
        if mode <= lo:
            out.append(Problem("most likely", f"most likely {mode:g} must be above the "
                                              f"min {lo:g}"))
        if hi <= mode:
            out.append(Problem("max", f"max {hi:g} must be above the most likely {mode:g}"))
        elif hi <= lo:
            out.append(Problem("max", f"max {hi:g} must be above the min {lo:g}"))
    return out


def label(p: float) -> str:
    """``P10`` for 0.1, ``P2.5`` for 0.025."""
    return f"P{100 * p:.4g}"


@dataclass(frozen=True)
class Fit:
    """A distribution fitted to quantiles; ``params`` are the family's own parameters."""

    family: str
    params: dict[str, float]
    levels: np.ndarray = field(repr=False)
    values: np.ndarray = field(repr=False)
    fitted: np.ndarray = field(repr=False)
    error: float
    feasible: bool = True
    _model: Any = field(default=None, repr=False, compare=False)

    def ppf(self, q: Any) -> np.ndarray:
        return np.asarray(self._model.ppf(np.asarray(q, float)), float)

    def cdf(self, x: Any) -> np.ndarray:
        return np.asarray(self._model.cdf(np.asarray(x, float)), float)

    def pdf(self, x: Any) -> np.ndarray:
        return np.asarray(self._model.pdf(np.asarray(x, float)), float)

    @property
    def max_error(self) -> float:
        """Largest absolute difference between fitted and given quantiles (input units)."""
        return float(np.max(np.abs(self.fitted - self.values)))

    def to_distribution(self) -> Distribution:
        """The registry form (see module docstring for gamma/beta/metalog)."""
        p = self.params
        if self.family == "normal":
            return Distribution("normal", {"mean": p["mu"], "sd": p["sigma"]})
        if self.family == "lognormal":
            mean = math.exp(p["mu"] + 0.5 * p["sigma"] ** 2)
            return Distribution("lognormal", {"mean": mean,
                                              "sd": mean * math.sqrt(math.expm1(p["sigma"] ** 2)),
                                              "sign": p["sign"]})
        if self.family in ("pert", "triangular", "uniform", "loguniform"):
            keys = ("min", "mode", "max") if self.family in ("pert", "triangular") else ("min",
                                                                                          "max")
            return Distribution(self.family, {k: p[k] for k in keys})
        return discretise(self.ppf)

    def describe(self) -> str:
        args = ", ".join(f"{k}={v:.4g}" for k, v in self.params.items() if k != "sign")
        return f"{self.family}({args})"


def discretise(ppf: Any, n: int = DISCRETE_POINTS) -> Distribution:
    """``n`` equally likely values at the quantiles (i + 0.5) / n of ``ppf``."""
    vals = np.asarray(ppf((np.arange(n) + 0.5) / n), float)
    return Distribution("discrete", {"values": [float(v) for v in vals],
                                     "probs": [1.0 / n] * n})


class _Mirror:
    """X = sign * Y for a scipy-like distribution Y of the magnitude."""

    def __init__(self, base: Any, sign: float) -> None:
        self.base, self.sign = base, sign

    def ppf(self, q: np.ndarray) -> np.ndarray:
        return self.base.ppf(q) if self.sign > 0 else -self.base.ppf(1.0 - q)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        return self.base.cdf(x) if self.sign > 0 else self.base.sf(-x)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        return self.base.pdf(self.sign * x)


class _LogUniform:
    def __init__(self, a: float, b: float) -> None:
        self.a, self.b = a, b

    def ppf(self, q: np.ndarray) -> np.ndarray:
        return np.exp(np.log(self.a) + np.clip(q, 0, 1) * np.log(self.b / self.a))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.clip(np.log(np.maximum(x, self.a) / self.a) / np.log(self.b / self.a), 0, 1)

    def sf(self, x: np.ndarray) -> np.ndarray:
        return 1.0 - self.cdf(x)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        inside = (x >= self.a) & (x <= self.b)
        return np.where(inside, 1.0 / (np.where(inside, x, 1.0) * np.log(self.b / self.a)), 0.0)


def _pert_model(a: float, m: float, b: float, lam: float = PERT_LAMBDA) -> Any:
    al = 1.0 + lam * (m - a) / (b - a)
    be = 1.0 + lam * (b - m) / (b - a)
    return stats.beta(al, be, loc=a, scale=b - a)


def _three_point(family: str, a: float, m: float, b: float) -> Any:
    if family == "pert":
        return _pert_model(a, m, b)
    return stats.triang((m - a) / (b - a), loc=a, scale=b - a)


def from_three_point(minimum: float, mode: float, maximum: float, family: str = "pert") -> Fit:
    """PERT or triangular from min / most likely / max (PERT(10, 20, 50): alpha 2, beta 4)."""
    if family not in ("pert", "triangular"):
        raise ValidationError(f"three-point estimates give pert or triangular, not {family!r}",
                              "family")
    probs = Distribution(family, {"min": minimum, "mode": mode, "max": maximum}).validate("answer")
    if probs:
        raise ValidationError(probs)
    model = _three_point(family, minimum, mode, maximum)
    pars = {"min": float(minimum), "mode": float(mode), "max": float(maximum)}
    if family == "pert":
        pars |= {"alpha": float(model.args[0]), "beta": float(model.args[1])}
    lv = np.array([0.0, 0.5, 1.0])
    vals = np.array([minimum, float(model.ppf(0.5)), maximum])
    return Fit(family, pars, lv, vals, vals, 0.0, True, model)


def _rel_error(fitted: np.ndarray, values: np.ndarray) -> float:
    span = float(values[-1] - values[0]) or 1.0
    return float(np.sqrt(np.mean((fitted - values) ** 2)) / span)


def _fit_family(family: str, y: np.ndarray, x: np.ndarray, lower: float | None,
                upper: float | None, terms: int | None) -> Fit:
    z = special.ndtri(y)
    params: dict[str, float]
    feasible = True
    if family in ("lognormal", "loguniform", "gamma"):
        if np.all(x > 0):
            sign = 1.0
        elif np.all(x < 0):
            sign = -1.0
        else:
            raise ValidationError(f"{family} needs all values of one sign (got {x[0]:g} .. "
                                  f"{x[-1]:g})", family)
        mag_y = y if sign > 0 else 1.0 - y[::-1]
        mag_x = x if sign > 0 else -x[::-1]
    if family == "normal":
        sig, mu = np.polyfit(z, x, 1)
        if sig <= 0:
            raise ValidationError("values must increase with the levels", family)
        model, params = stats.norm(mu, sig), {"mu": float(mu), "sigma": float(sig)}
    elif family == "uniform":
        w, a = np.polyfit(y, x, 1)
        model, params = stats.uniform(a, w), {"min": float(a), "max": float(a + w)}
    elif family == "lognormal":
        sig, mu = np.polyfit(special.ndtri(mag_y), np.log(mag_x), 1)
        model = _Mirror(stats.lognorm(sig, scale=math.exp(mu)), sign)
        params = {"mu": float(mu), "sigma": float(sig), "sign": sign}
    elif family == "loguniform":
        w, la = np.polyfit(mag_y, np.log(mag_x), 1)
        a, b = math.exp(la), math.exp(la + w)
        model = _Mirror(_LogUniform(a, b), sign)
        params = {"min": a, "max": b} if sign > 0 else {"min": -b, "max": -a}
    elif family == "gamma":
        def theta(k: float) -> tuple[float, np.ndarray]:
            g = stats.gamma.ppf(mag_y, k)
            t = float(g @ mag_x / (g @ g))
            return t, g * t

        res = optimize.minimize_scalar(lambda lk: float(np.sum((theta(math.exp(lk))[1]
                                                                 - mag_x) ** 2)),
                                       bounds=(-6.0, 9.0), method="bounded",
                                       options={"xatol": 1e-10})
        k = math.exp(res.x)
        t = theta(k)[0]
        model = _Mirror(stats.gamma(k, scale=t), sign)
        params = {"shape": k, "scale": t, "sign": sign}
    elif family in ("pert", "triangular"):
        if len(y) < 3:
            raise ValidationError(f"{family} has three parameters; give at least three "
                                  "quantiles (or min / most likely / max)", family)
        span = x[-1] - x[0]

        def unpack(u: np.ndarray) -> tuple[float, float, float]:
            a = x[0] - math.exp(u[0]) * span
            b = x[-1] + math.exp(u[1]) * span
            return a, a + special.expit(u[2]) * (b - a), b

        def resid(u: np.ndarray) -> np.ndarray:
            return (_three_point(family, *unpack(u)).ppf(y) - x) / span

        start = np.array([math.log(0.5), math.log(0.5), 0.0])
        sol = optimize.least_squares(resid, start, method="lm", xtol=1e-12, ftol=1e-12)
        a, m, b = unpack(sol.x)
        model = _three_point(family, a, m, b)
        params = {"min": a, "mode": m, "max": b}
    elif family == "beta":
        lo, hi = _beta_bounds(x, lower, upper)
        sol = optimize.least_squares(
            lambda u: (lo + (hi - lo) * special.betaincinv(math.exp(u[0]), math.exp(u[1]), y)
                       - x) / (hi - lo), np.zeros(2), method="lm", xtol=1e-12, ftol=1e-12)
        al, be = math.exp(sol.x[0]), math.exp(sol.x[1])
        model = stats.beta(al, be, loc=lo, scale=hi - lo)
        params = {"alpha": al, "beta": be, "min": lo, "max": hi}
    elif family == "metalog":
        ml: Metalog = fit_metalog(y, x, terms, lower, upper)
        if terms is None:  # fewest-error feasible: drop terms until the density is positive
            k = ml.terms
            while not ml.feasible() and k > 3:
                k -= 1
                ml = fit_metalog(y, x, k, lower, upper)
        feasible = ml.feasible()
        model = ml
        params = {f"a{j + 1}": v for j, v in enumerate(ml.a)}
        if lower is not None:
            params["lower"] = lower
        if upper is not None:
            params["upper"] = upper
    else:
        raise ValidationError(f"unknown family {family!r}; expected one of {', '.join(FAMILIES)}",
                              "family")
    fitted = np.asarray(model.ppf(y), float)
    return Fit(family, params, y, x, fitted, _rel_error(fitted, x), feasible, model)


def _beta_bounds(x: np.ndarray, lower: float | None, upper: float | None) -> tuple[float, float]:
    """Bounds of the scaled beta: the physical bounds, else the given quantiles' span extended
    by half of it on each open side."""
    span = x[-1] - x[0]
    lo = lower if lower is not None else x[0] - 0.5 * span
    hi = upper if upper is not None else x[-1] + 0.5 * span
    return float(lo), float(hi)


def fit(quantiles: Any, family: str | None = None, *, lower: float | None = None,
        upper: float | None = None, terms: int | None = None) -> Fit:
    """Fit ``family`` (or the best family when None) to ``quantiles``.

    ``quantiles``: mapping or pairs ``level -> value`` (level a probability in (0, 1)).
    ``lower``/``upper`` are physical bounds: checked against the answer, used as the scaled beta's
    support and the metalog's bounds. Raises ``ValidationError`` for incoherent answers.
    """
    pairs = sorted((dict(quantiles) if not isinstance(quantiles, dict) else quantiles).items())
    y = np.array([float(p) for p, _ in pairs])
    x = np.array([float(v) for _, v in pairs])
    problems = check_quantiles(y, x, lower, upper)
    if problems:
        raise ValidationError(problems)
    if family is not None:
        return _fit_family(family.strip().lower(), y, x, lower, upper, terms)
    fits = []
    for fam in FAMILIES:
        try:
            f = _fit_family(fam, y, x, lower, upper, terms)
        except ValidationError:
            continue
        if f.feasible and math.isfinite(f.error):
            fits.append(f)
    best = min(f.error for f in fits)
    for f in fits:
        if f.family in NATIVE and f.error <= best + PREFER_NATIVE_WITHIN:
            return f
    return min(fits, key=lambda f: f.error)


def fit_all(quantiles: Any, *, lower: float | None = None, upper: float | None = None) -> list[Fit]:
    """Every applicable family's fit, best (smallest error) first."""
    out = []
    for fam in FAMILIES:
        try:
            out.append(fit(quantiles, fam, lower=lower, upper=upper))
        except ValidationError:
            continue
    return sorted(out, key=lambda f: (not f.feasible, f.error))
