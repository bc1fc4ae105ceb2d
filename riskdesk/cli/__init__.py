"""The Qt-free command line: ``riskdesk <command> ...``.

Each area's commands live in a module listed in ``COMMAND_MODULES`` with ``register(subparsers)``.
Errors are reported on stderr as one clear message with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from typing import Any

COMMAND_MODULES = [
    "riskdesk.cli.workspace",
    "riskdesk.cli.registry",
    "riskdesk.cli.baseline",
    "riskdesk.cli.elicit",
    "riskdesk.cli.deck",
    "riskdesk.cli.asset",
    "riskdesk.cli.audit",
    "riskdesk.cli.pii",
    "riskdesk.cli.simulate",
    "riskdesk.cli.run",
]


class CliError(Exception):
    """A user-facing error: printed to stderr, exit code ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def add_common(p: argparse.ArgumentParser, *, workspace: bool = True) -> None:
    """``--workspace FILE`` and ``--json`` for every command."""
    if workspace:
        p.add_argument("--workspace", "-w", metavar="FILE",
                       help="workspace file (default: the per-user default workspace)")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")


def open_workspace(args: argparse.Namespace, *, create: bool = False) -> Any:
    """Open ``--workspace`` (or the default one); CliError if it cannot be opened."""
    from pathlib import Path

    from riskdesk.paths import default_workspace
    from riskdesk.services.workspace import Workspace, WorkspaceError

    path = Path(args.workspace).expanduser() if getattr(args, "workspace", None) \
        else default_workspace()
    try:
        if not path.exists():
            if create or not getattr(args, "workspace", None):
                return Workspace.create(path, demo=not getattr(args, "workspace", None))
            raise CliError(f"{path}: no such workspace (create it with 'riskdesk init "
                           f"--workspace {path}')")
        return Workspace.open(path)
    except WorkspaceError as e:
        raise CliError(str(e)) from e


def emit(args: argparse.Namespace, data: Any, text: str | None = None) -> None:
    """Print ``data`` as JSON with ``--json``, else ``text`` (or a readable rendering)."""
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    else:
        sys.stdout.write((text if text is not None else _render(data)) + "\n")


def _render(data: Any) -> str:
    if isinstance(data, dict):
        return "\n".join(f"{k}: {v}" for k, v in data.items())
    return str(data)


def build_parser() -> argparse.ArgumentParser:
    from riskdesk import __version__

    parser = argparse.ArgumentParser(
        prog="riskdesk",
        description="Probabilistic risk and asset-economics modelling. Without a command, "
                    "opens the desktop app.")
    parser.add_argument("--version", action="version", version=f"riskdesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one CLI command; returns the process exit code."""
    from riskdesk.domain.problems import ValidationError

    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    as_json = bool(getattr(args, "json", False))

    def fail(message: str, code: int, problems: Sequence[Any] = ()) -> int:
        if as_json:  # machine-readable errors too: {"error", "problems": [{"where", "message"}]}
            doc = {"error": message, "exit_code": code,
                   "problems": [{"where": p.where, "message": p.message} for p in problems]}
            sys.stderr.write(json.dumps(doc, ensure_ascii=False) + "\n")
        else:
            sys.stderr.write(f"riskdesk: {message}\n")
        return code

    try:
        rc = args.func(args)
        return int(rc or 0)
    except CliError as e:
        return fail(f"error: {e}", e.code)
    except ValidationError as e:
        return fail("error: " + "\n  ".join(str(p) for p in e.problems), 2, e.problems)
    except KeyboardInterrupt:
        return fail("cancelled", 130)
    except OSError as e:
        return fail(f"error: {e}", 1)
