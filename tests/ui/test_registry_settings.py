"""Registry settings from the GUI: horizon, first month, units, iterations and seed; undoable."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from riskdesk.services.registry import RegistryService
from riskdesk.ui.panels.registry import RegistryPanel


def test_that_settings_are_saved_undone_and_warn_about_risks_outside_a_shorter_horizon(
        qtbot, state):
    panel = RegistryPanel(state)
    qtbot.addWidget(panel)
    svc = RegistryService(state.workspace)
    original = svc.draft()
    dlg = panel.edit_settings()
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing changed yet
    dlg.start.setText("2027-13")
    assert not ok.isEnabled() and "2027-01" in dlg.problems.text()
    dlg.start.setText("2028-01")
    dlg.months.setValue(12)
    assert ok.isEnabled()
    assert "would be phased outside the horizon" in dlg.problems.text()
    assert "NS-005" in dlg.problems.text()  # its window starts in month 24
    dlg.seed.setValue(99)
    ok.click()
    reg = svc.draft()
    assert (reg.months, reg.start, reg.seed) == (12, "2028-01", 99)
    assert "12 months from 2028-01" in panel.summary.text()
    state.undo_stack.undo()
    reg = svc.draft()
    assert (reg.months, reg.start, reg.seed) == (original.months, original.start, original.seed)
    assert "36 months from 2027-01" in panel.summary.text()


def test_that_freezing_an_unchanged_draft_says_which_version_it_repeats(qtbot, state):
    panel = RegistryPanel(state)
    qtbot.addWidget(panel)
    messages: list[str] = []
    state.status_message.connect(messages.append)
    info = panel.freeze("again")
    assert info is not None and messages[-1].endswith("same content as version 1")
