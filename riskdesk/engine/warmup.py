"""Load the engine ahead of the first run: imports, Numba's target context and the cached kernels.

The first call of a cached kernel in a process initialises Numba (about half a second here) and
loads the kernel's object code; in the desktop app that work would otherwise land on the first run
the user starts. :func:`load_engine` does it with a two-risk model through the real driver, so the
kernels are loaded with exactly the argument types of real runs.

The loading creates many long-lived objects (modules, types, compiled functions). A full garbage
collection triggered in the middle of it holds the interpreter for tens of milliseconds, which a
GUI shows as a frozen window; so collection is paused while loading and the loaded objects are
then frozen out of future collections (:mod:`riskdesk.collector`).
"""

from __future__ import annotations

import time

from riskdesk import collector

_loaded = False


def loaded() -> bool:
    """True once :func:`load_engine` has run in this process."""
    return _loaded


def load_engine() -> float:
    """Import the engine and load its kernels (once per process); returns the seconds spent."""
    global _loaded
    if _loaded:
        return 0.0
    t0 = time.perf_counter()
    collector.pause()
    try:
        from riskdesk.domain.registry import Registry
        from riskdesk.engine.driver import SimulationSettings, simulate

        reg = Registry.from_dict({
            "name": "warm-up", "months": 2, "units": "kUSD",
            "risks": [{"id": f"W{i}", "probability": 0.5,
                       "impact": {"dist": "pert", "min": -2.0, "mode": -1.0, "max": 1.0},
                       "phasing": {"type": "window", "start": i, "length": 1}}
                      for i in range(2)],
            "correlation": {"method": "iman-conover", "apply_to": "compound",
                            "pairs": [{"a": "W0", "b": "W1", "rho": 0.3}]}})
        simulate(reg, settings=SimulationSettings(iterations=1024, seed=1, tornado_paths=64))
        from riskdesk.engine.driver import PILOT
        from riskdesk.engine.rng import BLOCK

        # beyond the memory budget: the streaming-histogram kernels of very large runs
        simulate(reg, settings=SimulationSettings(iterations=PILOT + BLOCK, seed=1,
                                                  tornado_paths=64, memory_budget_mb=0.0))
        _loaded = True
    finally:
        collector.resume(freeze=True)
    return time.perf_counter() - t0
