"""Lineage from a run to its inputs and approvals, and from a risk to the runs that used it."""

from __future__ import annotations

import json

import pytest

from riskdesk.services import lineage
from riskdesk.services.baseline import BaselineService
from riskdesk.services.registry import RegistryService
from riskdesk.services.workspace import Workspace

runs_tables = pytest.importorskip("riskdesk.storage.tables.runs")


def _store_run(ws: Workspace, reg_version: int) -> int:
    """A run record as the runs service stores it (inputs only; results do not matter here)."""
    from riskdesk.storage.repos.common import add

    regs = RegistryService(ws)
    info = regs.version_info(reg_version)
    base = BaselineService(ws).version_info()
    with ws.write() as tx:
        rec = add(tx.session, runs_tables.RunRecord(
            created_at="2099-01-01T00:00:00Z", created_by="tester", label="lineage test",
            registry_name=regs.draft().name, registry_version=info.number, registry_hash=info.hash,
            registry_content=json.dumps(regs.version(reg_version).to_dict()),
            baseline_name=BaselineService(ws).draft().name, baseline_version=base.number,
            baseline_hash=base.hash, baseline_content="{}", iterations=10, seed=1,
            sampling="mc", threads=1, settings="{}", manifest="{}", result="{}",
            totals=b"", result_hash="x"))
        tx.audit("run.create", "run", rec.id, None, {"label": "lineage test"})
        assert rec.id is not None
        return rec.id


def test_that_a_run_shows_its_versions_and_their_approvals(workspace: Workspace) -> None:
    regs = RegistryService(workspace)
    v = regs.freeze("for review").number
    regs.promote(v, "in_review", "please look")
    run_id = _store_run(workspace, v)
    lin = lineage.run_lineage(workspace, run_id)
    kinds = {ref.kind: ref for ref in lin.inputs}
    assert kinds["registry"].number == v and kinds["registry"].stage == "in_review"
    assert [(a["from"], a["to"], a["comment"]) for a in kinds["registry"].approvals] == [
        ("draft", "in_review", "please look")]
    assert "baseline" in kinds and kinds["baseline"].hash
    assert set(lin.risks) == set(r.id for r in regs.version(v).risks)


def test_that_a_risk_lists_the_runs_and_versions_that_hold_it(workspace: Workspace) -> None:
    regs = RegistryService(workspace)
    v = regs.freeze("x").number
    run_id = _store_run(workspace, v)
    rid = regs.version(v).risks[0].id
    d = lineage.risk_lineage(workspace, rid)
    assert run_id in [r["id"] for r in d["runs"]]
    assert v in [x["number"] for x in d["registry_versions"]]
    assert lineage.risk_lineage(workspace, "NO-SUCH-RISK")["runs"] == []
