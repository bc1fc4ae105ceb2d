"""Undo of a registry import in a workspace that had no registry goes back to no registry;
redo brings the import back; the audit log records both and still verifies."""

from __future__ import annotations

import pytest

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.registry import Correlation, Registry
from riskdesk.domain.risk import Risk
from riskdesk.io.registry_json import dump_registry_json
from riskdesk.services.governance import GovernanceService
from riskdesk.services.registry import RegistryService
from riskdesk.ui.panels.registry import RegistryPanel
from riskdesk.ui.state import AppState

FIRST = Registry(name="Offshore", units="MUSD", months=24, start="2028-01", risks=(
    Risk("OF-1", "Riser fatigue", probability=0.2,
         impact=Distribution("pert", {"min": -30.0, "mode": -20.0, "max": -10.0})),
    Risk("OF-2", "Weather window", probability=0.5,
         impact=Distribution("triangular", {"min": -12.0, "mode": -6.0, "max": -1.0})),
), correlation=Correlation(between=0.25))


@pytest.fixture
def state(empty_workspace):  # type: ignore[no-untyped-def]
    return AppState(empty_workspace)


@pytest.fixture
def panel(qtbot, state):  # type: ignore[no-untyped-def]
    p = RegistryPanel(state)
    qtbot.addWidget(p)
    return p


def _import(panel, tmp_path):  # type: ignore[no-untyped-def]
    path = dump_registry_json(FIRST, tmp_path / "offshore.json")
    dlg = panel.import_file(path)
    assert dlg is not None and dlg.preview.added == ["OF-1", "OF-2"]
    dlg.accept()


def _actions(state) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.action for r in GovernanceService(state.workspace).audit_rows()]


def test_that_undoing_the_first_import_leaves_no_registry_and_redo_restores_it(
        panel, state, tmp_path):
    assert not panel.model.has_registry
    _import(panel, tmp_path)
    imported = RegistryService(state.workspace).draft()
    assert imported == FIRST and panel.model.rowCount() == 2
    assert state.undo_stack.count() == 1

    state.undo_stack.undo()
    assert not RegistryService(state.workspace).exists()
    assert not panel.model.has_registry and panel.model.rowCount() == 0
    messages: list[str] = []
    state.status_message.connect(messages.append)
    assert panel.edit_settings() is None  # as before the import: nothing to set yet
    assert any("no registry yet" in m for m in messages)

    state.undo_stack.redo()
    assert RegistryService(state.workspace).draft() == imported
    assert panel.model.has_registry and panel.model.rowCount() == 2
    assert [r.id for r in panel.model.risks] == ["OF-1", "OF-2"]

    acts = _actions(state)
    assert [a for a in acts if a.startswith("registry.")] == \
        ["registry.create", "registry.delete", "registry.create"]
    deleted = acts.index("registry.delete")
    assert acts[deleted - 2:deleted] == ["risk.delete", "risk.delete"]  # OF-1, OF-2
    assert GovernanceService(state.workspace).verify().ok


def test_that_undo_after_a_freeze_keeps_the_version_and_empties_the_draft(
        panel, state, tmp_path):
    _import(panel, tmp_path)
    info = panel.freeze("first look")
    assert info is not None
    messages: list[str] = []
    state.status_message.connect(messages.append)
    state.undo_stack.undo()
    svc = RegistryService(state.workspace)
    assert svc.exists() and svc.draft().risks == ()
    assert svc.version(info.number) == FIRST
    assert any("frozen after the import" in m for m in messages)
    state.undo_stack.redo()
    assert RegistryService(state.workspace).draft().ids == FIRST.ids
    assert GovernanceService(state.workspace).verify().ok
