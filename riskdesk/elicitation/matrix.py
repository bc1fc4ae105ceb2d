"""Qualitative risk matrix: likelihood 1-5 and impact 1-5 ratings mapped to numbers.

A :class:`RiskMatrix` maps each likelihood rating to a probability band (probability of occurrence
within the plan horizon) and each impact rating to a band of money magnitudes in the registry's
units, per business unit (the ``"*"`` entry applies to units without their own bands). Converting a
qualitative :class:`riskdesk.domain.risk.Risk` gives it quantitative parameters:

* probability: the band midpoint. (``"uniform"`` treats the probability as uniform within the
  band; a Bernoulli event with a uniformly distributed probability has exactly the midpoint as its
  probability of occurring, so both give the same number and differ only in the recorded method.)
* impact: ``pert`` (min = band low, mode = geometric mean of the band, or the midpoint when the band
  starts at 0, max = band high), ``loguniform`` or ``uniform`` within the band, signed by
  ``sign`` (-1 = threat, the default).

The method is recorded in ``Risk.source`` as ``matrix:<version> L<l>/I<i> <impact method>``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.risk import Risk

Band = tuple[float, float]
IMPACT_METHODS = ("pert", "loguniform", "uniform")
PROBABILITY_METHODS = ("midpoint", "uniform")

DEFAULT_LIKELIHOOD: tuple[Band, ...] = ((0.01, 0.05), (0.05, 0.2), (0.2, 0.5), (0.5, 0.8),
                                        (0.8, 0.99))
DEFAULT_IMPACT: tuple[Band, ...] = ((10.0, 100.0), (100.0, 1_000.0), (1_000.0, 5_000.0),
                                    (5_000.0, 20_000.0), (20_000.0, 100_000.0))
LIKELIHOOD_LABELS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
IMPACT_LABELS = ("Minor", "Moderate", "Serious", "Major", "Severe")


@dataclass(frozen=True)
class RiskMatrix:
    """Likelihood bands (probabilities) and impact bands (money, registry units) per business unit."""

    version: str = "v1"
    likelihood: tuple[Band, ...] = DEFAULT_LIKELIHOOD
    impact: dict[str, tuple[Band, ...]] = field(default_factory=lambda: {"*": DEFAULT_IMPACT})
    units: str = "kUSD"

    def problems(self) -> list[Problem]:
        """Every reason the matrix is unusable (bands count, order, ranges)."""
        out: list[Problem] = []
        out += _check_bands(self.likelihood, "likelihood", 0.0, 1.0)
        if "*" not in self.impact:
            out.append(Problem("impact", "the matrix needs default impact bands ('*')"))
        for bu, bands in self.impact.items():
            out += _check_bands(bands, f"impact[{bu}]", 0.0, math.inf)
        return out

    def impact_bands(self, business_unit: str = "") -> tuple[Band, ...]:
        return self.impact.get(business_unit) or self.impact["*"]

    def probability(self, likelihood: int, method: str = "midpoint") -> float:
        """Probability for a likelihood rating 1-5 (see module docstring)."""
        if method not in PROBABILITY_METHODS:
            raise ValidationError(f"probability method {method!r} is not one of "
                                  + ", ".join(PROBABILITY_METHODS), "probability_method")
        lo, hi = self.likelihood[_rating(likelihood, "likelihood") - 1]
        return 0.5 * (lo + hi)

    def impact_distribution(self, severity: int, business_unit: str = "", method: str = "pert",
                            sign: float = -1.0) -> Distribution:
        """Impact distribution for a rating 1-5 in the business unit's band."""
        lo, hi = self.impact_bands(business_unit)[_rating(severity, "impact") - 1]
        s = -1.0 if sign < 0 else 1.0
        if method == "pert":
            mode = math.sqrt(lo * hi) if lo > 0 else 0.5 * (lo + hi)
            a, m, b = (lo, mode, hi) if s > 0 else (-hi, -mode, -lo)
            return Distribution("pert", {"min": a, "mode": m, "max": b})
        if method == "uniform":
            return Distribution("uniform", {"min": lo if s > 0 else -hi,
                                            "max": hi if s > 0 else -lo})
        if method == "loguniform":
            if lo <= 0:
                raise ValidationError(f"impact band {severity} starts at {lo:g}; a log-uniform "
                                      "impact needs a band above 0", "impact_method")
            return Distribution("loguniform", {"min": lo if s > 0 else -hi,
                                               "max": hi if s > 0 else -lo})
        raise ValidationError(f"impact method {method!r} is not one of "
                              + ", ".join(IMPACT_METHODS), "impact_method")

    def convert(self, risk: Risk, impact_method: str = "pert",
                probability_method: str = "midpoint", sign: float = -1.0) -> Risk:
        """The quantitative version of a qualitative ``risk`` (source records the method)."""
        where = risk.id or "risk"
        if risk.likelihood is None or risk.severity is None:
            raise ValidationError(f"{where} has no likelihood/severity rating to convert",
                                  f"{where}.likelihood")
        probs = self.problems()
        if probs:
            raise ValidationError(probs)
        p = self.probability(risk.likelihood, probability_method)
        dist = self.impact_distribution(risk.severity, risk.business_unit, impact_method, sign)
        method = impact_method if probability_method == "midpoint" else \
            f"{impact_method} p~{probability_method}"
        return risk.with_(kind="quantitative", probability=p, impact=dist,
                          source=f"matrix:{self.version} L{risk.likelihood}/I{risk.severity} "
                                 f"{method}")

    def cells(self, risks: Iterable[Risk]) -> dict[tuple[int, int], list[str]]:
        """Heat-map cells: (likelihood, severity) -> ids of qualitative risks rated there."""
        out: dict[tuple[int, int], list[str]] = {}
        for r in risks:
            if r.kind == "qualitative" and r.likelihood is not None and r.severity is not None:
                out.setdefault((int(r.likelihood), int(r.severity)), []).append(r.id)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "units": self.units,
                "likelihood": [list(b) for b in self.likelihood],
                "impact": {k: [list(b) for b in v] for k, v in self.impact.items()}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RiskMatrix:
        """Inverse of :meth:`to_dict`; raises ``ValidationError`` if the result is unusable."""
        try:
            m = cls(version=str(d.get("version", "v1")), units=str(d.get("units", "kUSD")),
                    likelihood=tuple((float(a), float(b)) for a, b in d["likelihood"]),
                    impact={str(k): tuple((float(a), float(b)) for a, b in v)
                            for k, v in d["impact"].items()})
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(f"malformed risk matrix: {exc}", "matrix") from None
        probs = m.problems()
        if probs:
            raise ValidationError(probs)
        return m


def _rating(v: int, name: str) -> int:
    if not isinstance(v, int) or not 1 <= v <= 5:
        raise ValidationError(f"{name} rating {v!r} must be 1-5", name)
    return v


def _check_bands(bands: tuple[Band, ...], where: str, lo: float, hi: float) -> list[Problem]:
    if len(bands) != 5:
        return [Problem(where, f"needs 5 bands (ratings 1-5), got {len(bands)}")]
    out = []
    for k, (a, b) in enumerate(bands, start=1):
        if not (math.isfinite(a) and math.isfinite(b)) or not lo <= a < b <= hi:
            out.append(Problem(f"{where}[{k}]", f"band {a:g}-{b:g} must satisfy "
                               f"{lo:g} <= low < high <= {hi:g}"))
    for k in range(1, len(bands)):
        if bands[k][0] < bands[k - 1][0]:
            out.append(Problem(f"{where}[{k + 1}]", "bands must increase with the rating"))
    return out
