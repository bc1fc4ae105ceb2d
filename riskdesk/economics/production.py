"""Production forecasts: linear ramp-up, plateau, then Arps decline (optionally modified hyperbolic).

Conventions: rates ``q`` in product units per day (e.g. bbl/d); time ``t`` in years; decline rates
per year; a year has :data:`DAYS_PER_YEAR` = 365.25 days, so cumulative volume
``Np(t) = 365.25 * integral q dt`` is in product units (bbl).

Decline-rate types (SPE/PRMS usage): *nominal* ``D`` is the instantaneous continuous rate
``-dq/dt / q``; *tangent effective* ``De = 1 - exp(-D)`` (the one-year drop on the exponential
tangent to the curve at t=0); *secant effective* ``De = 1 - (1 + b D)^(-1/b)`` (the actual one-year
drop of the hyperbolic, ``= 1 - exp(-D)`` at b = 0).

The scalar functions use only :mod:`math` and are ``jitable``: plain Python here, compiled into the
stochastic kernels (:mod:`riskdesk.economics.kernels`) as the very same code.
"""

from __future__ import annotations

import math

import numpy as np

from riskdesk.economics.jitable import jitable

DAYS_PER_YEAR = 365.25
DECLINE_TYPES = ("nominal", "tangent", "secant")
_B_EPS = 1e-9


def nominal_from_tangent(de: float) -> float:
    """Nominal decline from a tangent effective annual decline: D = -ln(1 - De)."""
    return -math.log1p(-de)


def tangent_from_nominal(d: float) -> float:
    """Tangent effective annual decline from nominal: De = 1 - exp(-D)."""
    return -math.expm1(-d)


def nominal_from_secant(de: float, b: float) -> float:
    """Nominal decline from a secant effective annual decline: D = ((1 - De)^-b - 1) / b."""
    if b < _B_EPS:
        return nominal_from_tangent(de)
    return ((1.0 - de) ** (-b) - 1.0) / b


def secant_from_nominal(d: float, b: float) -> float:
    """Secant effective annual decline from nominal: De = 1 - (1 + b D)^(-1/b)."""
    if b < _B_EPS:
        return tangent_from_nominal(d)
    return 1.0 - (1.0 + b * d) ** (-1.0 / b)


def to_nominal(rate: float, kind: str, b: float) -> float:
    """Convert a decline rate of type ``kind`` (nominal/tangent/secant) to nominal per year."""
    if kind == "nominal":
        return rate
    if kind == "tangent":
        return nominal_from_tangent(rate)
    if kind == "secant":
        return nominal_from_secant(rate, b)
    raise ValueError(f"decline type {kind!r} must be one of {', '.join(DECLINE_TYPES)}")


@jitable
def arps_rate(qi: float, di: float, b: float, t: float) -> float:
    """Arps rate at t years: exponential (b=0), hyperbolic (0<b<1), harmonic (b=1); nominal di."""
    if b < _B_EPS:
        return qi * math.exp(-di * t)
    return qi / (1.0 + b * di * t) ** (1.0 / b)


@jitable
def arps_cum(qi: float, di: float, b: float, t: float) -> float:
    """Arps cumulative volume to t years (units, with 365.25 d/yr); di nominal per year."""
    if t <= 0.0:
        return 0.0
    if di <= 0.0:
        return DAYS_PER_YEAR * qi * t
    if b < _B_EPS:
        return DAYS_PER_YEAR * qi / di * (-math.expm1(-di * t))
    if abs(b - 1.0) < _B_EPS:
        return DAYS_PER_YEAR * qi / di * math.log1p(di * t)
    return DAYS_PER_YEAR * qi / ((1.0 - b) * di) * (1.0 - (1.0 + b * di * t) ** (1.0 - 1.0 / b))


@jitable
def switch_point(qi: float, di: float, b: float, dlim: float) -> tuple[float, float, float]:
    """Where a modified hyperbolic turns exponential: (ts years, rate there, cumulative there);
    ts = inf when there is no switch (``dlim <= 0``, b = 0, or ``di <= dlim``)."""
    if dlim <= 0.0 or b < _B_EPS or di <= dlim:
        return math.inf, 0.0, 0.0
    ts = (di / dlim - 1.0) / (b * di)
    return ts, arps_rate(qi, di, b, ts), arps_cum(qi, di, b, ts)


@jitable
def decline_cum(qi: float, di: float, b: float, dlim: float, ts: float, qs: float, ns: float,
                t: float) -> float:
    """Modified-hyperbolic cumulative at t years given its :func:`switch_point` (ts, qs, ns)."""
    if dlim > 0.0 and di <= dlim:
        return arps_cum(qi, dlim, 0.0, t)  # already at or below the terminal decline
    if t <= ts:
        return arps_cum(qi, di, b, t)
    return ns + arps_cum(qs, dlim, 0.0, t - ts)


@jitable
def modified_cum(qi: float, di: float, b: float, dlim: float, t: float) -> float:
    """Modified hyperbolic: Arps until the nominal decline di/(1+b di t) falls to ``dlim``
    (nominal), exponential at ``dlim`` after. ``dlim <= 0`` means plain Arps."""
    ts, qs, ns = switch_point(qi, di, b, dlim)
    return decline_cum(qi, di, b, dlim, ts, qs, ns, t)


@jitable
def modified_rate(qi: float, di: float, b: float, dlim: float, t: float) -> float:
    """Rate of the modified hyperbolic at t years (see :func:`modified_cum`)."""
    if dlim <= 0.0 or b < _B_EPS or di <= dlim:
        if di <= dlim and dlim > 0.0:
            return arps_rate(qi, dlim, 0.0, t)
        return arps_rate(qi, di, b, t)
    ts = (di / dlim - 1.0) / (b * di)
    if t <= ts:
        return arps_rate(qi, di, b, t)
    return arps_rate(qi, di, b, ts) * math.exp(-dlim * (t - ts))


@jitable
def profile_cum(t: float, rate: float, start: float, ramp: float, plateau: float, di: float,
                b: float, dlim: float, ts: float, qs: float, ns: float) -> float:
    """Cumulative volume to t years of a profile: nothing before ``start``, a linear ramp from 0
    to ``rate`` over ``ramp`` years, ``plateau`` years flat, then modified-hyperbolic decline
    (nominal ``di``/``dlim`` per year) whose :func:`switch_point` is (ts, qs, ns)."""
    s = t - start
    if s <= 0.0:
        return 0.0
    if s < ramp:
        return DAYS_PER_YEAR * rate * s * s / (2.0 * ramp)
    vol = DAYS_PER_YEAR * rate * ramp / 2.0
    s -= ramp
    if s < plateau:
        return vol + DAYS_PER_YEAR * rate * s
    vol += DAYS_PER_YEAR * rate * plateau
    return vol + decline_cum(rate, di, b, dlim, ts, qs, ns, s - plateau)


def period_volumes(n: int, per_year: int, rate: float, start: float, ramp: float,
                   plateau: float, di: float, b: float, dlim: float) -> np.ndarray:
    """Volumes (units) produced in each of ``n`` periods of 1/``per_year`` years from t = 0."""
    ts, qs, ns = switch_point(rate, di, b, dlim)
    cum = np.array([profile_cum(k / per_year, rate, start, ramp, plateau, di, b, dlim, ts, qs, ns)
                    for k in range(n + 1)])
    return np.diff(cum)
