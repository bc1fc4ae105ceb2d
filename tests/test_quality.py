"""The tooling bar of STYLE.md holds: ruff finds nothing and mypy type-checks all of riskdesk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_that_ruff_finds_nothing() -> None:
    r = subprocess.run([str(BIN / "ruff"), "check", "riskdesk", "tests", "benchmarks", "dev.py"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]


def test_that_mypy_type_checks_riskdesk() -> None:
    r = subprocess.run([str(BIN / "mypy"), "riskdesk"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
