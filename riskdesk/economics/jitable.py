"""``@jitable``: scalar economics functions that stay plain Python when called from Python and are
compiled into the Numba kernels of :mod:`riskdesk.economics.kernels` when a kernel calls them, so
the deterministic evaluation and the stochastic kernels run the very same formulas.

Numba is imported through :mod:`riskdesk.engine.jit` first (it sets up the JIT cache directory).
"""

from __future__ import annotations

# isort: off
from riskdesk.engine import jit as _jit  # noqa: F401  (cache set-up must precede numba use)
from numba.extending import register_jitable as jitable
# isort: on

__all__ = ["jitable"]
