"""The audit log as an Excel workbook: entries, their field-level changes, and the chain head.

Sheets: ``Audit`` (one row per entry), ``Changes`` (one row per changed JSON path), ``Chain``
(workspace id, head sequence and hash, export time, verification result). Text that starts with
``=`` is written as text, never as a formula.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from riskdesk.io.xlsx_common import set_text

AUDIT_HEADERS = ("Seq", "When (UTC)", "Who", "OS user", "Action", "Entity type", "Entity",
                 "Changes")
CHANGE_HEADERS = ("Seq", "Field", "Before", "After")


def _cell_text(v: Any) -> Any:
    if v is None or isinstance(v, int | float | bool):
        return v
    s = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)
    return s if len(s) <= 32000 else s[:32000] + "…"


def write_audit_xlsx(rows: list[dict[str, Any]], path: str | Path, head: dict[str, Any],
                     verification: dict[str, Any] | None = None) -> Path:
    """Write audit ``rows`` (``seq, at, who, os_user, action, entity_type, entity_id, diff``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    p = Path(path)
    wb = Workbook()
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")

    def header(ws: Any, names: tuple[str, ...], widths: tuple[int, ...]) -> None:
        for c, (name, w) in enumerate(zip(names, widths, strict=True), start=1):
            cell = ws.cell(1, c, name)
            cell.font, cell.fill = bold, fill
            ws.column_dimensions[cell.column_letter].width = w
        ws.freeze_panes = "A2"

    ws = wb.active
    ws.title = "Audit"
    header(ws, AUDIT_HEADERS, (7, 24, 20, 12, 22, 18, 24, 9))
    ch = wb.create_sheet("Changes")
    header(ch, CHANGE_HEADERS, (7, 34, 40, 40))
    r2 = 2
    for r, row in enumerate(rows, start=2):
        vals = (row["seq"], row["at"], row["who"], row["os_user"], row["action"],
                row["entity_type"], row["entity_id"], len(row.get("diff", [])))
        for c, v in enumerate(vals, start=1):
            set_text(ws.cell(r, c), v)
        for d in row.get("diff", []):
            for c, v in enumerate((row["seq"], d.get("path"), _cell_text(d.get("before")),
                                   _cell_text(d.get("after"))), start=1):
                set_text(ch.cell(r2, c), v)
            r2 += 1
    cs = wb.create_sheet("Chain")
    info: list[tuple[str, Any]] = [("Workspace id", head.get("workspace_id")),
                                   ("Chain head sequence", head.get("seq")),
                                   ("Chain head hash", head.get("hash")),
                                   ("Exported at (UTC)", head.get("exported_at", "")),
                                   ("Entries in this export", len(rows))]
    if verification is not None:
        info.append(("Verification", "OK" if verification.get("ok") else "FAILED"))
        for i in verification.get("issues", []):
            info.append((f"{i['kind']} (entry {i['seq']})", i["message"]))
    for r, (k, v) in enumerate(info, start=1):
        cs.cell(r, 1, k).font = Font(bold=True)
        set_text(cs.cell(r, 2), v)
    cs.column_dimensions["A"].width = 28
    cs.column_dimensions["B"].width = 80
    p.parent.mkdir(parents=True, exist_ok=True)
    wb.save(p)
    return p
