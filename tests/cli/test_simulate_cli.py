"""``riskdesk simulate`` and ``riskdesk run`` as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REGISTRY = {
    "schema": "riskdesk.registry/1", "name": "cli", "units": "kUSD", "months": 12,
    "simulation": {"iterations": 2000, "seed": 1},
    "risks": [
        {"id": "R1", "probability": 0.4,
         "impact": {"dist": "triangular", "min": -900, "mode": -400, "max": -250},
         "phasing": {"type": "window", "start": 2, "length": 4}},
        {"id": "R2", "probability": 0.7, "impact": {"dist": "pert", "min": -50, "mode": 0,
                                                     "max": 80},
         "phasing": {"type": "window", "start": 0, "length": 12}, "affects": "capex"},
    ],
    "correlation": {"method": "iman-conover", "apply_to": "compound", "between": 0.3},
}


def rd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskdesk", *args], capture_output=True,
                          text=True, cwd=ROOT, env=dict(os.environ))


def test_that_simulate_input_writes_a_result_document_and_reports_progress(tmp_path):
    src, out = tmp_path / "reg.json", tmp_path / "result.json"
    src.write_text(json.dumps(REGISTRY))
    r = rd("simulate", "--input", str(src), "--iterations", "5000", "--seed", "3",
           "--output", str(out), "--threads", "1")
    assert r.returncode == 0, r.stderr
    assert "100%" not in r.stdout and "paths" in r.stderr  # progress on stderr only
    doc = json.loads(out.read_text())
    assert doc["schema"] == "riskdesk.result/1" and doc["iterations"] == 5000
    assert doc["seed"] == 3 and len(doc["results"]["monthly"]["p50"]) == 12
    assert doc["run"]["threads"] == 1 and doc["run"]["input_hash"].startswith("sha256:")
    again = tmp_path / "again.json"
    rd("simulate", "--input", str(src), "--iterations", "5000", "--seed", "3", "--output",
       str(again), "--threads", "2", "--chunk-size", "1024")
    assert json.loads(again.read_text())["results"] == doc["results"]


def test_that_invalid_registry_json_is_refused_naming_the_risk_and_field(tmp_path):
    bad = json.loads(json.dumps(REGISTRY))
    bad["risks"][0]["impact"]["mode"] = -1000
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(bad))
    r = rd("simulate", "--input", str(src), "--output", str(tmp_path / "o.json"))
    assert r.returncode != 0 and "R1.impact.mode" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "o.json").exists()


def test_that_workspace_runs_are_stored_listed_shown_verified_and_compared(tmp_path):
    w = str(tmp_path / "w.riskdesk")
    assert rd("init", "--workspace", w, "--demo").returncode == 0
    r = rd("simulate", "--workspace", w, "--iterations", "3000", "--seed", "4", "--json")
    assert r.returncode == 0, r.stderr
    first = json.loads(r.stdout)["run"]
    assert first["registry_version"] == 1 and first["baseline_version"] == 1
    r = rd("simulate", "-w", w, "--iterations", "3000", "--seed", "4", "--post",
           "--no-baseline", "--threads", "1")
    assert r.returncode == 0 and r.stdout.startswith("run 2:")
    listed = json.loads(rd("run", "list", "-w", w, "--json").stdout)
    assert [x["id"] for x in listed] == [1, 2] and listed[1]["post_mitigation"]
    shown = json.loads(rd("run", "show", "1", "-w", w, "--json").stdout)
    assert shown["result"]["run"]["seed"] == 4
    r = rd("run", "verify", "1", "-w", w, "--threads", "1", "--chunk-size", "2048")
    assert r.returncode == 0 and "IDENTICAL" in r.stdout
    r = rd("run", "compare", "1", "2", "-w", w, "--json")
    assert r.returncode == 0, r.stderr
    cmp = json.loads(r.stdout)
    assert cmp["side_by_side"]["results"]["p50"][0] == first["total"]["p50"]
    r = rd("simulate", "-w", w, "--version", "9")
    assert r.returncode != 0 and "version 9 does not exist" in r.stderr
    r = rd("simulate", "-w", w, "--iterations", "0")
    assert r.returncode != 0 and "settings.iterations" in r.stderr
    assert len(json.loads(rd("run", "list", "-w", w, "--json").stdout)) == 2


def test_that_simulate_records_the_price_deck_and_run_show_lists_it(tmp_path):
    w = str(tmp_path / "w.riskdesk")
    assert rd("init", "--workspace", w, "--demo").returncode == 0
    deck = json.loads(rd("deck", "list", "-w", w, "--json").stdout)[0]["name"]
    r = rd("simulate", "-w", w, "--iterations", "2048", "--deck", f"{deck}:1")
    assert r.returncode == 0, r.stderr
    shown = rd("run", "show", "1", "-w", w)
    assert f"deck      {deck} v1 (" in shown.stdout
    doc = json.loads(rd("run", "show", "1", "-w", w, "--json").stdout)
    assert doc["price_deck"]["name"] == deck and doc["price_deck"]["version"] == 1
    r = rd("simulate", "-w", w, "--iterations", "2048", "--deck", f"{deck}:7")
    assert r.returncode != 0 and "has no version 7" in r.stderr
    assert len(json.loads(rd("run", "list", "-w", w, "--json").stdout)) == 1
