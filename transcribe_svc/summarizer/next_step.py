"""Find the action the speaker committed to or asked for, wherever it sits in the note.

A choice, not a first match: every clause that carries an action cue is scored by a small linear
model over explicit features (``next_step_features``: how firm the cue is, who acts, a time, how
late in the note, how much the action says, and whether it is really a statement of fact), with
the weights of ``next_step_weights`` (fitted offline on the development set by
``eval/fit_next_step.py``). The best clause wins if its score reaches the threshold;
otherwise the summarizer says there is no next step rather than promote an ordinary sentence.
Negated or counterfactual plans ("no need to", "should have") never count.
"""

from __future__ import annotations

from dataclasses import dataclass

from transcribe_svc.summarizer import next_step_weights
from transcribe_svc.summarizer.action_cues import is_imperative, matches
from transcribe_svc.summarizer.candidates import Candidate
from transcribe_svc.summarizer.cleaning import shorten, tidy, trim_leading
from transcribe_svc.summarizer.lexicon import PURPOSE_OPENERS
from transcribe_svc.summarizer.next_step_features import (
    lead_words,
    read_clauses,
    split_clauses,
    trailing_announcement,
)
from transcribe_svc.summarizer.profile import Profile
from transcribe_svc.summarizer.text import content_words, fold, word_count, words

_SHORT_ACTION_WORDS = 6
# Clauses after the action this short still belong to it: a time ("before seven"), a name.
_TIME_CLAUSE_WORDS, _APPOSITION_WORDS = 5, 2
_MIN_LABELLED_WORDS = 3


@dataclass(frozen=True)
class NextStep:
    position: int
    text: str
    # What the sentence said before the action ("It took forty minutes, so I'll add batching"
    # leaves "It took forty minutes"); '' when the sentence opens with the action.
    remainder: str


def score(features: dict[str, float]) -> float:
    # Read at call time, so that the fit (eval/fit_next_step.py) can try weights in place.
    weights = next_step_weights.WEIGHTS
    return sum(weights[name] * value for name, value in features.items())


@dataclass(frozen=True)
class Option:
    """One clause of the note read as a possible next step, with its features."""

    candidate: Candidate
    clauses: list[str]
    clause: int
    features: dict[str, float]


def next_step_options(candidates: list[Candidate], profile: Profile) -> list[Option]:
    """Every clause of the note that carries an action cue, in the order spoken."""
    options: list[Option] = []
    last_rank = max(1, len(candidates) - 1)
    opening = next((c.position for c in candidates if not c.small_talk), -1)
    carried: dict[str, int] = {}
    for rank, candidate in enumerate(candidates):
        # "My next step is." then the step: the announcement's cues go to the next sentence.
        incoming, carried = carried, {}
        if candidate.small_talk:
            continue
        clauses = split_clauses(candidate.text)
        if candidate.action_cue:
            carried = trailing_announcement(clauses, profile)
        if candidate.content_count < 2:
            continue
        if (
            not incoming
            and not candidate.action_cue
            and not any(is_imperative(fold(trim_leading(c, profile)), profile) for c in clauses)
        ):
            continue  # most sentences: settled without the clause-by-clause look
        position = rank / last_rank
        for reading in read_clauses(
            candidate.text, clauses, position, candidate.position == opening, profile, incoming
        ):
            if not _label_without_action(clauses[reading.clause], reading.kinds, profile):
                options.append(Option(candidate, clauses, reading.clause, reading.features))
    return options


def find_next_step(candidates: list[Candidate], profile: Profile) -> NextStep | None:
    """The best-supported action in the note, or None when nothing qualifies."""
    best: tuple[float, Option] | None = None
    for option in next_step_options(candidates, profile):
        value = score(option.features)
        # Ties go to the later clause: people end a note with what happens next.
        if best is None or value >= best[0]:
            best = (value, option)
    if best is None or best[0] < next_step_weights.THRESHOLD:
        return None
    return realize(best[1], profile)


def realize(option: Option, profile: Profile) -> NextStep:
    """The next step's text as the email shows it: the action clause, able to stand alone."""
    clauses, action = _start_at_cue(option.clauses, option.clause, profile)
    first, last = _action_span(clauses, action, profile)
    text = tidy(
        shorten(_strip_label(" ".join(clauses[first : last + 1]), profile), profile), profile
    )
    # What led up to the action is news ("She wants a case study, so I'll send ..."); what
    # follows it is usually the reason for it ("..., they close early on Saturdays").
    remainder = tidy(trim_leading(" ".join(clauses[:first]), profile), profile)
    return NextStep(option.candidate.position, text, remainder)


def _label_without_action(clause: str, kinds: frozenset[str], profile: Profile) -> bool:
    """ "Reminder for tomorrow." announces an action but names none."""
    only_label = kinds == {"explicit"}
    return only_label and len(content_words(clause, profile.stopwords)) < _MIN_LABELLED_WORDS


def _start_at_cue(clauses: list[str], action: int, profile: Profile) -> tuple[list[str], int]:
    """Split a long run-on clause where its action starts: what came before becomes a clause of
    its own (and so the remainder), and the action reads from its cue."""
    lead = lead_words(clauses[action], profile)
    if not lead:
        return clauses, action
    tokens = clauses[action].split()
    before, after = " ".join(tokens[:lead]), " ".join(tokens[lead:])
    return [*clauses[:action], before, after, *clauses[action + 1 :]], action + 1


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
    while last + 1 < len(clauses) and _completes_action(clauses[last + 1], profile):
        last += 1
    return first, last


def _completes_action(clause: str, profile: Profile) -> bool:
    """A clause after the action that is still part of it: when ("..., first thing tomorrow,
    before seven"), a name in apposition ("the refrigeration guy, Frank,"), or a second verb
    of the same action ("I'll phone the company, and ask for two quotes")."""
    folded = fold(clause)
    tokens = words(folded)
    if not tokens:
        return False
    time_cue = profile.time_cue
    joined = tokens[0] in profile.conjunctions or tokens[0] in PURPOSE_OPENERS
    if len(tokens) <= _TIME_CLAUSE_WORDS and not joined and matches(time_cue, folded):
        return True  # "before seven", not "because tomorrow is the deadline"
    if len(tokens) <= _APPOSITION_WORDS and tokens[0] not in _not_apposition(profile):
        # A name ("Frank,"), not a sign-off or an aside (", thanks.", ", I think.").
        content = content_words(clause, profile.stopwords)
        return any(word not in profile.social_words for word in content)
    return tokens[0] in profile.conjunctions and is_imperative(" ".join(tokens[1:]), profile)


def _not_apposition(profile: Profile) -> frozenset[str]:
    return profile.conjunctions | profile.subordinators | PURPOSE_OPENERS


def _strip_label(text: str, profile: Profile) -> str:
    """ "Next step is to set up a demo" -> "set up a demo": the email already says "Next step"."""
    text = trim_leading(text, profile)
    if profile.action_prefix is None:
        return text
    stripped = profile.action_prefix.sub("", text, count=1)
    return stripped if word_count(stripped) >= 3 else text
