"""Split a transcript into sentence-sized units, with or without punctuation.

Whisper usually punctuates, and then punctuation decides. Raw or lower-case run-on ASR text has
none, so boundaries come from Whisper's segments when given, and otherwise from the cues speech
leaves behind: fillers ("um" is a pause), discourse markers ("so", "anyway") and a fresh subject
pronoun after a content word ("... by thursday i need to ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from transcribe_svc.summarizer.profile import Profile
from transcribe_svc.summarizer.text import fold, word_count, word_set

_TERMINATOR_RE = re.compile(r"([.!?\u2026]+[\"'\u201d\u2019)\]]*)(\s+)|([\u3002\uff01\uff1f]+)")
_ABBREVIATIONS = word_set("mr mrs ms dr prof st sr jr vs etc e.g i.e inc ltd approx")
# Punctuated speech runs ~15 words a sentence; under one stop per 40 words means none to speak of.
_WORDS_PER_TERMINATOR = 40
# A pause this long between Whisper segments ends a sentence even where punctuation does not.
_PAUSE_S = 2.0
_MIN_RUN, _MAX_RUN = 4, 30
# "it" is a subject, and so may open a sentence, when a verb follows: "... dental it was nice".
_IT_VERBS = word_set("is was has had will would seems seemed looks looked")
# After "and" or "or", these open a clause rather than name another item of a list.
_NEGATIONS = word_set("no non não nicht pas ne")
_CLAUSE_OPENERS = word_set("don't please let's there it's that's honestly actually now")


class TimedText(Protocol):
    """A Whisper segment: anything with ``start``, ``end`` and ``text``."""

    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def text(self) -> str: ...


def split_transcript(
    text: str, segments: Sequence[TimedText] | None, profile: Profile
) -> list[str]:
    """The transcript as a list of sentence-like units, in the order spoken."""
    source = " ".join(s.text.strip() for s in segments) if segments else text
    punctuated = is_punctuated(source)
    pieces = _segment_pieces(segments, punctuated) if segments else [text]
    units: list[str] = []
    for piece in pieces:
        for sentence in _split_on_punctuation(piece):
            units.extend(_split_run_on(sentence, profile, punctuated))
    return [u for u in units if u]


def is_punctuated(text: str) -> bool:
    terminators = len(re.findall(r"[.!?\u2026\u3002\uff01\uff1f]", text))
    return terminators * _WORDS_PER_TERMINATOR >= word_count(text)


def _segment_pieces(segments: Sequence[TimedText], punctuated: bool) -> list[str]:
    """Join segments into pieces; a boundary is any segment end in unpunctuated text."""
    pieces: list[str] = []
    current: list[str] = []
    for i, segment in enumerate(segments):
        current.append(segment.text.strip())
        is_last = i == len(segments) - 1
        pause = not is_last and segments[i + 1].start - segment.end >= _PAUSE_S
        if is_last or pause or not punctuated:
            pieces.append(" ".join(current))
            current = []
    return pieces


def _split_on_punctuation(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip()
    # In all-lower-case text a lower-case word after a full stop is still a new sentence.
    lowercase_text = not any(c.isupper() for c in text)
    sentences: list[str] = []
    start = 0
    for match in _TERMINATOR_RE.finditer(text):
        end = match.end()
        if match.group(3) is None:
            previous_word = fold(text[start : match.start()].rsplit(" ", 1)[-1])
            following = text[end : end + 1]
            if previous_word.rstrip(".") in _ABBREVIATIONS and match.group(1) == ".":
                continue
            if following.islower() and not lowercase_text:
                continue
        sentences.append(text[start:end].strip())
        start = end
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _split_run_on(sentence: str, profile: Profile, punctuated: bool) -> list[str]:
    """Cut a long run of words at its likeliest sentence boundaries."""
    tokens = sentence.split()
    if len(tokens) <= (_MAX_RUN + 10 if punctuated else _MIN_RUN * 2):
        return [sentence]
    strengths = [0] + [
        _boundary_strength(tokens, i, profile, punctuated) for i in range(1, len(tokens))
    ]
    chunks: list[str] = []
    start = 0
    for i in range(1, len(tokens)):
        if strengths[i] >= 2 and i - start >= _MIN_RUN:
            cut = i
        elif i - start >= _MAX_RUN:
            # Too long with no good boundary: fall back to the latest weak one, else cut here.
            weak = [j for j in range(start + _MIN_RUN, i) if strengths[j] >= 1]
            cut = weak[-1] if weak else _before_function_words(tokens, start, i, profile)
        else:
            continue
        chunks.append(" ".join(tokens[start:cut]))
        start = cut
    chunks.append(" ".join(tokens[start:]))
    return chunks


def _next(tokens: list[str], i: int) -> str:
    return fold(tokens[i + 1]).strip(",;:.!?") if i + 1 < len(tokens) else ""


def _before_function_words(tokens: list[str], start: int, end: int, profile: Profile) -> int:
    """A forced cut at ``end`` moved back so the chunk does not end on "and" or "the"."""
    cut = end
    while cut > start + _MIN_RUN and fold(tokens[cut - 1]).strip(",.") in profile.stopwords:
        cut -= 1
    return cut


def _boundary_strength(tokens: list[str], i: int, profile: Profile, punctuated: bool) -> int:
    """How likely a new sentence starts at ``tokens[i]``: 0 no, 1 perhaps, 2 probably."""
    previous_raw = tokens[i - 1]
    previous = fold(previous_raw).strip(",;:.!?\"'")
    word = fold(tokens[i]).strip(",;:.!?\"'")
    if previous_raw.endswith((",", ";", ":", "\u2014", "-")):
        return 1
    if punctuated:
        return 1 if _joins_clauses(tokens, i, profile) else 0
    if word in profile.fillers:
        return 2
    continues = previous in profile.clause_continuers or previous in profile.subject_pronouns
    if word in profile.run_on_markers and not continues and previous not in profile.run_on_markers:
        return 2
    subject = word in profile.subject_pronouns or (word == "it" and _next(tokens, i) in _IT_VERBS)
    if subject and not continues and previous not in profile.fillers:
        return 2
    if previous in profile.clause_final_words and word in profile.determiners:
        return 2
    if word in ("and", "but") and _next(tokens, i) in profile.subject_pronouns:
        return 2  # "... to the project and nobody mentioned the budget"
    if not profile.subject_pronouns and _starts_commitment(tokens, i, profile):
        # Spanish, Portuguese or Italian drop the subject: the modal itself opens the clause.
        return 2
    return 1 if _joins_clauses(tokens, i, profile) else 0


def _joins_clauses(tokens: list[str], i: int, profile: Profile) -> bool:
    """A conjunction at ``tokens[i]`` that starts a clause; "and"/"or" usually join nouns."""
    word = fold(tokens[i]).strip(",;:.!?")
    if word not in profile.conjunctions:
        return False
    if word not in ("and", "or") or i + 1 >= len(tokens):
        return True
    following = fold(tokens[i + 1]).strip(",;:.!?")
    return (
        following in profile.subject_pronouns
        or following in profile.determiners
        or following in profile.run_on_markers
        or following in _CLAUSE_OPENERS
    )


def _starts_commitment(tokens: list[str], i: int, profile: Profile) -> bool:
    """ "... el lunes tengo que llamar": a commitment or obligation opens a clause, unless a
    negation ("no voy a") or a subject right before it belongs to it."""
    if fold(tokens[i - 1]).strip(",.") in _NEGATIONS:
        return False
    head = fold(" ".join(tokens[i : i + 3]))
    cues = (profile.commit_cue, profile.obligation_cue)
    return any(cue is not None and cue.match(head) is not None for cue in cues)
