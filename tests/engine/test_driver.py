"""The chunked driver: progress, cancellation, validation, baseline, mitigation, auto-stop."""

import json

import numpy as np
import pytest

from riskdesk.domain.baseline import BaselinePlan
from riskdesk.domain.problems import ValidationError
from riskdesk.domain.registry import Registry
from riskdesk.engine import analytics
from riskdesk.engine.driver import SimulationSettings, run_simulation, simulate
from riskdesk.engine.result_json import write_result


def test_that_progress_is_reported_per_chunk_with_a_preview(mixed_registry):
    gen = run_simulation(mixed_registry, None, SimulationSettings(iterations=10_000,
                                                                  chunk_size=2048))
    seen = []
    try:
        while True:
            p = next(gen)
            seen.append(p.done)
            assert p.total == 10_000
            assert p.preview["ebitda_delta"].monthly["p50"].shape == (24,)
    except StopIteration as stop:
        result = stop.value
    assert seen == [2048, 4096, 6144, 8192, 10_000]
    assert result.iterations == 10_000


def test_that_the_live_preview_tracks_the_final_bands(mixed_registry):
    """The preview of a finished run is its bands from a ~4096-path subsample: P10 and P90 within
    a small share of the P10-P90 width (a subsample of n paths errs by about 1/sqrt(n))."""
    gen = run_simulation(mixed_registry, None, SimulationSettings(iterations=20_000,
                                                                  chunk_size=4096, seed=3))
    try:
        while True:
            last = next(gen)
    except StopIteration as stop:
        result = stop.value
    for kind in ("monthly", "cumulative"):
        fin = getattr(result.series["ebitda_delta"], kind)
        pre = getattr(last.preview["ebitda_delta"], kind)
        width = fin["p90"] - fin["p10"]
        ok = width > 1e-9 * max(1.0, float(np.abs(fin["p10"]).max()))
        for q in ("p10", "p50", "p90"):
            err = np.abs(pre[q] - fin[q])[ok] / width[ok]
            assert err.mean() < 0.05 and err.max() < 0.25, (kind, q, err.mean(), err.max())


def test_that_cancelling_stops_the_run_within_one_chunk(mixed_registry, monkeypatch):
    import riskdesk.engine.kernels as kernels

    calls = []
    real = kernels.simulate_chunk

    def counting(*args):
        calls.append(args[5])  # n, the chunk length
        return real(*args)

    monkeypatch.setattr(kernels, "simulate_chunk", counting)
    gen = run_simulation(mixed_registry, None, SimulationSettings(iterations=50_000,
                                                                  chunk_size=4096))
    first = next(gen)
    gen.close()  # what the GUI's Cancel and the CLI's Ctrl-C do
    assert first.done == 4096
    assert calls == [4096]
    with pytest.raises(StopIteration):
        next(gen)


@pytest.mark.parametrize("change, where", [
    ({"iterations": 0}, "settings.iterations"),
    ({"sampling": "sobol"}, "settings.sampling"),
])
def test_that_bad_settings_are_refused_naming_the_field(mixed_registry, change, where):
    with pytest.raises(ValidationError) as err:
        simulate(mixed_registry, settings=SimulationSettings(**change))
    assert any(p.where == where for p in err.value.problems)


def test_that_an_invalid_distribution_is_refused_naming_the_risk_and_field(mixed_registry):
    d = mixed_registry.to_dict()
    d["risks"][0]["impact"] = {"dist": "triangular", "min": 5, "mode": 1, "max": 9}
    with pytest.raises(ValidationError) as err:
        simulate(Registry.from_dict(d), settings=SimulationSettings(iterations=100))
    assert any(p.where == "A.impact.mode" for p in err.value.problems)


def _baseline(months: int, start: str = "2027-01") -> BaselinePlan:
    return BaselinePlan(name="plan", start=start, months=months, lines={
        ("BU", "revenue"): tuple(1000.0 + 10 * t for t in range(months)),
        ("BU", "opex"): tuple(400.0 for _ in range(months)),
        ("BU", "capex"): tuple(100.0 for _ in range(months))})


def test_that_absolute_bands_are_the_baseline_plus_the_delta(mixed_registry):
    base = _baseline(36)
    res = simulate(mixed_registry, base, SimulationSettings(iterations=4096))
    ebitda = base.line("ebitda")[:24]
    assert np.allclose(res.series["ebitda"].monthly["p50"],
                       ebitda + res.series["ebitda_delta"].monthly["p50"])
    assert np.allclose(res.series["cash_flow"].cumulative["p90"],
                       np.cumsum(base.line("cash_flow")[:24])
                       + res.series["cash_flow_delta"].cumulative["p90"])


def test_that_a_baseline_not_covering_the_horizon_is_refused(mixed_registry):
    with pytest.raises(ValidationError) as err:
        simulate(mixed_registry, _baseline(12), SimulationSettings(iterations=100))
    assert err.value.problems[0].where == "baseline.months"


def test_that_post_mitigation_uses_post_values_and_charges_the_cost_in_the_first_month():
    reg = Registry.from_dict({"name": "m", "months": 12, "risks": [{
        "id": "R1", "probability": 1.0, "impact": {"dist": "fixed", "value": -100},
        "post_probability": 1.0, "post_impact": {"dist": "fixed", "value": -30},
        "mitigation_cost": 20, "phasing": {"type": "window", "start": 3, "length": 4}}]})
    pre = simulate(reg, settings=SimulationSettings(iterations=1024))
    post = simulate(reg, settings=SimulationSettings(iterations=1024, post_mitigation=True))
    assert pre.total_summary()["mean"] == pytest.approx(-100)
    assert post.total_summary()["mean"] == pytest.approx(-50)
    monthly = post.series["ebitda_delta"].monthly["p50"]
    assert monthly[3] == pytest.approx(-30 / 4 - 20) and monthly[4] == pytest.approx(-7.5)


def test_that_capex_risks_move_cash_flow_only(mixed_registry):
    res = simulate(mixed_registry, settings=SimulationSettings(iterations=4096))
    c = res.risk_ids.index("C")
    share = {b.risk_id: b.variance_share for b in res.tornado["ebitda"]}
    assert share["C"] == 0.0
    z_e, z_c = res.totals["ebitda"], res.totals["cash_flow"]
    assert np.allclose(z_c - z_e, res.sample_contrib[:, c], atol=1e-3)


def test_that_auto_stop_ends_at_a_checkpoint_once_the_p90_is_precise_enough(mixed_registry):
    s = SimulationSettings(iterations=200_000, seed=2, auto_stop_halfwidth=15.0)
    res = simulate(mixed_registry, settings=s)
    assert res.iterations < 200_000 and res.iterations % 1024 == 0
    assert analytics.p90_halfwidth(res.totals["ebitda"]) < 15.0
    again = simulate(mixed_registry, settings=SimulationSettings(
        **{**s.to_dict(), "chunk_size": 3000}))
    assert again.iterations == res.iterations
    assert np.array_equal(again.totals["ebitda"], res.totals["ebitda"])


def test_that_the_result_document_follows_the_result_format(mixed_registry, tmp_path):
    res = simulate(mixed_registry, _baseline(24), SimulationSettings(iterations=2048, seed=7))
    doc = write_result(res, tmp_path / "out.json")
    again = json.loads((tmp_path / "out.json").read_text())
    assert again == doc
    assert doc["schema"] == "riskdesk.result/1" and doc["iterations"] == 2048
    assert doc["seed"] == 7 and doc["quantile_method"] == "linear"
    for part in ("results", "cash_flow"):
        assert len(doc[part]["monthly"]["p10"]) == 24
        assert set(doc[part]["total"]) >= {"p10", "p50", "p90", "mean"}
    assert doc["results"]["total"]["p50"] == pytest.approx(
        float(np.percentile(res.totals["ebitda"], 50)))
    dist = doc["distributions"]["cash_flow"]
    assert sum(dist["histogram"]["counts"]) == 2048 and dist["convergence"]["n"][-1] == 2048
    assert dist["s_curve"]["values"][100] == pytest.approx(doc["cash_flow"]["total"]["p50"])
    run = doc["run"]
    assert run["input_hash"] == mixed_registry.content_hash()
    assert {"numba", "numpy", "threads", "timings", "seed", "iterations"} <= set(run)
