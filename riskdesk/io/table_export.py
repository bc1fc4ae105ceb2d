"""Write a small table of numbers (a chart's data) to CSV or Excel, chosen by the file suffix."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from riskdesk.domain.problems import Problem, ValidationError


def write_table(path: str | Path, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                sheet: str = "data", notes: Sequence[str] = ()) -> Path:
    """Write ``headers`` and ``rows`` to ``path`` (``.csv`` or ``.xlsx``); ``notes`` (e.g. units
    and the percentile convention) go above the table in Excel and as ``#`` lines in CSV."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        with p.open("w", newline="", encoding="utf-8") as f:
            for n in notes:
                f.write(f"# {n}\n")
            w = csv.writer(f)
            w.writerow(list(headers))
            w.writerows([list(r) for r in rows])
        return p
    if suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = sheet[:31] or "data"
        for n in notes:
            ws.append([n])
        ws.append(list(headers))
        for r in rows:
            ws.append([_cell(v) for v in r])
        wb.save(p)
        return p
    raise ValidationError(Problem(p.name, "choose a .csv or .xlsx file"))


def _cell(v: Any) -> Any:
    if hasattr(v, "item"):
        return v.item()
    return v
