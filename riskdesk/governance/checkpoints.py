"""Checkpoints of a workspace's audit-chain head, kept outside the workspace.

One JSON-lines file per workspace id under ``<user data dir>/checkpoints/``: each line is
``{"seq", "hash", "at", "source"}``. A checkpoint is written after every audited write and
whenever the head is embedded in an export or report, so deleting the newest entries of a
workspace (a truncated tail) or rewriting history is detectable later by ``audit verify``.
A copy made with ``save_as`` keeps the workspace id; editing both copies on one machine makes their
checkpoints disagree (reported as rewritten history), so share copies get a new id.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Checkpoint:
    """The chain head at one moment: last sequence number and its entry hash."""

    seq: int
    hash: str
    at: str = ""
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "at": self.at, "source": self.source}


def checkpoint_file(workspace_id: str) -> Path:
    from riskdesk.paths import data_dir

    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", workspace_id) or "unknown"
    return data_dir() / "checkpoints" / f"{safe}.jsonl"


def record(workspace_id: str, seq: int, hash_: str, source: str = "write") -> Checkpoint:
    """Append a checkpoint (skipped when it repeats the last one of the same head)."""
    cp = Checkpoint(int(seq), str(hash_),
                    datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
                    source)
    path = checkpoint_file(workspace_id)
    last = _last_line(path)
    if last is not None and last.get("seq") == cp.seq and last.get("hash") == cp.hash:
        return cp
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(cp.to_dict(), sort_keys=True) + "\n")
    return cp


def _last_line(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 512))
        lines = fh.read().decode("utf-8", "replace").strip().splitlines()
    try:
        return json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        return None


def load(workspace_id: str) -> tuple[list[Checkpoint], list[str]]:
    """All checkpoints of a workspace and the problems reading them (bad lines)."""
    path = checkpoint_file(workspace_id)
    if not path.exists():
        return [], []
    out, problems = [], []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            out.append(Checkpoint(int(d["seq"]), str(d["hash"]), str(d.get("at", "")),
                                  str(d.get("source", ""))))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            problems.append(f"{path.name}:{no}: unreadable checkpoint")
    return out, problems
