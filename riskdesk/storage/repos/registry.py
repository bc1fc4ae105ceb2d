"""Queries over registries, their draft risks and frozen versions."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from riskdesk.storage.tables import DraftRisk, RegistryRow, RegistryVersion, StageTransition


def registries(session: Session) -> list[RegistryRow]:
    return list(session.exec(select(RegistryRow).order_by(col(RegistryRow.id))))


def registry_by_name(session: Session, name: str) -> RegistryRow | None:
    return session.exec(select(RegistryRow).where(RegistryRow.name == name)).first()


def draft_risks(session: Session, registry_id: int) -> list[DraftRisk]:
    q = select(DraftRisk).where(DraftRisk.registry_id == registry_id)
    return list(session.exec(q.order_by(col(DraftRisk.position), col(DraftRisk.id))))


def draft_risk(session: Session, registry_id: int, risk_id: str) -> DraftRisk | None:
    q = select(DraftRisk).where(DraftRisk.registry_id == registry_id,
                                DraftRisk.risk_id == risk_id)
    return session.exec(q).first()


def versions(session: Session, registry_id: int) -> list[RegistryVersion]:
    q = select(RegistryVersion).where(RegistryVersion.registry_id == registry_id)
    return list(session.exec(q.order_by(col(RegistryVersion.number))))


def version(session: Session, registry_id: int, number: int) -> RegistryVersion | None:
    q = select(RegistryVersion).where(RegistryVersion.registry_id == registry_id,
                                      RegistryVersion.number == number)
    return session.exec(q).first()


def next_version_number(session: Session, registry_id: int) -> int:
    q = select(func.max(RegistryVersion.number)).where(RegistryVersion.registry_id == registry_id)
    return int(session.exec(q).one() or 0) + 1


def transitions(session: Session, entity_type: str, version_id: int) -> list[StageTransition]:
    q = select(StageTransition).where(StageTransition.entity_type == entity_type,
                                      StageTransition.version_id == version_id)
    return list(session.exec(q.order_by(col(StageTransition.id))))
