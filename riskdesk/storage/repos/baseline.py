"""Queries over baseline plans and their versions."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from riskdesk.storage.tables import BaselineRow, BaselineVersion


def baselines(session: Session) -> list[BaselineRow]:
    return list(session.exec(select(BaselineRow).order_by(col(BaselineRow.id))))


def baseline_by_name(session: Session, name: str) -> BaselineRow | None:
    return session.exec(select(BaselineRow).where(BaselineRow.name == name)).first()


def versions(session: Session, baseline_id: int) -> list[BaselineVersion]:
    q = select(BaselineVersion).where(BaselineVersion.baseline_id == baseline_id)
    return list(session.exec(q.order_by(col(BaselineVersion.number))))


def next_version_number(session: Session, baseline_id: int) -> int:
    q = select(func.max(BaselineVersion.number)).where(BaselineVersion.baseline_id == baseline_id)
    return int(session.exec(q).one() or 0) + 1
