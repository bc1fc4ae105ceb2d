"""Schema 3: simulation run records."""

from __future__ import annotations

from typing import Any

VERSION = 3


def upgrade(conn: Any) -> None:
    from riskdesk.storage.tables.runs import RunRecord

    RunRecord.__table__.create(conn)  # type: ignore[attr-defined,union-attr]
