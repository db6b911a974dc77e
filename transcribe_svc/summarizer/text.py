"""Tokens, word counts and index terms, for spaced scripts and for Chinese/Japanese alike."""

from __future__ import annotations

import re
from itertools import pairwise

# A word: letters or digits, possibly joined by apostrophes or hyphens ("don't", "check-in").
_WORD_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SUFFIXES = ("ing", "ies", "ied", "ed", "es", "s")
# Prefix truncation is a crude but language-agnostic stemmer: "schedule/scheduled/scheduling".
_STEM_LENGTH = 6


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``, so long word lists read as prose."""
    return frozenset(text.split())


def phrase_list(text: str) -> tuple[str, ...]:
    """The comma-separated phrases of ``text``, in order, whitespace normalized."""
    return tuple(" ".join(p.split()) for p in text.split(",") if p.strip())


def fold(text: str) -> str:
    """Lower-case text with typographic apostrophes made plain, for matching word lists."""
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def words(text: str) -> list[str]:
    """The words of ``text`` in order, as written (fold first for matching)."""
    return _WORD_RE.findall(text.replace("\u2019", "'"))


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def is_mostly_cjk(text: str) -> bool:
    """Written mainly in Chinese or Japanese characters (a stray one in English text is not)."""
    letters = sum(c.isalpha() for c in text)
    return letters > 0 and len(_CJK_RE.findall(text)) >= letters / 2


def word_count(text: str) -> int:
    """Spoken-length word count; two Chinese/Japanese characters count as one word."""
    cjk = len(_CJK_RE.findall(text))
    spaced = sum(1 for w in words(text) if not _CJK_RE.search(w))
    return spaced + (cjk + 1) // 2


def stem(word: str) -> str:
    word = word.removesuffix("'s")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:_STEM_LENGTH]


def content_words(text: str, stopwords: frozenset[str]) -> list[str]:
    """Folded words that carry content: not stop words, not one-letter noise."""
    found: list[str] = []
    for word in words(fold(text)):
        if _CJK_RE.search(word):
            found.extend(_cjk_bigrams(word))
        elif word not in stopwords and (len(word) > 1 or word.isdigit()):
            found.append(word)
    return found


def index_terms(text: str, stopwords: frozenset[str]) -> list[str]:
    """Stemmed content words: the vocabulary that sentence similarity is computed over."""
    return [word if _CJK_RE.search(word) else stem(word) for word in content_words(text, stopwords)]


def _cjk_bigrams(run: str) -> list[str]:
    # Chinese and Japanese have no spaces; overlapping character pairs approximate words.
    chars = [c for c in run if _CJK_RE.match(c)]
    if len(chars) < 2:
        return chars
    return [a + b for a, b in pairwise(chars)]
