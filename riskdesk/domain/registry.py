"""A risk registry: risks in order, the plan horizon, correlations, and content hashing."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from riskdesk.domain.problems import Problem
from riskdesk.domain.risk import Risk

REGISTRY_SCHEMA = "riskdesk.registry/1"
STAGES = ("draft", "in_review", "approved", "retired")
STAGE_LABELS = {"draft": "Draft", "in_review": "In review", "approved": "Approved",
                "retired": "Retired"}
# allowed stage moves: from -> to
TRANSITIONS = {
    "draft": ("in_review",),
    "in_review": ("approved", "draft"),
    "approved": ("retired",),
    "retired": (),
}


@dataclass(frozen=True)
class Correlation:
    """Target rank correlations between risks' outcomes.

    Either explicit ``pairs`` ({(id_a, id_b): rho}, everything else ``between``), or ``blocks``
    ([(name, [ids], rho)]) with ``between`` outside blocks, or a full ``matrix`` in risk order.
    ``apply_to`` is ``compound`` (occurrence x impact) or ``impact``.
    """

    pairs: dict[tuple[str, str], float] = field(default_factory=dict)
    blocks: tuple[tuple[str, tuple[str, ...], float], ...] = ()
    between: float = 0.0
    matrix: tuple[tuple[float, ...], ...] | None = None
    method: str = "iman-conover"
    apply_to: str = "compound"

    @property
    def is_empty(self) -> bool:
        return (not self.pairs and not self.blocks and self.matrix is None
                and self.between == 0.0)

    def rho(self, a: str, b: str) -> float:
        if a == b:
            return 1.0
        key = (a, b) if (a, b) in self.pairs else (b, a)
        return self.pairs.get(key, self.between)

    def with_pair(self, a: str, b: str, rho: float) -> Correlation:
        pairs = {k: v for k, v in self.pairs.items() if k not in ((a, b), (b, a))}
        if rho != self.between:
            pairs[(a, b)] = float(rho)
        return replace(self, pairs=pairs, matrix=None)

    def full_matrix(self, ids: list[str]) -> np.ndarray:
        """Target matrix in the order of ``ids`` (unit diagonal, symmetric)."""
        n = len(ids)
        if self.matrix is not None:
            m = np.array(self.matrix, dtype=float)
            if m.shape != (n, n):
                raise ValueError(f"correlation matrix is {m.shape}, registry has {n} risks")
            return m
        m = np.full((n, n), float(self.between))
        pos = {r: i for i, r in enumerate(ids)}
        for _name, members, rho in self.blocks:
            idx = [pos[r] for r in members if r in pos]
            for i in idx:
                for j in idx:
                    m[i, j] = rho
        for (a, b), rho in self.pairs.items():
            if a in pos and b in pos:
                m[pos[a], pos[b]] = m[pos[b], pos[a]] = rho
        np.fill_diagonal(m, 1.0)
        return m

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"method": self.method, "apply_to": self.apply_to}
        if self.matrix is not None:
            d["matrix"] = [list(r) for r in self.matrix]
            return d
        if self.blocks:
            d["blocks"] = [{"name": n, "risks": list(m), "rho": r} for n, m, r in self.blocks]
        if self.pairs:
            d["pairs"] = [{"a": a, "b": b, "rho": r} for (a, b), r in sorted(self.pairs.items())]
        d["between"] = self.between
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Correlation:
        if not d:
            return cls()
        matrix = d.get("matrix")
        return cls(
            pairs={(str(p["a"]), str(p["b"])): float(p["rho"]) for p in d.get("pairs", [])},
            blocks=tuple((str(b.get("name", "")), tuple(str(r) for r in b["risks"]),
                          float(b["rho"])) for b in d.get("blocks", [])),
            between=float(d.get("between", 0.0)),
            matrix=tuple(tuple(float(x) for x in row) for row in matrix) if matrix else None,
            method=str(d.get("method", "iman-conover")),
            apply_to=str(d.get("apply_to", "compound")),
        )


def psd_problems(m: np.ndarray, where: str = "correlation") -> list[Problem]:
    """Problems that stop ``m`` from being a valid correlation matrix."""
    out: list[Problem] = []
    if m.size == 0:
        return out
    if not np.all(np.isfinite(m)):
        return [Problem(where, "correlation matrix has non-finite entries")]
    if not np.allclose(m, m.T, atol=1e-12):
        out.append(Problem(where, "correlation matrix is not symmetric"))
    if not np.allclose(np.diag(m), 1.0):
        out.append(Problem(where, "correlation matrix diagonal must be 1"))
    if np.any(np.abs(m) > 1.0 + 1e-12):
        out.append(Problem(where, "correlations must lie in -1..1"))
    if not out:
        lam = float(np.linalg.eigvalsh((m + m.T) / 2).min())
        if lam < -1e-10:
            out.append(Problem(where, f"correlation matrix is not positive semi-definite "
                               f"(smallest eigenvalue {lam:.4g})"))
    return out


@dataclass(frozen=True)
class Registry:
    """A registry's content: what a version freezes and a run simulates."""

    name: str = "Registry"
    units: str = "kUSD"
    months: int = 36
    start: str = "2027-01"
    risks: tuple[Risk, ...] = ()
    correlation: Correlation = field(default_factory=Correlation)
    iterations: int = 10000
    seed: int = 12345

    def with_(self, **changes: Any) -> Registry:
        return replace(self, **changes)

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.risks]

    def risk(self, rid: str) -> Risk:
        for r in self.risks:
            if r.id == rid:
                return r
        raise KeyError(rid)

    def quantitative(self) -> list[Risk]:
        return [r for r in self.risks if r.kind == "quantitative"]

    def validate(self) -> list[Problem]:
        """All data-quality gate failures (each names a risk and field)."""
        out: list[Problem] = []
        if self.months < 1:
            out.append(Problem("registry.months", f"horizon {self.months} months must be >= 1"))
        seen: set[str] = set()
        for r in self.risks:
            if r.id in seen:
                out.append(Problem(f"{r.id}.id", f"duplicate risk id {r.id!r}"))
            seen.add(r.id)
            out += r.validate(max(self.months, 1))
        ids = [r.id for r in self.quantitative()]
        known = set(self.ids)
        for (a, b), rho in self.correlation.pairs.items():
            for x in (a, b):
                if x not in known:
                    out.append(Problem(f"correlation.{a}~{b}", f"unknown risk {x!r}"))
            if not math.isfinite(rho) or not -1 <= rho <= 1:
                out.append(Problem(f"correlation.{a}~{b}", f"correlation {rho} is outside -1..1"))
        if len(ids) > 1 and not self.correlation.is_empty:
            try:
                out += psd_problems(self.correlation.full_matrix(ids))
            except ValueError as e:
                out.append(Problem("correlation.matrix", str(e)))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The ``riskdesk.registry/1`` document (with riskdesk's optional per-risk fields)."""
        d: dict[str, Any] = {
            "schema": REGISTRY_SCHEMA, "name": self.name, "units": self.units,
            "months": self.months, "start": self.start,
            "simulation": {"iterations": self.iterations, "seed": self.seed},
            "risks": [r.to_dict() for r in self.risks],
        }
        if not self.correlation.is_empty:
            d["correlation"] = self.correlation.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Registry:
        sim = d.get("simulation") or {}
        return cls(
            name=str(d.get("name", "Registry")), units=str(d.get("units", "kUSD")),
            months=int(d.get("months", 36)), start=str(d.get("start", "2027-01")),
            risks=tuple(Risk.from_dict(r) for r in d.get("risks", [])),
            correlation=Correlation.from_dict(d.get("correlation")),
            iterations=int(sim.get("iterations", 10000)), seed=int(sim.get("seed", 12345)),
        )

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of the content (stable across runs and machines)."""
        return "sha256:" + hashlib.sha256(canonical_json(self.to_dict()).encode()).hexdigest()


def canonical_json(obj: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, floats in shortest round-trip form, UTF-8."""
    return json.dumps(_canon(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def _canon(o: Any) -> Any:
    if isinstance(o, dict):
        return {str(k): _canon(v) for k, v in o.items()}
    if isinstance(o, list | tuple):
        return [_canon(v) for v in o]
    if isinstance(o, bool) or o is None or isinstance(o, str):
        return o
    if isinstance(o, int | np.integer):
        return int(o)
    if isinstance(o, float | np.floating):
        f = float(o)
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    return o
