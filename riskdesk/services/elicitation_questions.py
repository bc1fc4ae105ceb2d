"""Questions of an elicitation session: their specification, answer formats and validation
(shared by the session use cases and the Excalibur import)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.elicitation.fitting import THREE_POINT_FAMILIES, from_three_point
from riskdesk.storage.repos.common import Session, add, first_where
from riskdesk.storage.tables.elicitation import ElicitationQuestion

PARAMETERS = ("probability", "impact", "post_probability", "post_impact", "phasing.start")
ANSWER_FORMATS = ("quantiles", "three_point")


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class QuestionSpec:
    """A question to add: seed when ``realisation`` is given; ``risk_id``/``parameter`` tie a
    target question to a risk parameter (see ``PARAMETERS``). ``answer_format`` (``quantiles`` or
    ``three_point``) and ``three_point_family`` (``pert``/``triangular``) default to the session's
    when None."""

    code: str
    text: str = ""
    units: str = ""
    scale: str = "UNI"
    realisation: float | None = None
    lower: float | None = None
    upper: float | None = None
    risk_id: str = ""
    parameter: str = ""
    answer_format: str | None = None
    three_point_family: str | None = None


def three_point_fit(q: ElicitationQuestion, values: Any) -> Any:
    """The PERT or triangular :class:`~riskdesk.elicitation.fitting.Fit` of a three-point answer
    [min, most likely, max] to question ``q``."""
    lo, mode, hi = (float(v) for v in values)
    return from_three_point(lo, mode, hi, q.three_point_family)


def format_name(q: ElicitationQuestion) -> str:
    return "quantiles" if q.answer_format == "quantiles" else \
        f"three_point ({q.three_point_family})"


def check_format(where: str, answer_format: str, family: str) -> None:
    if answer_format not in ANSWER_FORMATS:
        raise ValidationError(Problem(f"{where}.answer_format", f"answer format "
                                      f"{answer_format!r} is not one of "
                                      + ", ".join(ANSWER_FORMATS)))
    if family not in THREE_POINT_FAMILIES:
        raise ValidationError(Problem(f"{where}.three_point_family", f"three-point family "
                                      f"{family!r} is not one of "
                                      + ", ".join(THREE_POINT_FAMILIES)))


def new_question(s: Session, sid: int, position: int, q: QuestionSpec,
                  answer_format: str = "quantiles",
                  three_point_family: str = "pert") -> ElicitationQuestion:
    code = q.code.strip()
    scale = q.scale.strip().upper()
    if not code:
        raise ValidationError(Problem(f"questions[{position}].code", "a question needs a code"))
    if scale not in ("UNI", "LOG"):
        raise ValidationError(Problem(f"{code}.scale", f"scale {q.scale!r} is not UNI or LOG"))
    if q.risk_id and q.parameter not in PARAMETERS:
        raise ValidationError(Problem(f"{code}.parameter", f"parameter {q.parameter!r} is not "
                                      "one of " + ", ".join(PARAMETERS)))
    if scale == "LOG" and q.realisation is not None and q.realisation <= 0:
        raise ValidationError(Problem(f"{code}.realisation", f"realisation {q.realisation:g} on "
                                      "a LOG-scale question must be > 0"))
    if first_where(s, ElicitationQuestion, session_id=sid, code=code):
        raise ValidationError(Problem(f"{code}.code", f"question {code!r} already exists"))
    fmt = q.answer_format or answer_format
    family = q.three_point_family or three_point_family
    check_format(code, fmt, family)
    return add(s, ElicitationQuestion(
        session_id=sid, position=position, code=code, text=q.text, units=q.units, scale=scale,
        realisation=q.realisation, lower=q.lower, upper=q.upper, risk_id=q.risk_id,
        parameter=q.parameter, answer_format=fmt, three_point_family=family))
