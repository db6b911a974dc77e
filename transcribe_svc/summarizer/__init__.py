"""Deterministic extractive summaries of voice-note transcripts.

``summarize`` turns a transcript (Whisper's text, optionally with its segments) into 3-5 bullets,
each a cleaned sentence the speaker actually said, plus the next step they committed to or asked
for. No model, no downloads, no randomness: the same input always gives byte-identical output.

Pipeline: split into sentences (punctuation, else segments, else speech cues) -> clean each one
(fillers, stutters, discourse markers) -> score every clause that carries an action cue and keep
the best as the next step, or none below a threshold (``next_step``) -> rate the remaining
statements with a small fitted model (centrality, concrete facts, emphasis, position, commentary;
``bullets``) -> pick bullets with MMR -> cut each at clause boundaries to its share of ~60 words.
English, Spanish, French, German, Portuguese and Italian have profiles of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from transcribe_svc.summarizer.bullets import choose_bullets
from transcribe_svc.summarizer.cleaning import shorten, tidy
from transcribe_svc.summarizer.next_step import find_next_step
from transcribe_svc.summarizer.reading import read_transcript
from transcribe_svc.summarizer.text import words

__all__ = ["NO_NEXT_STEP", "EmptyTranscriptError", "Segment", "Summary", "summarize"]

NO_NEXT_STEP = "No next step was mentioned."


@dataclass(frozen=True)
class Segment:
    """One Whisper segment: seconds from the start of the audio, and its text."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Summary:
    """What the email shows: the bullets, in the order spoken, and the next step (or a plain
    sentence saying there was none, with ``next_step_found`` false)."""

    bullets: tuple[str, ...]
    next_step: str
    next_step_found: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "bullets": list(self.bullets),
            "next_step": self.next_step,
            "next_step_found": self.next_step_found,
        }


class EmptyTranscriptError(ValueError):
    """The transcript has no words to summarize."""


def summarize(
    text: str, *, segments: Sequence[Segment] | None = None, language: str | None = None
) -> Summary:
    """Summarize a transcript. ``segments``, when given, are the transcript and its boundaries;
    ``language`` is an ISO 639-1 code such as Whisper reports ("en", "es"), else detected.

    Raises ``EmptyTranscriptError`` when the transcript has no words at all (blank, or only
    punctuation).
    """
    reading = read_transcript(text, segments, language)
    if not words(reading.source):
        raise EmptyTranscriptError("the transcript is empty: there is nothing to summarize")
    profile = reading.profile
    next_step = find_next_step(reading.candidates, profile)
    # Only a note of nothing but fillers has no candidate: its words, tidied, are the summary.
    bullets = choose_bullets(reading.candidates, next_step, profile, reading.cased) or (
        tidy(shorten(reading.source, profile), profile),
    )
    if next_step is None:
        return Summary(bullets, NO_NEXT_STEP, next_step_found=False)
    return Summary(bullets, next_step.text, next_step_found=True)
