"""Lineage: what a run was made of, and which runs used a risk.

From a run: the registry and baseline versions it simulated (number, hash, stage and every
approval step), any price-deck versions its settings name, and the elicitation sessions whose
pooled results were applied to its risks before it ran. From a risk: the frozen registry
versions that contain it, the elicitation results applied to it and the runs that simulated it.
Runs are read from the runs tables when that part of the workspace exists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from riskdesk.storage.repos.common import all_rows
from riskdesk.storage.tables import (
    BaselineRow,
    BaselineVersion,
    RegistryRow,
    RegistryVersion,
    StageTransition,
)
from riskdesk.storage.tables.elicitation import ElicitationResult, ElicitationSession

if TYPE_CHECKING:
    from riskdesk.services.workspace import Workspace


def _run_model() -> Any:
    try:
        from riskdesk.storage.tables.runs import RunRecord
    except ImportError:  # runs not part of this build yet
        return None
    return RunRecord


@dataclass
class VersionRef:
    """A frozen input version and its approval history (``from``, ``to``, ``who``, ``at``)."""

    kind: str
    name: str
    number: int | None
    hash: str
    stage: str
    approvals: list[dict[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        num = f"#{self.number}" if self.number is not None else " (unfrozen draft)"
        return f"{self.kind} {self.name}{num}"


@dataclass
class RunLineage:
    run_id: int
    label: str
    created_at: str
    created_by: str
    inputs: list[VersionRef] = field(default_factory=list)
    elicitations: list[dict[str, Any]] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)


def _approvals(s: Any, kind: str, version_id: int | None) -> list[dict[str, str]]:
    if version_id is None:
        return []
    return [{"from": t.from_stage, "to": t.to_stage, "who": t.who, "at": t.at,
             "comment": t.comment}
            for t in all_rows(s, StageTransition, order_by="id", entity_type=kind,
                              version_id=version_id)]


def _version(s: Any, kind: str, name: str | None, number: int | None, hash_: str | None
             ) -> VersionRef | None:
    if not name:
        return None
    parent: Any
    model: Any
    parent, model, fk = ((RegistryRow, RegistryVersion, "registry_id") if kind == "registry"
                         else (BaselineRow, BaselineVersion, "baseline_id"))
    row = next(iter(all_rows(s, parent, name=name)), None)
    vs = all_rows(s, model, **{fk: row.id}) if row is not None else []
    v = next((x for x in vs if number is not None and x.number == number), None) or \
        next((x for x in vs if x.hash == hash_), None)
    if v is None:
        return VersionRef(kind, name, number, hash_ or "", "draft")
    return VersionRef(kind, name, v.number, v.hash, v.stage, _approvals(s, kind, v.id))


def _results(s: Any, risk_ids: set[str] | None, before: str | None = None) -> list[dict[str, Any]]:
    sessions = {x.id: x.name for x in all_rows(s, ElicitationSession)}
    out = []
    for r in all_rows(s, ElicitationResult, order_by="id"):
        if risk_ids is not None and r.risk_id not in risk_ids:
            continue
        if before and r.created_at > before:
            continue
        out.append({"session_id": r.session_id, "session": sessions.get(r.session_id, ""),
                    "risk_id": r.risk_id, "parameter": r.parameter, "method": r.method,
                    "applied_at": r.created_at, "applied_by": r.created_by})
    return out


def _risk_ids(content: str | None) -> list[str]:
    try:
        d = json.loads(content or "{}")
    except json.JSONDecodeError:
        return []
    return [str(r.get("id")) for r in d.get("risks", []) if isinstance(r, dict)]


def runs(ws: Workspace) -> list[dict[str, Any]]:
    """Every stored run, newest first: id, label, when, who, registry and baseline names."""
    model = _run_model()
    if model is None:
        return []
    with ws.read() as s:
        recs = all_rows(s, model, order_by="-id")
        return [{"id": r.id, "label": r.label, "created_at": r.created_at,
                 "created_by": r.created_by, "registry": r.registry_name,
                 "registry_version": r.registry_version, "baseline": r.baseline_name,
                 "baseline_version": r.baseline_version} for r in recs]


def run_lineage(ws: Workspace, run_id: int) -> RunLineage:
    """The inputs, approvals and elicitations behind run ``run_id`` (KeyError if unknown)."""
    model = _run_model()
    if model is None:
        raise KeyError(run_id)
    with ws.read() as s:
        rec = s.get(model, run_id)
        if rec is None:
            raise KeyError(run_id)
        lin = RunLineage(run_id, rec.label, rec.created_at, rec.created_by)
        for ref in (_version(s, "registry", rec.registry_name, rec.registry_version,
                             rec.registry_hash),
                    _version(s, "baseline", rec.baseline_name, rec.baseline_version,
                             rec.baseline_hash)):
            if ref is not None:
                lin.inputs.append(ref)
        lin.inputs += _decks(s, rec.manifest)
        lin.risks = _risk_ids(rec.registry_content)
        lin.elicitations = _results(s, set(lin.risks), before=rec.created_at)
        return lin


def _decks(s: Any, manifest: str | None) -> list[VersionRef]:
    """The price deck version a run's manifest names (``price_deck``: name, version, hash)."""
    try:
        m = json.loads(manifest or "{}")
    except json.JSONDecodeError:
        return []
    d = m.get("price_deck") if isinstance(m, dict) else None
    if not isinstance(d, dict) or not d.get("name"):
        return []
    from riskdesk.storage.tables.decks import DeckRow, DeckVersion

    row = next(iter(all_rows(s, DeckRow, name=d["name"])), None)
    vs = all_rows(s, DeckVersion, deck_id=row.id) if row is not None else []
    v = next((x for x in vs if x.number == d.get("version")), None)
    if v is None:
        return [VersionRef("deck", str(d["name"]), d.get("version"), str(d.get("hash", "")),
                           "unknown")]
    return [VersionRef("deck", str(d["name"]), v.number, v.hash, v.stage,
                       _approvals(s, "deck", v.id))]


def risk_lineage(ws: Workspace, risk_id: str) -> dict[str, Any]:
    """Registry versions holding ``risk_id``, elicitation results applied to it, runs using it."""
    model = _run_model()
    with ws.read() as s:
        names = {r.id: r.name for r in all_rows(s, RegistryRow)}
        versions = [{"registry": names.get(v.registry_id), "number": v.number,
                     "stage": v.stage, "hash": v.hash}
                    for v in all_rows(s, RegistryVersion, order_by="id")
                    if risk_id in _risk_ids(v.content)]
        used = [] if model is None else [
            {"id": r.id, "label": r.label, "created_at": r.created_at,
             "registry": r.registry_name, "registry_version": r.registry_version}
            for r in all_rows(s, model, order_by="-id") if risk_id in _risk_ids(r.registry_content)]
        return {"risk_id": risk_id, "registry_versions": versions,
                "elicitations": _results(s, {risk_id}), "runs": used}
