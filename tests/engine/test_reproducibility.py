"""Results are a function of the inputs and the seed only: not of threads or chunking."""

import numpy as np
import pytest

from riskdesk.engine.driver import SimulationSettings, simulate


def _arrays(res):
    out = {f"tot.{k}": v for k, v in res.totals.items()}
    for name, bands in res.series.items():
        for kind in ("monthly", "cumulative"):
            for k, v in getattr(bands, kind).items():
                out[f"{name}.{kind}.{k}"] = v
    out["sample"] = res.sample_contrib
    out["tornado"] = np.array([(b.variance_share, b.p50_off, b.p50_on)
                               for b in res.tornado["ebitda"]])
    return out


@pytest.mark.parametrize("sampling", ["lhs", "mc"])
def test_that_results_are_bit_identical_for_any_thread_count_and_chunk_size(
        mixed_registry, sampling):
    base = dict(iterations=9_000, seed=77, sampling=sampling)
    a = _arrays(simulate(mixed_registry, settings=SimulationSettings(
        **base, threads=1, chunk_size=1024)))
    b = _arrays(simulate(mixed_registry, settings=SimulationSettings(
        **base, threads=2, chunk_size=5000)))
    assert a.keys() == b.keys()
    for k in a:
        assert np.array_equal(a[k], b[k]), k


def test_that_streaming_histogram_results_are_reproducible_and_within_their_error_bound(
        mixed_registry):
    n = 40_000  # past the 32768-path pilot, so histograms are really streamed
    tiny = 2 * n * 24 * 4 / 2**20 / 2  # budget below what exact mode needs
    s = dict(iterations=n, seed=5, memory_budget_mb=tiny)
    a = simulate(mixed_registry, settings=SimulationSettings(**s, threads=1, chunk_size=2048))
    b = simulate(mixed_registry, settings=SimulationSettings(**s, threads=2, chunk_size=16384))
    exact = simulate(mixed_registry, settings=SimulationSettings(iterations=n, seed=5))
    assert a.quantile_mode == "histogram" and exact.quantile_mode == "exact"
    for k, v in _arrays(a).items():
        assert np.array_equal(v, _arrays(b)[k]), k
    for name in ("ebitda_delta", "cash_flow_delta"):
        for kind in ("monthly", "cumulative"):
            for k in ("p10", "p50", "p90"):
                got = getattr(a.series[name], kind)[k]
                want = getattr(exact.series[name], kind)[k]
                assert np.all(np.abs(got - want) <= a.quantile_error + 1e-6), (name, kind, k)


def test_that_a_different_seed_gives_different_paths(mixed_registry):
    a = simulate(mixed_registry, settings=SimulationSettings(iterations=2048, seed=1))
    b = simulate(mixed_registry, settings=SimulationSettings(iterations=2048, seed=2))
    assert not np.array_equal(a.totals["ebitda"], b.totals["ebitda"])


def test_that_a_longer_run_starts_with_the_same_paths(mixed_registry):
    short = simulate(mixed_registry, settings=SimulationSettings(iterations=3000, seed=4))
    long = simulate(mixed_registry, settings=SimulationSettings(iterations=8000, seed=4))
    assert np.array_equal(short.totals["ebitda"], long.totals["ebitda"][:3000])


def test_that_a_risk_keeps_its_random_numbers_when_another_risk_is_removed(mixed_registry):
    """Common random numbers: streams follow risk ids, not positions."""
    from riskdesk.domain.registry import Registry

    d = mixed_registry.to_dict()
    d.pop("correlation")
    full = Registry.from_dict(d)
    d["risks"] = [r for r in d["risks"] if r["id"] != "A"]
    fewer = Registry.from_dict(d)
    s = SimulationSettings(iterations=2048, seed=3)
    a, b = simulate(full, settings=s), simulate(fewer, settings=s)
    for rid in ("B", "F"):
        assert np.array_equal(a.sample_contrib[:, a.risk_ids.index(rid)],
                              b.sample_contrib[:, b.risk_ids.index(rid)])
