"""The registry table's columns and the text of its cells: how a risk is shown, sorted and
edited cell by cell, and how typed text (``45%``, ``PERT(-900, -400, -250)``, ``M3+4``) is parsed.

Qt-free helpers used by ``registry_model`` (which re-exports them), the risk editor and other
screens that read numbers as users type them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from riskdesk.domain.distributions import FAMILIES, FAMILY_LABELS, Distribution
from riskdesk.domain.problems import Problem
from riskdesk.domain.risk import AFFECTS, CATEGORIES, KINDS, STATUSES, Phasing, Risk
from riskdesk.domain.risk_table import excel_number_text
from riskdesk.ui.panels.registry_source import source_text


@dataclass(frozen=True)
class ViewColumn:
    key: str
    header: str
    editable: bool = True
    numeric: bool = False
    tip: str = ""


VIEW_COLUMNS: tuple[ViewColumn, ...] = (
    ViewColumn("id", "ID", tip="Unique risk id"),
    ViewColumn("title", "Title"),
    ViewColumn("owner", "Owner"),
    ViewColumn("business_unit", "BU", tip="Business unit"),
    ViewColumn("category", "Category", tip=", ".join(CATEGORIES)),
    ViewColumn("kind", "Kind", tip=", ".join(KINDS)),
    ViewColumn("probability", "Probability", numeric=True, tip="Chance of occurrence, 0-1 or %"),
    ViewColumn("impact", "Impact", tip="e.g. PERT(-900, -400, -250), Normal(-500, 100)"),
    ViewColumn("ev", "EV", editable=False, numeric=True, tip="Expected value p·E[impact]"),
    ViewColumn("affects", "Affects", tip=", ".join(AFFECTS)),
    ViewColumn("phasing", "Phasing", tip="Start month and length: M3+4 (months 3..6)"),
    ViewColumn("post_probability", "Post prob.", numeric=True,
               tip="Probability after mitigation (blank = unchanged)"),
    ViewColumn("post_impact", "Post impact", tip="Impact after mitigation (blank = unchanged)"),
    ViewColumn("post_ev", "Post EV", editable=False, numeric=True,
               tip="Expected value after mitigation"),
    ViewColumn("mitigation_cost", "Mitig. cost", numeric=True, tip="Cost of the mitigation, >= 0"),
    ViewColumn("status", "Status", tip=", ".join(STATUSES)),
    ViewColumn("likelihood", "Likelihood", numeric=True, tip="Qualitative rating 1-5"),
    ViewColumn("severity", "Severity", numeric=True, tip="Qualitative impact rating 1-5"),
    ViewColumn("source", "Source", editable=False,
               tip="Where the numbers came from: an applied elicitation result, the risk "
                   "matrix, or a hand edit after one (details in the risk editor)"),
)
KEYS = tuple(c.key for c in VIEW_COLUMNS)

_LABEL_TO_FAMILY = {**{k: k for k in FAMILIES},
                    **{v.lower().replace("-", ""): k for k, v in FAMILY_LABELS.items()},
                    "tri": "triangular", "betapert": "pert", "constant": "fixed"}


def fmt_money(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def parse_number(text: str, what: str) -> float:
    """A number as typed or copied from Excel (``1,200``, ``-5``, ``45%``, ``(1,200)``);
    ValueError names ``what``."""
    s = excel_number_text(text)
    pct = s.endswith("%")
    try:
        x = float(s.rstrip("%")) / (100.0 if pct else 1.0)
    except ValueError:
        raise ValueError(f"{what}: {text.strip()!r} is not a number") from None
    if not math.isfinite(x):
        raise ValueError(f"{what}: {text.strip()!r} is not a finite number")
    return x


def parse_distribution(text: str) -> Distribution:
    """``PERT(-900, -400, -250)``, ``-Lognormal(1500, 700)``, ``Fixed(-300)`` → Distribution."""
    m = re.fullmatch(r"\s*(-?)\s*([A-Za-z][A-Za-z -]*)\s*\((.*)\)\s*", text)
    if not m:
        raise ValueError(f"{text.strip()!r} is not like PERT(min, mode, max)")
    neg, label, args = m.group(1), m.group(2).strip().lower().replace("-", "").replace(" ", ""), \
        m.group(3)
    fam = _LABEL_TO_FAMILY.get(label)
    if fam is None:
        raise ValueError(f"unknown distribution {m.group(2).strip()!r}; expected one of "
                         + ", ".join(FAMILY_LABELS.values()))
    if fam == "discrete":
        raise ValueError("edit discrete distributions in the risk editor (Enter)")
    names = [k for k in FAMILIES[fam] if k != "sign"]
    parts = [p for p in args.split(",") if p.strip()] if "," in args or args.strip() else []
    if len(parts) != len(names):
        raise ValueError(f"{FAMILY_LABELS[fam]} needs {len(names)} numbers "
                         f"({', '.join(names)}), got {len(parts)}")
    params: dict[str, Any] = {n: parse_number(p, n) for n, p in zip(names, parts, strict=True)}
    if fam == "lognormal":
        params["sign"] = -1.0 if neg else 1.0
    elif neg:
        raise ValueError("a leading minus is only for -Lognormal(mean, sd)")
    return Distribution(fam, params)


def parse_phasing(text: str) -> Phasing:
    """``M3+4`` / ``3+4`` (start 3, 4 months) or ``M3`` → a window phasing."""
    m = re.fullmatch(r"\s*[Mm]?\s*(-?\d+)\s*(?:\+\s*(\d+))?\s*", text)
    if not m:
        raise ValueError(f"{text.strip()!r} is not like M3+4 (start month 3, 4 months); edit "
                         "profiles in the risk editor")
    return Phasing.window(int(m.group(1)), int(m.group(2) or 1))


def display(r: Risk, key: str) -> str:
    """Cell text of risk ``r`` in column ``key``."""
    quali = r.kind == "qualitative"
    if key in ("id", "title", "owner", "business_unit", "category", "status", "kind", "affects"):
        return "" if quali and key == "affects" else str(getattr(r, key))
    if key == "probability":
        return "" if quali else f"{r.probability:.0%}" if r.probability * 100 == round(
            r.probability * 100) else f"{r.probability:.1%}"
    if key == "post_probability":
        return "" if r.post_probability is None else f"{r.post_probability:.0%}"
    if key == "impact":
        return "" if quali else r.impact.describe()
    if key == "post_impact":
        return "" if r.post_impact is None else r.post_impact.describe()
    if key in ("ev", "post_ev"):
        v = cell_ev(r, key == "post_ev")
        return "" if v is None else fmt_money(v)
    if key == "phasing":
        return "" if quali else r.phasing.describe()
    if key == "mitigation_cost":
        return fmt_money(r.mitigation_cost) if r.mitigation_cost else ""
    if key in ("likelihood", "severity"):
        v = getattr(r, key)
        return "" if v is None else str(v)
    if key == "source":
        return source_text(r.source)
    return ""


def edit_text(r: Risk, key: str) -> str:
    """What an inline editor starts with (exact, re-parsable)."""
    if key == "probability":
        return f"{r.probability:g}"
    if key == "post_probability":
        return "" if r.post_probability is None else f"{r.post_probability:g}"
    if key == "mitigation_cost":
        return f"{r.mitigation_cost:g}"
    if key == "phasing" and r.phasing.type == "window":
        return r.phasing.describe()
    return display(r, key)


def cell_ev(r: Risk, post: bool) -> float | None:
    """Expected value (pre or post mitigation) of a quantitative risk; None when not defined."""
    if r.kind == "qualitative" or (post and r.post_impact is None and r.post_probability is None):
        return None
    try:
        return r.expected_value(post)
    except (KeyError, ValueError, TypeError, ZeroDivisionError):
        return None


def sort_key(r: Risk, key: str) -> Any:
    if key == "probability":
        return r.probability if r.kind == "quantitative" else -1.0
    if key in ("impact", "post_impact"):
        d = r.impact if key == "impact" else r.post_impact
        try:
            return d.mean() if d is not None and r.kind == "quantitative" else 0.0
        except (KeyError, ValueError, TypeError):
            return 0.0
    if key in ("ev", "post_ev"):
        v = cell_ev(r, key == "post_ev")
        return 0.0 if v is None else v
    if key in ("post_probability", "likelihood", "severity"):
        v = getattr(r, key)
        return -1.0 if v is None else float(v)
    if key == "mitigation_cost":
        return r.mitigation_cost
    if key == "phasing":
        return float(r.phasing.start if r.phasing.type == "window" else min(r.phasing.months,
                                                                            default=0))
    return display(r, key).lower()


def with_cell(r: Risk, key: str, text: str) -> Risk:
    """``r`` with column ``key`` set from typed ``text``; ValueError says what is wrong."""
    t = text.strip()
    if key in ("id", "title", "owner", "business_unit"):
        if key == "id" and not t:
            raise ValueError("risk id cannot be empty")
        return r.with_(**{"title" if key == "title" else key: t})
    if key in ("category", "status", "kind", "affects"):
        allowed = {"category": CATEGORIES, "status": STATUSES, "kind": KINDS,
                   "affects": AFFECTS}[key]
        match = next((a for a in allowed if a.lower() == t.lower()), None)
        if match is None:
            raise ValueError(f"{key} {t!r} is not one of {', '.join(allowed)}")
        return r.with_(**{key: match})
    if key == "probability":
        return r.with_(probability=parse_number(t, "probability"))
    if key == "post_probability":
        return r.with_(post_probability=parse_number(t, "post probability") if t else None)
    if key == "impact":
        return r.with_(impact=parse_distribution(t))
    if key == "post_impact":
        return r.with_(post_impact=parse_distribution(t) if t else None)
    if key == "phasing":
        return r.with_(phasing=parse_phasing(t))
    if key == "mitigation_cost":
        return r.with_(mitigation_cost=parse_number(t, "mitigation cost") if t else 0.0)
    if key in ("likelihood", "severity"):
        if not t:
            return r.with_(**{key: None})
        x = parse_number(t, key)
        if not x.is_integer():
            raise ValueError(f"{key} {x:g} must be a whole number 1-5")
        return r.with_(**{key: int(x)})
    raise ValueError(f"column {key} is computed and cannot be edited")


def new_problems(old: Risk | None, new: Risk, months: int) -> list[Problem]:
    """Data-quality problems ``new`` has that ``old`` did not (an edit may not add any)."""
    before = set(old.validate(months)) if old is not None else set()
    return [p for p in new.validate(months) if p not in before]
