"""The hash-chained audit log: append entries in the writer's transaction, verify the chain.

Entry hash = HMAC-SHA-256(key, canonical JSON of the entry without its own hash, including the
previous entry's hash). The key is per installation, kept outside the workspace in the user config
directory (created on first use), so a history rewritten without the key is detectable.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from riskdesk.domain.registry import canonical_json
from riskdesk.paths import config_dir, write_private
from riskdesk.storage.repos import audit as audit_repo
from riskdesk.storage.repos.common import Session, add
from riskdesk.storage.tables import AuditEntry

GENESIS = "0" * 64
KEY_FILE = "audit.key"


def audit_key() -> bytes:
    """This installation's audit key (32 random bytes), created on first use."""
    path = config_dir() / KEY_FILE
    if not path.exists():
        try:
            write_private(path, secrets.token_hex(32).encode())
        except FileExistsError:
            pass
    return bytes.fromhex(path.read_text().strip())


@dataclass(frozen=True)
class Actor:
    """Who makes a change: OS user and display name."""

    os_user: str
    display_name: str

    @classmethod
    def current(cls) -> Actor:
        try:
            user = getpass.getuser()
        except Exception:  # pragma: no cover - no user database (containers)
            user = os.environ.get("USER", "unknown")
        return cls(user, os.environ.get("RISKDESK_DISPLAY_NAME", user))


def json_diff(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """Flat list of changes ``{"path", "before", "after"}`` between two JSON values."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[dict[str, Any]] = []
        for k in sorted(set(before) | set(after), key=str):
            p = f"{path}.{k}" if path else str(k)
            if k not in before:
                out.append({"path": p, "before": None, "after": after[k]})
            elif k not in after:
                out.append({"path": p, "before": before[k], "after": None})
            else:
                out += json_diff(before[k], after[k], p)
        return out
    if before != after:
        return [{"path": path or "$", "before": before, "after": after}]
    return []


def entry_payload(e: AuditEntry) -> dict[str, Any]:
    """The fields covered by the entry's hash (everything but the hash itself)."""
    return {"seq": e.seq, "at": e.at, "os_user": e.os_user, "display_name": e.display_name,
            "action": e.action, "entity_type": e.entity_type, "entity_id": e.entity_id,
            "before": e.before, "after": e.after, "diff": e.diff, "prev_hash": e.prev_hash}


def entry_hash(e: AuditEntry, key: bytes) -> str:
    return hmac.new(key, canonical_json(entry_payload(e)).encode(), hashlib.sha256).hexdigest()


def head(session: Session) -> AuditEntry | None:
    return audit_repo.last_entry(session)


def entries(session: Session, entity_type: str | None = None,
            entity_id: str | None = None) -> list[AuditEntry]:
    return audit_repo.entries(session, entity_type, entity_id)


def append(session: Session, actor: Actor, action: str, entity_type: str, entity_id: str,
           before: Any = None, after: Any = None, key: bytes | None = None) -> AuditEntry:
    """Append one entry in ``session``'s (write) transaction and return it."""
    last = head(session)
    b = canonical_json(before)
    a = canonical_json(after)
    e = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
        os_user=actor.os_user, display_name=actor.display_name, action=action,
        entity_type=entity_type, entity_id=str(entity_id), before=b, after=a,
        diff=canonical_json(json_diff(before, after)),
        prev_hash=last.hash if last else GENESIS, hash="",
    )
    e.hash = entry_hash(e, key or audit_key())
    return add(session, e)


@dataclass(frozen=True)
class Finding:
    """Something wrong with the chain, located by sequence number."""

    seq: int
    kind: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "message": self.message}


def verify_entries(entries: list[AuditEntry], key: bytes | None = None) -> list[Finding]:
    """Check sequence continuity, the prev-hash links and each entry's HMAC."""
    key = key or audit_key()
    out: list[Finding] = []
    prev_hash = GENESIS
    expected = 1
    for e in entries:
        if e.seq != expected:
            kind = "deleted" if e.seq > expected else "reordered"
            out.append(Finding(expected, kind, f"expected entry {expected}, found {e.seq}"
                               + (f" ({e.seq - expected} missing)" if e.seq > expected else "")))
        if e.prev_hash != prev_hash:
            out.append(Finding(e.seq, "broken_link",
                               f"entry {e.seq} does not link to the entry before it"))
        if not hmac.compare_digest(entry_hash(e, key), e.hash):
            out.append(Finding(e.seq, "edited", f"entry {e.seq} ({e.action} {e.entity_type} "
                               f"{e.entity_id}) does not match its hash: edited, or written "
                               f"without this installation's key"))
        prev_hash = e.hash
        expected = e.seq + 1
    return out


def load_json(text: str) -> Any:
    return json.loads(text) if text else None
