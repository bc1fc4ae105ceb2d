"""Hostile and unreadable .xlsx files are rejected before any parsing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.io.xlsx_safety import check_xlsx, open_workbook_safely


def _message(path: Path) -> str:
    with pytest.raises(ValidationError) as ei:
        open_workbook_safely(path)
    assert len(ei.value.problems) == 1
    assert ei.value.problems[0].where == path.name
    return ei.value.problems[0].message


def _good(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Brent"
    path = tmp_path / "good.xlsx"
    wb.save(path)
    return path


def _rewrite(src: Path, dst: Path, member: str, data: bytes, compress: int = zipfile.ZIP_DEFLATED
             ) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compress) as zout:
        for item in zin.infolist():
            if item.filename != member:
                zout.writestr(item.filename, zin.read(item))
        zout.writestr(member, data)
    return dst


def test_that_a_normal_workbook_opens(tmp_path):
    wb = open_workbook_safely(_good(tmp_path))
    assert wb.active["A1"].value == "Brent"


def test_that_a_zip_bomb_is_rejected_before_parsing(tmp_path):
    # 200 MB of spaces inside a worksheet compresses to ~200 kB: ratio ~1000:1
    big = b"<worksheet>" + b" " * (200 * 1024 * 1024) + b"</worksheet>"
    path = _rewrite(_good(tmp_path), tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", big)
    assert path.stat().st_size < 2 * 1024 * 1024
    assert "zip bomb" in _message(path)


def test_that_an_xml_entity_expansion_attack_is_rejected(tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
              b'</sheetData></worksheet>')
    path = _rewrite(_good(tmp_path), tmp_path / "xxe.xlsx", "xl/worksheets/sheet1.xml", laughs)
    assert "entit" in _message(path)


def test_that_an_external_entity_in_shared_strings_is_rejected(tmp_path):
    xxe = (b'<?xml version="1.0"?><!doctype x [<!entity e SYSTEM "file:///etc/passwd">]>'
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&e;'
           b'</t></si></sst>')
    path = _rewrite(_good(tmp_path), tmp_path / "xxe2.xlsx", "xl/sharedStrings.xml", xxe)
    assert "DTD" in _message(path)


def test_that_an_encrypted_workbook_is_named_as_encrypted(tmp_path):
    # An encrypted OOXML file is an OLE2 compound file holding an "EncryptedPackage" stream.
    ole = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "secret.xlsx"
    path.write_bytes(ole + b"\0" * 1024)
    assert "encrypted" in _message(path)


def test_that_a_legacy_xls_is_rejected_with_advice(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 2048)
    assert ".xls" in _message(path)


@pytest.mark.parametrize("content, reason", [
    (b"Benchmark,2027\nBrent,75\n", "not an .xlsx"),
    (b"PK\x03\x04 truncated", "not a readable .xlsx"),
])
def test_that_files_that_are_not_xlsx_are_rejected(tmp_path, content, reason):
    path = tmp_path / "deck.xlsx"
    path.write_bytes(content)
    assert reason in _message(path)


def test_that_a_zip_that_is_not_a_workbook_is_rejected(tmp_path):
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    assert "no xl/workbook.xml" in _message(path)


def test_that_an_oversized_file_is_rejected_without_reading_it(tmp_path):
    path = _good(tmp_path)
    with pytest.raises(ValidationError, match="MB allowed"):
        check_xlsx(path, max_file_bytes=100)
