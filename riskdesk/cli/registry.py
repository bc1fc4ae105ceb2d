"""``riskdesk registry ...``: list, import, export, freeze, promote, versions, template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from riskdesk.cli import CliError, add_common, emit, open_workspace


def register(sub: Any) -> None:
    p = sub.add_parser("registry", help="the risk registry: import, export, list, freeze, "
                       "promote")
    rs = p.add_subparsers(dest="registry_command", metavar="ACTION", required=True)

    a = rs.add_parser("list", help="list the draft's risks (or a frozen version's)")
    add_common(a)
    a.add_argument("--version", type=int, help="a frozen version instead of the draft")
    a.set_defaults(func=cmd_list)

    a = rs.add_parser("import", help="import risks from .xlsx or registry JSON into the draft")
    add_common(a)
    a.add_argument("file", type=Path)
    a.add_argument("--replace", action="store_true", help="remove draft risks not in the file")
    a.add_argument("--dry-run", action="store_true", help="validate and preview, write nothing")
    a.set_defaults(func=cmd_import)

    a = rs.add_parser("export", help="export the draft (or a version) to .xlsx or JSON; personal "
                      "data in free text is redacted unless --reveal-reason is given")
    add_common(a)
    a.add_argument("file", type=Path)
    a.add_argument("--version", type=int, help="a frozen version instead of the draft")
    a.add_argument("--reveal-reason", default="", metavar="TEXT",
                   help="write original text instead of redacted text; the reason is audited")
    a.set_defaults(func=cmd_export)

    a = rs.add_parser("template", help="write an empty registry workbook with documented columns")
    add_common(a)  # --workspace is accepted like everywhere, though a template needs none
    a.add_argument("file", type=Path)
    a.set_defaults(func=cmd_template)

    a = rs.add_parser("freeze", help="freeze the draft into an immutable, hashed version")
    add_common(a)
    a.add_argument("--comment", default="")
    a.set_defaults(func=cmd_freeze)

    a = rs.add_parser("versions", help="list frozen versions with stage and hash")
    add_common(a)
    a.set_defaults(func=cmd_versions)

    a = rs.add_parser("promote", help="move a version to another stage")
    add_common(a)
    a.add_argument("version", type=int)
    a.add_argument("--to", required=True,
                   help="in_review, approved, retired or draft (back from review)")
    a.add_argument("--comment", default="")
    a.set_defaults(func=cmd_promote)


def _fmt_pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def cmd_list(args: argparse.Namespace) -> int:
    from riskdesk.services.registry import RegistryService

    with open_workspace(args) as ws:
        svc = RegistryService(ws)
        reg = svc.version(args.version) if args.version else svc.draft()
    rows = [r.to_dict() for r in reg.risks]
    text = "\n".join(
        f"{r.id:<9} {r.kind[:5]:<6} {_fmt_pct(r.probability) if r.kind == 'quantitative' else '':>5}"
        f" {r.impact.describe() if r.kind == 'quantitative' else f'L{r.likelihood}/I{r.severity}':<32}"
        f" {r.title}" for r in reg.risks)
    emit(args, {"registry": reg.name, "units": reg.units, "months": reg.months,
                "version": args.version, "risks": rows}, text or "(no risks)")
    return 0


def read_registry_file(path: Path, months: int | None = None) -> Any:
    """Read .xlsx or .json by extension (ValidationError on problems)."""
    from riskdesk.domain.problems import Problem, ValidationError

    suffix = path.suffix.lower()
    if suffix == ".json":
        from riskdesk.io.registry_json import load_registry_json

        return load_registry_json(path)
    if suffix in (".xlsx", ".xlsm"):
        from riskdesk.io.registry_excel import read_registry_xlsx

        return read_registry_xlsx(path, months=months)
    raise ValidationError(Problem(path.name, "expected a .xlsx workbook or a .json registry"))


def cmd_import(args: argparse.Namespace) -> int:
    from riskdesk.services.registry import RegistryService

    with open_workspace(args) as ws:
        svc = RegistryService(ws)
        incoming = read_registry_file(args.file)
        if args.dry_run:
            preview = svc.preview_import(incoming, replace=args.replace)
        else:
            preview = svc.apply_import(incoming, replace=args.replace)
    d: dict[str, Any] = dict(preview.to_dict())
    from riskdesk.services.pii import exported_redacted

    if exported_redacted(args.file):
        sys.stderr.write(f"riskdesk: warning: {args.file.name} was exported redacted: owners and "
                         "free text in it are tokens, not the original text\n")
        d["redacted_source"] = True
    summary = (f"{'would import' if args.dry_run else 'imported'} {args.file.name}: "
               f"{len(d['added'])} added, {len(d['changed'])} changed, "
               f"{len(d['removed'])} removed, {len(d['unchanged'])} unchanged")
    emit(args, {"dry_run": args.dry_run, **d}, summary)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from riskdesk.services.pii import PiiService
    from riskdesk.services.registry import RegistryService

    if args.file.suffix.lower() not in (".xlsx", ".json"):
        raise CliError(f"{args.file.name}: expected a .xlsx or .json file name")
    with open_workspace(args) as ws:
        svc = RegistryService(ws)
        reg = svc.version(args.version) if args.version else svc.draft()
        info = PiiService(ws).export_registry(reg, args.file, reveal_reason=args.reveal_reason)
    how = "original text (reason audited)" if args.reveal_reason.strip() else \
        f"{info['fields_redacted']} free-text fields redacted"
    emit(args, {**info, "risks": len(reg.risks)}, f"wrote {args.file} ({how})")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from riskdesk.io.registry_excel import write_template

    out = write_template(args.file)
    emit(args, {"file": str(out)}, f"wrote {out}")
    return 0


def cmd_freeze(args: argparse.Namespace) -> int:
    from riskdesk.services.registry import RegistryService

    with open_workspace(args) as ws:
        svc = RegistryService(ws)
        info = svc.freeze(args.comment)
        same = [v.number for v in svc.versions() if v.hash == info.hash and v.number != info.number]
    note = f" (same content as version {same[-1]})" if same else ""
    emit(args, {"version": info.number, "hash": info.hash},
         f"froze version {info.number} ({info.risks} risks) {info.hash}{note}")
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from riskdesk.domain.registry import STAGE_LABELS
    from riskdesk.services.registry import RegistryService

    with open_workspace(args) as ws:
        vs = RegistryService(ws).versions()
    text = "\n".join(f"v{v.number:<3} {STAGE_LABELS[v.stage]:<10} {v.created_at} {v.created_by:<12}"
                     f" {v.risks:>3} risks  {v.hash[:19]}…  {v.comment}" for v in vs)
    emit(args, {"versions": [v.to_dict() for v in vs]}, text or "(no versions)")
    return 0


def cmd_promote(args: argparse.Namespace) -> int:
    from riskdesk.domain.registry import STAGE_LABELS
    from riskdesk.services.registry import RegistryService

    with open_workspace(args) as ws:
        info = RegistryService(ws).promote(args.version, args.to, args.comment)
    emit(args, info.to_dict(), f"version {info.number} is now {STAGE_LABELS[info.stage]}")
    return 0
