"""Cooke's classical model against the published tobacco and Arkansas scores.

Expected values: /work/shared/data/cooke/README.md (ANDURYL's standard model, PWL, chi-square),
tolerance rel 1e-6 + abs 1e-10 as suggested there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.elicitation.cooke import Panel, classical_model, robustness
from riskdesk.io.excalibur import load_case

DATA = Path(__file__).resolve().parents[2] / "../shared/data/cooke"
TOL = {"rel": 1e-6, "abs": 1e-10}

TOBACCO = {  # id: (calibration, seed information, GL weight)
    "Ex1": (0.03698194554, 0.9291252051, 0.023438),
    "Ex2": (0.1715752453, 1.002678783, 0.117349),
    "Ex3": (0.00105313738, 0.9968665028, 0.000716),
    "Ex4": (0.02365802669, 0.8184492662, 0.013208),
    "Ex5": (0.4399456358, 0.8964388387, 0.269019),
    "Ex6": (0.07796004325, 1.468409038, 0.078088),
    "Ex7": (0.6875868657, 1.062177067, 0.498182),
}
ARKANSAS = {
    "AR01": (1.145288721e-05, 1.475058218, 0.000448),
    "AR03": (0.007144736208, 1.220058867, 0.231349),
    "AR06": (0.06982129891, 0.4138821683, 0.766947),
    "AR07": (7.831481178e-05, 0.6038340319, 0.001255),
}
DM = {  # case: ((GL cal, info, combined), (opt cal, info, combined), optimal alpha)
    "tobacco": ((0.6639059078, 0.5276742544, 0.3503260549),
                (0.6875868657, 1.062177067, 0.7303390006), 0.6875868657),
    "Arkansas": ((0.4987979174, 0.3355450573, 0.1673691758),
                 (0.4987979174, 0.3372280255, 0.1682086368), 0.007144736208),
}


def panel(case: str) -> Panel:
    return Panel.from_case(load_case(DATA / f"{case}.dtt", DATA / f"{case}.rls"))


@pytest.mark.parametrize(("case", "expected"), [("tobacco", TOBACCO), ("Arkansas", ARKANSAS)])
def test_that_expert_scores_and_weights_match_the_published_case(case, expected):
    rows = {r["id"]: r for r in classical_model(panel(case)).table()}
    assert set(rows) == set(expected)
    for ex, (cal, info, weight) in expected.items():
        assert rows[ex]["calibration"] == pytest.approx(cal, **TOL)
        assert rows[ex]["information"] == pytest.approx(info, **TOL)
        assert rows[ex]["combined"] == pytest.approx(cal * info, **TOL)
        assert rows[ex]["weight"] == pytest.approx(weight, abs=5e-7)  # printed to 6 decimals


@pytest.mark.parametrize("case", ["tobacco", "Arkansas"])
def test_that_global_and_optimised_decision_makers_match_the_published_case(case):
    (gl, opt, alpha) = DM[case]
    dm = classical_model(panel(case), alpha=0.0).dm
    assert (dm.scores.calibration, dm.scores.information, dm.scores.combined) == \
        pytest.approx(gl, **TOL)
    best = classical_model(panel(case), alpha=None).dm
    assert (best.scores.calibration, best.scores.information, best.scores.combined) == \
        pytest.approx(opt, **TOL)
    assert best.alpha == pytest.approx(alpha, **TOL)


def test_that_the_tobacco_optimised_decision_maker_is_expert_7():
    p = panel("tobacco")
    res = classical_model(p, alpha=None)
    ex7 = p.experts.index("Ex7")
    np.testing.assert_allclose(res.dm.values, p.values[ex7], rtol=1e-12)
    assert res.dm.weights[ex7] == 1.0


def test_that_information_over_all_items_matches_the_anduryl_notebook():
    expected = [0.821255, 0.705990, 0.669885, 0.697621, 1.165807, 1.078725, 0.943491]
    res = classical_model(panel("tobacco"))
    assert [s.information_all for s in res.experts] == pytest.approx(expected, abs=5e-7)


def test_that_equal_and_user_weights_pool_every_expert():
    p = panel("Arkansas")
    eq = classical_model(p, weights="equal")
    np.testing.assert_allclose(eq.dm.weights, 0.25)
    user = classical_model(p, weights="user", user=[0, 0, 0, 3])
    # all weight on AR07: the DM reproduces that expert
    np.testing.assert_allclose(user.dm.values, p.values[3], rtol=1e-12)


def test_that_item_weights_use_each_items_information():
    p = panel("tobacco")
    res = classical_model(p, weights="item", alpha=0.0)
    cal = np.array([s.calibration for s in res.experts])
    info = np.array([s.item_information for s in res.experts])
    np.testing.assert_allclose(res.dm.weights, cal[:, None] * info)
    assert res.dm.scores.combined > 0


def test_that_robustness_leaves_out_each_seed_and_each_expert():
    p = panel("tobacco")
    items = robustness(p, "items")
    assert [r.removed for r in items] == [p.items[i] for i in p.seeds]
    experts = robustness(p, "experts")
    assert [r.removed for r in experts] == list(p.experts)
    # each row is the model re-run on the panel without that expert (ranges recomputed)
    ex3 = p.experts.index("Ex3")
    keep = [e for e in range(len(p.experts)) if e != ex3]
    without = Panel(tuple(p.experts[e] for e in keep), p.items, p.levels, p.values[keep],
                    p.realisations, p.log_scale)
    assert experts[ex3].combined == pytest.approx(classical_model(without).dm.scores.combined,
                                                  rel=1e-12)
    # leaving out the seed items one at a time never scores the DM above 1 or below 0
    assert all(0 <= r.calibration <= 1 and r.information > 0 for r in items)


def test_that_a_skipped_seed_sets_the_effective_number_of_seeds():
    res = classical_model(panel("puig-oil"))
    assert res.n_eff == 15  # two experts skipped seed items; N is the smallest count


def test_that_too_few_seed_items_are_reported():
    p = panel("tobacco")
    few = p.drop(items=[int(i) for i in p.seeds[:7]])
    with pytest.raises(ValidationError, match="3 seed item"):
        classical_model(few)


def test_that_an_expert_with_no_answers_is_reported_by_id():
    p = panel("tobacco")
    vals = p.values.copy()
    vals[2] = np.nan
    bad = Panel(p.experts, p.items, p.levels, vals, p.realisations, p.log_scale)
    with pytest.raises(ValidationError, match="expert Ex3: the expert has no answers"):
        classical_model(bad)


def test_that_unordered_quantiles_are_reported_by_expert_and_item():
    p = panel("tobacco")
    vals = p.values.copy()
    vals[0, 1, [1, 2]] = vals[0, 1, [2, 1]]
    bad = Panel(p.experts, p.items, p.levels, vals, p.realisations, p.log_scale)
    with pytest.raises(ValidationError, match="expert Ex1, item %discount.*not increasing"):
        classical_model(bad)


def test_that_non_positive_values_on_a_log_item_are_reported():
    p = panel("liander")
    log_item = int(np.flatnonzero(p.log_scale)[0])
    vals = p.values.copy()
    vals[0, log_item, 0] = -1.0
    reals = p.realisations.copy()
    reals[log_item] = 0.0
    bad = Panel(p.experts, p.items, p.levels, vals, reals, p.log_scale)
    with pytest.raises(ValidationError) as err:
        classical_model(bad)
    text = str(err.value)
    assert "LOG-scale item needs positive values" in text
    assert f"item {p.items[log_item]}: realisation 0 on a LOG-scale item" in text


def test_that_the_log_pool_decision_maker_matches_a_fine_grid_geometric_mean():
    from riskdesk.elicitation.cooke import bin_probabilities, log_mixture_quantiles

    levels = np.array([0.05, 0.5, 0.95])
    qs = np.array([[1.0, 3.0, 6.0], [2.0, 4.0, 9.0]])
    w = np.array([0.3, 0.7])
    lo, hi = 0.0, 10.0
    x = np.linspace(lo, hi, 2_000_001)
    p = bin_probabilities(levels)
    logf = np.zeros_like(x)
    for row, wi in zip(qs, w, strict=True):
        pts = np.concatenate([[lo], row, [hi]])
        k = np.clip(np.searchsorted(pts, x, side="right") - 1, 0, 3)
        logf += wi * np.log(p[k] / np.diff(pts)[k])
    f = np.exp(logf)
    cdf = np.concatenate([[0], np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(x))])
    ref = np.interp(levels, cdf / cdf[-1], x)
    np.testing.assert_allclose(log_mixture_quantiles(qs, w, lo, hi, levels), ref, atol=1e-4)
    res = classical_model(panel("tobacco"), weights="equal", pool="log")
    assert res.dm.pool == "log" and 0 < res.dm.scores.calibration <= 1
