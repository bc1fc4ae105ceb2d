"""Registry workbooks: the documented one-row-per-risk template, import and export.

Sheets: ``Risks`` (one row per risk, headers of ``riskdesk.domain.risk_table.COLUMNS``, found
anywhere in the first 20 rows), ``Settings`` (Name, Units, Months, Start, Iterations, Seed),
``Correlations`` (Risk A, Risk B, Rho) and ``Columns`` (what each column means). Import checks
everything first and raises one ``ValidationError`` listing every problem as ``Risks!F12: ...``;
it never writes anything itself.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import Correlation, Registry, psd_problems
from riskdesk.domain.risk_table import COLUMN_KEYS, COLUMNS, HEADERS, risk_to_cells, row_to_risk
from riskdesk.io.xlsx_common import cell_ref, find_header_row, formula_cells_without_value, set_text

RISKS, SETTINGS, CORR, HELP = "Risks", "Settings", "Correlations", "Columns"
SETTING_KEYS = {"name": "name", "units": "units", "months": "months", "horizon (months)": "months",
                "start": "start", "start month": "start", "iterations": "iterations",
                "seed": "seed"}

PERSONAL_DATA, REDACTED = "Personal data", "redacted"


def exported_redacted_xlsx(path: str | Path) -> bool:
    """Whether a registry workbook says (Settings "Personal data" = "redacted") that it was
    exported with personal data redacted. Unreadable files say no."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not a workbook: the import itself reports why
        return False
    try:
        if SETTINGS not in wb.sheetnames:
            return False
        for k, v in wb[SETTINGS].iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
            if isinstance(k, str) and k.strip().lower() == PERSONAL_DATA.lower():
                return isinstance(v, str) and v.strip().lower() == REDACTED
        return False
    finally:
        wb.close()


def write_registry_xlsx(registry: Registry, path: str | Path, *,
                        chain_head: str | None = None, redacted: bool | None = None) -> Path:
    """Write ``registry`` as a workbook in the template layout; returns the path. ``redacted``
    (when given) adds a Settings row "Personal data" = "redacted" or "original text"."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    p = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = RISKS
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F4E79")
    for c, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(1, c, col.header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        from openpyxl.utils import get_column_letter

        ws.column_dimensions[get_column_letter(c)].width = col.width
    for r, risk in enumerate(registry.risks, start=2):
        cells = risk_to_cells(risk)
        for c, key in enumerate(COLUMN_KEYS, start=1):
            if key in cells:
                set_text(ws.cell(r, c), cells[key])
        prob_col = COLUMN_KEYS.index("probability") + 1
        ws.cell(r, prob_col).number_format = "0.00"
    ws.freeze_panes = "C2"
    dv = DataValidation(type="list", formula1='"quantitative,qualitative"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(f"H2:H{max(len(registry.risks) + 200, 500)}")

    st = wb.create_sheet(SETTINGS)
    rows: list[tuple[str, Any]] = [("Name", registry.name), ("Units", registry.units),
                                   ("Months", registry.months), ("Start", registry.start),
                                   ("Iterations", registry.iterations), ("Seed", registry.seed)]
    if chain_head:
        rows.append(("Audit chain head", chain_head))
    if redacted is not None:
        rows.append((PERSONAL_DATA, REDACTED if redacted else "original text"))
    for r, (k, v) in enumerate(rows, start=1):
        st.cell(r, 1, k).font = Font(bold=True)
        set_text(st.cell(r, 2), v)
    st.column_dimensions["A"].width = 18
    st.column_dimensions["B"].width = 40

    cs = wb.create_sheet(CORR)
    for c, h in enumerate(("Risk A", "Risk B", "Rho"), start=1):
        cs.cell(1, c, h).font = Font(bold=True)
    corr = registry.correlation
    r = 2
    if corr.matrix is not None:
        ids = [x.id for x in registry.quantitative()]
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                if corr.matrix[i][j]:
                    cs.cell(r, 1, ids[i]), cs.cell(r, 2, ids[j]), cs.cell(r, 3, corr.matrix[i][j])
                    r += 1
    else:
        for (a, b), rho in sorted(corr.pairs.items()):
            cs.cell(r, 1, a), cs.cell(r, 2, b), cs.cell(r, 3, rho)
            r += 1
        for _name, members, rho in corr.blocks:
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    cs.cell(r, 1, a), cs.cell(r, 2, b), cs.cell(r, 3, rho)
                    r += 1
    cs.cell(1, 5, "Between (all other pairs)").font = Font(bold=True)
    cs.cell(2, 5, corr.between)

    hs = wb.create_sheet(HELP)
    hs.cell(1, 1, "Column").font = Font(bold=True)
    hs.cell(1, 2, "Meaning").font = Font(bold=True)
    for i, col in enumerate(COLUMNS, start=2):
        hs.cell(i, 1, col.header)
        hs.cell(i, 2, col.help)
    hs.column_dimensions["A"].width = 22
    hs.column_dimensions["B"].width = 90
    p.parent.mkdir(parents=True, exist_ok=True)
    wb.save(p)
    return p


def write_template(path: str | Path) -> Path:
    """An empty registry workbook with the documented columns and settings."""
    return write_registry_xlsx(Registry(name="New registry"), path)


def read_registry_xlsx(path: str | Path, *, months: int | None = None) -> Registry:
    """Read and validate a registry workbook. Raises ValidationError listing every problem."""
    from riskdesk.io.xlsx_safety import open_workbook_safely

    p = Path(path)
    wb = open_workbook_safely(p, data_only=True)
    if RISKS not in wb.sheetnames:
        raise ValidationError(Problem(p.name, f"no sheet named {RISKS!r} (sheets: "
                                      f"{', '.join(wb.sheetnames)})"))
    problems: list[Problem] = []
    settings = _read_settings(wb, problems)
    horizon = int(settings.get("months", months or 36))
    ws = wb[RISKS]
    found = find_header_row(ws, HEADERS, "id")
    if found is None:
        raise ValidationError(Problem(f"{RISKS}!A1", "no header row with an 'ID' column in the "
                                      "first 20 rows"))
    hrow, cols = found
    no_cache = formula_cells_without_value(p, RISKS)
    risks = []
    seen: dict[str, str] = {}
    key_col = {k: c for c, k in cols.items()}
    for r in range(hrow + 1, ws.max_row + 1):
        raw = {k: ws.cell(r, c).value for c, k in cols.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
            continue
        bad_formula = [c for c in cols if (r, c) in no_cache]
        for c in bad_formula:
            problems.append(Problem(cell_ref(RISKS, r, c), "formula has no calculated value; "
                                    "open and save the file in Excel, or paste values"))
        if bad_formula:
            continue

        def loc(key: str, r: int = r) -> str:
            c = key_col.get(key)
            if c is None:
                return f"{RISKS}!row {r} ({dict((c.key, c.header) for c in COLUMNS)[key]})"
            return cell_ref(RISKS, r, c)

        risk, probs = row_to_risk(raw, loc, horizon)
        problems += probs
        if risk is not None:
            if risk.id in seen:
                problems.append(Problem(loc("id"), f"duplicate risk id {risk.id!r} (first at "
                                        f"{seen[risk.id]})"))
                continue
            seen[risk.id] = loc("id")
            risks.append(risk)
    corr = _read_correlations(wb, set(seen), problems)
    reg = Registry(name=str(settings.get("name", p.stem)), units=str(settings.get("units", "kUSD")),
                   months=horizon, start=str(settings.get("start", "2027-01")),
                   risks=tuple(risks), correlation=corr,
                   iterations=int(settings.get("iterations", 10000)),
                   seed=int(settings.get("seed", 12345)))
    if not problems:
        ids = [x.id for x in reg.quantitative()]
        if len(ids) > 1 and not corr.is_empty:
            problems += [Problem(f"{CORR}!C2", p.message) for p in
                         psd_problems(corr.full_matrix(ids))]
    if problems:
        raise ValidationError(problems)
    return reg


def _read_settings(wb: Any, problems: list[Problem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if SETTINGS not in wb.sheetnames:
        return out
    ws = wb[SETTINGS]
    for r in range(1, min(ws.max_row, 50) + 1):
        k = ws.cell(r, 1).value
        if not isinstance(k, str):
            continue
        key = SETTING_KEYS.get(k.strip().lower())
        if not key:
            continue
        v = ws.cell(r, 2).value
        if key in ("months", "iterations", "seed"):
            try:
                x = float(str(v).replace(",", ""))
                if not x.is_integer() or x < (1 if key != "seed" else 0):
                    raise ValueError
                out[key] = int(x)
            except (TypeError, ValueError):
                problems.append(Problem(cell_ref(SETTINGS, r, 2), f"{k.strip()} {v!r} must be a "
                                        "positive whole number"))
        elif key == "start":
            s = v.strftime("%Y-%m") if hasattr(v, "strftime") else str(v or "").strip()
            if len(s) != 7 or s[4] != "-" or not (s[:4] + s[5:]).isdigit():
                problems.append(Problem(cell_ref(SETTINGS, r, 2), f"start {v!r} must be YYYY-MM"))
            else:
                out[key] = s
        elif v is not None:
            out[key] = str(v).strip()
    return out


def _read_correlations(wb: Any, ids: set[str], problems: list[Problem]) -> Correlation:
    if CORR not in wb.sheetnames:
        return Correlation()
    ws = wb[CORR]
    pairs: dict[tuple[str, str], float] = {}
    between = 0.0
    bv = ws.cell(2, 5).value
    if bv not in (None, ""):
        try:
            between = float(bv)
        except (TypeError, ValueError):
            problems.append(Problem(cell_ref(CORR, 2, 5), f"{bv!r} is not a number"))
    for r in range(2, ws.max_row + 1):
        a, b, rho = (ws.cell(r, c).value for c in (1, 2, 3))
        if a in (None, "") and b in (None, ""):
            continue
        a, b = str(a or "").strip(), str(b or "").strip()
        ok = True
        for c, x in ((1, a), (2, b)):
            if x not in ids:
                problems.append(Problem(cell_ref(CORR, r, c), f"unknown risk id {x!r}"))
                ok = False
        try:
            val = float(rho)
            if not math.isfinite(val) or not -1.0 <= val <= 1.0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(Problem(cell_ref(CORR, r, 3), f"correlation {rho!r} must be a number "
                                    "in -1..1"))
            ok = False
        if ok and a == b:
            problems.append(Problem(cell_ref(CORR, r, 2), "a risk cannot be correlated with "
                                    "itself"))
            ok = False
        if ok:
            if (a, b) in pairs or (b, a) in pairs:
                problems.append(Problem(cell_ref(CORR, r, 1), f"pair {a}~{b} is listed twice"))
            pairs[(a, b)] = val
    return Correlation(pairs=pairs, between=between)
