"""Queries over the audit log."""

from __future__ import annotations

from sqlmodel import Session, col, select

from riskdesk.storage.tables import AuditEntry


def last_entry(session: Session) -> AuditEntry | None:
    return session.exec(select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(1)).first()


def entries(session: Session, entity_type: str | None = None,
            entity_id: str | None = None) -> list[AuditEntry]:
    q = select(AuditEntry)
    if entity_type:
        q = q.where(AuditEntry.entity_type == entity_type)
    if entity_id:
        q = q.where(AuditEntry.entity_id == entity_id)
    return list(session.exec(q.order_by(col(AuditEntry.seq))))
