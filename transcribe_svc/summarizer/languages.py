"""Picking the profile for a transcript, and the small Chinese one.

English, Spanish, French, German, Portuguese and Italian each have a module of their own with
their function words, fillers and next-step cues. Detection counts function-word hits, so it
needs no model; Whisper's own language code wins when given.
"""

from __future__ import annotations

from transcribe_svc.summarizer.english import ENGLISH
from transcribe_svc.summarizer.french import FRENCH
from transcribe_svc.summarizer.german import GERMAN
from transcribe_svc.summarizer.italian import ITALIAN
from transcribe_svc.summarizer.portuguese import PORTUGUESE
from transcribe_svc.summarizer.profile import GENERIC, Profile, cue
from transcribe_svc.summarizer.spanish import SPANISH
from transcribe_svc.summarizer.text import is_mostly_cjk, words

# Chinese and Japanese text share it (both are split into character pairs); its cues are Chinese.
CHINESE = Profile(
    code="zh",
    label_cue=cue("下一步", "待办", "别忘了", "记得"),
    commit_cue=cue("我会", "我们会", "我要", "我们要", "需要", "必须", "打算"),
    request_cue=cue("请", "麻烦"),
    time_cue=cue("今天", "明天", "后天", "下周", "本周", "周[一二三四五六日]", "星期."),
)

_DETECTION_WORDS = 400
_ASCII_SHARE = 0.95
PROFILES = {p.code: p for p in (ENGLISH, SPANISH, FRENCH, GERMAN, PORTUGUESE, ITALIAN, CHINESE)}


def choose_profile(text: str, language: str | None) -> Profile:
    """The profile for ``language`` (e.g. "en", "en-US", "es"), or detected from the text."""
    if language:
        return PROFILES.get(language.strip().lower()[:2], GENERIC)
    if is_mostly_cjk(text):
        return CHINESE
    # Function words make up a large share of any text, so the best-covered list names the
    # language. The first few hundred words are plenty.
    tokens = words(text.lower())[:_DETECTION_WORDS]
    best, best_hits = GENERIC, 0
    for profile in PROFILES.values():
        hits = sum(token in profile.stopwords for token in tokens)
        if hits > best_hits:
            best, best_hits = profile, hits
    if best_hits >= max(2, len(tokens) // 10):
        return best
    # Too short to tell ("Buy milk."): plain Latin letters are most likely English.
    letters = [c for c in text if c.isalpha()]
    ascii_share = sum(c.isascii() for c in letters) / len(letters) if letters else 0.0
    return ENGLISH if ascii_share >= _ASCII_SHARE else GENERIC
