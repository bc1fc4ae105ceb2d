"""Baseline workbooks: round trip, and located errors."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from riskdesk.domain.problems import ValidationError
from riskdesk.io.baseline_excel import read_baseline_xlsx, write_baseline_xlsx
from riskdesk.services.demo import demo_baseline


def test_that_a_plan_round_trips(tmp_path: Path) -> None:
    plan = demo_baseline()
    back = read_baseline_xlsx(write_baseline_xlsx(plan, tmp_path / "b.xlsx"))
    assert back.content_hash() == plan.content_hash()


def _wb(tmp_path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    for r in rows:
        ws.append(r)
    p = tmp_path / "plan.xlsx"
    wb.save(p)
    return p


def test_that_date_headers_and_text_numbers_are_read(tmp_path: Path) -> None:
    p = _wb(tmp_path, [["Business unit", "Line", datetime(2027, 1, 1), datetime(2027, 2, 1)],
                       ["North", "revenue", "1,200.5", 1300], ["North", "opex", 100, 100]])
    plan = read_baseline_xlsx(p)
    assert plan.start == "2027-01" and plan.months == 2
    assert list(plan.line("ebitda")) == [1100.5, 1200.0]


@pytest.mark.parametrize("rows, where, text", [
    ([["Business unit", "Line", "2027-01", "2027-03"]], "Plan!D1", "consecutive"),
    ([["Business unit", "Line", "2027-01"], ["N", "revenue", "abc"]], "Plan!C2", "not a number"),
    ([["Business unit", "Line", "2027-01"], ["N", "ebitda", 1]], "Plan!B2", "derived"),
    ([["Business unit", "Line", "2027-01"], ["N", "opex", 1], ["N", "opex", 2]], "Plan!B3",
     "appears twice"),
    ([["Business unit", "Line", "2027-01"], ["N", "opex", None]], "Plan!C2", "missing"),
])
def test_that_bad_cells_are_named(tmp_path: Path, rows, where: str, text: str) -> None:
    with pytest.raises(ValidationError) as ei:
        read_baseline_xlsx(_wb(tmp_path, rows))
    assert any(str(p).startswith(where) and text in str(p) for p in ei.value.problems), \
        ei.value.problems
