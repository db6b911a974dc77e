"""The features that say how likely a clause is to be the note's next step.

Every feature is explicit and named, so a choice can be explained ("an obligation with a time,
late in the note") and the weights (``next_step_weights``) stay a short table:

- the strongest cue in the clause, one feature per kind: an explicit marker ("next step is", "my
  job now is to", "first thing I'll do"), a request ("can you"), a first-person commitment ("I'll",
  "let's"), an imperative ("Call the vet"), someone else's plan ("Sara will"), an obligation ("we
  need to"), an intention ("I'd like to"); and how many other kinds the sentence has;
- who acts is part of each kind: the speaker (commitment, obligation, intention), a named person
  (plan), the listener (request, imperative);
- ``time``: a time expression ("on Friday", "tomorrow", "before the trip");
- ``position``: how late in the note (0 first, 1 last): people end with what happens next;
- ``content``: how much the action says (content words, up to 8): "booking the garage for new
  tyres before the trip" over "we need new tyres";
- ``fact``: a deadline or a fact recalled ("the rent is due on the first"): a statement, not an
  action; ``past`` (narration: "I called the technician"), ``reported`` (what someone said:
  "she said that we should"), ``subordinate`` (a clause of condition or purpose: "to see if
  he can"); ``retracted`` (the speaker corrects it later in the sentence: "call Sam, actually
  no, ..."); ``hedge`` ("maybe we could");
  ``opening`` (the note's first sentence); ``question`` (a question that asks nobody to act);
- ``decision``: the action is making up one's mind ("we must choose a venue by March", "tenho de
  decidir até sexta"): a deadline for a choice, weaker than the plan that makes it;
- ``announced``: the clause is what an announcement before it introduces ("Ce qu'on va faire,
  c'est organiser une démo", "o que eu pensei: vamos os dois ver ...", "Plan: ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from transcribe_svc.summarizer.action_cues import cue_patterns, cues, matches
from transcribe_svc.summarizer.cleaning import trim_leading
from transcribe_svc.summarizer.lexicon import COPULAS, PURPOSE_OPENERS, SELF_CORRECTION
from transcribe_svc.summarizer.profile import Profile
from transcribe_svc.summarizer.text import content_words, fold, word_count, words

CUE_KINDS = ("explicit", "request", "commit", "imperative", "delegate", "obligation", "intention")
FEATURES = (
    *CUE_KINDS,
    *("extra_cues", "time", "position", "content", "fact", "past", "reported", "subordinate"),
    *("retracted", "hedge", "opening", "question", "decision", "announced"),
)
CONTENT_FULL = 8
# Past this many words before its cue, a clause of run-on speech starts at the cue instead:
# "which is fine I suppose but the thing is we must ..." -> "we must ...".
_MAX_LEAD_WORDS = 5
# A clause this short that is only a label ("Going forward,") announces the next one.
_LABEL_WORDS = 3
CLAUSE_SPLIT_RE = re.compile(r"(?<=[,;:\u2014\u2013])\s+|\s+(?=[\u2014\u2013]\s)")


@dataclass(frozen=True)
class ClauseReading:
    """One clause of a sentence read as a possible next step."""

    clause: int  # its index in the sentence's clauses
    features: dict[str, float]
    kinds: frozenset[str]  # every kind of cue it carries


def _announces(clause: str, kinds: dict[str, int], following: str, profile: Profile) -> bool:
    """A clause that only announces what the ``following`` one says: a bare label ("Going
    forward,"), a clause ending in a colon ("Plan:"), or a cue with nothing after it that a
    copula completes ("Ce qu'on va faire, c'est ...", "What I'll do, is ...")."""
    if clause.rstrip().endswith(":"):
        return True
    if not kinds:
        return False
    if set(kinds) == {"explicit"} and word_count(clause) <= _LABEL_WORDS:
        return True
    # Without the copula, a clause ending on its cue is only a verb-final one ("..., was man
    # nie tun soll, und ..."), not an announcement.
    opener = words(fold(following))[:1]
    if not opener or opener[0] not in COPULAS:
        return False
    return not content_words(_after_cues(clause, profile), profile.stopwords)


def _after_cues(clause: str, profile: Profile) -> str:
    folded = fold(trim_leading(clause, profile))
    ends = [m.end() for _, cue in cue_patterns(profile) if cue and (m := cue.search(folded))]
    return folded[max(ends) :] if ends else folded


def trailing_announcement(clauses: list[str], profile: Profile) -> dict[str, int]:
    """The cues of a sentence that ends in an explicit label that names no action ("Mein
    nächster Schritt ist." then the step, as unpunctuated speech is often cut), else {}."""
    last = clauses[-1] if clauses else ""
    if not last or _blocked(last, profile):
        return {}
    kinds = cues(last, profile)
    if "explicit" not in kinds and not last.rstrip().endswith(":"):
        return {}
    return kinds if not content_words(_after_cues(last, profile), profile.stopwords) else {}


def _continues_action(clause: str, kinds: dict[str, int], profile: Profile) -> bool:
    """A clause joined by a conjunction whose only cue is the bare verb opening it."""
    opener = words(fold(clause))[:1]
    return set(kinds) == {"imperative"} and bool(opener) and opener[0] in profile.conjunctions


def split_clauses(sentence: str) -> list[str]:
    return [c for c in CLAUSE_SPLIT_RE.split(sentence) if c.strip()]


def read_clauses(
    sentence: str,
    clauses: list[str],
    position: float,
    opening: bool,
    profile: Profile,
    carried: dict[str, int] | None = None,
) -> list[ClauseReading]:
    """Every clause of ``sentence`` that carries an action cue, with its features. ``carried``:
    the cues of an announcement that ended the sentence before (``trailing_announcement``)."""
    folded_sentence = fold(sentence)
    kinds_per_clause = [{} if _blocked(c, profile) else cues(c, profile) for c in clauses]
    announced = [False] * len(clauses)
    if carried and clauses and not _blocked(clauses[0], profile):
        kinds_per_clause[0] = {**dict.fromkeys(carried, 0), **kinds_per_clause[0]}
        announced[0] = True
    for index, kinds in enumerate(kinds_per_clause[:-1]):
        if _announces(clauses[index], kinds, clauses[index + 1], profile):
            # "Going forward, we'll add ...", "Ce qu'on va faire, c'est organiser ...": the
            # announcement's cue belongs to the clause it announces.
            kinds_per_clause[index + 1] = {**dict.fromkeys(kinds, 0), **kinds_per_clause[index + 1]}
            kinds_per_clause[index] = {}
            announced[index + 1] = True
    for index in range(1, len(clauses)):
        if (
            _continues_action(clauses[index], kinds_per_clause[index], profile)
            and (kinds_per_clause[index - 1])
        ):
            # "I'll phone the company, and ask for two quotes": one action of two verbs,
            # read (and given, see ``next_step.realize``) with the clause that has the cue.
            kinds_per_clause[index] = {}
    all_kinds = set().union(*kinds_per_clause)
    if matches(profile.setting_cue, folded_sentence):
        # Where the note is recorded from ("I'm in the car, so let's keep it short") is never
        # its action; too rare among the options for a fitted weight to learn that.
        return []
    question = sentence.rstrip().endswith("?")
    readings = []
    for index, kinds in enumerate(kinds_per_clause):
        if not kinds:
            continue
        # What the clause says from its cue on: "it keeps happening, can someone own that"
        # is an action of two words, not six.
        action = " ".join(
            fold(trim_leading(clauses[index], profile)).split()[min(kinds.values()) :]
        )
        clause = fold(clauses[index])
        features = dict.fromkeys(FEATURES, 0.0)
        # One kind per clause, the firmest; the others only add that the sentence has more.
        strongest = next(kind for kind in CUE_KINDS if kind in kinds)
        features[strongest] = 1.0
        features["extra_cues"] = float(min(2, len(all_kinds - {strongest})))
        # A time said anywhere in the sentence dates its action: "On Friday, pay the rent".
        features["time"] = float(matches(profile.time_cue, folded_sentence))
        features["position"] = position
        features["content"] = min(CONTENT_FULL, len(content_words(action, profile.stopwords)))
        features["content"] /= CONTENT_FULL
        features["fact"] = float(matches(profile.fact_cue, clause))
        features["past"] = float(matches(profile.past_cue, clause))
        features["reported"] = float(matches(profile.reported_cue, clause))
        features["subordinate"] = float(is_subordinate(clause, profile))
        features["retracted"] = float(_retracted(clauses, index, min(kinds.values()), profile))
        features["hedge"] = float(matches(profile.hedge_cue, clause))
        features["opening"] = float(opening)
        features["question"] = float(question and "request" not in kinds)
        features["decision"] = float(matches(profile.decision_cue, action))
        features["announced"] = float(announced[index])
        readings.append(ClauseReading(index, features, frozenset(kinds)))
    return readings


def lead_words(clause: str, profile: Profile) -> int:
    """How many tokens of a long run-on clause come before its first cue (0: keep it whole)."""
    found = cues(clause, profile)
    if not found:
        return 0
    trimmed = trim_leading(clause, profile)
    skipped = len(clause.split()) - len(trimmed.split())
    start = min(found.values())
    opener = words(fold(trimmed))[:1]
    if start <= _MAX_LEAD_WORDS or (opener and opener[0] in profile.subordinators):
        return 0
    return skipped + start


def _retracted(clauses: list[str], index: int, cue_word: int, profile: Profile) -> bool:
    """Whether the speaker corrects themselves after this clause's cue, in the sentence."""
    rest = fold(trim_leading(clauses[index], profile)).split()[cue_word:]
    after = " ".join([*rest, *(fold(c) for c in clauses[index + 1 :])])
    return SELF_CORRECTION is not None and SELF_CORRECTION.search(after) is not None


def is_subordinate(folded_clause: str, profile: Profile) -> bool:
    """A clause that depends on another ("pra saber se ele pode", "if they can", "to see
    whether"): any cue in it belongs to the condition or the purpose, not to an action."""
    opener = words(trim_leading(folded_clause, profile))[:1]
    return bool(opener) and (opener[0] in profile.subordinators or opener[0] in PURPOSE_OPENERS)


def _blocked(clause: str, profile: Profile) -> bool:
    return matches(profile.blocker_cue, fold(clause))
