"""Governance use cases: verify the audit chain, checkpoint its head, PII policy versions,
PII scans with a detection log, and redacted "share a copy" workspaces.

Qt-free; the GUI and the CLI call this. Presidio is imported only when a scan or share runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from riskdesk.governance import audit, checkpoints
from riskdesk.governance.replay import compare, replay
from riskdesk.governance.verify import VerifyReport, check_chain, check_checkpoints

if TYPE_CHECKING:
    from riskdesk.services.workspace import Workspace


def note_head(ws: Workspace, seq: int, hash_: str, source: str = "write") -> None:
    """Record a checkpoint of the chain head for ``ws`` (no-op without a workspace id)."""
    wid = getattr(ws, "_governance_wid", None) or ws.workspace_id
    if wid:
        ws._governance_wid = wid  # type: ignore[attr-defined]
        checkpoints.record(wid, seq, hash_, source)


@dataclass
class AuditRow:
    """An audit entry for display: who, when, what, entity and the JSON diff."""

    seq: int
    at: str
    who: str
    os_user: str
    action: str
    entity_type: str
    entity_id: str
    diff: list[dict[str, Any]] = field(default_factory=list)


class GovernanceService:
    """Audit verification, checkpoints, PII policies, scans and redacted copies."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # ---- audit ------------------------------------------------------------------------------
    def audit_rows(self, text: str = "", entity_type: str = "") -> list[AuditRow]:
        """Entries (oldest first) whose who/action/entity contain ``text`` (case-insensitive)."""
        needle = text.strip().casefold()
        with self.ws.read() as s:
            es = audit.entries(s, entity_type or None)
        out = []
        for e in es:
            hay = f"{e.display_name} {e.os_user} {e.action} {e.entity_type} {e.entity_id} " \
                  f"{e.at}".casefold()
            if needle and needle not in hay:
                continue
            try:
                diff = json.loads(e.diff) if e.diff else []
            except json.JSONDecodeError:
                diff = []
            out.append(AuditRow(e.seq, e.at, e.display_name, e.os_user, e.action,
                                e.entity_type, e.entity_id, diff))
        return out

    def entity_types(self) -> list[str]:
        with self.ws.read() as s:
            return sorted({e.entity_type for e in audit.entries(s)})

    def head(self, source: str = "") -> dict[str, Any]:
        """The chain head ``{"workspace_id", "seq", "hash"}``, checkpointed when ``source`` is
        given (embed it in every export and report)."""
        with self.ws.read() as s:
            h = audit.head(s)
        seq, hsh = (h.seq, h.hash) if h else (0, audit.GENESIS)
        if source and h is not None:
            note_head(self.ws, seq, hsh, source)
        return {"workspace_id": self.ws.workspace_id, "seq": seq, "hash": hsh}

    def verify(self, key: bytes | None = None) -> VerifyReport:
        """Check the chain, the outside checkpoints and the audited tables (see verify.py)."""
        key = key or audit.audit_key()
        with self.ws.read() as s:
            es = audit.entries(s)
            issues = check_chain(es, key)
            try:
                table_issues = compare(s, replay(es))
            except Exception as exc:  # a table edited into unreadable JSON
                from riskdesk.governance.verify import Issue
                table_issues = [Issue("unaudited_change", None, "", f"a table cannot be read "
                                      f"back ({type(exc).__name__}); it was edited by hand")]
        wid = self.ws.workspace_id
        cps, bad = checkpoints.load(wid) if wid else ([], [])
        issues += check_checkpoints(es, cps) + table_issues
        head = es[-1] if es else None
        rep = VerifyReport(wid, len(es), head.seq if head else 0,
                           head.hash if head else audit.GENESIS, len(cps), issues, list(bad))
        if not wid:
            rep.notes.append("workspace has no id: no checkpoints can be kept for it")
        if self.ws.meta("shared_from"):
            rep.notes.append("this is a redacted copy; its chain starts at the share")
        return rep
