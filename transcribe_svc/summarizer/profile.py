"""What the summarizer knows about one language, as plain data.

English is described in full (``english``); a few other languages get enough for sensible bullets
and for spotting a committed next step (``languages``). Every field has an empty default that
simply switches its feature off, so ``GENERIC`` (any other language) still gets extractive
bullets, and honestly reports that no next step was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

Pattern = re.Pattern[str]


def any_of(*alternatives: str) -> Pattern | None:
    """One case-insensitive regex matching any alternative; None when there are none."""
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def cue(*alternatives: str) -> Pattern | None:
    """One regex matching any alternative, for text already folded to lower case (``fold``).

    Case-sensitive and with the word boundary that opens most alternatives tried once rather
    than once per alternative: several times faster than ``any_of``, and it runs on every
    sentence of every note."""
    if not alternatives:
        return None
    bounded = [a.removeprefix(r"\b") for a in alternatives if a.startswith(r"\b")]
    others = [f"(?:{a})" for a in alternatives if not a.startswith(r"\b")]
    shared = [r"\b(?:" + "|".join(f"(?:{a})" for a in bounded) + ")"] if bounded else []
    return re.compile("|".join(shared + others))


@dataclass(frozen=True)
class Profile:
    code: str

    # Vocabulary: what counts as content, small talk, commentary, a fact.
    stopwords: frozenset[str] = frozenset()
    social_words: frozenset[str] = frozenset()
    social_patterns: Pattern | None = None
    evaluative_words: frozenset[str] = frozenset()
    meta_words: frozenset[str] = frozenset()
    occasion_opener: Pattern | None = None
    salient_words: frozenset[str] = frozenset()
    number_words: frozenset[str] = frozenset()
    calendar_words: frozenset[str] = frozenset()
    time_words: frozenset[str] = frozenset()
    # German capitalizes every noun, so capitals there say nothing about names.
    capitalizes_nouns: bool = False

    # Cleaning: what is deleted from a spoken sentence.
    fillers: tuple[str, ...] = ("um", "umm", "uh", "uhm", "hmm", "mhm")
    soft_fillers: tuple[str, ...] = ()
    leading_markers: tuple[str, ...] = ()
    greeting: Pattern | None = None
    parentheticals: Pattern | None = None
    comment_clauses: Pattern | None = None
    fixes_lowercase_i: bool = False

    # Structure: where sentences and clauses begin when punctuation does not say.
    run_on_markers: frozenset[str] = frozenset()
    subject_pronouns: frozenset[str] = frozenset()
    clause_continuers: frozenset[str] = frozenset()
    clause_final_words: frozenset[str] = frozenset()
    determiners: frozenset[str] = frozenset()
    conjunctions: frozenset[str] = frozenset()
    contrast_words: frozenset[str] = frozenset()
    # Negations: a fact said in the negative is often the objection or the constraint a reader
    # must see ("we can't do both", "bitte nicht ausliefern", "non mi resta niente").
    negation_words: frozenset[str] = frozenset()
    subordinators: frozenset[str] = frozenset()
    # Words that can open a sentence (a subject, a determiner): a bullet may start at a clause
    # that opens with one. Without them a bullet keeps its sentence's opening clause.
    sentence_openers: frozenset[str] = frozenset()

    # Next-step cues, strongest first (see ``next_step_features``): explicit markers ("next
    # step", "first thing I'll do"), requests ("can you"), first-person commitments ("I'll",
    # "let's"), others' plans ("Sara will"), obligations ("we need to"), intentions ("I'd like
    # to"), and imperative verbs.
    label_cue: Pattern | None = None
    request_cue: Pattern | None = None
    commit_cue: Pattern | None = None
    delegate_cue: Pattern | None = None
    obligation_cue: Pattern | None = None
    intention_cue: Pattern | None = None
    imperative_verbs: frozenset[str] = frozenset()
    # Object pronouns that Romance imperatives take as a suffix ("mándame", "chiamalo",
    # "manda-me"): stripped, with the stress accent they add, before looking the verb up.
    enclitics: tuple[str, ...] = ()
    time_cue: Pattern | None = None
    # The action is a decision ("we must choose a venue", "il faut qu'on choisisse"): a deadline
    # for making up one's mind, weaker than the plan that gets there ("visit both halls").
    decision_cue: Pattern | None = None
    # Statements rather than actions: a deadline or a fact recalled ("the rent is due on the
    # first", "remember the office is closed"), a hedge ("maybe we could"), the note's setting
    # ("recording this from the car").
    fact_cue: Pattern | None = None
    # Narration and reported speech are statements too: what already happened ("I called the
    # technician", "ho parlato con"), what someone said ("she said that", "disse que").
    past_cue: Pattern | None = None
    reported_cue: Pattern | None = None
    # A fact the speaker stresses ("the main thing is", "their only worry was", "good news"):
    # a bullet should carry it however briefly it was said.
    emphasis_cue: Pattern | None = None
    hedge_cue: Pattern | None = None
    setting_cue: Pattern | None = None
    # Negated or counterfactual plans ("no need to", "should have done"): not a next step.
    blocker_cue: Pattern | None = None
    # "Next step is to ..." announces the action; the email already labels it.
    action_prefix: Pattern | None = None

    @cached_property
    def unindexed(self) -> frozenset[str]:
        """Words left out when comparing what sentences are about: function words, dates and
        times, quantities, and words about the note itself."""
        return self.stopwords | self.time_words | self.meta_words | self.number_words


GENERIC = Profile(code="xx")
