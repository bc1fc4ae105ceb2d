"""Registry use cases: edit the draft, import, freeze versions, move them through stages.

Every write is one audited transaction. Errors are ``ValidationError`` with located problems.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import UTC, datetime
from typing import Any

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import (
    Correlation,
    Registry,
    canonical_json,
)
from riskdesk.domain.risk import Risk, edited_source
from riskdesk.services.workspace import Workspace
from riskdesk.storage.repos import registry as repo
from riskdesk.storage.repos.common import Session, add, delete
from riskdesk.storage.tables import DraftRisk, RegistryRow, RegistryVersion


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class VersionInfo:
    """A frozen registry version as listed to users."""

    number: int
    hash: str
    stage: str
    created_at: str
    created_by: str
    comment: str
    risks: int

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.number, "hash": self.hash, "stage": self.stage,
                "created_at": self.created_at, "created_by": self.created_by,
                "comment": self.comment, "risks": self.risks}


@dataclass(frozen=True)
class ImportPreview:
    """What applying an incoming registry to the draft would do."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[str]]:
        return {"added": self.added, "changed": self.changed, "removed": self.removed,
                "unchanged": self.unchanged}


class RegistryService:
    """The registry of a workspace (the first one unless ``name`` is given)."""

    def __init__(self, ws: Workspace, name: str | None = None) -> None:
        self.ws = ws
        self.name = name

    # ---- reading ----------------------------------------------------------------------------
    def _row(self, s: Session) -> RegistryRow:
        if self.name:
            row = repo.registry_by_name(s, self.name)
        else:
            rows = repo.registries(s)
            row = rows[0] if rows else None
        if row is None:
            raise ValidationError(Problem("registry", f"no registry {self.name or ''} in "
                                          f"{self.ws.path.name}; import or create one first"))
        return row

    def exists(self) -> bool:
        with self.ws.read() as s:
            return bool(repo.registry_by_name(s, self.name) if self.name else repo.registries(s))

    def draft(self) -> Registry:
        """The editable draft as a domain Registry (risks in display order)."""
        with self.ws.read() as s:
            row = self._row(s)
            risks = tuple(Risk.from_dict(json.loads(r.data)) for r in repo.draft_risks(s, _id(row)))
            return _registry_from_row(row, risks)

    def risk(self, risk_id: str) -> Risk:
        for r in self.draft().risks:
            if r.id == risk_id:
                return r
        raise ValidationError(Problem(risk_id, f"no risk {risk_id!r} in the draft"))

    def versions(self) -> list[VersionInfo]:
        with self.ws.read() as s:
            row = self._row(s)
            return [_info(v) for v in repo.versions(s, _id(row))]

    def version(self, number: int | None = None) -> Registry:
        """Content of a frozen version (the latest if ``number`` is None)."""
        with self.ws.read() as s:
            v = self._version_row(s, number)
            return Registry.from_dict(json.loads(v.content))

    def version_info(self, number: int | None = None) -> VersionInfo:
        with self.ws.read() as s:
            return _info(self._version_row(s, number))

    def _version_row(self, s: Session, number: int | None) -> RegistryVersion:
        row = self._row(s)
        vs = repo.versions(s, _id(row))
        if not vs:
            raise ValidationError(Problem("version", "the registry has no frozen version yet; "
                                          "freeze one first"))
        if number is None:
            return vs[-1]
        for v in vs:
            if v.number == number:
                return v
        raise ValidationError(Problem("version", f"registry version {number} does not exist "
                                      f"(versions: {', '.join(str(v.number) for v in vs)})"))

    def history(self, number: int) -> list[dict[str, str]]:
        with self.ws.read() as s:
            v = self._version_row(s, number)
            return [{"from": t.from_stage, "to": t.to_stage, "who": t.who, "at": t.at,
                     "comment": t.comment} for t in repo.transitions(s, "registry", _id(v))]

    # ---- writing ----------------------------------------------------------------------------
    def create(self, registry: Registry) -> None:
        """Create a registry with ``registry``'s settings and risks as its draft."""
        problems = [p for p in registry.validate() if p.where.endswith(".id")]
        if problems:
            raise ValidationError(problems)
        with self.ws.write() as tx:
            if repo.registry_by_name(tx.session, registry.name):
                raise ValidationError(Problem("name", f"a registry named {registry.name!r} "
                                              "already exists"))
            row = add(tx.session, RegistryRow(
                name=registry.name, units=registry.units, months=registry.months,
                start=registry.start, iterations=registry.iterations, seed=registry.seed,
                correlation=canonical_json(registry.correlation.to_dict())))
            for i, r in enumerate(registry.risks):
                add(tx.session, DraftRisk(registry_id=_id(row), position=i, risk_id=r.id,
                                          data=canonical_json(r.to_dict())))
            tx.audit("registry.create", "registry", registry.name, None, registry.to_dict())
        self.name = registry.name

    def remove(self) -> Registry:
        """Delete the registry and its draft, leaving the workspace with no registry (undo of
        the import that created it). Refused once a version is frozen: versions are kept.
        Each draft risk's removal and the registry's are audited; returns what was removed."""
        with self.ws.write() as tx:
            row = self._row(tx.session)
            if repo.versions(tx.session, _id(row)):
                raise ValidationError(Problem("registry", f"registry {row.name!r} has frozen "
                                              "versions, which are kept; it cannot be removed"))
            drafts = repo.draft_risks(tx.session, _id(row))
            reg = _registry_from_row(row, tuple(Risk.from_dict(json.loads(d.data))
                                                for d in drafts))
            for d in drafts:
                tx.audit("risk.delete", "risk", d.risk_id, json.loads(d.data), None)
                delete(tx.session, d)
            delete(tx.session, row)
            tx.audit("registry.delete", "registry", reg.name, reg.to_dict(), None)
        return reg

    def upsert_risk(self, risk: Risk, *, position: int | None = None) -> None:
        """Add a risk to the draft or replace the one with the same id."""
        self.apply_risks([risk], positions={risk.id: position} if position is not None else None)

    def apply_risks(self, risks: list[Risk], *, positions: dict[str, int] | None = None,
                    action: str = "risk.update") -> None:
        """Add or replace several risks in one audited transaction (paste, bulk edit, undo)."""
        bad = [p for r in risks for p in _row_problems(r)]
        if bad:
            raise ValidationError(bad)
        with self.ws.write() as tx:
            row = self._row(tx.session)
            existing = repo.draft_risks(tx.session, _id(row))
            n = len(existing)
            for r in risks:
                d = repo.draft_risk(tx.session, _id(row), r.id)
                new = r.to_dict()
                if d is None:
                    pos = (positions or {}).get(r.id)
                    if pos is None:
                        pos, n = n, n + 1
                    else:
                        _shift(existing, pos)
                    add(tx.session, DraftRisk(registry_id=_id(row), position=pos, risk_id=r.id,
                                              data=canonical_json(new)))
                    tx.audit("risk.add", "risk", r.id, None, new)
                else:
                    old = json.loads(d.data)
                    if old == json.loads(canonical_json(new)):
                        continue
                    d.data = canonical_json(new)
                    tx.session.add(d)
                    tx.audit(action, "risk", r.id, old, new)

    def rename_risk(self, old_id: str, risk: Risk) -> None:
        """Replace risk ``old_id`` by ``risk`` whose id differs (keeps its position)."""
        with self.ws.write() as tx:
            row = self._row(tx.session)
            d = repo.draft_risk(tx.session, _id(row), old_id)
            if d is None:
                raise ValidationError(Problem(old_id, f"no risk {old_id!r}"))
            if repo.draft_risk(tx.session, _id(row), risk.id):
                raise ValidationError(Problem(f"{risk.id}.id", f"risk id {risk.id!r} is taken"))
            old = json.loads(d.data)
            d.risk_id, d.data = risk.id, canonical_json(risk.to_dict())
            tx.session.add(d)
            tx.audit("risk.rename", "risk", risk.id, old, risk.to_dict())

    def delete_risks(self, risk_ids: list[str]) -> list[tuple[int, Risk]]:
        """Remove risks from the draft; returns (position, risk) for undo."""
        removed = []
        with self.ws.write() as tx:
            row = self._row(tx.session)
            for rid in risk_ids:
                d = repo.draft_risk(tx.session, _id(row), rid)
                if d is None:
                    raise ValidationError(Problem(rid, f"no risk {rid!r} in the draft"))
                old = json.loads(d.data)
                removed.append((d.position, Risk.from_dict(old)))
                delete(tx.session, d)
                tx.audit("risk.delete", "risk", rid, old, None)
            _renumber(repo.draft_risks(tx.session, _id(row)))
        return removed

    def update_settings(self, **changes: Any) -> None:
        """Change registry settings: units, months, start, iterations, seed."""
        allowed = {"units", "months", "start", "iterations", "seed"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(Problem("settings", f"unknown settings {sorted(unknown)}"))
        with self.ws.write() as tx:
            row = self._row(tx.session)
            before = {k: getattr(row, k) for k in changes}
            for k, v in changes.items():
                setattr(row, k, v)
            tx.session.add(row)
            tx.audit("registry.settings", "registry", row.name, before, changes)

    def set_correlation(self, corr: Correlation) -> None:
        with self.ws.write() as tx:
            row = self._row(tx.session)
            before = json.loads(row.correlation)
            row.correlation = canonical_json(corr.to_dict())
            tx.session.add(row)
            tx.audit("registry.correlation", "registry", row.name, before, corr.to_dict())

    def set_pair_correlation(self, a: str, b: str, rho: float) -> None:
        self.set_correlation(self.draft().correlation.with_pair(a, b, rho))

    def preview_import(self, incoming: Registry, *, replace: bool = False) -> ImportPreview:
        cur = {r.id: r for r in self.draft().risks} if self.exists() else {}
        added, changed, unchanged = [], [], []
        for r in incoming.risks:
            if r.id not in cur:
                added.append(r.id)
            elif canonical_json(cur[r.id].to_dict()) != canonical_json(r.to_dict()):
                changed.append(r.id)
            else:
                unchanged.append(r.id)
        new_ids = set(incoming.ids)
        removed = [i for i in cur if i not in new_ids] if replace else []
        return ImportPreview(added, changed, removed, unchanged)

    def apply_import(self, incoming: Registry, *, replace: bool = False,
                     mark_hand_edits: bool = True) -> ImportPreview:
        """Merge (or with ``replace`` replace) the draft with an already validated registry.

        A risk whose sourced numbers the file changes gets ``edited by hand after <source>``
        (see ``domain.risk.edited_source``); ``mark_hand_edits=False`` stores the risks exactly
        as given (undo of an import puts the earlier draft back)."""
        if not self.exists():
            self.create(incoming)
            return ImportPreview(added=list(incoming.ids))
        preview = self.preview_import(incoming, replace=replace)
        if mark_hand_edits:
            cur = {r.id: r for r in self.draft().risks}
            incoming = dc_replace(incoming, risks=tuple(  # numbers changed outside: hand edit
                r.with_(source=edited_source(cur[r.id], r)) if r.id in cur else r
                for r in incoming.risks))
        with self.ws.write() as tx:
            row = self._row(tx.session)
            for rid in preview.removed:
                d = repo.draft_risk(tx.session, _id(row), rid)
                if d is not None:
                    tx.audit("risk.delete", "risk", rid, json.loads(d.data), None)
                    delete(tx.session, d)
            pos = {d.risk_id: d for d in repo.draft_risks(tx.session, _id(row))}
            n = len(pos)
            for r in incoming.risks:
                new = r.to_dict()
                d = pos.get(r.id)
                if d is None:
                    add(tx.session, DraftRisk(registry_id=_id(row), position=n, risk_id=r.id,
                                              data=canonical_json(new)))
                    n += 1
                    tx.audit("risk.add", "risk", r.id, None, new)
                elif r.id in preview.changed:
                    old = json.loads(d.data)
                    d.data = canonical_json(new)
                    tx.session.add(d)
                    tx.audit("risk.update", "risk", r.id, old, new)
            if not incoming.correlation.is_empty or replace:
                row.correlation = canonical_json(incoming.correlation.to_dict())
            for k in ("units", "months", "start", "iterations", "seed"):
                setattr(row, k, getattr(incoming, k))
            tx.session.add(row)
            _renumber(repo.draft_risks(tx.session, _id(row)))
            tx.audit("registry.import", "registry", row.name, None, preview.to_dict())
        return preview

    def freeze(self, comment: str = "") -> VersionInfo:
        """Write the draft as an immutable version with its content hash."""
        reg = self.draft()
        with self.ws.write() as tx:
            row = self._row(tx.session)
            number = repo.next_version_number(tx.session, _id(row))
            content = canonical_json(reg.to_dict())
            v = add(tx.session, RegistryVersion(
                registry_id=_id(row), number=number, content=content, hash=reg.content_hash(),
                stage="draft", created_at=now_utc(), created_by=tx.actor.display_name,
                comment=comment))
            tx.audit("registry.freeze", "registry_version", f"{row.name}#{number}", None,
                     {"version": number, "hash": v.hash, "comment": comment,
                      "content": reg.to_dict()})
            return _info(v)

    def promote(self, number: int, to: str, comment: str = "") -> VersionInfo:
        """Move a version to stage ``to``; approval is refused while data-quality gates fail."""
        from riskdesk.services.stages import move_stage, stage_key

        to = stage_key(to)
        with self.ws.write() as tx:
            v = self._version_row(tx.session, number)
            move_stage(tx, v, to, entity_type="registry",
                       label=f"{self._row(tx.session).name}#{number}", comment=comment,
                       gates=lambda: Registry.from_dict(json.loads(v.content)).validate())
            return _info(v)

def _row_problems(r: Risk) -> list[Problem]:
    """Problems that stop a risk row from being stored at all (drafts may hold gate failures)."""
    out = []
    if not r.id.strip():
        out.append(Problem("id", "risk id is empty"))
    return out


def _shift(rows: list[DraftRisk], pos: int) -> None:
    for d in rows:
        if d.position >= pos:
            d.position += 1


def _renumber(rows: list[DraftRisk]) -> None:
    for i, d in enumerate(rows):
        d.position = i


def _registry_from_row(row: RegistryRow, risks: tuple[Risk, ...]) -> Registry:
    return Registry(name=row.name, units=row.units, months=row.months, start=row.start,
                    risks=risks, correlation=Correlation.from_dict(json.loads(row.correlation)),
                    iterations=row.iterations, seed=row.seed)


def _info(v: RegistryVersion) -> VersionInfo:
    n = len(json.loads(v.content).get("risks", []))
    return VersionInfo(v.number, v.hash, v.stage, v.created_at, v.created_by, v.comment, n)


def _id(row: Any) -> int:
    """The primary key of a stored row (always set once the row is flushed)."""
    assert row.id is not None
    return int(row.id)
