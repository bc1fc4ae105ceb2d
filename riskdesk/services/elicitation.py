"""Elicitation use cases: sessions, answers (autosaved), pooling, applying results to risks.

Every write is one audited transaction. Quantile levels are non-exceedance probabilities fixed per
session (e.g. [0.1, 0.5, 0.9]); answers hold one value per level in the question's units. A question
may instead be answered as min / most likely / max (``answer_format="three_point"``): the answer is
fitted with the question's PERT or triangular family, enters Cooke's model through that fit's
quantiles at the session's levels, and its pooled quantiles are those of the pool of the fitted
distributions (linear or log pool, with the method's weights).

Question specifications live in ``elicitation_questions``, the risk matrix and qualitative
conversion in ``elicitation_qualitative`` and Excalibur files in ``elicitation_excalibur``; the
service class brings them together.
"""

from __future__ import annotations

import json
import math
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import canonical_json
from riskdesk.domain.risk import Risk
from riskdesk.elicitation import cooke
from riskdesk.elicitation.fitting import (
    check_quantiles,
    check_three_point,
    fit,
    label,
)
from riskdesk.elicitation.pooling import linear_pool, log_pool, normalise_weights
from riskdesk.services.elicitation_excalibur import ExcaliburUseCases
from riskdesk.services.elicitation_qualitative import QualitativeUseCases
from riskdesk.services.elicitation_questions import (
    PARAMETERS,
    QuestionSpec,
    check_format,
    format_name,
    new_question,
    now_utc,
    three_point_fit,
)
from riskdesk.services.workspace import Workspace
from riskdesk.storage.repos import registry as reg_repo
from riskdesk.storage.repos.common import Session, add, all_rows, first_where, get
from riskdesk.storage.tables import Person
from riskdesk.storage.tables.elicitation import (
    ElicitationAnswer,
    ElicitationExpert,
    ElicitationQuestion,
    ElicitationResult,
    ElicitationSession,
)

METHODS = ("cooke", "equal", "user", "log")
STATUSES = ("active", "paused", "closed")


def _finite(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


@dataclass(frozen=True)
class SessionInfo:
    id: int
    name: str
    facilitator: str
    status: str
    levels: tuple[float, ...]
    experts: tuple[str, ...]
    questions: int
    seeds: int
    answered: int
    position: int
    expert_position: int
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "facilitator": self.facilitator,
                "status": self.status, "levels": list(self.levels),
                "experts": list(self.experts), "questions": self.questions, "seeds": self.seeds,
                "answered": self.answered, "position": self.position, "source": self.source}


@dataclass(frozen=True)
class AnswerInfo:
    values: tuple[float, ...]
    rationale: str = ""
    units: str = ""


@dataclass(frozen=True)
class PoolOutcome:
    """Per-expert scores and weights, the decision maker's scores and pooled quantiles."""

    method: str
    weights: str
    pool: str
    levels: tuple[float, ...]
    experts: list[dict[str, Any]]
    decision_maker: dict[str, Any]
    quantiles: dict[str, list[float] | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "weights": self.weights, "pool": self.pool,
                "levels": list(self.levels), "experts": self.experts,
                "decision_maker": self.decision_maker, "quantiles": self.quantiles}


class ElicitationService(QualitativeUseCases, ExcaliburUseCases):
    """Elicitation sessions of a workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # ---- reading ----------------------------------------------------------------------------
    def _session(self, s: Session, sid: int) -> ElicitationSession:
        row = get(s, ElicitationSession, int(sid))
        if row is None:
            raise ValidationError(Problem("session", f"no elicitation session {sid} in "
                                          f"{self.ws.path.name}"))
        return row

    def sessions(self) -> list[SessionInfo]:
        with self.ws.read() as s:
            return [self._info(s, r) for r in all_rows(s, ElicitationSession, order_by="id")]

    def session(self, sid: int) -> SessionInfo:
        with self.ws.read() as s:
            return self._info(s, self._session(s, sid))

    def _info(self, s: Session, r: ElicitationSession) -> SessionInfo:
        assert r.id is not None
        ex = all_rows(s, ElicitationExpert, order_by="position", session_id=r.id)
        qs = all_rows(s, ElicitationQuestion, session_id=r.id)
        n_ans = len(all_rows(s, ElicitationAnswer, session_id=r.id))
        return SessionInfo(r.id, r.name, r.facilitator, r.status, tuple(json.loads(r.levels)),
                           tuple(e.label for e in ex), len(qs),
                           sum(q.realisation is not None for q in qs), n_ans, r.position,
                           r.expert_position, r.source)

    def questions(self, sid: int) -> list[ElicitationQuestion]:
        with self.ws.read() as s:
            self._session(s, sid)
            return all_rows(s, ElicitationQuestion, order_by="position", session_id=sid)

    def experts(self, sid: int) -> list[ElicitationExpert]:
        with self.ws.read() as s:
            self._session(s, sid)
            return all_rows(s, ElicitationExpert, order_by="position", session_id=sid)

    def answers(self, sid: int) -> dict[tuple[str, str], AnswerInfo]:
        """``{(question code, expert label): answer}``."""
        with self.ws.read() as s:
            self._session(s, sid)
            qs = {q.id: q.code for q in all_rows(s, ElicitationQuestion, session_id=sid)}
            ex = {e.id: e.label for e in all_rows(s, ElicitationExpert, session_id=sid)}
            return {(qs[a.question_id], ex[a.expert_id]):
                    AnswerInfo(tuple(json.loads(a.values)), a.rationale, a.units)
                    for a in all_rows(s, ElicitationAnswer, session_id=sid)}

    # ---- sessions ---------------------------------------------------------------------------
    def create_session(self, name: str, facilitator: str = "",
                       levels: tuple[float, ...] = (0.1, 0.5, 0.9),
                       experts: tuple[str, ...] = (),
                       questions: tuple[QuestionSpec, ...] = (),
                       answer_format: str = "quantiles", three_point_family: str = "pert") -> int:
        """A new session; ``experts`` are names of people in the workspace. ``answer_format`` and
        ``three_point_family`` are the default for questions that do not set their own."""
        lv = [float(x) for x in levels]
        if not name.strip():
            raise ValidationError(Problem("name", "a session needs a name"))
        if len(lv) < 2 or any(not 0 < x < 1 for x in lv) or lv != sorted(set(lv)):
            raise ValidationError(Problem("levels", f"levels {lv} must be at least two "
                                          "increasing probabilities inside (0, 1)"))
        with self.ws.write() as tx:
            row = add(tx.session, ElicitationSession(
                name=name.strip(), facilitator=facilitator, levels=json.dumps(lv),
                created_at=now_utc(), updated_at=now_utc()))
            assert row.id is not None
            for k, person in enumerate(experts):
                p = first_where(tx.session, Person, name=person)
                if p is None:
                    raise ValidationError(Problem(f"experts[{k}]", f"{person!r} is not a person "
                                                  "in this workspace; add them first"))
                add(tx.session, ElicitationExpert(session_id=row.id, person_id=p.id,
                                                  label=person, position=k))
            regs = reg_repo.registries(tx.session)
            known = {d.risk_id for d in reg_repo.draft_risks(tx.session, regs[0].id)} \
                if regs and regs[0].id is not None else set()
            unknown = [Problem(f"{q.code}.risk", f"risk {q.risk_id!r} is not in the draft "
                               "registry") for q in questions if q.risk_id
                       and q.risk_id not in known]
            if unknown:
                raise ValidationError(unknown)
            added = [new_question(tx.session, row.id, k, q, answer_format, three_point_family)
                     for k, q in enumerate(questions)]
            tx.audit("elicitation.create", "elicitation_session", row.id, None,
                     {"name": row.name, "facilitator": facilitator, "levels": lv,
                      "experts": list(experts), "questions": [q.code for q in added],
                      "answer_formats": {q.code: format_name(q) for q in added}})
            return row.id

    def add_question(self, sid: int, spec: QuestionSpec) -> None:
        with self.ws.write() as tx:
            self._session(tx.session, sid)
            n = len(all_rows(tx.session, ElicitationQuestion, session_id=sid))
            q = new_question(tx.session, sid, n, spec)
            tx.audit("elicitation.question", "elicitation_session", sid, None,
                     q.model_dump(exclude={"id"}))

    def set_answer_format(self, sid: int, question: str, answer_format: str,
                          three_point_family: str = "pert") -> None:
        """Answer ``question`` with quantiles or min / most likely / max (fitted with
        ``three_point_family``). Switching between quantiles and three points is refused once the
        question has answers (they would no longer fit the format); the PERT/triangular family of
        a three-point question may change at any time."""
        check_format(question, answer_format, three_point_family)
        with self.ws.write() as tx:
            row = self._session(tx.session, sid)
            if row.status == "closed":
                raise ValidationError(Problem("session", f"session {sid} is closed; reopen it to "
                                              "change a question's answer format"))
            q = first_where(tx.session, ElicitationQuestion, session_id=sid, code=question)
            if q is None:
                raise ValidationError(Problem("question", f"no question {question!r} in session "
                                              f"{sid}"))
            n = len(all_rows(tx.session, ElicitationAnswer, question_id=q.id))
            if n and q.answer_format != answer_format:
                raise ValidationError(Problem(f"{question}.answer_format", f"{question} already "
                                              f"has {n} answer(s) as {format_name(q)}; the "
                                              "format can change only before the first answer"))
            before = format_name(q)
            q.answer_format, q.three_point_family = answer_format, three_point_family
            tx.session.add(q)
            tx.audit("elicitation.format", "elicitation_question", f"{sid}/{question}",
                     {"answer_format": before}, {"answer_format": format_name(q)})

    def set_status(self, sid: int, status: str, position: int | None = None,
                   expert_position: int | None = None) -> None:
        """Pause, resume or close a session, remembering where the form was."""
        if status not in STATUSES:
            raise ValidationError(Problem("status", f"status {status!r} is not one of "
                                          + ", ".join(STATUSES)))
        with self.ws.write() as tx:
            row = self._session(tx.session, sid)
            before = {"status": row.status, "position": row.position,
                      "expert_position": row.expert_position}
            row.status = status
            if position is not None:
                row.position = int(position)
            if expert_position is not None:
                row.expert_position = int(expert_position)
            row.updated_at = now_utc()
            tx.session.add(row)
            action = {"active": "resume", "paused": "pause", "closed": "close"}[status]
            tx.audit(f"elicitation.{action}",
                     "elicitation_session", sid, before,
                     {"status": status, "position": row.position,
                      "expert_position": row.expert_position})

    def pause(self, sid: int, position: int, expert_position: int = 0) -> None:
        self.set_status(sid, "paused", position, expert_position)

    def resume(self, sid: int) -> tuple[int, int]:
        """Mark the session active again; returns (question position, expert position)."""
        self.set_status(sid, "active")
        info = self.session(sid)
        return info.position, info.expert_position

    # ---- answers ----------------------------------------------------------------------------
    def answer(self, sid: int, question: str, expert: str, values: list[float] | tuple[float, ...],
               rationale: str = "", units: str = "") -> None:
        """Save (or replace) one answer after the coherence checks; nothing is written if any
        check fails. ``values`` are the quantiles at the session's levels, or [min, most likely,
        max] for a three-point question. Problems name the quantile (``P90``) or the field
        (``most likely``) of ``question``/``expert``."""
        with self.ws.write() as tx:
            row = self._session(tx.session, sid)
            if row.status == "closed":
                raise ValidationError(Problem("session", f"session {sid} is closed, so its "
                                              "answers are final; reopen it to change them"))
            levels = json.loads(row.levels)
            q = first_where(tx.session, ElicitationQuestion, session_id=sid, code=question)
            e = first_where(tx.session, ElicitationExpert, session_id=sid, label=expert)
            if q is None or e is None:
                what = f"question {question!r}" if q is None else f"expert {expert!r}"
                raise ValidationError(Problem(what, f"no {what} in session {sid}"))
            vals = [float(v) for v in values]
            if q.answer_format == "three_point":
                probs = check_three_point(vals, q.lower, q.upper, q.scale == "LOG")
            elif len(vals) != len(levels):
                raise ValidationError(Problem(f"{question}/{expert}", f"{len(levels)} quantiles "
                                              f"expected, got {len(vals)}"))
            else:
                probs = check_quantiles(levels, vals, q.lower, q.upper)
                if q.scale == "LOG" and vals[0] <= 0:
                    probs.append(Problem(label(levels[0]), f"{vals[0]:g} must be > 0 "
                                         "on a LOG-scale question"))
            if probs:
                raise ValidationError([Problem(f"{question}/{expert}.{p.where}", p.message)
                                       for p in probs])
            assert q.id is not None and e.id is not None
            a = first_where(tx.session, ElicitationAnswer, question_id=q.id, expert_id=e.id)
            before = None if a is None else {"values": json.loads(a.values),
                                             "rationale": a.rationale}
            if a is None:
                a = ElicitationAnswer(session_id=sid, question_id=q.id, expert_id=e.id,
                                      values="[]")
            a.values, a.rationale, a.units, a.updated_at = (json.dumps(vals), rationale,
                                                            units or q.units, now_utc())
            tx.session.add(a)
            row.updated_at = now_utc()
            tx.session.add(row)
            tx.audit("elicitation.answer", "elicitation_answer", f"{sid}/{question}/{expert}",
                     before, {"values": vals, "rationale": rationale})

    # ---- pooling ----------------------------------------------------------------------------
    def panel(self, sid: int) -> cooke.Panel:
        """The session's answers as a Cooke panel (experts x questions x levels); a three-point
        answer enters as its fitted distribution's quantiles at the session's levels."""
        info = self.session(sid)
        qs = self.questions(sid)
        ex = self.experts(sid)
        ans = self.answers(sid)
        vals = np.full((len(ex), len(qs), len(info.levels)), np.nan)
        for i, q in enumerate(qs):
            for e, x in enumerate(ex):
                a = ans.get((q.code, x.label))
                if a is not None:
                    vals[e, i] = (three_point_fit(q, a.values).ppf(np.array(info.levels))
                                  if q.answer_format == "three_point" else a.values)
        return cooke.Panel(tuple(x.label for x in ex), tuple(q.code for q in qs),
                           np.array(info.levels), vals,
                           np.array([np.nan if q.realisation is None else q.realisation
                                     for q in qs]),
                           np.array([q.scale == "LOG" for q in qs]))

    def pool(self, sid: int, method: str = "cooke", weights: str = "global",
             alpha: float | None = 0.0, user_weights: list[float] | None = None) -> PoolOutcome:
        """Pool the session: ``cooke`` (global or item weights, ``alpha=None`` optimises),
        ``equal``, ``user`` (``user_weights`` in expert order) or ``log`` (log pool, equal or
        user weights). Scores are on the seed questions (None without seeds)."""
        steps = self.pool_steps(sid, method, weights, alpha, user_weights)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]

    def pool_steps(self, sid: int, method: str = "cooke", weights: str = "global",
                   alpha: float | None = 0.0, user_weights: list[float] | None = None
                   ) -> Generator[tuple[int, int], None, PoolOutcome]:
        """:meth:`pool` one step at a time for a background worker: yields (alphas tried,
        alphas to try) while Cooke's α is optimised, returns the :class:`PoolOutcome`. Reads
        the workspace when first advanced; errors are raised from there."""
        if method not in METHODS:
            raise ValidationError(Problem("method", f"method {method!r} is not one of "
                                          + ", ".join(METHODS)))
        if method == "cooke" and weights not in ("global", "item"):
            raise ValidationError(Problem("weights", "Cooke weights are 'global' or 'item'"))
        if method == "cooke" and alpha is not None and not (math.isfinite(alpha)
                                                            and 0.0 <= alpha < 1.0):
            raise ValidationError(Problem("alpha", f"significance level α = {alpha:g} must be "
                                          "at least 0 and below 1"))
        panel = self.panel(sid)
        kind: Any = weights if method == "cooke" else ("user" if user_weights else "equal")
        pool: Literal["linear", "log"] = "log" if method == "log" else "linear"
        if method == "user" and not user_weights:
            raise ValidationError(Problem("weights", "method 'user' needs one weight per expert"))
        if method == "cooke" or len(panel.seeds) > 0:
            res = yield from cooke.iter_classical_model(
                panel, kind, alpha if method == "cooke" else 0.0, user_weights,
                min_seeds=cooke.MIN_SEEDS if method == "cooke" else 1, pool=pool)
            dm = res.dm
            cals = [s.calibration for s in res.experts if math.isfinite(s.calibration)]
            if method == "cooke" and not np.any(np.asarray(dm.weights) > 0):
                raise ValidationError(Problem("alpha", f"no expert's calibration reaches α = "
                                              f"{dm.alpha:.4g} (the highest is "
                                              f"{max(cals, default=0.0):.4g}), so every weight "
                                              "is zero; lower α or optimise it"))
            w = dm.weights if dm.weights.ndim == 1 else _mean_item_weights(dm.weights,
                                                                             panel.answered)
            w = w / w.sum() if w.sum() > 0 else w
            experts = [{"id": ex, "calibration": _finite(s.calibration),
                        "information": _finite(s.information), "weight": float(w[k])}
                       for k, (ex, s) in enumerate(zip(panel.experts, res.experts, strict=True))]
            decision = {"calibration": _finite(dm.scores.calibration),
                        "information": _finite(dm.scores.information),
                        "combined": _finite(dm.scores.combined), "alpha": float(dm.alpha)}
            values = dm.values
            item_w = np.asarray(dm.weights, float)
        else:
            probs = panel.problems(0)
            if probs:
                raise ValidationError(probs)
            w = normalise_weights(len(panel.experts), user_weights if kind == "user" else None)
            ranges = cooke.intrinsic_ranges(panel)
            values = cooke.unscale(panel, cooke.pool_quantiles(panel, w, ranges, pool))
            experts = [{"id": ex, "calibration": None, "information": None,
                        "weight": float(w[k])} for k, ex in enumerate(panel.experts)]
            decision = {"calibration": None, "information": None, "combined": None,
                        "alpha": 0.0}
            item_w = np.asarray(w, float)
        values = self._pool_three_point(sid, panel, values, item_w, pool)
        quantiles = {code: (None if np.isnan(values[i]).any() else [float(v) for v in values[i]])
                     for i, code in enumerate(panel.items)}
        return PoolOutcome(method, weights if method == "cooke" else kind, pool,
                           tuple(float(x) for x in panel.levels), experts, decision, quantiles)

    def _pool_three_point(self, sid: int, panel: cooke.Panel, values: np.ndarray,
                          weights: np.ndarray, pool: str) -> np.ndarray:
        """Replace the pooled quantiles of three-point questions by the quantiles of the pool of
        the experts' fitted PERT/triangular distributions (``weights`` (experts,) or (experts,
        items), renormalised over the experts who answered)."""
        qs = self.questions(sid)
        if not any(q.answer_format == "three_point" for q in qs):
            return values
        ans = self.answers(sid)
        out = values.copy()
        for i, q in enumerate(qs):
            if q.answer_format != "three_point":
                continue
            wi = weights[:, i] if weights.ndim == 2 else weights
            comps, cw = [], []
            for k, ex in enumerate(panel.experts):
                a = ans.get((q.code, ex))
                if a is not None and wi[k] > 0:
                    comps.append(three_point_fit(q, a.values))
                    cw.append(float(wi[k]))
            if not comps:
                continue
            pooled = (log_pool(comps, cw) if pool == "log" else linear_pool(comps, cw))
            out[i] = pooled.ppf(np.asarray(panel.levels, float))
        return out

    def robustness(self, sid: int, by: str = "items", weights: str = "global",
                   alpha: float | None = None) -> list[dict[str, Any]]:
        """Cooke DM scores with each seed question (``by="items"``) or each expert left out."""
        return list(self.robustness_steps(sid, by, weights, alpha)[1])

    def robustness_steps(self, sid: int, by: str = "items", weights: str = "global",
                         alpha: float | None = None
                         ) -> tuple[int, Iterator[dict[str, Any]]]:
        """:meth:`robustness` as (number of rows, rows one at a time); the checks run at once,
        each row is computed when asked for (progress and cancel in the GUI)."""
        if by not in ("items", "experts"):
            raise ValidationError(Problem("by", "leave out 'items' or 'experts'"))
        if weights not in ("global", "item", "equal"):
            raise ValidationError(Problem("weights", "weights are global, item or equal"))
        panel = self.panel(sid)
        panel.check(cooke.MIN_SEEDS)
        rows = cooke.iter_robustness(panel, by, weights, alpha)  # type: ignore[arg-type]
        return cooke.robustness_count(panel, by), (  # type: ignore[arg-type]
            {"removed": r.removed, "calibration": _finite(r.calibration),
             "information": _finite(r.information), "combined": _finite(r.combined)}
            for r in rows)

    # ---- into the registry ------------------------------------------------------------------
    def apply(self, sid: int, question: str, outcome: PoolOutcome, family: str | None = None,
              registry: str | None = None) -> Risk:
        """Set the question's risk parameter in the draft registry from the pooled quantiles
        (fitted with ``family``, else the question's three-point family, else the best fit),
        recording the link back in ``Risk.source`` and
        an ``elicitation_result`` row (method, weights, experts, fit)."""
        q = next((x for x in self.questions(sid) if x.code == question), None)
        if q is None:
            raise ValidationError(Problem("question", f"no question {question!r} in session "
                                          f"{sid}"))
        if not q.risk_id or q.parameter not in PARAMETERS:
            raise ValidationError(Problem(question, "the question is not tied to a risk "
                                          "parameter (" + ", ".join(PARAMETERS) + ")"))
        pooled = outcome.quantiles.get(question)
        if pooled is None:
            raise ValidationError(Problem(question, "no expert answered this question"))
        if family is None and q.answer_format == "three_point":
            family = q.three_point_family  # answered as PERT/triangular: keep that shape
        f = fit(dict(zip(outcome.levels, pooled, strict=True)), family, lower=q.lower,
                upper=q.upper)
        matrix = self.matrix()
        with self.ws.write() as tx:
            rows = reg_repo.registries(tx.session) if registry is None else \
                [r for r in [reg_repo.registry_by_name(tx.session, registry)] if r]
            if not rows:
                raise ValidationError(Problem("registry", "no registry in the workspace"))
            assert rows[0].id is not None
            d = reg_repo.draft_risk(tx.session, rows[0].id, q.risk_id)
            if d is None:
                raise ValidationError(Problem(question, f"risk {q.risk_id!r} is not in the "
                                              "draft registry"))
            old = json.loads(d.data)
            risk = Risk.from_dict(old)
            content = {"session": sid, "question": question, "method": outcome.method,
                       "weights": outcome.weights, "pool": outcome.pool,
                       "experts": outcome.experts, "decision_maker": outcome.decision_maker,
                       "levels": list(outcome.levels), "pooled": pooled,
                       "fit": {"family": f.family, "params": f.params, "error": f.error}}
            res = add(tx.session, ElicitationResult(
                session_id=sid, question_id=int(q.id or 0), risk_id=q.risk_id, parameter=q.parameter,
                method=outcome.method, content=canonical_json(content), created_at=now_utc(),
                created_by=tx.actor.display_name))
            new = _set_parameter(risk, q.parameter, f, question)
            how = outcome.method + (f"-{outcome.weights} alpha="
                                    f"{outcome.decision_maker['alpha']:.4g}"
                                    if outcome.method == "cooke" else
                                    ("-user" if outcome.weights == "user" else ""))
            extra = ""
            if risk.kind == "qualitative" and new.kind == "quantitative":
                # an elicited impact turns a qualitative risk into numbers; its chance then
                # comes from its likelihood rating through the matrix, never a hidden default
                if risk.likelihood is None:
                    raise ValidationError(Problem(f"{q.risk_id}.likelihood", "the qualitative "
                                                  "risk has no likelihood rating to take its "
                                                  "probability from"))
                new = new.with_(probability=matrix.probability(risk.likelihood))
                extra = f"; probability matrix:{matrix.version} L{risk.likelihood} midpoint"
            new = new.with_(source=f"elicitation:session {sid}/{question} result {res.id} "
                                   f"{how} {f.family}{extra}")
            d.data = canonical_json(new.to_dict())
            tx.session.add(d)
            tx.audit("elicitation.apply", "elicitation_result", res.id, None, content)
            tx.audit("risk.update", "risk", q.risk_id, old, new.to_dict())
        return new

    def results(self, risk_id: str) -> list[dict[str, Any]]:
        """The applied results that set parameters of ``risk_id`` (newest last)."""
        with self.ws.read() as s:
            return [{"id": r.id, "parameter": r.parameter, "method": r.method,
                     "created_at": r.created_at, "created_by": r.created_by,
                     **json.loads(r.content)}
                    for r in all_rows(s, ElicitationResult, order_by="id", risk_id=risk_id)]


def _mean_item_weights(w: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """Item weights (experts, items) normalised per item over the experts who answered it, then
    averaged over the items that have any weight: one summary weight per expert."""
    wa = np.where(answered, w, 0.0)
    tot = wa.sum(axis=0)
    keep = tot > 0
    if not keep.any():
        return np.zeros(w.shape[0])
    return (wa[:, keep] / tot[keep]).mean(axis=1)


def _sig(x: float, digits: int = 6) -> float:
    """``x`` to ``digits`` significant digits: a pooled judgement carries no more, and the value
    then survives an Excel round trip (Excel keeps 15 digits) unchanged."""
    return float(f"{x:.{digits}g}")


def _rounded(d: Distribution) -> Distribution:
    params = {k: ([_sig(float(x)) for x in v] if isinstance(v, list | tuple)
                  else v if k == "sign" else _sig(float(v)))
              for k, v in d.params.items()}
    if d.family == "discrete":
        params["probs"] = list(d.params["probs"])
    return Distribution(d.family, params)


def _set_parameter(risk: Risk, parameter: str, f: Any, where: str) -> Risk:
    if parameter in ("impact", "post_impact"):
        return risk.with_(**{parameter: _rounded(f.to_distribution()), "kind": "quantitative"})
    if parameter in ("probability", "post_probability"):
        mean = float(np.mean(f.ppf((np.arange(4000) + 0.5) / 4000)))
        if not 0.0 <= mean <= 1.0:
            raise ValidationError(Problem(where, f"pooled probability {mean:g} is outside 0-1; "
                                          "give the question bounds 0 and 1"))
        return risk.with_(**{parameter: round(mean, 4)})
    if parameter == "phasing.start":
        start = int(round(float(f.ppf(np.array([0.5]))[0])))
        return risk.with_(phasing=risk.phasing.__class__.window(max(start, 0),
                                                                risk.phasing.length))
    raise ValidationError(Problem(where, f"cannot set parameter {parameter!r}"))
