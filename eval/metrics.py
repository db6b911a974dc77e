"""Scoring for the summary evaluation: key-point coverage, next-step accuracy, format validity.

Must-cover: a note passes when every one of its must-cover facts is covered by the bullets.
Matching is lexical on purpose (no model to download): a key point counts as covered when most of
its content words, lightly stemmed, appear in the first 60 words of the bullets. The tokenizer and
stemmer here are the evaluation's own, independent of the summarizer's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

COVERAGE_WORDS = 60
KEY_POINT_RECALL = 0.6
NEXT_STEP_RECALL = 0.5
MAX_BULLET_WORDS = 25
MAX_BULLETS = 5
MIN_BULLETS = 3

_WORD_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
# Function words of the dev set's languages: matching them would say nothing about content.
_STOPWORD_TEXT = """
    a an the and or but so of to in on at by for with from about into over after before than
    then that this these those it its it's is are was were be been being am do does did have has
    had i me my we our us you your he she they them their his her him what which who when where
    how if as not no just also very really will would can could should need needs to up out off
    all any some more most there here now one's i'm i'll we'll we're they're
    de la el los las y en un una por para con que del al lo se su sus es son está
    le les des du et à au aux dans pour par sur avec ce ces qui pas est sont
    der die das und ist zu den von mit auf für nicht ein eine im dem des
    o os do da dos das em um uma para com não na no é
    il lo gli i di da per con non che è sono nel nella del della al alla un uno
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("\u2019", "'"))


def _stem(word: str) -> str:
    word = word.removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)][:6]
    return word[:6]


def content_stems(text: str) -> set[str]:
    return {_stem(w) for w in words(text) if w not in _STOPWORDS}


def recall(reference: str, candidate_stems: set[str]) -> float:
    wanted = content_stems(reference)
    return len(wanted & candidate_stems) / len(wanted) if wanted else 0.0


def coverage_at(
    bullets: Sequence[str], key_points: Sequence[str], budget: int = COVERAGE_WORDS
) -> float:
    """Share of key points whose content words mostly appear in the first ``budget`` words."""
    window = " ".join(" ".join(bullets).split()[:budget])
    stems = content_stems(window)
    covered = sum(recall(point, stems) >= KEY_POINT_RECALL for point in key_points)
    return covered / len(key_points)


def covers_all(bullets: Sequence[str], points: Sequence[str]) -> bool:
    """Every one of ``points`` is covered somewhere in the bullets (all of them, as the email
    shows them): the must-cover facts a summary would be wrong to miss."""
    stems = content_stems(" ".join(bullets))
    return all(recall(point, stems) >= KEY_POINT_RECALL for point in points)


def next_step_correct(
    found: bool, predicted: str, expected: str | None, alternatives: Sequence[str] = ()
) -> bool:
    """Right when both say "none", or the prediction names most of an acceptable next step."""
    if expected is None:
        return not found
    stems = content_stems(predicted)
    return found and any(recall(e, stems) >= NEXT_STEP_RECALL for e in (expected, *alternatives))


@dataclass(frozen=True)
class FormatCheck:
    valid: bool
    problem: str = ""


def check_format(
    bullets: object, next_step: object, found: object, transcript: str, key_points: int
) -> FormatCheck:
    """The output contract: 1-5 bullets (3+ unless the note has fewer points), each at most 25
    words, distinct, made only of the transcript's words; a non-empty next step and a flag."""
    if not isinstance(bullets, list) or not all(isinstance(b, str) and b.strip() for b in bullets):
        return FormatCheck(False, "bullets are not a list of non-empty strings")
    if not min(MIN_BULLETS, key_points) <= len(bullets) <= MAX_BULLETS:
        return FormatCheck(False, f"{len(bullets)} bullets")
    if not isinstance(next_step, str) or not next_step.strip() or not isinstance(found, bool):
        return FormatCheck(False, "next step missing")
    spoken = set(words(transcript))
    for bullet in bullets:
        if len(words(bullet)) > MAX_BULLET_WORDS:
            return FormatCheck(False, f"bullet of {len(words(bullet))} words")
        invented = [w for w in words(bullet) if w not in spoken]
        if invented:
            return FormatCheck(False, f"words not in the transcript: {invented[:3]}")
    if len({" ".join(words(b)) for b in bullets}) < len(bullets):
        return FormatCheck(False, "duplicate bullets")
    return FormatCheck(True)
