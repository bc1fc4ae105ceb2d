"""``riskdesk redact``, ``riskdesk pii scan`` and ``riskdesk share`` as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def rd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskdesk", *args], capture_output=True,
                          text=True, cwd=ROOT, env=dict(os.environ))


def test_that_redact_turns_jsonl_into_redacted_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Mail ola.hansen@akerbp.com about "
                               "AFE-2027-0042, Ola Hansen."}) + "\n", encoding="utf-8")
    r = rd("redact", "--input", str(src), "--output", str(tmp_path / "out.jsonl"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["records"] == 1
    out = json.loads((tmp_path / "out.jsonl").read_text())
    assert out["id"] == "a" and "ola.hansen" not in out["text"] and "AFE-2027-0042" in out["text"]
    assert {e["type"] for e in out["entities"]} == {"EMAIL_ADDRESS", "PERSON"}


def test_that_a_bad_policy_is_a_clear_error(tmp_path: Path) -> None:
    pol = tmp_path / "p.yaml"
    pol.write_text("version: '1'\nentities:\n  PERSON: {action: burn}\n", encoding="utf-8")
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "x"}\n', encoding="utf-8")
    r = rd("redact", "--policy", str(pol), "--input", str(src), "--output",
           str(tmp_path / "o.jsonl"))
    assert r.returncode == 2 and "p.yaml:entities.PERSON.action" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "o.jsonl").exists()


def test_that_scan_and_share_work_on_a_workspace(tmp_path: Path) -> None:
    w = str(tmp_path / "w.riskdesk")
    assert rd("init", "--workspace", w, "--demo").returncode == 0
    r = rd("pii", "scan", "--workspace", w, "--json")
    assert r.returncode == 0, r.stderr
    scan = json.loads(r.stdout)
    assert scan["counts"].get("PERSON", 0) > 0
    assert all(set(d) >= {"field", "entity_type", "start", "end", "score", "action",
                          "policy_version"} for d in scan["detections"])
    copy = tmp_path / "copy.riskdesk"
    r = rd("share", "--workspace", w, "--output", str(copy), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["changed_strings"] > 0 and copy.exists()
    assert rd("audit", "verify", "--workspace", str(copy)).returncode == 0
    assert rd("share", "--workspace", w, "--output", str(copy)).returncode == 2


def test_that_a_policy_put_in_use_is_listed_and_used_by_later_scans(tmp_path: Path) -> None:
    w = str(tmp_path / "w.riskdesk")
    assert rd("init", "--workspace", w, "--demo").returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: riskdesk.pii-policy/1\nversion: '2'\nentities:\n"
                   "  PERSON: {action: tokenize, threshold: 7}\n", encoding="utf-8")
    r = rd("pii", "policy", "--workspace", w, "--use", str(bad))
    assert r.returncode == 2 and "bad.yaml:entities.PERSON.threshold" in r.stderr
    r = rd("pii", "policy", "--workspace", w, "--json")
    assert json.loads(r.stdout)["in_use"]["shipped_default"] is True  # the bad file changed nothing
    good = tmp_path / "board.yaml"
    good.write_text("schema: riskdesk.pii-policy/1\nversion: 2026.12-board\nentities:\n"
                    "  PERSON: {action: redact, threshold: 0.55}\n", encoding="utf-8")
    r = rd("pii", "policy", "--workspace", w, "--use", str(good), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["in_use"]["version"] == "2026.12-board" and not d["in_use"]["shipped_default"]
    assert [s["version"] for s in d["stored"]] == ["2026.12-board"]
    scan = json.loads(rd("pii", "scan", "--workspace", w, "--json").stdout)
    assert scan["policy_version"] == "2026.12-board"
    assert {x["action"] for x in scan["detections"] if x["entity_type"] == "PERSON"} == {"redact"}
