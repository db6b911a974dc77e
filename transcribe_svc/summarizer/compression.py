"""Shorten a long spoken sentence to its most informative stretch of whole clauses.

Speech strings clauses together with commas and "so", "and", "because": "It worked, which is good,
but it took about forty minutes, so I'm going to add batching". A bullet keeps a contiguous run
of those clauses that starts where a clause could start a sentence (a subject, not "because" or
"which") and carries the most content for its length: every content word and every concrete
detail (a number, a name, a decision) earns its place; words past ``TARGET_WORDS`` cost
three quarters of one each.
"""

from __future__ import annotations

import re

from transcribe_svc.summarizer.cleaning import (
    MAX_WORDS,
    cut_at_clause,
    shorten,
    tidy,
    trim_leading,
)
from transcribe_svc.summarizer.profile import Profile
from transcribe_svc.summarizer.text import (
    content_words,
    fold,
    is_mostly_cjk,
    word_count,
    word_set,
    words,
)

TARGET_WORDS = 14
_MIN_SPAN_WORDS = 5
_CONTRAST_BONUS = 1.0
# Each word past the target costs less than a content word earns: a clause that adds a fact
# ("..., and almost all of it came from the new invoice layout") is worth its length.
_OVERLENGTH_COST = 0.75
_BOUNDARY_RE = re.compile(r"(?<=[,;:\u2014\u2013])\s+")
# After "and", only a subject starts a new clause: "and the wired connections" continues a list.
_SUBJECTS = word_set(
    "i i'm i'll i've we we're we'll we've they they're they'll he she it's there's"
)


def compress(sentence: str, profile: Profile, target: int = TARGET_WORDS) -> str:
    """The sentence itself when short; else its best span of clauses, at most ``MAX_WORDS``."""
    if is_mostly_cjk(sentence):
        return shorten(sentence, profile)  # no clause analysis for Chinese or Japanese
    target = min(target, MAX_WORDS)
    for aside in (profile.parentheticals, profile.comment_clauses):
        if word_count(sentence) <= target:
            return sentence
        if aside is not None:
            sentence = tidy(aside.sub(_close_gap, sentence), profile)
    if word_count(sentence) <= target:
        return sentence
    best = _best_span(_clauses(sentence, profile), profile, target) or sentence
    if word_count(best) > MAX_WORDS:
        best = cut_at_clause(best, profile, MAX_WORDS)
    return tidy(trim_leading(best, profile), profile)


def _best_span(clauses: list[str], profile: Profile, target: int) -> str:
    """The run of whole clauses that says the most for its length ('' if none fits)."""
    best_text, best_value = "", float("-inf")
    for first in range(len(clauses)):
        if first > 0 and not _opens_sentence(clauses[first], profile):
            continue
        contrast = first > 0 and fold(clauses[first]).split(" ", 1)[0] in profile.contrast_words
        for last in range(first, len(clauses)):
            span = " ".join(clauses[first : last + 1])
            length = word_count(span)
            if length > MAX_WORDS:
                break
            if length < _MIN_SPAN_WORDS or (
                last + 1 < len(clauses) and _leaves_condition_open(clauses[last], profile)
            ):
                continue
            value = _information(span, profile) - _OVERLENGTH_COST * max(0, length - target)
            # "X, but Y": the speaker's point is Y.
            value += _CONTRAST_BONUS if contrast else 0.0
            if value > best_value:
                best_text, best_value = span, value
    return best_text


def _leaves_condition_open(clause: str, profile: Profile) -> bool:
    """ "..., and if we miss it" says nothing until the clause after it: a span cannot end here."""
    opening = [w for w in words(fold(clause))[:2] if w not in profile.conjunctions][:1]
    return bool(opening) and opening[0] in profile.subordinators


def _close_gap(aside: re.Match[str]) -> str:
    # "The team, on the other hand, was ..." loses the aside and both of its commas.
    return " " if aside.group(0).rstrip().endswith(",") else ""


def _clauses(sentence: str, profile: Profile) -> list[str]:
    """Split after commas and the like, and before conjunctions that open a clause."""
    clauses: list[str] = []
    for piece in _BOUNDARY_RE.split(sentence):
        tokens = piece.split()
        start = 0
        for i in range(1, len(tokens)):
            if _opens_clause(tokens, i, profile):
                clauses.append(" ".join(tokens[start:i]))
                start = i
        clauses.append(" ".join(tokens[start:]))
    return [c for c in clauses if c]


def _opens_clause(tokens: list[str], i: int, profile: Profile) -> bool:
    word = fold(tokens[i])
    if word not in profile.conjunctions or fold(tokens[i - 1]) in profile.conjunctions:
        return False
    if word not in ("and", "or"):
        return True
    following = fold(tokens[i + 1]) if i + 1 < len(tokens) else ""
    return following in _SUBJECTS


def _opens_sentence(clause: str, profile: Profile) -> bool:
    first = words(fold(trim_leading(clause, profile)))[:1]
    return bool(first) and first[0] in profile.sentence_openers


def _information(text: str, profile: Profile) -> float:
    content = content_words(text, profile.stopwords)
    concrete = sum(
        w.isdigit() or w in profile.number_words or w in profile.salient_words for w in content
    )
    names = sum(1 for w in words(text)[1:] if w[:1].isupper() and w != "I")
    return len(content) + concrete + (0 if profile.capitalizes_nouns else names)
