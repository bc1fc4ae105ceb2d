"""Baseline plan use cases: edit the draft, import/export, freeze versions, stages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from riskdesk.domain.baseline import PLAN_LINES, BaselinePlan
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import canonical_json
from riskdesk.services.registry import VersionInfo, now_utc
from riskdesk.services.workspace import Workspace
from riskdesk.storage.repos import baseline as repo
from riskdesk.storage.repos import registry as reg_repo
from riskdesk.storage.repos.common import Session, add
from riskdesk.storage.tables import BaselineRow, BaselineVersion


class BaselineService:
    """The baseline plan of a workspace (the first one unless ``name`` is given)."""

    def __init__(self, ws: Workspace, name: str | None = None) -> None:
        self.ws = ws
        self.name = name

    def _row(self, s: Session) -> BaselineRow:
        if self.name:
            row = repo.baseline_by_name(s, self.name)
        else:
            rows = repo.baselines(s)
            row = rows[0] if rows else None
        if row is None:
            raise ValidationError(Problem("baseline", "the workspace has no baseline plan yet; "
                                          "import one first"))
        return row

    def exists(self) -> bool:
        with self.ws.read() as s:
            return bool(repo.baseline_by_name(s, self.name) if self.name else repo.baselines(s))

    def draft(self) -> BaselinePlan:
        with self.ws.read() as s:
            return BaselinePlan.from_dict(json.loads(self._row(s).draft))

    def save_draft(self, plan: BaselinePlan, action: str = "baseline.update") -> None:
        """Replace the draft plan (validated first; nothing is written on failure)."""
        problems = plan.validate()
        if problems:
            raise ValidationError(problems)
        with self.ws.write() as tx:
            rows = repo.baselines(tx.session)
            row = (repo.baseline_by_name(tx.session, self.name) if self.name
                   else (rows[0] if rows else None))
            new = plan.to_dict()
            if row is None:
                row = add(tx.session, BaselineRow(name=plan.name, draft=canonical_json(new)))
                tx.audit("baseline.create", "baseline", plan.name, None, new)
            else:
                old = json.loads(row.draft)
                if old == json.loads(canonical_json(new)):
                    return
                row.draft = canonical_json(new)
                tx.session.add(row)
                tx.audit(action, "baseline", row.name, old, new)
            self.name = row.name

    def set_value(self, business_unit: str, line: str, month: int, value: float) -> float:
        """Set one plan cell; returns the previous value (for undo)."""
        if line not in PLAN_LINES:
            raise ValidationError(Problem(line, f"{line} is derived or unknown; edit one of "
                                          + ", ".join(PLAN_LINES)))
        plan = self.draft()
        if not 0 <= month < plan.months:
            raise ValidationError(Problem("month", f"month {month} outside 0..{plan.months - 1}"))
        vals = list(plan.lines.get((business_unit, line), (0.0,) * plan.months))
        old = vals[month]
        vals[month] = float(value)
        lines = dict(plan.lines)
        lines[(business_unit, line)] = tuple(vals)
        self.save_draft(plan.with_(lines=lines), action="baseline.edit")
        return old

    def versions(self) -> list[VersionInfo]:
        with self.ws.read() as s:
            return [_info(v) for v in repo.versions(s, _id(self._row(s)))]

    def _version_row(self, s: Session, number: int | None) -> BaselineVersion:
        vs = repo.versions(s, _id(self._row(s)))
        if not vs:
            raise ValidationError(Problem("baseline version", "the baseline has no frozen "
                                          "version yet; freeze one first"))
        if number is None:
            return vs[-1]
        for v in vs:
            if v.number == number:
                return v
        raise ValidationError(Problem("baseline version", f"baseline version {number} does not "
                                      f"exist (versions: {', '.join(str(v.number) for v in vs)})"))

    def version(self, number: int | None = None) -> BaselinePlan:
        with self.ws.read() as s:
            return BaselinePlan.from_dict(json.loads(self._version_row(s, number).content))

    def version_info(self, number: int | None = None) -> VersionInfo:
        with self.ws.read() as s:
            return _info(self._version_row(s, number))

    def freeze(self, comment: str = "") -> VersionInfo:
        plan = self.draft()
        with self.ws.write() as tx:
            row = self._row(tx.session)
            n = repo.next_version_number(tx.session, _id(row))
            v = add(tx.session, BaselineVersion(
                baseline_id=_id(row), number=n, content=canonical_json(plan.to_dict()),
                hash=plan.content_hash(), stage="draft", created_at=now_utc(),
                created_by=tx.actor.display_name, comment=comment))
            tx.audit("baseline.freeze", "baseline_version", f"{row.name}#{n}", None,
                     {"version": n, "hash": v.hash, "comment": comment,
                      "content": plan.to_dict()})
            return _info(v)

    def promote(self, number: int, to: str, comment: str = "") -> VersionInfo:
        """Move a plan version to stage ``to``; approval needs a valid plan."""
        from riskdesk.services.stages import move_stage, stage_key

        to = stage_key(to)
        with self.ws.write() as tx:
            v = self._version_row(tx.session, number)
            move_stage(tx, v, to, entity_type="baseline",
                       label=f"{self._row(tx.session).name}#{number}", comment=comment,
                       gates=lambda: BaselinePlan.from_dict(json.loads(v.content)).validate())
            return _info(v)

    def export_xlsx(self, path: str | Path, version: int | None = None) -> Path:
        """Write the draft (or a version) to Excel with the audit chain head embedded; audited."""
        from riskdesk.io.baseline_excel import write_baseline_xlsx
        from riskdesk.services.governance import GovernanceService

        plan = self.version(version) if version else self.draft()
        out = write_baseline_xlsx(plan, path, chain_head=GovernanceService(self.ws).stamp())
        with self.ws.write() as tx:
            tx.audit("baseline.export", "baseline", plan.name, None,
                     {"file": Path(path).name, "version": version, "hash": plan.content_hash()})
        return out

    def history(self, number: int) -> list[dict[str, Any]]:
        with self.ws.read() as s:
            v = self._version_row(s, number)
            return [{"from": t.from_stage, "to": t.to_stage, "who": t.who, "at": t.at,
                     "comment": t.comment} for t in reg_repo.transitions(s, "baseline", _id(v))]


def _info(v: BaselineVersion) -> VersionInfo:
    return VersionInfo(v.number, v.hash, v.stage, v.created_at, v.created_by, v.comment, 0)


def _id(row: Any) -> int:
    """The primary key of a stored row (always set once the row is flushed)."""
    assert row.id is not None
    return int(row.id)
