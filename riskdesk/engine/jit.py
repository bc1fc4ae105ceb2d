"""The one place that sets Numba options for riskdesk kernels.

Import numba only through this module: it first points Numba's on-disk JIT cache at a writable
per-user directory (``riskdesk.paths.cache_dir()/numba``) unless the user already set
``NUMBA_CACHE_DIR``, so compiled kernels survive between runs (time to first result) even when the
package itself is installed read-only.

Options: ``kernel`` = parallel, nogil, cache, fastmath off (results must be bit-reproducible);
``device`` = the same without ``parallel`` for helpers that kernels call; ``inline`` = a device
function that Numba inlines into its callers' IR, for scalar helpers on the hot path (a call
boundary there costs reference counting on every array argument; inlining changes no result).
"""

from __future__ import annotations

import os
import sys
from typing import Any


def cache_dir() -> str:
    """Directory of the JIT cache in use (created if needed)."""
    path = os.environ.get("NUMBA_CACHE_DIR")
    if not path:
        from riskdesk.paths import cache_dir as user_cache

        path = str(user_cache() / "numba")
        os.environ["NUMBA_CACHE_DIR"] = path
    os.makedirs(path, exist_ok=True)
    return path


cache_dir()

import numba  # noqa: E402  (must follow the cache directory set-up)


def _load_array_math_without_blas_probe() -> None:
    """Import ``numba.np.arraymath`` with its import-time BLAS probe answered "no" at once.

    Numba imports that module when it initialises its CPU target (the first kernel a process
    loads), and the module probes for a BLAS by importing ``scipy.linalg``: about 0.1-0.15 s of a
    fresh process's time to first result here. The answer only picks the inner product inside
    ``np.convolve``/``np.correlate``; functions that do use BLAS (``np.dot``, ``np.linalg``) import
    it themselves when they compile, so they still work. No riskdesk kernel uses any of them.
    """
    if "numba.np.arraymath" in sys.modules:
        return
    from numba.np import linalg

    real = linalg.ensure_blas

    def no_probe() -> None:
        raise ImportError("BLAS probe skipped at start-up")

    linalg.ensure_blas = no_probe
    try:
        from numba.np import arraymath
    finally:
        linalg.ensure_blas = real
    arraymath.ensure_blas = real  # type: ignore[attr-defined]


_load_array_math_without_blas_probe()

KERNEL_OPTIONS: dict[str, Any] = {"parallel": True, "nogil": True, "cache": True,
                                  "fastmath": False, "error_model": "numpy"}
DEVICE_OPTIONS: dict[str, Any] = {"nogil": True, "cache": True, "fastmath": False,
                                  "error_model": "numpy"}

kernel = numba.njit(**KERNEL_OPTIONS)
device = numba.njit(**DEVICE_OPTIONS)
inline = numba.njit(**DEVICE_OPTIONS, inline="always")
prange = numba.prange


def jitable(fn: Any) -> Any:
    """Mark a scalar function that stays plain Python when called from Python and is compiled into
    any kernel that calls it (so deterministic and stochastic code share one formula)."""
    from numba.extending import register_jitable

    return register_jitable(fn)


def set_threads(threads: int | None) -> int:
    """Use ``threads`` worker threads in this thread's kernels (None = all); returns the count."""
    n = int(numba.config.NUMBA_NUM_THREADS)  # type: ignore[attr-defined]
    k = n if not threads else max(1, min(int(threads), n))
    numba.set_num_threads(k)
    return k


def versions() -> dict[str, str]:
    """Versions of the numerical libraries that shape results (for run manifests)."""
    from importlib import metadata

    import numpy

    scipy = sys.modules.get("scipy")  # not imported just to read its version
    sv = getattr(scipy, "__version__", None) or metadata.version("scipy")
    return {"numba": numba.__version__, "numpy": numpy.__version__, "scipy": sv}
