"""``@jitable``: scalar economics functions that stay plain Python when called from Python and are
compiled into the Numba kernels of :mod:`riskdesk.economics.kernels` when a kernel calls them, so
the deterministic evaluation and the stochastic kernels run the very same formulas.

Numba itself stays inside :mod:`riskdesk.engine.jit`, the one place for JIT options.
"""

from __future__ import annotations

from riskdesk.engine.jit import jitable

__all__ = ["jitable"]
