"""The ``riskdesk.result/1`` document (see shared formats README) from a SimulationResult."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from riskdesk.engine.driver import Bands, SimulationResult

RESULT_SCHEMA = "riskdesk.result/1"


def _floats(a: np.ndarray) -> list[float]:
    return [float(x) for x in np.asarray(a, dtype=float)]


def _series(bands: Bands, totals: np.ndarray) -> dict[str, Any]:
    pct = np.percentile(totals, (10, 25, 50, 75, 90))
    total = {k: float(v) for k, v in zip(("p10", "p25", "p50", "p75", "p90"), pct, strict=True)}
    total["mean"] = float(np.mean(totals))
    return {"monthly": {k: _floats(v) for k, v in bands.monthly.items()},
            "cumulative": {k: _floats(v) for k, v in bands.cumulative.items()},
            "total": total}


def _distribution(z: np.ndarray) -> dict[str, Any]:
    """Plot-ready histogram (60 bins), S-curve (201 points) and convergence of P10/P50/P90."""
    from riskdesk.engine import analytics

    edges, counts = analytics.histogram(z, 60)
    xs, ps = analytics.s_curve(z, 201)
    conv = analytics.convergence(z)
    return {"histogram": {"edges": _floats(edges), "counts": [int(c) for c in counts]},
            "s_curve": {"values": _floats(xs), "probability": _floats(ps)},
            "convergence": {"n": [int(n) for n in conv.n], "quantiles": list(conv.quantiles),
                            "estimate": conv.estimate.tolist(), "lower": conv.lower.tolist(),
                            "upper": conv.upper.tolist()}}


def result_document(result: SimulationResult) -> dict[str, Any]:
    """The JSON-ready document: EBITDA delta under ``results``, cash-flow delta under
    ``cash_flow``, the baseline-added series under ``absolute`` when a baseline was given,
    histogram / S-curve / convergence of both totals under ``distributions``, the top tornado
    bars, and the run manifest under ``run``."""
    doc: dict[str, Any] = {
        "schema": RESULT_SCHEMA, "registry": result.registry_name, "units": result.units,
        "months": result.months, "start": result.start, "iterations": result.iterations,
        "seed": result.settings.seed, "quantile_method": "linear",
        "percentile_convention": "non-exceedance",
        "results": _series(result.series["ebitda_delta"], result.totals["ebitda"]),
        "cash_flow": _series(result.series["cash_flow_delta"], result.totals["cash_flow"]),
    }
    if result.baseline is not None:
        doc["absolute"] = {
            "ebitda": _series(result.series["ebitda"],
                              result.totals["ebitda"] + result.baseline["ebitda"].sum()),
            "cash_flow": _series(result.series["cash_flow"],
                                 result.totals["cash_flow"] + result.baseline["cash_flow"].sum()),
        }
    doc["distributions"] = {k: _distribution(result.totals[k]) for k in ("ebitda", "cash_flow")}
    doc["tornado"] = [{"risk": b.risk_id, "variance_share": b.variance_share,
                       "p50_off": b.p50_off, "p50_on": b.p50_on, "swing": b.swing}
                      for b in result.tornado["ebitda"][:20]]
    doc["run"] = _clean(dict(result.manifest, settings=result.settings.to_dict()))
    return doc


def _clean(o: Any) -> Any:
    if isinstance(o, dict):
        return {str(k): _clean(v) for k, v in o.items()}
    if isinstance(o, list | tuple):
        return [_clean(v) for v in o]
    if isinstance(o, np.generic):
        o = o.item()
    if isinstance(o, float) and not math.isfinite(o):
        return None
    return o


def write_result(result: SimulationResult, path: str | Path) -> dict[str, Any]:
    """Write the document to ``path`` (UTF-8, indented) and return it."""
    doc = result_document(result)
    Path(path).write_text(json.dumps(doc, indent=1, allow_nan=False), encoding="utf-8")
    return doc
