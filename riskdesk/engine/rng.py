"""Counter-based random numbers: every draw is a pure function of (stream key, path, index).

Keys come from ``numpy.random.SeedSequence(run_seed)`` (see :func:`stream_keys`); a draw for path
``k`` and risk ``i`` is a SplitMix64-style hash of the key and the counters, so path ``k`` sees the
same numbers whatever the thread count, chunk size or order of evaluation.

Latin Hypercube sampling is replicated in fixed blocks of :data:`BLOCK` paths: inside each block,
every risk's uniforms fall one per stratum ``j/B .. (j+1)/B``, in an order given by a Fisher-Yates
shuffle keyed by (block, risk). Blocks, not chunks, are the unit, so results do not depend on
chunking.
"""

from __future__ import annotations

import numpy as np

from riskdesk.engine.jit import device

BLOCK = 1024  # paths per LHS block and per deterministic partial sum

_G1 = np.uint64(0x9E3779B97F4A7C15)
_G2 = np.uint64(0xD1B54A32D192ED03)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0


def stream_keys(seed: int, count: int = 4) -> np.ndarray:
    """``count`` uint64 stream keys derived from the run seed by ``SeedSequence``."""
    return np.random.SeedSequence(int(seed)).generate_state(count, dtype=np.uint64)


@device
def mix64(z: np.uint64) -> np.uint64:
    """SplitMix64 finaliser: a bijective avalanche of 64 bits."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@device
def hash3(key: np.uint64, a: np.int64, b: np.int64) -> np.uint64:
    """64 random bits for counters (a, b) under ``key``."""
    h = mix64(key ^ (np.uint64(a) * _G1))
    return mix64(h + np.uint64(b) * _G2 + _G1)


@device
def uniform(key: np.uint64, a: np.int64, b: np.int64) -> float:
    """Uniform in the open interval (0, 1) for counters (a, b)."""
    return (float(hash3(key, a, b) >> _S11) + 0.5) * _INV53


@device
def block_permutation(key: np.uint64, block: np.int64, stream: np.int64, out: np.ndarray) -> None:
    """Fill ``out`` (int32, length B) with a random permutation of 0..B-1 for (block, stream)."""
    n = out.shape[0]
    for j in range(n):
        out[j] = j
    skey = mix64(key ^ (np.uint64(stream) * _G2 + _M1))
    for j in range(n - 1, 0, -1):
        r = np.int64(hash3(skey, block, j) >> _S11) % (j + 1)
        t = out[j]
        out[j] = out[r]
        out[r] = t
