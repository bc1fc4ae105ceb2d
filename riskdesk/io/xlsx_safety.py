"""Opening untrusted .xlsx files safely.

Before openpyxl parses anything, :func:`check_xlsx` looks at the raw file: its size, its signature
(a ZIP container; an OLE2 container means an encrypted/password-protected workbook or a legacy .xls),
the ZIP directory (member count, total and per-member uncompressed size, compression ratio — zip
bombs) and every XML part for DTD/entity declarations (billion-laughs, external entities). The XML
parts openpyxl parses with ``fromstring`` go through defusedxml as well. Any failure raises
:class:`ValidationError` naming the file; nothing is parsed or written.
"""

from __future__ import annotations

import os
import warnings
import zipfile
from pathlib import Path
from typing import Any

from riskdesk.domain.problems import Problem, ValidationError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_MEMBER_BYTES = 150 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_RATIO = 200.0  # uncompressed / compressed, for members above RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024 * 1024
_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
_FORBIDDEN_XML = (b"<!DOCTYPE", b"<!ENTITY")


def _fail(path: Path, message: str) -> ValidationError:
    return ValidationError([Problem(path.name, message)])


def check_xlsx(path: str | os.PathLike[str], *, max_file_bytes: int = MAX_FILE_BYTES,
               max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES) -> None:
    """Raise :class:`ValidationError` unless ``path`` looks like a safe, unencrypted .xlsx."""
    p = Path(path)
    if not p.is_file():
        raise _fail(p, "file not found")
    size = p.stat().st_size
    if size > max_file_bytes:
        raise _fail(p, f"file is {size / 1e6:.1f} MB, more than the {max_file_bytes / 1e6:.0f} MB "
                       "allowed")
    with p.open("rb") as fh:
        head = fh.read(8)
        if head == _OLE2:
            fh.seek(0)
            blob = fh.read(min(size, 4 * 1024 * 1024))
            if "EncryptedPackage".encode("utf-16-le") in blob:
                raise _fail(p, "workbook is encrypted (password protected); save an unprotected "
                               "copy and import that")
            raise _fail(p, "this is a legacy .xls (or other OLE) file, not .xlsx; save it as "
                           "Excel Workbook (.xlsx)")
    if not head.startswith(b"PK"):
        raise _fail(p, "not an .xlsx file (no ZIP container)")
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError) as e:
        raise _fail(p, f"not a readable .xlsx file ({e})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _fail(p, f"workbook has {len(infos)} parts (more than {MAX_MEMBERS})")
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise _fail(p, "not an .xlsx workbook (no xl/workbook.xml)")
        total = 0
        for i in infos:
            if i.flag_bits & 0x1:
                raise _fail(p, f"part {i.filename} is encrypted")
            total += i.file_size
            if i.file_size > MAX_MEMBER_BYTES or total > max_uncompressed_bytes:
                raise _fail(p, f"workbook expands to more than {max_uncompressed_bytes / 1e6:.0f}"
                               " MB when unpacked (possible zip bomb)")
            if (i.file_size > RATIO_MIN_BYTES
                    and i.file_size > MAX_RATIO * max(i.compress_size, 1)):
                raise _fail(p, f"part {i.filename} compresses {i.file_size / max(i.compress_size, 1):.0f}"
                               ":1 (possible zip bomb)")
        for i in infos:
            if i.filename.endswith((".xml", ".rels", ".vml")):
                _scan_xml(zf, i, p)


def _scan_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    """Reject XML parts declaring a DTD or entities; reads at most the declared size."""
    tail = b""
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(1 << 16)
                if not chunk:
                    break
                buf = (tail + chunk).upper()
                for bad in _FORBIDDEN_XML:
                    if bad in buf:
                        raise _fail(path, f"part {info.filename} declares a DTD or XML entities "
                                          "(not allowed: entity-expansion / external-entity "
                                          "attack)")
                tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise _fail(path, f"part {info.filename} is damaged ({e})") from None


def open_workbook_safely(path: str | os.PathLike[str], *, data_only: bool = True) -> Any:
    """Check ``path`` with :func:`check_xlsx`, then load it with openpyxl (not read-only, so merged
    cells are known). ``data_only=True`` gives formulas' cached values (None when never
    calculated); ``False`` gives formula text. Raises :class:`ValidationError` naming the file."""
    check_xlsx(path)
    import openpyxl  # heavy: only when a workbook is opened

    p = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unsupported extensions, default styles...
            return openpyxl.load_workbook(p, data_only=data_only, keep_links=False)
    except ValidationError:
        raise
    except Exception as e:  # openpyxl raises many types for damaged content
        raise _fail(p, f"cannot read workbook: {type(e).__name__}: {e}") from None
