"""Baseline plans: an editable draft and frozen versions."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class BaselineRow(SQLModel, table=True):
    """A baseline plan; ``draft`` is the JSON of ``BaselinePlan.to_dict()``."""

    __tablename__ = "baseline"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    draft: str


class BaselineVersion(SQLModel, table=True):
    __tablename__ = "baseline_version"
    __table_args__ = (UniqueConstraint("baseline_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    baseline_id: int = Field(foreign_key="baseline.id", index=True)
    number: int
    content: str
    hash: str = Field(index=True)
    stage: str = "draft"
    created_at: str
    created_by: str
    comment: str = ""
