"""File ▸ Save As: the copy is a workspace of its own whose audit chain verifies on its own."""

from __future__ import annotations

from pathlib import Path

from riskdesk.services.governance import GovernanceService
from riskdesk.services.registry import RegistryService
from riskdesk.services.workspace import Workspace


def test_that_a_saved_copy_and_its_original_both_verify_after_each_is_edited(
        workspace: Workspace, tmp_path: Path) -> None:
    dest = workspace.save_as(tmp_path / "copy.riskdesk")
    copy = Workspace.open(dest)
    try:
        RegistryService(copy).freeze("edited in the copy")
        RegistryService(workspace).freeze("edited in the original")
        assert copy.workspace_id != workspace.workspace_id
        assert copy.meta("copied_from") == workspace.workspace_id
        for ws in (workspace, copy):
            report = GovernanceService(ws).verify()
            assert report.ok, report.to_dict()
    finally:
        copy.close()


def test_that_the_copy_records_where_it_came_from_in_its_audit_log(
        workspace: Workspace, tmp_path: Path) -> None:
    copy = Workspace.open(workspace.save_as(tmp_path / "copy.riskdesk"))
    try:
        rows = GovernanceService(copy).audit_rows()
        saved = [r for r in rows if r.action == "workspace.save_as"]
        assert len(saved) == 1
        assert workspace.workspace_id in str(saved[0].diff)
    finally:
        copy.close()
