"""PERT's beta-function values: scipy's own numbers, read back from the per-user cache."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from scipy import special

from riskdesk.engine import special_cache


@pytest.fixture
def cache(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RISKDESK_CACHE_DIR", str(tmp_path))
    return tmp_path / "special"


def test_that_cached_values_are_scipys_bit_for_bit(cache):
    u = 0.5 * (1 - np.cos(np.pi * np.arange(65) / 64))
    first = special_cache.beta_quantiles(2.2, 3.8, u)
    assert len(list(cache.glob("betaincinv-*.f8"))) == 1
    again = special_cache.beta_quantiles(2.2, 3.8, u)
    want = special.betaincinv(2.2, 3.8, u)
    assert np.array_equal(first, want) and np.array_equal(again, want)
    assert special_cache.beta_cdf(2.2, 3.8, 0.3) == special_cache.beta_cdf(2.2, 3.8, 0.3) \
        == float(special.betainc(2.2, 3.8, 0.3))
    other = special_cache.beta_quantiles(2.2, 3.9, u)  # another shape: its own entry
    assert np.array_equal(other, special.betaincinv(2.2, 3.9, u))


def test_that_a_damaged_cache_file_is_recomputed(cache):
    x = special_cache.beta_cdf(1.5, 4.5, 0.25)
    (f,) = cache.glob("betainc-*.f8")
    f.write_bytes(b"not eight bytes")
    assert special_cache.beta_cdf(1.5, 4.5, 0.25) == x
    assert len(f.read_bytes()) == 8


def test_that_a_warm_cache_spares_a_fresh_process_the_scipy_special_import(tmp_path):
    code = (
        "import sys\n"
        "from riskdesk.domain.registry import Registry\n"
        "from riskdesk.engine.driver import SimulationSettings, simulate\n"
        "reg = Registry.from_dict({'name': 'p', 'months': 3, 'risks': [{'id': 'A', "
        "'probability': 0.4, 'impact': {'dist': 'pert', 'min': -5, 'mode': -1, 'max': 2}, "
        "'phasing': {'type': 'window', 'start': 0, 'length': 2}}]})\n"
        "r = simulate(reg, settings=SimulationSettings(iterations=2048, seed=1))\n"
        "print(repr(float(r.totals['ebitda'].sum())), 'scipy.special' in sys.modules)\n")
    env = {**os.environ, "RISKDESK_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=True, timeout=240).stdout.split() for _ in range(2)]
    assert runs[0][1] == "True" and runs[1][1] == "False"  # computed once, then read back
    assert runs[0][0] == runs[1][0]  # the same result either way
