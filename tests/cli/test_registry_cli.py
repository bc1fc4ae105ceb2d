"""The registry and baseline CLI, run as a real process: JSON output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def rd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskdesk", *args], capture_output=True,
                          text=True, cwd=ROOT, env=dict(os.environ))


def test_that_init_list_freeze_and_promote_work_with_json(tmp_path: Path) -> None:
    w = str(tmp_path / "w.riskdesk")
    assert rd("init", "--workspace", w, "--demo").returncode == 0
    r = rd("registry", "list", "--workspace", w, "--json")
    assert r.returncode == 0, r.stderr
    risks = json.loads(r.stdout)["risks"]
    assert len(risks) == 25 and {"id", "probability", "impact"} <= set(risks[0])
    r = rd("registry", "freeze", "--workspace", w, "--comment", "cli", "--json")
    out = json.loads(r.stdout)
    assert out["version"] == 2 and out["hash"].startswith("sha256:")
    assert rd("registry", "promote", "2", "--to", "in_review", "-w", w).returncode == 0
    r = rd("registry", "promote", "2", "--to", "approved", "--comment", "ok", "-w", w, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["stage"] == "approved"


def test_that_errors_go_to_stderr_without_traceback(tmp_path: Path) -> None:
    w = str(tmp_path / "w.riskdesk")
    rd("init", "--workspace", w)
    r = rd("registry", "list", "--workspace", w)
    assert r.returncode != 0 and "no registry" in r.stderr and "Traceback" not in r.stderr
    r = rd("registry", "list", "--workspace", str(tmp_path / "missing.riskdesk"))
    assert r.returncode != 0 and "no such workspace" in r.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"months": 12, "risks": [{"id": "X", "probability": 7, '
                   '"impact": {"dist": "fixed", "value": 1}}]}')
    r = rd("registry", "import", str(bad), "--workspace", w)
    assert r.returncode == 2 and "X.probability" in r.stderr and "Traceback" not in r.stderr


def test_that_export_then_import_round_trips_xlsx_and_json(tmp_path: Path) -> None:
    w = str(tmp_path / "w.riskdesk")
    w2 = str(tmp_path / "w2.riskdesk")
    rd("init", "--workspace", w, "--demo")
    rd("init", "--workspace", w2)
    for ext in ("xlsx", "json"):
        f = str(tmp_path / f"reg.{ext}")
        assert rd("registry", "export", f, "-w", w, "--reveal-reason",
                  "move to a test workspace").returncode == 0
        r = rd("registry", "import", f, "-w", w2, "--dry-run", "--json")
        assert json.loads(r.stdout)["added"] and r.returncode == 0
    r = rd("registry", "import", str(tmp_path / "reg.xlsx"), "-w", w2, "--json")
    assert len(json.loads(r.stdout)["added"]) == 25
    a = json.loads(rd("registry", "list", "-w", w, "--json").stdout)["risks"]
    b = json.loads(rd("registry", "list", "-w", w2, "--json").stdout)["risks"]
    assert a == b


def test_that_baseline_export_import_and_freeze_work(tmp_path: Path) -> None:
    w = str(tmp_path / "w.riskdesk")
    rd("init", "--workspace", w, "--demo")
    f = str(tmp_path / "plan.xlsx")
    assert rd("baseline", "export", f, "-w", w).returncode == 0
    r = rd("baseline", "import", f, "-w", w, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["months"] == 36
    r = rd("baseline", "freeze", "-w", w, "--json")
    assert json.loads(r.stdout)["version"] == 2


def test_that_template_writes_a_workbook(tmp_path: Path) -> None:
    f = tmp_path / "t.xlsx"
    assert rd("registry", "template", str(f)).returncode == 0 and f.stat().st_size > 1000


def test_that_exports_are_redacted_unless_a_reason_is_given(tmp_path: Path) -> None:
    w = str(tmp_path / "w.riskdesk")
    rd("init", "--workspace", w, "--demo")
    red = tmp_path / "red.json"
    r = rd("registry", "export", str(red), "-w", w, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(red.read_text())
    owners = {x["owner"] for x in doc["risks"]}
    assert "Ingrid Halvorsen" not in owners and doc["exported"]["redacted"] is True
    assert doc["exported"]["chain_head"].count(":") == 1
    orig = tmp_path / "orig.xlsx"
    r = rd("registry", "export", str(orig), "-w", w, "--reveal-reason", "board pack", "--json")
    assert json.loads(r.stdout)["redacted"] is False
    from openpyxl import load_workbook

    assert load_workbook(orig)["Risks"]["D2"].value == "Ingrid Halvorsen"
    log = rd("audit", "log", "-w", w, "--json")
    assert '"action": "pii.reveal"' in log.stdout


def test_that_freeze_says_when_the_draft_repeats_a_version(workspace, capsys) -> None:
    from riskdesk.cli import main

    assert main(["registry", "freeze", "--workspace", str(workspace.path)]) == 0
    assert capsys.readouterr().out.strip().endswith("(same content as version 1)")


def test_that_errors_are_json_with_json(tmp_path: Path) -> None:
    w = str(tmp_path / "w.riskdesk")
    rd("init", "--workspace", w, "--demo")
    r = rd("registry", "promote", "1", "--to", "approved", "-w", w, "--json")
    assert r.returncode == 2 and r.stdout == ""
    doc = json.loads(r.stderr)
    assert doc["exit_code"] == 2 and doc["problems"][0]["where"] == "stage"
    assert "In review" in doc["problems"][0]["message"]


@pytest.mark.parametrize("suffix", ["json", "xlsx"])
def test_that_importing_a_redacted_export_warns(tmp_path: Path, suffix: str) -> None:
    w = str(tmp_path / "w.riskdesk")
    rd("init", "--workspace", w, "--demo")
    f = str(tmp_path / f"red.{suffix}")
    assert rd("registry", "export", f, "-w", w).returncode == 0
    r = rd("registry", "import", f, "-w", w, "--dry-run", "--json")
    assert r.returncode == 0 and "exported redacted" in r.stderr
    assert json.loads(r.stdout)["redacted_source"] is True
    plain = str(tmp_path / f"plain.{suffix}")
    assert rd("registry", "export", plain, "-w", w, "--reveal-reason", "board pack").returncode == 0
    r = rd("registry", "import", plain, "-w", w, "--dry-run", "--json")
    assert r.returncode == 0 and "exported redacted" not in r.stderr
    assert "redacted_source" not in json.loads(r.stdout)
