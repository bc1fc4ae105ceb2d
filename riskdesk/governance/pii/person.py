"""PERSON recognizers that need no statistical model.

``KnownPeopleRecognizer`` finds the people a workspace knows (owners, experts, users) from a
deny-list. ``NameRecognizer`` finds people it does not know: runs of capitalised words scored by a
given-name gazetteer, a surname gazetteer plus surname shapes (-sen, -sson, -nen, Al-, O'...),
titles (Mr, Dr...), role cues before the run (landowner, contact, rep...) and reporting verbs
after it (said, confirmed...). Fields and companies named after people (Johan Sverdrup, Edvard
Grieg, Aker) are listed in ``protected_terms.txt`` and never taken for people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS

from riskdesk.governance.pii import resources

WORD_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
PARTICLES = frozenset({"van", "von", "de", "da", "das", "dos", "del", "della", "di", "du", "le",
                       "la", "bin", "binti", "bint", "ibn", "al", "el", "ter", "ten", "den", "der",
                       "abu", "abd", "y", "e", "mac", "st"})
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame",
                    "herr", "fru", "frau", "sr", "sra", "dhr", "mevr", "capt", "captain", "eng",
                    "engr", "ing", "chief", "alhaji", "alhaja", "sheikh", "shri", "smt", "mme",
                    "mlle", "señor", "senhor", "dona", "dom"})
ROLE_CUES = frozenset({
    "landowner", "landowners", "owner", "holder", "tenant", "contact", "contacts", "vendor", "supplier", "rep",
    "representative", "engineer", "manager", "supervisor", "superintendent", "inspector",
    "consultant", "expert", "lead", "director", "coordinator", "geologist", "geophysicist",
    "colleague", "attn", "cc", "farmer", "neighbour", "neighbor", "chairman", "chair",
    "spokesperson", "agent", "lawyer", "solicitor", "advocate", "surveyor", "foreman", "auditor",
    "officer", "analyst", "planner", "controller", "ceo", "cfo", "cto", "vp", "head", "mayor",
    "councillor", "official", "fisherman", "skipper", "driver", "operator", "technician",
    "assigned", "owned", "raised", "escalated", "spoke", "speak", "met", "meet", "called",
    "emailed", "phoned", "informed", "asked", "told", "ask", "per", "signed", "approved",
    "reviewed", "from", "with", "by", "to", "via", "and", "for", "dear", "hi", "thanks",
    "regards", "mrs", "mr"})
WEAK_CUES = frozenset({"from", "with", "by", "to", "via", "and", "for", "per"})
AFTER_CUES = frozenset({
    "said", "says", "confirmed", "confirms", "reported", "reports", "noted", "notes", "agreed",
    "agrees", "called", "emailed", "wrote", "writes", "mentioned", "advised", "advises",
    "stated", "explained", "warned", "estimated", "estimates", "expects", "believes", "thinks",
    "argued", "claims", "claimed", "objected", "objects", "refused", "requested", "requests",
    "asked", "asks", "signed", "approved", "rejected", "raised", "flagged", "owns", "leads",
    "will", "has", "had", "is", "was", "needs", "wants", "insists", "suggested", "proposes"})
FACILITY_NOUNS = frozenset({
    "field", "fields", "platform", "unit", "license", "licence", "area", "fpso", "development",
    "project", "hub", "tie-back", "tieback", "reservoir", "installation", "template",
    "discovery", "well", "wells", "subsea", "phase", "ridge", "riser", "jacket", "topside",
    "topsides", "partnership", "partners", "asset", "terminal", "pipeline", "complex",
    "export", "gas", "oil", "crude", "blend", "shareholders", "group", "asa", "ltd", "plc",
    "inc", "solutions", "drilling", "energy"})
#: nouns that end the names of organisations and public bodies ("Rogaland County Council",
#: "Environmental Protection Agency"): capitalised words leading up to one are not a person
ORG_NOUNS = frozenset({
    "council", "county", "commission", "agency", "authority", "directorate", "ministry",
    "municipality", "committee", "board", "department", "office", "institute", "association",
    "union", "court", "tribunal", "regulator", "administration", "bureau", "inspectorate",
    "police", "coastguard", "university", "college", "school", "hospital", "foundation", "bank",
    "chamber", "parliament", "government", "assembly", "federation", "organisation",
    "organization", "secretariat"})
SURNAME_SHAPE = re.compile(
    r"(?:sen|ssen|son|sson|sdottir|sdóttir|dóttir|nen|inen|lä|la|stad|rud|vik|dal|land|"
    r"heim|berg|gaard|gård|strøm|ström|qvist|kvist|lund|holm|poulos|ović|ovic|ić|ski|ska|"
    r"wski|enko|escu|ez|es|ian|yan|oglu|oğlu|ov|ova|ev|eva|in|ina|ini|elli|etti|ucci|"
    r"ani|ari|wala|walla|jee|appa|amy|wu|ke|eke|emi|ade|oye|ola|ayo|unmi|anya)$")
#: given names that are also common English words: never a name when written in lower case
LOWER_AMBIGUOUS = frozenset({
    "will", "may", "mark", "bill", "grant", "rob", "pat", "frank", "rose", "dawn", "hope", "june",
    "april", "august", "art", "carol", "chase", "dean", "drew", "faith", "gene", "guy", "jack",
    "jay", "jean", "joy", "king", "lane", "lee", "max", "miles", "ray", "reed", "rich", "rock",
    "ruby", "sandy", "skip", "sterling", "sue", "terry", "victor", "wade", "ward", "warren",
    "wood", "penny", "page", "crystal", "daisy", "amber", "iris", "ivy", "jade", "violet",
    "pearl", "ginger", "holly", "heather", "summer", "autumn", "winter", "sky", "storm", "river",
    "brent", "don", "dale", "glen", "glenn", "clay", "cliff", "forest", "gale", "hunter",
    "major", "marshal", "mason", "porter", "price", "rusty", "sonny", "stone", "tucker", "young",
    "long", "best", "bell", "case", "cash", "cole", "fox", "gray", "grey", "hill", "hall",
    "van", "vince", "per", "bo", "ole", "tor", "stig", "siv"})
SURNAME_PREFIX = re.compile(r"^(?:al-|el-|o'|o’|mc|mac|fitz|nw|chukwu|oluwa|ade|ogun|abdul)",
                            re.IGNORECASE)


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() and (len(tok) == 1 or not tok.isupper() or "-" in tok)


def _surname_like(low: str, tok: str) -> bool:
    return (low in resources.surnames() or bool(SURNAME_PREFIX.match(tok))
            or (len(low) >= 5 and bool(SURNAME_SHAPE.search(low))))


def _result(start: int, end: int, score: float, name: str) -> RecognizerResult:
    return RecognizerResult("PERSON", start, end, min(1.0, score),
                            recognition_metadata={"recognizer_name": name,
                                                  "is_score_enhanced_by_context": True})


class NameRecognizer(LocalRecognizer):
    """Finds names of people nobody listed, from gazetteers, shapes and context (see module)."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="NameRecognizer",
                         supported_language="en")

    def load(self) -> None:
        self.given = resources.given_names()
        self.terms = resources.protected_terms()

    def _is_stop(self, low: str) -> bool:
        return (low in STOP_WORDS or low in self.terms.words or low in TITLES
                or low in ROLE_CUES or low in AFTER_CUES)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None
                ) -> list[RecognizerResult]:
        words = []
        for m in WORD_RE.finditer(text):
            tok, end = m.group(), m.end()
            if tok[-2:] in ("'s", "’s") and len(tok) > 3:  # possessive: Hansen's
                tok, end = tok[:-2], end - 2
            if re.match(r"[\-/.]?\d", text[end:end + 2]):
                tok = tok.lower()  # part of a code (K-2130.45, B12): never a name
            words.append((tok, m.start(), end))
        out: list[RecognizerResult] = []
        i = 0
        while i < len(words):
            run = self._run_at(text, words, i)
            if not run:
                i += 1
                continue
            res = self._score_run(text, words, run)
            if res is not None:
                out.append(res)
            i = run[-1] + 1
        return out + self._lowercase_names(text, words, out)

    def _lowercase_names(self, text: str, words: list[tuple[str, int, int]],
                         found: list[RecognizerResult]) -> list[RecognizerResult]:
        """Names typed in lower case ("spoke with john smith"): a listed given name that is not
        an English word, then a listed surname (or Al-/O'/Mc...), one space apart. Scored 0.6,
        raised by the same role cues as capitalised names."""
        out = []
        for k in range(len(words) - 1):
            (t1, a, _e1), (t2, b, e2) = words[k], words[k + 1]
            if not (t1.islower() and t2.islower()) or text[_e1:b] != " ":
                continue
            if any(r.start < e2 and a < r.end for r in found):
                continue
            if (len(t1) < 3 or t1 not in self.given or t1 in LOWER_AMBIGUOUS
                    or self._is_stop(t1) or len(t2) < 3 or self._is_stop(t2)
                    or not (t2 in resources.surnames() or SURNAME_PREFIX.match(t2))):
                continue
            nxt = words[k + 2][0].casefold() if k + 2 < len(words) else ""
            if f"{t1} {t2}" in self.terms.phrases or nxt in FACILITY_NOUNS:
                continue  # johan sverdrup, gina krog field
            before = {w[0].casefold() for w in words[max(0, k - 3):k]}
            cues = before & ROLE_CUES
            score = 0.6 + (0.3 if cues - WEAK_CUES else 0.15 if cues else 0.0)
            out.append(_result(a, e2, score, "NameRecognizer"))
        return out

    def _starts_run(self, words: list[tuple[str, int, int]], i: int) -> bool:
        tok = words[i][0]
        if not _is_cap(tok):
            return False
        low = tok.casefold()
        if not self._is_stop(low):
            return True
        # a given name that is also an English word (Will, May) starts a run before a name
        nxt = words[i + 1][0] if i + 1 < len(words) else ""
        return (low in self.given and low not in TITLES and _is_cap(nxt)
                and not self._is_stop(nxt.casefold()))

    def _run_at(self, text: str, words: list[tuple[str, int, int]], i: int) -> list[int]:
        if not self._starts_run(words, i):
            return []
        run = [i]
        j = i + 1
        while j < len(words) and len(run) < 6:
            gap = text[words[j - 1][2]:words[j][1]]
            prev = words[j - 1][0]
            if gap not in (" ", ". ") or (gap == ". " and len(prev) > 1):
                break
            tok = words[j][0]
            low = tok.casefold()
            if low in PARTICLES and self._cap_after_particles(words, j):
                run.append(j)
            elif _is_cap(tok) and not self._is_stop(low):
                run.append(j)
            else:
                break
            j += 1
        while run and words[run[-1]][0].casefold() in PARTICLES:
            run.pop()
        return run

    @staticmethod
    def _names_an_organisation(text: str, words: list[tuple[str, int, int]],
                               run: list[int]) -> bool:
        """Whether the run, or the capitalised words right after it (up to four, joined by
        single spaces), ends in an organisation noun: "Nigerian Upstream Petroleum Regulatory
        Commission" is a body, not a person called Nigerian Upstream."""
        if words[run[-1]][0].casefold() in ORG_NOUNS:
            return True
        k = run[-1]
        for _ in range(4):
            if k + 1 >= len(words) or text[words[k][2]:words[k + 1][1]] != " ":
                return False
            k += 1
            tok = words[k][0]
            if tok.casefold() in ORG_NOUNS:
                return True
            if not _is_cap(tok):
                return False
        return False

    @staticmethod
    def _cap_after_particles(words: list[tuple[str, int, int]], j: int) -> bool:
        while j < len(words) and words[j][0].casefold() in PARTICLES:
            j += 1
        return j < len(words) and _is_cap(words[j][0])

    def _score_run(self, text: str, words: list[tuple[str, int, int]], run: list[int]
                   ) -> RecognizerResult | None:
        toks = [words[k][0] for k in run]
        lows = [t.casefold() for t in toks]
        # a sentence-opening participle or adverb before a given name is not part of the name
        first_start = words[run[0]][1]
        opener = first_start == 0 or text[max(0, first_start - 2):first_start] in (". ", "; ")
        while (len(run) >= 2 and opener and lows[0].endswith(("ed", "ing", "ly"))
               and lows[0] not in self.given and lows[1] in self.given):
            run, toks, lows = run[1:], toks[1:], lows[1:]
        core = [lw for lw in lows if lw not in PARTICLES]
        if not core or len(core) > 4:
            return None
        phrase = " ".join(lows)
        before = [w[0].casefold() for w in words[max(0, run[0] - 4):run[0]]]
        nxt = run[-1] + 1
        after = (words[nxt][0].casefold() if nxt < len(words)
                 and not text[words[run[-1]][2]:words[nxt][1]].strip() else "")
        titled = bool(before) and before[-1] in TITLES
        if not titled and (phrase in self.terms.phrases or after in FACILITY_NOUNS
                           or self._names_an_organisation(text, words, run)
                           or any(p in phrase for p in self.terms.phrases if " " in p)):
            return None
        n = len(core)
        g = [lw in self.given for lw in lows]
        s = [_surname_like(lw, t) for lw, t in zip(lows, toks, strict=True)]
        listed = [lw in resources.surnames() for lw in lows]
        if len(core) < len(lows):  # van der Linden, da Silva, bin Khalid
            s[-1] = listed[-1] = True
        if n >= 2:
            if g[0] and s[-1]:
                score = 0.95
            elif g[0]:
                score = 0.85
            elif s[0] and g[-1]:
                score = 0.8  # family name first (Zhang Wei)
            elif any(g):
                score = 0.7
            elif listed[-1]:
                score = 0.65
            elif s[-1] or (n == 2 and listed[0]):
                score = 0.5
            else:
                score = 0.25
        else:
            score = 0.4 if g[0] else 0.3 if s[0] else 0.1
        if titled:
            score = max(score, 0.9)
        start, stop = words[run[0]][1], words[run[-1]][2]
        if n == 1 and g[0] and text[start - 1:start] == "(" and text[stop:stop + 1] == ")":
            score += 0.2  # a given name alone in brackets: "ring 22 33 44 55 (Kari)"
        cues = set(before[-3:]) & ROLE_CUES
        if cues - WEAK_CUES:
            score += 0.35
        elif cues:
            score += 0.15
        end_char = words[run[-1]][2]
        tail = text[end_char:end_char + 24].casefold()
        if after in AFTER_CUES or re.match(r"\s?(?:\(|,\s(?:the|our|a|an)?\s?)(?:"
                                           + "|".join(sorted(ROLE_CUES - WEAK_CUES)) + r")",
                                           tail) or tail.startswith(("'s ", "’s ")):
            score += 0.3
        return _result(words[run[0]][1], end_char, score, "NameRecognizer")


class KnownPeopleRecognizer(LocalRecognizer):
    """People the workspace knows, from a deny-list of display names and user names.

    Full names score 1.0 (any case, any spacing), ``Surname, Given`` 0.95, user names 0.9, a
    capitalised surname alone 0.75 and a capitalised given name alone 0.6.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted({" ".join(n.split()) for n in names if n and n.strip()})
        super().__init__(supported_entities=["PERSON"], name="KnownPeopleRecognizer",
                         supported_language="en")

    def load(self) -> None:
        terms = resources.protected_terms()
        pats: list[tuple[re.Pattern[str], float]] = []
        parts: dict[str, float] = {}
        for name in getattr(self, "names", []):
            toks = name.split(" ")
            if len(toks) == 1:
                pats.append((re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I), 0.9))
                continue
            flex = r"\s+".join(re.escape(t) for t in toks)
            pats.append((re.compile(rf"(?<!\w){flex}(?!\w)", re.I), 1.0))
            pats.append((re.compile(rf"(?<!\w){re.escape(toks[-1])},\s*{re.escape(toks[0])}"
                                    rf"(?!\w)", re.I), 0.95))
            for tok, sc in ((toks[-1], 0.75), (toks[0], 0.6)):
                low = tok.casefold()
                if len(tok) >= 3 and low not in STOP_WORDS and low not in terms.words \
                        and low not in terms.phrases:
                    parts[tok] = max(parts.get(tok, 0.0), sc)
        for tok, sc in parts.items():
            pats.append((re.compile(rf"(?<!\w){re.escape(tok)}(?!\w)"), sc))
        self.patterns = pats

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None
                ) -> list[RecognizerResult]:
        return [_result(m.start(), m.end(), sc, "KnownPeopleRecognizer")
                for pat, sc in self.patterns for m in pat.finditer(text)]
