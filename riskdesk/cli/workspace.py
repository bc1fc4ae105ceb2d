"""``riskdesk init``: create a workspace."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from riskdesk.cli import CliError, add_common, emit


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="create a new workspace file")
    add_common(p)
    p.add_argument("--demo", action="store_true", help="fill it with demo content")
    p.set_defaults(func=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    from riskdesk.paths import default_workspace
    from riskdesk.services.workspace import Workspace, WorkspaceError

    path = Path(args.workspace).expanduser() if args.workspace else default_workspace()
    try:
        ws = Workspace.create(path, demo=args.demo)
    except WorkspaceError as e:
        raise CliError(str(e)) from e
    wid = ws.workspace_id
    ws.close()
    emit(args, {"workspace": str(path), "id": wid, "demo": bool(args.demo)},
         f"created {path}" + (" with demo content" if args.demo else ""))
    return 0
