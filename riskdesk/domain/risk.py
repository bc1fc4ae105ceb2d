"""Risks, their time phasing and mitigation, as plain typed values.

Money is in the registry's unit (``Registry.units``, e.g. kUSD). Months are indexed 0..T-1 from the
plan's first month. ``affects`` names the plan line a risk moves: ``revenue``, ``opex`` or ``ebitda``
move EBITDA and cash flow in the same month; ``capex`` moves cash flow only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import Problem

AFFECTS = ("revenue", "opex", "ebitda", "capex")
KINDS = ("quantitative", "qualitative")
STATUSES = ("open", "mitigating", "closed", "realised")
CATEGORIES = ("operational", "commercial", "technical", "regulatory", "HSE", "schedule",
              "market", "political")


@dataclass(frozen=True)
class Phasing:
    """How a risk's total impact spreads over months.

    ``window``: uniform over ``start .. start+length-1``. ``profile``: ``weights`` over ``months``
    (normalised to sum to 1). Shares falling outside ``0..T-1`` are dropped.
    """

    type: str = "window"
    start: int = 0
    length: int = 1
    months: tuple[int, ...] = ()
    weights: tuple[float, ...] = ()

    @classmethod
    def window(cls, start: int, length: int = 1) -> Phasing:
        return cls("window", int(start), int(length))

    @classmethod
    def profile(cls, months: list[int], weights: list[float]) -> Phasing:
        return cls("profile", months=tuple(int(m) for m in months),
                   weights=tuple(float(w) for w in weights))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Phasing:
        t = str(d.get("type", "window")).lower()
        if t == "profile":
            return cls.profile(list(d.get("months", [])), list(d.get("weights", [])))
        return cls.window(int(d.get("start", 0)), int(d.get("length", 1)))

    def to_dict(self) -> dict[str, Any]:
        if self.type == "profile":
            return {"type": "profile", "months": list(self.months), "weights": list(self.weights)}
        return {"type": "window", "start": self.start, "length": self.length}

    def validate(self, months: int, where: str = "phasing") -> list[Problem]:
        """Problems with the phasing for a plan of ``months`` months (0..months-1)."""
        if self.type == "window":
            out = []
            if self.length < 1:
                out.append(Problem(f"{where}.length", f"length {self.length} must be >= 1"))
            if self.start < 0:
                out.append(Problem(f"{where}.start", f"start month {self.start} is before the plan"))
            elif self.start >= months:
                out.append(Problem(f"{where}.start", f"start month {self.start} is outside the "
                                   f"plan horizon 0..{months - 1}"))
            return out
        if self.type != "profile":
            return [Problem(f"{where}.type", f"unknown phasing type {self.type!r}")]
        if not self.months or len(self.months) != len(self.weights):
            return [Problem(f"{where}.weights", f"{len(self.months)} months but "
                            f"{len(self.weights)} weights")]
        out = []
        if any(w < 0 or not math.isfinite(w) for w in self.weights) or sum(self.weights) <= 0:
            out.append(Problem(f"{where}.weights", "weights must be >= 0 with a positive sum"))
        if all(m < 0 or m >= months for m in self.months):
            out.append(Problem(f"{where}.months", f"no month inside the plan horizon "
                               f"0..{months - 1}"))
        return out

    def weights_over(self, months: int) -> np.ndarray:
        """Weights per month 0..months-1 (sum <= 1; shares past the horizon dropped)."""
        w = np.zeros(months)
        if self.type == "window":
            n = max(self.length, 1)
            for m in range(self.start, self.start + n):
                if 0 <= m < months:
                    w[m] += 1.0 / n
            return w
        tot = float(sum(self.weights))
        if tot <= 0:
            return w
        for m, x in zip(self.months, self.weights, strict=True):
            if 0 <= m < months:
                w[m] += x / tot
        return w

    def describe(self) -> str:
        if self.type == "window":
            return f"M{self.start}+{self.length}" if self.length > 1 else f"M{self.start}"
        return "profile(" + ", ".join(f"M{m}:{w:g}" for m, w in zip(self.months, self.weights,
                                                                       strict=True)) + ")"


@dataclass(frozen=True)
class Risk:
    """One registry entry.

    Quantitative risks carry ``probability`` (of occurrence in the horizon) and ``impact`` (the total
    signed change if it occurs). Post-mitigation values, when given, replace them in post-mitigation
    runs, and ``mitigation_cost`` (a cost, >= 0, in registry units) is then charged to opex in the
    first phased month. Qualitative risks carry ``likelihood`` and ``severity`` ratings (1..5).
    """

    id: str
    title: str = ""
    description: str = ""
    owner: str = ""
    business_unit: str = ""
    category: str = "operational"
    status: str = "open"
    kind: str = "quantitative"
    probability: float = 0.5
    impact: Distribution = field(default_factory=lambda: Distribution("fixed", {"value": 0.0}))
    affects: str = "ebitda"
    phasing: Phasing = field(default_factory=Phasing)
    post_probability: float | None = None
    post_impact: Distribution | None = None
    mitigation_cost: float = 0.0
    mitigation: str = ""
    likelihood: int | None = None
    severity: int | None = None
    source: str = ""

    def with_(self, **changes: Any) -> Risk:
        return replace(self, **changes)

    @property
    def is_threat(self) -> bool:
        return self.impact.mean() < 0 if not self.impact.validate() else False

    def expected_value(self, post: bool = False) -> float:
        p, d = self.effective(post)
        return p * d.mean()

    def effective(self, post: bool) -> tuple[float, Distribution]:
        """(probability, impact) used by a pre- or post-mitigation run."""
        if post:
            p = self.post_probability if self.post_probability is not None else self.probability
            d = self.post_impact if self.post_impact is not None else self.impact
            return p, d
        return self.probability, self.impact

    def validate(self, months: int) -> list[Problem]:
        """Every data-quality problem, each located as ``<risk id>.<field>``."""
        w = self.id or "(no id)"
        out: list[Problem] = []
        if not self.id.strip():
            out.append(Problem(f"{w}.id", "risk id is empty"))
        if self.kind not in KINDS:
            out.append(Problem(f"{w}.kind", f"kind {self.kind!r} is not one of {', '.join(KINDS)}"))
        if self.affects not in AFFECTS:
            out.append(Problem(f"{w}.affects", f"affects {self.affects!r} is not one of "
                               + ", ".join(AFFECTS)))
        if self.kind == "qualitative":
            for name in ("likelihood", "severity"):
                v = getattr(self, name)
                if v is None or not 1 <= int(v) <= 5:
                    out.append(Problem(f"{w}.{name}", f"{name} rating {v} must be 1-5"))
            return out
        for name, p in (("probability", self.probability), ("post_probability",
                                                           self.post_probability)):
            if p is None:
                continue
            if not isinstance(p, int | float) or not math.isfinite(p) or not 0.0 <= p <= 1.0:
                out.append(Problem(f"{w}.{name}", f"{name} {p} is outside 0-1"))
        out += self.impact.validate(f"{w}.impact")
        if self.post_impact is not None:
            out += self.post_impact.validate(f"{w}.post_impact")
        if not math.isfinite(self.mitigation_cost) or self.mitigation_cost < 0:
            out.append(Problem(f"{w}.mitigation_cost",
                               f"mitigation cost {self.mitigation_cost} must be >= 0"))
        out += self.phasing.validate(months, f"{w}.phasing")
        return out

    # ---- interchange ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Full record (used for hashing, storage and registry JSON)."""
        d: dict[str, Any] = {
            "id": self.id, "name": self.title, "description": self.description,
            "owner": self.owner, "business_unit": self.business_unit, "category": self.category,
            "status": self.status, "kind": self.kind, "probability": float(self.probability),
            "impact": self.impact.to_dict(), "affects": self.affects,
            "phasing": self.phasing.to_dict(), "mitigation_cost": float(self.mitigation_cost),
            "mitigation": self.mitigation,
        }
        if self.post_probability is not None:
            d["post_probability"] = float(self.post_probability)
        if self.post_impact is not None:
            d["post_impact"] = self.post_impact.to_dict()
        if self.likelihood is not None:
            d["likelihood"] = int(self.likelihood)
        if self.severity is not None:
            d["severity"] = int(self.severity)
        if self.source:
            d["source"] = self.source
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Risk:
        """Inverse of :meth:`to_dict`; tolerant of the minimal registry JSON risk form."""
        post_imp = d.get("post_impact")
        return cls(
            id=str(d["id"]), title=str(d.get("name", d.get("title", "")) or ""),
            description=str(d.get("description", "") or ""), owner=str(d.get("owner", "") or ""),
            business_unit=str(d.get("business_unit", "") or ""),
            category=str(d.get("category", "operational") or "operational"),
            status=str(d.get("status", "open") or "open"),
            kind=str(d.get("kind", "quantitative")),
            probability=float(d.get("probability", 0.0)),
            impact=Distribution.from_dict(d.get("impact") or {"dist": "fixed", "value": 0.0}),
            affects=str(d.get("affects", "ebitda")),
            phasing=Phasing.from_dict(d.get("phasing") or {}),
            post_probability=(float(d["post_probability"])
                              if d.get("post_probability") is not None else None),
            post_impact=Distribution.from_dict(post_imp) if post_imp else None,
            mitigation_cost=float(d.get("mitigation_cost", 0.0) or 0.0),
            mitigation=str(d.get("mitigation", "") or ""),
            likelihood=int(d["likelihood"]) if d.get("likelihood") is not None else None,
            severity=int(d["severity"]) if d.get("severity") is not None else None,
            source=str(d.get("source", "") or ""),
        )


# the fields whose values a ``source`` (an elicitation result, the risk matrix) vouches for
SOURCED_FIELDS = ("kind", "probability", "impact", "phasing", "post_probability", "post_impact")
HAND_EDIT = "edited by hand after "


def edited_source(before: Risk, after: Risk) -> str:
    """The ``source`` to store when a person edits ``before`` into ``after`` by hand.

    The source is kept while the numbers it vouches for (:data:`SOURCED_FIELDS`) are unchanged;
    once one of them is typed over it becomes ``"edited by hand after <source>"``, so a reviewer is
    never told that a typed number came from an elicitation or the risk matrix.
    """
    src = after.source
    if not src or src.startswith(HAND_EDIT):
        return src
    if all(getattr(before, f) == getattr(after, f) for f in SOURCED_FIELDS):
        return src
    return HAND_EDIT + src
