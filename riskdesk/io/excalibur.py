"""Excalibur ``.dtt`` (assessments) / ``.rls`` (realisations) text files, read and written.

Format (TU Delft expert-judgement database, Excalibur/ANDURIL): plain text, fixed-width,
right-aligned fields, Fortran-style numbers (``1.20000E+0001``). Line 1 of the ``.dtt`` is a header
``* CLASS ASCII OUTPUT FILE. NQ=   5   QU=   5  25  50  75  95`` giving the quantile levels in
percent. Every other ``.dtt`` line is one expert's answer to one item: expert number (cols 1-5),
expert id (6-14), item number (15-19), item id (20-34, may contain spaces), scale ``UNI``/``LOG`` in
any case, NQ values, then free text. ``.rls`` lines: item number (1-5), item id (6-20),
realisation (21-35), scale, free text. A value in [-1000, -990] means "no answer" (``.dtt``: the
whole item is unanswered by that expert) or "unknown" (``.rls``: a target item).

Text is decoded as Latin-1 (question texts may hold 8-bit characters); CRLF and LF are accepted.
Parsing splits each line around the scale keyword rather than trusting the id columns.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from riskdesk.domain.problems import ValidationError

MISSING_LOW, MISSING_HIGH = -1000.0, -990.0
MISSING_VALUE = -999.5
_HEADER = re.compile(r"NQ=\s*(\d+)\s+QU=\s*([\d\s.]+)", re.IGNORECASE)
_SCALE = re.compile(r"(?<=\s)(UNI|LOG)(?=\s|$)", re.IGNORECASE)


@dataclass(frozen=True)
class ExcaliburCase:
    """One expert-judgement study as arrays.

    ``values[e, i, :]`` are expert ``e``'s quantiles for item ``i`` at ``levels`` (probabilities in
    (0, 1), increasing), NaN where the expert did not answer the item. ``realisations[i]`` is NaN
    for target items. ``scales[i]`` is ``"UNI"`` or ``"LOG"``.
    """

    name: str
    experts: tuple[str, ...]
    items: tuple[str, ...]
    levels: np.ndarray
    values: np.ndarray
    realisations: np.ndarray
    scales: tuple[str, ...]
    descriptions: tuple[str, ...] = ()

    @property
    def seed_items(self) -> list[int]:
        return [i for i, r in enumerate(self.realisations) if not math.isnan(r)]

    @property
    def target_items(self) -> list[int]:
        return [i for i, r in enumerate(self.realisations) if math.isnan(r)]


@dataclass(frozen=True)
class Answer:
    """One ``.dtt`` line: an expert's quantiles for one item (``where`` is ``file:line``)."""

    expert_no: int
    expert: str
    item_no: int
    item: str
    scale: str
    values: tuple[float, ...]
    text: str
    where: str


@dataclass(frozen=True)
class Realisation:
    """One ``.rls`` line (``value`` NaN for a target item)."""

    item_no: int
    item: str
    value: float
    scale: str
    text: str
    where: str


def _is_missing(x: float) -> bool:
    return MISSING_LOW <= x <= MISSING_HIGH


def _read_lines(path: Path) -> list[tuple[int, str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"cannot read file: {exc.strerror or exc}", str(path)) from exc
    text = raw.decode("latin-1").replace("\r\n", "\n").replace("\r", "\n")
    return [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]


def _split_at_scale(line: str, min_col: int) -> tuple[str, str, str] | None:
    """(prefix, SCALE, rest) around the first scale keyword at or after column ``min_col``."""
    for m in _SCALE.finditer(line):
        if m.start() >= min_col:
            return line[: m.start()], m.group(1).upper(), line[m.end():]
    return None


def _parse_float(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValidationError(f"{text!r} is not a number", where) from None


def read_dtt(path: str | Path) -> tuple[list[float], list[Answer]]:
    """Parse a ``.dtt``: (levels as probabilities, one record per line)."""
    path = Path(path)
    lines = _read_lines(path)
    if not lines:
        raise ValidationError("file is empty", str(path))
    n0, header = lines[0]
    m = _HEADER.search(header)
    if not m:
        raise ValidationError("line 1 is not an Excalibur header 'NQ= .. QU= ..'",
                              f"{path.name}:{n0}")
    nq = int(m.group(1))
    levels = [float(x) / 100.0 for x in m.group(2).split()][:nq]
    if len(levels) != nq or nq < 1:
        raise ValidationError(f"header says NQ={nq} but lists {len(levels)} quantile levels",
                              f"{path.name}:{n0}")
    if any(not 0 < a < 1 for a in levels) or any(b <= a for a, b in zip(levels, levels[1:], strict=False)):
        raise ValidationError(f"quantile levels {m.group(2).split()} must increase within 0-100",
                              f"{path.name}:{n0}")
    records: list[Answer] = []
    for n, line in lines[1:]:
        where = f"{path.name}:{n}"
        parts = _split_at_scale(line, 15)
        if parts is None:
            raise ValidationError("no scale keyword UNI or LOG on this line", where)
        prefix, scale, rest = parts
        toks = prefix.split()
        try:
            e_seq, e_id, i_seq = int(prefix[0:5]), prefix[5:14].strip(), int(prefix[14:19])
            i_id = prefix[19:].strip()
            if not e_id or not i_id:
                raise ValueError
        except ValueError:
            if len(toks) < 4:
                raise ValidationError("expected expert no., expert id, item no. and item id "
                                      "before the scale", where) from None
            e_seq, e_id, i_seq, i_id = int(toks[0]), toks[1], int(toks[2]), " ".join(toks[3:])
        fields = rest.split(None, nq)
        if len(fields) < nq:
            raise ValidationError(f"expected {nq} quantile values after {scale}, "
                                  f"found {len(fields)}", where)
        vals = [_parse_float(x, where) for x in fields[:nq]]
        desc = fields[nq].strip() if len(fields) > nq else ""
        records.append(Answer(e_seq, e_id, i_seq, i_id, scale, tuple(vals), desc, where))
    return levels, records


def read_rls(path: str | Path) -> list[Realisation]:
    """Parse a ``.rls``: one record per item (realisation NaN when unknown)."""
    path = Path(path)
    out: list[Realisation] = []
    for n, line in _read_lines(path):
        where = f"{path.name}:{n}"
        parts = _split_at_scale(line, 20)
        if parts is None:
            raise ValidationError("no scale keyword UNI or LOG on this line", where)
        prefix, scale, rest = parts
        toks = prefix.split()
        if len(toks) < 3:
            raise ValidationError("expected item no., item id and realisation before the scale",
                                  where)
        try:
            seq = int(prefix[0:5])
            item = prefix[5:20].strip()
            value = float(prefix[20:].strip())
            if not item:
                raise ValueError
        except ValueError:
            seq, item = int(toks[0]) if toks[0].isdigit() else len(out) + 1, " ".join(toks[1:-1])
            value = _parse_float(toks[-1], where)
        real = math.nan if _is_missing(value) else value
        out.append(Realisation(seq, item, real, scale, rest.strip(), where))
    return out


def load_case(dtt: str | Path, rls: str | Path, name: str | None = None) -> ExcaliburCase:
    """Read a ``.dtt``/``.rls`` pair into an :class:`ExcaliburCase`.

    Raises ``ValidationError`` naming file:line for malformed lines, items missing from the
    ``.rls``, or an item whose scale differs between the files.
    """
    dtt, rls = Path(dtt), Path(rls)
    levels, recs = read_dtt(dtt)
    reals = read_rls(rls)
    if not recs:
        raise ValidationError("no assessments in file", str(dtt))
    by_no = {r.item_no: r for r in reals}
    experts: list[str] = []
    item_ids: dict[int, str] = {}
    for a in recs:
        if a.expert not in experts:
            experts.append(a.expert)
        item_ids.setdefault(a.item_no, a.item)
    item_nos = sorted(item_ids)
    missing = [i for i in item_nos if i not in by_no]
    if missing:
        raise ValidationError(f"items {missing} of {dtt.name} have no line in the realisations "
                              "file", rls.name)
    vals = np.full((len(experts), len(item_nos), len(levels)), np.nan)
    col = {i: k for k, i in enumerate(item_nos)}
    for a in recs:
        rl = by_no[a.item_no]
        if rl.scale != a.scale:
            raise ValidationError(f"item {a.item!r} is {a.scale} here but {rl.scale} in "
                                  f"{rls.name}", a.where)
        if any(_is_missing(x) for x in a.values):
            continue
        vals[experts.index(a.expert), col[a.item_no]] = a.values
    texts: dict[int, str] = {}
    for a in recs:
        texts.setdefault(a.item_no, a.text)
    return ExcaliburCase(name=name or dtt.stem, experts=tuple(experts),
                         items=tuple(item_ids[i] for i in item_nos), levels=np.array(levels),
                         values=vals,
                         realisations=np.array([by_no[i].value for i in item_nos]),
                         scales=tuple(by_no[i].scale for i in item_nos),
                         descriptions=tuple(texts[i] or by_no[i].text for i in item_nos))


def _num(x: float) -> str:
    """Fortran-style ``1.20000E+0001`` in a 15-character field; NaN becomes the missing code."""
    if math.isnan(x):
        x = MISSING_VALUE
    mant, exp = f"{x:.5E}".split("E")
    return f"{mant}E{int(exp):+05d}".rjust(15)


def _short_ids(ids: tuple[str, ...], width: int, prefix: str) -> list[str]:
    """``ids`` if they all fit ``width`` characters (no spaces inside for experts) and stay
    unique, else ``<prefix>1``, ``<prefix>2``, ..."""
    ok = all(0 < len(x) <= width for x in ids) and len(set(ids)) == len(ids)
    if ok and prefix == "Ex":
        ok = not any(" " in x for x in ids)
    return list(ids) if ok else [f"{prefix}{k + 1}" for k in range(len(ids))]


def write_case(case: ExcaliburCase, dtt: str | Path, rls: str | Path) -> None:
    """Write ``case`` as a ``.dtt``/``.rls`` pair (LF line endings, Latin-1 text).

    Levels must be whole percentages. Expert ids longer than 8 characters (or with spaces) and item
    ids longer than 14 characters do not fit Excalibur's columns: they are then written as
    ``Ex1..`` / ``Q1..`` and each item's original id is kept at the start of its description.
    """
    pct = [100 * float(p) for p in case.levels]
    if any(abs(x - round(x)) > 1e-9 for x in pct):
        raise ValidationError(f"Excalibur needs whole-percent quantile levels, got {pct}",
                              "levels")
    levels = " ".join(f"{round(x):3d}" for x in pct)
    lines = [f"* CLASS ASCII OUTPUT FILE. NQ={len(case.levels):4d}   QU= {levels}"]
    experts = _short_ids(case.experts, 8, "Ex")
    items = _short_ids(case.items, 14, "Q")
    descs = list(case.descriptions or ("",) * len(case.items))
    if items != list(case.items):
        descs = [f"[{orig}] {d}".strip() for orig, d in zip(case.items, descs, strict=True)]
    for e, ex in enumerate(experts):
        for i, item in enumerate(items):
            vals = "".join(_num(float(v)) for v in case.values[e, i])
            lines.append(f"{e + 1:5d}{ex:>9}{i + 1:5d}{item:>15} {case.scales[i]:3s}{vals} "
                         f"{descs[i]}")
    Path(dtt).write_bytes(("\n".join(lines) + "\n").encode("latin-1", errors="replace"))
    out = []
    for i, item in enumerate(items):
        out.append(f"{i + 1:5d}{item:>15}{_num(float(case.realisations[i]))} "
                   f"{case.scales[i]:3s} {descs[i]}")
    Path(rls).write_bytes(("\n".join(out) + "\n").encode("latin-1", errors="replace"))
