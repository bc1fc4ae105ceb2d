"""``riskdesk audit log`` and ``audit verify`` as real processes."""

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


def test_that_the_log_filters_and_verify_reports_the_head(tmp_path: Path) -> None:
    w = str(tmp_path / "w.riskdesk")
    assert rd("init", "--workspace", w, "--demo").returncode == 0
    r = rd("audit", "log", "--workspace", w, "--entity-type", "registry_version", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows and {x["entity_type"] for x in rows} == {"registry_version"}
    r = rd("audit", "verify", "--workspace", w)
    assert r.returncode == 0 and r.stdout.startswith("OK:")
    missing = rd("audit", "verify", "--workspace", str(tmp_path / "nope.riskdesk"))
    assert missing.returncode == 2 and "no such workspace" in missing.stderr
