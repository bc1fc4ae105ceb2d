"""Engine tests run with Numba bounds checking, so a kernel indexing out of range fails loudly."""

import os

# NUMBA_BOUNDSCHECK and the separate JIT cache are set in tests/conftest.py, before any test
# module can import numba; this checks it held.
assert os.environ.get("NUMBA_BOUNDSCHECK") == "1"

import pytest  # noqa: E402

from riskdesk.domain.registry import Registry  # noqa: E402


def _risk(rid, p, impact, start=0, length=1, **kw):
    return {"id": rid, "probability": p, "impact": impact,
            "phasing": {"type": "window", "start": start, "length": length}, **kw}


MIXED = {
    "name": "mixed", "months": 24, "units": "kUSD",
    "risks": [
        _risk("A", 0.5, {"dist": "triangular", "min": -900, "mode": -400, "max": -250}, 2, 6),
        _risk("B", 0.3, {"dist": "pert", "min": -500, "mode": -100, "max": 50}, 5, 3),
        _risk("C", 0.9, {"dist": "normal", "mean": 100, "sd": 30}, 0, 24, affects="capex"),
        {"id": "D", "probability": 0.2,
         "impact": {"dist": "lognormal", "mean": 300, "sd": 200, "sign": -1},
         "phasing": {"type": "profile", "months": [3, 30], "weights": [1, 1]}},
        _risk("E", 0.6, {"dist": "discrete", "values": [-10, 5, 20], "probs": [0.2, 0.5, 0.3]},
              1),
        _risk("F", 0.4, {"dist": "loguniform", "min": -1000, "max": -10}, 20, 8),
        _risk("G", 1.0, {"dist": "uniform", "min": -10, "max": 30}, 7, 2),
        _risk("H", 1.0, {"dist": "fixed", "value": -7}, 11),
    ],
    "correlation": {"method": "iman-conover", "apply_to": "compound",
                    "blocks": [{"name": "b", "risks": ["A", "B", "D"], "rho": 0.6}],
                    "between": 0.1},
}


@pytest.fixture
def mixed_registry() -> Registry:
    """Eight risks, one of each family, a capex risk, phasing past the horizon, block
    correlation."""
    return Registry.from_dict(MIXED)


@pytest.fixture
def independent_registry() -> Registry:
    d = dict(MIXED)
    d.pop("correlation")
    return Registry.from_dict(d)
