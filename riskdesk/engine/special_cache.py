"""Beta-function values that PERT risks need, kept on disk between processes.

A PERT risk's quantile table needs ``scipy.special.betaincinv`` at the table nodes, and its chance
of a negative impact needs ``betainc``. Importing ``scipy.special`` costs a tenth of a second or
more, about a tenth of the time to a first result in a fresh process; the values only depend on
the shape parameters. So, like compiled kernels, they are computed once by scipy and then read
back from the per-user cache directory (``riskdesk.paths.cache_dir()/special``).

The values are scipy's own, bit for bit, so results do not depend on whether the cache was used.
Entries are keyed by the function, its exact arguments and a stamp of the installed scipy binary
(size and modification time of ``scipy/special/_ufuncs*``), so upgrading scipy recomputes them.
Anything unexpected (no writable cache, a damaged file) falls back to computing.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import numpy as np


@functools.lru_cache(maxsize=1)
def _scipy_stamp() -> str | None:
    """Identity of the installed scipy.special binary, found without importing scipy."""
    try:
        from importlib.util import find_spec

        spec = find_spec("scipy")
        if spec is None or spec.origin is None:
            return None
        parts = []
        for f in sorted((Path(spec.origin).parent / "special").glob("_ufuncs*")):
            st = f.stat()
            parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
        return ";".join(parts) or None
    except (OSError, ValueError, ImportError):
        return None


def _path(name: str, args: tuple[float, ...], u: np.ndarray | None) -> Path | None:
    stamp = _scipy_stamp()
    if stamp is None:
        return None
    h = hashlib.sha256(f"{name}|{args!r}|{stamp}".encode())
    if u is not None:
        h.update(np.ascontiguousarray(u, "<f8").tobytes())
    try:
        from riskdesk.paths import cache_dir

        return cache_dir() / "special" / f"{name}-{h.hexdigest()[:32]}.f8"
    except OSError:
        return None


def _cached(path: Path | None, n: int) -> np.ndarray | None:
    if path is None:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if len(raw) != 8 * n:
        return None  # damaged or foreign: recompute
    return np.frombuffer(raw, "<f8").astype(float)


def _store(path: Path | None, values: np.ndarray) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(np.ascontiguousarray(values, "<f8").tobytes())
        os.replace(tmp, path)  # readers see the whole file or none
    except OSError:
        pass


def beta_quantiles(a: float, b: float, u: np.ndarray) -> np.ndarray:
    """``scipy.special.betaincinv(a, b, u)``: the Beta(a, b) quantiles at levels ``u``."""
    u = np.asarray(u, float)
    path = _path("betaincinv", (float(a), float(b)), u)
    got = _cached(path, u.size)
    if got is not None:
        return got.reshape(u.shape)
    from scipy import special

    out = np.asarray(special.betaincinv(a, b, u), float)
    _store(path, out)
    return out


def beta_cdf(a: float, b: float, x: float) -> float:
    """``scipy.special.betainc(a, b, x)``: the Beta(a, b) distribution function at ``x``."""
    path = _path("betainc", (float(a), float(b), float(x)), None)
    got = _cached(path, 1)
    if got is not None:
        return float(got[0])
    from scipy import special

    out = float(special.betainc(a, b, x))
    _store(path, np.array([out]))
    return out
