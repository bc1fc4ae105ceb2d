"""``riskdesk redact`` core: JSONL in, redacted JSONL out with entity offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.governance.pii.redact import redact_jsonl
from riskdesk.governance.policy import load_policy

ROWS = [
    {"id": "R001", "text": "Landowner Tormod Vassbotn (tormod@vassbotn.no) objects to AFE-2027-0042."},
    {"id": 7, "text": "Call Ngozi Okafor on +234 803 123 4567 about 15/9-F-12."},
    {"id": "R003", "text": "Later, Ngozi Okafor signed; IBAN NO93 8601 1117 947."},
]


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_that_redacted_jsonl_keeps_ids_and_points_into_the_original_text(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", ROWS)
    summary = redact_jsonl(src, tmp_path / "out.jsonl", load_policy(), secret=b"s" * 32)
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [o["id"] for o in out] == ["R001", 7, "R003"] and summary.records == 3
    first = out[0]["entities"]
    assert {e["type"] for e in first} == {"PERSON", "EMAIL_ADDRESS"}
    for row, o in zip(ROWS, out, strict=True):
        for e in o["entities"]:
            assert set(e) == {"type", "start", "end", "score", "action"}
            assert row["text"][e["start"]:e["end"]].strip()  # offsets into the original
    raw = (tmp_path / "out.jsonl").read_text()
    for secret in ("Vassbotn", "tormod@", "Okafor", "123 4567", "8601 1117"):
        assert secret not in raw
    assert "AFE-2027-0042" in raw and "15/9-F-12" in raw


def test_that_the_same_person_gets_the_same_token_in_every_record(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", ROWS)
    redact_jsonl(src, tmp_path / "out.jsonl", load_policy(), secret=b"s" * 32)
    out = [json.loads(x)["text"] for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    tok1 = out[1].split("Call ")[1].split(" on")[0]
    assert tok1.startswith("[PERSON:") and tok1 in out[2]


def test_that_bad_lines_are_named_and_nothing_is_written(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "ok"}\n{"id": "b"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        redact_jsonl(src, tmp_path / "out.jsonl", load_policy(), secret=b"s" * 32)
    assert {p.where for p in err.value.problems} == {"in.jsonl:2.text", "in.jsonl:3"}
    assert not (tmp_path / "out.jsonl").exists()
