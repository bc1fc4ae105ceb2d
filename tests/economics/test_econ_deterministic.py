"""Deterministic economics against closed forms and published worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from riskdesk.domain.asset import Asset, FiscalTerms, Product, ProductionProfile, PSCTerms
from riskdesk.domain.deck import DeckSeries, PriceDeck, diff_decks
from riskdesk.economics.cashflow import apply_differential, cash_flow, fiscal_loop, prepare
from riskdesk.economics.evaluate import evaluate, tornado
from riskdesk.economics.indicators import emv, irr_all, npv, payback_years
from riskdesk.economics.production import (
    arps_cum,
    arps_rate,
    modified_cum,
    modified_rate,
    nominal_from_secant,
    nominal_from_tangent,
    period_volumes,
    secant_from_nominal,
    tangent_from_nominal,
)


def test_that_arps_hyperbolic_matches_the_published_closed_form():
    # qi = 1000 bbl/d, Di = 0.5/yr nominal, b = 0.5 -> q(5 yr) = 197.53 bbl/d, Np = 811,667 bbl
    assert arps_rate(1000, 0.5, 0.5, 5.0) == pytest.approx(197.53, abs=0.005)
    assert arps_cum(1000, 0.5, 0.5, 5.0) == pytest.approx(811_667, abs=0.5)


def test_that_exponential_and_harmonic_cumulatives_match_integrals_of_their_rates():
    from scipy.integrate import quad

    for b in (0.0, 1.0, 0.3):
        num, _ = quad(lambda t, b=b: 365.25 * arps_rate(800, 0.4, b, t), 0, 7)
        assert arps_cum(800, 0.4, b, 7.0) == pytest.approx(num, rel=1e-9)


def test_that_the_modified_hyperbolic_switches_to_terminal_exponential_decline():
    qi, di, b, dlim = 1000.0, 0.8, 0.9, 0.08
    ts = (di / dlim - 1) / (b * di)  # nominal decline reaches dlim here
    eps = 1e-6
    # after the switch the log-rate falls at exactly dlim per year
    slope = -(math.log(modified_rate(qi, di, b, dlim, ts + 2 + eps))
              - math.log(modified_rate(qi, di, b, dlim, ts + 2 - eps))) / (2 * eps)
    assert slope == pytest.approx(dlim, rel=1e-5)
    from scipy.integrate import quad

    num, _ = quad(lambda t: 365.25 * modified_rate(qi, di, b, dlim, t), 0, ts + 5, points=[ts])
    assert modified_cum(qi, di, b, dlim, ts + 5) == pytest.approx(num, rel=1e-9)


def test_that_decline_rate_types_convert_both_ways():
    # tangent effective 30 %/yr <-> nominal -ln(0.7) = 0.35667
    assert nominal_from_tangent(0.3) == pytest.approx(0.356675, abs=1e-6)
    assert tangent_from_nominal(nominal_from_tangent(0.3)) == pytest.approx(0.3)
    # secant effective for b = 0.5, D = 0.5: 1 - 1.25^-2 = 0.36
    assert secant_from_nominal(0.5, 0.5) == pytest.approx(0.36)
    assert nominal_from_secant(0.36, 0.5) == pytest.approx(0.5)
    # the secant rate is the actual one-year drop of the hyperbolic
    assert 1 - arps_rate(1, 0.5, 0.5, 1.0) == pytest.approx(secant_from_nominal(0.5, 0.5))


def test_that_period_volumes_add_up_to_ramp_plateau_and_decline():
    v = period_volumes(12, 12, 1000.0, 0.0, 0.5, 0.25, 0.0, 0.0, 0.0)
    assert v.sum() == pytest.approx(365.25 * 1000 * (0.25 + 0.25 + 0.25))
    assert v[0] < v[5] and v[6] == pytest.approx(v[7])


def test_that_escalation_converts_real_to_nominal_and_back():
    s = DeckSeries("Base", "Capex index", "USD", "annual",
                   (("2026", 1000.0), ("2027", 1000.0), ("2028", 1000.0)))
    real = PriceDeck("D", "real", 2026, 0.10, (s,))
    nominal = real.converted("nominal")
    assert nominal.get("Base", "Capex index").values == pytest.approx([1000, 1100, 1210])
    assert nominal.converted("real", 2026).get("Base", "Capex index").values == \
        pytest.approx([1000, 1000, 1000])
    # a percentage is not money: unchanged
    pct = PriceDeck("D", "real", 2026, 0.1, (DeckSeries("Base", "Inflation", "%", "annual",
                                                          (("2028", 2.0),)),))
    assert pct.converted("nominal").get("Base", "Inflation").values == [2.0]


def test_that_deck_diff_lists_changed_added_and_removed_values():
    a = PriceDeck("D", series=(DeckSeries("Base", "Brent", "USD/bbl", "annual",
                                          (("2027", 75.0), ("2028", 76.0))),))
    b = PriceDeck("D", series=(DeckSeries("Base", "Brent", "USD/bbl", "annual",
                                          (("2027", 80.0), ("2029", 76.0))),
                               DeckSeries("Base", "HH", "USD/MMBtu", "annual", (("2027", 3.0),))))
    d = diff_decks(a, b)
    assert [(c.kind, c.where) for c in d.changes] == [
        ("value", "Base/Brent/2027"), ("added_point", "Base/Brent/2029"),
        ("removed_point", "Base/Brent/2028"), ("added_series", "Base/HH")]
    assert diff_decks(a, a).empty


def test_that_the_differential_order_is_applied_as_stated():
    assert apply_differential(100.0, -5.0, 0.9, "fixed_then_pct") == pytest.approx(85.5)
    assert apply_differential(100.0, -5.0, 0.9, "pct_then_fixed") == pytest.approx(85.0)


def test_that_npv_matches_numpy_financial_and_excel_examples():
    # numpy-financial npv docstring: first flow undiscounted
    assert npv([-40_000, 5_000, 8_000, 12_000, 30_000], 0.08, convention="start") == \
        pytest.approx(3065.22267, abs=1e-5)
    # Microsoft's NPV examples: NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44
    assert npv([-10000, 3000, 4200, 6800], 0.10, convention="excel") == pytest.approx(1188.44,
                                                                                   abs=0.005)
    # NPV(8%, 8000, 9200, 10000, 12000, 14500) - 40000 = 1,922.06
    assert npv([8000, 9200, 10000, 12000, 14500], 0.08, convention="excel") - 40000 == \
        pytest.approx(1922.06, abs=0.005)
    # mid-period = end-of-period x (1 + r)^0.5
    cf = [-100, 50, 60, 70]
    assert npv(cf, 0.1, convention="mid") == pytest.approx(npv(cf, 0.1) * 1.1 ** 0.5)


@pytest.mark.parametrize("flows, expected", [
    ([-100, 39, 59, 55, 20], [0.28095]),
    ([-100, 0, 0, 74], [-0.0955]),
    ([-100, 100, 0, 7], [0.06206]),
    ([-5, 10.5, 1, -8, 1], [0.0886]),
])
def test_that_irr_matches_numpy_financial_docstring_cases(flows, expected):
    res = irr_all(flows)
    assert any(round(r, 5) == pytest.approx(expected[0], abs=1e-5) for r in res.roots), res
    for r in res.roots:
        assert npv(flows, r, convention="start") == pytest.approx(0.0, abs=1e-8)


def test_that_irr_reports_all_roots_and_says_when_there_is_none():
    # -100 + 230/(1+r) - 132/(1+r)^2 = 0 has roots 10 % and 20 %
    res = irr_all([-100, 230, -132])
    assert res.roots == pytest.approx((0.1, 0.2), abs=1e-10)
    assert res.value is None and "multiple" in res.describe()
    none = irr_all([100, 50])
    assert none.roots == () and "never change sign" in none.note
    nocross = irr_all([-100, 10, -10])
    assert nocross.roots == () and "does not cross zero" in nocross.note


def test_that_emv_and_payback_follow_their_definitions():
    assert emv(0.2, 100.0, 20.0) == pytest.approx(4.0)
    # flows spread evenly over each period from the start: cumulative is zero halfway
    # through the fourth year
    assert payback_years([-100, 40, 40, 40, 40]) == pytest.approx(3.5)
    assert payback_years([-100, 10, 10]) is None


def _deck() -> PriceDeck:
    yrs = [str(y) for y in range(2027, 2047)]
    return PriceDeck("Test", "real", 2026, 0.02, (
        DeckSeries("Base", "Brent", "USD/bbl", "annual", tuple((y, 70.0) for y in yrs)),
        DeckSeries("Base", "Carbon", "USD/t", "annual", tuple((y, 100.0) for y in yrs)),
    ))


def _asset(**kw) -> Asset:
    base = Asset(name="Field", start_year=2027, years=20, frequency="annual", basis="real",
                 products=(Product(profile=ProductionProfile(rate=10000, start_years=2.0,
                                                             ramp_years=0.0, plateau_years=2.0,
                                                             decline=0.2, b=0.0)),),
                 capex=((2027, 400.0), (2028, 200.0)), fixed_opex=30.0, abandonment=50.0,
                 fiscal=FiscalTerms(royalty=0.1, tax_rate=0.3, depreciation_years=5))
    return base.with_(**kw)


def test_that_revenue_and_costs_follow_volumes_and_prices():
    inp = prepare(_asset(carbon_benchmark="Carbon",
                         products=(Product(variable_opex=5.0, emission_intensity=0.02,
                                           profile=ProductionProfile(
                                               rate=10000, start_years=2.0, ramp_years=0.0,
                                               plateau_years=2.0, decline=0.2, b=0.0)),)), _deck())
    cf = cash_flow(inp)
    vol = 10000 * 365.25
    assert cf.volumes[0][2] == pytest.approx(vol)
    assert cf.revenue[2] == pytest.approx(vol * 70 / 1e6)
    assert cf.carbon[2] == pytest.approx(vol * 0.02 * 100 / 1e6)
    assert cf.opex[2] == pytest.approx(30 + vol * 5 / 1e6)
    assert cf.opex[0] == 0.0 and cf.capex[0] == 400.0 and cf.abandonment[-1] == 50.0


def test_that_a_ring_fence_defers_tax_relief_that_an_unfenced_company_gets_at_once():
    n = 4
    gross = np.array([0.0, 100.0, 100.0, 100.0])
    opex, capex, ab = np.zeros(n), np.array([150.0, 0, 0, 0]), np.zeros(n)
    fiscal = np.array([0.0, 0.5, 1.0, 1.0, 0.0, 0.0, 0.0])  # 50 % tax, capex expensed
    ncf, tax = np.zeros(n), np.zeros(n)
    fiscal_loop(gross, opex, capex, ab, fiscal, ncf, tax)
    assert tax.tolist() == [0.0, 0.0, 25.0, 50.0]  # loss of 150 used up over two years
    fiscal[2] = 0.0
    fiscal_loop(gross, opex, capex, ab, fiscal, ncf, tax)
    assert tax.tolist() == [-75.0, 50.0, 50.0, 50.0]
    assert ncf.sum() == pytest.approx(gross.sum() - capex.sum() - tax.sum())


def test_that_a_psc_caps_cost_recovery_and_splits_profit_oil():
    gross = np.array([100.0, 100.0])
    fiscal = np.array([0.0, 0.0, 1.0, 1.0, 1.0, 0.6, 0.4])
    ncf, gov = np.zeros(2), np.zeros(2)
    fiscal_loop(gross, np.zeros(2), np.array([80.0, 0.0]), np.zeros(2), fiscal, ncf, gov)
    # year 1: cost oil 60 (ceiling), 20 carried; profit oil 40 -> contractor 16
    # year 2: cost oil 20, profit oil 80 -> contractor 32
    assert ncf.tolist() == pytest.approx([60 + 16 - 80, 20 + 32])
    assert gov.tolist() == pytest.approx([24, 48])


def test_that_a_psc_asset_evaluates_and_reports_its_convention():
    ev = evaluate(_asset(fiscal=FiscalTerms(psc=PSCTerms(0.5, 0.35), tax_rate=0.2)), _deck())
    assert ev.convention == "mid" and ev.to_dict()["npv_convention_label"].startswith("mid")
    assert set(ev.npv) == {0.08, 0.10, 0.12}
    assert ev.npv[0.08] > ev.npv[0.12]


def test_that_the_breakeven_price_gives_zero_npv():
    asset = _asset()
    ev = evaluate(asset, _deck())
    assert ev.breakeven_price is not None and 0 < ev.breakeven_price < 70
    flat = _deck()
    flat = flat.with_(series=(flat.series[0].__class__(
        "Base", "Brent", "USD/bbl", "annual",
        tuple((p, ev.breakeven_price) for p in flat.series[0].periods)), flat.series[1]))
    assert evaluate(asset, flat).npv[0.08] == pytest.approx(0.0, abs=1e-3)


def test_that_monthly_and_annual_models_agree_on_totals():
    a = evaluate(_asset(), _deck())
    m = evaluate(_asset(frequency="monthly"), _deck())
    for line in ("revenue", "capex", "opex"):
        assert sum(m.annual[line]) == pytest.approx(sum(a.annual[line]), rel=1e-9)


def test_that_the_tornado_puts_the_widest_swing_first():
    from riskdesk.domain.asset import Uncertainty
    from riskdesk.domain.distributions import Distribution

    unc = Uncertainty(capex=Distribution("triangular", {"min": 0.9, "mode": 1.0, "max": 1.1}),
                      reserves=Distribution("triangular", {"min": 0.5, "mode": 1.0, "max": 1.5}))
    bars = tornado(_asset(uncertainty=unc), _deck())
    assert bars[0].name == "reserves"
    assert {b.name for b in bars} == {"reserves", "capex", "price Brent"}
    assert all(b.npv_high > b.npv_low for b in bars if b.name != "capex")


def test_that_a_missing_benchmark_is_reported_not_crashed():
    from riskdesk.domain.problems import ValidationError

    with pytest.raises(ValidationError, match="WTI"):
        evaluate(_asset(products=(Product(benchmark="WTI"),)), _deck())
