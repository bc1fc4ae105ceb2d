"""The open workspace: one SQLite file, short sessions, audited write transactions.

Every change goes through ``Workspace.write()``: a ``BEGIN IMMEDIATE`` transaction in which the
service calls ``tx.audit(...)`` so the change and its audit entry commit (or roll back) together.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskdesk import __version__
from riskdesk.governance import audit
from riskdesk.storage import db
from riskdesk.storage.db import WorkspaceError
from riskdesk.storage.repos.common import Session, add, all_rows, first_where
from riskdesk.storage.tables import Person, WorkspaceMeta

__all__ = ["Workspace", "WorkspaceError", "WriteTx"]

SUFFIX = ".riskdesk"


@dataclass
class WriteTx:
    """A write transaction: the storage session plus the audit recorder."""

    session: Session
    actor: audit.Actor
    entries: list[Any] = field(default_factory=list)

    def audit(self, action: str, entity_type: str, entity_id: Any, before: Any = None,
              after: Any = None) -> None:
        """Record an audit entry for this change, in this transaction."""
        self.entries.append(audit.append(self.session, self.actor, action, entity_type,
                                         str(entity_id), before, after))


class Workspace:
    """A riskdesk workspace file opened for use by services."""

    def __init__(self, path: Path, engine: Any) -> None:
        self.path = Path(path)
        self.engine = engine
        self.actor = audit.Actor.current()

    # ---- lifecycle --------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path) -> Workspace:
        """Open an existing workspace (migrating it if older); WorkspaceError if it cannot."""
        p = Path(path).expanduser()
        return cls(p, db.open_file(p))

    @classmethod
    def create(cls, path: str | Path, *, demo: bool = False) -> Workspace:
        """Create a new workspace file (optionally with demo content)."""
        p = Path(path).expanduser()
        ws = cls(p, db.create_file(p))
        try:
            with ws.write() as tx:
                wid = str(uuid.uuid4())
                for k, v in (("workspace_id", wid), ("created_with", __version__)):
                    add(tx.session, WorkspaceMeta(key=k, value=v))
                tx.audit("workspace.create", "workspace", wid, None, {"path": p.name})
            if demo:
                from riskdesk.services.demo import add_demo_content

                add_demo_content(ws)
        except BaseException:
            ws.close()
            p.unlink(missing_ok=True)
            raise
        return ws

    @classmethod
    def open_or_create(cls, path: str | Path, *, demo: bool = True) -> Workspace:
        p = Path(path).expanduser()
        return cls.open(p) if p.exists() else cls.create(p, demo=demo)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- sessions ---------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        with db.read_session(self.engine) as s:
            yield s

    @contextmanager
    def write(self, actor: audit.Actor | None = None) -> Iterator[WriteTx]:
        with db.write_session(self.engine) as s:
            tx = WriteTx(s, actor or self.actor)
            yield tx
        if tx.entries:  # committed: checkpoint the chain head outside the workspace
            from riskdesk.services.governance import note_head

            note_head(self, tx.entries[-1].seq, tx.entries[-1].hash)

    # ---- metadata ---------------------------------------------------------------------------
    def meta(self, key: str, default: str = "") -> str:
        with self.read() as s:
            row = s.get(WorkspaceMeta, key)
            return row.value if row else default

    @property
    def workspace_id(self) -> str:
        return self.meta("workspace_id")

    def save_as(self, dest: str | Path) -> Path:
        """Write a consistent copy of this workspace to ``dest`` (must not exist).

        The copy is a workspace of its own: it gets a new workspace id (so its audit checkpoints,
        kept outside the file by id, never clash with the original's) and its audit log records
        ``workspace.save_as`` naming the original's id and file.
        """
        import sqlite3

        d = Path(dest).expanduser()
        if d.exists():
            raise WorkspaceError(f"{d} already exists")
        src = sqlite3.connect(str(self.path))
        try:
            dst = sqlite3.connect(str(d))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        try:
            copy = Workspace.open(d)
            try:
                old_id, new_id = self.workspace_id, str(uuid.uuid4())
                with copy.write() as tx:
                    for k, v in (("workspace_id", new_id), ("copied_from", old_id)):
                        row = tx.session.get(WorkspaceMeta, k) or WorkspaceMeta(key=k)
                        row.value = v
                        tx.session.add(row)
                    tx.audit("workspace.save_as", "workspace", new_id,
                             {"workspace_id": old_id, "path": self.path.name},
                             {"workspace_id": new_id, "path": d.name})
            finally:
                copy.close()
        except BaseException:
            for extra in (d, d.with_name(d.name + "-wal"), d.with_name(d.name + "-shm")):
                extra.unlink(missing_ok=True)
            raise
        return d

    # ---- people -----------------------------------------------------------------------------
    def people(self) -> list[Person]:
        with self.read() as s:
            return all_rows(s, Person, order_by="name")

    def add_person(self, name: str, email: str = "", role: str = "",
                   business_unit: str = "") -> Person:
        name = name.strip()
        if not name:
            raise WorkspaceError("a person needs a name")
        with self.write() as tx:
            if first_where(tx.session, Person, name=name):
                raise WorkspaceError(f"{name!r} is already in the workspace")
            p = add(tx.session, Person(name=name, email=email, role=role,
                                       business_unit=business_unit))
            tx.audit("person.add", "person", p.id, None, p.model_dump(exclude={"id"}))
        return p
