"""Asset use cases: store asset definitions, evaluate them deterministically and stochastically
against a deck version."""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import Any

from riskdesk.domain.asset import (
    Asset,
    FiscalTerms,
    PriceProcess,
    Product,
    ProductionProfile,
    Uncertainty,
)
from riskdesk.domain.deck import PriceDeck
from riskdesk.domain.distributions import Distribution
from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.domain.registry import canonical_json
from riskdesk.services.decks import DeckService
from riskdesk.services.registry import VersionInfo, now_utc
from riskdesk.services.workspace import Workspace
from riskdesk.storage.repos.common import add, all_rows, first_where
from riskdesk.storage.tables.decks import AssetRow


class AssetService:
    """The assets of a workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def names(self) -> list[str]:
        with self.ws.read() as s:
            return [r.name for r in all_rows(s, AssetRow, order_by="name")]

    def get(self, name: str) -> tuple[Asset, str]:
        """(asset, name of its default deck)."""
        with self.ws.read() as s:
            row = first_where(s, AssetRow, name=name)
            if row is None:
                known = ", ".join(r.name for r in all_rows(s, AssetRow, order_by="name"))
                raise ValidationError(Problem("asset", f"no asset named {name!r} (assets: "
                                              f"{known or 'none'})"))
            return Asset.from_dict(json.loads(row.content)), row.deck

    def save(self, asset: Asset, deck: str = "") -> None:
        """Create or replace an asset (validated first; nothing written on failure)."""
        probs = asset.validate()
        if probs:
            raise ValidationError(probs)
        new = asset.to_dict()
        with self.ws.write() as tx:
            row = first_where(tx.session, AssetRow, name=asset.name)
            if row is None:
                add(tx.session, AssetRow(name=asset.name, content=canonical_json(new),
                                         hash=asset.content_hash(), deck=deck,
                                         updated_at=now_utc()))
                tx.audit("asset.create", "asset", asset.name, None, {"deck": deck, **new})
                return
            old = json.loads(row.content)
            if row.hash == asset.content_hash() and row.deck == deck:
                return
            row.content, row.hash, row.deck = canonical_json(new), asset.content_hash(), deck
            row.updated_at = now_utc()
            tx.session.add(row)
            tx.audit("asset.update", "asset", asset.name, old, {"deck": deck, **new})

    def delete(self, name: str) -> None:
        """Remove an asset (audited with its last definition as the before-state)."""
        with self.ws.write() as tx:
            row = first_where(tx.session, AssetRow, name=name)
            if row is None:
                raise ValidationError(Problem("asset", f"no asset named {name!r}"))
            old = {"deck": row.deck, **json.loads(row.content)}
            tx.session.delete(row)
            tx.audit("asset.delete", "asset", name, old, None)

    def template(self, name: str, deck: str = "") -> Asset:
        """A new asset named ``name`` with sensible defaults: one oil product priced on the
        deck's oil benchmark (Brent if present, else its first), starting in the deck's first
        year; no uncertainty yet. Not saved."""
        name = name.strip()
        probs = []
        if not name:
            probs.append(Problem("asset.name", "an asset needs a name"))
        elif name in self.names():
            probs.append(Problem("asset.name", f"an asset named {name!r} already exists"))
        if probs:
            raise ValidationError(probs)
        asset = Asset(name=name, uncertainty=Uncertainty(prices=()))
        if deck:
            d = DeckService(self.ws).deck(deck)
            benches = sorted({s.benchmark for s in d.series})
            oil = next((b for b in benches if b.lower() == "brent"),
                       next((b for b in benches if "usd/bbl" in _unit(d, b)), None))
            years = sorted({int(str(p)[:4]) for s in d.series for p, _ in s.points})
            start = years[0] if years else asset.start_year
            asset = asset.with_(
                start_year=start,
                capex=tuple((start + i, v) for i, v in enumerate((500.0, 300.0))),
                products=(Product(benchmark=oil or (benches[0] if benches else "Brent")),),
                deck_scenario=d.scenarios[0] if "Base" not in d.scenarios else "Base")
        return asset

    def _deck(self, asset_deck: str, deck: str | None, version: int | None,
              approved: bool = False) -> tuple[PriceDeck, VersionInfo]:
        name = deck or asset_deck
        if not name:
            raise ValidationError(Problem("deck", "no deck given and the asset has no default "
                                          "deck"))
        svc = DeckService(self.ws)
        if approved:
            if version is not None:
                info = svc.version_info(name, version)
                if info.stage != "approved":
                    raise ValidationError(Problem(
                        "deck", f"deck {name!r} v{version} is {info.stage}, not approved; an "
                        "approved evaluation needs an approved deck version"))
                return svc.deck(name, info.number), info
            return svc.approved(name)
        info = svc.version_info(name, version)
        return svc.deck(name, info.number), info

    def evaluate(self, name: str, deck: str | None = None, version: int | None = None,
                 scenario: str | None = None, approved: bool = False) -> dict[str, Any]:
        """Deterministic evaluation as a JSON-ready dict (indicators + annual lines), with the
        deck version used and the tornado. ``approved``: use the deck's latest Approved version
        (or check that ``version`` is approved); refused if there is none."""
        from riskdesk.economics.evaluate import evaluate, tornado

        asset, asset_deck = self.get(name)
        if scenario:
            asset = asset.with_(deck_scenario=scenario)
        d, info = self._deck(asset_deck, deck, version, approved)
        ev = evaluate(asset, d)
        out = ev.to_dict()
        out["deck_version"], out["deck_stage"] = info.number, info.stage
        out["deck_hash"] = d.content_hash()
        out["notes"] = coverage_notes(asset, d)
        out["tornado"] = [{"input": b.name, "low_input": b.low_input, "high_input": b.high_input,
                           "npv_low": b.npv_low, "npv_high": b.npv_high}
                          for b in tornado(asset, d)]
        return out

    def simulate(self, name: str, iterations: int | None = None, seed: int | None = None,
                 deck: str | None = None, version: int | None = None,
                 scenario: str | None = None, approved: bool = False
                 ) -> Generator[Any, None, dict[str, Any]]:
        """Stochastic evaluation as a generator: yields progress (done, total), returns the
        summary dict (NPV/IRR percentiles, fan of annual cash flow)."""
        from riskdesk.economics.stochastic import simulate_asset

        asset, asset_deck = self.get(name)
        if scenario:
            asset = asset.with_(deck_scenario=scenario)
        d, info = self._deck(asset_deck, deck, version, approved)
        result = yield from simulate_asset(asset, d, iterations, seed)
        out = result.summary()
        out["deck_version"], out["deck_stage"] = info.number, info.stage
        out["deck_hash"] = d.content_hash()
        out["asset_hash"] = asset.content_hash()
        return out

    def run(self, name: str, **kw: Any) -> dict[str, Any]:
        """:meth:`simulate` to completion."""
        gen = self.simulate(name, **kw)
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]


def coverage_notes(asset: Asset, deck: PriceDeck) -> list[str]:
    """One note per benchmark the asset uses whose deck series (in the asset's scenario)
    does not cover the asset's years: those years take the nearest deck value (flat)."""
    first, last = asset.start_year, asset.start_year + asset.years - 1
    used = [p.benchmark for p in asset.products] + ([asset.carbon_benchmark]
                                                    if asset.carbon_benchmark else [])
    notes = []
    for bench in dict.fromkeys(used):
        s = next((x for x in deck.series if x.benchmark == bench
                  and x.scenario == asset.deck_scenario), None)
        if s is None or not s.points:
            continue
        years = sorted({int(p[:4]) for p, _ in s.points})
        gaps = []
        if first < years[0]:
            gaps.append(f"{first}–{years[0] - 1} at the {years[0]} value")
        if last > years[-1]:
            gaps.append(f"{years[-1] + 1}–{last} at the {years[-1]} value")
        if gaps:
            notes.append(f"{bench}: deck covers {years[0]}–{years[-1]}; held flat "
                         + " and ".join(gaps))
    return notes


def _unit(deck: PriceDeck, benchmark: str) -> str:
    return next((s.unit.lower() for s in deck.series if s.benchmark == benchmark), "")


def demo_asset() -> Asset:
    """An offshore oil field with associated gas: 20-year annual model, ring-fenced tax."""
    oil = ProductionProfile(rate=40000, start_years=2.0, ramp_years=1.0, plateau_years=3.0,
                            decline=0.25, b=0.6, decline_type="secant", terminal_decline=0.08)
    gas = ProductionProfile(rate=25000, start_years=2.0, ramp_years=1.0, plateau_years=4.0,
                            decline=0.18, b=0.0, decline_type="tangent")
    return Asset(
        name="Bravo field", start_year=2027, years=20, frequency="annual", basis="real",
        deck_scenario="Base",
        products=(Product("Oil", "bbl", "Brent", oil, differential=-2.5, differential_pct=0.98,
                          variable_opex=7.0, emission_intensity=0.025),
                  Product("Gas", "Mcf", "Henry Hub", gas, price_factor=1.037,
                          differential_pct=0.9, variable_opex=0.4, emission_intensity=0.005)),
        capex=((2027, 900.0), (2028, 700.0), (2029, 250.0), (2033, 120.0)),
        fixed_opex=85.0, abandonment=300.0, carbon_benchmark="Carbon",
        fiscal=FiscalTerms(royalty=0.08, tax_rate=0.35, ring_fence=True, depreciation_years=6),
        discount_rates=(0.08, 0.10, 0.12), npv_convention="mid",
        chance_of_success=0.7, failure_cost=120.0,
        uncertainty=Uncertainty(
            reserves=Distribution("triangular", {"min": 0.7, "mode": 1.0, "max": 1.3}),
            decline=Distribution("uniform", {"min": 0.8, "max": 1.25}),
            capex=Distribution("pert", {"min": 0.9, "mode": 1.0, "max": 1.5}),
            opex=Distribution("triangular", {"min": 0.9, "mode": 1.0, "max": 1.2}),
            prices=(PriceProcess("Brent", "ou", 0.3, 0.5),
                    PriceProcess("Henry Hub", "ou", 0.4, 0.8),
                    PriceProcess("Carbon", "gbm", 0.15, 0.0)),
            price_correlation=((1.0, 0.4, 0.2), (0.4, 1.0, 0.1), (0.2, 0.1, 1.0)),
            iterations=5000, seed=2027))


def add_demo_content(ws: Workspace) -> None:
    """Add the demo asset, evaluated against the demo deck by default."""
    AssetService(ws).save(demo_asset(), deck="Corporate 2027")
