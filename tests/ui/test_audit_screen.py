"""Audit screen: the log with filter and diff, chain verification with findings, Excel export."""

from __future__ import annotations

import json
import sqlite3

import pytest

from riskdesk.services.registry import RegistryService
from riskdesk.services.workspace import Workspace
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.panels.audit import AuditPanel


@pytest.fixture
def panel(qtbot, state):  # type: ignore[no-untyped-def]
    svc = RegistryService(state.workspace)
    r = svc.draft().risks[1]
    svc.upsert_risk(r.with_(probability=0.42))
    p = AuditPanel(state)
    qtbot.addWidget(p)
    p.resize(1200, 800)
    return p


def test_that_the_log_lists_newest_first_and_filters(panel) -> None:  # type: ignore[no-untyped-def]
    rows = panel.model.rows
    assert rows[0].action == "risk.update" and rows[0].seq == max(r.seq for r in rows)
    total = panel.model.rowCount()
    panel.filter.setText("risk.update")
    assert 0 < panel.model.rowCount() < total
    assert all("risk.update" in r.action for r in panel.model.rows)
    panel.filter.setText("")
    panel.kind.setCurrentIndex(panel.kind.findData("baseline"))
    assert {r.entity_type for r in panel.model.rows} == {"baseline"}


def test_that_selecting_an_entry_shows_its_diff(panel) -> None:  # type: ignore[no-untyped-def]
    panel.table.selectRow(0)
    fields = {panel.diff.item(i, 0).text(): (panel.diff.item(i, 1).text(),
                                             panel.diff.item(i, 2).text())
              for i in range(panel.diff.rowCount())}
    assert fields["probability"][1] == "0.42"
    assert "risk.update" in panel.entry_label.text()


def test_that_verify_reports_ok_then_locates_tampering(panel, state, qtbot):  # type: ignore[no-untyped-def]
    panel.verify()
    assert panel.last_report.ok and "Chain verified" in panel.result.text()
    assert not panel.issues.isVisible()
    path = state.workspace.path
    state.workspace.close()
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER audit_entry_no_update")
    con.execute("UPDATE audit_entry SET display_name='mallory' WHERE seq=2")
    con.commit()
    con.close()
    state.set_workspace(Workspace.open(path))
    panel.show()
    panel.verify()
    assert not panel.last_report.ok and "finding" in panel.result.text()
    assert panel.issues.rowCount() == 1
    assert panel.issues.item(0, 0).text() == "edited" and "entry 2" in panel.issues.item(0, 1).text()


def test_that_export_writes_the_log_and_the_chain_head(panel, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    out = panel.export_to(tmp_path / "audit.xlsx")
    assert out is not None
    wb = load_workbook(out, read_only=True)
    audit_rows = list(wb["Audit"].iter_rows(min_row=2, values_only=True))
    assert len(audit_rows) == panel.model.rowCount()
    chain = {r[0]: r[1] for r in wb["Chain"].iter_rows(values_only=True)}
    assert chain["Chain head sequence"] == max(r.seq for r in panel.model.rows)
    assert chain["Verification"] == "OK"
    changes = list(wb["Changes"].iter_rows(min_row=2, values_only=True))
    assert any(c[1] == "probability" and json.loads(str(c[3])) == 0.42 for c in changes)
    wb.close()


def test_that_the_navigator_opens_the_audit_screen(qtbot, state) -> None:  # type: ignore[no-untyped-def]
    w = MainWindow(state)
    qtbot.addWidget(w)
    assert isinstance(w.show_screen("audit"), AuditPanel)


def test_that_the_lineage_tab_follows_a_risk_to_its_versions(panel, state) -> None:  # type: ignore[no-untyped-def]
    RegistryService(state.workspace).freeze("lineage")
    state.versions_changed.emit()
    lin = panel.lineage
    assert lin.risk_box.count() > 0
    lin.risk_box.setCurrentIndex(0)
    top = [lin.risk_tree.topLevelItem(i).text(0) for i in range(lin.risk_tree.topLevelItemCount())]
    assert top == ["Registry versions", "Elicitations applied", "Runs that used it"]
    assert int(lin.risk_tree.topLevelItem(0).text(1)) >= 1


def test_that_the_personal_data_tab_scans_and_shares(panel, state, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    svc = RegistryService(state.workspace)
    r = svc.draft().risks[0]
    svc.upsert_risk(r.with_(description="Landowner Tormod Vassbotn, tel +47 912 34 567."))
    tab = panel.pii
    w = tab.scan()
    assert w is not None
    with qtbot.waitSignal(w.done, timeout=60000):
        pass
    types = {tab.table.item(i, 1).text() for i in range(tab.table.rowCount())}
    assert {"PERSON", "PHONE_NUMBER"} <= types
    fields = " ".join(tab.table.item(i, 0).text() for i in range(tab.table.rowCount()))
    assert "Vassbotn" not in fields and "description" in fields
    w = tab.share_to(tmp_path / "shared.riskdesk")
    assert w is not None
    with qtbot.waitSignal(w.done, timeout=60000):
        pass
    assert "Wrote" in tab.status.text() and (tmp_path / "shared.riskdesk").exists()
    assert b"Vassbotn" not in (tmp_path / "shared.riskdesk").read_bytes()


def test_that_a_scan_shows_progress_and_can_be_cancelled(panel, state, qtbot):  # type: ignore[no-untyped-def]
    from riskdesk.services.pii import PiiService

    tab = panel.pii
    seen: list[object] = []
    w = tab.scan()
    assert w is not None and tab.cancel_btn.isEnabled()
    w.progress.connect(seen.append)
    with qtbot.waitSignal(w.done, timeout=60000):
        pass
    assert any(isinstance(p, tuple) for p in seen) and not tab.cancel_btn.isEnabled()
    before = len(PiiService(state.workspace).detection_log())
    w = tab.scan()
    assert w is not None
    tab.cancel()
    with qtbot.waitSignal(w.done, timeout=60000):
        pass
    assert "Cancelled" in tab.status.text()
    assert len(PiiService(state.workspace).detection_log()) == before  # last scan unchanged
