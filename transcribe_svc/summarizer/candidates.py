"""Cleaned sentences with the features the bullet ranking and next-step finder need."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from transcribe_svc.summarizer.action_cues import has_any_cue
from transcribe_svc.summarizer.cleaning import clean
from transcribe_svc.summarizer.profile import Profile
from transcribe_svc.summarizer.text import content_words, fold, index_terms, word_count, words

# A statement needs this many content words; fewer is a backchannel ("Sounds good.").
MIN_CONTENT_WORDS = 3
_SOCIAL_SHARE = 0.5
_HEADING_WORDS = 15
_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True)
class Candidate:
    """One spoken sentence after cleaning."""

    position: int
    text: str
    terms: tuple[str, ...]
    content_count: int
    small_talk: bool
    specifics: int
    # It carries a next-step cue ("I'll", "can you", "next step"): found once, used twice.
    action_cue: bool = False
    heading: bool = False

    @property
    def is_remark(self) -> bool:
        """Says something, if briefly: "They want to start on the first." """
        return not self.small_talk and self.content_count >= MIN_CONTENT_WORDS - 1

    @property
    def is_statement(self) -> bool:
        # Short sentences count when concrete: "They've decided not to renew."
        enough = self.content_count >= MIN_CONTENT_WORDS or (
            self.content_count >= MIN_CONTENT_WORDS - 1 and self.specifics > 0
        )
        return not self.small_talk and enough


def build_candidates(units: list[str], profile: Profile, cased: bool) -> list[Candidate]:
    """Clean every unit; drop those with nothing left. ``cased``: the text uses capitals."""
    candidates: list[Candidate] = []
    for position, unit in enumerate(units):
        text = clean(unit, profile)
        if not text:
            continue
        candidate = analyze(position, text, profile, cased)
        if candidate.small_talk or any(not c.small_talk for c in candidates):
            candidates.append(candidate)
        else:  # the first thing said that is not small talk may be the note's heading
            content = content_words(text, profile.stopwords)
            candidates.append(replace(candidate, heading=_is_heading(text, content, profile)))
    return candidates


def analyze(position: int, text: str, profile: Profile, cased: bool) -> Candidate:
    """Features of one cleaned sentence."""
    content = content_words(text, profile.stopwords)
    return Candidate(
        position=position,
        text=text,
        terms=tuple(index_terms(text, profile.unindexed)),
        content_count=sum(w not in profile.evaluative_words for w in content),
        small_talk=is_small_talk(text, content, profile),
        specifics=_count_specifics(text, profile, cased),
        action_cue=has_any_cue(fold(text), profile),
    )


def is_small_talk(text: str, content: list[str], profile: Profile) -> bool:
    """Greetings, thanks and sign-offs: mostly social words, or a known leave-taking phrase."""
    if profile.social_patterns is not None and profile.social_patterns.search(fold(text)):
        return True
    if not content:
        return True
    social = sum(word in profile.social_words for word in content)
    return social / len(content) > _SOCIAL_SHARE


def _is_heading(text: str, content: list[str], profile: Profile) -> bool:
    """An opening line that names the note ("Quick recap of the planning call") or its occasion
    ("Just got off the phone with Dana")."""
    if word_count(text) > _HEADING_WORDS:
        return False
    occasion = profile.occasion_opener is not None and profile.occasion_opener.match(fold(text))
    return bool(occasion) or any(w in profile.meta_words for w in content)


def _count_specifics(text: str, profile: Profile, cased: bool) -> int:
    """Numbers, names, dates and decisions: the concrete facts a reader wants kept."""
    tokens = words(text)
    count = 0
    for i, token in enumerate(tokens):
        folded = fold(token)
        names_shown = cased and not profile.capitalizes_nouns and i > 0
        if (
            _DIGIT_RE.search(token)
            or folded in profile.number_words
            or folded in profile.salient_words
            or folded in profile.calendar_words
            or (names_shown and _looks_like_name(token))
        ):
            count += 1
    return count


def _looks_like_name(token: str) -> bool:
    return token[0].isupper() and not re.fullmatch(r"I('[a-z]+)?", token)
