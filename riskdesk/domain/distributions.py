"""Impact distributions as parameters, with their rules and closed-form moments/quantiles.

All values are in the registry's currency unit (e.g. kUSD); negative = threat, positive = opportunity.
Families and parameters (as in the ``riskdesk.registry/1`` format):

=============  ==========================================  =====================================
family         parameters                                  notes
=============  ==========================================  =====================================
triangular     min, mode, max                              min <= mode <= max, min < max
pert           min, mode, max                              Beta-PERT with lambda = 4
uniform        min, max                                    min < max
loguniform     min, max                                    same sign, 0 < |min| < |max| ordering
normal         mean, sd                                    sd > 0
lognormal      mean, sd, sign                              mean, sd of the magnitude (> 0);
                                                           value = sign * magnitude, sign = +-1
discrete       values, probs                               probs >= 0 and sum to 1
fixed          value
=============  ==========================================  =====================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from riskdesk.domain.problems import Problem

FAMILIES: dict[str, tuple[str, ...]] = {
    "triangular": ("min", "mode", "max"),
    "pert": ("min", "mode", "max"),
    "uniform": ("min", "max"),
    "loguniform": ("min", "max"),
    "normal": ("mean", "sd"),
    "lognormal": ("mean", "sd", "sign"),
    "discrete": ("values", "probs"),
    "fixed": ("value",),
}

FAMILY_LABELS: dict[str, str] = {
    "triangular": "Triangular",
    "pert": "PERT",
    "uniform": "Uniform",
    "loguniform": "Log-uniform",
    "normal": "Normal",
    "lognormal": "Lognormal",
    "discrete": "Discrete",
    "fixed": "Fixed",
}

PERT_LAMBDA = 4.0


@dataclass(frozen=True)
class Distribution:
    """A univariate distribution by family name and parameters (see module docstring)."""

    family: str
    params: dict[str, Any] = field(default_factory=dict)

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Distribution:
        """Build from ``{"dist": family, **params}`` (the registry JSON form); no validation."""
        d = dict(data)
        fam = str(d.pop("dist", d.pop("family", ""))).strip().lower()
        if fam == "lognormal" and "sign" not in d:
            d["sign"] = 1.0
        return cls(fam, d)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dist": self.family}
        for k in FAMILIES.get(self.family, tuple(self.params)):
            if k in self.params:
                v = self.params[k]
                out[k] = [float(x) for x in v] if isinstance(v, list | tuple) else float(v)
        return out

    def p(self, name: str) -> float:
        return float(self.params[name])

    # ---- rules --------------------------------------------------------------------------
    def validate(self, where: str = "impact") -> list[Problem]:
        """Every problem with the family and its parameters, each naming ``where.param``."""
        fam = self.family
        if fam not in FAMILIES:
            return [Problem(f"{where}.dist", f"unknown distribution {fam!r}; expected one of "
                            + ", ".join(FAMILIES))]
        probs: list[Problem] = []
        for name in FAMILIES[fam]:
            if name not in self.params:
                probs.append(Problem(f"{where}.{name}", f"{fam} needs parameter {name!r}"))
        if probs:
            return probs
        if fam == "discrete":
            return _validate_discrete(self.params, where)
        vals: dict[str, float] = {}
        for name in FAMILIES[fam]:
            try:
                v = float(self.params[name])
            except (TypeError, ValueError):
                probs.append(Problem(f"{where}.{name}", f"{self.params[name]!r} is not a number"))
                continue
            if not math.isfinite(v):
                probs.append(Problem(f"{where}.{name}", f"{v} is not a finite number"))
                continue
            vals[name] = v
        if probs:
            return probs
        if fam in ("triangular", "pert"):
            a, m, b = vals["min"], vals["mode"], vals["max"]
            if a > m:
                probs.append(Problem(f"{where}.mode", f"min {a:g} > mode {m:g}"))
            if m > b:
                probs.append(Problem(f"{where}.mode", f"mode {m:g} > max {b:g}"))
            if not probs and a >= b:
                probs.append(Problem(f"{where}.max", f"max {b:g} must be above min {a:g}"))
        elif fam == "uniform":
            if vals["min"] >= vals["max"]:
                probs.append(Problem(f"{where}.max",
                                     f"max {vals['max']:g} must be above min {vals['min']:g}"))
        elif fam == "loguniform":
            a, b = vals["min"], vals["max"]
            if a == 0 or b == 0 or (a > 0) != (b > 0):
                probs.append(Problem(f"{where}.min", f"log-uniform needs min and max of the same "
                                     f"sign and non-zero (got {a:g}, {b:g})"))
            elif a >= b:
                probs.append(Problem(f"{where}.max", f"max {b:g} must be above min {a:g}"))
        elif fam == "normal":
            if vals["sd"] <= 0:
                probs.append(Problem(f"{where}.sd", f"sd {vals['sd']:g} must be > 0"))
        elif fam == "lognormal":
            if vals["mean"] <= 0:
                probs.append(Problem(f"{where}.mean", f"lognormal mean of the magnitude "
                                     f"{vals['mean']:g} must be > 0 (use sign -1 for threats)"))
            if vals["sd"] <= 0:
                probs.append(Problem(f"{where}.sd", f"sd {vals['sd']:g} must be > 0"))
            if vals["sign"] not in (1.0, -1.0):
                probs.append(Problem(f"{where}.sign", f"sign must be 1 or -1, not {vals['sign']:g}"))
        return probs

    # ---- moments ------------------------------------------------------------------------
    def mean(self) -> float:
        """Expected value of the impact (exact)."""
        f, p = self.family, self.p
        if f == "triangular":
            return (p("min") + p("mode") + p("max")) / 3.0
        if f == "pert":
            return (p("min") + PERT_LAMBDA * p("mode") + p("max")) / (PERT_LAMBDA + 2.0)
        if f == "uniform":
            return (p("min") + p("max")) / 2.0
        if f == "loguniform":
            a, b = p("min"), p("max")
            s = 1.0 if a > 0 else -1.0
            lo, hi = sorted((abs(a), abs(b)))
            return s * (hi - lo) / math.log(hi / lo)
        if f == "normal":
            return p("mean")
        if f == "lognormal":
            return p("sign") * p("mean")
        if f == "discrete":
            return float(np.dot(self.params["values"], self.params["probs"]))
        if f == "fixed":
            return p("value")
        raise ValueError(f"unknown distribution {f!r}")

    def variance(self) -> float:
        """Variance of the impact (exact)."""
        f, p = self.family, self.p
        if f == "triangular":
            a, c, b = p("min"), p("mode"), p("max")
            return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0
        if f == "pert":
            al, be = self.pert_shape()
            w = p("max") - p("min")
            return w * w * al * be / ((al + be) ** 2 * (al + be + 1.0))
        if f == "uniform":
            return (p("max") - p("min")) ** 2 / 12.0
        if f == "loguniform":
            lo, hi = sorted((abs(p("min")), abs(p("max"))))
            L = math.log(hi / lo)
            m2 = (hi * hi - lo * lo) / (2.0 * L)
            m1 = (hi - lo) / L
            return m2 - m1 * m1
        if f == "normal":
            return p("sd") ** 2
        if f == "lognormal":
            return p("sd") ** 2
        if f == "discrete":
            vals = np.asarray(self.params["values"], float)
            wts = np.asarray(self.params["probs"], float)
            mu = float(np.dot(vals, wts))
            return float(np.dot(wts, (vals - mu) ** 2))
        if f == "fixed":
            return 0.0
        raise ValueError(f"unknown distribution {f!r}")

    def pert_shape(self) -> tuple[float, float]:
        a, m, b = self.p("min"), self.p("mode"), self.p("max")
        w = b - a
        return 1.0 + PERT_LAMBDA * (m - a) / w, 1.0 + PERT_LAMBDA * (b - m) / w

    def lognormal_mu_sigma(self) -> tuple[float, float]:
        """(mu, sigma) of ln(magnitude) from the magnitude's mean and sd."""
        m, s = self.p("mean"), self.p("sd")
        s2 = math.log1p((s / m) ** 2)
        return math.log(m) - 0.5 * s2, math.sqrt(s2)

    # ---- quantiles / density (vectorised) -------------------------------------------------
    def ppf(self, q: Any) -> np.ndarray:
        """Quantile function at probabilities ``q`` (array-like in [0, 1])."""
        from scipy import special

        q = np.clip(np.asarray(q, dtype=float), 0.0, 1.0)
        f, p = self.family, self.p
        if f == "triangular":
            a, c, b = p("min"), p("mode"), p("max")
            fc = (c - a) / (b - a)
            lo = a + np.sqrt(q * (b - a) * (c - a))
            hi = b - np.sqrt((1.0 - q) * (b - a) * (b - c))
            return np.where(q < fc, lo, hi)
        if f == "pert":
            al, be = self.pert_shape()
            return p("min") + (p("max") - p("min")) * special.betaincinv(al, be, q)
        if f == "uniform":
            return p("min") + q * (p("max") - p("min"))
        if f == "loguniform":
            a, b = p("min"), p("max")
            if a > 0:
                return np.exp(np.log(a) + q * (np.log(b) - np.log(a)))
            lo, hi = abs(b), abs(a)  # a < b < 0: magnitudes hi..lo
            return -np.exp(np.log(hi) + q * (np.log(lo) - np.log(hi)))
        if f == "normal":
            return p("mean") + p("sd") * special.ndtri(q)
        if f == "lognormal":
            mu, sg = self.lognormal_mu_sigma()
            if p("sign") > 0:
                return np.exp(mu + sg * special.ndtri(q))
            return -np.exp(mu + sg * special.ndtri(1.0 - q))
        if f == "discrete":
            v = np.asarray(self.params["values"], float)
            w = np.asarray(self.params["probs"], float)
            order = np.argsort(v, kind="stable")
            v, w = v[order], w[order]
            cw = np.cumsum(w)
            cw[-1] = 1.0
            idx = np.searchsorted(cw, q, side="left")
            return v[np.minimum(idx, len(v) - 1)]
        if f == "fixed":
            return np.full_like(q, p("value"))
        raise ValueError(f"unknown distribution {f!r}")

    def pdf(self, x: Any) -> np.ndarray:
        """Density at ``x`` (for discrete/fixed: probability mass at the support points)."""
        from scipy import special

        x = np.asarray(x, dtype=float)
        f, p = self.family, self.p
        out = np.zeros_like(x)
        if f == "triangular":
            a, c, b = p("min"), p("mode"), p("max")
            up = (x >= a) & (x < c)
            dn = (x >= c) & (x <= b)
            if c > a:
                out[up] = 2 * (x[up] - a) / ((b - a) * (c - a))
            if b > c:
                out[dn] = 2 * (b - x[dn]) / ((b - a) * (b - c))
            elif c == b:
                out[x == b] = 2.0 / (b - a)
            return out
        if f == "pert":
            al, be = self.pert_shape()
            a, b = p("min"), p("max")
            z = (x - a) / (b - a)
            inside = (z > 0) & (z < 1)
            lb = special.betaln(al, be)
            zi = z[inside]
            out[inside] = np.exp((al - 1) * np.log(zi) + (be - 1) * np.log1p(-zi) - lb) / (b - a)
            return out
        if f == "uniform":
            a, b = p("min"), p("max")
            out[(x >= a) & (x <= b)] = 1.0 / (b - a)
            return out
        if f == "loguniform":
            lo, hi = sorted((abs(p("min")), abs(p("max"))))
            s = 1.0 if p("min") > 0 else -1.0
            m = s * x
            inside = (m >= lo) & (m <= hi)
            out[inside] = 1.0 / (m[inside] * math.log(hi / lo))
            return out
        if f == "normal":
            mu, sd = p("mean"), p("sd")
            return np.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
        if f == "lognormal":
            mu, sg = self.lognormal_mu_sigma()
            m = p("sign") * x
            pos = m > 0
            mp = m[pos]
            out[pos] = np.exp(-0.5 * ((np.log(mp) - mu) / sg) ** 2) / (mp * sg * math.sqrt(2 * math.pi))
            return out
        if f == "discrete":
            for v, w in zip(self.params["values"], self.params["probs"], strict=True):
                out[np.isclose(x, float(v))] += float(w)
            return out
        if f == "fixed":
            out[np.isclose(x, p("value"))] = 1.0
            return out
        raise ValueError(f"unknown distribution {f!r}")

    def cdf(self, x: Any) -> np.ndarray:
        """Cumulative probability at ``x``, by numeric inversion of :meth:`ppf` on a fine grid."""
        x = np.asarray(x, dtype=float)
        qs = np.linspace(0.0, 1.0, 4001)
        xs = self.ppf(qs)
        return np.interp(x, xs, qs, left=0.0, right=1.0)

    def describe(self) -> str:
        """Short human text, e.g. ``PERT(-900, -400, -250)``."""
        label = FAMILY_LABELS.get(self.family, self.family)
        if self.family == "discrete":
            n = len(self.params.get("values", []))
            return f"{label}({n} values)"
        keys = [k for k in FAMILIES.get(self.family, ()) if k != "sign"]
        args = ", ".join(f"{float(self.params[k]):g}" for k in keys if k in self.params)
        if self.family == "lognormal" and float(self.params.get("sign", 1)) < 0:
            return f"-{label}({args})"
        return f"{label}({args})"


def _validate_discrete(params: dict[str, Any], where: str) -> list[Problem]:
    vals, probs_ = params["values"], params["probs"]
    if not isinstance(vals, list | tuple) or not isinstance(probs_, list | tuple):
        return [Problem(f"{where}.values", "discrete needs lists of values and probs")]
    if len(vals) == 0 or len(vals) != len(probs_):
        return [Problem(f"{where}.probs", f"{len(vals)} values but {len(probs_)} probs")]
    out: list[Problem] = []
    try:
        v = [float(x) for x in vals]
        w = [float(x) for x in probs_]
    except (TypeError, ValueError):
        return [Problem(f"{where}.values", "discrete values and probs must be numbers")]
    if not all(math.isfinite(x) for x in v + w):
        out.append(Problem(f"{where}.values", "discrete values and probs must be finite"))
    if any(x < 0 for x in w):
        out.append(Problem(f"{where}.probs", "probabilities must be >= 0"))
    if abs(sum(w) - 1.0) > 1e-6:
        out.append(Problem(f"{where}.probs", f"probabilities sum to {sum(w):.6g}, not 1"))
    return out
