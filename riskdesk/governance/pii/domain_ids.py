"""Domain identifiers that must survive redaction: well names, AFE and API numbers, cost codes,
licences, amounts, quantities, dates, quarters and percentiles.

``protected_spans(text)`` returns the character spans they occupy; the analyzer drops any
phone/person/IP/ID finding that overlaps one. E-mail addresses and IBANs are never dropped.
"""

from __future__ import annotations

import re

_CUR = r"(?:USD|NOK|GBP|EUR|SEK|DKK|BRL|NGN|INR|AED|SAR|QAR|CNY|kUSD|MUSD|MNOK|kNOK|MGBP|[$£€¥])"
_NUM = r"-?\d{1,3}(?:[ ,.'’]\d{3})*(?:[.,]\d+)?|-?\d+(?:[.,]\d+)?"
_SCALE = r"(?:\s?(?:k|m|mm|bn|million|billion|mill\.?|mrd|MNOK|kUSD|MUSD)\b)?"
_UNITS = (r"(?:bbl/d|bbl|boe/d|boepd|boe|bopd|Sm3/d|Sm3|MSm3|m3|MMscf/d|MMscf|scf|bar|barg|psi|"
          r"tonnes|t|kg|km|m|ft|MW|kW|GWh|MWh|%|days?|weeks?|months?|years?|hrs?|hours?|"
          r"wells?|kUSD|MUSD|MNOK|kNOK|USD|NOK|GBP|EUR)")
_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")

PATTERNS: dict[str, re.Pattern[str]] = {
    # NCS/UKCS well and wellbore names: 15/9-F-12, 6507/7-A-1 H, 34/10-C-45 T2, 211/29a-A3, 7220/8-1
    "well": re.compile(r"\b\d{1,4}/\d{1,2}[a-z]?(?:-[A-Z0-9]{1,4}){1,3}(?:\s(?:[A-Z]{1,2}\d?|T\d)\b)?"),
    "afe": re.compile(r"\bAFE[\s#:\-]*[A-Z]{0,3}\d{2,8}(?:[\-/.][A-Z0-9]{1,8})*\b", re.I),
    "api": re.compile(r"\b\d{2}-\d{3}-\d{5}(?:-\d{2}){0,2}\b|\bAPI[\s#:\-]*(?:no\.?\s*)?\d{10,14}\b"),
    "code": re.compile(r"\b(?:CC|WBS|PO|WO|SO|CTR|PR|ORD|CO|INV|MOC|NCR|TQ|RFQ|ITT|PL|ML|SPA)"
                       r"[\s#:\-]*[A-Z0-9]*\d[A-Z0-9]*(?:[\-./][A-Z0-9]+)*\b"),
    "code2": re.compile(r"\b[A-Z]{1,5}\d{0,3}-\d{2,6}(?:[\-./][A-Z0-9]{1,6})+\b|"
                        r"\b[A-Z]{1,5}-\d{3,8}\b|\b[A-Z]{2,6}(?:-[A-Z0-9]{2,8}){2,6}\b"),
    "wbs": re.compile(r"(?:WBS|cost element|cost code|account|GL)\s*[#:]?\s*\d{1,6}(?:[.\-]\d{1,6}){1,6}", re.I),
    "risk_id": re.compile(r"\bR-?\d{2,5}\b"),
    "money": re.compile(rf"{_CUR}\s?(?:{_NUM}){_SCALE}|(?:{_NUM}){_SCALE}\s?{_CUR}\b"),
    "quantity": re.compile(rf"(?<![\w.])(?:{_NUM})\s?{_UNITS}(?![\w])"),
    "iso_date": re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?\b"),
    "date": re.compile(r"(?<![\d.])\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d|\.\d)"),
    "text_date": re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s{_MONTHS}\.?(?:\s\d{{4}})?\b|"
                            rf"\b{_MONTHS}\.?\s\d{{1,2}}(?:st|nd|rd|th)?,?\s\d{{4}}\b|"
                            rf"\b{_MONTHS}\s\d{{4}}\b"),
    "period": re.compile(r"\b(?:Q[1-4]|H[12])(?:[\s\-/]?(?:FY)?\d{2,4})?\b|\bFY\s?\d{2,4}\b|"
                         r"\b\d{4}[\s\-/]Q[1-4]\b"),
    "percentile": re.compile(r"\bP\d{1,2}\b|\bP(?:mean|mode)\b"),
    "time": re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b"),
    "year_range": re.compile(r"\b(?:19|20)\d{2}(?:\s?[-–]\s?(?:19|20)?\d{2})?\b"),
}


def protected_spans(text: str) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, kind)`` of domain identifiers in ``text`` (end exclusive)."""
    spans = []
    for kind, pat in PATTERNS.items():
        for m in pat.finditer(text):
            if m.end() > m.start():
                spans.append((m.start(), m.end(), kind))
    spans.sort()
    return spans


def overlaps(start: int, end: int, spans: list[tuple[int, int, str]]) -> bool:
    return any(s < end and start < e for s, e, _ in spans)
