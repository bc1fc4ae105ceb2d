"""Ordered schema migrations ``mNNN_<name>.py``: each has ``VERSION`` and ``upgrade(conn)``.

``PRAGMA user_version`` holds the schema version of a workspace file (the highest migration
applied); the table ``schema_migration`` lists every migration applied, so one added with a lower
number than the file's version is still applied. Migrations run in order at open, after a backup
copy of the file, each in its own transaction.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    module: ModuleType

    def upgrade(self, conn: Any) -> None:
        self.module.upgrade(conn)


def all_migrations() -> list[Migration]:
    out = []
    for m in pkgutil.iter_modules(__path__):
        if not m.name.startswith("m") or not m.name[1:4].isdigit():
            continue
        mod = importlib.import_module(f"{__name__}.{m.name}")
        out.append(Migration(int(mod.VERSION), m.name, mod))
    out.sort(key=lambda x: x.version)
    versions = [m.version for m in out]
    if len(set(versions)) != len(versions) or (versions and versions[0] != 1):
        raise RuntimeError(f"migration versions must be unique and start at 1: {versions}")
    return out


def latest_version() -> int:
    ms = all_migrations()
    return ms[-1].version if ms else 0
