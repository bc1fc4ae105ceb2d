"""Shared helpers for riskdesk's own workbooks: locating headers, cells, writing safe text."""

from __future__ import annotations

from typing import Any

from riskdesk.domain.problems import Problem


def cell_ref(sheet: str, row: int, col: int) -> str:
    """``Sheet!B7`` (quoted sheet names when needed)."""
    from openpyxl.utils import get_column_letter

    name = f"'{sheet}'" if any(c in sheet for c in " -!'") else sheet
    return f"{name}!{get_column_letter(col)}{row}"


def find_header_row(ws: Any, known: dict[str, str], required: str,
                    max_rows: int = 20) -> tuple[int, dict[int, str]] | None:
    """Find the row (within the first ``max_rows``) whose labels include ``required``.

    ``known`` maps lower-case header text to a column key. Returns (row, {column index: key}).
    """
    for r in range(1, min(ws.max_row, max_rows) + 1):
        cols: dict[int, str] = {}
        for c in range(1, ws.max_column + 1):
            v = ws.cell(r, c).value
            if isinstance(v, str):
                key = known.get(" ".join(v.strip().lower().split()))
                if key:
                    cols[c] = key
        if required in cols.values():
            return r, cols
    return None


def formula_cells_without_value(path: Any, sheet: str) -> set[tuple[int, int]]:
    """Cells holding a formula whose cached value is missing (never calculated)."""
    from riskdesk.io.xlsx_safety import open_workbook_safely

    wb_f = open_workbook_safely(path, data_only=False)
    wb_v = open_workbook_safely(path, data_only=True)
    out: set[tuple[int, int]] = set()
    if sheet not in wb_f.sheetnames:
        return out
    wf, wv = wb_f[sheet], wb_v[sheet]
    for row in wf.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "f":
                if wv.cell(c.row, c.column).value is None:
                    out.add((c.row, c.column))
    return out


def set_text(cell: Any, value: Any) -> None:
    """Write ``value``; text that starts with ``=`` stays text, never a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def problems_text(problems: list[Problem], limit: int = 50) -> str:
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… and {len(problems) - limit} more")
    return "\n".join(lines)
