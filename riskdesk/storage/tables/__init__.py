"""All SQLModel tables: importing this package registers every table module on the metadata.

Each area keeps its tables in its own module here; they are discovered, so adding a module is enough.
"""

from __future__ import annotations

import importlib
import pkgutil

from riskdesk.storage.tables.audit import AuditEntry
from riskdesk.storage.tables.baseline import BaselineRow, BaselineVersion
from riskdesk.storage.tables.core import Person, WorkspaceMeta
from riskdesk.storage.tables.registry import (
    DraftRisk,
    RegistryRow,
    RegistryVersion,
    StageTransition,
)

for _m in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_m.name}")

__all__ = [
    "AuditEntry", "BaselineRow", "BaselineVersion", "DraftRisk", "Person", "RegistryRow",
    "RegistryVersion", "StageTransition", "WorkspaceMeta",
]
