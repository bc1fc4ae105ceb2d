"""A reviewer sees where a risk's numbers came from: the registry's Source column and the
editor's provenance (session, question, method, experts and weights) after a pooled result is
applied, and a hand edit over those numbers is recorded as such."""

from __future__ import annotations

import pytest

from riskdesk.services.elicitation import ElicitationService
from riskdesk.services.registry import RegistryService
from riskdesk.ui.panels.registry import RegistryPanel
from riskdesk.ui.panels.registry_model import KEYS


@pytest.fixture
def applied(state):  # type: ignore[no-untyped-def]
    """The demo applies session 1's question T2 (Cooke, optimised α) to WA-001."""
    return RegistryService(state.workspace).risk("WA-001")


@pytest.fixture
def panel(qtbot, state, applied):  # type: ignore[no-untyped-def]
    p = RegistryPanel(state)
    qtbot.addWidget(p)
    return p


def _cell(panel, rid: str, key: str):  # type: ignore[no-untyped-def]
    return panel.model.index(panel.model.row_of(rid), KEYS.index(key))


def test_that_the_registry_shows_each_risks_source(panel, applied):
    text = _cell(panel, "WA-001", "source").data()
    assert text.startswith("elicitation 1/T2 (cooke, global, α=")
    assert _cell(panel, "WA-001", "source").data(3) == applied.source  # tooltip: raw text
    assert _cell(panel, "NS-001", "source").data() == ""


def test_that_the_editor_lists_session_experts_weights_and_method(panel, state):
    ed = panel.open_editor("WA-001")
    assert "elicitation 1/T2" in ed.source.text()
    lines = ed.provenance.text().splitlines()
    assert len(lines) == 1
    for name in (e.label for e in ElicitationService(state.workspace).experts(1)):
        assert name in lines[0]
    assert "session 1 question T2" in lines[0] and "cooke" in lines[0]
    assert "probability" in lines[0]
    ed.reject()


def test_that_typing_over_an_elicited_number_records_a_hand_edit(panel, state, applied):
    assert panel.model.setData(_cell(panel, "WA-001", "probability"), "0.5")
    risk = RegistryService(state.workspace).risk("WA-001")
    assert risk.source == "edited by hand after " + applied.source
    assert _cell(panel, "WA-001", "source").data().startswith("edited by hand after elicitation")
    state.undo_stack.undo()
    assert RegistryService(state.workspace).risk("WA-001").source == applied.source


def test_that_the_editor_marks_the_source_as_soon_as_a_number_changes(panel, applied):
    ed = panel.open_editor("WA-001")
    ed.title_edit.setText("Road blockades")
    assert ed.risk().source == applied.source
    ed.probability.setText("0.45")
    assert ed.risk().source.startswith("edited by hand after ")
    assert ed.source.text().startswith("edited by hand after elicitation")
    ed.reject()


def test_that_ok_without_edits_keeps_every_elicited_number_exactly(state):  # type: ignore[no-untyped-def]
    from riskdesk.ui.panels.risk_editor import RiskEditor

    svc = ElicitationService(state.workspace)
    svc.apply(1, "T1", svc.pool(1, "cooke", "global", None))
    svc.apply(1, "T2", svc.pool(1, "cooke", "global", None))
    for rid in ("NS-002", "WA-001"):
        risk = RegistryService(state.workspace).risk(rid)
        ed = RiskEditor(risk)
        assert ed.risk() == risk
        ed.deleteLater()


def test_that_source_texts_read_as_words():
    from riskdesk.ui.panels.registry_source import source_text

    assert source_text("elicitation:session 3/H1 result 7 equal pert; probability matrix:v1 "
                       "L2 midpoint") == "elicitation 3/H1 (equal; pert); probability " \
                                         "matrix:v1 L2 midpoint"
    assert source_text("matrix:v1 L3/I4 pert") == "risk matrix v1 L3/I4 (pert)"
    assert source_text("edited by hand after matrix:v1 L3/I4 pert") == \
        "edited by hand after risk matrix v1 L3/I4 (pert)"
    assert source_text("imported from the 2025 register") == "imported from the 2025 register"


def test_that_pasting_or_importing_changed_numbers_over_an_elicited_risk_marks_a_hand_edit(
        panel, state, applied, tmp_path):
    from riskdesk.domain.registry import Registry
    from riskdesk.io.registry_excel import read_registry_xlsx, write_registry_xlsx

    panel.select_ids(["WA-001"])
    text = panel.copy_selected()
    header, row = text.rstrip("\r\n").split("\r\n")
    cells = row.split("\t")
    cells[header.split("\t").index("Probability")] = "0.6"
    assert panel.paste_text("\r\n".join([header, "\t".join(cells)])) == []
    reg = RegistryService(state.workspace)
    assert reg.risk("WA-001").source == "edited by hand after " + applied.source
    state.undo_stack.undo()
    assert reg.risk("WA-001").source == applied.source

    draft = reg.draft()
    changed = [r.with_(probability=0.7) if r.id == "WA-001" else r for r in draft.risks]
    path = write_registry_xlsx(Registry(**{**draft.__dict__, "risks": tuple(changed)}),
                               tmp_path / "edited.xlsx")
    reg.apply_import(read_registry_xlsx(path))
    assert reg.risk("WA-001").probability == 0.7
    assert reg.risk("WA-001").source == "edited by hand after " + applied.source


def test_that_undoing_an_import_restores_sources_exactly(panel, state, applied, tmp_path):
    from riskdesk.domain.registry import Registry
    from riskdesk.io.registry_excel import write_registry_xlsx

    reg = RegistryService(state.workspace)
    draft = reg.draft()
    changed = [r.with_(probability=0.7) if r.id == "WA-001" else r for r in draft.risks]
    path = write_registry_xlsx(Registry(**{**draft.__dict__, "risks": tuple(changed)}),
                               tmp_path / "edited.xlsx")
    dlg = panel.import_file(path)
    dlg.accept()
    assert reg.risk("WA-001").source.startswith("edited by hand after ")
    state.undo_stack.undo()
    assert reg.risk("WA-001") == applied


def test_that_undoing_the_import_that_created_the_registry_empties_it(qtbot, empty_workspace,
                                                                     tmp_path):
    from riskdesk.io.registry_excel import write_registry_xlsx
    from riskdesk.services.demo import demo_registry
    from riskdesk.ui.state import AppState

    state = AppState(empty_workspace)
    p = RegistryPanel(state)
    qtbot.addWidget(p)
    dlg = p.import_file(write_registry_xlsx(demo_registry(), tmp_path / "r.xlsx"))
    dlg.accept()
    assert p.model.rowCount() == 25
    state.undo_stack.undo()
    assert p.model.rowCount() == 0
    state.undo_stack.redo()
    assert p.model.rowCount() == 25
