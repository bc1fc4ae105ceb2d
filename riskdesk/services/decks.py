"""Price-deck use cases: import (with preview and diff), versions, stages, export, show.

Every import creates an immutable, content-hashed deck version in stage Draft; versions move
Draft -> In review -> Approved -> Retired by the registry's stage rules. Every write is audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskdesk.domain.deck import DeckDiff, DeckSeries, PriceDeck, diff_decks
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import canonical_json
from riskdesk.services.registry import VersionInfo, now_utc
from riskdesk.services.workspace import Workspace, WriteTx
from riskdesk.storage.repos.common import Session, add, all_rows, first_where
from riskdesk.storage.tables.decks import DeckRow, DeckVersion


@dataclass(frozen=True)
class DeckSummary:
    name: str
    version: int
    stage: str
    hash: str
    basis: str
    base_year: int | None
    scenarios: list[str]
    benchmarks: list[str]
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class DeckPreview:
    """What importing a file would store: the parsed deck and its changes from the latest
    version (``previous`` is None for a new deck)."""

    deck: PriceDeck
    previous: int | None
    diff: DeckDiff
    layouts: dict[str, str] = field(default_factory=dict)
    skipped_sheets: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.deck.name, "previous_version": self.previous,
                "hash": self.deck.content_hash(), "scenarios": self.deck.scenarios,
                "benchmarks": self.deck.benchmarks, "layouts": self.layouts,
                "skipped_sheets": self.skipped_sheets, "changes": self.diff.summary(),
                "diff": [{"kind": c.kind, "where": c.where, "old": c.old, "new": c.new}
                         for c in self.diff.changes]}


def show_dict(deck: PriceDeck, version: int) -> dict[str, Any]:
    """The ``riskdesk deck show --json`` document."""
    return {"name": deck.name, "version": version, "basis": deck.basis,
            "base_year": deck.base_year, "escalation": deck.escalation,
            "series": [{"scenario": s.scenario, "benchmark": s.benchmark, "unit": s.unit,
                        "frequency": s.frequency, "points": [[p, v] for p, v in s.points]}
                       for s in deck.series]}


class DeckService:
    """The price decks of a workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # ---- reading ----------------------------------------------------------------------------
    def names(self) -> list[str]:
        with self.ws.read() as s:
            return [r.name for r in all_rows(s, DeckRow, order_by="name")]

    def summaries(self) -> list[DeckSummary]:
        out = []
        with self.ws.read() as s:
            for row in all_rows(s, DeckRow, order_by="name"):
                vs = all_rows(s, DeckVersion, order_by="number", deck_id=row.id)
                if not vs:
                    continue
                v = vs[-1]
                d = PriceDeck.from_dict(json.loads(v.content))
                out.append(DeckSummary(row.name, v.number, v.stage, v.hash, d.basis, d.base_year,
                                       d.scenarios, d.benchmarks, v.created_at))
        return out

    def _row(self, s: Session, name: str) -> DeckRow:
        row = first_where(s, DeckRow, name=name)
        if row is None:
            known = ", ".join(r.name for r in all_rows(s, DeckRow, order_by="name")) or "none"
            raise ValidationError(Problem("deck", f"no deck named {name!r} (decks: {known})"))
        return row

    def _version_row(self, s: Session, name: str, number: int | None) -> DeckVersion:
        row = self._row(s, name)
        vs = all_rows(s, DeckVersion, order_by="number", deck_id=row.id)
        if number is None:
            return vs[-1]
        for v in vs:
            if v.number == number:
                return v
        raise ValidationError(Problem("deck version", f"deck {name!r} has no version {number} "
                                      f"(versions: {', '.join(str(v.number) for v in vs)})"))

    def deck(self, name: str, version: int | None = None) -> PriceDeck:
        """A deck version's content (the latest when ``version`` is None)."""
        with self.ws.read() as s:
            return PriceDeck.from_dict(json.loads(self._version_row(s, name, version).content))

    def approved(self, name: str) -> tuple[PriceDeck, VersionInfo]:
        """The latest Approved version (what an approved run must use)."""
        with self.ws.read() as s:
            row = self._row(s, name)
            vs = [v for v in all_rows(s, DeckVersion, order_by="number", deck_id=row.id)
                  if v.stage == "approved"]
            if not vs:
                raise ValidationError(Problem("deck", f"deck {name!r} has no approved version"))
            return PriceDeck.from_dict(json.loads(vs[-1].content)), _info(vs[-1])

    def versions(self, name: str) -> list[VersionInfo]:
        with self.ws.read() as s:
            row = self._row(s, name)
            return [_info(v) for v in all_rows(s, DeckVersion, order_by="number",
                                               deck_id=row.id)]

    def version_info(self, name: str, version: int | None = None) -> VersionInfo:
        with self.ws.read() as s:
            return _info(self._version_row(s, name, version))

    def show(self, name: str, version: int | None = None) -> dict[str, Any]:
        info = self.version_info(name, version)
        return show_dict(self.deck(name, info.number), info.number)

    # ---- import / export --------------------------------------------------------------------
    def preview_import(self, path: str | Path, name: str | None = None, *,
                       basis: str | None = None, base_year: int | None = None,
                       escalation: float | None = None) -> DeckPreview:
        """Parse ``path`` and compare with the latest version of deck ``name`` (default: the
        name in the file, else the file name); ValidationError with every problem.
        ``basis`` (real/nominal), ``base_year`` and ``escalation`` (fraction per year) override
        the workbook's metadata sheet, for decks sent without one."""
        from riskdesk.io.deck_excel import read_deck_xlsx

        res = read_deck_xlsx(path, name=name, basis=basis, base_year=base_year,
                             escalation=escalation)
        prev: PriceDeck | None = None
        number = None
        if res.deck.name in self.names():
            info = self.version_info(res.deck.name)
            prev, number = self.deck(res.deck.name, info.number), info.number
        return DeckPreview(res.deck, number, diff_decks(prev, res.deck), res.layouts,
                           res.skipped_sheets)

    def import_file(self, path: str | Path, name: str | None = None, comment: str = ""
                    ) -> VersionInfo:
        """Import ``path`` as a new Draft version (nothing written when it has problems or is
        identical to the latest version, whose info is then returned)."""
        prev = self.preview_import(path, name)
        return self.save(prev.deck, comment=comment, source=Path(path).name)

    def save(self, deck: PriceDeck, comment: str = "", source: str = "") -> VersionInfo:
        """Store ``deck`` as a new Draft version of the deck of its name (validated first)."""
        probs = deck.validate()
        if probs:
            raise ValidationError(probs)
        with self.ws.write() as tx:
            return save_version(tx, deck, comment, source)

    def export(self, name: str, path: str | Path, version: int | None = None) -> VersionInfo:
        """Write a deck version to ``path`` (.xlsx)."""
        from riskdesk.io.deck_excel import write_deck_xlsx
        from riskdesk.services.governance import GovernanceService

        info = self.version_info(name, version)
        write_deck_xlsx(self.deck(name, info.number), path,
                        chain_head=GovernanceService(self.ws).stamp())
        with self.ws.write() as tx:
            tx.audit("deck.export", "deck_version", f"{name}#{info.number}", None,
                     {"file": Path(path).name, "hash": info.hash})
        return info

    # ---- stages -----------------------------------------------------------------------------
    def promote(self, name: str, number: int, to: str, comment: str = "") -> VersionInfo:
        """Move a version to stage ``to`` following the registry's stage rules."""
        from riskdesk.services.stages import move_stage, stage_key

        to = stage_key(to)
        with self.ws.write() as tx:
            v = self._version_row(tx.session, name, number)
            move_stage(tx, v, to, entity_type="deck", label=f"{name}#{number}", comment=comment,
                       gates=lambda: PriceDeck.from_dict(json.loads(v.content)).validate())
            return _info(v)


def save_version(tx: WriteTx, deck: PriceDeck, comment: str = "", source: str = ""
                 ) -> VersionInfo:
    """Inside a write transaction: add ``deck`` as the next Draft version (unless identical to
    the latest version), audited."""
    s = tx.session
    row = first_where(s, DeckRow, name=deck.name)
    if row is None:
        row = add(s, DeckRow(name=deck.name, created_at=now_utc()))
        tx.audit("deck.create", "deck", deck.name, None, {"name": deck.name})
    vs = all_rows(s, DeckVersion, order_by="number", deck_id=row.id)
    h = deck.content_hash()
    if vs and vs[-1].hash == h:
        return _info(vs[-1])
    n = vs[-1].number + 1 if vs else 1
    assert row.id is not None
    v = add(s, DeckVersion(deck_id=row.id, number=n, content=canonical_json(deck.to_dict()),
                           hash=h, stage="draft", created_at=now_utc(),
                           created_by=tx.actor.display_name, comment=comment, source=source))
    before = json.loads(vs[-1].content) if vs else None
    tx.audit("deck.import", "deck_version", f"{deck.name}#{n}", before,
             {"version": n, "hash": h, "source": source, "comment": comment,
              "content": deck.to_dict()})
    return _info(v)


def _info(v: DeckVersion) -> VersionInfo:
    return VersionInfo(v.number, v.hash, v.stage, v.created_at, v.created_by, v.comment, 0)


def demo_deck() -> PriceDeck:
    """Corporate deck: Low/Base/High annual Brent, Henry Hub, TTF and carbon, real 2026 USD."""
    years = [str(y) for y in range(2027, 2047)]
    curves = {
        "Low": {"Brent": (55.0, 0.0), "Henry Hub": (2.6, 0.0), "TTF": (22.0, 0.0),
                "Carbon": (60.0, 2.0)},
        "Base": {"Brent": (72.0, 0.3), "Henry Hub": (3.4, 0.02), "TTF": (30.0, 0.1),
                 "Carbon": (85.0, 3.0)},
        "High": {"Brent": (90.0, 0.5), "Henry Hub": (4.5, 0.03), "TTF": (40.0, 0.2),
                 "Carbon": (110.0, 4.0)},
    }
    units = {"Brent": "USD/bbl", "Henry Hub": "USD/MMBtu", "TTF": "EUR/MWh", "Carbon": "USD/t"}
    series = []
    for scen, benches in curves.items():
        for b, (v0, slope) in benches.items():
            series.append(DeckSeries(scen, b, units[b], "annual",
                                     tuple((y, round(v0 + slope * i, 2))
                                           for i, y in enumerate(years))))
    return PriceDeck("Corporate 2027", "real", 2026, 0.02, tuple(series),
                     "Demo deck: real 2026 money, 2 %/yr escalation to nominal")


def add_demo_content(ws: Workspace) -> None:
    """Add the demo deck (version 1, approved) to a new workspace."""
    svc = DeckService(ws)
    info = svc.save(demo_deck(), comment="Demo: corporate price deck")
    svc.promote("Corporate 2027", info.number, "in_review", "Demo")
    svc.promote("Corporate 2027", info.number, "approved", "Demo")
