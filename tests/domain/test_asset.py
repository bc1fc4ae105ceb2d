"""Asset validation names what is wrong, before anything is saved or simulated."""

from __future__ import annotations

from dataclasses import replace

from riskdesk.domain.asset import PriceProcess
from riskdesk.services.assets import demo_asset


def _where(asset) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.where for p in asset.validate()]


def test_that_the_demo_asset_is_valid() -> None:
    assert demo_asset().validate() == []


def test_that_a_price_process_for_a_benchmark_the_asset_does_not_use_is_refused() -> None:
    a = demo_asset()
    unc = replace(a.uncertainty, prices=(PriceProcess("WTI"), *a.uncertainty.prices[1:]))
    assert _where(replace(a, uncertainty=unc)) == ["Bravo field.uncertainty.prices.WTI"]


def test_that_a_correlation_matrix_of_the_wrong_size_or_shape_is_refused() -> None:
    a = demo_asset()
    small = replace(a.uncertainty, price_correlation=((1.0, 0.4), (0.4, 1.0)))
    assert _where(replace(a, uncertainty=small)) == ["Bravo field.uncertainty.price_correlation"]
    skew = replace(a.uncertainty, price_correlation=((1.0, 0.4, 0.2), (0.3, 1.0, 0.1),
                                                     (0.2, 0.1, 1.0)))
    assert _where(replace(a, uncertainty=skew)) == [
        "Bravo field.uncertainty.price_correlation[0][1]",
        "Bravo field.uncertainty.price_correlation[1][0]"]
