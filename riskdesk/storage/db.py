"""Opening, creating and migrating a workspace file (SQLite through SQLModel/SQLAlchemy).

WAL journal, foreign keys on, ``BEGIN IMMEDIATE`` for write transactions (one writer at a time),
schema version in ``PRAGMA user_version``; migrations run at open after a backup copy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from riskdesk.storage import tables as _tables  # noqa: F401  (registers every table)
from riskdesk.storage.migrations import all_migrations, latest_version

APPLICATION_ID = 0x52534B44  # "RSKD" in PRAGMA application_id marks a riskdesk workspace


class WorkspaceError(Exception):
    """A workspace file cannot be opened or written; the message says why, for a user."""


def _sqlite_header_ok(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(16) == b"SQLite format 3\x00"


def inspect_file(path: Path) -> tuple[int, int]:
    """(application_id, user_version) of an existing file; raises WorkspaceError if not SQLite."""
    if not path.exists():
        raise WorkspaceError(f"{path}: no such file")
    if path.stat().st_size == 0 or not _sqlite_header_ok(path):
        raise WorkspaceError(f"{path} is not a riskdesk workspace (not an SQLite database)")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            ver = con.execute("PRAGMA user_version").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise WorkspaceError(f"{path} is corrupt or not a riskdesk workspace ({e})") from e
    return int(app_id), int(ver)


def check_integrity(path: Path) -> None:
    """Run ``PRAGMA integrity_check``; raise WorkspaceError naming the first problems."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
            fk = con.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise WorkspaceError(f"{path} is corrupt ({e})") from e
    if rows != ["ok"]:
        raise WorkspaceError(f"{path} is corrupt: " + "; ".join(rows[:5]))
    if fk:
        raise WorkspaceError(f"{path} is corrupt: {len(fk)} broken references (first: {fk[0]})")


def make_engine(path: Path) -> Engine:
    """An engine on ``path`` with riskdesk's pragmas; writes use ``begin_immediate``."""
    eng = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False,
                                                           "timeout": 30})

    @event.listens_for(eng, "connect")
    def _on_connect(dbapi_conn: Any, _rec: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(eng, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return eng


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A short read session (deferred transaction, rolled back at the end)."""
    with Session(engine, expire_on_commit=False) as s:
        yield s


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A write session in ``BEGIN IMMEDIATE``; commits on success, rolls back on any error."""
    with Session(engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False) as s:
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise


def backup_copy(path: Path, from_version: int) -> Path:
    """Consistent copy of the file before migrating (SQLite online backup)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = path.with_name(f"{path.name}.v{from_version}-{stamp}.bak")
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(dest))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return dest


def applied_migrations(engine: Engine, current: int) -> set[str]:
    """Names of the migrations already applied to the file."""
    with engine.connect() as conn:
        has = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table' AND "
                                   "name='schema_migration'").first()
        if has:
            return {r[0] for r in conn.exec_driver_sql("SELECT name FROM schema_migration")}
    return {m.name for m in all_migrations() if m.version <= current}


def pending_migrations(engine: Engine, current: int) -> list[Any]:
    done = applied_migrations(engine, current)
    return [m for m in all_migrations() if m.name not in done]


def migrate(engine: Engine, path: Path, current: int) -> list[int]:
    """Apply every migration not yet applied, in order; returns the versions applied."""
    applied = []
    pending = pending_migrations(engine, current)
    if pending and current > 0:
        backup_copy(path, current)
    for m in pending:
        with engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS schema_migration (name VARCHAR "
                                     "NOT NULL PRIMARY KEY, version INTEGER NOT NULL)")
                m.upgrade(conn)
                conn.exec_driver_sql("INSERT INTO schema_migration (name, version) VALUES (?, ?)",
                                     (m.name, m.version))
                conn.exec_driver_sql(f"PRAGMA user_version = {max(m.version, current)}")
                current = max(m.version, current)
                if m.version == 1:
                    conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        applied.append(m.version)
    return applied


def create_file(path: Path) -> Engine:
    """Create a new empty workspace file at the latest schema; refuses to overwrite."""
    if path.exists():
        raise WorkspaceError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    eng = make_engine(path)
    try:
        migrate(eng, path, 0)
    except BaseException:
        eng.dispose()
        path.unlink(missing_ok=True)
        raise
    return eng


def open_file(path: Path, *, migrate_to_latest: bool = True) -> Engine:
    """Open an existing workspace: checks it, refuses newer/foreign/corrupt files, migrates."""
    app_id, ver = inspect_file(path)
    if app_id != APPLICATION_ID:
        raise WorkspaceError(f"{path} is an SQLite file but not a riskdesk workspace")
    latest = latest_version()
    if ver > latest:
        raise WorkspaceError(f"{path} was written by a newer riskdesk (schema {ver}; this "
                             f"version understands up to {latest}). Update riskdesk to open it.")
    check_integrity(path)
    eng = make_engine(path)
    if migrate_to_latest and pending_migrations(eng, ver):
        migrate(eng, path, ver)
    return eng
