"""Investment indicators: NPV (with its discounting convention), IRR (all roots), payback, PI, EMV.

Cash flows are per period, ``per_year`` periods a year, period k covering years [k, k+1)/per_year
from the valuation date. Discount rates are annual effective; a cash flow at time t years is
discounted by (1 + r)^-t. Conventions (``convention``):

* ``end``: flows at the end of their period, t = (k + 1) / per_year;
* ``mid``: flows at mid-period, t = (k + 0.5) / per_year (usual for upstream valuations);
* ``start``: flows at the start, t = k / per_year (numpy-financial ``npv``: the first flow undiscounted);
* ``excel``: Excel's ``NPV(rate, values)``: every value one period later than the last, the first one
  discounted a full period; identical to ``end`` with the rate applied per period.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

CONVENTION_LABELS = {
    "end": "end-of-period discounting",
    "mid": "mid-period discounting",
    "start": "start-of-period discounting (first flow undiscounted)",
    "excel": "Excel NPV style (first value discounted one period)",
}


def discount_factors(n: int, rate: float, per_year: int = 1, convention: str = "end") -> np.ndarray:
    """Discount factor of each of ``n`` periods at annual effective ``rate``."""
    k = np.arange(n, dtype=float)
    if convention == "excel":
        return (1.0 + rate) ** -(k + 1.0) if per_year == 1 else \
            (1.0 + rate) ** (-(k + 1.0) / per_year)
    shift = {"end": 1.0, "mid": 0.5, "start": 0.0}.get(convention)
    if shift is None:
        raise ValueError(f"NPV convention {convention!r} must be one of {', '.join(CONVENTION_LABELS)}")
    return (1.0 + rate) ** (-(k + shift) / per_year)


def npv(cash_flows: np.ndarray | list[float], rate: float, per_year: int = 1,
        convention: str = "end") -> float:
    """Net present value of per-period ``cash_flows`` at annual ``rate`` (see module conventions)."""
    cf = np.asarray(cash_flows, dtype=float)
    return float(cf @ discount_factors(len(cf), rate, per_year, convention))


@dataclass(frozen=True)
class IrrResult:
    """All internal rates of return found (annual effective, ascending) and a note when none."""

    roots: tuple[float, ...]
    note: str = ""

    @property
    def value(self) -> float | None:
        """The single IRR when there is exactly one; None when none or several (see ``roots``)."""
        return self.roots[0] if len(self.roots) == 1 else None

    def describe(self) -> str:
        if not self.roots:
            return self.note
        txt = ", ".join(f"{r:.2%}" for r in self.roots)
        return txt if len(self.roots) == 1 else f"multiple IRRs: {txt}"


def irr_all(cash_flows: np.ndarray | list[float], per_year: int = 1, lo: float = -0.99,
            hi: float = 100.0, grid: int = 4000) -> IrrResult:
    """Every annual rate r in (lo, hi) with NPV(r) = 0 (start-of-period timing; the roots do not
    depend on the convention). Sign changes of NPV on a grid in log(1 + r) are refined by Brent's
    method; a root where NPV only touches zero without crossing is not reported."""
    from scipy.optimize import brentq

    cf = np.asarray(cash_flows, dtype=float)
    nz = cf[np.abs(cf) > 0]
    if nz.size == 0 or np.all(nz > 0) or np.all(nz < 0):
        return IrrResult((), "no IRR: the cash flows never change sign")
    t = np.arange(len(cf)) / per_year
    # x = log(1 + r); NPV(x) = sum cf_k exp(-x t_k), scaled to avoid overflow
    xs = np.linspace(math.log1p(lo), math.log1p(hi), grid)

    def f(x: float) -> float:
        return float(cf @ np.exp(-x * t))

    vals = np.exp(-np.outer(xs, t)) @ cf
    roots: list[float] = []
    for i in range(grid - 1):
        a, b = vals[i], vals[i + 1]
        if a == 0.0:
            roots.append(math.expm1(xs[i]))
        elif a * b < 0.0:
            roots.append(math.expm1(brentq(f, xs[i], xs[i + 1], xtol=1e-14, rtol=1e-13)))
    if not roots:
        return IrrResult((), f"no IRR: NPV does not cross zero for rates between {lo:.0%} and "
                             f"{hi:.0%}")
    return IrrResult(tuple(roots))


def payback_years(cash_flows: np.ndarray | list[float], per_year: int = 1) -> float | None:
    """Years from the start of the first period until the cumulative (undiscounted) cash flow turns
    non-negative for good, each period's flow spread evenly over it (so ``[-100, 40, 40, 40, 40]``
    pays back after 3.5 years); 0 if never negative, None if it never pays back."""
    cf = np.asarray(cash_flows, dtype=float)
    cum = np.cumsum(cf)
    if cum[-1] < 0 or not np.any(cum < 0):
        return None if cum[-1] < 0 else 0.0
    k = int(np.nonzero(cum < 0)[0][-1]) + 1  # first period after the last negative cumulative
    if k >= len(cf):
        return None
    frac = -cum[k - 1] / cf[k]
    return float((k + frac) / per_year)


def profitability_index(cash_flows: np.ndarray, capex: np.ndarray, rate: float, per_year: int = 1,
                        convention: str = "end") -> float | None:
    """PI = (NPV + PV(capex)) / PV(capex): value returned per unit of discounted investment."""
    df = discount_factors(len(cash_flows), rate, per_year, convention)
    pv_capex = float(np.asarray(capex, float) @ df)
    if pv_capex <= 0:
        return None
    return (float(np.asarray(cash_flows, float) @ df) + pv_capex) / pv_capex


def emv(chance_of_success: float, npv_success: float, failure_cost: float) -> float:
    """Expected monetary value: Pg x NPV(success) - (1 - Pg) x failure cost (cost as positive)."""
    return chance_of_success * npv_success - (1.0 - chance_of_success) * failure_cost
