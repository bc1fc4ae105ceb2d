#!/usr/bin/env python3
"""Set-up and everyday commands with nothing but Python 3.11+: ``python3 dev.py run|test|bench``.

Creates ``.venv`` and installs riskdesk with its GUI and development extras when needed (again
whenever ``pyproject.toml`` changes), then runs the app, the headless test suite or the benchmarks.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".riskdesk-installed"


def ensure_venv() -> None:
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == want and PY.exists():
        return
    if not PY.exists():
        print("creating .venv …", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    subprocess.check_call([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    print("installing riskdesk and its dependencies into .venv …", file=sys.stderr)
    subprocess.check_call([str(PY), "-m", "pip", "install", "-q", "-e", f"{ROOT}[gui,dev]"])
    STAMP.write_text(want)


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "run"
    rest = argv[1:]
    ensure_venv()
    env = dict(os.environ)
    if cmd == "run":
        return subprocess.call([str(PY), "-m", "riskdesk", *rest], env=env)
    if cmd == "test":
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        return subprocess.call([str(PY), "-m", "pytest", *rest], env=env, cwd=ROOT)
    if cmd == "bench":
        return subprocess.call([str(PY), str(ROOT / "benchmarks" / "run.py"), *rest], env=env,
                               cwd=ROOT)
    if cmd == "setup":
        return 0
    print(f"unknown command {cmd!r}; use run, test, bench or setup", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
