"""Where a risk's numbers came from, in words: the registry's Source column and the editor's
provenance box (the applied elicitation results behind the risk, with experts and weights)."""

from __future__ import annotations

import re
from typing import Any

from riskdesk.domain.risk import HAND_EDIT

_ELICIT = re.compile(r"elicitation:session (\S+)/(\S+) result (\S+) (\S+)(?: alpha=(\S+))? "
                     r"([^\s;]+)(?:; (.+))?")
_MATRIX = re.compile(r"matrix:(\S+) (L\d/I\d) (\S+)")


def source_text(source: str) -> str:
    """A short reading of ``Risk.source`` for the table (the raw text goes in the tooltip)."""
    s = source.strip()
    if not s:
        return ""
    if s.startswith(HAND_EDIT):
        return "edited by hand after " + source_text(s[len(HAND_EDIT):])
    m = _ELICIT.fullmatch(s)
    if m:
        sid, q, _res, how, alpha, family, extra = m.groups()
        how = how.replace("-", ", ") + (f", α={alpha}" if alpha is not None else "")
        return f"elicitation {sid}/{q} ({how}; {family})" + (f"; {extra}" if extra else "")
    m = _MATRIX.fullmatch(s)
    if m:
        version, cell, impact = m.groups()
        return f"risk matrix {version} {cell} ({impact})"
    return s


def provenance_lines(workspace: Any, risk_id: str) -> list[str]:
    """One line per applied elicitation result of ``risk_id``, newest first: when, by whom,
    session/question, parameter, method, each expert's weight and the fitted family."""
    try:
        from riskdesk.services.elicitation import ElicitationService

        results = ElicitationService(workspace).results(risk_id)
    except Exception:  # a workspace without elicitation tables has nothing to show
        return []
    out = []
    for r in reversed(results):
        experts = ", ".join(f"{e['id']} {float(e.get('weight') or 0):.2f}"
                            for e in r.get("experts", []))
        dm = r.get("decision_maker") or {}
        alpha = f", α={float(dm['alpha']):.3g}" if r.get("method") == "cooke" and \
            dm.get("alpha") is not None else ""
        fit = r.get("fit") or {}
        out.append(f"result {r['id']} · {r.get('created_at', '')} by {r.get('created_by', '')}: "
                   f"session {r.get('session')} question {r.get('question')} → "
                   f"{r.get('parameter')} · {r.get('method')} ({r.get('weights')}{alpha}) · "
                   f"weights {experts} · fitted {fit.get('family', '?')}")
    return out
