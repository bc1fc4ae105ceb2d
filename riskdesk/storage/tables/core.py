"""Workspace metadata and people."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class WorkspaceMeta(SQLModel, table=True):
    __tablename__ = "workspace_meta"
    key: str = Field(primary_key=True)
    value: str = ""


class Person(SQLModel, table=True):
    """Someone who owns risks, answers elicitations or approves versions."""

    __tablename__ = "person"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    email: str = ""
    role: str = ""
    business_unit: str = ""
