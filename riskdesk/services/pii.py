"""PII use cases on a workspace: policy versions (stored and audited) and the one in use, scans
with the detection log, and the free-text fields they cover. Presidio loads on the first scan,
not before."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import canonical_json
from riskdesk.governance.share import as_json
from riskdesk.storage.repos import governance as repo
from riskdesk.storage.repos.common import add, all_rows, first_where, get
from riskdesk.storage.tables import AuditEntry, Person, WorkspaceMeta
from riskdesk.storage.tables.governance import PiiDetectionLog, PiiPolicyVersion

if TYPE_CHECKING:
    from riskdesk.governance.pii.findings import Detection
    from riskdesk.governance.policy import Policy
    from riskdesk.services.workspace import Workspace

ACTIVE_POLICY_KEY = "pii_policy"  # workspace_meta: content hash of the policy in use


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def walk_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """``(json path, string)`` for every string inside a JSON value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from walk_strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk_strings(v, f"{path}[{i}]")


def exported_redacted(path: str | Path) -> bool:
    """Whether a registry file (.json or .xlsx) says it was exported with personal data redacted:
    its owners and free text are then tokens, not what the workspace holds. Unreadable or
    unmarked files say no (the import itself reports what is wrong with them)."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        from riskdesk.io.registry_excel import exported_redacted_xlsx

        return exported_redacted_xlsx(p)
    if p.suffix.lower() != ".json":
        return False
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    exported = doc.get("exported") if isinstance(doc, dict) else None
    return isinstance(exported, dict) and exported.get("redacted") is True


def worth_scanning(s: str) -> bool:
    return len(s) >= 3 and any(ch.isalpha() for ch in s)


@dataclass
class ScanResult:
    """One scan: its id, the policy version, fields looked at and the detections."""

    scan_id: str
    policy_version: str
    fields: int
    detections: list[Detection] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(Counter(d.entity_type for d in self.detections))

    def to_dict(self) -> dict[str, Any]:
        return {"scan_id": self.scan_id, "policy_version": self.policy_version,
                "fields": self.fields, "counts": self.counts(),
                "detections": [d.to_dict() for d in self.detections]}


class PiiService:
    """PII policies, scans and the detection log of one workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def policy(self, path: str | Path | None = None) -> Policy:
        """The policy read from ``path``; without one, the policy in use in this workspace
        (:meth:`use_policy`), else the shipped default."""
        from riskdesk.governance.policy import load_policy

        if path is not None:
            return load_policy(path)
        return self.active_policy() or load_policy()

    def register_policy(self, policy: Policy) -> bool:
        """Store ``policy`` if this exact content is new (audited); returns True if stored."""
        with self.ws.write() as tx:
            if first_where(tx.session, PiiPolicyVersion, hash=policy.content_hash):
                return False
            add(tx.session, PiiPolicyVersion(version=policy.version, hash=policy.content_hash,
                                             content=canonical_json(policy.to_dict()),
                                             created_at=now(),
                                             created_by=tx.actor.display_name))
            tx.audit("pii.policy", "pii_policy", policy.version, None,
                     {"version": policy.version, "hash": policy.content_hash,
                      "content": policy.to_dict()})
        return True

    def policies(self) -> list[PiiPolicyVersion]:
        """Every stored policy version, oldest first."""
        with self.ws.read() as s:
            return all_rows(s, PiiPolicyVersion, order_by="id")

    def stored_policy(self, content_hash: str) -> Policy:
        """A stored policy version by its content hash (``ValidationError`` if unknown)."""
        from riskdesk.governance.policy import policy_from_dict

        with self.ws.read() as s:
            row = first_where(s, PiiPolicyVersion, hash=content_hash)
        if row is None:
            raise ValidationError(f"no stored policy with hash {content_hash[:12]}",
                                  "pii_policy_version")
        return policy_from_dict(json.loads(row.content), where=f"policy {row.version}")

    def active_policy_hash(self) -> str | None:
        """Content hash of the policy chosen with :meth:`use_policy` (None: the default)."""
        return self.ws.meta(ACTIVE_POLICY_KEY) or None

    def active_policy(self) -> Policy | None:
        """The policy chosen for this workspace, or None when the shipped default applies."""
        h = self.active_policy_hash()
        return self.stored_policy(h) if h else None

    def use_policy(self, policy: Policy) -> bool:
        """Store ``policy`` (if new) and make it the one scans, shared copies and registry
        exports use from now on; both steps are audited. Returns True if it was not in use."""
        self.register_policy(policy)
        with self.ws.write() as tx:
            row = get(tx.session, WorkspaceMeta, ACTIVE_POLICY_KEY)
            before = row.value if row else ""
            if before == policy.content_hash:
                return False
            row = row or WorkspaceMeta(key=ACTIVE_POLICY_KEY, value="")
            row.value = policy.content_hash
            tx.session.add(row)
            tx.audit("pii.policy.use", "pii_policy", policy.version,
                     {"hash": before} if before else None,
                     {"version": policy.version, "hash": policy.content_hash})
        return True

    def use_policy_file(self, path: str | Path) -> Policy:
        """Validate the YAML policy at ``path``, store it and put it in use. A bad file raises
        ``ValidationError`` naming the file and each bad field (or the YAML line) and changes
        nothing."""
        p = Path(path)
        if not p.is_file():
            raise ValidationError(Problem(p.name, "no such policy file"))
        pol = self.policy(p)
        self.use_policy(pol)
        return pol

    def known_people(self) -> list[str]:
        """Names the workspace knows: people, risk owners and everyone on the audit log."""
        names: set[str] = set()
        with self.ws.read() as s:
            for p in all_rows(s, Person):
                names.add(p.name)
            for e in all_rows(s, AuditEntry):
                names.update((e.display_name, e.os_user))
            for table, pk, cols in repo.text_tables():
                if table != "draft_risk":
                    continue
                for _key, vals in repo.text_cells(s, table, pk, cols):
                    data = as_json(vals.get("data") or "")
                    if isinstance(data, dict) and isinstance(data.get("owner"), str):
                        names.add(data["owner"])
        return sorted(n for n in names if n and len(n) >= 3 and any(c.isalpha() for c in n))

    def fields(self) -> Iterator[tuple[str, str]]:
        """``(field, text)`` for every free-text string in the workspace tables."""
        with self.ws.read() as s:
            cells = [(t, pk, key, vals) for t, pk, cols in repo.text_tables()
                     for key, vals in repo.text_cells(s, t, pk, cols)]
        for table, _pk, key, vals in cells:
            kid = "/".join(str(v) for v in key.values())
            for col, cell in vals.items():
                if not isinstance(cell, str) or not cell:
                    continue
                data = as_json(cell)
                base = f"{table}:{kid}.{col}"
                if data is None:
                    if worth_scanning(cell):
                        yield base, cell
                    continue
                for path, txt in walk_strings(data):
                    if worth_scanning(txt):
                        yield f"{base}.{path}", txt

    def scan(self, policy: Policy | None = None) -> ScanResult:
        """Detect PII in every free-text field and log the detections (audited, no text)."""
        gen = self.scan_steps(policy)
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]

    def scan_steps(self, policy: Policy | None = None
                   ) -> Generator[tuple[int, int], None, ScanResult]:
        """:meth:`scan` as a generator yielding (fields done, fields total) about every 50
        fields; closed early, it logs no detections."""
        from riskdesk.governance.pii.redact import redact_text
        from riskdesk.governance.policy import token_secret

        pol = policy or self.policy()
        self.register_policy(pol)
        people = self.known_people()
        secret = token_secret()
        res = ScanResult(uuid.uuid4().hex[:12], pol.version, 0)
        memo: dict[str, list[Detection]] = {}  # frozen versions repeat the draft's text
        fields = list(self.fields())
        yield 0, len(fields)
        for fld, text in fields:
            res.fields += 1
            if res.fields % 50 == 0:
                yield res.fields, len(fields)
            if text not in memo:
                memo[text] = redact_text(text, pol, known_people=people,
                                         secret=secret).detections
            res.detections += [replace(d, field=fld) for d in memo[text]]
        with self.ws.write() as tx:
            at = now()
            for d in res.detections:
                add(tx.session, PiiDetectionLog(scan_id=res.scan_id, at=at, field=d.field,
                                                entity_type=d.entity_type, start=d.start,
                                                end=d.end, score=d.score, action=d.action,
                                                policy_version=d.policy_version))
            tx.audit("pii.scan", "pii_scan", res.scan_id, None,
                     {"policy_version": pol.version, "fields": res.fields,
                      "counts": res.counts()})
        return res

    def detection_log(self, scan_id: str | None = None) -> list[PiiDetectionLog]:
        with self.ws.read() as s:
            sid = scan_id or repo.last_scan_id(s)
            return repo.detections(s, sid) if sid else []

    # ---- exports ----------------------------------------------------------------------------
    def redact_registry(self, registry: Any, policy: Policy | None = None) -> tuple[Any, int]:
        """A copy of ``registry`` with titles, descriptions and mitigations redacted and owners
        tokenized per policy; returns it and the number of fields changed."""
        from riskdesk.governance.pii.redact import redact_text
        from riskdesk.governance.policy import make_token, token_secret
        from riskdesk.governance.share import aliases_for

        pol = policy or self.policy()
        people = self.known_people()
        secret = token_secret()
        aliases = aliases_for(people)
        changed = 0
        risks = []
        for r in registry.risks:
            upd: dict[str, Any] = {}
            for attr in ("title", "description", "mitigation"):
                text = getattr(r, attr, "") or ""
                if text:
                    new = redact_text(text, pol, known_people=people, secret=secret).text
                    if new != text:
                        upd[attr] = new
            if r.owner and any(ch.isalpha() for ch in r.owner):
                upd["owner"] = make_token("PERSON", aliases.get(r.owner.casefold(), r.owner),
                                          secret)
            changed += len(upd)
            risks.append(r.with_(**upd) if upd else r)
        return registry.with_(risks=tuple(risks)), changed

    def export_registry_xlsx(self, registry: Any, path: str, reveal_reason: str = "",
                             policy: Policy | None = None) -> dict[str, Any]:
        """Write ``registry`` to Excel, redacted by default, with the audit chain head embedded.

        Original text is written only with a ``reveal_reason``, which is audited (who, when,
        why, which file) before the file is written."""
        from riskdesk.io.registry_excel import write_registry_xlsx
        from riskdesk.services.governance import GovernanceService

        reason = reveal_reason.strip()
        if reason:
            with self.ws.write() as tx:
                tx.audit("pii.reveal", "registry", registry.name, None,
                         {"reason": reason, "file": str(path).rsplit("/", 1)[-1]})
            out, changed = registry, 0
        else:
            out, changed = self.redact_registry(registry, policy)
        head = GovernanceService(self.ws).head(source="export")
        if str(path).lower().endswith(".json"):
            from riskdesk.io.registry_json import dump_registry_json

            dump_registry_json(out, path, exported={"chain_head": f"{head['seq']}:{head['hash']}",
                                                    "redacted": not reason})
        else:
            write_registry_xlsx(out, path, chain_head=f"{head['seq']}:{head['hash']}",
                                redacted=not reason)
        return {"file": str(path), "redacted": not reason, "fields_redacted": changed,
                "chain_head": head}

    def export_registry(self, registry: Any, path: str | Path, reveal_reason: str = "",
                        policy: Policy | None = None) -> dict[str, Any]:
        """Export ``registry`` to .xlsx or registry JSON (by suffix): redacted unless a reason
        to reveal the original text is given (the reason is audited); the chain head is embedded."""
        return self.export_registry_xlsx(registry, str(path), reveal_reason, policy)
