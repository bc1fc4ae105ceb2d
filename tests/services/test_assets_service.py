"""Assets stored in a workspace and evaluated against deck versions."""

from __future__ import annotations

import pytest

from riskdesk.domain.problems import ValidationError
from riskdesk.services.assets import AssetService, demo_asset


def test_that_the_demo_asset_evaluates_against_the_demo_deck(workspace):
    ev = AssetService(workspace).evaluate("Bravo field")
    assert ev["deck"] == "Corporate 2027" and ev["deck_version"] == 1
    assert ev["npv_convention"] == "mid" and ev["units"] == "MUSD"
    npvs = [r["npv"] for r in ev["npv"]]
    assert npvs == sorted(npvs, reverse=True)  # NPV falls with the discount rate
    assert ev["tornado"][0]["input"]
    assert len(ev["annual"]["net"]) == 20


def test_that_a_stochastic_run_yields_progress_and_returns_percentiles(workspace):
    gen = AssetService(workspace).simulate("Bravo field", iterations=600, seed=1)
    seen = []
    while True:
        try:
            seen.append(next(gen).done)
        except StopIteration as stop:
            res = stop.value
            break
    assert seen[-1] == 600
    assert res["iterations"] == 600 and res["npv"][0]["p10"] < res["npv"][0]["p90"]


def test_that_an_invalid_asset_is_rejected_and_not_stored(workspace):
    svc = AssetService(workspace)
    bad = demo_asset().with_(name="Bad", chance_of_success=1.5)
    with pytest.raises(ValidationError, match="chance_of_success"):
        svc.save(bad)
    assert "Bad" not in svc.names()


def test_that_an_unknown_scenario_is_reported_by_name(workspace):
    with pytest.raises(ValidationError, match="Stress"):
        AssetService(workspace).evaluate("Bravo field", scenario="Stress")


def test_that_a_stored_asset_comes_back_identical(workspace):
    from riskdesk.domain.asset import PSCTerms

    svc = AssetService(workspace)
    original = demo_asset()
    assert svc.get("Bravo field") == (original, "Corporate 2027")
    psc = original.with_(name="Bravo PSC", fiscal=original.fiscal.__class__(
        royalty=0.05, tax_rate=0.3, psc=PSCTerms(0.5, 0.45)))
    svc.save(psc, "Corporate 2027")
    assert svc.get("Bravo PSC")[0] == psc
    assert svc.get("Bravo PSC")[0].content_hash() == psc.content_hash()


def test_that_an_evaluation_says_which_years_are_held_flat_beyond_the_deck(workspace):
    svc = AssetService(workspace)
    assert svc.evaluate("Bravo field")["notes"] == []  # the demo deck covers 2027-2046
    longer = demo_asset().with_(name="Bravo long", years=25)
    svc.save(longer, "Corporate 2027")
    notes = svc.evaluate("Bravo long")["notes"]
    assert notes[0] == "Brent: deck covers 2027–2046; held flat 2047–2051 at the 2046 value"
    assert len(notes) == 3  # Brent, Henry Hub, Carbon
