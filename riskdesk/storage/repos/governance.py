"""Storage helpers for governance: generic text-column access for redacted copies and the
audit-log reset a redacted copy needs (its history is replaced by one entry)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import String, text
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.sqltypes import AutoString

from riskdesk.storage.tables import AuditEntry
from riskdesk.storage.tables.governance import PiiDetectionLog

SKIP_TABLES = frozenset({"audit_entry", "schema_migration", "pii_detection_log",
                         "pii_policy_version"})
SKIP_COLUMNS = frozenset({"hash", "prev_hash", "created_at", "updated_at", "at", "stage",
                          "status", "kind", "method", "scale", "units", "levels"})


def text_tables() -> list[tuple[str, list[str], list[str]]]:
    """``(table, [primary-key columns], [free-text columns])`` for every table with text."""
    out = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name in SKIP_TABLES:
            continue
        pk = [c.name for c in table.primary_key.columns]
        cols = [c.name for c in table.columns
                if _is_text(c.type) and c.name not in SKIP_COLUMNS and not c.primary_key
                and not c.foreign_keys]
        if cols and pk:
            out.append((table.name, pk, cols))
    return out


def _is_text(typ: Any) -> bool:
    return isinstance(typ, String | AutoString)


def text_cells(session: Session, table: str, pk: list[str], cols: list[str]
               ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """``(primary key, {column: value})`` for every row of ``table``."""
    t = SQLModel.metadata.tables[table]
    res = session.connection().execute(t.select()).mappings().all()
    return [({k: r[k] for k in pk}, {c: r[c] for c in cols}) for r in res]


def update_cells(session: Session, table: str, key: dict[str, Any],
                 values: dict[str, Any]) -> None:
    t = SQLModel.metadata.tables[table]
    cond = [t.c[k] == v for k, v in key.items()]
    session.connection().execute(t.update().where(*cond).values(**values))


@contextmanager
def triggers_suspended(session: Session) -> Iterator[None]:
    """Drop every trigger (immutability and append-only guards) for the body, then put them
    back: only for rewriting a brand-new redacted copy inside one transaction."""
    conn = session.connection()
    trig = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type='trigger'")).all()
    for name, _sql in trig:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in trig:
        conn.execute(text(sql))


def reset_audit_log(session: Session) -> None:
    """Delete every audit entry (call inside ``triggers_suspended``)."""
    session.connection().execute(text("DELETE FROM audit_entry"))


def clear_detections(session: Session) -> None:
    session.connection().execute(text("DELETE FROM pii_detection_log"))


def detections(session: Session, scan_id: str | None = None) -> list[PiiDetectionLog]:
    q = select(PiiDetectionLog)
    if scan_id:
        q = q.where(PiiDetectionLog.scan_id == scan_id)
    return list(session.exec(q.order_by(col(PiiDetectionLog.id))))


def last_scan_id(session: Session) -> str | None:
    row = session.exec(select(PiiDetectionLog).order_by(col(PiiDetectionLog.id).desc())
                       .limit(1)).first()
    return row.scan_id if row else None


def audit_count(session: Session) -> int:
    return len(list(session.exec(select(AuditEntry.seq))))


def compact_file(path: str) -> None:
    """VACUUM a closed workspace file so overwritten text leaves no trace in free pages, and
    fold the WAL back into the file."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        con.execute("VACUUM")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
