"""Price decks (immutable content-hashed versions moving through stages) and assets."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class DeckRow(SQLModel, table=True):
    """A named price deck; its content lives in its versions."""

    __tablename__ = "deck"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    created_at: str


class DeckVersion(SQLModel, table=True):
    """One imported deck: canonical JSON of ``PriceDeck.to_dict()`` and its hash; immutable
    except for ``stage``."""

    __tablename__ = "deck_version"
    __table_args__ = (UniqueConstraint("deck_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    deck_id: int = Field(foreign_key="deck.id", index=True)
    number: int
    content: str
    hash: str = Field(index=True)
    stage: str = "draft"
    created_at: str
    created_by: str
    comment: str = ""
    source: str = ""  # file name it was imported from


class AssetRow(SQLModel, table=True):
    """An asset definition: canonical JSON of ``Asset.to_dict()``; ``deck`` names the deck it is
    evaluated against by default."""

    __tablename__ = "asset"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    content: str
    hash: str
    deck: str = ""
    updated_at: str
