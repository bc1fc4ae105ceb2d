"""The workspace file: creation, migrations, refusals and crash consistency on real SQLite files."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from riskdesk.services.registry import RegistryService
from riskdesk.services.workspace import Workspace, WorkspaceError
from riskdesk.storage import db
from riskdesk.storage.migrations import all_migrations, latest_version, m001_initial


def _columns(con: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {t: {r[1] for r in con.execute(f"PRAGMA table_info('{t}')")} for t in tables}


def test_that_a_new_workspace_uses_wal_foreign_keys_and_the_latest_schema(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "a.riskdesk")
    ws.close()
    con = sqlite3.connect(tmp_path / "a.riskdesk")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert con.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
    con.close()


def test_that_the_migrated_schema_matches_the_table_models(tmp_path: Path) -> None:
    from sqlmodel import SQLModel

    Workspace.create(tmp_path / "a.riskdesk").close()
    con = sqlite3.connect(tmp_path / "a.riskdesk")
    cols = _columns(con)
    for name, table in SQLModel.metadata.tables.items():
        assert name in cols, f"table {name} has no migration"
        assert cols[name] == {c.name for c in table.columns}, name


def test_that_a_first_schema_file_is_backed_up_and_migrated_keeping_its_data(
        tmp_path: Path) -> None:
    path = tmp_path / "old.riskdesk"
    con = sqlite3.connect(path)
    for stmt in m001_initial.DDL:
        con.execute(stmt)
    con.execute(f"PRAGMA application_id = {db.APPLICATION_ID}")
    con.execute("PRAGMA user_version = 1")
    con.execute("INSERT INTO registry (name, units, months, start, iterations, seed, correlation)"
                " VALUES ('Old', 'kUSD', 12, '2026-01', 1000, 1, '{}')")
    risk = {"id": "R1", "probability": 0.5, "impact": {"dist": "fixed", "value": -10.0},
            "phasing": {"type": "window", "start": 0, "length": 1}}
    con.execute("INSERT INTO draft_risk (registry_id, position, risk_id, data) "
                "VALUES (1, 0, 'R1', ?)", (json.dumps(risk),))
    con.commit()
    con.close()

    ws = Workspace.open(path)
    try:
        assert [r.id for r in RegistryService(ws).draft().risks] == ["R1"]
        RegistryService(ws).freeze("after migration")  # audited writes work on the new schema
    finally:
        ws.close()
    backups = list(tmp_path.glob("old.riskdesk.v1-*.bak"))
    assert len(backups) == 1
    bcon = sqlite3.connect(backups[0])
    assert bcon.execute("PRAGMA user_version").fetchone()[0] == 1
    assert bcon.execute("SELECT count(*) FROM draft_risk").fetchone()[0] == 1
    bcon.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == latest_version()


def test_that_a_file_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.riskdesk"
    Workspace.create(path).close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {latest_version() + 3}")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="newer riskdesk"):
        Workspace.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content, message", [
    (b"", "not a riskdesk workspace"),
    (b"hello, this is a text file" * 10, "not a riskdesk workspace"),
])
def test_that_non_workspace_files_are_refused(tmp_path: Path, content: bytes,
                                              message: str) -> None:
    p = tmp_path / "x.riskdesk"
    p.write_bytes(content)
    with pytest.raises(WorkspaceError, match=message):
        Workspace.open(p)


def test_that_a_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "other.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(WorkspaceError, match="not a riskdesk workspace"):
        Workspace.open(p)


def test_that_a_corrupt_workspace_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    p = tmp_path / "c.riskdesk"
    Workspace.create(p, demo=True).close()
    con = sqlite3.connect(p)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(p.read_bytes())
    page = 4096
    for off in range(2 * page + 100, len(data) - page, page):  # damage b-tree pages, keep header
        data[off:off + 64] = b"\xff" * 64
    p.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError, match="corrupt"):
        Workspace.open(p)


def test_that_a_writer_killed_mid_transaction_leaves_a_consistent_file(tmp_path: Path) -> None:
    p = tmp_path / "k.riskdesk"
    ws = Workspace.create(p, demo=True)
    n_before = len(RegistryService(ws).draft().risks)
    ws.close()
    script = textwrap.dedent(f"""
        import os
        from riskdesk.domain.risk import Risk
        from riskdesk.services.workspace import Workspace
        from riskdesk.storage.tables import DraftRisk
        ws = Workspace.open({str(p)!r})
        with ws.write() as tx:
            for i in range(200):
                tx.session.add(DraftRisk(registry_id=1, position=100 + i, risk_id=f"X{{i}}",
                                         data="{{}}"))
            tx.session.flush()
            tx.audit("risk.add", "risk", "X0", None, {{}})
            os._exit(9)   # killed before commit
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert r.returncode == 9, r.stderr
    db.check_integrity(p)
    ws = Workspace.open(p)
    try:
        assert len(RegistryService(ws).draft().risks) == n_before
        from riskdesk.governance import audit

        with ws.read() as s:
            assert audit.verify_entries(audit.entries(s)) == []
    finally:
        ws.close()


def test_that_migrations_are_ordered_and_each_applied_once(tmp_path: Path) -> None:
    versions = [m.version for m in all_migrations()]
    assert versions == sorted(set(versions)) and versions[0] == 1
    p = tmp_path / "m.riskdesk"
    Workspace.create(p).close()
    con = sqlite3.connect(p)
    names = [r[0] for r in con.execute("SELECT name FROM schema_migration ORDER BY version")]
    con.close()
    assert names == [m.name for m in all_migrations()]
    Workspace.open(p).close()  # reopening applies nothing and makes no backup
    assert not list(tmp_path.glob("*.bak"))


def test_that_save_as_writes_a_copy_with_its_own_identity(tmp_path: Path) -> None:
    from riskdesk.services.governance import GovernanceService

    ws = Workspace.create(tmp_path / "a.riskdesk", demo=True)
    copy_path = ws.save_as(tmp_path / "b.riskdesk")
    with Workspace.open(copy_path) as copy:
        assert copy.workspace_id != ws.workspace_id
        assert RegistryService(copy).draft().to_dict() == RegistryService(ws).draft().to_dict()
        RegistryService(copy).freeze("edited in the copy")
        assert GovernanceService(copy).verify().ok
    RegistryService(ws).freeze("edited in the original")
    assert GovernanceService(ws).verify().ok
    with pytest.raises(WorkspaceError, match="already exists"):
        ws.save_as(copy_path)
    ws.close()


@pytest.mark.parametrize("sql, message", [
    ("UPDATE deck_version SET content='{}'", "deck versions are immutable"),
    ("UPDATE registry_version SET hash='x'", "registry versions are immutable"),
    ("UPDATE baseline_version SET content='{}'", "baseline versions are immutable"),
    ("UPDATE audit_entry SET action='x'", "append-only"),
    ("DELETE FROM audit_entry", "append-only"),
])
def test_that_frozen_records_cannot_be_rewritten_in_place(workspace, sql: str,
                                                           message: str) -> None:
    con = sqlite3.connect(workspace.path)
    with pytest.raises(sqlite3.IntegrityError, match=message):
        con.execute(sql)
    con.close()


def test_that_a_stored_run_cannot_be_rewritten(workspace) -> None:
    from riskdesk.services.runs import RunsService

    runs = RunsService(workspace)
    info = runs.run(runs.request(iterations=1024, seed=3))
    con = sqlite3.connect(workspace.path)
    with pytest.raises(sqlite3.IntegrityError, match="runs are immutable"):
        con.execute("UPDATE run SET result='{}' WHERE id=?", (info.id,))
    con.close()
