"""Schema 2: the hash-chained audit log (append-only by trigger)."""

from __future__ import annotations

from typing import Any

VERSION = 2

DDL = [
    """CREATE TABLE audit_entry (
        seq INTEGER NOT NULL PRIMARY KEY, at VARCHAR NOT NULL, os_user VARCHAR NOT NULL,
        display_name VARCHAR NOT NULL, action VARCHAR NOT NULL, entity_type VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL, before VARCHAR NOT NULL, after VARCHAR NOT NULL,
        diff VARCHAR NOT NULL, prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL)""",
    """CREATE INDEX ix_audit_entry_action ON audit_entry (action)""",
    """CREATE INDEX ix_audit_entry_entity_type ON audit_entry (entity_type)""",
    """CREATE INDEX ix_audit_entry_entity_id ON audit_entry (entity_id)""",
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry BEGIN
        SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN
        SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
]


def upgrade(conn: Any) -> None:
    for stmt in DDL:
        conn.exec_driver_sql(stmt)
