"""Excalibur ``.dtt``/``.rls`` files: a new session from a pair, a session written as a pair
(part of :class:`~riskdesk.services.elicitation.ElicitationService`)."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from riskdesk.services.elicitation_questions import QuestionSpec, new_question, now_utc
from riskdesk.services.workspace import Workspace
from riskdesk.storage.repos.common import add
from riskdesk.storage.tables.elicitation import (
    ElicitationAnswer,
    ElicitationExpert,
    ElicitationSession,
)

if TYPE_CHECKING:
    from riskdesk.elicitation.cooke import Panel
    from riskdesk.services.elicitation import SessionInfo
    from riskdesk.storage.tables.elicitation import ElicitationQuestion


class ExcaliburUseCases:
    """Import and export of Excalibur cases."""

    ws: Workspace
    if TYPE_CHECKING:  # provided by ElicitationService
        def panel(self, sid: int) -> Panel: ...
        def questions(self, sid: int) -> list[ElicitationQuestion]: ...
        def session(self, sid: int) -> SessionInfo: ...

    def import_excalibur(self, dtt: str | Path, rls: str | Path, name: str | None = None) -> int:
        """A new session from an Excalibur ``.dtt``/``.rls`` pair (experts kept as labels)."""
        from riskdesk.io.excalibur import load_case

        case = load_case(dtt, rls)
        with self.ws.write() as tx:
            row = add(tx.session, ElicitationSession(
                name=name or case.name, levels=json.dumps([float(x) for x in case.levels]),
                source=f"excalibur:{Path(dtt).name}", created_at=now_utc(),
                updated_at=now_utc()))
            assert row.id is not None
            ex = [add(tx.session, ElicitationExpert(session_id=row.id, label=e, position=k))
                  for k, e in enumerate(case.experts)]
            qs = []
            for i, code in enumerate(case.items):
                r = float(case.realisations[i])
                qs.append(new_question(tx.session, row.id, i, QuestionSpec(
                    code=code, text=case.descriptions[i] if case.descriptions else "",
                    scale=case.scales[i], realisation=None if math.isnan(r) else r)))
            for e, x in enumerate(ex):
                for i, q in enumerate(qs):
                    v = case.values[e, i]
                    if not np.isnan(v).any():
                        add(tx.session, ElicitationAnswer(
                            session_id=row.id, question_id=int(q.id or 0), expert_id=int(x.id or 0),
                            values=json.dumps([float(t) for t in v]), updated_at=now_utc()))
            tx.audit("elicitation.import", "elicitation_session", row.id, None,
                     {"name": row.name, "files": {p.name: hashlib.sha256(p.read_bytes())
                                                  .hexdigest() for p in (Path(dtt), Path(rls))},
                      "experts": list(case.experts), "items": len(case.items),
                      "seeds": len(case.seed_items)})
            return row.id

    def export_excalibur(self, sid: int, dtt: str | Path, rls: str | Path) -> None:
        """Write the session as an Excalibur ``.dtt``/``.rls`` pair."""
        from riskdesk.io.excalibur import ExcaliburCase, write_case

        p = self.panel(sid)
        qs = self.questions(sid)
        write_case(ExcaliburCase(self.session(sid).name, p.experts, p.items, p.levels, p.values,
                                 p.realisations, tuple(q.scale for q in qs),
                                 tuple(q.text for q in qs)), dtt, rls)
