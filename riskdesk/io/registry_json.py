"""The ``riskdesk.registry/1`` JSON document (shared/formats): read with full validation, write.

Problems name the file and the JSON path, e.g. ``reg.json: risks[3] (R004).impact.mode``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import REGISTRY_SCHEMA, Registry, canonical_json
from riskdesk.domain.risk import Risk

MAX_JSON_BYTES = 64 * 1024 * 1024


def parse_registry(doc: Any, source: str = "registry") -> Registry:
    """Validate a decoded JSON document and build the Registry (ValidationError on problems)."""
    where = source
    if not isinstance(doc, dict):
        raise ValidationError(Problem(where, "the document must be a JSON object"))
    problems: list[Problem] = []
    schema = doc.get("schema")
    if schema is not None and schema != REGISTRY_SCHEMA:
        problems.append(Problem(f"{where}: schema", f"schema {schema!r} is not "
                                f"{REGISTRY_SCHEMA!r}"))
    months = doc.get("months")
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        problems.append(Problem(f"{where}: months", f"months must be a whole number >= 1, "
                                f"got {months!r}"))
    sim = doc.get("simulation", {})
    if not isinstance(sim, dict):
        problems.append(Problem(f"{where}: simulation", "simulation must be an object"))
    else:
        for k in ("iterations", "seed"):
            v = sim.get(k)
            if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0
                                  or (k == "iterations" and v < 1)):
                problems.append(Problem(f"{where}: simulation.{k}", f"{k} must be a positive "
                                        f"whole number, got {v!r}"))
    risks_doc = doc.get("risks")
    if not isinstance(risks_doc, list):
        problems.append(Problem(f"{where}: risks", "risks must be a list"))
        raise ValidationError(problems)
    risks: list[Risk] = []
    for i, rd in enumerate(risks_doc):
        label = f"{where}: risks[{i}]"
        if not isinstance(rd, dict):
            problems.append(Problem(label, "each risk must be an object"))
            continue
        rid = rd.get("id")
        if not isinstance(rid, str) or not rid.strip():
            problems.append(Problem(f"{label}.id", "risk id must be a non-empty string"))
            continue
        label = f"{label} ({rid})"
        imp = rd.get("impact")
        if rd.get("kind", "quantitative") == "quantitative" and not isinstance(imp, dict):
            problems.append(Problem(f"{label}.impact", "impact must be an object with 'dist'"))
            continue
        ph = rd.get("phasing")
        if ph is not None and not isinstance(ph, dict):
            problems.append(Problem(f"{label}.phasing", "phasing must be an object"))
            continue
        p = rd.get("probability")
        if rd.get("kind", "quantitative") == "quantitative" and (
                not isinstance(p, int | float) or isinstance(p, bool) or not math.isfinite(p)):
            problems.append(Problem(f"{label}.probability", f"probability must be a number, "
                                    f"got {p!r}"))
            continue
        try:
            r = Risk.from_dict(rd)
        except (TypeError, ValueError, KeyError) as e:
            problems.append(Problem(label, f"cannot read risk: {e}"))
            continue
        if r.affects not in ("ebitda", "capex", "revenue", "opex"):
            problems.append(Problem(f"{label}.affects", f"affects {r.affects!r} must be 'ebitda' "
                                    "or 'capex'"))
        risks.append(r)
    if problems:
        raise ValidationError(problems)
    try:
        reg = Registry.from_dict({**doc, "risks": []}).with_(risks=tuple(risks))
    except (TypeError, ValueError, KeyError) as e:
        raise ValidationError(Problem(where, f"cannot read registry: {e}")) from None
    gate = reg.validate()
    if gate:
        idx = {r.id: i for i, r in enumerate(risks)}

        def locate(p: Problem) -> Problem:
            rid = p.where.split(".", 1)[0]
            if rid in idx:
                return Problem(f"{where}: risks[{idx[rid]}] ({p.where})", p.message)
            return Problem(f"{where}: {p.where}", p.message)

        raise ValidationError([locate(p) for p in gate])
    return reg


def load_registry_json(path: str | Path) -> Registry:
    """Read and validate a registry JSON file."""
    p = Path(path)
    if not p.is_file():
        raise ValidationError(Problem(str(p), "file not found"))
    if p.stat().st_size > MAX_JSON_BYTES:
        raise ValidationError(Problem(p.name, "file is larger than 64 MB"))
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError as e:
        raise ValidationError(Problem(p.name, f"not UTF-8 text ({e.reason})")) from None
    except json.JSONDecodeError as e:
        raise ValidationError(Problem(f"{p.name}:{e.lineno}:{e.colno}",
                                      f"invalid JSON: {e.msg}")) from None
    return parse_registry(doc, p.name)


def registry_json_text(registry: Registry, exported: dict[str, Any] | None = None) -> str:
    doc = json.loads(canonical_json(registry.to_dict()))
    if exported:
        doc["exported"] = exported
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def dump_registry_json(registry: Registry, path: str | Path,
                       exported: dict[str, Any] | None = None) -> Path:
    """Write ``registry`` as ``riskdesk.registry/1`` JSON (pretty, UTF-8). ``exported`` adds an
    ``"exported"`` object (e.g. the audit chain head) that readers ignore."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(registry_json_text(registry, exported), encoding="utf-8")
    tmp.replace(p)
    return p
