"""Replay the audit chain into the after-states it vouches for, and compare them with the
tables: a difference is a change made without an audit entry.

Covered: registry draft risks, baseline drafts, frozen registry, baseline and price-deck
versions (content, hash and stage), asset definitions (with their default deck), expert answers
(values and rationale) and people. ``share.snapshot`` entries (written into a redacted copy) count as
the audited state of what they name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from riskdesk.domain.registry import canonical_json
from riskdesk.governance.verify import Issue
from riskdesk.storage.repos.common import Session, all_rows
from riskdesk.storage.tables import (
    AuditEntry,
    BaselineRow,
    BaselineVersion,
    DraftRisk,
    Person,
    RegistryRow,
    RegistryVersion,
)
from riskdesk.storage.tables.decks import AssetRow, DeckRow, DeckVersion
from riskdesk.storage.tables.elicitation import (
    ElicitationAnswer,
    ElicitationExpert,
    ElicitationQuestion,
)

_GONE = object()


@dataclass
class Replayed:
    """Last audited state per entity, and the sequence number that set it."""

    risks: dict[str, Any] = field(default_factory=dict)
    baselines: dict[str, Any] = field(default_factory=dict)
    assets: dict[str, Any] = field(default_factory=dict)  # name -> {"deck": ..., **content}
    versions: dict[str, dict[str, Any]] = field(default_factory=dict)  # "registry_version x#1"
    people: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)  # "session/question/expert"
    seq: dict[str, int] = field(default_factory=dict)


def _load(text: str) -> Any:
    return json.loads(text) if text else None


def replay(entries: list[AuditEntry]) -> Replayed:
    """Fold the chain's after-states, oldest first."""
    st = Replayed()
    for e in entries:
        try:
            before, after = _load(e.before), _load(e.after)
        except json.JSONDecodeError:
            continue  # an edited entry; the chain check reports it
        et, eid = e.entity_type, e.entity_id
        if e.action == "registry.create" and isinstance(after, dict):
            for r in after.get("risks", []) or []:
                if isinstance(r, dict) and "id" in r:
                    st.risks[str(r["id"])] = r
                    st.seq[f"risk {r['id']}"] = e.seq
        elif et == "risk":
            if e.action == "risk.rename" and isinstance(before, dict) and before.get("id") != eid:
                st.risks[str(before.get("id"))] = None
            st.risks[eid] = after
            st.seq[f"risk {eid}"] = e.seq
        elif et == "baseline" and isinstance(after, dict):
            st.baselines[eid] = after
            st.seq[f"baseline {eid}"] = e.seq
        elif et == "asset":
            st.assets[eid] = after if isinstance(after, dict) else None
            st.seq[f"asset {eid}"] = e.seq
        elif et == "elicitation_answer" and isinstance(after, dict):
            st.answers[eid] = after
            st.seq[f"answer {eid}"] = e.seq
        elif et == "person" and isinstance(after, dict):
            st.people[eid] = after
            st.seq[f"person {eid}"] = e.seq
        elif et.endswith("_version") and isinstance(after, dict):
            key = f"{et} {eid}"
            if "content" in after:  # freeze or snapshot
                st.versions[key] = {"hash": after.get("hash"), "content": after.get("content"),
                                    "stage": after.get("stage", "draft")}
            elif "stage" in after and key in st.versions:
                st.versions[key]["stage"] = after["stage"]
            st.seq[key] = e.seq
    return st


def _same(a: Any, b: Any) -> bool:
    return canonical_json(a) == canonical_json(b)


def compare(session: Session, st: Replayed) -> list[Issue]:
    """Table rows that differ from the replayed audited state."""
    issues: list[Issue] = []

    unaudited: dict[str, list[str]] = {}

    def differ(entity: str, what: str) -> None:
        s = st.seq.get(entity)
        if s is None:  # grouped below: a deleted entry can leave many of these
            unaudited.setdefault(what, []).append(entity)
            return
        issues.append(Issue("unaudited_change", s, entity,
                            f"{what} (last audited in entry {s})"))

    drafts = all_rows(session, DraftRisk)
    counts: dict[str, int] = {}
    for d in drafts:
        counts[d.risk_id] = counts.get(d.risk_id, 0) + 1
    for d in drafts:
        if counts[d.risk_id] > 1:
            continue  # the same id in two registries: the chain cannot tell them apart
        want = st.risks.get(d.risk_id, _GONE)
        if want is _GONE or want is None:
            differ(f"risk {d.risk_id}", "present in the draft but never added through an "
                   "audited change")
        elif not _same(json.loads(d.data), want):
            differ(f"risk {d.risk_id}", "draft content differs from its last audited state")
    present = {d.risk_id for d in drafts}
    for rid, want in st.risks.items():
        if want is not None and rid not in present:
            differ(f"risk {rid}", "removed from the draft without an audit entry")
    for b in all_rows(session, BaselineRow):
        want = st.baselines.get(b.name, _GONE)
        if want is _GONE:
            differ(f"baseline {b.name}", "present but never created through an audited change")
        elif not _same(json.loads(b.draft), want):
            differ(f"baseline {b.name}", "draft plan differs from its last audited state")
    _compare_assets(session, st, differ)
    names = {r.id: r.name for r in all_rows(session, RegistryRow)}
    bnames = {r.id: r.name for r in all_rows(session, BaselineRow)}
    rows: list[tuple[str, Any]] = [(f"registry_version {names.get(v.registry_id)}#{v.number}", v)
                                   for v in all_rows(session, RegistryVersion)]
    rows += [(f"baseline_version {bnames.get(v.baseline_id)}#{v.number}", v)
             for v in all_rows(session, BaselineVersion)]
    dnames = {r.id: r.name for r in all_rows(session, DeckRow)}
    rows += [(f"deck_version {dnames.get(v.deck_id)}#{v.number}", v)
             for v in all_rows(session, DeckVersion)]
    for key, v in rows:
        want = st.versions.get(key)
        if want is None:
            differ(key, "frozen version without an audited freeze")
            continue
        if v.hash != want["hash"]:
            differ(key, "content hash differs from the audited freeze")
        elif not _same(json.loads(v.content), want["content"]):
            differ(key, "frozen content differs from the audited freeze")
        if v.stage != want["stage"]:
            differ(key, f"stage is '{v.stage}' but the last audited stage is '{want['stage']}'")
    for p in all_rows(session, Person):
        want = st.people.get(str(p.id))
        if want is None:
            continue  # people added before auditing covered them
        have = p.model_dump(exclude={"id"})
        if any(have.get(k) != want.get(k) for k in want):
            differ(f"person {p.id}", "details differ from their audited state")
    _compare_answers(session, st, issues)
    for what, ents in unaudited.items():
        if len(ents) <= 3:
            issues += [Issue("unaudited_change", None, e, f"{what} (no audit entry at all)")
                       for e in ents]
        else:
            shown = ", ".join(ents[:5]) + (", …" if len(ents) > 5 else "")
            issues.append(Issue("unaudited_change", None, f"{len(ents)} rows",
                                f"{what}, with no audit entry at all: {shown}"))
    return issues


def _compare_assets(session: Session, st: Replayed, differ: Any) -> None:
    """Asset definitions (content and default deck) against their last audited state."""
    present = set()
    for a in all_rows(session, AssetRow):
        present.add(a.name)
        want = st.assets.get(a.name, _GONE)
        if want is _GONE or want is None:
            differ(f"asset {a.name}", "asset present but never saved through an audited change")
            continue
        want = dict(want)
        deck = want.pop("deck", a.deck)
        if deck != a.deck or not _same(json.loads(a.content), want):
            differ(f"asset {a.name}", "asset definition differs from its last audited state")
    for name, want in st.assets.items():
        if want is not None and name not in present:
            differ(f"asset {name}", "asset removed without an audit entry")


def _compare_answers(session: Session, st: Replayed, issues: list[Issue]) -> None:
    """Expert answers that differ from their last audited values or rationale. Answers with no
    entry of their own (imported with a session) are not compared."""
    codes = {q.id: q.code for q in all_rows(session, ElicitationQuestion)}
    labels = {x.id: x.label for x in all_rows(session, ElicitationExpert)}
    for a in all_rows(session, ElicitationAnswer):
        key = f"{a.session_id}/{codes.get(a.question_id)}/{labels.get(a.expert_id)}"
        want = st.answers.get(key)
        if want is None:
            continue
        try:
            have = [float(v) for v in json.loads(a.values)]
        except (json.JSONDecodeError, TypeError, ValueError):
            have = None
        if have != [float(v) for v in want.get("values", [])] or \
                a.rationale != want.get("rationale", a.rationale):
            s = st.seq.get(f"answer {key}")
            issues.append(Issue("unaudited_change", s, f"answer {key}", "expert answer "
                                f"differs from its audited values (last audited in entry {s})"))
