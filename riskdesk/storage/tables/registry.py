"""Registry drafts (editable rows) and frozen versions (immutable content)."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class RegistryRow(SQLModel, table=True):
    """A registry: its name and settings; its risks are in ``draft_risk``."""

    __tablename__ = "registry"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    units: str = "kUSD"
    months: int = 36
    start: str = "2027-01"
    iterations: int = 10000
    seed: int = 12345
    correlation: str = "{}"  # JSON of domain Correlation.to_dict()


class DraftRisk(SQLModel, table=True):
    """One risk of a registry's editable draft; ``data`` is the JSON of ``Risk.to_dict()``."""

    __tablename__ = "draft_risk"
    __table_args__ = (UniqueConstraint("registry_id", "risk_id"),)
    id: int | None = Field(default=None, primary_key=True)
    registry_id: int = Field(foreign_key="registry.id", index=True)
    position: int = 0
    risk_id: str
    data: str


class RegistryVersion(SQLModel, table=True):
    """An immutable frozen registry (canonical JSON + SHA-256). Only ``stage`` may change."""

    __tablename__ = "registry_version"
    __table_args__ = (UniqueConstraint("registry_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    registry_id: int = Field(foreign_key="registry.id", index=True)
    number: int
    content: str
    hash: str = Field(index=True)
    stage: str = "draft"
    created_at: str
    created_by: str
    comment: str = ""


class StageTransition(SQLModel, table=True):
    """Who moved which version (registry, baseline, deck) between stages, when and why."""

    __tablename__ = "stage_transition"
    id: int | None = Field(default=None, primary_key=True)
    entity_type: str = Field(index=True)
    version_id: int = Field(index=True)
    from_stage: str
    to_stage: str
    who: str
    at: str
    comment: str = ""
