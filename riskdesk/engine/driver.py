"""The chunked simulation driver: validate -> allocate -> loop over chunks -> yield -> result.

``run_simulation`` is a plain generator. Each ``yield Progress(...)`` is a cancellation point: a
consumer that stops iterating (or calls ``close()``) stops the run within one chunk. The result is
the generator's return value (``StopIteration.value``); :func:`simulate` runs to completion.

Memory: monthly paths are float32. When ``2 * N * T * 4`` bytes fit ``memory_budget_mb``, all
monthly paths are kept (months x paths) and percentiles are exact (numpy's "linear" rule on the
float32 paths; cumulative sums are accumulated in float64 and rounded to float32); otherwise percentiles come from
streaming histograms fixed by a pilot of the first :data:`PILOT` paths (error <= one bin width,
reported in ``SimulationResult.quantile_error``). Path totals are always kept exactly (float64).
"""

from __future__ import annotations

import math
import time
from collections.abc import Generator
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from riskdesk.domain.baseline import BaselinePlan
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import Registry
from riskdesk.engine import analytics
from riskdesk.engine.quantiles import BAND_KEYS, PERCENTILES, HistogramSeries
from riskdesk.engine.rng import BLOCK

ENGINE_VERSION = "1.0"
PILOT = 32 * BLOCK
PREVIEW_PATHS = 4096
SAMPLINGS = ("lhs", "mc")


@dataclass(frozen=True)
class SimulationSettings:
    """How to run. ``auto_stop_halfwidth`` (registry units): stop at the first checkpoint
    (1024 * 2^j paths) where the 95 % CI half-width of the P90 of the EBITDA total is below it."""

    iterations: int = 10_000
    seed: int = 12345
    sampling: str = "lhs"
    chunk_size: int = 16_384
    threads: int | None = None
    post_mitigation: bool = False
    correlation_method: str | None = None
    repair_correlation: bool = False
    auto_stop_halfwidth: float | None = None
    memory_budget_mb: float = 256.0
    tornado_paths: int | None = None  # None: min(N, max(5000, N / 20))

    def problems(self) -> list[Problem]:
        out = []
        if not isinstance(self.iterations, int) or self.iterations <= 0:
            out.append(Problem("settings.iterations", f"iterations {self.iterations} must be > 0"))
        if self.sampling not in SAMPLINGS:
            out.append(Problem("settings.sampling", f"sampling {self.sampling!r} is not lhs or mc"))
        if self.chunk_size <= 0:
            out.append(Problem("settings.chunk_size", f"chunk size {self.chunk_size} must be > 0"))
        if self.threads is not None and self.threads <= 0:
            out.append(Problem("settings.threads", f"threads {self.threads} must be > 0"))
        if not 0 <= self.seed < 2**63:
            out.append(Problem("settings.seed", f"seed {self.seed} must be in 0..2^63-1"))
        if self.auto_stop_halfwidth is not None and not self.auto_stop_halfwidth > 0:
            out.append(Problem("settings.auto_stop_halfwidth", "target half-width must be > 0"))
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Bands:
    """Per-month P10/P25/P50/P75/P90 and mean, monthly and cumulative (registry units)."""

    monthly: dict[str, np.ndarray]
    cumulative: dict[str, np.ndarray]

    def shifted(self, base: np.ndarray) -> Bands:
        """The bands of ``base + delta`` (percentiles commute with adding a constant)."""
        cb = np.cumsum(base)
        return Bands({k: v + base for k, v in self.monthly.items()},
                     {k: v + cb for k, v in self.cumulative.items()})


@dataclass(frozen=True)
class Progress:
    """``done`` of ``total`` paths; ``preview`` = approximate bands of the paths so far, keyed
    like ``SimulationResult.series`` (deltas, plus plan + risks when a baseline was given)."""

    done: int
    total: int
    preview: dict[str, Bands]
    elapsed: float


@dataclass
class SimulationResult:
    """Everything a run produces; small arrays except ``totals`` (length N) and the risk sample."""

    registry_name: str
    units: str
    months: int
    start: str
    risk_ids: list[str]
    capex: np.ndarray
    iterations: int
    requested_iterations: int
    settings: SimulationSettings
    series: dict[str, Bands]
    totals: dict[str, np.ndarray]
    baseline: dict[str, np.ndarray] | None
    tornado: dict[str, list[analytics.TornadoBar]]
    sample_contrib: np.ndarray
    sample_on: np.ndarray
    quantile_mode: str
    quantile_error: float
    manifest: dict[str, Any] = field(default_factory=dict)

    def total_summary(self, which: str = "ebitda") -> dict[str, float]:
        """P10..P90 and mean of the path totals (linear percentiles)."""
        z = self.totals[which]
        vals = np.percentile(z, PERCENTILES)
        out = {k: float(v) for k, v in zip(BAND_KEYS, vals, strict=True)}
        out["mean"] = float(z.mean())
        return out


def simulate(registry: Registry, baseline: BaselinePlan | None = None,
             settings: SimulationSettings | None = None) -> SimulationResult:
    """Run :func:`run_simulation` to the end and return its result."""
    gen = run_simulation(registry, baseline, settings or SimulationSettings())
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value


def baseline_lines(baseline: BaselinePlan, registry: Registry) -> dict[str, np.ndarray]:
    """Baseline EBITDA and cash flow over the registry's months (aligned by start month)."""
    from riskdesk.domain.baseline import month_label

    probs = baseline.validate()
    labels = [month_label(baseline.start, i) for i in range(baseline.months)] if not probs else []
    first = month_label(registry.start, 0)
    last = month_label(registry.start, registry.months - 1)
    if not probs and (first not in labels or last not in labels):
        probs.append(Problem("baseline.months", f"baseline {baseline.name!r} covers "
                             f"{labels[0]}..{labels[-1]}, the registry needs {first}..{last}"))
    if probs:
        raise ValidationError(probs)
    off = labels.index(first)
    sl = slice(off, off + registry.months)
    return {"ebitda": baseline.line("ebitda")[sl].copy(),
            "cash_flow": baseline.line("cash_flow")[sl].copy()}


def run_simulation(registry: Registry, baseline: BaselinePlan | None = None,
                   settings: SimulationSettings | None = None
                   ) -> Generator[Progress, None, SimulationResult]:
    """Simulate ``registry`` (+ ``baseline``) chunk by chunk; see the module docstring."""
    from riskdesk.engine import jit
    from riskdesk.engine.kernels import simulate_chunk
    from riskdesk.engine.model import compile_model
    from riskdesk.engine.rng import stream_keys

    s = settings or SimulationSettings()
    t0 = time.perf_counter()
    problems = s.problems()
    if problems:
        raise ValidationError(problems)
    model = compile_model(registry, s.post_mitigation, s.correlation_method, s.repair_correlation)
    base = baseline_lines(baseline, registry) if baseline is not None else None
    threads = jit.set_threads(s.threads)
    N, T, R = s.iterations, registry.months, len(model.risk_ids)
    chunk = max(BLOCK, -(-s.chunk_size // BLOCK) * BLOCK)
    exact = 2.0 * N * T * 4 <= s.memory_budget_mb * 2**20
    S = min(N, max(5_000, N // 20) if s.tornado_paths is None else max(0, s.tornado_paths))
    nblocks = -(-N // BLOCK)
    tot_e, tot_c = np.empty(N), np.empty(N)
    samp_c = np.zeros((S, R), np.float32)
    samp_on = np.zeros((S, R), np.float32)
    bsum_e, bsum_c = np.zeros((nblocks, T)), np.zeros((nblocks, T))
    bstat, brisk = np.zeros((nblocks, 4)), np.zeros((nblocks, R, 3))
    P = N if exact else min(N, PILOT)
    store_e, store_c = np.empty((T, P), np.float32), np.empty((T, P), np.float32)
    hists: dict[str, HistogramSeries] = {}
    cum_buf: np.ndarray | None = None  # running sums of a chunk, beyond the pilot
    scratch = np.empty(2 * T * chunk, np.float32)
    bounds = set(range(0, N, chunk)) | {N, P}
    checkpoints = []
    if s.auto_stop_halfwidth is not None:
        checkpoints = [BLOCK * 2**j for j in range(2, 40) if BLOCK * 2**j < N]
        bounds |= set(checkpoints)
    edges = sorted(bounds)
    keys = stream_keys(s.seed)
    lhs = s.sampling == "lhs"
    t_setup = time.perf_counter() - t0
    done = 0
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        n = b - a
        out_e = scratch[: T * n].reshape(n, T)
        out_c = scratch[T * chunk: T * chunk + T * n].reshape(n, T)
        g0, g1 = a // BLOCK, -(-b // BLOCK)
        simulate_chunk(keys, model.rkey, model.dkey, lhs, a, n, model.fam, model.par,
                       model.prob, model.neg, model.pert_tab, model.disc_v, model.disc_cw, model.ph_ptr,
                       model.ph_month, model.ph_w, model.wsum, model.capex, model.const_e,
                       model.const_c, model.fac_ptr, model.fac_col, model.fac_val,
                       model.nfac, model.apply_impact, out_e, out_c,
                       tot_e[a:b], tot_c[a:b], bsum_e[g0:g1], bsum_c[g0:g1], bstat[g0:g1],
                       brisk[g0:g1], samp_c, samp_on)
        if b <= P:
            store_e[:, a:b] = out_e.T
            store_c[:, a:b] = out_c.T
        if not exact:
            if b == P:
                for key, mon in (("e", store_e), ("c", store_c)):
                    cum = np.cumsum(mon, axis=0, dtype=np.float64)
                    hists[key], hists[key + "cum"] = HistogramSeries(mon), HistogramSeries(cum)
                    hists[key].add(mon)
                    hists[key + "cum"].add(cum)
            elif b > P:
                if cum_buf is None:
                    cum_buf = np.empty((chunk, T))
                for key, arr in (("e", out_e), ("c", out_c)):
                    hists[key].add_paths(hists[key + "cum"], arr, cum_buf[:n])
        done = b
        target = s.auto_stop_halfwidth
        stop = target is not None and any(a < cp <= b for cp in checkpoints) \
            and analytics.p90_halfwidth(tot_e[:b]) < target
        preview = _preview(store_e, store_c, hists, bsum_e, bsum_c, done, P)
        if base is not None:
            preview["ebitda"] = preview["ebitda_delta"].shifted(base["ebitda"])
            preview["cash_flow"] = preview["cash_flow_delta"].shifted(base["cash_flow"])
        yield Progress(done, N, preview, time.perf_counter() - t0)
        if stop:
            break
    t_paths = time.perf_counter() - t0 - t_setup
    if done < P:  # auto-stop inside the pilot: fall back to exact on what we have
        exact = True
    series = _final_bands(exact, store_e, store_c, hists, bsum_e, bsum_c, done)
    if base is not None:
        series["ebitda"] = series["ebitda_delta"].shifted(base["ebitda"])
        series["cash_flow"] = series["cash_flow_delta"].shifted(base["cash_flow"])
    totals = {"ebitda": tot_e[:done], "cash_flow": tot_c[:done]}
    Sd = min(S, done)
    g = -(-done // BLOCK)
    tornado = {
        which: analytics.tornado(model.risk_ids, samp_c[:Sd], samp_on[:Sd], totals[which][:Sd],
                                 brisk[:g, :, 0].sum(axis=0), brisk[:g, :, col].sum(axis=0),
                                 bstat[:g, 2 * j].sum(), bstat[:g, 2 * j + 1].sum(), done,
                                 include=~model.capex if which == "ebitda" else None)
        for j, (which, col) in enumerate((("ebitda", 1), ("cash_flow", 2)))
    }
    errs = [h.percentiles()[1] for h in hists.values()] if not exact else [0.0]
    result = SimulationResult(
        registry_name=registry.name, units=registry.units, months=T, start=registry.start,
        risk_ids=model.risk_ids, capex=model.capex, iterations=done, requested_iterations=N,
        settings=s, series=series, totals=totals, baseline=base, tornado=tornado,
        sample_contrib=samp_c[:Sd], sample_on=samp_on[:Sd],
        quantile_mode="exact" if exact else "histogram", quantile_error=max(errs))
    result.manifest = {
        "engine": ENGINE_VERSION, **jit.versions(), "threads": threads,
        "input_hash": registry.content_hash(),
        "baseline_hash": baseline.content_hash() if baseline is not None else None,
        "seed": s.seed, "iterations": done, "requested_iterations": N, "sampling": s.sampling,
        "block": BLOCK, "chunk_size": chunk, "post_mitigation": s.post_mitigation,
        "correlation": {"method": model.method, "apply_to": registry.correlation.apply_to,
                        "repair": model.repair, "notes": model.notes},
        "quantile_method": "linear", "quantile_mode": result.quantile_mode,
        "quantile_error_bound": result.quantile_error,
        "timings": {"setup_s": t_setup, "paths_s": t_paths,
                    "total_s": time.perf_counter() - t0},
    }
    return result


def _bands(pct: np.ndarray, cum_pct: np.ndarray, mean: np.ndarray) -> Bands:
    mon = {k: pct[:, j].copy() for j, k in enumerate(BAND_KEYS)}
    cum = {k: cum_pct[:, j].copy() for j, k in enumerate(BAND_KEYS)}
    mon["mean"] = mean
    cum["mean"] = np.cumsum(mean)
    return Bands(mon, cum)


def _means(bsum: np.ndarray, done: int) -> np.ndarray:
    return bsum[: -(-done // BLOCK)].sum(axis=0) / done


def _final_bands(exact: bool, store_e: np.ndarray, store_c: np.ndarray,
                 hists: dict[str, HistogramSeries], bsum_e: np.ndarray, bsum_c: np.ndarray,
                 done: int) -> dict[str, Bands]:
    out = {}
    for name, key, store, bsum in (("ebitda_delta", "e", store_e, bsum_e),
                                   ("cash_flow_delta", "c", store_c, bsum_c)):
        if exact:
            pct, cpct = _exact_bands(store, done)
        else:
            pct = hists[key].percentiles()[0]
            cpct = hists[key + "cum"].percentiles()[0]
        out[name] = _bands(pct, cpct, _means(bsum, done))
    return out


def _exact_bands(store: np.ndarray, done: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact monthly and cumulative percentiles ("linear") of the first ``done`` paths of
    ``store`` (months x paths, float32). Overwrites them with cumulative sums."""
    from riskdesk.engine.kernels import cumulate_months

    mat = store[:, :done] if done == store.shape[1] else np.ascontiguousarray(store[:, :done])
    pct = _row_percentiles(mat)
    cumulate_months(mat)
    return pct, _row_percentiles(mat)


def _row_percentiles(mat: np.ndarray) -> np.ndarray:
    """Percentiles of each row of ``mat`` (T x n) -> T x len(PERCENTILES), "linear" method:
    interpolate between order statistics floor(h) and floor(h)+1, h = (n - 1) q."""
    from riskdesk.engine.kernels import row_order_stats

    n = mat.shape[1]
    h = (n - 1) * np.asarray(PERCENTILES, float) / 100.0
    lo = np.floor(h).astype(np.int64)
    hi = np.minimum(lo + 1, n - 1)
    out = np.empty((mat.shape[0], 2 * len(h)))
    row_order_stats(mat, np.concatenate([lo, hi]), out)
    x0, x1 = out[:, : len(h)], out[:, len(h):]
    return x0 + (h - lo) * (x1 - x0)


def _preview(store_e: np.ndarray, store_c: np.ndarray, hists: dict[str, HistogramSeries],
             bsum_e: np.ndarray, bsum_c: np.ndarray, done: int, pilot: int) -> dict[str, Bands]:
    """Approximate bands for a live chart: a strided subsample of stored paths, or histograms."""
    out = {}
    step = max(1, math.ceil(min(done, pilot) / PREVIEW_PATHS))
    for name, key, store, bsum in (("ebitda_delta", "e", store_e, bsum_e),
                                   ("cash_flow_delta", "c", store_c, bsum_c)):
        if hists:
            pct, cpct = hists[key].percentiles()[0], hists[key + "cum"].percentiles()[0]
        else:
            sub = np.array(store[:, : min(done, pilot): step], order="C")  # a copy (cumulated)
            pct, cpct = _exact_bands(sub, sub.shape[1])
        out[name] = _bands(pct, cpct, _means(bsum, done))
    return out
