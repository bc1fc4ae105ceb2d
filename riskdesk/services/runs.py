"""Simulation runs: run a frozen registry version (+ baseline) and keep an immutable record.

A run record holds the exact registry and baseline content simulated, the engine settings, the
manifest and the ``riskdesk.result/1`` document plus the path totals. ``verify`` re-runs the
stored inputs and settings (on this machine's threads) and compares the results bit for bit;
``compare`` sets two runs side by side and, with common random numbers (streams follow risk ids),
explains what moved P50 and P90 step by step.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from riskdesk.domain.baseline import BaselinePlan
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import Registry, canonical_json
from riskdesk.services.registry import RegistryService, now_utc
from riskdesk.services.workspace import Workspace
from riskdesk.storage.repos.common import add, all_rows, get
from riskdesk.storage.tables.runs import RunRecord

WATERFALL_MAX_ITERATIONS = 50_000
WATERFALL_MAX_STEPS = 15


@dataclass(frozen=True)
class RunRequest:
    """What to simulate: inputs by value plus where they came from."""

    registry: Registry
    settings: Any  # riskdesk.engine.driver.SimulationSettings
    registry_version: int | None = None
    baseline: BaselinePlan | None = None
    baseline_name: str | None = None
    baseline_version: int | None = None
    label: str = ""
    deck: dict[str, Any] | None = None  # the price deck version in force: name, version, hash, stage


@dataclass(frozen=True)
class RunInfo:
    """A stored run as listed to users (EBITDA-delta total percentiles in registry units)."""

    id: int
    created_at: str
    created_by: str
    label: str
    registry_name: str
    registry_version: int | None
    registry_hash: str
    baseline_name: str | None
    baseline_version: int | None
    post_mitigation: bool
    iterations: int
    seed: int
    sampling: str
    threads: int
    units: str
    total: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class StoredRun:
    """A run read back: its info, the result document and the path totals."""

    info: RunInfo
    document: dict[str, Any]
    totals: dict[str, np.ndarray]
    manifest: dict[str, Any]
    settings: dict[str, Any]
    registry: Registry
    baseline: BaselinePlan | None


@dataclass(frozen=True)
class VerifyReport:
    run_id: int
    identical: bool
    stored_hash: str
    rerun_hash: str
    max_abs_difference: float
    threads: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Comparison:
    """Two runs side by side, with a common-random-numbers waterfall of the EBITDA total."""

    a: RunInfo
    b: RunInfo
    side_by_side: dict[str, dict[str, tuple[float, float]]]
    waterfall: list[dict[str, Any]] = field(default_factory=list)
    waterfall_iterations: int = 0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a.to_dict(), "b": self.b.to_dict(),
                "side_by_side": {k: {q: list(v) for q, v in d.items()}
                                 for k, d in self.side_by_side.items()},
                "waterfall": self.waterfall, "waterfall_iterations": self.waterfall_iterations,
                "notes": self.notes}


def result_hash(document: dict[str, Any], totals: bytes) -> str:
    """SHA-256 over the result numbers (not timings or thread count) and the path totals."""
    keep = {k: document[k] for k in ("results", "cash_flow", "absolute", "tornado",
                                     "iterations", "seed") if k in document}
    h = hashlib.sha256(canonical_json(keep).encode())
    h.update(totals)
    return "sha256:" + h.hexdigest()


def _pack_totals(totals: dict[str, np.ndarray]) -> bytes:
    raw = np.concatenate([totals["ebitda"], totals["cash_flow"]]).astype("<f8").tobytes()
    return zlib.compress(raw, 6)


def _unpack_totals(blob: bytes) -> dict[str, np.ndarray]:
    arr = np.frombuffer(zlib.decompress(blob), dtype="<f8")
    n = arr.size // 2
    return {"ebitda": arr[:n].copy(), "cash_flow": arr[n:].copy()}


class RunsService:
    """Runs of a workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # ---- preparing -----------------------------------------------------------------------
    def request(self, *, registry_name: str | None = None, version: int | None = None,
                baseline_name: str | None = None, baseline_version: int | None = None,
                use_baseline: bool = True, label: str = "", deck_name: str | None = None,
                deck_version: int | None = None, **settings: Any) -> RunRequest:
        """A request for a frozen registry version (latest if None) and baseline version
        (latest if None; none if ``use_baseline`` is False). ``settings``: SimulationSettings
        fields; iterations/seed default to the registry's. ``deck_name`` (version: latest if
        None) records the price deck the plan was made under, for lineage; it does not change
        the simulated numbers."""
        from riskdesk.engine.driver import SimulationSettings
        from riskdesk.services.baseline import BaselineService

        regs = RegistryService(self.ws, registry_name)
        reg = regs.version(version)
        vnum = regs.version_info(version).number
        base = bname = bnum = None
        if use_baseline:
            bs = BaselineService(self.ws, baseline_name)
            if bs.exists() and (bs.versions() or baseline_version is not None):
                base = bs.version(baseline_version)
                bnum = bs.version_info(baseline_version).number
                bname = base.name
        deck = None
        if deck_name:
            from riskdesk.services.decks import DeckService

            d = DeckService(self.ws).version_info(deck_name, deck_version)
            deck = {"name": deck_name, "version": d.number, "hash": d.hash, "stage": d.stage}
        settings.setdefault("iterations", reg.iterations)
        settings.setdefault("seed", reg.seed)
        return RunRequest(reg, SimulationSettings(**settings), vnum, base, bname, bnum, label,
                          deck)

    # ---- running ---------------------------------------------------------------------------
    def start(self, req: RunRequest) -> Generator[Any, None, RunInfo]:
        """Run ``req`` chunk by chunk (yielding engine Progress) and store it when complete.

        Closing the generator cancels the run; nothing is stored then."""
        from riskdesk.engine.driver import run_simulation

        result = yield from run_simulation(req.registry, req.baseline, req.settings)
        return self._store(req, result)

    def run(self, req: RunRequest) -> RunInfo:
        gen = self.start(req)
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value

    def _store(self, req: RunRequest, result: Any) -> RunInfo:
        from riskdesk.engine.result_json import result_document

        doc = result_document(result)
        blob = _pack_totals(result.totals)
        raw = np.concatenate([result.totals["ebitda"], result.totals["cash_flow"]])
        rh = result_hash(doc, raw.astype("<f8").tobytes())
        with self.ws.write() as tx:
            rec = add(tx.session, RunRecord(
                created_at=now_utc(), created_by=tx.actor.display_name, label=req.label,
                registry_name=req.registry.name, registry_version=req.registry_version,
                registry_hash=req.registry.content_hash(),
                registry_content=canonical_json(req.registry.to_dict()),
                baseline_name=req.baseline_name, baseline_version=req.baseline_version,
                baseline_hash=req.baseline.content_hash() if req.baseline else None,
                baseline_content=(canonical_json(req.baseline.to_dict())
                                  if req.baseline else None),
                post_mitigation=req.settings.post_mitigation, iterations=result.iterations,
                seed=req.settings.seed, sampling=req.settings.sampling,
                threads=int(result.manifest["threads"]),
                settings=json.dumps(req.settings.to_dict()),
                manifest=json.dumps({**doc["run"], **({"price_deck": req.deck} if req.deck
                                                      else {})}),
                result=json.dumps(doc), totals=blob, result_hash=rh))
            info = _info(rec)
            tx.audit("run.create", "run", rec.id, None, {
                "registry": rec.registry_name, "registry_version": rec.registry_version,
                "registry_hash": rec.registry_hash, "baseline_hash": rec.baseline_hash,
                "price_deck": req.deck, "iterations": rec.iterations, "seed": rec.seed,
                "result_hash": rh})
        return info

    # ---- reading ---------------------------------------------------------------------------
    def list(self) -> list[RunInfo]:
        with self.ws.read() as s:
            return [_info(r) for r in all_rows(s, RunRecord, order_by="id")]

    def _record(self, s: Any, run_id: int) -> RunRecord:
        rec = get(s, RunRecord, int(run_id))
        if rec is None:
            raise ValidationError(Problem("run", f"no run {run_id} in {self.ws.path.name}"))
        return rec

    def load(self, run_id: int, with_totals: bool = True) -> StoredRun:
        """A stored run; ``with_totals=False`` skips the path totals (empty arrays)."""
        with self.ws.read() as s:
            rec = self._record(s, run_id)
            totals = _unpack_totals(rec.totals) if with_totals else {
                "ebitda": np.zeros(0), "cash_flow": np.zeros(0)}
            return StoredRun(
                _info(rec), json.loads(rec.result), totals,
                json.loads(rec.manifest), json.loads(rec.settings),
                Registry.from_dict(json.loads(rec.registry_content)),
                BaselinePlan.from_dict(json.loads(rec.baseline_content))
                if rec.baseline_content else None)

    # ---- verifying and comparing -----------------------------------------------------------
    def verify(self, run_id: int, threads: int | None = None,
               chunk_size: int | None = None) -> VerifyReport:
        """Re-run the stored inputs and settings, on ``threads`` threads (default: all) and
        ``chunk_size`` (default: as stored); identical means bit-for-bit equal results."""
        from riskdesk.engine.driver import SimulationSettings, simulate
        from riskdesk.engine.result_json import result_document

        stored = self.load(run_id)
        with self.ws.read() as s:
            want = self._record(s, run_id).result_hash
        changes: dict[str, Any] = {"threads": threads}
        if chunk_size is not None:
            changes["chunk_size"] = chunk_size
        settings = SimulationSettings(**{**stored.settings, **changes})
        res = simulate(stored.registry, stored.baseline, settings)
        raw = np.concatenate([res.totals["ebitda"], res.totals["cash_flow"]])
        got = result_hash(result_document(res), raw.astype("<f8").tobytes())
        old = np.concatenate([stored.totals["ebitda"], stored.totals["cash_flow"]])
        diff = float(np.max(np.abs(raw - old))) if raw.shape == old.shape else float("inf")
        return VerifyReport(int(run_id), got == want, want, got, diff,
                            int(res.manifest["threads"]))

    def compare(self, a: int, b: int, waterfall: bool = True) -> Comparison:
        """P10/P50/P90/mean of both runs; with ``waterfall``, CRN steps from A's inputs to B's."""
        ra, rb = self.load(a), self.load(b)
        sbs = {}
        for part in ("results", "cash_flow"):
            ta, tb = ra.document[part]["total"], rb.document[part]["total"]
            sbs[part] = {q: (ta[q], tb[q]) for q in ("p10", "p50", "p90", "mean")}
        cmp = Comparison(ra.info, rb.info, sbs)
        if waterfall:
            _crn_waterfall(cmp, ra, rb)
        return cmp


def _info(rec: RunRecord) -> RunInfo:
    doc = json.loads(rec.result)
    return RunInfo(
        id=int(rec.id or 0), created_at=rec.created_at, created_by=rec.created_by,
        label=rec.label, registry_name=rec.registry_name, registry_version=rec.registry_version,
        registry_hash=rec.registry_hash, baseline_name=rec.baseline_name,
        baseline_version=rec.baseline_version, post_mitigation=rec.post_mitigation,
        iterations=rec.iterations, seed=rec.seed, sampling=rec.sampling, threads=rec.threads,
        units=doc.get("units", ""),
        total=doc.get("results", {}).get("total", {k: float("nan") for k in
                                                   ("p10", "p50", "p90", "mean")}))


def _without(reg: Registry, rid: str) -> Registry:
    """``reg`` without risk ``rid`` (and without correlation pairs naming it)."""
    from dataclasses import replace

    corr = reg.correlation
    pairs = {k: v for k, v in corr.pairs.items() if rid not in k}
    matrix = None
    if corr.matrix is not None:
        keep = [i for i, r in enumerate(reg.quantitative()) if r.id != rid]
        matrix = tuple(tuple(corr.matrix[i][j] for j in keep) for i in keep)
    return reg.with_(risks=tuple(r for r in reg.risks if r.id != rid),
                     correlation=replace(corr, pairs=pairs, matrix=matrix))


def _crn_waterfall(cmp: Comparison, ra: StoredRun, rb: StoredRun) -> None:
    """Walk from A's registry to B's one change at a time with A's seed (common random
    numbers: each risk keeps its streams), recording the move of the EBITDA-total P50/P90."""
    from riskdesk.engine.driver import SimulationSettings, simulate

    post_b = bool(rb.settings.get("post_mitigation"))
    mitigation_step = bool(ra.settings.get("post_mitigation")) != post_b
    n = min(int(ra.info.iterations), WATERFALL_MAX_ITERATIONS)
    settings = SimulationSettings(**{**ra.settings, "iterations": n, "threads": None,
                                     "auto_stop_halfwidth": None, "repair_correlation": True})
    a_reg, b_reg = ra.registry, rb.registry
    if a_reg.months != b_reg.months:
        cmp.notes.append(f"horizons differ ({a_reg.months} vs {b_reg.months} months): the "
                         "change of horizon is in the last step")
    a_ids, b_ids = a_reg.ids, b_reg.ids
    removed = [r for r in a_ids if r not in b_ids]
    added = [r for r in b_ids if r not in a_ids]
    changed = [r for r in a_ids if r in b_ids
               and a_reg.risk(r).to_dict() != b_reg.risk(r).to_dict()]
    steps: list[tuple[str, Any]] = []
    cur = a_reg
    grouped = len(removed) + len(added) + len(changed) > WATERFALL_MAX_STEPS
    for kind, ids in (("removed", removed), ("changed", changed), ("added", added)):
        for rid in ids:
            if kind == "removed":
                cur = _without(cur, rid)
            elif kind == "changed":
                cur = cur.with_(risks=tuple(b_reg.risk(rid) if r.id == rid else r
                                            for r in cur.risks))
            else:
                cur = cur.with_(risks=cur.risks + (b_reg.risk(rid),))
            if not grouped:
                steps.append((f"{kind} {rid}", cur))
        if grouped and ids:
            steps.append((f"{kind} {len(ids)} risks", cur))
    steps.append(("correlation and settings", b_reg))

    def p50_p90(reg: Registry, s: SimulationSettings = settings) -> tuple[float, float]:
        z = simulate(reg, None, s).totals["ebitda"]
        p50, p90 = np.percentile(z, (50, 90))
        return float(p50), float(p90)

    prev = p50_p90(a_reg)
    rows = [{"step": "run A", "p50": prev[0], "p90": prev[1], "d_p50": 0.0, "d_p90": 0.0}]
    for label, reg in steps:
        if label == "correlation and settings" and reg.content_hash() == cur.content_hash():
            continue
        now = p50_p90(reg)
        rows.append({"step": label, "p50": now[0], "p90": now[1], "d_p50": now[0] - prev[0],
                     "d_p90": now[1] - prev[1]})
        prev = now
    if mitigation_step:
        from dataclasses import replace

        now = p50_p90(b_reg, replace(settings, post_mitigation=post_b))
        rows.append({"step": "post-mitigation values" if post_b else "pre-mitigation values",
                     "p50": now[0], "p90": now[1], "d_p50": now[0] - prev[0],
                     "d_p90": now[1] - prev[1]})
    cmp.waterfall = rows
    cmp.waterfall_iterations = n
