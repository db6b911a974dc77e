"""Choose the bullets: the note's most relevant, mutually distinct statements, in spoken order.

Relevance mixes how central a sentence is (LexRank), how concrete (numbers, names, dates,
decisions) and how much it says. Centrality needs sentences to share words, which the few
sentences of a short note rarely do, so concreteness carries real weight too.
"""

from __future__ import annotations

from transcribe_svc.summarizer.candidates import Candidate, analyze
from transcribe_svc.summarizer.compression import compress
from transcribe_svc.summarizer.next_step import NextStep
from transcribe_svc.summarizer.next_step_features import has_any_cue, is_imperative
from transcribe_svc.summarizer.text import fold
from transcribe_svc.summarizer.profile import Profile
from transcribe_svc.summarizer.ranking import SentenceVectors, centrality, select

MIN_BULLETS, MAX_BULLETS = 3, 5
_CENTRALITY_WEIGHT, _SPECIFICS_WEIGHT, _LENGTH_WEIGHT = 0.5, 0.3, 0.2
# A sentence with this many concrete details, or content words, scores full marks for it.
_SPECIFICS_FULL, _CONTENT_FULL = 3, 8
_ACTION_PENALTY = 0.1


def choose_bullets(
    candidates: list[Candidate], next_step: NextStep | None, profile: Profile, cased: bool
) -> tuple[str, ...]:
    """3-5 bullets, fewer only when the note makes fewer statements; () when it makes none."""
    statements = [c for c in candidates if c.is_statement]
    if len(statements) < MIN_BULLETS:
        # A short note: a brief sentence is one of its few points, unless it is small talk.
        statements = [c for c in candidates if c.is_statement or c.is_remark]
    if not statements:
        spoken = [c for c in candidates if not c.small_talk] or candidates
        if not spoken:
            return ()
        return (compress(max(spoken, key=lambda c: c.content_count).text, profile),)
    if next_step is not None and len(statements) > MIN_BULLETS:
        # The email shows the next step on its own line: a bullet keeps only the rest of its
        # sentence ("It took forty minutes" of "It took forty minutes, so I'll add batching").
        statements = _without_next_step(statements, next_step, profile, cased)
    if sum(not c.heading for c in statements) >= MIN_BULLETS:
        # The opening "Quick recap of the call" names the note; the points follow it.
        statements = [c for c in statements if not c.heading]
    vectors = SentenceVectors([c.terms for c in statements])
    central = centrality(vectors)
    scores = [
        relevance(c, float(central[i])) - (_ACTION_PENALTY if _is_action(c, profile) else 0.0)
        for i, c in enumerate(statements)
    ]
    chosen = select(scores, vectors, MAX_BULLETS)
    return tuple(compress(statements[i].text, profile) for i in chosen)


def _is_action(candidate: Candidate, profile: Profile) -> bool:
    folded = fold(candidate.text)
    return has_any_cue(folded, profile) or is_imperative(folded, profile)


def relevance(candidate: Candidate, centrality: float) -> float:
    """How much a sentence deserves a bullet, from 0 to 1."""
    return (
        _CENTRALITY_WEIGHT * centrality
        + _SPECIFICS_WEIGHT * min(1.0, candidate.specifics / _SPECIFICS_FULL)
        + _LENGTH_WEIGHT * min(1.0, candidate.content_count / _CONTENT_FULL)
    )


def _without_next_step(
    statements: list[Candidate], next_step: NextStep, profile: Profile, cased: bool
) -> list[Candidate]:
    kept: list[Candidate] = []
    for statement in statements:
        if statement.position != next_step.position:
            kept.append(statement)
        elif next_step.remainder:
            rest = analyze(statement.position, next_step.remainder, profile, cased)
            kept.extend([rest] if rest.is_statement else [])
    return kept
