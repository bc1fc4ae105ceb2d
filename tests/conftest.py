"""Shared fixtures: isolated per-user directories and real workspace files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Keep every test away from the real per-user data and configuration (audit key, secrets,
# default workspace). The JIT cache directory is left alone so compiled kernels are reused.
_HOME = Path(tempfile.mkdtemp(prefix="riskdesk-tests-"))
os.environ["RISKDESK_DATA_DIR"] = str(_HOME / "data")
os.environ["RISKDESK_CONFIG_DIR"] = str(_HOME / "config")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Every compiled kernel in the suite (engine and economics) runs with bounds checking; such
# kernels get their own JIT cache so they never mix with the application's cached kernels.
os.environ["NUMBA_BOUNDSCHECK"] = "1"
if "NUMBA_CACHE_DIR" not in os.environ:
    from riskdesk.paths import cache_dir as _cache_dir

    os.environ["NUMBA_CACHE_DIR"] = str(_cache_dir() / "numba-boundscheck")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[object]:
    """A fresh demo workspace file."""
    from riskdesk.services.workspace import Workspace

    ws = Workspace.create(tmp_path / "demo.riskdesk", demo=True)
    yield ws
    ws.close()


@pytest.fixture
def empty_workspace(tmp_path: Path) -> Iterator[object]:
    """A fresh workspace with no content."""
    from riskdesk.services.workspace import Workspace

    ws = Workspace.create(tmp_path / "empty.riskdesk")
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public reference data folder (``../shared/data`` beside the repository)."""
    root = Path(__file__).resolve().parents[1]
    return (root / ".." / "shared" / "data").resolve()
