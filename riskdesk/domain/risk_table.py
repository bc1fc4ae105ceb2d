"""A risk as one flat row: the columns of the Excel template and of TSV copy/paste.

Both the ``.xlsx`` registry template and clipboard TSV use these columns, in this order, with these
headers. ``row_to_risk`` turns raw cell values into a ``Risk`` or located problems, using ``loc`` to
name a cell the user can find (``Risks!F12`` or ``row 3, Probability``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from riskdesk.domain.distributions import FAMILIES, Distribution
from riskdesk.domain.problems import Problem
from riskdesk.domain.risk import AFFECTS, KINDS, Phasing, Risk


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    width: int = 12


_DIST = [("dist", "Distribution"), ("min", "Min"), ("mode", "Mode"), ("max", "Max"),
         ("mean", "Mean"), ("sd", "SD"), ("values", "Values"), ("probs", "Probs")]

COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", "Unique risk id, e.g. NS-001 (required)", 10),
    Column("title", "Title", "Short name", 34),
    Column("description", "Description", "Free text (redacted on export)", 40),
    Column("owner", "Owner", "Person who owns the risk", 18),
    Column("business_unit", "Business unit", "e.g. North Sea", 14),
    Column("category", "Category", "operational, commercial, technical, regulatory, HSE, ...", 12),
    Column("status", "Status", "open, mitigating, closed, realised", 10),
    Column("kind", "Kind", "quantitative or qualitative", 12),
    Column("probability", "Probability", "Chance of occurrence in the horizon, 0-1 (or 0-100%)"),
    *(Column(k, h, "Impact " + {
        "dist": "distribution: triangular, pert, uniform, loguniform, normal, lognormal, "
                "discrete, fixed",
        "min": "minimum (triangular, pert, uniform, loguniform)",
        "mode": "most likely (triangular, pert)",
        "max": "maximum (triangular, pert, uniform, loguniform)",
        "mean": "mean (normal; lognormal: signed mean, negative = threat; fixed: the value)",
        "sd": "standard deviation (normal, lognormal)",
        "values": "discrete values separated by ;",
        "probs": "discrete probabilities separated by ; (sum 1)"}[k], 11) for k, h in _DIST),
    Column("affects", "Affects", "revenue, opex, ebitda or capex (cash flow only)", 10),
    Column("start", "Start month", "First month of the impact window (0 = plan start)", 8),
    Column("length", "Months", "Length of the window in months", 8),
    Column("profile", "Profile", "Custom phasing month:weight;month:weight (overrides window)",
           14),
    Column("post_probability", "Post probability", "Probability after mitigation (optional)"),
    *(Column(f"post_{k}", f"Post {h.lower() if k != 'sd' else 'SD'}",
             f"Post-mitigation impact {h.lower()} (optional)", 11) for k, h in _DIST),
    Column("mitigation_cost", "Mitigation cost", "Cost of the mitigation, >= 0"),
    Column("mitigation", "Mitigation", "Mitigation actions (free text)", 30),
    Column("likelihood", "Likelihood", "Qualitative likelihood rating 1-5", 9),
    Column("severity", "Impact rating", "Qualitative impact rating 1-5", 9),
    Column("source", "Source", "Where the numbers came from (an elicitation session and result, "
           "the risk matrix, or a hand edit after one); written by riskdesk, kept on import", 40),
)

COLUMN_KEYS = tuple(c.key for c in COLUMNS)
HEADERS = {c.header.lower(): c.key for c in COLUMNS}


def excel_number_text(text: str) -> str:
    """Number text as Excel copies it, made parseable: thousands separators (``,``, spaces,
    no-break spaces) dropped, the minus sign ``−`` and accounting negatives ``(1,200)`` turned
    into a leading ``-``."""
    s = text.strip().replace(",", "").replace("\u2212", "-")
    s = "".join(s.split()).replace("\u00a0", "").replace("\u202f", "")
    if len(s) > 2 and s.startswith("(") and s.endswith(")"):
        s = "-" + s[1:-1]
    return s


def _fmt(v: float) -> float | int:
    return int(v) if float(v).is_integer() and abs(v) < 1e15 else float(v)


def _dist_cells(d: Distribution | None, prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if d is None:
        return out
    p = d.params
    out[f"{prefix}dist"] = d.family
    if d.family in ("triangular", "pert"):
        for k in ("min", "mode", "max"):
            out[f"{prefix}{k}"] = _fmt(float(p[k]))
    elif d.family in ("uniform", "loguniform"):
        out[f"{prefix}min"], out[f"{prefix}max"] = _fmt(float(p["min"])), _fmt(float(p["max"]))
    elif d.family == "normal":
        out[f"{prefix}mean"], out[f"{prefix}sd"] = _fmt(float(p["mean"])), _fmt(float(p["sd"]))
    elif d.family == "lognormal":
        out[f"{prefix}mean"] = _fmt(float(p["sign"]) * float(p["mean"]))
        out[f"{prefix}sd"] = _fmt(float(p["sd"]))
    elif d.family == "discrete":
        out[f"{prefix}values"] = ";".join(f"{_fmt(float(x))}" for x in p["values"])
        out[f"{prefix}probs"] = ";".join(f"{float(x):g}" for x in p["probs"])
    elif d.family == "fixed":
        out[f"{prefix}mean"] = _fmt(float(p["value"]))
    return out


def risk_to_cells(r: Risk) -> dict[str, Any]:
    """Column key → cell value (numbers as numbers, empty cells omitted)."""
    c: dict[str, Any] = {"id": r.id, "title": r.title, "description": r.description,
                         "owner": r.owner, "business_unit": r.business_unit,
                         "category": r.category, "status": r.status, "kind": r.kind}
    if r.kind == "qualitative":
        c["likelihood"], c["severity"] = r.likelihood, r.severity
        if r.probability:
            c["probability"] = r.probability
        c["source"] = r.source
        return {k: v for k, v in c.items() if v not in (None, "")}
    c["probability"] = _fmt(r.probability)
    c.update(_dist_cells(r.impact, ""))
    c["affects"] = r.affects
    if r.phasing.type == "profile":
        c["profile"] = ";".join(f"{m}:{w:g}" for m, w in zip(r.phasing.months,
                                                             r.phasing.weights, strict=True))
    else:
        c["start"], c["length"] = r.phasing.start, r.phasing.length
    if r.post_probability is not None:
        c["post_probability"] = _fmt(r.post_probability)
    c.update(_dist_cells(r.post_impact, "post_"))
    if r.mitigation_cost:
        c["mitigation_cost"] = _fmt(r.mitigation_cost)
    c["mitigation"] = r.mitigation
    if r.likelihood is not None:
        c["likelihood"] = r.likelihood
    if r.severity is not None:
        c["severity"] = r.severity
    c["source"] = r.source
    return {k: v for k, v in c.items() if v not in (None, "")}


def risk_to_row(r: Risk) -> list[Any]:
    cells = risk_to_cells(r)
    return [cells.get(k, "") for k in COLUMN_KEYS]


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


class _Reader:
    def __init__(self, cells: dict[str, Any], loc: Callable[[str], str]) -> None:
        self.cells = cells
        self.loc = loc
        self.problems: list[Problem] = []

    def text(self, key: str, default: str = "") -> str:
        v = self.cells.get(key)
        if _blank(v):
            return default
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v).strip()

    def number(self, key: str, *, required: bool = False, label: str = "") -> float | None:
        v = self.cells.get(key)
        if _blank(v):
            if required:
                self.problems.append(Problem(self.loc(key), f"{label or key} is required"))
            return None
        if isinstance(v, bool):
            v = float(v)
        if isinstance(v, int | float):
            x = float(v)
        else:
            s = excel_number_text(str(v))
            pct = s.endswith("%")
            try:
                x = float(s.rstrip("%")) / (100.0 if pct else 1.0)
            except ValueError:
                self.problems.append(Problem(self.loc(key), f"{v!r} is not a number"))
                return None
        if not math.isfinite(x):
            self.problems.append(Problem(self.loc(key), f"{v!r} is not a finite number"))
            return None
        return x

    def integer(self, key: str, default: int | None = None) -> int | None:
        x = self.number(key)
        if x is None:
            return default
        if not float(x).is_integer():
            self.problems.append(Problem(self.loc(key), f"{x:g} must be a whole number"))
            return default
        return int(x)

    def numbers(self, key: str) -> list[float]:
        v = self.cells.get(key)
        if _blank(v):
            return []
        if isinstance(v, int | float):
            return [float(v)]
        out = []
        for part in str(v).replace(",", ";").split(";"):
            if part.strip():
                try:
                    out.append(float(part))
                except ValueError:
                    self.problems.append(Problem(self.loc(key), f"{part.strip()!r} is not a "
                                                 "number (separate values with ;)"))
        return out

    def distribution(self, prefix: str, required: bool) -> Distribution | None:
        fam = self.text(f"{prefix}dist").lower().replace("-", "").replace(" ", "")
        fam = {"tri": "triangular", "betapert": "pert", "constant": "fixed",
               "log-uniform": "loguniform"}.get(fam, fam)
        if not fam:
            if required:
                self.problems.append(Problem(self.loc(f"{prefix}dist"), "impact distribution "
                                             "is required for a quantitative risk"))
            return None
        if fam not in FAMILIES:
            self.problems.append(Problem(self.loc(f"{prefix}dist"), f"unknown distribution "
                                         f"{fam!r}; expected one of {', '.join(FAMILIES)}"))
            return None
        need = {"triangular": ("min", "mode", "max"), "pert": ("min", "mode", "max"),
                "uniform": ("min", "max"), "loguniform": ("min", "max"),
                "normal": ("mean", "sd"), "lognormal": ("mean", "sd"), "fixed": ("mean",)}
        if fam == "discrete":
            vals, probs = self.numbers(f"{prefix}values"), self.numbers(f"{prefix}probs")
            if not vals:
                self.problems.append(Problem(self.loc(f"{prefix}values"),
                                             "discrete needs values"))
            return Distribution("discrete", {"values": vals, "probs": probs})
        got: dict[str, float] = {}
        for k in need[fam]:
            x = self.number(f"{prefix}{k}", required=True, label=f"{fam} {k}")
            if x is not None:
                got[k] = x
        if len(got) < len(need[fam]):
            return None
        if fam == "lognormal":
            sign = -1.0 if got["mean"] < 0 else 1.0
            return Distribution("lognormal", {"mean": abs(got["mean"]), "sd": got["sd"],
                                              "sign": sign})
        if fam == "fixed":
            return Distribution("fixed", {"value": got["mean"]})
        return Distribution(fam, got)


def row_to_risk(cells: dict[str, Any], loc: Callable[[str], str],
                months: int | None = None) -> tuple[Risk | None, list[Problem]]:
    """Parse one row (column key → raw value). Problems name cells through ``loc``.

    Every rule of ``Risk.validate`` is checked here too, each problem pointing at its cell.
    """
    rd = _Reader(cells, loc)
    rid = rd.text("id")
    if not rid:
        rd.problems.append(Problem(loc("id"), "risk id is required"))
    kind = rd.text("kind", "quantitative").lower()
    if kind not in KINDS:
        rd.problems.append(Problem(loc("kind"), f"kind {kind!r} must be quantitative or "
                                   "qualitative"))
    prob = rd.number("probability", required=(kind == "quantitative"), label="probability")
    if prob is not None and not 0.0 <= prob <= 1.0:
        rd.problems.append(Problem(loc("probability"), f"probability {prob:g} is outside 0-1"))
    impact = rd.distribution("", required=(kind == "quantitative"))
    if impact is not None:
        for p in impact.validate("impact"):
            rd.problems.append(Problem(loc(_cell_for(p.where, "")), p.message))
    post_p = rd.number("post_probability")
    if post_p is not None and not 0.0 <= post_p <= 1.0:
        rd.problems.append(Problem(loc("post_probability"), f"post-mitigation probability "
                                   f"{post_p:g} is outside 0-1"))
    post = rd.distribution("post_", required=False)
    if post is not None:
        for p in post.validate("post_impact"):
            rd.problems.append(Problem(loc(_cell_for(p.where, "post_")), p.message))
    affects = rd.text("affects", "ebitda").lower()
    if affects not in AFFECTS:
        rd.problems.append(Problem(loc("affects"), f"affects {affects!r} must be one of "
                                   + ", ".join(AFFECTS)))
    phasing = Phasing.window(0, 1)
    profile = rd.text("profile")
    if profile:
        ms, ws = [], []
        for part in profile.split(";"):
            if not part.strip():
                continue
            try:
                m, w = part.split(":")
                ms.append(int(m))
                ws.append(float(w))
            except ValueError:
                rd.problems.append(Problem(loc("profile"), f"{part.strip()!r} is not "
                                           "month:weight"))
        phasing = Phasing.profile(ms, ws)
    else:
        start = rd.integer("start", 0)
        length = rd.integer("length", 1)
        phasing = Phasing.window(start or 0, length if length is not None else 1)
    if months is not None and kind == "quantitative":
        for p in phasing.validate(months):
            key = "profile" if profile else ("length" if p.where.endswith("length") else "start")
            rd.problems.append(Problem(loc(key), p.message))
    cost = rd.number("mitigation_cost") or 0.0
    if cost < 0:
        rd.problems.append(Problem(loc("mitigation_cost"), f"mitigation cost {cost:g} must be "
                                   ">= 0"))
    lik, sev = rd.integer("likelihood"), rd.integer("severity")
    for key, v in (("likelihood", lik), ("severity", sev)):
        if v is not None and not 1 <= v <= 5:
            rd.problems.append(Problem(loc(key), f"rating {v} must be 1-5"))
        if v is None and kind == "qualitative":
            rd.problems.append(Problem(loc(key), "qualitative risks need likelihood and impact "
                                       "ratings 1-5"))
    if rd.problems:
        return None, rd.problems
    risk = Risk(
        id=rid, title=rd.text("title"), description=rd.text("description"),
        owner=rd.text("owner"), business_unit=rd.text("business_unit"),
        category=rd.text("category", "operational"), status=rd.text("status", "open").lower(),
        kind=kind, probability=prob if prob is not None else 0.0,
        impact=impact or Distribution("fixed", {"value": 0.0}), affects=affects,
        phasing=phasing, post_probability=post_p, post_impact=post, mitigation_cost=cost,
        mitigation=rd.text("mitigation"), likelihood=lik, severity=sev, source=rd.text("source"))
    return risk, []


def _cell_for(where: str, prefix: str) -> str:
    """Map ``impact.mode`` (a validate() location) to the column key holding it."""
    param = where.rsplit(".", 1)[-1]
    if param in ("value", "sign"):
        param = "mean"
    if param not in dict(_DIST):
        param = "dist"
    return f"{prefix}{param}"
