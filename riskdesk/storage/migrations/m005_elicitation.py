"""Schema 5: elicitation sessions, experts, questions, answers and applied results."""

from __future__ import annotations

from typing import Any

VERSION = 5


def upgrade(conn: Any) -> None:
    from riskdesk.storage.tables.elicitation import (
        ElicitationAnswer,
        ElicitationExpert,
        ElicitationQuestion,
        ElicitationResult,
        ElicitationSession,
    )

    for model in (ElicitationSession, ElicitationExpert, ElicitationQuestion, ElicitationAnswer,
                  ElicitationResult):
        model.__table__.create(conn)  # type: ignore[attr-defined,union-attr]
