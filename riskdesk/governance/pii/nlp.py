"""A small NLP engine for Presidio that needs no spaCy model: a regex tokenizer, lower-case
lemmas and spaCy's English stop-word list.

Presidio's context enhancement only needs tokens, their offsets, lemmas and stop-word/punctuation
tests; named-entity recognition is done by our own recognizers, so no statistical model is loaded
and nothing is downloaded. Tokens are plain strings, not a spaCy ``Doc``: a ``Doc`` would add
every word of every text (personal data included) to a process-wide string store that only grows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
from spacy.lang.en.stop_words import STOP_WORDS

TOKEN_RE = re.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]")


class Token(str):
    """A token's text; ``.text`` as on a spaCy token (Presidio's debug output reads it)."""

    @property
    def text(self) -> str:
        return str(self)


def tokenize(text: str) -> list[tuple[str, int]]:
    """Tokens of ``text`` as ``(token, start_offset)``; every non-space character is covered."""
    return [(m.group(), m.start()) for m in TOKEN_RE.finditer(text)]


class OfflineNlpEngine(NlpEngine):
    """Tokenizer-only NLP engine for English; loads instantly and works with no network."""

    def __init__(self, languages: tuple[str, ...] = ("en",)) -> None:
        self._languages = list(languages)

    def load(self) -> None:  # nothing to load
        return None

    def is_loaded(self) -> bool:
        return True

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        toks = tokenize(text)
        words = [Token(t) for t, _ in toks]
        return NlpArtifacts(entities=[], tokens=words,  # type: ignore[arg-type]
                            tokens_indices=[s for _, s in toks],
                            lemmas=[t.lower() for t in words], nlp_engine=self,
                            language=language, scores=[])

    def process_batch(self, texts: Iterable[str], language: str, batch_size: int = 1,
                      n_process: int = 1, **kwargs: Any) -> Iterator[tuple[str, NlpArtifacts]]:
        for text in texts:
            yield text, self.process_text(str(text), language)

    def is_stopword(self, word: str, language: str) -> bool:
        return word.lower() in STOP_WORDS

    def is_punct(self, word: str, language: str) -> bool:
        return bool(word) and not any(ch.isalnum() for ch in word)

    def get_supported_entities(self) -> list[str]:
        return []

    def get_supported_languages(self) -> list[str]:
        return list(self._languages)
