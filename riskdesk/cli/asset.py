"""``riskdesk asset ...``: list, show, save (JSON) and evaluate assets."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from riskdesk.cli import CliError, add_common, emit, open_workspace


def register(sub: Any) -> None:
    p = sub.add_parser("asset", help="upstream assets: evaluate NPV/IRR/EMV under a price deck")
    s = p.add_subparsers(dest="asset_command", metavar="ACTION", required=True)
    a = s.add_parser("list", help="list assets")
    add_common(a)
    a.set_defaults(func=cmd_list)
    a = s.add_parser("show", help="print an asset definition (riskdesk.asset/1 JSON)")
    add_common(a)
    a.add_argument("name")
    a.set_defaults(func=cmd_show)
    a = s.add_parser("save", help="create or replace an asset from a riskdesk.asset/1 JSON file")
    add_common(a)
    a.add_argument("file", type=Path)
    a.add_argument("--deck", default="", help="default deck to evaluate it against")
    a.set_defaults(func=cmd_save)
    a = s.add_parser("delete", help="delete an asset (its last definition stays in the audit "
                                    "log)")
    add_common(a)
    a.add_argument("name")
    a.set_defaults(func=cmd_delete)
    a = s.add_parser("evaluate", help="deterministic (and optionally stochastic) evaluation")
    add_common(a)
    a.add_argument("name")
    a.add_argument("--deck", help="deck name (default: the asset's deck)")
    a.add_argument("--deck-version", type=int, help="deck version (default: latest)")
    a.add_argument("--scenario", help="deck scenario (default: the asset's)")
    a.add_argument("--approved", action="store_true",
                   help="use the deck's latest approved version (or check that --deck-version "
                        "is approved); fails if the deck has none")
    a.add_argument("--stochastic", action="store_true",
                   help="also run the stochastic evaluation (price paths, uncertain inputs)")
    a.add_argument("--iterations", type=int)
    a.add_argument("--seed", type=int)
    a.set_defaults(func=cmd_evaluate)


def cmd_list(args: argparse.Namespace) -> int:
    from riskdesk.services.assets import AssetService

    with open_workspace(args) as ws:
        names = AssetService(ws).names()
    emit(args, names, "\n".join(names) or "no assets")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from riskdesk.services.assets import AssetService

    with open_workspace(args) as ws:
        asset, deck = AssetService(ws).get(args.name)
    d = asset.to_dict() | {"deck": deck}
    emit(args, d, json.dumps(d, indent=2))
    return 0


def cmd_save(args: argparse.Namespace) -> int:
    from riskdesk.domain.asset import Asset
    from riskdesk.services.assets import AssetService

    try:
        data = json.loads(args.file.read_text(encoding="utf-8"))
        asset = Asset.from_dict(data)
    except (json.JSONDecodeError, TypeError, KeyError, ValueError) as e:
        raise CliError(f"{args.file.name}: not a valid riskdesk.asset/1 document ({e})") from e
    with open_workspace(args) as ws:
        AssetService(ws).save(asset, args.deck or str(data.get("deck", "")))
    emit(args, {"name": asset.name, "hash": asset.content_hash()}, f"saved asset {asset.name!r}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from riskdesk.services.assets import AssetService

    with open_workspace(args) as ws:
        AssetService(ws).delete(args.name)
    emit(args, {"deleted": args.name}, f"deleted asset {args.name!r}")
    return 0


def _text(ev: dict[str, Any]) -> str:
    lines = [f"{ev['asset']} under {ev['deck']} v{ev['deck_version']} ({ev['deck_stage']}) / "
             f"{ev['scenario']} "
             f"({ev['basis']} MUSD, {ev['npv_convention_label']})"]
    lines += [f"  NPV{r['rate'] * 100:g}: {r['npv']:,.1f}" for r in ev["npv"]]
    roots = ev["irr"]["roots"]
    lines.append("  IRR: " + (", ".join(f"{r:.2%}" for r in roots) if roots
                              else ev["irr"]["note"]))
    pb = ev["payback_years"]
    lines.append(f"  payback: {pb:.2f} years" if pb is not None else "  payback: never")
    pi = ev["profitability_index"]
    lines.append(f"  PI: {pi:.2f}" if pi is not None else "  PI: n/a (no capex)")
    lines.append(f"  EMV: {ev['emv']:,.1f}")
    be = ev["breakeven_price"]
    lines.append(f"  breakeven price: {be:.2f}" if be is not None else "  breakeven: none")
    st = ev.get("stochastic")
    if st:
        for r in st["npv"]:
            lines.append(f"  NPV{r['rate'] * 100:g} P10/P50/P90: {r['p10']:,.1f} / "
                         f"{r['p50']:,.1f} / {r['p90']:,.1f}  P(NPV<0) {r['prob_negative']:.1%}")
        irr = st["irr"]
        if "p50" in irr:
            lines.append(f"  IRR P10/P50/P90: {irr['p10']:.2%} / {irr['p50']:.2%} / "
                         f"{irr['p90']:.2%} ({irr['paths_without_irr']} paths without an IRR)")
        if st["sensitivity"]:
            lines.append("  rank correlation with NPV: " + ", ".join(
                f"{d['input']} {d['rank_correlation']:+.2f}" for d in st["sensitivity"]))
    lines += [f"  note: {n}" for n in ev.get("notes", [])]
    h = ev.get("audit_head")
    if h:
        lines.append(f"  audit chain head: {h['seq']} {h['hash'][:16]}…")
    return "\n".join(lines)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from riskdesk.services.assets import AssetService

    with open_workspace(args) as ws:
        svc = AssetService(ws)
        ev = svc.evaluate(args.name, args.deck, args.deck_version, args.scenario,
                          approved=args.approved)
        if args.stochastic:
            gen = svc.simulate(args.name, args.iterations, args.seed, args.deck,
                               args.deck_version, args.scenario, approved=args.approved)
            while True:
                try:
                    p = next(gen)
                    if not args.json and sys.stderr.isatty():
                        sys.stderr.write(f"\r{p.done:,}/{p.total:,} paths")
                except StopIteration as stop:
                    ev["stochastic"] = stop.value
                    break
        from riskdesk.services.governance import GovernanceService

        ev["audit_head"] = GovernanceService(ws).head(source="asset evaluate")
    emit(args, ev, _text(ev))
    return 0
