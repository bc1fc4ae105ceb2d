"""Price decks: scenarios x benchmarks, each a series of annual or monthly values with a unit.

Periods are labels: ``YYYY`` (annual) or ``YYYY-MM`` (monthly). A deck's ``basis`` is ``real``
(money of ``base_year``) or ``nominal``; ``escalation`` is the yearly compound rate used to convert
between them: nominal(t) = real(t) * (1 + escalation) ** (t - base_year), with t in years and a
monthly period ``YYYY-MM`` at t = YYYY + (MM - 1) / 12. Rates, indices and FX with a unit listed in
``UNESCALATED_UNITS`` (``%``, ``ratio``, ``index``...) are left unchanged by conversion.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from riskdesk.domain.problems import Problem
from riskdesk.domain.registry import canonical_json

DECK_SCHEMA = "riskdesk.deck/1"
BASES = ("real", "nominal")
FREQUENCIES = ("annual", "monthly")
UNESCALATED_UNITS = ("%", "pct", "percent", "ratio", "index", "fraction")
_ANNUAL = re.compile(r"^(\d{4})$")
_MONTHLY = re.compile(r"^(\d{4})-(\d{2})$")


def period_frequency(label: str) -> str | None:
    """``annual`` for ``YYYY``, ``monthly`` for ``YYYY-MM`` (month 01..12), else None."""
    if _ANNUAL.match(label):
        return "annual"
    m = _MONTHLY.match(label)
    if m and 1 <= int(m.group(2)) <= 12:
        return "monthly"
    return None


def period_time(label: str) -> float:
    """Time of a period label in years: ``2027`` -> 2027.0, ``2027-04`` -> 2027.25."""
    if _ANNUAL.match(label):
        return float(label)
    y, m = label.split("-")
    return int(y) + (int(m) - 1) / 12.0


def period_sort_key(label: str) -> tuple[int, int]:
    if _ANNUAL.match(label):
        return (int(label), 0)
    y, m = label.split("-")
    return (int(y), int(m))


def escalation_factor(label: str, base_year: int, rate: float) -> float:
    """Real (money of ``base_year``) -> nominal factor for a period: (1+rate)^(t - base_year)."""
    return float((1.0 + rate) ** (period_time(label) - base_year))


def is_escalated(unit: str) -> bool:
    """Whether values in ``unit`` are money amounts that real <-> nominal conversion changes."""
    u = unit.strip().lower()
    return not any(u == x or u.startswith(x) for x in UNESCALATED_UNITS)


@dataclass(frozen=True)
class DeckSeries:
    """One benchmark in one scenario: ``points`` are (period label, value) in period order."""

    scenario: str
    benchmark: str
    unit: str
    frequency: str
    points: tuple[tuple[str, float], ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.scenario, self.benchmark)

    @property
    def periods(self) -> list[str]:
        return [p for p, _ in self.points]

    @property
    def values(self) -> list[float]:
        return [v for _, v in self.points]

    def value(self, period: str) -> float:
        for p, v in self.points:
            if p == period:
                return v
        raise KeyError(period)

    def annual_values(self, years: list[int]) -> list[float]:
        """Values for calendar ``years``: annual points as they are, monthly points averaged;
        years before the first / after the last point take the first / last value (flat)."""
        by_year: dict[int, list[float]] = {}
        for p, v in self.points:
            by_year.setdefault(int(p[:4]), []).append(v)
        have = sorted(by_year)
        out = []
        for y in years:
            yy = min(max(y, have[0]), have[-1]) if have else y
            while yy not in by_year:  # gap inside the range: previous known year
                yy -= 1
            vals = by_year[yy]
            out.append(sum(vals) / len(vals))
        return out

    def monthly_values(self, start: str, months: int) -> list[float]:
        """Values for ``months`` months from ``start`` (``YYYY-MM``): monthly points as they are,
        annual points repeated for each month of their year; flat outside the deck's range."""
        y0, m0 = (int(x) for x in start.split("-"))
        lookup = {period_sort_key(p): v for p, v in self.points}
        keys = sorted(lookup)
        out = []
        for i in range(months):
            t = y0 * 12 + (m0 - 1) + i
            y, m = t // 12, t % 12 + 1
            k = (y, m) if self.frequency == "monthly" else (y, 0)
            if k < keys[0]:
                k = keys[0]
            elif k > keys[-1]:
                k = keys[-1]
            while k not in lookup:
                k = (k[0], k[1] - 1) if k[1] > 1 else (k[0] - 1, 12 if k[1] else 0)
            out.append(lookup[k])
        return out


@dataclass(frozen=True)
class PriceDeck:
    """A price deck's content: what a deck version freezes."""

    name: str = "Deck"
    basis: str = "nominal"
    base_year: int | None = None
    escalation: float = 0.0
    series: tuple[DeckSeries, ...] = ()
    notes: str = ""

    def with_(self, **changes: Any) -> PriceDeck:
        return replace(self, **changes)

    @property
    def scenarios(self) -> list[str]:
        return list(dict.fromkeys(s.scenario for s in self.series))

    @property
    def benchmarks(self) -> list[str]:
        return list(dict.fromkeys(s.benchmark for s in self.series))

    def unit(self, benchmark: str) -> str:
        for s in self.series:
            if s.benchmark == benchmark:
                return s.unit
        raise KeyError(benchmark)

    def get(self, scenario: str, benchmark: str) -> DeckSeries:
        for s in self.series:
            if s.scenario == scenario and s.benchmark == benchmark:
                return s
        raise KeyError(f"deck {self.name!r} has no {benchmark!r} in scenario {scenario!r}")

    def validate(self) -> list[Problem]:
        """Every rule a deck must satisfy, each naming ``scenario/benchmark``."""
        out: list[Problem] = []
        if self.basis not in BASES:
            out.append(Problem("deck.basis", f"basis {self.basis!r} must be real or nominal"))
        if self.basis == "real" and self.base_year is None:
            out.append(Problem("deck.base_year", "a real deck needs a reference (base) year"))
        if not math.isfinite(self.escalation) or self.escalation <= -1:
            out.append(Problem("deck.escalation", f"escalation {self.escalation} must be > -100%"))
        if not self.series:
            out.append(Problem("deck", "deck has no series"))
        seen: set[tuple[str, str]] = set()
        units: dict[str, str] = {}
        for s in self.series:
            w = f"{s.scenario}/{s.benchmark}"
            if s.key in seen:
                out.append(Problem(w, "duplicate benchmark in scenario"))
            seen.add(s.key)
            if not s.unit.strip():
                out.append(Problem(w, "missing unit"))
            if units.setdefault(s.benchmark, s.unit) != s.unit:
                out.append(Problem(w, f"unit {s.unit!r} differs from {units[s.benchmark]!r} "
                                      "used for the same benchmark"))
            if s.frequency not in FREQUENCIES:
                out.append(Problem(w, f"frequency {s.frequency!r} must be annual or monthly"))
            periods = [p for p, _ in s.points]
            if len(set(periods)) != len(periods):
                out.append(Problem(w, "duplicate periods"))
            for p, v in s.points:
                if period_frequency(p) != s.frequency:
                    out.append(Problem(f"{w}/{p}", f"period {p!r} is not {s.frequency}"))
                if not math.isfinite(v):
                    out.append(Problem(f"{w}/{p}", "value must be a finite number"))
            if not s.points:
                out.append(Problem(w, "series has no values"))
        return out

    def converted(self, basis: str, base_year: int | None = None) -> PriceDeck:
        """The same deck in another basis (``real`` in money of ``base_year``, or ``nominal``)."""
        if basis not in BASES:
            raise ValueError(f"basis {basis!r} must be real or nominal")
        if basis == "real" and base_year is None:
            base_year = self.base_year
        if basis == "real" and base_year is None:
            raise ValueError(f"deck {self.name!r} is nominal with no base year, so it cannot "
                             "be turned into real money: import it with a base year, or value "
                             "the asset in nominal money")
        if basis == self.basis and (basis == "nominal" or base_year == self.base_year):
            return self
        r = self.escalation

        def factor(p: str) -> float:
            f = 1.0
            if self.basis == "real":  # to nominal first
                f *= escalation_factor(p, int(self.base_year or 0), r)
            if basis == "real":
                f /= escalation_factor(p, int(base_year or 0), r)
            return f

        series = tuple(
            replace(s, points=tuple((p, v * factor(p)) for p, v in s.points))
            if is_escalated(s.unit) else s
            for s in self.series)
        return replace(self, basis=basis, base_year=base_year if basis == "real" else None,
                       series=series)

    def to_dict(self) -> dict[str, Any]:
        """The ``riskdesk.deck/1`` document; ``series`` as printed by ``riskdesk deck show``."""
        return {
            "schema": DECK_SCHEMA, "name": self.name, "basis": self.basis,
            "base_year": self.base_year, "escalation": self.escalation, "notes": self.notes,
            "series": [{"scenario": s.scenario, "benchmark": s.benchmark, "unit": s.unit,
                        "frequency": s.frequency, "points": [[p, v] for p, v in s.points]}
                       for s in self.series],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PriceDeck:
        by = d.get("base_year")
        return cls(
            name=str(d.get("name", "Deck")), basis=str(d.get("basis", "nominal")),
            base_year=int(by) if by is not None else None,
            escalation=float(d.get("escalation", 0.0)), notes=str(d.get("notes", "")),
            series=tuple(DeckSeries(str(s["scenario"]), str(s["benchmark"]), str(s["unit"]),
                                    str(s["frequency"]),
                                    tuple((str(p), float(v)) for p, v in s["points"]))
                         for s in d.get("series", [])),
        )

    def content_hash(self) -> str:
        return "sha256:" + hashlib.sha256(canonical_json(self.to_dict()).encode()).hexdigest()


@dataclass(frozen=True)
class DeckChange:
    """One difference between two deck versions (for the import preview)."""

    kind: str  # metadata | added_series | removed_series | unit | added_point | removed_point | value
    where: str  # "Base/Brent/2027" or a metadata field
    old: Any = None
    new: Any = None

    def __str__(self) -> str:
        return f"{self.kind} {self.where}: {self.old!r} -> {self.new!r}"


@dataclass(frozen=True)
class DeckDiff:
    changes: tuple[DeckChange, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not self.changes

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def summary(self) -> str:
        if not self.changes:
            return "no changes"
        kinds = dict.fromkeys(c.kind for c in self.changes)
        return ", ".join(f"{self.count(k)} {k.replace('_', ' ')}" for k in kinds)


def diff_decks(old: PriceDeck | None, new: PriceDeck, tol: float = 0.0) -> DeckDiff:
    """Differences from ``old`` to ``new``; values differing by at most ``tol`` count as equal."""
    if old is None:
        return DeckDiff(tuple(DeckChange("added_series", f"{s.scenario}/{s.benchmark}", None,
                                         len(s.points)) for s in new.series))
    out: list[DeckChange] = []
    for f in ("basis", "base_year", "escalation"):
        a, b = getattr(old, f), getattr(new, f)
        if a != b:
            out.append(DeckChange("metadata", f, a, b))
    olds = {s.key: s for s in old.series}
    news = {s.key: s for s in new.series}
    for k, s in news.items():
        w = f"{k[0]}/{k[1]}"
        if k not in olds:
            out.append(DeckChange("added_series", w, None, len(s.points)))
            continue
        o = olds[k]
        if o.unit != s.unit:
            out.append(DeckChange("unit", w, o.unit, s.unit))
        op, np_ = dict(o.points), dict(s.points)
        for p, v in s.points:
            if p not in op:
                out.append(DeckChange("added_point", f"{w}/{p}", None, v))
            elif abs(op[p] - v) > tol:
                out.append(DeckChange("value", f"{w}/{p}", op[p], v))
        for p, v in o.points:
            if p not in np_:
                out.append(DeckChange("removed_point", f"{w}/{p}", v, None))
    for k, s in olds.items():
        if k not in news:
            out.append(DeckChange("removed_series", f"{k[0]}/{k[1]}", len(s.points), None))
    return DeckDiff(tuple(out))
