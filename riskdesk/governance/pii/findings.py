"""Value types for PII detections; they carry positions and scores, never the matched text."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One span the analyzer flagged: ``text[start:end]`` is of ``entity_type`` with ``score``.

    Offsets are character indices into the analysed text (end exclusive); ``score`` is 0..1.
    """

    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str = ""


@dataclass(frozen=True)
class Detection:
    """A finding after the policy decided what to do with it.

    ``field`` names where the text came from (``risk:R001.description`` or a JSONL id), ``action``
    is the policy's action (``redact``, ``mask``, ``tokenize`` or ``pass``), ``policy_version`` the
    version string of the policy that decided it. Offsets are into the original text.
    """

    field: str
    entity_type: str
    start: int
    end: int
    score: float
    action: str
    policy_version: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def entity_dict(self) -> dict[str, Any]:
        """The JSONL form: ``{"type", "start", "end", "score", "action"}``."""
        return {"type": self.entity_type, "start": self.start, "end": self.end,
                "score": round(self.score, 4), "action": self.action}
