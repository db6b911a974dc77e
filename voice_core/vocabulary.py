"""What a request may say about its speech: the names and terms used in it, and its language.

One set of rules for every place that takes them (the gateway, ingest, the transcription
service's `WHISPER_VOCABULARY`), so that a term the API accepts is the term Whisper is given,
and two requests that mean the same vocabulary store the same one (a stored transcript is
reused only for the same vocabulary and language).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_TERMS = 50
MAX_TERM_CHARS = 50
# What the API and the UI call "detect the language"; stored and sent on as "".
AUTO_LANGUAGE = "auto"
_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")


class VocabularyError(ValueError):
    """The vocabulary breaks a rule; the message says which, in words for the caller."""


class LanguageError(ValueError):
    """The language is neither `auto` nor an ISO 639-1 code."""


def normalise_vocabulary(terms: Iterable[str]) -> list[str]:
    """The terms trimmed (inner runs of whitespace made one space), without empty ones and
    without repeats (compared ignoring case; the first spelling stays), in the order given.

    Raises `VocabularyError` for a control character (a line break would end Whisper's prompt
    early; a NUL cannot be stored), a term over `MAX_TERM_CHARS` or more than `MAX_TERMS`."""
    kept: list[str] = []
    seen: set[str] = set()
    for position, raw in enumerate(terms, start=1):
        if any(unicodedata.category(char) == "Cc" for char in raw):
            raise VocabularyError(f"vocabulary term {position} contains a control character")
        term = " ".join(raw.split())
        if not term:
            continue
        if len(term) > MAX_TERM_CHARS:
            raise VocabularyError(
                f"vocabulary term {position} is longer than {MAX_TERM_CHARS} characters"
            )
        if term.casefold() in seen:
            continue
        seen.add(term.casefold())
        kept.append(term)
    if len(kept) > MAX_TERMS:
        raise VocabularyError(f"the vocabulary has more than {MAX_TERMS} terms")
    return kept


def parse_vocabulary_setting(value: str) -> list[str]:
    """`WHISPER_VOCABULARY`: terms separated by commas, under the same rules."""
    return normalise_vocabulary(value.split(","))


def merge_vocabularies(*vocabularies: Iterable[str]) -> list[str]:
    """Several vocabularies as one, each term once (the first spelling stays); the limits are
    not applied again: each part was checked on its own."""
    kept: dict[str, str] = {}
    for vocabulary in vocabularies:
        for term in vocabulary:
            kept.setdefault(term.casefold(), term)
    return list(kept.values())


def normalise_language(value: str) -> str:
    """An ISO 639-1 code in lower case, or "" for `auto` (or nothing): detect it.

    Raises `LanguageError` for anything else. Whether the model knows the language is for
    the transcription service to say (`language_unsupported`)."""
    code = value.strip().lower()
    if code in ("", AUTO_LANGUAGE):
        return ""
    if not _LANGUAGE_CODE.match(code):
        raise LanguageError(
            f"language must be {AUTO_LANGUAGE!r} or a two-letter ISO 639-1 code such as 'de'"
        )
    return code
