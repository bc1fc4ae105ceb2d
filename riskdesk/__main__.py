"""Entry point: ``riskdesk`` opens the desktop app; ``riskdesk COMMAND ...`` runs the CLI."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def _is_gui_invocation(argv: list[str]) -> bool:
    rest = list(argv)
    if rest[:1] in (["--workspace"], ["-w"]) and len(rest) >= 2:
        rest = rest[2:]
    elif rest and rest[0].startswith("--workspace="):
        rest = rest[1:]
    return not rest


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if _is_gui_invocation(args):
        workspace = None
        if args:
            workspace = args[1] if len(args) == 2 else args[0].split("=", 1)[1]
        from riskdesk.ui.app import run_app

        return run_app(workspace)
    from riskdesk.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
