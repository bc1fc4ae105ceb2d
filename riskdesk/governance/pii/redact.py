"""Redaction of free text and of JSONL files, the core of ``riskdesk redact``.

JSONL in: one ``{"id": ..., "text": "..."}`` object per line. JSONL out: the same id, the
redacted text and ``entities``: ``[{"type", "start", "end", "score", "action"}]`` with offsets
into the *original* text. Bad input is reported with file and line; nothing is written then.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.governance.pii.findings import Detection
from riskdesk.governance.policy import Policy, apply_policy, token_secret


@dataclass(frozen=True)
class Redacted:
    text: str
    detections: list[Detection]


def redact_text(text: str, policy: Policy, *, known_people: Iterable[str] = (),
                secret: bytes | None = None, field: str = "",
                aliases: dict[str, str] | None = None) -> Redacted:
    """Detect and rewrite personal data in ``text`` per ``policy`` (``aliases``: see
    ``apply_policy``)."""
    from riskdesk.governance.pii.analyzer import analyze

    findings = analyze(text, known_people=known_people, thresholds=policy.thresholds(),
                       default_threshold=policy.default.threshold)
    new, dets = apply_policy(text, findings, policy, secret if secret is not None
                             else token_secret(), field=field, aliases=aliases)
    return Redacted(new, dets)


@dataclass
class RedactSummary:
    """What a JSONL redaction did: record count and detections per (entity type, action)."""

    records: int = 0
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {"records": self.records,
                "entities": [{"type": t, "action": a, "count": n}
                             for (t, a), n in sorted(self.counts.items())]}


def read_jsonl(path: Path) -> list[tuple[Any, str]]:
    """``(id, text)`` per non-blank line; raises ``ValidationError`` naming file:line."""
    problems: list[Problem] = []
    rows: list[tuple[Any, str]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValidationError(f"cannot read input: {exc.strerror}", str(path)) from exc
    except UnicodeDecodeError as exc:
        raise ValidationError("input is not UTF-8 text", str(path)) from exc
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{no}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(where, f"not valid JSON ({exc.msg}, column {exc.colno})"))
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(where, "each line must be a JSON object"))
            continue
        if "id" not in obj or not isinstance(obj["id"], str | int):
            problems.append(Problem(f"{where}.id", "missing or not a string/integer"))
            continue
        if not isinstance(obj.get("text"), str):
            problems.append(Problem(f"{where}.text", "missing or not a string"))
            continue
        rows.append((obj["id"], obj["text"]))
    if problems:
        raise ValidationError(problems)
    return rows


def redact_jsonl(input_path: str | Path, output_path: str | Path, policy: Policy, *,
                 secret: bytes | None = None, known_people: Iterable[str] = ()
                 ) -> RedactSummary:
    """Redact every record of ``input_path`` into ``output_path`` (written atomically)."""
    src, dst = Path(input_path), Path(output_path)
    rows = read_jsonl(src)
    key = secret if secret is not None else token_secret()
    people = tuple(known_people)
    summary = RedactSummary()
    out_lines = []
    for rid, text in rows:
        red = redact_text(text, policy, known_people=people, secret=key, field=str(rid))
        summary.records += 1
        summary.counts.update((d.entity_type, d.action) for d in red.detections)
        out_lines.append(json.dumps({"id": rid, "text": red.text,
                                     "entities": [d.entity_dict() for d in red.detections]},
                                    ensure_ascii=False))
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".redact-", dir=dst.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(out_lines) + ("\n" if out_lines else ""))
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return summary
