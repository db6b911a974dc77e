"""A transcript read into cleaned sentences: what every summary starts from.

``summarize`` and the offline fits (``eval/fit_next_step.py``, ``eval/fit_bullets.py``) read a
note the same way through ``read_transcript``, so a fitted weight always sees the features the
summarizer will compute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from transcribe_svc.summarizer.candidates import Candidate, build_candidates
from transcribe_svc.summarizer.languages import choose_profile
from transcribe_svc.summarizer.profile import Profile
from transcribe_svc.summarizer.sentences import TimedText, split_transcript


@dataclass(frozen=True)
class Reading:
    """The profile chosen for a transcript and its sentences, cleaned and described."""

    source: str  # the transcript's text: its segments joined when given
    profile: Profile
    candidates: list[Candidate]
    # The transcript uses capitals: they can then tell names apart.
    cased: bool


def read_transcript(
    text: str, segments: Sequence[TimedText] | None, language: str | None
) -> Reading:
    """Split, clean and describe every sentence of a transcript. ``segments``, when given and
    not blank, are the transcript and its boundaries."""
    if segments is not None and not any(s.text.strip() for s in segments):
        segments = None  # blank segments carry no boundaries; the text may still have words
    source = " ".join(s.text for s in segments) if segments else text
    profile = choose_profile(source, language)
    units = split_transcript(source, segments, profile)
    cased = any(c.isupper() for c in source)
    return Reading(source, profile, build_candidates(units, profile, cased), cased)
