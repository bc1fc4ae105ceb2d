"""The import preview says what will change in each risk, not only which risks change."""

from __future__ import annotations

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.registry import Registry
from riskdesk.domain.risk import Risk
from riskdesk.io.registry_excel import write_registry_xlsx
from riskdesk.services.registry import RegistryService
from riskdesk.ui.panels.registry import RegistryPanel


def test_that_the_preview_lists_each_changed_field_and_each_added_or_removed_risk(
        qtbot, state, tmp_path):
    panel = RegistryPanel(state)
    qtbot.addWidget(panel)
    draft = RegistryService(state.workspace).draft()
    risks = [r.with_(probability=0.9, description="New words") if r.id == "NS-001" else r
             for r in draft.risks if r.id != "NS-008"]
    risks.append(Risk("NEW-1", "A new one", probability=0.2,
                      impact=Distribution("fixed", {"value": -100.0})))
    path = write_registry_xlsx(Registry(**{**draft.__dict__, "risks": tuple(risks)}),
                               tmp_path / "x.xlsx")
    dlg = panel.import_file(path)
    dlg.replace.setChecked(True)
    rows = {dlg.table.item(i, 1).text(): (dlg.table.item(i, 0).text(),
                                          dlg.table.item(i, 2).text())
            for i in range(dlg.table.rowCount())}
    assert rows["NS-001"] == ("changed", "Probability 45% → 90%; description edited")
    assert rows["NEW-1"] == ("added", "A new one · 20% · Fixed(-100)")
    assert rows["NS-008"][0] == "removed" and rows["NS-008"][1].startswith("Turnaround")
    dlg.reject()
