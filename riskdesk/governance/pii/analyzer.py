"""The offline Presidio analyzer: built once per process on first use, then cached.

``analyze(text, known_people, thresholds)`` returns non-overlapping ``Finding``s sorted by start.
Findings of types other than e-mail, IBAN and URL that cover a domain identifier (a well name, AFE
or API number, amount, date...) by half or more of their length are dropped.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from riskdesk import collector
from riskdesk.governance.pii.domain_ids import protected_spans
from riskdesk.governance.pii.findings import Finding

_INTL_PREFIX = re.compile(r"\+\d*$")
NEVER_PROTECTED = frozenset({"EMAIL_ADDRESS", "IBAN_CODE", "URL", "CREDIT_CARD"})
_lock = threading.Lock()
_engine: Any = None
build_seconds: float | None = None


def get_engine() -> Any:
    """The cached ``presidio_analyzer.AnalyzerEngine`` (built on first call, thread-safe)."""
    global _engine, build_seconds
    if _engine is not None:
        return _engine
    with _lock, collector.paused(freeze=True):
        if _engine is None:
            t0 = time.perf_counter()
            # Presidio logs surrounding words at debug level; they may be personal data.
            logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
            from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

            from riskdesk.governance.pii.nlp import OfflineNlpEngine
            from riskdesk.governance.pii.patterns import own_recognizers, presidio_recognizers
            from riskdesk.governance.pii.person import NameRecognizer

            registry = RecognizerRegistry(supported_languages=["en"])
            for rec in [*own_recognizers(), *presidio_recognizers(), NameRecognizer()]:
                registry.add_recognizer(rec)
            _engine = AnalyzerEngine(registry=registry, nlp_engine=OfflineNlpEngine(),
                                     supported_languages=["en"])
            build_seconds = time.perf_counter() - t0
        return _engine


@lru_cache(maxsize=8)
def _known_recognizer(names: tuple[str, ...]) -> Any:
    from riskdesk.governance.pii.person import KnownPeopleRecognizer
    return KnownPeopleRecognizer(names)


def analyze(text: str, known_people: Iterable[str] = (),
            thresholds: Mapping[str, float] | None = None, default_threshold: float = 0.5
            ) -> list[Finding]:
    """Find personal data in ``text``.

    ``known_people``: display names and user names the workspace knows (always PERSON).
    ``thresholds``: minimum score per entity type (``default_threshold`` for the rest).
    Offsets are character indices into ``text``; overlapping findings are merged (same type)
    or resolved in favour of the higher score.
    """
    if not text or not text.strip():
        return []
    engine = get_engine()
    names = tuple(sorted({n for n in known_people if n and n.strip()}))
    adhoc = [_known_recognizer(names)] if names else None
    raw = engine.analyze(text=text, language="en", ad_hoc_recognizers=adhoc)
    thresholds = thresholds or {}
    spans = protected_spans(text)
    kept: list[Finding] = []
    for r in raw:
        if r.score < thresholds.get(r.entity_type, default_threshold):
            continue
        if r.entity_type not in NEVER_PROTECTED and _mostly_protected(r.start, r.end, spans):
            continue
        if r.entity_type != "PHONE_NUMBER" and _INTL_PREFIX.search(text, 0, r.start):
            continue  # digits of an international phone number (+46...) are not an ID
        meta = r.recognition_metadata or {}
        kept.append(Finding(r.entity_type, r.start, r.end, float(r.score),
                            str(meta.get("recognizer_name", ""))))
    return _resolve(kept)


def _mostly_protected(start: int, end: int, spans: list[tuple[int, int, str]]) -> bool:
    covered = sum(max(0, min(end, e) - max(start, s)) for s, e, _ in spans)
    return covered * 2 >= (end - start)


def _resolve(findings: list[Finding]) -> list[Finding]:
    accepted: list[Finding] = []
    for f in sorted(findings, key=lambda f: (-f.score, -(f.end - f.start), f.start)):
        clash = [a for a in accepted if a.start < f.end and f.start < a.end]
        if not clash:
            accepted.append(f)
        elif all(a.entity_type == f.entity_type for a in clash):
            for a in clash:
                accepted.remove(a)
            accepted.append(Finding(f.entity_type, min([f.start] + [a.start for a in clash]),
                                    max([f.end] + [a.end for a in clash]),
                                    max([f.score] + [a.score for a in clash]),
                                    clash[0].recognizer))
    return sorted(accepted, key=lambda f: f.start)


_warm_lock = threading.Lock()
_warm_done = threading.Event()
_warm_thread: threading.Thread | None = None
warm_error: str | None = None
warm_timings: dict[str, float] = {}


def is_warm() -> bool:
    """Whether :func:`warm_up` has finished (detection then starts within milliseconds)."""
    return _warm_done.is_set()


def warm_up() -> None:
    """Import and build everything detection needs (Presidio, spaCy, all phone metadata) in the
    calling thread; once per process, later calls return at once (callers in other threads wait
    for the first to finish).

    The cyclic collector is paused while loading and what was loaded is then frozen out of later
    collections (:mod:`riskdesk.collector`): importing Presidio creates ~200,000 objects, whose
    full collections (30-90 ms each) would stall a GUI thread beside it. ``warm_timings`` records
    seconds spent on ``import``, ``build`` and ``first_analysis``."""
    if _warm_done.is_set():
        return
    with _warm_lock, collector.paused(freeze=True):
        if not _warm_done.is_set():
            t0 = time.perf_counter()
            import phonenumbers
            import presidio_analyzer  # noqa: F401  (the import is most of the cost)

            t1 = time.perf_counter()
            get_engine()
            t2 = time.perf_counter()
            phonenumbers.PhoneMetadata.load_all()
            analyze("Warm-up: Kari Nordmann, kari@example.com, +47 912 34 567, 10.0.0.1.",
                    known_people=("Kari Nordmann",))
            t3 = time.perf_counter()
            warm_timings.update({"import": t1 - t0, "build": t2 - t1,
                                 "first_analysis": t3 - t2})
            _warm_done.set()


def start_background_warm_up() -> threading.Thread | None:
    """Run :func:`warm_up` in a daemon thread (once per process) and return it; None when the
    detector is already loaded or loading. A failure is kept in ``warm_error`` (the next scan
    then loads in its own thread and reports the error itself)."""
    global _warm_thread
    if _warm_done.is_set() or (_warm_thread is not None and _warm_thread.is_alive()):
        return None

    def run() -> None:
        global warm_error
        try:
            warm_up()
            warm_error = None
        except Exception as exc:  # reported by the GUI; never raised into a thread's void
            warm_error = f"{type(exc).__name__}: {exc}"

    _warm_thread = threading.Thread(target=run, name="pii-warm-up", daemon=True)
    _warm_thread.start()
    return _warm_thread
