"""Moving a frozen version (registry, baseline, deck) between review stages, one way for all.

The rules (``domain.registry.TRANSITIONS``), the data-quality gate on approval, the recorded
transition (who, when, comment) and the audit entry are the same whatever the version holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import STAGE_LABELS, TRANSITIONS
from riskdesk.storage.repos.common import add
from riskdesk.storage.tables import StageTransition


def stage_key(to: str) -> str:
    """``"In review"`` / ``in-review`` → ``in_review``; ValidationError for an unknown stage."""
    key = to.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in STAGE_LABELS:
        raise ValidationError(Problem("stage", f"unknown stage {to!r}; expected one of "
                                      + ", ".join(STAGE_LABELS)))
    return key


def move_stage(tx: Any, version: Any, to: str, *, entity_type: str, label: str,
               gates: Callable[[], list[Problem]], comment: str = "") -> str:
    """Move ``version`` (a stored row with ``id`` and ``stage``) to stage ``to`` inside ``tx``.

    ``label`` names the version for people and the audit log (``"Plan#2"``); ``gates`` lists the
    data-quality problems that refuse an approval. Returns the stage it came from."""
    from riskdesk.services.registry import now_utc

    to = stage_key(to)
    if to not in TRANSITIONS[version.stage]:
        allowed = ", ".join(STAGE_LABELS[s] for s in TRANSITIONS[version.stage]) or "none"
        raise ValidationError(Problem("stage", f"{label} is {STAGE_LABELS[version.stage]}; it "
                                      f"can move to: {allowed}"))
    if to == "approved":
        problems = gates()
        if problems:
            raise ValidationError([Problem("approval refused", f"{len(problems)} data-quality "
                                           "gate(s) fail")] + problems)
    frm, version.stage = version.stage, to
    tx.session.add(version)
    assert version.id is not None
    add(tx.session, StageTransition(entity_type=entity_type, version_id=version.id,
                                    from_stage=frm, to_stage=to, who=tx.actor.display_name,
                                    at=now_utc(), comment=comment))
    tx.audit(f"{entity_type}.promote", f"{entity_type}_version", label, {"stage": frm},
             {"stage": to, "comment": comment})
    return frm
