"""Numbers pasted from Excel as it displays them: thousands separators, percentages and
accounting negatives in parentheses."""

from __future__ import annotations

import pytest

from riskdesk.services.baseline import BaselineService
from riskdesk.ui.panels.baseline import BaselinePanel
from riskdesk.ui.panels.registry_model import parse_number


@pytest.mark.parametrize("text, value", [("1,200", 1200.0), ("(1,200)", -1200.0),
                                         ("(350.5)", -350.5), ("45%", 0.45),
                                         ("1\u00a0200", 1200.0), ("\u22125", -5.0),
                                         (" -7 ", -7.0)])
def test_that_excel_number_texts_parse(text, value):
    assert parse_number(text, "cell") == pytest.approx(value)


@pytest.mark.parametrize("text", ["()", "(abc)", "1,2,x", ""])
def test_that_non_numbers_are_still_refused(text):
    with pytest.raises(ValueError):
        parse_number(text, "cell")


def test_that_a_baseline_block_with_accounting_negatives_pastes(qtbot, state):
    panel = BaselinePanel(state)
    qtbot.addWidget(panel)
    m = panel.model
    row = next(r for r in range(m.rowCount()) if m.is_editable(r, 0))
    assert panel.paste_text("(1,250)\t2,500\r\n", row, 0) == []
    bu, line = m.rows[row]
    plan = BaselineService(state.workspace).draft()
    assert plan.lines[(bu, line)][:2] == (-1250.0, 2500.0)
