"""Choose the bullets: the note's most relevant, mutually distinct statements, in spoken order.

Relevance is a small logistic model over named features (``bullet_features``): how central a
sentence is (LexRank), how concrete (numbers, names, dates, decisions, objections), how much it
says, whether it comes early, whether it is an action or commentary. Its weights
(``bullet_weights``) are fitted offline on the development set by ``eval/fit_bullets.py``.
"""

from __future__ import annotations

from transcribe_svc.summarizer import bullet_weights
from transcribe_svc.summarizer.bullet_features import bullet_features, relevance
from transcribe_svc.summarizer.candidates import Candidate, analyze
from transcribe_svc.summarizer.compression import TARGET_WORDS, compress
from transcribe_svc.summarizer.next_step import NextStep
from transcribe_svc.summarizer.profile import Profile
from transcribe_svc.summarizer.ranking import SentenceVectors, centrality, select

MIN_BULLETS, MAX_BULLETS = 3, 5
SUMMARY_WORDS = 60


def choose_bullets(
    candidates: list[Candidate], next_step: NextStep | None, profile: Profile, cased: bool
) -> tuple[str, ...]:
    """3-5 bullets, fewer only when the note makes fewer statements; () when it makes none."""
    statements = bullet_statements(candidates, next_step, profile, cased)
    if not statements:
        spoken = [c for c in candidates if not c.small_talk] or candidates
        if not spoken:
            return ()
        return (compress(max(spoken, key=lambda c: c.content_count).text, profile),)
    vectors = SentenceVectors([c.terms for c in statements])
    scores = [
        relevance(features, bullet_weights.WEIGHTS, bullet_weights.BIAS)
        for features in statement_features(statements, vectors, profile)
    ]
    chosen = select(scores, vectors, MAX_BULLETS)
    # A summary reads in about SUMMARY_WORDS words: fewer bullets may each say a little more.
    target = max(TARGET_WORDS, SUMMARY_WORDS // max(1, len(chosen)))
    return tuple(compress(statements[i].text, profile, target) for i in chosen)


def bullet_statements(
    candidates: list[Candidate], next_step: NextStep | None, profile: Profile, cased: bool
) -> list[Candidate]:
    """The sentences a bullet may be made of: statements, without the next step or a heading."""
    # A brief sentence may be a key fact ("She doesn't want a buffet."): the model weighs it.
    statements = [c for c in candidates if c.is_statement or c.is_remark]
    if next_step is not None and len(statements) > MIN_BULLETS:
        # The email shows the next step on its own line: a bullet keeps only the rest of its
        # sentence ("It took forty minutes" of "It took forty minutes, so I'll add batching").
        statements = _without_next_step(statements, next_step, profile, cased)
    if sum(not c.heading for c in statements) >= MIN_BULLETS:
        # The opening "Quick recap of the call" names the note; the points follow it.
        statements = [c for c in statements if not c.heading]
    return statements


def statement_features(
    statements: list[Candidate], vectors: SentenceVectors, profile: Profile
) -> list[dict[str, float]]:
    central = centrality(vectors)
    return [
        bullet_features(s, i, len(statements), float(central[i]), profile)
        for i, s in enumerate(statements)
    ]


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
