"""Versioned PII policy: per entity type an action and a score threshold, read from YAML.

Actions: ``redact`` → ``[TYPE]``; ``mask`` → every letter/digit but the last ``keep_last``
replaced by ``char``; ``tokenize`` → ``[TYPE:xxxxxxxx]``, the first 8 bytes of
HMAC-SHA-256(secret, type + normalised value) in hex, so the same person gives the same token in
every field and export made with the same secret; ``pass`` → unchanged (still logged). The token
secret lives in the user config directory, outside any workspace, and is created on first use.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskdesk.domain.problems import Problem, ValidationError
from riskdesk.governance.pii.findings import Detection, Finding

POLICY_SCHEMA = "riskdesk.pii-policy/1"
ACTIONS = ("redact", "mask", "tokenize", "pass")
SECRET_FILE = "pii-token.key"


@dataclass(frozen=True)
class EntityRule:
    action: str
    threshold: float


@dataclass(frozen=True)
class Policy:
    """A parsed policy. ``version`` is the author's version string; ``content_hash`` is the
    SHA-256 of its canonical JSON, so two different texts never share a stored version."""

    version: str
    name: str = ""
    default: EntityRule = EntityRule("redact", 0.5)
    entities: dict[str, EntityRule] = field(default_factory=dict)
    mask_char: str = "*"
    keep_last: int = 2

    def rule(self, entity_type: str) -> EntityRule:
        return self.entities.get(entity_type, self.default)

    def thresholds(self) -> dict[str, float]:
        return {k: r.threshold for k, r in self.entities.items()}

    def to_dict(self) -> dict[str, Any]:
        return {"schema": POLICY_SCHEMA, "name": self.name, "version": self.version,
                "default": {"action": self.default.action, "threshold": self.default.threshold},
                "mask": {"char": self.mask_char, "keep_last": self.keep_last},
                "entities": {k: {"action": r.action, "threshold": r.threshold}
                             for k, r in sorted(self.entities.items())}}

    @property
    def content_hash(self) -> str:
        canon = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canon.encode()).hexdigest()


def _rule(d: Any, where: str, problems: list[Problem], fallback: EntityRule) -> EntityRule:
    if not isinstance(d, dict):
        problems.append(Problem(where, "must be a mapping with 'action' and 'threshold'"))
        return fallback
    action = str(d.get("action", fallback.action)).strip().lower()
    if action not in ACTIONS:
        problems.append(Problem(f"{where}.action",
                                f"'{action}' is not one of {', '.join(ACTIONS)}"))
    try:
        thr = float(d.get("threshold", fallback.threshold))
    except (TypeError, ValueError):
        problems.append(Problem(f"{where}.threshold", "must be a number between 0 and 1"))
        thr = fallback.threshold
    if not 0.0 <= thr <= 1.0:
        problems.append(Problem(f"{where}.threshold", f"{thr} is outside 0..1"))
    return EntityRule(action, thr)


def policy_from_dict(d: Any, where: str = "policy") -> Policy:
    """Validate a policy mapping; raises ``ValidationError`` naming each bad field."""
    if not isinstance(d, dict):
        raise ValidationError("a policy must be a YAML mapping", where)
    problems: list[Problem] = []
    schema = d.get("schema", POLICY_SCHEMA)
    if schema != POLICY_SCHEMA:
        problems.append(Problem(f"{where}:schema", f"expected '{POLICY_SCHEMA}', got '{schema}'"))
    version = str(d.get("version", "")).strip()
    if not version:
        problems.append(Problem(f"{where}:version", "a policy needs a version string"))
    default = _rule(d.get("default", {}), f"{where}:default", problems, EntityRule("redact", 0.5))
    ents = d.get("entities", {}) or {}
    if not isinstance(ents, dict):
        problems.append(Problem(f"{where}:entities", "must map entity types to rules"))
        ents = {}
    entities = {str(k).upper(): _rule(v, f"{where}:entities.{k}", problems, default)
                for k, v in ents.items()}
    mask = d.get("mask", {}) or {}
    mask_char = str(mask.get("char", "*")) if isinstance(mask, dict) else "*"
    keep_last = mask.get("keep_last", 2) if isinstance(mask, dict) else 2
    if len(mask_char) != 1:
        problems.append(Problem(f"{where}:mask.char", "must be a single character"))
    if not isinstance(keep_last, int) or keep_last < 0:
        problems.append(Problem(f"{where}:mask.keep_last", "must be a whole number >= 0"))
        keep_last = 2
    if problems:
        raise ValidationError(problems)
    return Policy(version, str(d.get("name", "")), default, entities, mask_char, keep_last)


def load_policy(path: str | Path | None = None) -> Policy:
    """Read a policy YAML file (the shipped default when ``path`` is None)."""
    import yaml

    from riskdesk.governance.pii.resources import default_policy_path
    p = Path(path) if path is not None else default_policy_path()
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(f"cannot read policy: {exc.strerror}", str(p)) from exc
    except yaml.YAMLError as exc:
        raise ValidationError(f"not valid YAML: {exc}", str(p)) from exc
    return policy_from_dict(data, where=p.name)


def token_secret(path: Path | None = None) -> bytes:
    """The tokenization secret (32 random bytes in the user config directory, owner-only),
    created on first use; it never enters a workspace."""
    from riskdesk.paths import config_dir, write_private

    p = path or config_dir() / SECRET_FILE
    if not p.exists():
        try:
            write_private(p, secrets.token_bytes(32).hex().encode("ascii"))
        except FileExistsError:  # created meanwhile by another process
            pass
    return bytes.fromhex(p.read_text(encoding="ascii").strip())


def normalise(entity_type: str, value: str) -> str:
    """The form two spellings of one value share: phone numbers by digits, names by case and
    spacing (``KARI  nordmann`` = ``Kari Nordmann``)."""
    v = unicodedata.normalize("NFKC", value)
    if entity_type in ("PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE"):
        return re.sub(r"[^0-9A-Za-z]", "", v).upper()
    return " ".join(v.split()).casefold()


def make_token(entity_type: str, value: str, secret: bytes) -> str:
    mac = hmac.new(secret, f"{entity_type}\x1f{normalise(entity_type, value)}".encode(),
                   hashlib.sha256).hexdigest()
    return f"[{entity_type}:{mac[:16]}]"


def mask(value: str, char: str, keep_last: int) -> str:
    alnum = [i for i, ch in enumerate(value) if ch.isalnum()]
    hide = set(alnum[:max(0, len(alnum) - keep_last)])
    return "".join(char if i in hide else ch for i, ch in enumerate(value))


def apply_policy(text: str, findings: Iterable[Finding], policy: Policy, secret: bytes,
                 field: str = "", aliases: dict[str, str] | None = None
                 ) -> tuple[str, list[Detection]]:
    """Rewrite ``text`` per policy. Returns the new text and one ``Detection`` per finding at or
    above its threshold, with offsets into the original ``text``. ``aliases`` maps a normalised
    PERSON value (a known person's surname alone) to the full name whose token it gets."""
    detections: list[Detection] = []
    parts: list[str] = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        rule = policy.rule(f.entity_type)
        if f.score < rule.threshold or f.start < pos:
            continue
        value = text[f.start:f.end]
        if rule.action == "redact":
            repl = f"[{f.entity_type}]"
        elif rule.action == "mask":
            repl = mask(value, policy.mask_char, policy.keep_last)
        elif rule.action == "tokenize":
            if aliases and f.entity_type == "PERSON":
                value = aliases.get(normalise("PERSON", value), value)
            repl = make_token(f.entity_type, value, secret)
        else:
            repl = value
        parts.append(text[pos:f.start])
        parts.append(repl)
        pos = f.end
        detections.append(Detection(field, f.entity_type, f.start, f.end, f.score, rule.action,
                                    policy.version))
    parts.append(text[pos:])
    return "".join(parts), detections
