"""Governance use cases: verify the audit chain, checkpoint its head, PII policy versions,
PII scans with a detection log, and redacted "share a copy" workspaces.

Qt-free; the GUI and the CLI call this. Presidio is imported only when a scan or share runs.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskdesk.governance import audit, checkpoints
from riskdesk.governance.replay import compare, replay
from riskdesk.governance.verify import VerifyReport, check_chain, check_checkpoints
from riskdesk.storage.repos.common import all_rows

if TYPE_CHECKING:
    from riskdesk.governance.policy import Policy
    from riskdesk.services.workspace import Workspace


def note_head(ws: Workspace, seq: int, hash_: str, source: str = "write") -> None:
    """Record a checkpoint of the chain head for ``ws`` (no-op without a workspace id)."""
    wid = getattr(ws, "_governance_wid", None) or ws.workspace_id
    if wid:
        ws._governance_wid = wid  # type: ignore[attr-defined]
        try:
            checkpoints.record(wid, seq, hash_, source)
        except OSError as exc:
            # the change is committed; a missing checkpoint only weakens truncation checks
            # later, so warn rather than fail the write
            logging.getLogger(__name__).warning("could not write an audit checkpoint: %s", exc)


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

    def stamp(self, source: str = "export") -> str:
        """``"<seq>:<hash>"`` of the chain head, checkpointed outside the workspace; embed it in
        an export or report so a later rewrite of the history is detectable."""
        h = self.head(source=source)
        return f"{h['seq']}:{h['hash']}"

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


@dataclass
class ShareReport:
    """A redacted copy: where it is, from which head, under which policy, and what changed."""

    source: str
    output: str
    report_file: str
    source_head: dict[str, Any]
    policy_version: str
    changes: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"schema": "riskdesk.share-report/1", "source": self.source,
                "output": self.output, "source_head": self.source_head,
                "policy_version": self.policy_version, **self.changes}


def share_copy(ws: Workspace, dest: str | Path, policy: Policy | None = None,
               secret: bytes | None = None) -> ShareReport:
    """Write a redacted copy of ``ws`` to ``dest`` (which must not exist).

    Every free-text cell is redacted per ``policy`` and people are tokenized with the secret
    kept outside the workspace; the copy gets a new workspace id and a fresh audit chain whose
    ``share.snapshot`` entries hold the redacted states (so ``audit verify`` works on it) and
    whose ``share.create`` entry names the source and its chain head. Audit keys and secrets
    never live in a workspace, so none are copied. A JSON report lands beside the copy.
    """
    from riskdesk.governance.policy import token_secret
    from riskdesk.governance.share import redact_session
    from riskdesk.services.pii import PiiService
    from riskdesk.services.workspace import Workspace, WorkspaceError
    from riskdesk.storage.repos import governance as repo
    from riskdesk.storage.tables import WorkspaceMeta

    pii = PiiService(ws)
    pol = policy or pii.policy()
    pii.register_policy(pol)
    people = pii.known_people()
    head = GovernanceService(ws).head(source="share")
    out = Path(dest).expanduser()
    if out.exists():
        raise WorkspaceError(f"{out} already exists; choose a new file for the copy")
    ws.save_as(out)
    key = secret if secret is not None else token_secret()
    try:
        copy = Workspace.open(out)
        try:
            new_id = str(uuid.uuid4())
            with copy.write() as tx:
                with repo.triggers_suspended(tx.session):
                    changes = redact_session(tx.session, pol, key, people)
                    repo.clear_detections(tx.session)
                    repo.reset_audit_log(tx.session)
                for k, v in (("workspace_id", new_id), ("shared_from", head["workspace_id"]),
                             ("shared_policy", pol.version)):
                    row = tx.session.get(WorkspaceMeta, k) or WorkspaceMeta(key=k)
                    row.value = v
                    tx.session.add(row)
                tx.session.flush()
                for et, eid, state in _snapshot(tx.session):
                    tx.audit("share.snapshot", et, eid, None, state)
                tx.audit("share.create", "workspace", new_id, None,
                         {"source_workspace": head["workspace_id"], "source_head": head,
                          "policy_version": pol.version, "policy_hash": pol.content_hash,
                          "changed_strings": len(changes.items)})
        finally:
            copy.close()
        repo.compact_file(str(out))
    except BaseException:
        out.unlink(missing_ok=True)
        for extra in (out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
            extra.unlink(missing_ok=True)
        raise
    rep = ShareReport(str(ws.path), str(out), str(out) + ".share-report.json", head,
                      pol.version, changes.to_dict())
    Path(rep.report_file).write_text(json.dumps(rep.to_dict(), indent=2, ensure_ascii=False),
                                     encoding="utf-8")
    return rep


def _snapshot(session: Any) -> list[tuple[str, str, Any]]:
    """Audited states of the copy: risks, baselines, frozen versions and people."""
    from riskdesk.storage.tables import (
        BaselineRow,
        BaselineVersion,
        DraftRisk,
        Person,
        RegistryRow,
        RegistryVersion,
    )

    out: list[tuple[str, str, Any]] = []
    for d in all_rows(session, DraftRisk, order_by="id"):
        out.append(("risk", d.risk_id, json.loads(d.data)))
    for b in all_rows(session, BaselineRow, order_by="id"):
        out.append(("baseline", b.name, json.loads(b.draft)))
    names = {r.id: r.name for r in all_rows(session, RegistryRow)}
    for v in all_rows(session, RegistryVersion, order_by="id"):
        out.append(("registry_version", f"{names.get(v.registry_id)}#{v.number}",
                    {"hash": v.hash, "content": json.loads(v.content), "stage": v.stage}))
    bnames = {r.id: r.name for r in all_rows(session, BaselineRow)}
    for bv in all_rows(session, BaselineVersion, order_by="id"):
        out.append(("baseline_version", f"{bnames.get(bv.baseline_id)}#{bv.number}",
                    {"hash": bv.hash, "content": json.loads(bv.content), "stage": bv.stage}))
    from riskdesk.storage.tables.decks import AssetRow, DeckRow, DeckVersion

    for a in all_rows(session, AssetRow, order_by="id"):
        out.append(("asset", a.name, {"deck": a.deck, **json.loads(a.content)}))
    dnames = {r.id: r.name for r in all_rows(session, DeckRow)}
    for dv in all_rows(session, DeckVersion, order_by="id"):
        out.append(("deck_version", f"{dnames.get(dv.deck_id)}#{dv.number}",
                    {"hash": dv.hash, "content": json.loads(dv.content), "stage": dv.stage}))
    for p in all_rows(session, Person, order_by="id"):
        out.append(("person", str(p.id), p.model_dump(exclude={"id"})))
    return out


def export_audit_xlsx(ws: Workspace, path: str | Path, text: str = "",
                      entity_type: str = "") -> Path:
    """Write the (filtered) audit log to Excel with the verified chain head embedded."""
    from datetime import UTC, datetime

    from riskdesk.io.audit_excel import write_audit_xlsx

    gov = GovernanceService(ws)
    rows = [r.__dict__ for r in gov.audit_rows(text, entity_type)]
    head = gov.head(source="export")
    head["exported_at"] = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return write_audit_xlsx(rows, path, head, gov.verify().to_dict())
