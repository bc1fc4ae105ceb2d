"""``riskdesk pii scan``, ``riskdesk pii policy``, ``riskdesk redact`` and ``riskdesk share``:
find personal data in a workspace, choose its PII policy, redact JSONL files, and write a
redacted copy of a workspace to share. Without ``--policy``, scans and copies use the policy in
use in the workspace (``pii policy --use``, or the Personal data tab), else the shipped one."""

from __future__ import annotations

import argparse
from typing import Any

from riskdesk.cli import CliError, add_common, emit, open_workspace


def register(sub: Any) -> None:
    p = sub.add_parser("pii", help="personal data in a workspace")
    psub = p.add_subparsers(dest="pii_command", metavar="SUBCOMMAND", required=True)
    s = psub.add_parser("scan", help="detect personal data in every free-text field and log "
                        "the detections (positions only)")
    add_common(s)
    s.add_argument("--policy", metavar="POLICY.yaml",
                   help="PII policy (default: the workspace's policy in use)")
    s.set_defaults(func=cmd_scan)
    pp = psub.add_parser("policy", help="list the stored policy versions and the one in use; "
                         "--use puts a policy YAML in use (stored and audited)")
    add_common(pp)
    pp.add_argument("--use", metavar="POLICY.yaml",
                    help="validate this policy and use it for the following scans and copies")
    pp.set_defaults(func=cmd_policy)

    r = sub.add_parser("redact", help="redact a JSONL file of {id, text} records")
    add_common(r, workspace=False)
    r.add_argument("--policy", metavar="POLICY.yaml", help="PII policy (default: shipped)")
    r.add_argument("--input", required=True, metavar="IN.jsonl")
    r.add_argument("--output", required=True, metavar="OUT.jsonl")
    r.set_defaults(func=cmd_redact)

    sh = sub.add_parser("share", help="write a redacted copy of a workspace and a report")
    add_common(sh)
    sh.add_argument("--output", required=True, metavar="COPY.riskdesk")
    sh.add_argument("--policy", metavar="POLICY.yaml",
                    help="PII policy (default: the workspace's policy in use)")
    sh.set_defaults(func=cmd_share)


def _policy(args: argparse.Namespace) -> Any:
    """The ``--policy`` file, or None: the workspace's policy in use (for ``redact``, which has
    no workspace, the shipped policy)."""
    from riskdesk.governance.policy import load_policy

    if args.policy is None and getattr(args, "func", None) is not cmd_redact:
        return None
    return load_policy(args.policy)


def cmd_policy(args: argparse.Namespace) -> int:
    from riskdesk.services.pii import PiiService

    ws = open_workspace(args)
    try:
        svc = PiiService(ws)
        if args.use:
            svc.use_policy_file(args.use)
        pol = svc.policy()
        default = svc.active_policy_hash() is None
        rows = svc.policies()
    finally:
        ws.close()
    data = {"in_use": {"version": pol.version, "name": pol.name, "hash": pol.content_hash,
                       "shipped_default": default},
            "stored": [{"version": r.version, "hash": r.hash, "created_at": r.created_at,
                        "created_by": r.created_by} for r in rows]}
    lines = [f"policy in use: {pol.version}{' (' + pol.name + ')' if pol.name else ''} "
             f"{pol.content_hash[:12]}{', shipped default' if default else ''}"]
    lines += [f"  {r.version:20s} {r.hash[:12]} {r.created_at} {r.created_by}"
              + ("  <- in use" if r.hash == pol.content_hash else "") for r in rows]
    emit(args, data, "\n".join(lines))
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    from riskdesk.services.pii import PiiService

    pol = _policy(args)
    ws = open_workspace(args)
    try:
        res = PiiService(ws).scan(pol)
    finally:
        ws.close()
    counts = ", ".join(f"{k} {v}" for k, v in sorted(res.counts().items())) or "nothing found"
    lines = [f"scan {res.scan_id}: {res.fields} fields, policy {res.policy_version}: {counts}"]
    lines += [f"  {d.field} [{d.start}:{d.end}] {d.entity_type} {d.score:.2f} -> {d.action}"
              for d in res.detections]
    emit(args, res.to_dict(), "\n".join(lines))
    return 0


def cmd_redact(args: argparse.Namespace) -> int:
    from pathlib import Path

    from riskdesk.governance.pii.redact import redact_jsonl

    src, dst = Path(args.input), Path(args.output)
    if src.resolve() == dst.resolve():
        raise CliError("--output must differ from --input")
    summary = redact_jsonl(src, dst, _policy(args))
    d = summary.to_dict()
    text = f"{d['records']} records -> {dst}: " + (", ".join(
        f"{e['type']} {e['action']} {e['count']}" for e in d["entities"]) or "nothing found")
    emit(args, {"output": str(dst), **d}, text)
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    from riskdesk.services.governance import share_copy
    from riskdesk.services.workspace import WorkspaceError

    pol = _policy(args)
    ws = open_workspace(args)
    try:
        rep = share_copy(ws, args.output, pol)
    except WorkspaceError as e:
        raise CliError(str(e)) from e
    finally:
        ws.close()
    d = rep.to_dict()
    summary = {k: v for k, v in d.items() if k != "changes"}
    summary["report"] = rep.report_file
    ents = ", ".join(f"{e['type']} {e['action']} {e['count']}" for e in d["entities"])
    emit(args, summary, f"wrote {rep.output} ({d['changed_strings']} strings redacted: "
         f"{ents or 'none'}); report {rep.report_file}")
    return 0
