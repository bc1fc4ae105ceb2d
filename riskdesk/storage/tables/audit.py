"""The hash-chained audit log."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class AuditEntry(SQLModel, table=True):
    """One audited change. ``hash`` = HMAC-SHA-256 over the canonical entry incl. ``prev_hash``."""

    __tablename__ = "audit_entry"
    seq: int = Field(primary_key=True)
    at: str
    os_user: str
    display_name: str
    action: str = Field(index=True)
    entity_type: str = Field(index=True)
    entity_id: str = Field(index=True)
    before: str = "null"
    after: str = "null"
    diff: str = "[]"
    prev_hash: str
    hash: str
