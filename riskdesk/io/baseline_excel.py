"""Baseline plan workbooks: sheet ``Plan`` with Business unit | Line | one column per month.

Lines are revenue, opex and capex (EBITDA and cash flow are derived and written for reading only, in
sheet ``Derived``). Month headers are ``YYYY-MM`` text or dates and must be consecutive.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

from riskdesk.domain.baseline import PLAN_LINES, BaselinePlan, month_label
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.io.xlsx_common import cell_ref, formula_cells_without_value, set_text

PLAN, DERIVED, SETTINGS = "Plan", "Derived", "Settings"
LINE_NAMES = {"revenue": "revenue", "opex": "opex", "capex": "capex", "operating cost": "opex",
              "operating costs": "opex", "capital expenditure": "capex", "sales": "revenue"}


def write_baseline_xlsx(plan: BaselinePlan, path: str | Path,
                        chain_head: str | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    p = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = PLAN
    heads = ["Business unit", "Line"] + [month_label(plan.start, m) for m in range(plan.months)]
    for c, h in enumerate(heads, start=1):
        ws.cell(1, c, h).font = Font(bold=True)
    r = 2
    for bu in plan.business_units:
        for ln in PLAN_LINES:
            vals = plan.lines.get((bu, ln))
            if vals is None:
                continue
            set_text(ws.cell(r, 1), bu)
            ws.cell(r, 2, ln)
            for m, v in enumerate(vals):
                ws.cell(r, 3 + m, float(v)).number_format = "#,##0.0"
            r += 1
    ws.freeze_panes = "C2"
    ws.column_dimensions["A"].width = 16
    ds = wb.create_sheet(DERIVED)
    for c, h in enumerate(heads, start=1):
        ds.cell(1, c, h).font = Font(bold=True)
    r = 2
    for bu in plan.business_units:
        for ln in ("ebitda", "cash_flow"):
            set_text(ds.cell(r, 1), bu)
            ds.cell(r, 2, ln)
            for m, v in enumerate(plan.line(ln, bu)):
                ds.cell(r, 3 + m, float(v)).number_format = "#,##0.0"
            r += 1
    st = wb.create_sheet(SETTINGS)
    meta = [("Name", plan.name), ("Units", plan.units)]
    if chain_head:
        meta.append(("Audit chain head", chain_head))
    for i, (k, text) in enumerate(meta, start=1):
        st.cell(i, 1, k).font = Font(bold=True)
        set_text(st.cell(i, 2), text)
    p.parent.mkdir(parents=True, exist_ok=True)
    wb.save(p)
    return p


def _month_of(v: Any) -> str | None:
    if isinstance(v, datetime | date):
        return f"{v.year:04d}-{v.month:02d}"
    if isinstance(v, str):
        s = v.strip()
        if len(s) == 7 and s[4] == "-" and (s[:4] + s[5:]).isdigit() and 1 <= int(s[5:]) <= 12:
            return s
    return None


def read_baseline_xlsx(path: str | Path) -> BaselinePlan:
    """Read and validate a baseline workbook; ValidationError lists every problem by cell."""
    from riskdesk.io.xlsx_safety import open_workbook_safely

    p = Path(path)
    wb = open_workbook_safely(p, data_only=True)
    if PLAN not in wb.sheetnames:
        raise ValidationError(Problem(p.name, f"no sheet named {PLAN!r} (sheets: "
                                      f"{', '.join(wb.sheetnames)})"))
    ws = wb[PLAN]
    problems: list[Problem] = []
    hrow = None
    for r in range(1, min(ws.max_row, 20) + 1):
        a, b = ws.cell(r, 1).value, ws.cell(r, 2).value
        if isinstance(a, str) and a.strip().lower() == "business unit" and \
                isinstance(b, str) and b.strip().lower() == "line":
            hrow = r
            break
    if hrow is None:
        raise ValidationError(Problem(f"{PLAN}!A1", "no header row 'Business unit | Line | "
                                      "months…' in the first 20 rows"))
    months: list[str] = []
    for c in range(3, ws.max_column + 1):
        v = ws.cell(hrow, c).value
        if v is None:
            break
        m = _month_of(v)
        if m is None:
            problems.append(Problem(cell_ref(PLAN, hrow, c), f"month header {v!r} must be YYYY-MM "
                                    "or a date"))
            break
        if months and m != month_label(months[0], len(months)):
            problems.append(Problem(cell_ref(PLAN, hrow, c), f"month {m} does not follow "
                                    f"{months[-1]} (months must be consecutive)"))
            break
        months.append(m)
    if not months:
        problems.append(Problem(cell_ref(PLAN, hrow, 3), "no month columns"))
        raise ValidationError(problems)
    no_cache = formula_cells_without_value(p, PLAN)
    lines: dict[tuple[str, str], tuple[float, ...]] = {}
    first: dict[tuple[str, str], str] = {}
    for r in range(hrow + 1, ws.max_row + 1):
        bu, ln = ws.cell(r, 1).value, ws.cell(r, 2).value
        vals_raw = [ws.cell(r, 3 + m).value for m in range(len(months))]
        if bu in (None, "") and ln in (None, "") and all(v in (None, "") for v in vals_raw):
            continue
        if not isinstance(bu, str) or not bu.strip():
            problems.append(Problem(cell_ref(PLAN, r, 1), "business unit is required"))
            continue
        key = LINE_NAMES.get(str(ln or "").strip().lower())
        if key is None:
            problems.append(Problem(cell_ref(PLAN, r, 2), f"line {ln!r} must be one of "
                                    f"{', '.join(PLAN_LINES)} (EBITDA and cash flow are derived)"))
            continue
        if (bu.strip(), key) in lines:
            problems.append(Problem(cell_ref(PLAN, r, 2), f"{bu.strip()} {key} appears twice "
                                    f"(first at {first[(bu.strip(), key)]})"))
            continue
        vals = []
        for i, v in enumerate(vals_raw):
            ref = cell_ref(PLAN, r, 3 + i)
            if (r, 3 + i) in no_cache:
                problems.append(Problem(ref, "formula has no calculated value"))
                continue
            if v is None or (isinstance(v, str) and not v.strip()):
                problems.append(Problem(ref, "value is missing (enter 0 for none)"))
                continue
            try:
                x = float(str(v).replace(",", "")) if isinstance(v, str) else float(v)
                if not math.isfinite(x):
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(Problem(ref, f"{v!r} is not a number"))
                continue
            vals.append(x)
        first[(bu.strip(), key)] = cell_ref(PLAN, r, 2)
        lines[(bu.strip(), key)] = tuple(vals)
    name, units = p.stem, "kUSD"
    if SETTINGS in wb.sheetnames:
        st = wb[SETTINGS]
        for r in range(1, 10):
            k, v = st.cell(r, 1).value, st.cell(r, 2).value
            if isinstance(k, str) and k.strip().lower() == "name" and v:
                name = str(v)
            if isinstance(k, str) and k.strip().lower() == "units" and v:
                units = str(v)
    if not lines and not problems:
        problems.append(Problem(cell_ref(PLAN, hrow + 1, 1), "the plan has no lines"))
    if problems:
        raise ValidationError(problems)
    plan = BaselinePlan(name=name, units=units, start=months[0], months=len(months), lines=lines)
    bad = plan.validate()
    if bad:
        raise ValidationError(bad)
    return plan
