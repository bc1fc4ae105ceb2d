"""PII scans with the detection log, policy versions, and "Share a copy" on real workspaces."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from riskdesk.governance import audit
from riskdesk.governance.policy import load_policy, policy_from_dict
from riskdesk.services.governance import GovernanceService, share_copy
from riskdesk.services.pii import PiiService
from riskdesk.services.registry import RegistryService
from riskdesk.services.workspace import Workspace, WorkspaceError

PII = ("Landowner Tormod Vassbotn (tormod@vassbotn.no, +47 912 34 567) objects near "
       "15/9-F-12 under AFE-2027-0042; Kari Nordmann follows up.")
ORIGINALS = (b"Vassbotn", b"tormod@vassbotn", b"912 34 567", b"Kari Nordmann",
             b"kari.nordmann@equinor.com")


@pytest.fixture
def pii_ws(workspace: Workspace) -> Workspace:
    svc = RegistryService(workspace)
    r = svc.draft().risks[0]
    svc.upsert_risk(r.with_(description=PII, owner="Kari Nordmann"))
    workspace.add_person("Kari Nordmann", email="kari.nordmann@equinor.com")
    svc.freeze("with personal data")
    return workspace


def test_that_a_scan_logs_positions_and_audits_its_policy(pii_ws: Workspace) -> None:
    pii = PiiService(pii_ws)
    res = pii.scan()
    log = pii.detection_log()
    assert len(log) == len(res.detections) > 0
    desc = [d for d in log if d.field.endswith(".data.description")]
    assert {d.entity_type for d in desc} >= {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"}
    for d in desc:  # positions point into the original text
        assert PII[d.start:d.end].strip() and d.policy_version == load_policy().version
    with pii_ws.read() as s:
        actions = [e.action for e in audit.entries(s)]
    assert "pii.policy" in actions and actions[-1] == "pii.scan"
    assert not pii.register_policy(load_policy())  # same content is stored once
    changed = load_policy().to_dict()
    changed["version"] = "2026.12"
    assert pii.register_policy(policy_from_dict(changed))
    assert [p.version for p in pii.policies()] == [load_policy().version, "2026.12"]


def test_that_a_shared_copy_holds_no_original_personal_data(pii_ws: Workspace,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "copy.riskdesk"
    rep = share_copy(pii_ws, out)
    raw = out.read_bytes()
    assert not any(o in raw for o in ORIGINALS)
    assert not Path(str(out) + "-wal").exists() or Path(str(out) + "-wal").stat().st_size == 0
    key = audit.audit_key().hex().encode()
    assert key not in raw  # no secrets travel with the copy
    secret = (Path(os.environ["RISKDESK_CONFIG_DIR"]) / "pii-token.key").read_bytes().strip()
    assert secret not in raw
    assert b"15/9-F-12" in raw and b"AFE-2027-0042" in raw
    report = json.loads(Path(rep.report_file).read_text())
    assert report["changed_strings"] > 0 and report["source_head"]["seq"] > 0
    assert not any(o.decode() in json.dumps(report) for o in ORIGINALS)


def test_that_people_keep_one_token_across_fields(pii_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "copy.riskdesk"
    share_copy(pii_ws, out)
    with Workspace.open(out) as c:
        risk = RegistryService(c).draft().risks[0]
        names = [p.name for p in c.people()]
    assert risk.owner.startswith("[PERSON:") and risk.owner in risk.description
    assert risk.owner in names


def test_that_a_shared_copy_is_a_new_verifiable_workspace(pii_ws: Workspace,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "copy.riskdesk"
    share_copy(pii_ws, out)
    with Workspace.open(out) as c:
        rep = GovernanceService(c).verify()
        assert rep.ok, rep.issues
        assert c.workspace_id != pii_ws.workspace_id
        assert c.meta("shared_from") == pii_ws.workspace_id
        with c.read() as s:
            es = audit.entries(s)
        assert es[-1].action == "share.create" and es[0].action == "share.snapshot"
    con = sqlite3.connect(out)  # the copy's immutability guards are back in place
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("UPDATE audit_entry SET action='x' WHERE seq=1")
    con.close()
    assert GovernanceService(pii_ws).verify().ok


def test_that_sharing_onto_an_existing_file_writes_nothing(pii_ws: Workspace,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "exists.riskdesk"
    out.write_bytes(b"keep me")
    with pytest.raises(WorkspaceError):
        share_copy(pii_ws, out)
    assert out.read_bytes() == b"keep me"


def test_that_registry_excel_exports_are_redacted_unless_a_reason_is_audited(
        pii_ws: Workspace, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    pii = PiiService(pii_ws)
    reg = RegistryService(pii_ws).draft()
    info = pii.export_registry_xlsx(reg, str(tmp_path / "red.xlsx"))
    assert info["redacted"] and info["fields_redacted"] >= 2
    wb = load_workbook(tmp_path / "red.xlsx", read_only=True)
    text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)
    wb.close()
    assert "Vassbotn" not in text and "Kari Nordmann" not in text and "15/9-F-12" in text
    assert f"{info['chain_head']['seq']}:{info['chain_head']['hash']}" in text
    shown = pii.export_registry_xlsx(reg, str(tmp_path / "orig.xlsx"),
                                     reveal_reason="regulator request 2027-114")
    assert not shown["redacted"]
    with pii_ws.read() as s:
        last = audit.entries(s, "registry")[-1]
    assert last.action == "pii.reveal" and "regulator request" in last.after


def test_that_a_surname_alone_gets_the_full_names_token(pii_ws: Workspace,
                                                       tmp_path: Path) -> None:
    svc = RegistryService(pii_ws)
    r = svc.draft().risks[1]
    svc.upsert_risk(r.with_(description="Nordmann to confirm the rig slot before Q3 2027."))
    out = tmp_path / "copy.riskdesk"
    share_copy(pii_ws, out)
    with Workspace.open(out) as c:
        risks = RegistryService(c).draft().risks
    assert risks[1].description == f"{risks[0].owner} to confirm the rig slot before Q3 2027."
