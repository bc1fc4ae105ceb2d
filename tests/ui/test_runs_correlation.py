"""The correlation matrix editor on the Runs screen: edit, check, repair only with consent."""

from __future__ import annotations

import numpy as np

from riskdesk.domain.registry import psd_problems
from riskdesk.services.registry import RegistryService


def _set(ed, a: int, b: int, v: float) -> None:
    ed.table.item(a, b).setText(f"{v}")


def test_that_an_invalid_matrix_is_flagged_and_repaired_only_after_consent(qtbot, state):
    from riskdesk.ui.panels.correlation import CorrelationEditor, RepairDialog

    ed = CorrelationEditor(state)
    qtbot.addWidget(ed)
    n = len(ed.ids)
    assert n == 20 and not ed.repair_btn.isEnabled()  # the demo's quantitative risks
    _set(ed, 0, 1, 0.9)
    _set(ed, 1, 2, 0.9)
    _set(ed, 0, 2, -0.9)
    assert ed.table.item(2, 0).text() == ed.table.item(0, 2).text() == "-0.90"  # symmetric
    assert ed.min_eigenvalue() < 0 and ed.repair_btn.isEnabled()
    assert "not positive semi-definite" in ed.status.text()
    ed.save()  # the draft keeps what the user typed, as pair overrides
    draft = RegistryService(state.workspace).draft()
    assert draft.correlation.rho(ed.ids[0], ed.ids[2]) == -0.9
    assert psd_problems(draft.correlation.full_matrix(ed.ids))

    dlg = RepairDialog(ed.ids, ed.matrix, ed)
    qtbot.addWidget(dlg)
    r = dlg.repair
    assert r.min_eig_before < 0 and r.min_eig_after >= 0
    assert dlg.table.rowCount() == 10 and dlg.table.item(0, 0).text() in ed.ids[:3]
    dlg.reject()  # no consent: nothing changes
    assert RegistryService(state.workspace).draft().correlation == draft.correlation

    ed.apply_repair(r.matrix)  # consent
    repaired = RegistryService(state.workspace).draft().correlation
    m = repaired.full_matrix(ed.ids)
    assert not psd_problems(m) and np.allclose(m, r.matrix)


def test_that_a_value_outside_minus_one_to_one_is_refused(qtbot, state):
    from riskdesk.ui.panels.correlation import CorrelationEditor

    ed = CorrelationEditor(state)
    qtbot.addWidget(ed)
    before = ed.matrix[0, 1]
    _set(ed, 0, 1, 1.5)
    assert ed.matrix[0, 1] == before and "not a correlation" in ed.status.text()
