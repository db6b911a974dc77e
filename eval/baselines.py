"""Baselines for the summary evaluation: lead-5, and sumy's LexRank and TextRank.

sumy normally splits sentences with NLTK's punkt data, which cannot be downloaded here; all three
baselines get the offline equivalent instead: split after ". ! ?" before a capital, or at
Whisper's segment boundaries when the note has them. Their "next step" is the note's last
sentence: the naive rule that voice notes break, since the action item is often mid-note.
``--baseline-splitter ours`` hands them the summarizer's own splitter, run-on speech included.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from transcribe_svc.summarizer import Segment
from transcribe_svc.summarizer.languages import choose_profile
from transcribe_svc.summarizer.sentences import split_transcript
from transcribe_svc.summarizer.text import words

BULLETS = 5
_SUMY_LANGUAGES = {
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "de": "german",
    "pt": "portuguese",
    "it": "italian",
}


@dataclass(frozen=True)
class Output:
    bullets: list[str]
    next_step: str
    next_step_found: bool


System = Callable[[str, Sequence[Segment] | None, str | None], Output]


_SENTENCE_END_RE = re.compile(r"(?<=[.!?\u3002\uff01\uff1f])\s+(?=[^a-z\s])")
SPLITTERS = ("punctuation", "ours")
splitter = "punctuation"


def sentences(text: str, segments: Sequence[Segment] | None, language: str | None) -> list[str]:
    if splitter == "ours":
        return split_transcript(text, segments, choose_profile(text, language))
    pieces = [s.text for s in segments] if segments else [text]
    return [s.strip() for p in pieces for s in _SENTENCE_END_RE.split(p.strip()) if s.strip()]


def lead(text: str, segments: Sequence[Segment] | None, language: str | None) -> Output:
    units = sentences(text, segments, language)
    return Output(units[:BULLETS], units[-1], True)


class _Tokenizer:
    """sumy's tokenizer interface, backed by the summarizer's splitter instead of NLTK punkt."""

    def __init__(self, language: str, segments: Sequence[Segment] | None) -> None:
        self.language = language
        self._code = language
        self._segments = segments

    def to_sentences(self, paragraph: str) -> list[str]:
        return sentences(paragraph, self._segments, self._code)

    def to_words(self, sentence: str) -> list[str]:
        return words(sentence)


def sumy_system(algorithm: str) -> System:
    """A sumy summarizer ("lexrank" or "textrank") as a System."""
    from sumy.nlp.stemmers import Stemmer  # type: ignore[import-untyped]
    from sumy.parsers.plaintext import PlaintextParser  # type: ignore[import-untyped]
    from sumy.summarizers.lex_rank import LexRankSummarizer  # type: ignore[import-untyped]
    from sumy.summarizers.text_rank import TextRankSummarizer  # type: ignore[import-untyped]
    from sumy.utils import get_stop_words  # type: ignore[import-untyped]

    summarizer_class = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer}[algorithm]

    def run(text: str, segments: Sequence[Segment] | None, language: str | None) -> Output:
        code = choose_profile(text, language).code
        name = _SUMY_LANGUAGES.get(code, "english")
        # One paragraph: sumy's plain-text parser would treat each line as a paragraph.
        document = PlaintextParser.from_string(" ".join(text.split()), _Tokenizer(code, segments))
        summarizer = summarizer_class(Stemmer(name))
        summarizer.stop_words = get_stop_words(name)
        picked = [str(s) for s in summarizer(document.document, BULLETS)]
        units = sentences(text, segments, code)
        return Output(picked or units[:1], units[-1], True)

    return run
