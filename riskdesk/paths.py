"""Where riskdesk keeps things on this machine: one place, also valid in a frozen bundle.

``RISKDESK_DATA_DIR`` and ``RISKDESK_CONFIG_DIR`` override the per-user directories (tests and
portable installs use them).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "riskdesk"


def data_dir() -> Path:
    """Per-user data directory (default workspace, checkpoints, JIT cache)."""
    env = os.environ.get("RISKDESK_DATA_DIR")
    if env:
        p = Path(env)
    else:
        import platformdirs

        p = Path(platformdirs.user_data_dir(APP, appauthor=False))
    p.mkdir(parents=True, exist_ok=True)
    return p


def config_dir() -> Path:
    """Per-user configuration directory (audit key, tokenization secret, settings)."""
    env = os.environ.get("RISKDESK_CONFIG_DIR")
    if env:
        p = Path(env)
    else:
        import platformdirs

        p = Path(platformdirs.user_config_dir(APP, appauthor=False))
    p.mkdir(parents=True, exist_ok=True)
    return p


def cache_dir() -> Path:
    env = os.environ.get("RISKDESK_CACHE_DIR")
    if env:
        p = Path(env)
    else:
        import platformdirs

        p = Path(platformdirs.user_cache_dir(APP, appauthor=False))
    p.mkdir(parents=True, exist_ok=True)
    return p


def default_workspace() -> Path:
    return data_dir() / "default.riskdesk"


def resources_dir() -> Path:
    """Packaged read-only resources (works from source, wheel or a frozen bundle)."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "riskdesk" / "resources"
    return Path(__file__).resolve().parent / "resources"


def write_private(path: Path, data: bytes) -> None:
    """Write a secret file readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
