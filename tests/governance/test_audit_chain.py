"""Every service write lands on the HMAC hash chain in the same transaction."""

from __future__ import annotations

import sqlite3

import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.governance import audit
from riskdesk.services.registry import RegistryService


def _entries(ws):  # type: ignore[no-untyped-def]
    with ws.read() as s:
        return audit.entries(s)


def test_that_each_change_appends_a_linked_entry_with_before_and_after(workspace) -> None:
    svc = RegistryService(workspace)
    n = len(_entries(workspace))
    r = svc.risk("NS-001")
    svc.upsert_risk(r.with_(probability=0.6))
    es = _entries(workspace)
    assert len(es) == n + 1
    e = es[-1]
    assert (e.action, e.entity_type, e.entity_id) == ("risk.update", "risk", "NS-001")
    assert e.prev_hash == es[-2].hash
    assert '"path":"probability"' in e.diff and '"after":0.6' in e.diff
    assert audit.verify_entries(es) == []


def test_that_a_failed_change_writes_neither_data_nor_audit(workspace) -> None:
    svc = RegistryService(workspace)
    n = len(_entries(workspace))
    with pytest.raises(ValidationError):
        svc.promote(1, "approved")  # draft cannot jump to approved
    assert len(_entries(workspace)) == n


def test_that_an_edited_entry_is_located(workspace) -> None:
    path = workspace.path
    n = len(_entries(workspace))
    workspace.close()
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER audit_entry_no_update")
    con.execute("UPDATE audit_entry SET display_name='mallory' WHERE seq=3")
    con.commit()
    con.close()
    from riskdesk.services.workspace import Workspace

    with Workspace.open(path) as ws:
        findings = audit.verify_entries(_entries(ws))
    assert [(f.seq, f.kind) for f in findings] == [(3, "edited")]
    assert n > 3


def test_that_a_chain_recomputed_without_the_key_fails(workspace) -> None:
    es = _entries(workspace)
    findings = audit.verify_entries(es, key=b"another installation's key")
    assert findings and all(f.kind == "edited" for f in findings)
