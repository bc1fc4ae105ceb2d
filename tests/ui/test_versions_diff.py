"""Reviewers see what changed between two registry versions before approving."""

from __future__ import annotations

from riskdesk.services.registry import RegistryService
from riskdesk.ui.panels.versions import VersionsPanel


def test_that_changes_since_the_previous_version_are_listed_field_by_field(qtbot, state):
    svc = RegistryService(state.workspace)
    svc.apply_risks([svc.risk("NS-001").with_(probability=0.6)])
    svc.delete_risks(["NS-008"])
    svc.update_settings(months=30)
    svc.freeze("after review")
    panel = VersionsPanel(state)
    qtbot.addWidget(panel)
    panel.select_version(1)
    assert not panel.compare_button.isEnabled()  # nothing before version 1
    panel.select_version(2)
    assert panel.compare_button.isEnabled()
    dlg = panel.compare_selected()
    t = dlg.findChild(type(panel.table), "versionDiff")
    rows = {t.item(i, 1).text(): (t.item(i, 0).text(), t.item(i, 2).text())
            for i in range(t.rowCount())}
    assert rows == {"NS-001": ("changed", "Probability 45% → 60%"),
                    "NS-008": ("removed", rows["NS-008"][1]),
                    "(settings)": ("changed", "months 36 → 30")}
    assert rows["NS-008"][1].startswith("Turnaround finishes early")
    dlg.reject()
