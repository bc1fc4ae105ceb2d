"""Pattern recognizers for contact details and identifiers, as Presidio ``LocalRecognizer``s.

Scores are 0..1. Ambiguous national-format phone numbers and IPv4-looking numbers start below the
policy threshold and only pass with a cue word nearby (``tel``, ``mobile``, ``ip``, ``server``...);
numbers right after a currency or before a unit are never phone numbers.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from typing import Any

import phonenumbers
from presidio_analyzer import LocalRecognizer, RecognizerResult

# Regions tried, in order, for numbers written without a country code: the company's home
# regions first (Nordic, UK), then the other countries it operates in.
PHONE_REGIONS = ("NO", "GB", "SE", "DK", "FI", "US", "NG", "IN", "BR", "AE", "SA", "QA", "NL",
                 "DE", "FR", "IE", "IS", "CA", "AU", "MY", "SG", "CN", "AO", "GH", "ZA", "KZ",
                 "AZ", "IT", "ES", "MX")

PHONE_CUES = ("tel", "tlf", "phone", "mobile", "mob", "cell", "call", "ring", "fax", "whatsapp",
              "sms", "text", "telefon", "puh", "number", "no.", "nr", "dial", "contact", "reach",
              "m:", "t:")
# what may stand between a person (or e-mail) and their number
CONTACT_JOINS = frozenset({"", ",", "(", ", (", ":", "-", "–", "at", "on", ", at", ", on"})
# a bracket opened right after the name, with a short role in it: "Kari Hansen (landowner, 0412 ..."
ROLE_IN_BRACKET = re.compile(r"\s*\(\s*[^\W\d][\w'. -]{0,28},\s*")


def _joins(between: str) -> bool:
    """Whether ``between`` (the text from a name or e-mail to a number) ties the number to it."""
    return (len(between) <= 6 and between.strip().lower() in CONTACT_JOINS) or \
        ROLE_IN_BRACKET.fullmatch(between) is not None


AMOUNT_BEFORE = re.compile(r"(?:usd|nok|gbp|eur|sek|dkk|brl|ngn|inr|aed|sar|qar|cny|kusd|musd|"
                           r"mnok|knok|mgbp|[$£€¥]|afe|api|po|wo|cc|wbs|ref|invoice|order|"
                           r"no\.? of|qty|sap)\s*[:#]?\s*$", re.IGNORECASE)
UNIT_AFTER = re.compile(r"^\s?(?:k?usd|nok|gbp|eur|m?nok|musd|bbl|boe|boepd|bopd|sm3|m3|scf|"
                        r"mmscf|bar|psi|t\b|tonnes|kg|m\b|km|mw|kw|%|days|hours|hrs|men)",
                        re.IGNORECASE)
PHONE_CANDIDATE = re.compile(
    r"(?<![\w@/.+\-])(?:\+|\b00)?\(?\d[\d().\- ]{5,22}\d(?![\w/]|[.\-]\d)")


def _cue_before(text: str, start: int, cues: tuple[str, ...], window: int = 40,
                exact: bool = False) -> bool:
    """Whether one of the last five words before ``start`` is (or, unless ``exact``, starts
    with) a cue."""
    before = text[max(0, start - window):start].lower()
    words = re.findall(r"[\w:.§]+", before)[-5:]
    if exact:
        return any(w.rstrip(".:") in cues for w in words)
    return any(w.startswith(c) for w in words for c in cues)


def _result(entity: str, start: int, end: int, score: float, name: str) -> RecognizerResult:
    return RecognizerResult(entity, start, end, score,
                            recognition_metadata={"recognizer_name": name,
                                                  "is_score_enhanced_by_context": True})


class _Recognizer(LocalRecognizer):
    """Base: a name, entity list, English, and no Presidio-level context (we score it here)."""

    ENTITIES: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__(supported_entities=list(self.ENTITIES), name=type(self).__name__,
                         supported_language="en")

    def load(self) -> None:  # nothing to load
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None
                ) -> list[RecognizerResult]:
        raise NotImplementedError


class EmailRecognizer(_Recognizer):
    ENTITIES = ("EMAIL_ADDRESS",)
    RE = re.compile(r"(?<![\w.+\-])[\w.%+'\-]+@(?:[\w\-]+\.)+[A-Za-z]{2,24}\b")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None
                ) -> list[RecognizerResult]:
        return [_result("EMAIL_ADDRESS", m.start(), m.end(), 0.95, type(self).__name__)
                for m in self.RE.finditer(text)]


class PhoneRecognizer(_Recognizer):
    """International numbers (``+47 ...``, ``0044 ...``) validated by ``phonenumbers``; national
    numbers valid in one of ``PHONE_REGIONS`` need a cue word within five words before them."""

    ENTITIES = ("PHONE_NUMBER",)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None
                ) -> list[RecognizerResult]:
        out = []
        for m in PHONE_CANDIDATE.finditer(text):
            cand = m.group().rstrip(" .-")
            start, end = m.start(), m.start() + len(cand)
            if cand.startswith("(") and ")" not in cand:
                cand, start = cand[1:], start + 1
            digits = re.sub(r"\D", "", cand)
            if not 7 <= len(digits) <= 15 or "  " in cand:
                continue
            if AMOUNT_BEFORE.search(text[max(0, start - 12):start]) or \
                    UNIT_AFTER.match(text[end:end + 8]):
                continue
            score = self._score(cand, text, start)
            if score > 0:
                out.append(_result("PHONE_NUMBER", start, end, score, type(self).__name__))
        return out

    def enhance_using_context(self, text: str, raw_recognizer_results: list[RecognizerResult],
                              other_raw_recognizer_results: list[RecognizerResult],
                              nlp_artifacts: Any = None, context: list[str] | None = None
                              ) -> list[RecognizerResult]:
        """A number right after a confident person or e-mail is contact data: +0.3. "Right
        after" is a comma, a bracket, a colon or dash, "at"/"on", or a bracket with a short role
        (``Kari Hansen (0412 ...)``, ``from Kari Hansen at 0412 ...``, ``Kari Hansen on 0412``,
        ``Kari Hansen (landowner, 0412 ...)``)."""
        anchors = [r.end for r in other_raw_recognizer_results
                   if r.entity_type in ("PERSON", "EMAIL_ADDRESS") and r.score >= 0.55]
        for r in raw_recognizer_results:
            if r.score < 0.5 and any(0 <= r.start - e <= 40 and _joins(text[e:r.start])
                                     for e in anchors):
                r.score = min(1.0, r.score + 0.3)
        return raw_recognizer_results

    @staticmethod
    def _score(cand: str, text: str, start: int) -> float:
        intl = cand.startswith("+") or cand.startswith("00")
        cue = _cue_before(text, start, PHONE_CUES)
        if intl:
            num = "+" + cand[2:] if cand.startswith("00") else cand
            try:
                parsed = phonenumbers.parse(num, None)
            except phonenumbers.NumberParseException:
                return 0.0
            if phonenumbers.is_valid_number(parsed):
                return 0.9
            return 0.6 if phonenumbers.is_possible_number(parsed) else 0.0
        for region in PHONE_REGIONS:
            try:
                parsed = phonenumbers.parse(cand, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(parsed):
                shaped = bool(re.search(r"\(\d{2,4}\)|^\d{3}-\d{3}-\d{4}$|^0\d", cand))
                return min(1.0, (0.45 if shaped else 0.3) + (0.45 if cue else 0.0))
        return 0.0


class IpRecognizer(_Recognizer):
    """IPv4 (optionally with a /prefix) and IPv6 addresses validated by ``ipaddress``.

    A dotted quad after ``section``/``version``/``WBS`` is a numbering, not an address."""

    ENTITIES = ("IP_ADDRESS",)
    V4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w]|\.\d)")
    V6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4})"
                    r"(?:[0-9A-Fa-f:]*)(?![\w:])|(?<![\w:])::(?:[0-9A-Fa-f]{1,4}:?){1,7}(?![\w:])")
    NUMBERING = ("section", "sect", "clause", "chapter", "item", "para", "version", "ver", "rev",
                 "v", "wbs", "step", "§", "ref", "table", "figure", "fig", "appendix")
    CUES = ("ip", "server", "host", "address", "vpn", "firewall", "subnet", "gateway", "scada",
            "plc", "network", "dns", "router", "switch", "node", "proxy", "ping")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None
                ) -> list[RecognizerResult]:
        out = []
        for m in self.V4.finditer(text):
            try:
                ipaddress.ip_network(m.group(), strict=False)
            except ValueError:
                continue
            if _cue_before(text, m.start(), self.NUMBERING, window=15, exact=True):
                continue
            score = 0.95 if _cue_before(text, m.start(), self.CUES) else 0.7
            out.append(_result("IP_ADDRESS", m.start(), m.end(), score, type(self).__name__))
        for m in self.V6.finditer(text):
            if m.group().count(":") < 3:
                continue
            try:
                ipaddress.IPv6Address(m.group())
            except ValueError:
                continue
            out.append(_result("IP_ADDRESS", m.start(), m.end(), 0.85, type(self).__name__))
        return out


def _valid_date(dd: int, mm: int, yy: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + yy, mm, dd)
            return True
        except ValueError:
            continue
    return False


class NordicIdRecognizer(_Recognizer):
    """Norwegian fødselsnummer/D-number (two mod-11 check digits) and Danish CPR numbers
    (``DDMMYY-SSSS``; no checksum since 2007, so a cue word is needed)."""

    ENTITIES = ("NO_FODSELSNUMMER", "DK_CPR")
    NO_RE = re.compile(r"(?<![\d\-/.])(\d{6})\s?(\d{5})(?![\d\-/.])")
    DK_RE = re.compile(r"(?<![\d\-/.])(\d{6})-(\d{4})(?![\d\-/.])")
    W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

    @classmethod
    def valid_fnr(cls, digits: str) -> bool:
        d = [int(c) for c in digits]
        k1 = 11 - sum(a * b for a, b in zip(cls.W1, d[:9], strict=True)) % 11
        k1 = 0 if k1 == 11 else k1
        k2 = 11 - sum(a * b for a, b in zip(cls.W2, d[:10], strict=True)) % 11
        k2 = 0 if k2 == 11 else k2
        if k1 == 10 or k2 == 10 or k1 != d[9] or k2 != d[10]:
            return False
        dd = int(digits[:2]) % 40  # D-numbers add 40 to the day
        return _valid_date(dd, int(digits[2:4]) % 40, int(digits[4:6]))

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None
                ) -> list[RecognizerResult]:
        out = []
        for m in self.NO_RE.finditer(text):
            if self.valid_fnr(m.group(1) + m.group(2)):
                out.append(_result("NO_FODSELSNUMMER", m.start(), m.end(), 0.9, type(self).__name__))
        for m in self.DK_RE.finditer(text):
            s = m.group(1)
            if _valid_date(int(s[:2]), int(s[2:4]), int(s[4:6])):
                cue = _cue_before(text, m.start(), ("cpr", "personnummer", "cpr-nr", "id"))
                out.append(_result("DK_CPR", m.start(), m.end(), 0.85 if cue else 0.35,
                                   type(self).__name__))
        return out


def presidio_recognizers() -> list[LocalRecognizer]:
    """Presidio's own checksum-validated recognizers that fit our needs, set to English."""
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        FiPersonalIdentityCodeRecognizer,
        IbanRecognizer,
        SePersonnummerRecognizer,
        UkNinoRecognizer,
        UsSsnRecognizer,
    )
    return [cls(supported_language="en") for cls in (
        CreditCardRecognizer, IbanRecognizer, UkNinoRecognizer, UsSsnRecognizer,
        SePersonnummerRecognizer, FiPersonalIdentityCodeRecognizer)]


def own_recognizers() -> list[LocalRecognizer]:
    return [EmailRecognizer(), PhoneRecognizer(), IpRecognizer(), NordicIdRecognizer()]
