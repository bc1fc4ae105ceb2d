"""Tampering with a real workspace file (sqlite3, behind riskdesk's back) is detected and located
by ``GovernanceService.verify`` and ``riskdesk audit verify``."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from riskdesk.domain.registry import canonical_json
from riskdesk.services.governance import GovernanceService
from riskdesk.services.registry import RegistryService
from riskdesk.services.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
COLS = ("seq", "at", "os_user", "display_name", "action", "entity_type", "entity_id", "before",
        "after", "diff", "prev_hash", "hash")


def _tamper(ws: Workspace, fn: Callable[[sqlite3.Connection], None]) -> Path:
    path = ws.path
    ws.close()
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
    con.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
    fn(con)
    con.commit()
    con.close()
    return path


def _issues(path: Path) -> list[tuple[str, int | None, str]]:
    with Workspace.open(path) as ws:
        rep = GovernanceService(ws).verify()
    return [(i.kind, i.seq, i.entity) for i in rep.issues]


def _rows(con: sqlite3.Connection) -> list[dict[str, object]]:
    return [dict(zip(COLS, r, strict=True))
            for r in con.execute(f"SELECT {','.join(COLS)} FROM audit_entry ORDER BY seq")]


def test_that_an_untouched_workspace_verifies(workspace: Workspace) -> None:
    RegistryService(workspace).freeze("for the test")
    rep = GovernanceService(workspace).verify()
    assert rep.ok, rep.issues
    assert rep.entries == rep.head_seq and rep.checkpoints >= 1


def test_that_an_edited_entry_is_located(workspace: Workspace) -> None:
    path = _tamper(workspace, lambda c: c.execute(
        "UPDATE audit_entry SET display_name='mallory' WHERE seq=4"))
    kinds = _issues(path)
    assert [(k, s) for k, s, _ in kinds] == [("edited", 4)]


def test_that_a_deleted_entry_is_located(workspace: Workspace) -> None:
    path = _tamper(workspace, lambda c: c.execute("DELETE FROM audit_entry WHERE seq=5"))
    assert ("deleted", 5) in [(k, s) for k, s, _ in _issues(path)]


def test_that_reordered_entries_are_located(workspace: Workspace) -> None:
    def swap(c: sqlite3.Connection) -> None:
        c.execute("UPDATE audit_entry SET seq=-1 WHERE seq=6")
        c.execute("UPDATE audit_entry SET seq=6 WHERE seq=7")
        c.execute("UPDATE audit_entry SET seq=7 WHERE seq=-1")
    kinds = _issues(_tamper(workspace, swap))
    assert ("reordered", 6) in [(k, s) for k, s, _ in kinds]


def test_that_an_inserted_entry_is_located(workspace: Workspace) -> None:
    def forge(c: sqlite3.Connection) -> None:
        rows = _rows(c)
        fake = dict(rows[3], action="risk.update", entity_id="NS-001",
                    after='{"probability":0.01}', hash="ab" * 32)
        c.execute("DELETE FROM audit_entry WHERE seq=4")
        c.execute(f"INSERT INTO audit_entry ({','.join(COLS)}) VALUES "
                  f"({','.join('?' * len(COLS))})", [fake[k] for k in COLS])
    kinds = _issues(_tamper(workspace, forge))
    assert ("inserted", 4) in [(k, s) for k, s, _ in kinds]


def test_that_a_chain_recomputed_without_the_key_is_located(workspace: Workspace) -> None:
    def rehash(c: sqlite3.Connection) -> None:
        rows = _rows(c)
        prev = rows[4]["prev_hash"]
        for r in rows[4:]:
            r["prev_hash"] = prev
            if r["seq"] == 5:
                r["display_name"] = "mallory"
            payload = {k: r[k] for k in COLS if k != "hash"}
            r["hash"] = hashlib.sha256(canonical_json(payload).encode()).hexdigest()
            prev = r["hash"]
            c.execute("UPDATE audit_entry SET display_name=?, prev_hash=?, hash=? WHERE seq=?",
                      (r["display_name"], r["prev_hash"], r["hash"], r["seq"]))
    kinds = _issues(_tamper(workspace, rehash))
    assert ("rehashed", 5) in [(k, s) for k, s, _ in kinds]
    assert not any(k == "edited" for k, _, _ in kinds)


def test_that_a_truncated_tail_is_caught_by_the_checkpoints(workspace: Workspace) -> None:
    RegistryService(workspace).freeze("one more entry")
    with workspace.read() as s:
        from riskdesk.governance import audit
        head = audit.head(s)
    assert head is not None
    path = _tamper(workspace, lambda c: c.execute(
        "DELETE FROM audit_entry WHERE seq >= ?", (head.seq - 1,)))
    kinds = _issues(path)
    assert ("truncated", head.seq - 1) in [(k, s) for k, s, _ in kinds]


def test_that_table_edits_without_an_audit_entry_are_located(workspace: Workspace) -> None:
    RegistryService(workspace).freeze("v")

    def edit(c: sqlite3.Connection) -> None:
        rid, data = c.execute("SELECT risk_id, data FROM draft_risk ORDER BY id LIMIT 1").fetchone()
        d = json.loads(data)
        d["probability"] = 0.01
        c.execute("UPDATE draft_risk SET data=? WHERE risk_id=?", (json.dumps(d), rid))
        c.execute("DELETE FROM draft_risk WHERE id=(SELECT max(id) FROM draft_risk)")
        c.execute("UPDATE registry_version SET stage='approved' WHERE number=2")
        edit.rid = rid  # type: ignore[attr-defined]
    path = _tamper(workspace, edit)
    kinds = _issues(path)
    entities = {e for k, _, e in kinds if k == "unaudited_change"}
    assert f"risk {edit.rid}" in entities  # type: ignore[attr-defined]
    assert any(e.startswith("registry_version ") and e.endswith("#2") for e in entities)
    assert len(entities) == 3
    assert not any(k in ("edited", "deleted", "rehashed") for k, _, _ in kinds)


def test_that_the_cli_exits_non_zero_and_reports_json(workspace: Workspace) -> None:
    path = workspace.path
    env = dict(os.environ)
    ok = subprocess.run([sys.executable, "-m", "riskdesk", "audit", "verify", "--workspace",
                         str(path), "--json"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["ok"] is True
    _tamper(workspace, lambda c: c.execute(
        "UPDATE audit_entry SET action='risk.delete' WHERE seq=3"))
    bad = subprocess.run([sys.executable, "-m", "riskdesk", "audit", "verify", "--workspace",
                          str(path), "--json"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    out = json.loads(bad.stdout)
    assert out["ok"] is False and out["issues"][0]["seq"] == 3


def test_that_a_price_deck_edited_behind_riskdesk_is_located(workspace: Workspace) -> None:
    def edit(c: sqlite3.Connection) -> None:
        c.execute("DROP TRIGGER IF EXISTS deck_version_immutable")
        for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND "
                                 "tbl_name='deck_version'").fetchall():
            c.execute(f'DROP TRIGGER "{name}"')
        c.execute("UPDATE deck_version SET stage='retired' WHERE id=(SELECT min(id) FROM "
                  "deck_version)")
    kinds = _issues(_tamper(workspace, edit))
    assert [k for k, _, e in kinds if e.startswith("deck_version ")] == ["unaudited_change"]


def test_that_a_workspace_from_another_installation_is_named_as_such(
        workspace: Workspace) -> None:
    rep = GovernanceService(workspace).verify(key=b"a colleague's installation key")
    assert [i.kind for i in rep.issues] == ["rehashed"]
    assert "another installation" in rep.issues[0].message


def test_that_an_expert_answer_changed_behind_riskdesk_is_located(workspace: Workspace) -> None:
    def edit(c: sqlite3.Connection) -> None:
        c.execute("UPDATE elicitation_answer SET \"values\"='[1.0, 2.0, 3.0]' WHERE id=("
                  "SELECT min(id) FROM elicitation_answer)")
    kinds = _issues(_tamper(workspace, edit))
    answers = [(k, e) for k, _, e in kinds if e.startswith("answer ")]
    assert len(answers) == 1 and answers[0][0] == "unaudited_change"


def test_that_an_asset_definition_edited_behind_riskdesk_is_located(
        workspace: Workspace) -> None:
    def edit(c: sqlite3.Connection) -> None:
        c.execute("UPDATE asset SET content=replace(content, '\"royalty\":0.08', "
                  "'\"royalty\":0.01') WHERE name='Bravo field'")
        assert c.total_changes == 1
    kinds = _issues(_tamper(workspace, edit))
    assert [(k, e) for k, _, e in kinds] == [("unaudited_change", "asset Bravo field")]


def test_that_an_asset_saved_through_riskdesk_verifies_clean(workspace: Workspace) -> None:
    from riskdesk.services.assets import AssetService

    svc = AssetService(workspace)
    asset, deck = svc.get("Bravo field")
    svc.save(asset.with_(name="Bravo copy", failure_cost=10.0), deck)
    assert GovernanceService(workspace).verify().issues == []
