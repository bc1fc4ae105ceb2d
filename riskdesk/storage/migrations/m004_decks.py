"""Schema 4: price decks, their versions, and assets."""

from __future__ import annotations

from typing import Any

VERSION = 4


def upgrade(conn: Any) -> None:
    from riskdesk.storage.tables.decks import AssetRow, DeckRow, DeckVersion

    for model in (DeckRow, DeckVersion, AssetRow):
        model.__table__.create(conn)  # type: ignore[attr-defined,union-attr]
