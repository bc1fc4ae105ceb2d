"""Small generic helpers over a session, so layers above storage never write SQL."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

T = TypeVar("T", bound=SQLModel)

__all__ = ["Session", "add", "all_rows", "first_where", "get", "delete"]


def add(session: Session, row: T) -> T:
    session.add(row)
    session.flush()
    return row


def get(session: Session, model: type[T], key: Any) -> T | None:
    return session.get(model, key)


def all_rows(session: Session, model: type[T], order_by: str | None = None,
             **where: Any) -> list[T]:
    q = select(model)
    for k, v in where.items():
        q = q.where(getattr(model, k) == v)
    if order_by:
        desc = order_by.startswith("-")
        c = getattr(model, order_by.lstrip("-"))
        q = q.order_by(c.desc() if desc else c)
    return list(session.exec(q))


def first_where(session: Session, model: type[T], order_by: str | None = None,
                **where: Any) -> T | None:
    rows = all_rows(session, model, order_by, **where)
    return rows[0] if rows else None


def delete(session: Session, row: SQLModel) -> None:
    session.delete(row)
    session.flush()
