"""The features that say how likely a sentence is to carry one of the note's key facts.

Each is named and between 0 and 1, so the weights (``bullet_weights``) stay a short table that
reads as a description of a good bullet:

- ``centrality``: LexRank, scaled so the note's most central sentence is 1;
- ``specifics``: numbers, names, dates, decisions (up to three); ``number``: a quantity;
  ``salient``: a decision, an outcome, a problem or an objection ("approved", "worried");
- ``content``: how much the sentence says (content words, up to eight); ``short``: three or
  fewer;
- ``early``: one of the first three statements, where a note's news usually is ("the grant was
  approved"), stated once; ``late``: how late in the note;
- ``action``: it states an action (the next step has a line of its own);
- ``evaluative``: the share of its words that are opinion ("really great, honestly");
- ``setting``: where the note is recorded from; ``question``: a question; ``meta``: words about
  the note itself or its occasion ("quick update", "just got off the call"); ``first``: the
  first statement; ``emphasis``: a fact the speaker stresses ("the main thing is", "their only
  worry was", "good news");
- ``negation``: a negative ("we can't do both", "bitte nicht ausliefern"): objections and
  constraints are often said so; ``contrast``: a "but" ("..., but the DSI has a concern");
  ``past``: narration of what happened (outcomes: "they accepted the offer"); ``time``: a date
  or time expression (deadlines: "we have until May 15").
"""

from __future__ import annotations

import math

from transcribe_svc.summarizer.action_cues import is_imperative
from transcribe_svc.summarizer.candidates import Candidate
from transcribe_svc.summarizer.profile import Pattern, Profile
from transcribe_svc.summarizer.text import content_words, fold, words

FEATURES = (
    "centrality", "specifics", "number", "salient", "content", "short", "early", "late", "action",
    "evaluative", "setting", "question", "meta", "first", "emphasis", "negation", "contrast",
    "past", "time",
)  # fmt: skip
_SPECIFICS_FULL, _CONTENT_FULL, _EARLY_STATEMENTS, _SHORT_CONTENT = 3, 8, 3, 3


def bullet_features(
    statement: Candidate, index: int, count: int, centrality: float, profile: Profile
) -> dict[str, float]:
    """Features of the ``index``-th of ``count`` statements of a note."""
    folded = fold(statement.text)
    tokens = words(folded)
    content = content_words(statement.text, profile.stopwords)
    return {
        "centrality": centrality,
        "specifics": min(1.0, statement.specifics / _SPECIFICS_FULL),
        "number": float(
            any(t.isdigit() or t in profile.number_words for t in tokens)
            or any(c.isdigit() for c in folded)
        ),
        "salient": float(any(t in profile.salient_words for t in tokens)),
        "content": min(1.0, statement.content_count / _CONTENT_FULL),
        "short": float(statement.content_count <= _SHORT_CONTENT),
        "early": max(0.0, (_EARLY_STATEMENTS - index) / _EARLY_STATEMENTS),
        "late": index / max(1, count - 1),
        "action": float(statement.action_cue or is_imperative(folded, profile)),
        "evaluative": (
            sum(w in profile.evaluative_words for w in content) / len(content) if content else 0.0
        ),
        "setting": float(_matches(profile.setting_cue, folded)),
        "question": float(statement.text.rstrip().endswith("?")),
        "meta": float(
            any(w in profile.meta_words for w in content)
            or (profile.occasion_opener is not None and bool(profile.occasion_opener.match(folded)))
        ),
        "first": float(index == 0),
        "emphasis": float(_matches(profile.emphasis_cue, folded)),
        "negation": float(any(t in profile.negation_words for t in tokens)),
        "contrast": float(any(t in profile.contrast_words for t in tokens)),
        "past": float(_matches(profile.past_cue, folded)),
        "time": float(_matches(profile.time_cue, folded)),
    }


def _matches(pattern: Pattern | None, folded: str) -> bool:
    return pattern is not None and pattern.search(folded) is not None


def relevance(features: dict[str, float], weights: dict[str, float], bias: float) -> float:
    """The model's probability that the sentence carries a key fact."""
    value = bias + sum(weights[name] * features[name] for name in FEATURES)
    return 1.0 / (1.0 + math.exp(-value))
