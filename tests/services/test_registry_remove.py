"""Removing a registry (undo of the import that created it): gone with its draft, audited, and
refused once a version is frozen."""

from __future__ import annotations

import pytest

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import ValidationError
from riskdesk.domain.registry import Correlation, Registry
from riskdesk.domain.risk import Risk
from riskdesk.services.governance import GovernanceService
from riskdesk.services.registry import RegistryService

IMPORTED = Registry(name="Imported", units="MUSD", months=24, start="2028-01", risks=(
    Risk("A-1", "Pump failure", probability=0.2,
         impact=Distribution("pert", {"min": -30.0, "mode": -20.0, "max": -10.0})),
    Risk("A-2", "Late start", probability=0.4,
         impact=Distribution("uniform", {"min": -50.0, "max": -5.0})),
), correlation=Correlation(between=0.3))


def _actions(ws) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(r.action, r.entity_id) for r in GovernanceService(ws).audit_rows()]


def test_that_a_removed_registry_is_gone_and_each_removal_is_audited(empty_workspace):
    svc = RegistryService(empty_workspace)
    svc.apply_import(IMPORTED)
    n = len(_actions(empty_workspace))
    removed = svc.remove()
    assert removed == IMPORTED
    assert not RegistryService(empty_workspace).exists()
    assert _actions(empty_workspace)[n:] == [("risk.delete", "A-1"), ("risk.delete", "A-2"),
                                             ("registry.delete", "Imported")]
    assert GovernanceService(empty_workspace).verify().ok
    # the same import creates it again, and the chain still verifies
    RegistryService(empty_workspace).apply_import(IMPORTED)
    assert RegistryService(empty_workspace).draft() == IMPORTED
    assert GovernanceService(empty_workspace).verify().ok


def test_that_a_registry_with_a_frozen_version_is_not_removed(empty_workspace):
    svc = RegistryService(empty_workspace)
    svc.apply_import(IMPORTED)
    svc.freeze("first")
    n = len(_actions(empty_workspace))
    with pytest.raises(ValidationError, match="frozen versions"):
        svc.remove()
    assert RegistryService(empty_workspace).draft() == IMPORTED
    assert len(_actions(empty_workspace)) == n
