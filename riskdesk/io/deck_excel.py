"""Price decks from and to Excel (.xlsx).

Accepted layouts, found per sheet by their header labels anywhere in the first 20 rows:

* **benchmark rows**: one sheet per scenario (sheet name, or the metadata sheet's Sheet/Scenario
  table), a header row with periods as columns, a benchmark label column and optionally a unit column;
* **period rows**: a header cell ``Period``/``Year``/``Month``/``Date`` above the periods, benchmarks
  as columns; units in a second header row or in the header text (``Brent (USD/bbl)``);
* **long table**: Scenario / Benchmark / Period / Value / Unit columns in any order and letter case.

Years may be numbers, text or dates; months dates, Excel serial numbers or ``YYYY-MM`` text. Dates
on 1 January of distinct years in an axis (at least two, or next to plain years) read as years,
other dates as months. Numbers stored as
text (``"1,234.5"``) are accepted. Blank rows, notes and merged titles around a table are ignored.
Every problem names ``Sheet!Cell``; if there is any, :class:`ValidationError` lists them all.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskdesk.domain.deck import (
    DECK_SCHEMA,
    DeckSeries,
    PriceDeck,
    period_frequency,
    period_sort_key,
)
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.io.xlsx_safety import check_xlsx, open_workbook_safely

HEADER_ROWS = 20
MAX_SHEET_CELLS = 2_000_000  # rows x columns of the used range; decks are far smaller
SCENARIO_LABELS = {"scenario", "scenarios", "case", "scenario name"}
BENCH_LABELS = {"benchmark", "benchmarks", "commodity", "series", "marker", "item", "product"}
PERIOD_LABELS = {"period", "year", "years", "month", "months", "date", "yyyy", "yyyy-mm"}
VALUE_LABELS = {"value", "values", "price", "amount"}
UNIT_LABELS = {"unit", "units", "uom", "unit of measure"}
SKIP_LABELS = {"note", "notes", "comment", "comments", "source", "remarks"}
META_SHEETS = {"metadata", "meta", "deck info", "about", "info"}
_UNIT_IN_TEXT = re.compile(r"^(.*?)\s*[\(\[]\s*([^\)\]]+?)\s*[\)\]]\s*$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_MONTH_TEXT = re.compile(r"^(\d{4})[-/](\d{1,2})(?:[-/]\d{1,2})?$")
_MONTH_NAMES = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_MONTH_WORD = re.compile(r"^([A-Za-z]{3})[a-z]*[-\s/]+(\d{4})$")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _norm(v: Any) -> str:
    return " ".join(str(v).strip().lower().split()) if isinstance(v, str) else ""


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def split_unit(text: str) -> tuple[str, str]:
    """``"Brent (USD/bbl)"`` -> ``("Brent", "USD/bbl")``; no unit -> ``(text, "")``."""
    m = _UNIT_IN_TEXT.match(text.strip())
    if m and m.group(1).strip():
        return m.group(1).strip(), m.group(2).strip()
    return text.strip(), ""


def parse_number(v: Any) -> float | None:
    """A finite number from a numeric cell or number-as-text (``"1,234.5"``); None if not one."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        f = float(v)
        return f if math.isfinite(f) else None
    if isinstance(v, str):
        s = v.strip().replace("\u00a0", "").replace(" ", "")
        if _THOUSANDS.match(s):
            s = s.replace(",", "")
        if _PLAIN.match(s):
            return float(s)
    return None


# A period candidate: ("year", y, 0, False) | ("month", y, m, False) | ("date", y, m, is_jan1)
_Cand = tuple[str, int, int, bool]


def parse_period(v: Any, allow_serial: bool = True) -> _Cand | None:
    """Read a period cell: years (number/text), dates, Excel serials, ``YYYY-MM``, ``Jan 2027``."""
    if isinstance(v, dt.datetime | dt.date):
        return ("date", v.year, v.month, v.month == 1 and v.day == 1)
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        if not math.isfinite(v) or float(v) != int(v):
            return None
        n = int(v)
        if 1900 <= n <= 2200:
            return ("year", n, 0, False)
        if allow_serial and 2200 < n < 109574:  # Excel serials up to year 2199
            d = _EXCEL_EPOCH + dt.timedelta(days=n)
            return ("date", d.year, d.month, d.month == 1 and d.day == 1)
        return None
    if isinstance(v, str):
        s = v.strip()
        if re.fullmatch(r"\d{4}", s) and 1900 <= int(s) <= 2200:
            return ("year", int(s), 0, False)
        m = _MONTH_TEXT.match(s)
        if m and 1 <= int(m.group(2)) <= 12 and 1900 <= int(m.group(1)) <= 2200:
            return ("month", int(m.group(1)), int(m.group(2)), False)
        m = _MONTH_WORD.match(s)
        if m and m.group(1).lower() in _MONTH_NAMES:
            return ("month", int(m.group(2)), _MONTH_NAMES[m.group(1).lower()], False)
    return None


def resolve_periods(cands: list[_Cand], hint: str = "") -> list[str]:
    """Period labels for one axis; dates become years when the axis label says ``year`` or when
    all of them fall on 1 January of distinct years (and there are at least two)."""
    dates = [c for c in cands if c[0] == "date"]
    as_years = hint.startswith("year") or (
        not hint.startswith("month") and all(c[3] for c in dates)
        and len({c[1] for c in dates}) == len(dates)
        and (len(dates) >= 2 or any(c[0] == "year" for c in cands)))
    out = []
    for kind, y, m, _ in cands:
        if kind == "year" or (kind == "date" and as_years):
            out.append(f"{y:04d}")
        else:
            out.append(f"{y:04d}-{m:02d}")
    return out


@dataclass
class _Sheet:
    """Cell values of one sheet (cached values) with the cells holding uncached formulas."""

    title: str
    cells: dict[tuple[int, int], Any]
    uncached: set[tuple[int, int]]
    max_row: int
    max_col: int

    def v(self, r: int, c: int) -> Any:
        return self.cells.get((r, c))

    def ref(self, r: int, c: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.title}!{get_column_letter(c)}{r}"

    def row_blank(self, r: int, cols: list[int]) -> bool:
        return all(_blank(self.v(r, c)) and (r, c) not in self.uncached for c in cols)


@dataclass
class DeckImport:
    """What an import found: the deck, how each sheet was read, sheets without a price table."""

    deck: PriceDeck
    layouts: dict[str, str] = field(default_factory=dict)
    skipped_sheets: list[str] = field(default_factory=list)


@dataclass
class _Acc:
    """Accumulates series while sheets are read; remembers where units/series came from."""

    problems: list[Problem] = field(default_factory=list)
    series: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    units: dict[str, tuple[str, str]] = field(default_factory=dict)  # benchmark -> (unit, ref)

    def unit(self, bench: str, unit: str, ref: str) -> None:
        seen = self.units.setdefault(bench, (unit, ref))
        if seen[0] != unit:
            self.problems.append(Problem(ref, f"mixed units for {bench!r}: {unit!r} here, "
                                              f"{seen[0]!r} at {seen[1]}"))

    def point(self, scen: str, bench: str, unit: str, period: str, value: float, ref: str,
              pref: str) -> None:
        s = self.series.setdefault((scen, bench), {"unit": unit, "points": {}, "refs": {}})
        if period in s["points"]:
            self.problems.append(Problem(pref, f"duplicate period {period} for {bench!r} in "
                                               f"{scen!r} (also at {s['refs'][period]})"))
            return
        s["points"][period] = value
        s["refs"][period] = pref


def _value(sh: _Sheet, r: int, c: int, acc: _Acc) -> float | None:
    """Numeric value of a data cell; None for blank; problems for anything else."""
    if (r, c) in sh.uncached:
        acc.problems.append(Problem(sh.ref(r, c), "formula without a cached value (open and "
                                                  "save the file in Excel, or paste values)"))
        return None
    v = sh.v(r, c)
    if _blank(v):
        return None
    f = parse_number(v)
    if f is None:
        acc.problems.append(Problem(sh.ref(r, c), f"non-numeric value {v!r}"))
    return f


def _bench_unit(sh: _Sheet, r: int, c: int, unit_cell: Any, unit_ref: str, acc: _Acc
                ) -> tuple[str, str] | None:
    name, text_unit = split_unit(str(sh.v(r, c)))
    unit = str(unit_cell).strip() if not _blank(unit_cell) else ""
    if unit and text_unit and unit != text_unit:
        acc.problems.append(Problem(unit_ref, f"mixed units for {name!r}: {unit!r} here, "
                                              f"{text_unit!r} in {sh.ref(r, c)}"))
        return None
    unit = unit or text_unit
    if not unit:
        acc.problems.append(Problem(sh.ref(r, c), f"missing unit for benchmark {name!r}"))
        return None
    acc.unit(name, unit, unit_ref if not _blank(unit_cell) else sh.ref(r, c))
    return name, unit


def _read_bench_rows(sh: _Sheet, hr: int, pcols: dict[int, _Cand], scen: str, acc: _Acc) -> None:
    labels = {_norm(sh.v(hr, c)): c for c in range(1, sh.max_col + 1) if _norm(sh.v(hr, c))}
    ucol = next((labels[k] for k in UNIT_LABELS if k in labels), None)
    first_p = min(pcols)
    bcol = next((labels[k] for k in BENCH_LABELS if k in labels), None)
    if bcol is None:
        bcol = next((c for c in range(1, first_p) if c != ucol and any(
            isinstance(sh.v(r, c), str) for r in range(hr + 1, sh.max_row + 1))), 1)
    cols = sorted(pcols)
    labels_p = resolve_periods([pcols[c] for c in cols])
    period_of: dict[int, str] = {}
    seen: dict[str, int] = {}
    for c, p in zip(cols, labels_p, strict=True):
        if p in seen:
            acc.problems.append(Problem(sh.ref(hr, c), f"duplicate period {p} (also in "
                                                       f"{sh.ref(hr, seen[p])})"))
            continue
        seen[p] = c
        period_of[c] = p
    names: dict[str, int] = {}
    for r in range(hr + 1, sh.max_row + 1):
        if sh.row_blank(r, cols):
            continue  # blank row or a note
        if _blank(sh.v(r, bcol)):
            c0 = next(c for c in cols if not sh.row_blank(r, [c]))
            acc.problems.append(Problem(sh.ref(r, c0), "value without a benchmark name in "
                                                       f"{sh.ref(r, bcol)}"))
            continue
        bu = _bench_unit(sh, r, bcol, sh.v(r, ucol) if ucol else None,
                         sh.ref(r, ucol) if ucol else "", acc)
        if bu is None:
            continue
        name, unit = bu
        if name in names:
            acc.problems.append(Problem(sh.ref(r, bcol), f"duplicate benchmark {name!r} (also "
                                                         f"in row {names[name]})"))
            continue
        names[name] = r
        for c, p in period_of.items():
            val = _value(sh, r, c, acc)
            if val is not None:
                acc.point(scen, name, unit, p, val, sh.ref(r, bcol), sh.ref(r, c))


def _read_period_rows(sh: _Sheet, hr: int, pcol: int, scen: str, acc: _Acc) -> None:
    hint = _norm(sh.v(hr, pcol))
    bcols = [c for c in range(1, sh.max_col + 1) if c != pcol and not _blank(sh.v(hr, c))
             and _norm(sh.v(hr, c)) not in SKIP_LABELS | UNIT_LABELS]
    start = hr + 1
    units: dict[int, Any] = {}
    nxt = [sh.v(start, c) for c in bcols]
    if ((_blank(sh.v(start, pcol)) or _norm(sh.v(start, pcol)) in UNIT_LABELS)
            and any(not _blank(x) for x in nxt)
            and all(_blank(x) or (isinstance(x, str) and parse_number(x) is None) for x in nxt)):
        units = {c: sh.v(start, c) for c in bcols}
        start += 1
    rows: list[int] = []
    cands: list[_Cand] = []
    for r in range(start, sh.max_row + 1):
        if sh.row_blank(r, bcols):
            continue  # blank row, or a note in the period column
        cand = parse_period(sh.v(r, pcol))
        if cand is None:
            what = "missing period" if _blank(sh.v(r, pcol)) else f"{sh.v(r, pcol)!r} is not a period"
            acc.problems.append(Problem(sh.ref(r, pcol), f"{what} (expected a year, YYYY-MM or "
                                                         "a date)"))
            continue
        rows.append(r)
        cands.append(cand)
    labels = resolve_periods(cands, hint)
    names: dict[str, str] = {}
    for c in bcols:
        bu = _bench_unit(sh, hr, c, units.get(c), sh.ref(hr + 1, c), acc)
        if bu is None:
            continue
        name, unit = bu
        if name in names:
            acc.problems.append(Problem(sh.ref(hr, c), f"duplicate benchmark {name!r} (also in "
                                                       f"{names[name]})"))
            continue
        names[name] = sh.ref(hr, c)
        for r, p in zip(rows, labels, strict=True):
            val = _value(sh, r, c, acc)
            if val is not None:
                acc.point(scen, name, unit, p, val, sh.ref(hr, c), sh.ref(r, pcol))


def _read_long(sh: _Sheet, hr: int, cols: dict[str, int], acc: _Acc) -> None:
    hint = _norm(sh.v(hr, cols["period"]))
    need = [cols[k] for k in ("bench", "period", "value")]
    rows: list[tuple[int, str, str, str, _Cand]] = []
    for r in range(hr + 1, sh.max_row + 1):
        if sh.row_blank(r, need):
            continue
        missing = [c for c in need if _blank(sh.v(r, c)) and (r, c) not in sh.uncached]
        if missing:
            acc.problems.append(Problem(sh.ref(r, missing[0]), "missing value in long table row"))
            continue
        scen = str(sh.v(r, cols["scen"])).strip() if "scen" in cols else sh.title
        if not scen or scen == "None":
            acc.problems.append(Problem(sh.ref(r, cols["scen"]), "missing scenario"))
            continue
        uc = cols.get("unit")
        bu = _bench_unit(sh, r, cols["bench"], sh.v(r, uc) if uc else None,
                         sh.ref(r, uc) if uc else "", acc)
        cand = parse_period(sh.v(r, cols["period"]))
        if cand is None:
            acc.problems.append(Problem(sh.ref(r, cols["period"]),
                                        f"{sh.v(r, cols['period'])!r} is not a period"))
            continue
        if bu is not None:
            rows.append((r, scen, bu[0], bu[1], cand))
    groups: dict[tuple[str, str], list[int]] = {}
    for i, (_, scen, name, _, _) in enumerate(rows):
        groups.setdefault((scen, name), []).append(i)
    for idx in groups.values():
        labels = resolve_periods([rows[i][4] for i in idx], hint)
        for i, p in zip(idx, labels, strict=True):
            r, scen, name, unit, _ = rows[i]
            val = _value(sh, r, cols["value"], acc)
            if val is not None:
                acc.point(scen, name, unit, p, val, sh.ref(r, cols["bench"]),
                          sh.ref(r, cols["period"]))


def _detect(sh: _Sheet, scen: str, acc: _Acc) -> str | None:
    """Find the header row and read the table; returns the layout name, or None if no table."""
    for r in range(1, min(HEADER_ROWS, sh.max_row) + 1):
        labels: dict[str, int] = {}
        for c in range(1, sh.max_col + 1):
            n = _norm(sh.v(r, c))
            if n and n not in labels:
                labels[n] = c
        find = {k: next((labels[x] for x in s if x in labels), None) for k, s in (
            ("scen", SCENARIO_LABELS), ("bench", BENCH_LABELS), ("period", PERIOD_LABELS),
            ("value", VALUE_LABELS), ("unit", UNIT_LABELS))}
        if find["bench"] and find["period"] and find["value"]:
            _read_long(sh, r, {k: v for k, v in find.items() if v}, acc)
            return "long table"
        has_label = find["bench"] is not None or find["unit"] is not None
        pcols = {c: cand for c in range(1, sh.max_col + 1)
                 if (cand := parse_period(sh.v(r, c), allow_serial=has_label)) is not None}
        if len(pcols) >= 2 or (pcols and has_label):
            _read_bench_rows(sh, r, pcols, scen, acc)
            return "benchmark rows"
        if find["period"] is not None and len(labels) >= 2:
            _read_period_rows(sh, r, find["period"], scen, acc)
            return "period rows"
    return None


def _load_sheets(path: Path) -> list[_Sheet]:
    values = open_workbook_safely(path, data_only=True)
    formulas = open_workbook_safely(path, data_only=False)
    out = []
    for ws in values.worksheets:
        if ws.max_row * ws.max_column > MAX_SHEET_CELLS:
            raise ValidationError([Problem(ws.title, f"sheet uses {ws.max_row:,} rows x "
                                                     f"{ws.max_column:,} columns; clear the "
                                                     "unused cells (a price deck is far smaller)")])
        fws = formulas[ws.title]
        cells: dict[tuple[int, int], Any] = {}
        uncached: set[tuple[int, int]] = set()
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells[(cell.row, cell.column)] = cell.value
        for row in fws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and (cell.row, cell.column) not in cells:
                    uncached.add((cell.row, cell.column))
        out.append(_Sheet(ws.title, cells, uncached, ws.max_row, ws.max_column))
    return out


def _metadata(sh: _Sheet, acc: _Acc) -> tuple[dict[str, Any], dict[str, str]]:
    meta: dict[str, Any] = {}
    sheets: dict[str, str] = {}
    in_map = False
    for r in range(1, sh.max_row + 1):
        k, v = _norm(sh.v(r, 1)), sh.v(r, 2)
        if k == "sheet" and _norm(v) == "scenario":
            in_map = True
            continue
        if in_map and not _blank(sh.v(r, 1)):
            sheets[str(sh.v(r, 1))] = str(v).strip()
            continue
        key = k.replace(" ", "_").replace("reference_year", "base_year")
        if key in ("name", "basis", "base_year", "escalation", "notes", "schema"):
            if key == "base_year" and not _blank(v):
                f = parse_number(v)
                if f is None or f != int(f):
                    acc.problems.append(Problem(sh.ref(r, 2), f"base year {v!r} is not a year"))
                    continue
                v = int(f)
            if key == "escalation" and not _blank(v):
                s = str(v).strip()
                f = parse_number(s[:-1] if s.endswith("%") else v)
                if f is not None and s.endswith("%"):
                    f /= 100.0
                if f is None or not -1 < f < 1:
                    acc.problems.append(Problem(sh.ref(r, 2), f"escalation {v!r} must be a rate "
                                                              "such as 0.02 or 2%"))
                    continue
                v = f
            if key == "basis" and not _blank(v):
                v = _norm(v)
                if v not in ("real", "nominal"):
                    acc.problems.append(Problem(sh.ref(r, 2), f"basis {v!r} must be real or "
                                                              "nominal"))
                    continue
            meta[key] = v
    return meta, sheets


def read_deck_xlsx(path: str | os.PathLike[str], name: str | None = None, *,
                   basis: str | None = None, base_year: int | None = None,
                   escalation: float | None = None) -> DeckImport:
    """Read a price deck from ``path``; arguments override the metadata sheet, which overrides
    the defaults (file stem, nominal, 0% escalation). Raises :class:`ValidationError` with every
    problem (``Sheet!Cell: reason``)."""
    p = Path(path)
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        check_xlsx(p)  # gives the precise reason (xls, encrypted, not a workbook...)
    sheets = _load_sheets(p)
    acc = _Acc()
    meta: dict[str, Any] = {}
    mapping: dict[str, str] = {}
    for sh in sheets:
        if _norm(sh.title) in META_SHEETS:
            meta, mapping = _metadata(sh, acc)
    result = DeckImport(PriceDeck())
    for sh in sheets:
        if _norm(sh.title) in META_SHEETS:
            continue
        layout = _detect(sh, mapping.get(sh.title, sh.title), acc)
        if layout is None:
            result.skipped_sheets.append(sh.title)
        else:
            result.layouts[sh.title] = layout
    if not acc.series and not acc.problems:
        acc.problems.append(Problem(p.name, "no price table found (need a header row with "
                                            "periods, or Benchmark/Period/Value columns)"))
    series = []
    for (scen, bench), s in acc.series.items():
        pts = sorted(s["points"].items(), key=lambda kv: period_sort_key(kv[0]))
        freqs = {period_frequency(x) for x, _ in pts}
        if len(freqs) > 1:
            acc.problems.append(Problem(s["refs"][pts[-1][0]], f"{bench!r} in {scen!r} mixes "
                                                               "annual and monthly periods"))
            continue
        series.append(DeckSeries(scen, bench, s["unit"], freqs.pop() or "annual", tuple(pts)))
    by = base_year if base_year is not None else meta.get("base_year")
    deck = PriceDeck(
        name=name or str(meta.get("name") or p.stem),
        basis=basis or str(meta.get("basis") or ("real" if by is not None else "nominal")),
        base_year=int(by) if by is not None else None,
        escalation=float(escalation if escalation is not None else meta.get("escalation") or 0.0),
        series=tuple(series), notes=str(meta.get("notes") or ""))
    if not acc.problems:
        acc.problems += deck.validate()
    if acc.problems:
        raise ValidationError(acc.problems)
    result.deck = deck
    return result


# ---- export --------------------------------------------------------------------------------
def _text(cell: Any, value: str) -> None:
    """Write user text so that a leading ``=`` stays text, never a formula."""
    cell.value = value
    if value.startswith("="):
        cell.data_type = "s"
        cell.quotePrefix = True


def _sheet_title(scen: str, used: set[str]) -> str:
    base = re.sub(r"[\\/?*\[\]:]", "_", scen).strip("'") or "Scenario"
    base = base[:31]
    title, i = base, 2
    while title.lower() in used or _norm(title) in META_SHEETS:
        suffix = f" ({i})"
        title, i = base[:31 - len(suffix)] + suffix, i + 1
    used.add(title.lower())
    return title


def write_deck_xlsx(deck: PriceDeck, path: str | os.PathLike[str],
                    chain_head: str | None = None) -> None:
    """Write ``deck``: one sheet per scenario (benchmark rows, Unit column, periods as columns;
    years as numbers, months as ``YYYY-MM`` text), then a ``Metadata`` sheet (which carries the
    audit chain head when given)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    titles: list[tuple[str, str]] = []
    for scen in deck.scenarios:
        ser = [s for s in deck.series if s.scenario == scen]
        ws = wb.create_sheet(_sheet_title(scen, used))
        titles.append((ws.title, scen))
        periods = sorted({p for s in ser for p in s.periods}, key=period_sort_key)
        col = {p: i + 3 for i, p in enumerate(periods)}
        for c, h in enumerate(["Benchmark", "Unit"], start=1):
            ws.cell(1, c, h)
        for p, c in col.items():
            ws.cell(1, c, int(p) if period_frequency(p) == "annual" else p)
        for c in range(1, len(periods) + 3):
            ws.cell(1, c).font, ws.cell(1, c).fill = bold, fill
        for r, s in enumerate(ser, start=2):
            _text(ws.cell(r, 1), s.benchmark)
            _text(ws.cell(r, 2), s.unit)
            for p, v in s.points:
                cell = ws.cell(r, col[p], v)
                cell.number_format = "#,##0.00"
        ws.freeze_panes = "C2"
        ws.column_dimensions["A"].width = 22
        ws.column_dimensions["B"].width = 12
    ws = wb.create_sheet("Metadata")
    rows: list[tuple[str, Any]] = [("Schema", DECK_SCHEMA), ("Name", deck.name),
                                   ("Basis", deck.basis), ("Base year", deck.base_year),
                                   ("Escalation", deck.escalation), ("Notes", deck.notes)]
    for r, (k, v) in enumerate(rows, start=1):
        ws.cell(r, 1, k).font = bold
        if isinstance(v, str):
            _text(ws.cell(r, 2), v)
        else:
            ws.cell(r, 2, v)
    ws.cell(5, 2).number_format = "0.00%"
    if chain_head:
        ws.cell(7, 1, "Audit chain head").font = bold
        _text(ws.cell(7, 2), chain_head)
    ws.cell(8, 1, "Sheet").font = bold
    ws.cell(8, 2, "Scenario").font = bold
    for r, (title, scen) in enumerate(titles, start=9):
        _text(ws.cell(r, 1), title)
        _text(ws.cell(r, 2), scen)
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 40
    wb.save(Path(path))
