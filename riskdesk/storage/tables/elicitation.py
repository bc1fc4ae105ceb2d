"""Elicitation sessions: experts, questions (seed and target), answers, applied results."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class ElicitationSession(SQLModel, table=True):
    """A meeting: facilitator, quantile levels (JSON list of probabilities), progress.

    ``status`` is ``active``, ``paused`` or ``closed``; ``position`` is the question (index in
    question order) and ``expert_position`` the expert the form was on when last saved.
    """

    __tablename__ = "elicitation_session"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    facilitator: str = ""
    levels: str = "[0.1, 0.5, 0.9]"
    status: str = "active"
    position: int = 0
    expert_position: int = 0
    source: str = ""
    created_at: str = ""
    updated_at: str = ""


class ElicitationExpert(SQLModel, table=True):
    """An expert of a session: a person of the workspace (or an imported label only)."""

    __tablename__ = "elicitation_expert"
    __table_args__ = (UniqueConstraint("session_id", "label"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="elicitation_session.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    label: str
    position: int = 0


class ElicitationQuestion(SQLModel, table=True):
    """A seed question (with ``realisation``) or a target question tied to a risk parameter.

    ``scale`` is ``UNI`` or ``LOG``; ``parameter`` names what the answer sets on ``risk_id``
    (``probability``, ``impact``, ``post_probability``, ``post_impact``, ``phasing.start``) or is
    free text for an economic input. ``answer_format`` is ``quantiles`` (the session's levels) or
    ``three_point`` (min / most likely / max, fitted with ``three_point_family``: ``pert`` or
    ``triangular``).
    """

    __tablename__ = "elicitation_question"
    __table_args__ = (UniqueConstraint("session_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="elicitation_session.id", index=True)
    position: int = 0
    code: str
    text: str = ""
    units: str = ""
    scale: str = "UNI"
    realisation: float | None = None
    lower: float | None = None
    upper: float | None = None
    risk_id: str = ""
    parameter: str = ""
    answer_format: str = "quantiles"
    three_point_family: str = "pert"


class ElicitationAnswer(SQLModel, table=True):
    """One expert's answer to one question (``values``: JSON list in the session's levels, or
    [min, most likely, max] for a three-point question)."""

    __tablename__ = "elicitation_answer"
    __table_args__ = (UniqueConstraint("question_id", "expert_id"),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="elicitation_session.id", index=True)
    question_id: int = Field(foreign_key="elicitation_question.id", index=True)
    expert_id: int = Field(foreign_key="elicitation_expert.id", index=True)
    values: str
    units: str = ""
    rationale: str = ""
    updated_at: str = ""


class ElicitationResult(SQLModel, table=True):
    """A pooled result applied to a risk: method, weights, experts and fit as JSON ``content``."""

    __tablename__ = "elicitation_result"
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="elicitation_session.id", index=True)
    question_id: int = Field(foreign_key="elicitation_question.id")
    risk_id: str = Field(index=True)
    parameter: str
    method: str
    content: str
    created_at: str
    created_by: str
