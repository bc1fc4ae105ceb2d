"""Qualitative risks: the workspace's risk matrix and the conversion of a qualitative draft risk
into quantitative parameters through it (part of :class:`~riskdesk.services.elicitation.
ElicitationService`)."""

from __future__ import annotations

import json

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import canonical_json
from riskdesk.domain.risk import Risk
from riskdesk.elicitation.matrix import RiskMatrix
from riskdesk.services.workspace import Workspace
from riskdesk.storage.repos import registry as reg_repo
from riskdesk.storage.repos.common import get
from riskdesk.storage.tables import WorkspaceMeta

MATRIX_KEY = "risk_matrix"


class QualitativeUseCases:
    """The risk matrix (stored in the workspace, audited) and qualitative → quantitative."""

    ws: Workspace

    def matrix(self) -> RiskMatrix:
        with self.ws.read() as s:
            row = get(s, WorkspaceMeta, MATRIX_KEY)
        return RiskMatrix.from_dict(json.loads(row.value)) if row else RiskMatrix()

    def set_matrix(self, m: RiskMatrix) -> None:
        probs = m.problems()
        if probs:
            raise ValidationError(probs)
        with self.ws.write() as tx:
            row = get(tx.session, WorkspaceMeta, MATRIX_KEY)
            before = json.loads(row.value) if row else None
            if row is None:
                row = WorkspaceMeta(key=MATRIX_KEY, value="")
            row.value = canonical_json(m.to_dict())
            tx.session.add(row)
            tx.audit("matrix.update", "risk_matrix", m.version, before, m.to_dict())

    def convert_qualitative(self, risk_id: str, impact_method: str = "pert",
                            probability_method: str = "midpoint", sign: float = -1.0,
                            registry: str | None = None) -> Risk:
        """Give a qualitative draft risk quantitative parameters from the risk matrix."""
        m = self.matrix()
        with self.ws.write() as tx:
            rows = reg_repo.registries(tx.session) if registry is None else \
                [r for r in [reg_repo.registry_by_name(tx.session, registry)] if r]
            if not rows or rows[0].id is None:
                raise ValidationError(Problem("registry", "no registry in the workspace"))
            d = reg_repo.draft_risk(tx.session, rows[0].id, risk_id)
            if d is None:
                raise ValidationError(Problem(risk_id, f"no risk {risk_id!r} in the draft"))
            old = json.loads(d.data)
            risk = Risk.from_dict(old)
            if risk.kind != "qualitative":
                raise ValidationError(Problem(f"{risk_id}.kind", "the risk is already "
                                              "quantitative"))
            new = m.convert(risk, impact_method, probability_method, sign)
            d.data = canonical_json(new.to_dict())
            tx.session.add(d)
            tx.audit("risk.convert", "risk", risk_id, old, new.to_dict())
        return new
