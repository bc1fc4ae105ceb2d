"""A generated benchmark registry: R risks over T months, mixed families, block correlation."""

from __future__ import annotations

import numpy as np

from riskdesk.domain.registry import Registry


def generated_registry(risks: int = 200, months: int = 120, block: int = 10, rho: float = 0.5,
                       between: float = 0.1, seed: int = 2026) -> Registry:
    """``risks`` risks in blocks of ``block`` (rank correlation ``rho`` inside, ``between``
    outside); every family appears; one risk in eight is capex; windows of 1..24 months."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(risks):
        scale = float(rng.uniform(50, 2000))
        kind = i % 8
        if kind == 0:
            imp = {"dist": "triangular", "min": -2 * scale, "mode": -scale, "max": -0.3 * scale}
        elif kind == 1:
            imp = {"dist": "pert", "min": -2 * scale, "mode": -0.8 * scale, "max": 0.2 * scale}
        elif kind == 2:
            imp = {"dist": "uniform", "min": -scale, "max": 0.1 * scale}
        elif kind == 3:
            imp = {"dist": "lognormal", "mean": scale, "sd": 0.6 * scale, "sign": -1}
        elif kind == 4:
            imp = {"dist": "normal", "mean": -scale, "sd": 0.3 * scale}
        elif kind == 5:
            imp = {"dist": "loguniform", "min": -3 * scale, "max": -0.1 * scale}
        elif kind == 6:
            imp = {"dist": "discrete", "values": [-scale, -0.5 * scale, 0.3 * scale],
                   "probs": [0.3, 0.5, 0.2]}
        else:
            imp = {"dist": "pert", "min": 0.1 * scale, "mode": 0.5 * scale, "max": scale}
        start = int(rng.integers(0, months - 1))
        out.append({"id": f"R{i + 1:03d}", "probability": float(rng.uniform(0.05, 0.9)),
                    "impact": imp, "affects": "capex" if i % 8 == 3 else "ebitda",
                    "phasing": {"type": "window", "start": start,
                                "length": int(rng.integers(1, 25))}})
    blocks = [{"name": f"B{b + 1:02d}", "risks": [r["id"] for r in out[b * block:(b + 1) * block]],
               "rho": rho} for b in range(risks // block)]
    return Registry.from_dict({
        "schema": "riskdesk.registry/1", "name": f"R{risks}xT{months}", "units": "kUSD",
        "months": months, "risks": out,
        "correlation": {"method": "iman-conover", "apply_to": "compound", "blocks": blocks,
                        "between": between}})
