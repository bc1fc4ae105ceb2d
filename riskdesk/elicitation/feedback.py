"""Feedback in words: what an expert's quantiles say, read back in plain language.

Levels are non-exceedance probabilities: P90 = 7 months means "a 1 in 10 chance it exceeds 7
months". Chances are written as "1 in N" when 1/p is (nearly) a whole number up to 100, otherwise
as a percentage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def chance(p: float) -> str:
    """``0.1 -> "a 1 in 10 chance"``, ``0.25 -> "a 1 in 4 chance"``, ``0.3 -> "a 30% chance"``."""
    if p <= 0:
        return "no chance"
    if p >= 1:
        return "certainty"
    if p <= 0.5:
        n = 1.0 / p
        if abs(n - round(n)) < 1e-6 * n and round(n) <= 100:
            return f"a 1 in {round(n)} chance"
    return f"a {100 * p:.3g}% chance"


def number(x: float, units: str = "") -> str:
    """A value with 4 significant figures and its unit (``7 months``, ``1.25e+06 kUSD``)."""
    text = f"{x:,.4g}" if abs(x) < 1e6 else f"{x:.4g}"
    return f"{text} {units}".strip()


def sentence(level: float, value: float, subject: str = "the value", units: str = "") -> str:
    """One quantile in words, e.g. ``You are saying a 1 in 10 chance the delay exceeds 7 months.``"""
    v = number(value, units)
    if abs(level - 0.5) < 1e-9:
        return f"You are saying {subject} is as likely to be above {v} as below it."
    if level > 0.5:
        return f"You are saying {chance(1 - level)} {subject} exceeds {v}."
    return f"You are saying {chance(level)} {subject} is below {v}."


def interval_sentence(lo_level: float, lo: float, hi_level: float, hi: float,
                      subject: str = "the value", units: str = "") -> str:
    """The central interval in words (``an 80% chance the delay is between 3 and 7 months``)."""
    p = hi_level - lo_level
    return (f"You are {100 * p:.3g}% sure {subject} is between {number(lo)} and "
            f"{number(hi, units)}.")


def describe_answer(quantiles: Any, subject: str = "the value", units: str = "",
                    fit: Any | None = None) -> list[str]:
    """Sentences for an answer ``{level: value}``: the outer quantiles, the median, the central
    interval and (given a fit) its mean and family."""
    pairs: Sequence[tuple[float, float]] = sorted(
        (float(p), float(v)) for p, v in (quantiles.items() if isinstance(quantiles, dict)
                                          else quantiles))
    if not pairs:
        return []
    out: list[str] = []
    (p_lo, x_lo), (p_hi, x_hi) = pairs[0], pairs[-1]
    if len(pairs) >= 2:
        out.append(sentence(p_hi, x_hi, subject, units))
        out.append(sentence(p_lo, x_lo, subject, units))
        out.append(interval_sentence(p_lo, x_lo, p_hi, x_hi, subject, units))
    for p, x in pairs:
        if abs(p - 0.5) < 1e-9:
            out.append(sentence(p, x, subject, units))
    if fit is not None:
        import numpy as np

        m = float(np.mean(fit.ppf((np.arange(2000) + 0.5) / 2000)))
        out.append(f"Fitted {fit.family} distribution: mean {number(m, units)}, fit error "
                   f"{100 * fit.error:.2f}% of the range.")
    return out


def describe_three_point(minimum: float, mode: float, maximum: float, subject: str = "the value",
                         units: str = "", fit: Any | None = None) -> list[str]:
    """Sentences for a min / most likely / max answer and (given its fitted PERT or triangular
    distribution) what that fit says at P10, P50 and P90 and its mean."""
    out = [f"You are saying {subject} cannot be below {number(minimum, units)} or above "
           f"{number(maximum, units)}, and is most likely about {number(mode, units)}."]
    if fit is not None:
        import numpy as np

        p10, p50, p90 = (float(v) for v in fit.ppf(np.array([0.1, 0.5, 0.9])))
        m = float(np.mean(fit.ppf((np.arange(2000) + 0.5) / 2000)))
        name = "PERT" if fit.family == "pert" else fit.family
        out += [f"Read as a {name} distribution, that is {chance(0.1)} {subject} exceeds "
                f"{number(p90, units)} and {chance(0.1)} it is below {number(p10, units)}.",
                f"Its median is {number(p50, units)} (as likely above as below) and its mean "
                f"is {number(m, units)}."]
    return out
