"""The layers of DESIGN.md hold: import-linter contracts from pyproject.toml, and a Qt-free core."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_that_import_contracts_hold() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    r = subprocess.run([str(exe), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_that_core_imports_without_qt() -> None:
    code = (
        "import sys, importlib, pkgutil\n"
        "class Block:\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'pyqtgraph', 'superqt'):\n"
        "            raise ImportError('Qt is not available')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import riskdesk\n"
        "for pkg in ('domain', 'storage', 'io', 'engine', 'economics', 'elicitation',\n"
        "            'governance', 'services', 'cli'):\n"
        "    m = importlib.import_module('riskdesk.' + pkg)\n"
        "    for info in pkgutil.walk_packages(m.__path__, m.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print('ok')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_that_core_tests_pass_with_qt_absent(tmp_path: Path) -> None:
    """The Qt-free packages and their tests work on a machine without PySide6/pyqtgraph."""
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n"
        "class _NoQt:\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'pyqtgraph', 'superqt', 'pytestqt'):\n"
        "            raise ImportError(name + ' is not installed')\n"
        "sys.meta_path.insert(0, _NoQt())\n")
    import os

    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:pytest-qt", "-p", "no:cacheprovider",
         "-W", "ignore::pytest.PytestConfigWarning",
         "tests/domain", "tests/storage", "tests/io/test_registry_json.py",
         "tests/io/test_registry_excel.py", "tests/services/test_registry_service.py",
         "tests/governance/test_audit_chain.py"],
        cwd=ROOT, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert " passed" in r.stdout
