"""Deck versions in a real workspace: import with preview and diff, stages, audit, export."""

from __future__ import annotations

import openpyxl
import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.services.decks import DeckService, demo_deck


def _audit_actions(ws) -> list[str]:
    from riskdesk.storage.repos.common import all_rows
    from riskdesk.storage.tables import AuditEntry

    with ws.read() as s:
        return [e.action for e in all_rows(s, AuditEntry, order_by="seq")]


def test_that_the_demo_workspace_has_an_approved_demo_deck(workspace):
    svc = DeckService(workspace)
    deck, info = svc.approved("Corporate 2027")
    assert deck == demo_deck() and info.stage == "approved"


def test_that_reimporting_an_edited_export_previews_the_diff_then_adds_a_version(workspace,
                                                                                 tmp_path):
    svc = DeckService(workspace)
    path = tmp_path / "deck.xlsx"
    svc.export("Corporate 2027", path)
    wb = openpyxl.load_workbook(path)
    wb["Base"]["C2"] = 80.0  # Brent 2027
    wb.save(path)
    prev = svc.preview_import(path)
    assert prev.previous == 1
    assert [(c.kind, c.where, c.old, c.new) for c in prev.diff.changes] == [
        ("value", "Base/Brent/2027", 72.0, 80.0)]
    assert len(svc.versions("Corporate 2027")) == 1  # preview writes nothing
    info = svc.import_file(path, comment="Q3 update")
    assert (info.number, info.stage) == (2, "draft")
    assert svc.deck("Corporate 2027").get("Base", "Brent").value("2027") == 80.0
    assert svc.deck("Corporate 2027", 1).get("Base", "Brent").value("2027") == 72.0
    assert _audit_actions(workspace)[-2:] == ["deck.export", "deck.import"]


def test_that_a_bad_file_writes_nothing(workspace, tmp_path):
    svc = DeckService(workspace)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Base"
    ws.append(["Benchmark", "Unit", 2027, 2028])
    ws.append(["Brent", "USD/bbl", 70, "tbd"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    before = _audit_actions(workspace)
    with pytest.raises(ValidationError) as ei:
        svc.import_file(path, name="New deck")
    assert str(ei.value.problems[0]).startswith("Base!D2: non-numeric")
    assert "New deck" not in svc.names()
    assert _audit_actions(workspace) == before


def test_that_stages_follow_the_registry_rules_and_are_audited(workspace):
    svc = DeckService(workspace)
    info = svc.save(demo_deck().with_(name="Strip", escalation=0.03))
    with pytest.raises(ValidationError, match="can move to: In review"):
        svc.promote("Strip", info.number, "approved")
    svc.promote("Strip", info.number, "in_review")
    assert svc.promote("Strip", info.number, "approved").stage == "approved"
    assert svc.approved("Strip")[1].number == 1
    assert _audit_actions(workspace)[-2:] == ["deck.promote", "deck.promote"]


def test_that_saving_an_identical_deck_does_not_add_a_version(workspace):
    svc = DeckService(workspace)
    assert svc.save(demo_deck()).number == 1
    assert len(svc.versions("Corporate 2027")) == 1
