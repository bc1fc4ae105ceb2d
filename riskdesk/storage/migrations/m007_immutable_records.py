"""Schema 7: deck versions and runs cannot be rewritten in place (only a deck's stage moves)."""

from __future__ import annotations

from typing import Any

VERSION = 7

DDL = [
    """CREATE TRIGGER deck_version_immutable BEFORE UPDATE OF content, hash, number, deck_id
        ON deck_version BEGIN SELECT RAISE(ABORT, 'deck versions are immutable'); END""",
    """CREATE TRIGGER run_immutable BEFORE UPDATE ON run BEGIN
        SELECT RAISE(ABORT, 'runs are immutable'); END""",
]


def upgrade(conn: Any) -> None:
    for stmt in DDL:
        conn.exec_driver_sql(stmt)
