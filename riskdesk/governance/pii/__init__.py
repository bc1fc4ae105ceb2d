"""PII detection and redaction for free text, running fully offline on Microsoft Presidio.

The analyzer (``riskdesk.governance.pii.analyzer``) is built lazily on first use and cached for
the process, so importing this package costs nothing: Presidio and spaCy are imported only inside
the functions that need them. Positions are character offsets into the original text
(``start`` inclusive, ``end`` exclusive). Detections never carry the matched text.
"""

from __future__ import annotations

from riskdesk.governance.pii.findings import Detection, Finding

__all__ = ["Detection", "Finding"]
