"""Gazetteers and the default policy shipped under ``riskdesk/resources/pii``.

Files are read once per process and cached. Lookups are case-insensitive (``casefold``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path


def resource_dir() -> Path:
    """Directory of the PII resource files (source tree, wheel or frozen bundle)."""
    from riskdesk.paths import resources_dir

    return resources_dir() / "pii"


def default_policy_path() -> Path:
    return resource_dir() / "policy.yaml"


def _read_lines(name: str) -> list[str]:
    text = (resource_dir() / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def given_names() -> frozenset[str]:
    return frozenset(n.casefold() for n in _read_lines("given_names.txt"))


@cache
def surnames() -> frozenset[str]:
    return frozenset(n.casefold() for n in _read_lines("surnames.txt"))


@dataclass(frozen=True)
class ProtectedTerms:
    """Fields, companies and capitalised vocabulary that are never people (casefolded)."""

    fields: frozenset[str]
    companies: frozenset[str]
    words: frozenset[str]

    @property
    def phrases(self) -> frozenset[str]:
        return self.fields | self.companies


@cache
def protected_terms() -> ProtectedTerms:
    sections: dict[str, set[str]] = {"field": set(), "company": set(), "word": set()}
    current = "word"
    for line in _read_lines("protected_terms.txt"):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            if current not in sections:
                raise ValueError(f"protected_terms.txt: unknown section [{current}]")
            continue
        sections[current].add(" ".join(line.split()).casefold())
    return ProtectedTerms(frozenset(sections["field"]), frozenset(sections["company"]),
                          frozenset(sections["word"]))
