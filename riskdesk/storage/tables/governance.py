"""PII policy versions and the PII detection log.

Detections carry positions and scores, never the detected text.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class PiiPolicyVersion(SQLModel, table=True):
    """A PII policy as it was used: its author version, content hash and canonical JSON."""

    __tablename__ = "pii_policy_version"
    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(index=True)
    hash: str = Field(unique=True)
    content: str
    created_at: str
    created_by: str


class PiiDetectionLog(SQLModel, table=True):
    """One detection: where (``field``), what type, span in the original text, score, the action
    the policy took, and which policy version decided it. ``scan_id`` groups one scan."""

    __tablename__ = "pii_detection_log"
    id: int | None = Field(default=None, primary_key=True)
    scan_id: str = Field(index=True)
    at: str
    field: str = Field(index=True)
    entity_type: str = Field(index=True)
    start: int
    end: int
    score: float
    action: str
    policy_version: str
