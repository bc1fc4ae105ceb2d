"""``riskdesk audit verify|log``: check the hash-chained audit log and list it."""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli import add_common, emit, open_workspace


def register(sub: Any) -> None:
    p = sub.add_parser("audit", help="verify or list the audit log")
    asub = p.add_subparsers(dest="audit_command", metavar="SUBCOMMAND", required=True)
    v = asub.add_parser("verify", help="verify the chain, its checkpoints and the audited "
                        "tables; exit 1 on any finding")
    add_common(v)
    v.set_defaults(func=cmd_verify)
    lg = asub.add_parser("log", help="list audit entries")
    add_common(lg)
    lg.add_argument("--filter", default="", help="text to look for in who/action/entity")
    lg.add_argument("--entity-type", default="", help="only this entity type")
    lg.set_defaults(func=cmd_log)


def cmd_verify(args: argparse.Namespace) -> int:
    from riskdesk.services.governance import GovernanceService

    ws = open_workspace(args)
    try:
        rep = GovernanceService(ws).verify()
    finally:
        ws.close()
    lines = [f"{'OK' if rep.ok else 'FAILED'}: {rep.entries} entries, head {rep.head_seq} "
             f"{rep.head_hash[:16]}..., {rep.checkpoints} checkpoints"]
    for i in rep.issues:
        where = (i.entity if i.kind == "unaudited_change" or i.seq is None
                 else f"entry {i.seq}") or "workspace"
        lines.append(f"  {i.kind:17s} {where}: {i.message}")
    lines += [f"  note: {n}" for n in rep.notes]
    emit(args, rep.to_dict(), "\n".join(lines))
    return 0 if rep.ok else 1


def cmd_log(args: argparse.Namespace) -> int:
    from riskdesk.services.governance import GovernanceService

    ws = open_workspace(args)
    try:
        rows = GovernanceService(ws).audit_rows(args.filter, args.entity_type)
    finally:
        ws.close()
    data = [{"seq": r.seq, "at": r.at, "who": r.who, "os_user": r.os_user, "action": r.action,
             "entity_type": r.entity_type, "entity_id": r.entity_id, "changes": len(r.diff)}
            for r in rows]
    text = "\n".join(f"{r.seq:5d} {r.at[:19]} {r.who:14s} {r.action:22s} {r.entity_type} "
                     f"{r.entity_id}" for r in rows)
    emit(args, data, text or "no entries")
    return 0
