"""Clipboard TSV as Excel writes and reads it.

Excel puts a rectangular selection on the clipboard as tab-separated lines ending in CRLF; a
cell holding a tab, a newline or a double quote is wrapped in double quotes with inner quotes
doubled. ``format_tsv`` writes that form and ``parse_tsv`` reads it back (also accepting LF line
ends and the trailing newline Excel adds).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


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
