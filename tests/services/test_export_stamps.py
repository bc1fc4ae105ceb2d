"""Every export carries the audit chain head (and records a checkpoint), so history rewritten
after the export is detectable by comparing with the file."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from riskdesk.governance import audit
from riskdesk.services.baseline import BaselineService
from riskdesk.services.decks import DeckService


def _head(ws) -> str:  # type: ignore[no-untyped-def]
    with ws.read() as s:
        h = audit.head(s)
    return f"{h.seq}:{h.hash}"


def _meta(path: Path, sheet: str) -> dict:
    ws = load_workbook(path)[sheet]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}


def test_that_a_baseline_export_embeds_the_chain_head_and_is_audited(workspace,
                                                                      tmp_path: Path) -> None:
    head = _head(workspace)
    out = BaselineService(workspace).export_xlsx(tmp_path / "plan.xlsx")
    assert _meta(out, "Settings")["Audit chain head"] == head
    with workspace.read() as s:
        assert audit.head(s).action == "baseline.export"


def test_that_a_deck_export_embeds_the_chain_head(workspace, tmp_path: Path) -> None:
    svc = DeckService(workspace)
    name = svc.names()[0]
    head = _head(workspace)
    svc.export(name, tmp_path / "deck.xlsx")
    assert _meta(tmp_path / "deck.xlsx", "Metadata")["Audit chain head"] == head
