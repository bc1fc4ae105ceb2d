"""The baseline plan: monthly plan lines per business unit.

Lines are ``revenue``, ``opex`` and ``capex`` (entered, all positive amounts in the plan's unit);
``ebitda = revenue - opex`` and ``cash_flow = ebitda - capex`` are derived, never stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from riskdesk.domain.problems import Problem
from riskdesk.domain.registry import canonical_json

PLAN_LINES = ("revenue", "opex", "capex")
DERIVED_LINES = ("ebitda", "cash_flow")


def month_label(start: str, i: int) -> str:
    """``YYYY-MM`` label of month index ``i`` from ``start`` (``YYYY-MM``)."""
    y, m = (int(x) for x in start.split("-"))
    t = y * 12 + (m - 1) + i
    return f"{t // 12:04d}-{t % 12 + 1:02d}"


@dataclass(frozen=True)
class BaselinePlan:
    """Monthly plan: ``lines[(business_unit, line)] = tuple of months`` values."""

    name: str = "Baseline"
    units: str = "kUSD"
    start: str = "2027-01"
    months: int = 36
    lines: dict[tuple[str, str], tuple[float, ...]] = field(default_factory=dict)

    def with_(self, **changes: Any) -> BaselinePlan:
        return replace(self, **changes)

    @property
    def business_units(self) -> list[str]:
        return sorted({bu for bu, _ in self.lines})

    def line(self, name: str, business_unit: str | None = None) -> np.ndarray:
        """Monthly values of a plan or derived line, for one business unit or all summed."""
        bus = [business_unit] if business_unit else self.business_units
        if name == "ebitda":
            return self.line("revenue", business_unit) - self.line("opex", business_unit)
        if name == "cash_flow":
            return self.line("ebitda", business_unit) - self.line("capex", business_unit)
        out = np.zeros(self.months)
        for bu in bus:
            vals = self.lines.get((bu, name))
            if vals is not None:
                out += np.asarray(vals, dtype=float)
        return out

    def validate(self) -> list[Problem]:
        out: list[Problem] = []
        if self.months < 1:
            out.append(Problem("baseline.months", "plan needs at least one month"))
        try:
            month_label(self.start, 0)
        except ValueError:
            out.append(Problem("baseline.start", f"start {self.start!r} is not YYYY-MM"))
        for (bu, ln), vals in self.lines.items():
            if ln not in PLAN_LINES:
                out.append(Problem(f"{bu}.{ln}", f"unknown plan line {ln!r}"))
            if len(vals) != self.months:
                out.append(Problem(f"{bu}.{ln}", f"{len(vals)} months, plan has {self.months}"))
            if not np.all(np.isfinite(np.asarray(vals, dtype=float))):
                out.append(Problem(f"{bu}.{ln}", "values must be finite numbers"))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "riskdesk.baseline/1", "name": self.name, "units": self.units,
            "start": self.start, "months": self.months,
            "lines": [{"business_unit": bu, "line": ln, "values": list(v)}
                      for (bu, ln), v in sorted(self.lines.items())],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> BaselinePlan:
        return cls(
            name=str(d.get("name", "Baseline")), units=str(d.get("units", "kUSD")),
            start=str(d.get("start", "2027-01")), months=int(d.get("months", 36)),
            lines={(str(x["business_unit"]), str(x["line"])): tuple(float(v) for v in x["values"])
                   for x in d.get("lines", [])},
        )

    def content_hash(self) -> str:
        return "sha256:" + hashlib.sha256(canonical_json(self.to_dict()).encode()).hexdigest()
