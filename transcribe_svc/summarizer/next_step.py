"""Find the action the speaker committed to or asked for, wherever it sits in the note.

Each sentence is split into clauses and scored by the strongest cue it carries: an explicit label
("next step", "don't forget"), a first-person commitment ("I'll", "we need to", "let's"), a
request ("can you", "please"), an imperative opening ("Call the vet ..."), or a plan for someone
else ("Sara will ..."). A time expression adds weight, and later sentences win ties. Negated or
counterfactual plans ("no need to", "should have") never count. Without a cue there is no next
step: the summarizer says so rather than promote an ordinary sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transcribe_svc.summarizer.candidates import Candidate
from transcribe_svc.summarizer.cleaning import shorten, tidy, trim_leading
from transcribe_svc.summarizer.profile import Pattern, Profile
from transcribe_svc.summarizer.text import content_words, fold, word_count, word_set, words

_LABEL, _REQUEST, _COMMIT, _IMPERATIVE, _DELEGATE = 3.5, 2.5, 2.0, 2.0, 1.5
# Each further kind of cue in the same sentence ("Action item: we need to ...") adds a little.
_TIME_BONUS, _EXTRA_CUE_BONUS, _LATE_BONUS = 1.0, 0.5, 0.3
_CLAUSE_SPLIT_RE = re.compile(r"(?<=[,;:\u2014\u2013])\s+|\s+(?=[\u2014\u2013]\s)")
# A noun that looks like a verb ("Call went well", "Test results look good") has a verb of its
# own right after it, or after the noun it qualifies.
_NOT_IMPERATIVE_AFTER = word_set(
    """
    is was are were has had have went came look looks looked seem seems seemed will would can
    could did does do
    """
)
_SHORT_ACTION_WORDS = 6


@dataclass(frozen=True)
class NextStep:
    position: int
    text: str
    # What the sentence said before the action ("It took forty minutes, so I'll add batching"
    # leaves "It took forty minutes"); '' when the sentence opens with the action.
    remainder: str


def find_next_step(candidates: list[Candidate], profile: Profile) -> NextStep | None:
    """The best-supported action in the note, or None when nothing qualifies."""
    best: tuple[float, Candidate, list[str], tuple[int, int]] | None = None
    last_rank = max(1, len(candidates) - 1)
    for rank, candidate in enumerate(candidates):
        if candidate.small_talk or candidate.content_count < 2:
            continue
        scored = _score_sentence(candidate.text, profile)
        if scored is None:
            continue
        score, clauses, (first, last) = scored
        score += _LATE_BONUS * rank / last_rank
        if best is None or score > best[0]:
            best = (score, candidate, clauses, (first, last))
    if best is None:
        return None
    _, candidate, clauses, (first, last) = best
    action = " ".join(clauses[first : last + 1])
    text = tidy(shorten(_strip_label(action, profile), profile), profile)
    # What led up to the action is news ("She wants a case study, so I'll send ..."); what
    # follows it is usually the reason for it ("..., they close early on Saturdays").
    remainder = tidy(trim_leading(" ".join(clauses[:first]), profile), profile)
    return NextStep(candidate.position, text, remainder)


def _score_sentence(
    sentence: str, profile: Profile
) -> tuple[float, list[str], tuple[int, int]] | None:
    """(score, clauses, the span of clauses that states the action), or None without one."""
    folded = fold(sentence)
    if profile.blocker_cue is not None and profile.blocker_cue.search(folded):
        return None
    clauses = _CLAUSE_SPLIT_RE.split(sentence)
    if not _has_cue(folded, profile) and not any(
        _is_imperative(fold(trim_leading(c, profile)), profile) for c in clauses
    ):
        return None  # most sentences: settle it without the clause-by-clause look
    cues = [_cues(clause, profile) for clause in clauses]
    weights = [max(found.values(), default=0.0) for found in cues]
    strongest = max(weights)
    kinds = set().union(*(found.keys() for found in cues))
    has_time = profile.time_cue is not None and profile.time_cue.search(folded) is not None
    if strongest < _COMMIT and not (strongest > 0 and has_time):
        return None
    if kinds == {"label"} and len(content_words(sentence, profile.stopwords)) < 3:
        return None  # "Reminder for tomorrow." announces an action but names none
    score = strongest + _EXTRA_CUE_BONUS * (len(kinds) - 1) + (_TIME_BONUS if has_time else 0.0)
    return score, clauses, _action_span(clauses, weights.index(strongest), profile)


def _action_span(clauses: list[str], action: int, profile: Profile) -> tuple[int, int]:
    """The action clause with just enough around it to stand alone.

    A bare label ("Action item:") takes the clause it announces; a short action ("I'll chase
    them") takes the clause before it for its object; a leading condition ("If they sign, ...")
    or a name being addressed ("Marco, can you ...") stays. Commentary after the action goes.
    """
    first, last = action, action
    if clauses[action].rstrip().endswith(":") or word_count(clauses[action]) <= 3:
        last = min(len(clauses) - 1, action + 1)
    elif word_count(clauses[action]) < _SHORT_ACTION_WORDS and action > 0:
        first = action - 1
    if first > 0 and word_count(clauses[first - 1]) <= 2:
        first -= 1
    opener = words(fold(clauses[0]))[:1]
    if opener and opener[0] in profile.subordinators:
        first = 0
    return first, last


def _cue_patterns(profile: Profile) -> tuple[tuple[str, Pattern | None, float], ...]:
    return (
        ("label", profile.label_cue, _LABEL),
        ("request", profile.request_cue, _REQUEST),
        ("commit", profile.commit_cue, _COMMIT),
        ("delegate", profile.delegate_cue, _DELEGATE),
    )


def _has_cue(folded: str, profile: Profile) -> bool:
    return any(cue is not None and cue.search(folded) for _, cue, _ in _cue_patterns(profile))


def _cues(clause: str, profile: Profile) -> dict[str, float]:
    """The kinds of action cue in a clause, with their weights."""
    folded = fold(trim_leading(clause, profile))
    found = {
        kind: weight
        for kind, cue, weight in _cue_patterns(profile)
        if cue is not None and cue.search(folded)
    }
    if _is_imperative(folded, profile):
        found["imperative"] = _IMPERATIVE
    return found


def _is_imperative(folded_clause: str, profile: Profile) -> bool:
    tokens = words(folded_clause)
    if tokens[:1] == ["please"]:
        tokens = tokens[1:]
    if not tokens or tokens[0] not in profile.imperative_verbs:
        return False
    return len(tokens) > 1 and not any(t in _NOT_IMPERATIVE_AFTER for t in tokens[1:3])


def _strip_label(text: str, profile: Profile) -> str:
    """ "Next step is to set up a demo" -> "set up a demo": the email already says "Next step"."""
    text = trim_leading(text, profile)
    if profile.action_prefix is None:
        return text
    stripped = profile.action_prefix.sub("", text, count=1)
    return stripped if word_count(stripped) >= 3 else text
