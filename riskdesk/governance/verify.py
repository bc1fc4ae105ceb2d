"""Verifying a workspace's audit chain and locating what is wrong.

Three checks, each finding located by sequence number or entity:

1. **The chain**: sequence gaps (deleted entries), entries whose HMAC does not match (edited),
   an entry whose successor does not link to it (inserted or replaced), entries linking to an
   entry other than their predecessor (reordered), and a run of entries to the head whose links
   are intact but whose HMACs all fail (history recomputed without this installation's key).
2. **Checkpoints** of the head kept outside the workspace: a checkpoint beyond the head means the
   tail was truncated; a checkpoint whose hash differs from the entry now at that sequence means
   history was rewritten.
3. **Audited tables**: the chain is replayed (``replay.py``) and the registry drafts, baselines,
   frozen versions, stages and people are compared with their last audited after-states; any
   difference is a change made without an audit entry.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from riskdesk.domain.registry import canonical_json
from riskdesk.governance import audit
from riskdesk.governance.checkpoints import Checkpoint
from riskdesk.storage.tables import AuditEntry


@dataclass(frozen=True)
class Issue:
    """One finding: ``kind``, where (``seq`` of the entry, ``entity`` of a table row) and why."""

    kind: str
    seq: int | None
    entity: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "seq": self.seq, "entity": self.entity,
                "message": self.message}


@dataclass
class VerifyReport:
    """What ``audit verify`` found. ``ok`` when there are no issues."""

    workspace_id: str
    entries: int
    head_seq: int
    head_hash: str
    checkpoints: int
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "workspace_id": self.workspace_id, "entries": self.entries,
                "head": {"seq": self.head_seq, "hash": self.head_hash},
                "checkpoints": self.checkpoints, "issues": [i.to_dict() for i in self.issues],
                "notes": self.notes}


def _plain_sha(e: AuditEntry) -> str:
    return hashlib.sha256(canonical_json(audit.entry_payload(e)).encode()).hexdigest()


def check_chain(entries: list[AuditEntry], key: bytes) -> list[Issue]:
    """Chain findings for ``entries`` in stored (sequence) order."""
    n = len(entries)
    issues: list[Issue] = []
    if not n:
        return issues
    mac_ok = [hmac.compare_digest(audit.entry_hash(e, key), e.hash) for e in entries]
    link_ok = [e.prev_hash == (entries[i - 1].hash if i else audit.GENESIS)
               for i, e in enumerate(entries)]
    index_of = {e.hash: i for i, e in enumerate(entries)}
    reported: set[int] = set()
    gap_before = [False] * n
    for i, e in enumerate(entries):
        expected = entries[i - 1].seq + 1 if i else 1
        if e.seq > expected:
            gap_before[i] = True
            what = (f"entry {expected} is" if e.seq - 1 == expected
                    else f"entries {expected}–{e.seq - 1} are")
            issues.append(Issue("deleted", expected, "", f"{what} missing (the chain jumps "
                                f"from {expected - 1} to {e.seq})"))
    for i, e in enumerate(entries):
        if link_ok[i] or gap_before[i]:
            continue
        j = index_of.get(e.prev_hash)
        if j is not None and j != i - 1:
            issues.append(Issue("reordered", e.seq, "", f"entry {e.seq} links to entry "
                                f"{entries[j].seq}, not to the entry before it"))
            reported.add(e.seq)
        elif i and not mac_ok[i - 1]:
            continue  # the predecessor was inserted or replaced; reported below
        else:
            issues.append(Issue("broken_link", e.seq, "", f"entry {e.seq} does not link to "
                                "the entry before it (an entry was removed or replaced)"))
    # a run of failing HMACs up to the head with intact links: recomputed without the key
    k = n
    while k > 0 and not mac_ok[k - 1]:
        k -= 1
    run = range(k, n)
    if len(run) >= 2 and all(link_ok[i] for i in range(k + 1, n)):
        plain = all(_plain_sha(entries[i]) == entries[i].hash for i in run)
        how = " as plain SHA-256" if plain else " with another key"
        if k == 0 and not plain:
            msg = (f"all {n} entries fail this installation's audit key while their links are "
                   "intact: the workspace was written on another installation (its key is "
                   "needed to verify it), or its whole history was recomputed")
        else:
            msg = (f"entries {entries[k].seq}–{entries[-1].seq} were re-hashed{how}: history "
                   "rewritten without this installation's audit key")
        issues.append(Issue("rehashed", entries[k].seq, "", msg))
        reported.update(entries[i].seq for i in run)
    for i, e in enumerate(entries):
        if mac_ok[i] or e.seq in reported:
            continue
        nxt_broken = i + 1 < n and not link_ok[i + 1] and not gap_before[i + 1]
        if nxt_broken or (i == n - 1 and not link_ok[i]):
            issues.append(Issue("inserted", e.seq, f"{e.entity_type} {e.entity_id}",
                                f"entry {e.seq} ({e.action}) is not part of the original chain: "
                                "inserted or replaced"))
        else:
            issues.append(Issue("edited", e.seq, f"{e.entity_type} {e.entity_id}",
                                f"entry {e.seq} ({e.action} {e.entity_type} {e.entity_id}) "
                                "does not match its hash: edited after it was written"))
    return sorted(issues, key=lambda x: (x.seq or 0, x.kind))


def check_checkpoints(entries: list[AuditEntry], checkpoints: list[Checkpoint]) -> list[Issue]:
    """Truncated tails and rewritten history, from checkpoints kept outside the workspace."""
    head = entries[-1].seq if entries else 0
    by_seq = {e.seq: e for e in entries}
    issues = []
    beyond = [c for c in checkpoints if c.seq > head]
    if beyond:
        top = max(beyond, key=lambda c: c.seq)
        issues.append(Issue("truncated", head + 1, "", f"a checkpoint of {top.at or 'earlier'} "
                            f"({top.source}) saw entry {top.seq}, but the chain now ends at "
                            f"{head}: entries {head + 1}–{top.seq} were removed"))
    seen: set[int] = set()
    for c in checkpoints:
        e = by_seq.get(c.seq)
        if e is not None and e.hash != c.hash and c.seq not in seen:
            seen.add(c.seq)
            issues.append(Issue("rewritten", c.seq, "", f"entry {c.seq} differs from the "
                                f"checkpoint of {c.at or 'earlier'} ({c.source}): history "
                                "was rewritten"))
    return issues
