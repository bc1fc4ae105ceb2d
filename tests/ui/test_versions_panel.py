"""Versions screen: stage moves with comments and history; refused approval lists the gates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from riskdesk.domain.distributions import Distribution
from riskdesk.services.registry import RegistryService
from riskdesk.ui.panels.versions import VersionsPanel


@pytest.fixture
def panel(qtbot, state):  # type: ignore[no-untyped-def]
    p = VersionsPanel(state)
    qtbot.addWidget(p)
    return p


def _freeze_with_bad_risks(state) -> int:  # type: ignore[no-untyped-def]
    svc = RegistryService(state.workspace)
    r1 = svc.risk("NS-001")
    r2 = svc.risk("NS-002")
    bad_pert = Distribution("pert", {"min": -100.0, "mode": -500.0, "max": -50.0})
    svc.apply_risks([r1.with_(probability=1.4), r2.with_(impact=bad_pert)])
    info = svc.freeze("with problems")
    state.versions_changed.emit()
    return info.number


def test_that_buttons_follow_the_allowed_stage_moves(panel, state):
    n = RegistryService(state.workspace).freeze("review me").number
    state.versions_changed.emit()
    panel.select_version(n)
    enabled = {s for s, b in panel.buttons.items() if b.isEnabled()}
    assert enabled == {"in_review"}
    panel.promote(n, "in_review", "ready")
    enabled = {s for s, b in panel.buttons.items() if b.isEnabled()}
    assert enabled == {"approved", "draft"}


def test_that_a_clean_version_is_approved_with_comments_in_its_history(panel, state, qtbot):
    n = RegistryService(state.workspace).freeze("Q1").number
    state.versions_changed.emit()
    panel.select_version(n)
    panel.comment.setText("please review")
    qtbot.mouseClick(panel.buttons["in_review"], Qt.MouseButton.LeftButton)
    panel.comment.setText("gates pass, approved in committee")
    panel.buttons["approved"].click()
    assert RegistryService(state.workspace).version_info(n).stage == "approved"
    assert panel.selected_number() == n
    assert panel.table.item(0, 2).text() == "Approved"
    hist = [(panel.history.item(i, 1).text(), panel.history.item(i, 4).text())
            for i in range(panel.history.rowCount())]
    assert hist == [("In review", "please review"),
                    ("Approved", "gates pass, approved in committee")]
    assert not panel.gates.isVisibleTo(panel)


def test_that_refused_approval_lists_each_failing_risk_and_field(panel, state):
    n = _freeze_with_bad_risks(state)
    assert panel.promote(n, "in_review", "") == []
    problems = panel.promote(n, "approved", "try")
    assert problems
    assert RegistryService(state.workspace).version_info(n).stage == "in_review"
    assert panel.gates.isVisibleTo(panel)
    rows = {(panel.gates_table.item(i, 0).text(), panel.gates_table.item(i, 1).text())
            for i in range(panel.gates_table.rowCount())}
    assert ("NS-001", "probability") in rows
    assert ("NS-002", "impact.mode") in rows
    assert "2 data-quality gate(s) fail" in panel.gates_label.text()


def test_that_an_illegal_move_is_explained(panel, state):
    n = RegistryService(state.workspace).freeze("x").number
    problems = panel.promote(n, "retired", "")
    assert problems and "can move to" in problems[0].message
    assert panel.gates.isVisibleTo(panel)


def test_that_baseline_versions_are_listed_and_moved_too(panel, state):
    from riskdesk.services.baseline import BaselineService

    n = BaselineService(state.workspace).freeze("Budget").number
    panel.show_kind("baseline")
    assert panel.table.item(0, 0).text() == str(n)
    assert panel.table.isColumnHidden(5)
    assert panel.promote(n, "in_review", "to committee") == []
    assert BaselineService(state.workspace).version_info(n).stage == "in_review"
    assert panel.history.item(0, 4).text() == "to committee"
    panel.show_kind("registry")
    assert not panel.table.isColumnHidden(5)
