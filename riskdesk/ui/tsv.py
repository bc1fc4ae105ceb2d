"""Clipboard TSV as Excel writes and reads it.

Excel puts a rectangular selection on the clipboard as tab-separated lines ending in CRLF; a
cell holding a tab, a newline or a double quote is wrapped in double quotes with inner quotes
doubled. ``format_tsv`` writes that form and ``parse_tsv`` reads it back (also accepting LF line
ends and the trailing newline Excel adds).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from riskdesk.domain.problems import Problem
from riskdesk.domain.risk import Risk
from riskdesk.domain.risk_table import COLUMN_KEYS, COLUMNS, HEADERS, row_to_risk


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v)


def _quote(s: str) -> str:
    if any(c in s for c in '\t\n\r"'):
        return '"' + s.replace('"', '""') + '"'
    return s


def format_tsv(rows: Iterable[Sequence[Any]]) -> str:
    """Rows of cell values → TSV text (CRLF line ends, Excel quoting, trailing newline)."""
    return "".join("\t".join(_quote(_cell_text(v)) for v in row) + "\r\n" for row in rows)


def parse_tsv(text: str) -> list[list[str]]:
    """TSV text → rows of cell strings (Excel quoting understood; blank trailing lines dropped).

    A quote only opens a quoted cell at the very start of a cell, as in Excel; elsewhere it is
    an ordinary character.
    """
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    at_start = True
    while i < n:
        c = text[i]
        if at_start and c == '"':
            # quoted cell: read up to the closing quote, "" is a literal quote
            i += 1
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        cell.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                cell.append(text[i])
                i += 1
            at_start = False
            continue
        if c == "\t":
            row.append("".join(cell))
            cell, at_start = [], True
        elif c in "\r\n":
            if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell, at_start = [], [], True
        else:
            cell.append(c)
            at_start = False
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    while rows and all(not c.strip() for c in rows[-1]):
        rows.pop()
    return rows


def parse_risk_block(text: str, months: int) -> tuple[list[Risk], list[Problem]]:
    """TSV (template columns; header row optional) → risks, or every problem by row and column.

    Rows are numbered as in the pasted block (a header row is row 1); columns by letter and
    header, e.g. ``row 3, column I (Probability)``.
    """
    rows = parse_tsv(text)
    if not rows:
        return [], [Problem("clipboard", "the clipboard holds no table")]
    first = [c.strip().lower() for c in rows[0]]
    keys: list[str | None]
    problems: list[Problem] = []
    start = 0
    if "id" in first and sum(1 for c in first if c in HEADERS) >= 2:
        keys = [HEADERS.get(c) for c in first]
        for j, c in enumerate(first):
            if c and c not in HEADERS:
                problems.append(Problem(f"row 1, column {_letter(j)}",
                                        f"unknown column header {rows[0][j].strip()!r}"))
        start = 1
    else:
        if max(len(r) for r in rows) > len(COLUMN_KEYS):
            problems.append(Problem("clipboard", f"rows have more than {len(COLUMN_KEYS)} "
                                    "columns; copy a header row with the block"))
        keys = list(COLUMN_KEYS)
    headers = {c.key: c.header for c in COLUMNS}
    risks: list[Risk] = []
    seen: dict[str, int] = {}
    for i in range(start, len(rows)):
        row = rows[i]
        if all(not c.strip() for c in row):
            continue
        cells = {k: v for k, v in zip(keys, row, strict=False) if k is not None}
        pos = {k: j for j, k in enumerate(keys) if k is not None}

        def loc(key: str, i: int = i, pos: dict[str, int] = pos) -> str:
            j = pos.get(key)
            col = f"column {_letter(j)} ({headers.get(key, key)})" if j is not None else \
                f"column {headers.get(key, key)} (missing)"
            return f"row {i + 1}, {col}"

        risk, probs = row_to_risk(cells, loc, months=months)
        problems += probs
        if risk is not None:
            if risk.id in seen:
                problems.append(Problem(loc("id"), f"risk id {risk.id!r} also on row "
                                        f"{seen[risk.id]}"))
            seen[risk.id] = i + 1
            risks.append(risk)
    if not risks and not problems:
        problems.append(Problem("clipboard", "no risk rows in the pasted block"))
    return ([] if problems else risks), problems


def _letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s
