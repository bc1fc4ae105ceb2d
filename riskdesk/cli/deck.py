"""``riskdesk deck ...``: import, export, show, list, versions, promote price decks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from riskdesk.cli import add_common, emit, open_workspace


def register(sub: Any) -> None:
    p = sub.add_parser("deck", help="price decks: import/export Excel, show, stages")
    ds = p.add_subparsers(dest="deck_command", metavar="ACTION", required=True)
    a = ds.add_parser("import", help="import an .xlsx price deck as a new draft version")
    add_common(a)
    a.add_argument("file", type=Path)
    a.add_argument("--name", help="deck name (default: the workbook's metadata, else file name)")
    a.add_argument("--comment", default="")
    a.add_argument("--basis", choices=("real", "nominal"),
                   help="money basis of the values (default: the workbook's Metadata sheet, "
                        "else nominal)")
    a.add_argument("--base-year", type=int, help="reference year of a real deck")
    a.add_argument("--escalation", type=_rate,
                   help="escalation per year to convert real <-> nominal: 0.02 or 2%%")
    a.add_argument("--dry-run", action="store_true",
                   help="check the file and show the changes; write nothing")
    a.set_defaults(func=cmd_import)
    a = ds.add_parser("export", help="write a deck version to .xlsx")
    add_common(a)
    a.add_argument("name")
    a.add_argument("file", type=Path)
    a.add_argument("--version", type=int)
    a.set_defaults(func=cmd_export)
    a = ds.add_parser("show", help="print a deck version")
    add_common(a)
    a.add_argument("name")
    a.add_argument("--version", type=int)
    a.set_defaults(func=cmd_show)
    a = ds.add_parser("list", help="list decks with their latest version")
    add_common(a)
    a.set_defaults(func=cmd_list)
    a = ds.add_parser("versions", help="list the versions of a deck")
    add_common(a)
    a.add_argument("name")
    a.set_defaults(func=cmd_versions)
    a = ds.add_parser("promote", help="move a deck version to another stage")
    add_common(a)
    a.add_argument("name")
    a.add_argument("version", type=int)
    a.add_argument("--to", required=True, help="in_review, approved, draft or retired")
    a.add_argument("--comment", default="")
    a.set_defaults(func=cmd_promote)


def _rate(text: str) -> float:
    """'0.02' or '2%' -> 0.02."""
    t = text.strip()
    try:
        return float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a rate (e.g. 0.02 or 2%)") from None


def cmd_import(args: argparse.Namespace) -> int:
    from riskdesk.services.decks import DeckService

    with open_workspace(args) as ws:
        svc = DeckService(ws)
        prev = svc.preview_import(args.file, args.name, basis=args.basis,
                                  base_year=args.base_year, escalation=args.escalation)
        d = prev.to_dict()
        d["dry_run"] = args.dry_run
        if not args.dry_run:
            info = svc.save(prev.deck, comment=args.comment, source=args.file.name)
            d["version"] = info.number
            d["stage"] = info.stage
    deck = prev.deck
    head = "checked" if args.dry_run else f"imported as version {d['version']} of"
    lines = [f"{head} deck {deck.name!r}: {len(deck.scenarios)} scenarios "
             f"({', '.join(deck.scenarios)}), {len(deck.benchmarks)} benchmarks "
             f"({', '.join(deck.benchmarks)}); "
             + (f"real {deck.base_year} money" if deck.basis == "real" else "nominal money")
             + f", escalation {deck.escalation:.2%}/yr",
             f"changes from version {prev.previous}: {prev.diff.summary()}"
             if prev.previous else "new deck"]
    lines += [f"  {c}" for c in prev.diff.changes[:20] if prev.previous]
    if prev.skipped_sheets:
        lines.append(f"sheets without a price table: {', '.join(prev.skipped_sheets)}")
    emit(args, d, "\n".join(lines))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from riskdesk.services.decks import DeckService

    with open_workspace(args) as ws:
        info = DeckService(ws).export(args.name, args.file, args.version)
    emit(args, {"file": str(args.file), "version": info.number, "hash": info.hash},
         f"wrote {args.file} (deck {args.name!r} version {info.number})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from riskdesk.services.decks import DeckService

    with open_workspace(args) as ws:
        d = DeckService(ws).show(args.name, args.version)
    lines = [f"{d['name']} version {d['version']}: {d['basis']}"
             + (f" {d['base_year']} money" if d["base_year"] else "")
             + f", escalation {d['escalation']:.2%}/yr"]
    for s in d["series"]:
        pts = ", ".join(f"{p} {v:g}" for p, v in s["points"][:6])
        more = " ..." if len(s["points"]) > 6 else ""
        lines.append(f"  {s['scenario']:<10} {s['benchmark']:<14} {s['unit']:<10} {pts}{more}")
    emit(args, d, "\n".join(lines))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from riskdesk.services.decks import DeckService

    with open_workspace(args) as ws:
        rows = DeckService(ws).summaries()
    emit(args, [r.to_dict() for r in rows],
         "\n".join(f"{r.name}  v{r.version}  {r.stage}  {r.basis}  {', '.join(r.scenarios)}"
                   for r in rows) or "no decks")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from riskdesk.services.decks import DeckService

    with open_workspace(args) as ws:
        vs = DeckService(ws).versions(args.name)
    emit(args, [v.to_dict() for v in vs],
         "\n".join(f"v{v.number}  {v.stage:<10} {v.created_at}  {v.created_by}  {v.comment}"
                   for v in vs))
    return 0


def cmd_promote(args: argparse.Namespace) -> int:
    from riskdesk.services.decks import DeckService

    with open_workspace(args) as ws:
        info = DeckService(ws).promote(args.name, args.version, args.to, args.comment)
    emit(args, info.to_dict(), f"deck {args.name!r} version {info.number} is now {info.stage}")
    return 0
