"""Redacting every free-text cell of a workspace copy for "Share a copy".

Works on an open storage session of the *copy*: each text column (JSON strings walked one by
one) goes through the policy; columns and JSON keys that name a person (owner, created_by, who,
the people table) are tokenized as PERSON whatever the detector says, with the same keyed token
the free text gets, so a person keeps one token across the copy. The change list names table,
row, column, JSON path and entity types, never the original text.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from riskdesk.domain.registry import canonical_json
from riskdesk.governance.pii.redact import redact_text
from riskdesk.governance.policy import Policy, make_token, normalise
from riskdesk.storage.repos import governance as repo
from riskdesk.storage.repos.common import Session

PERSON_KEYS = frozenset({"owner", "created_by", "who", "facilitator", "approver", "expert",
                         "display_name", "reviewer", "assignee"})
PERSON_COLUMNS = frozenset({("person", "name"), ("elicitation_session", "facilitator"),
                            ("elicitation_expert", "label"), ("registry_version", "created_by"),
                            ("baseline_version", "created_by"), ("deck_version", "created_by"),
                            ("stage_transition", "who"), ("elicitation_result", "created_by")})
EMAIL_COLUMNS = frozenset({("person", "email")})
KEEP_TABLES = frozenset({"workspace_meta"})


@dataclass
class ShareChanges:
    """What the redaction changed: one item per changed string, and totals per type/action."""

    items: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {"changed_strings": len(self.items),
                "entities": [{"type": t, "action": a, "count": n}
                             for (t, a), n in sorted(self.counts.items())],
                "changes": self.items}


def aliases_for(people: Iterable[str]) -> dict[str, str]:
    """Surname-alone and given-name-alone forms that belong to exactly one known full name."""
    seen: dict[str, set[str]] = {}
    for name in people:
        parts = name.split()
        if len(parts) < 2:
            continue
        for part in (parts[0], parts[-1]):
            seen.setdefault(normalise("PERSON", part), set()).add(name)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def as_json(cell: str) -> Any | None:
    s = cell.lstrip()
    if not s or s[0] not in "[{":
        return None
    try:
        return json.loads(cell)
    except json.JSONDecodeError:
        return None


class _Redactor:
    def __init__(self, policy: Policy, secret: bytes, people: list[str]) -> None:
        self.policy, self.secret, self.people = policy, secret, people
        self.aliases = aliases_for(people)
        self.changes = ShareChanges()
        self.memo: dict[str, tuple[str, list[tuple[str, str]]]] = {}  # versions repeat text

    def person(self, where: str, value: str) -> str:
        if not any(ch.isalpha() for ch in value):
            return value
        full = self.aliases.get(normalise("PERSON", value), value)
        self._note(where, [("PERSON", "tokenize")])
        return make_token("PERSON", full, self.secret)

    def text(self, where: str, value: str) -> str:
        if len(value) < 3 or not any(ch.isalpha() for ch in value):
            return value
        if value not in self.memo:
            red = redact_text(value, self.policy, known_people=self.people,
                              secret=self.secret, aliases=self.aliases)
            self.memo[value] = (red.text, [(d.entity_type, d.action) for d in red.detections
                                           if d.action != "pass"])
        new, acted = self.memo[value]
        if acted and new != value:
            self._note(where, acted)
            return new
        return value

    def _note(self, where: str, acted: list[tuple[str, str]]) -> None:
        self.changes.items.append({"field": where,
                                   "entities": [{"type": t, "action": a} for t, a in acted]})
        self.changes.counts.update(acted)


def redact_session(session: Session, policy: Policy, secret: bytes,
                   people: list[str]) -> ShareChanges:
    """Redact every free-text cell reachable through ``session`` in place."""
    r = _Redactor(policy, secret, people)
    for table, pk, cols in repo.text_tables():
        if table in KEEP_TABLES:
            continue
        for key, vals in repo.text_cells(session, table, pk, cols):
            kid = "/".join(str(v) for v in key.values())
            new_vals: dict[str, Any] = {}
            for col, cell in vals.items():
                if not isinstance(cell, str) or not cell:
                    continue
                where = f"{table}:{kid}.{col}"
                if (table, col) in PERSON_COLUMNS:
                    new = r.person(where, cell)
                elif (table, col) in EMAIL_COLUMNS:
                    new = make_token("EMAIL_ADDRESS", cell, secret) if "@" in cell else cell
                    if new != cell:
                        r._note(where, [("EMAIL_ADDRESS", "tokenize")])
                else:
                    data = as_json(cell)
                    if data is None:
                        new = r.text(where, cell)
                    else:
                        red = _map(data, lambda p, s, w=where: (
                            r.person(f"{w}.{p}", s) if p.rsplit(".", 1)[-1] in PERSON_KEYS
                            else r.text(f"{w}.{p}", s)))
                        new = cell if red == data else canonical_json(red)
                if new != cell:
                    new_vals[col] = new
            if new_vals:
                repo.update_cells(session, table, key, new_vals)
    return r.changes


def _map(value: Any, fn: Any, path: str = "") -> Any:
    if isinstance(value, str):
        return fn(path, value)
    if isinstance(value, dict):
        return {k: _map(v, fn, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_map(v, fn, f"{path}[{i}]") for i, v in enumerate(value)]
    return value
