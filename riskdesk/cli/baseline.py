"""``riskdesk baseline ...``: import, export, freeze, versions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from riskdesk.cli import CliError, add_common, emit, open_workspace


def register(sub: Any) -> None:
    p = sub.add_parser("baseline", help="the baseline plan: import, export, freeze")
    bs = p.add_subparsers(dest="baseline_command", metavar="ACTION", required=True)
    a = bs.add_parser("import", help="replace the draft plan with an .xlsx plan")
    add_common(a)
    a.add_argument("file", type=Path)
    a.add_argument("--dry-run", action="store_true")
    a.set_defaults(func=cmd_import)
    a = bs.add_parser("export", help="write the draft plan (or a version) to .xlsx")
    add_common(a)
    a.add_argument("file", type=Path)
    a.add_argument("--version", type=int)
    a.set_defaults(func=cmd_export)
    a = bs.add_parser("freeze", help="freeze the draft plan into an immutable version")
    add_common(a)
    a.add_argument("--comment", default="")
    a.set_defaults(func=cmd_freeze)
    a = bs.add_parser("versions", help="list frozen plan versions")
    add_common(a)
    a.set_defaults(func=cmd_versions)
    a = bs.add_parser("promote", help="move a plan version to another stage")
    add_common(a)
    a.add_argument("version", type=int)
    a.add_argument("--to", required=True)
    a.add_argument("--comment", default="")
    a.set_defaults(func=cmd_promote)


def cmd_import(args: argparse.Namespace) -> int:
    from riskdesk.io.baseline_excel import read_baseline_xlsx
    from riskdesk.services.baseline import BaselineService

    if args.file.suffix.lower() != ".xlsx":
        raise CliError(f"{args.file.name}: expected a .xlsx workbook")
    plan = read_baseline_xlsx(args.file)
    if not args.dry_run:
        with open_workspace(args) as ws:
            BaselineService(ws).save_draft(plan, action="baseline.import")
    d = {"name": plan.name, "start": plan.start, "months": plan.months,
         "business_units": plan.business_units, "lines": len(plan.lines),
         "dry_run": args.dry_run, "hash": plan.content_hash()}
    emit(args, d, f"{'checked' if args.dry_run else 'imported'} {args.file.name}: "
         f"{len(plan.lines)} lines, {plan.months} months from {plan.start}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from riskdesk.services.baseline import BaselineService

    with open_workspace(args) as ws:
        out = BaselineService(ws).export_xlsx(args.file, args.version)
    emit(args, {"file": str(out)}, f"wrote {out}")
    return 0


def cmd_freeze(args: argparse.Namespace) -> int:
    from riskdesk.services.baseline import BaselineService

    with open_workspace(args) as ws:
        info = BaselineService(ws).freeze(args.comment)
    emit(args, {"version": info.number, "hash": info.hash},
         f"froze baseline version {info.number} {info.hash}")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from riskdesk.domain.registry import STAGE_LABELS
    from riskdesk.services.baseline import BaselineService

    with open_workspace(args) as ws:
        vs = BaselineService(ws).versions()
    emit(args, {"versions": [v.to_dict() for v in vs]},
         "\n".join(f"v{v.number:<3} {STAGE_LABELS.get(v.stage, v.stage):<10} {v.created_at} "
                   f"{v.hash[:19]}…  {v.comment}" for v in vs) or "(no versions)")
    return 0


def cmd_promote(args: argparse.Namespace) -> int:
    from riskdesk.services.baseline import BaselineService

    with open_workspace(args) as ws:
        info = BaselineService(ws).promote(args.version, args.to, args.comment)
    from riskdesk.domain.registry import STAGE_LABELS

    emit(args, info.to_dict(), f"baseline version {info.number} is now "
         f"{STAGE_LABELS.get(info.stage, info.stage)}")
    return 0
