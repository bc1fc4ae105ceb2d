"""Schema 6: PII policy versions and the PII detection log."""

from __future__ import annotations

from typing import Any

VERSION = 6


def upgrade(conn: Any) -> None:
    from riskdesk.storage.tables.governance import PiiDetectionLog, PiiPolicyVersion

    for model in (PiiPolicyVersion, PiiDetectionLog):
        model.__table__.create(conn)  # type: ignore[attr-defined,union-attr]
