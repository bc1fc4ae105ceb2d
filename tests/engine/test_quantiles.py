"""Streaming percentile histograms (used beyond the exact-percentile memory budget)."""

from __future__ import annotations

import numpy as np

from riskdesk.engine.quantiles import HistogramSeries


def test_that_binning_paths_and_their_running_sums_matches_binning_each_series():
    rng = np.random.default_rng(7)
    paths = (rng.normal(size=(3000, 24)) * 50).astype(np.float32)
    paths[500::7, 3] = 1e9  # beyond the pilot's range: overflow and underflow bins count too
    paths[500::11, 5] = -1e9
    pilot = paths[:500].T
    mon, cum = HistogramSeries(pilot), HistogramSeries(np.cumsum(pilot, axis=0, dtype=float))
    mon.add_paths(cum, paths, np.empty(paths.shape))
    ref_m, ref_c = HistogramSeries(pilot), HistogramSeries(np.cumsum(pilot, axis=0, dtype=float))
    ref_m.add(np.ascontiguousarray(paths.T))
    ref_c.add(np.ascontiguousarray(np.cumsum(paths, axis=1, dtype=np.float64).T))
    assert np.array_equal(mon.counts, ref_m.counts) and np.array_equal(cum.counts, ref_c.counts)
    assert mon.n == cum.n == 3000 and mon.counts[3, -1] == len(range(500, 3000, 7))


def test_that_histogram_percentiles_are_within_their_stated_error_of_exact_ones():
    rng = np.random.default_rng(3)
    vals = rng.lognormal(size=(6, 50_000))
    h = HistogramSeries(vals[:, :4096])
    h.add(vals)
    got, err = h.percentiles()
    want = np.percentile(vals, (10, 25, 50, 75, 90), axis=1).T
    assert np.isfinite(err) and np.all(np.abs(got - want) <= err)
