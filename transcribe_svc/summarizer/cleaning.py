"""Turn a spoken sentence into a written one without adding a word.

Every step only deletes (fillers, repeated words, false starts, leading discourse markers) or
fixes case and final punctuation, so a bullet is always the speaker's own words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from transcribe_svc.summarizer.profile import Profile
from transcribe_svc.summarizer.text import fold, has_cjk, is_mostly_cjk, word_count, word_set

MAX_WORDS = 25
_MIN_CUT_WORDS = 8
_MAX_CJK_CHARS = 2 * MAX_WORDS  # two characters make about one word
# A word cut off mid-way ("we sh- we should"): a few letters and a dash, then a space.
_TRUNCATED_WORD_RE = re.compile(r"(?<!\S)[^\W\d_]{1,6}[-\u2014\u2013](?=\s)")
_CLAUSE_END = (",", ";", ":", "\u2014", "\u2013", "-")
# Markers that are real words unless set off by a comma ("Right, ..." but "Right now ...").
_COMMA_ONLY_MARKERS = word_set("right like look listen now well yes then")
# Words an English sentence cannot end on; and markers that may end one ("now").
_DANGLING_ENGLISH = word_set("to of with for")
_FINAL_ADVERBS = word_set("now then right yes well okay ok there here too also again")
_MIN_KEPT_WORDS = 3


def clean(sentence: str, profile: Profile) -> str:
    """The sentence without speech debris, capitalized, with end punctuation; '' if none left."""
    text = re.sub(r"\s+", " ", sentence).strip()
    text = _TRUNCATED_WORD_RE.sub("", text)
    text = _filler_re(profile.fillers).sub(" ", text)
    text = _soft_filler_re(profile.soft_fillers).sub(lambda m: _join_after_filler(m, profile), text)
    text = _collapse_repeats(text)
    text = _drop_false_start(text)
    text = trim_leading(text, profile)
    return tidy(text, profile)


def trim_leading(text: str, profile: Profile) -> str:
    """Strip greetings and discourse markers that open the sentence ("So, anyway, ...")."""
    marker_re = _marker_re(profile.leading_markers)
    while True:
        trimmed = profile.greeting.sub("", text) if profile.greeting is not None else text
        trimmed = _drop_social_opener(trimmed, profile)
        match = marker_re.match(trimmed)
        if match and not (
            fold(match.group(1)) in _COMMA_ONLY_MARKERS and "," not in match.group(0)
        ):
            trimmed = trimmed[match.end() :]
        trimmed = trimmed.lstrip(" ,;:.!?\u2014\u2013-")
        if trimmed == text or not trimmed:
            return trimmed
        text = trimmed


def _drop_social_opener(text: str, profile: Profile) -> str:
    """ "Hola equipo, ..." / "Thanks Sam, ...": a short social opening before the first comma."""
    head, comma, rest = text.partition(",")
    head_words = head.split()
    if not comma or not head_words or len(head_words) > 3 or len(rest.split()) < 3:
        return text
    social = [fold(w) in profile.social_words for w in head_words]
    # "Hola equipo," is all social words; "Thanks Sam," is one followed by a name.
    names = all(
        w[:1].isupper() for w, is_social in zip(head_words, social, strict=True) if not is_social
    )
    return rest if social[0] and names else text


def tidy(text: str, profile: Profile) -> str:
    """Fix spacing, case and end punctuation after words were removed."""
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:\u2014\u2013-")
    if not text:
        return ""
    if profile.fixes_lowercase_i:
        text = re.sub(r"\bi\b", "I", text)  # "i'm" too: the apostrophe ends the word
    first = next((i for i, c in enumerate(text) if c.isalnum()), None)
    if first is None:
        return ""
    text = text[:first] + text[first].upper() + text[first + 1 :]
    text = _drop_dangling_end(text, profile)
    if text[-1].isalnum():
        text += "\u3002" if has_cjk(text[-1]) else "."
    return text


def _drop_dangling_end(text: str, profile: Profile) -> str:
    """ "... the partner API and honestly." -> "... the partner API.": a clause cut short of
    what it was joining leaves a conjunction, a marker or an article at the end."""
    if text.endswith(("?", "!")):
        return text
    dangling = _dangling_words(profile)
    tokens = text.split()
    while len(tokens) > _MIN_KEPT_WORDS and fold(tokens[-1]).strip(".,;:") in dangling:
        tokens.pop()
    return " ".join(tokens).rstrip(" ,;:\u2014\u2013-") if tokens else text


def _dangling_words(profile: Profile) -> frozenset[str]:
    found = _DANGLING_BY_LANGUAGE.get(profile.code)
    if found is None:
        markers = {m for m in (*profile.leading_markers, *profile.soft_fillers) if " " not in m}
        words_ = profile.conjunctions | profile.determiners | profile.run_on_markers | markers
        # German ends sentences on separable prefixes ("rufe ... an"): English words only here.
        extra = _DANGLING_ENGLISH if profile.code == "en" else frozenset()
        found = frozenset(words_ | extra) - _FINAL_ADVERBS
        _DANGLING_BY_LANGUAGE[profile.code] = found
    return found


_DANGLING_BY_LANGUAGE: dict[str, frozenset[str]] = {}


def shorten(sentence: str, profile: Profile, max_words: int = MAX_WORDS) -> str:
    """At most ``max_words`` words (about twice as many characters in Chinese or Japanese)."""
    if is_mostly_cjk(sentence):
        return _shorten_cjk(sentence)
    if word_count(sentence) <= max_words:
        return sentence
    return cut_at_clause(sentence, profile, max_words)


def cut_at_clause(sentence: str, profile: Profile, max_words: int) -> str:
    """The words before the last clause boundary (a comma, a conjunction) within ``max_words``."""
    tokens = sentence.split()
    # fits[k]: the first k tokens hold at most max_words words ("3.2" or "e.g." hold two).
    fits = [k for k in range(1, len(tokens)) if word_count(" ".join(tokens[:k])) <= max_words]
    limit = fits[-1] if fits else 1
    cuts = [
        k
        for k in range(_MIN_CUT_WORDS, limit + 1)
        if tokens[k - 1].endswith(_CLAUSE_END) or fold(tokens[k]) in profile.conjunctions
    ]
    end = cuts[-1] if cuts else limit
    # No clause boundary: at least do not end on "the" or "by".
    while (
        not cuts and end > _MIN_CUT_WORDS and fold(tokens[end - 1]).strip(",.") in profile.stopwords
    ):
        end -= 1
    return " ".join(tokens[:end]).rstrip(" ,;:\u2014\u2013-") + "."


def _shorten_cjk(sentence: str) -> str:
    if len(sentence) <= _MAX_CJK_CHARS:
        return sentence
    head = sentence[:_MAX_CJK_CHARS]
    cut = max(head.rfind(mark) for mark in "\uff0c\u3001\uff1b,;")
    return (head[:cut] if cut >= _MAX_CJK_CHARS // 4 else head) + "\u3002"


def _join_after_filler(match: re.Match[str], profile: Profile) -> str:
    """Keep a comma where the filler sat between two clauses (", like, they never ...")."""
    following = fold(match.string[match.end() :].lstrip()).split(" ", 1)[0]
    return ", " if following in profile.subject_pronouns else " "


def _collapse_repeats(text: str) -> str:
    """Drop stutters: "the, the goal" -> "the goal", "we need to we need to" -> "we need to"."""
    tokens = text.split()
    keys = [fold(t).strip(",;:.!?\u2014\u2013-") for t in tokens]
    i = 0
    while i < len(tokens):
        for n in (4, 3, 2, 1):
            repeated = (
                keys[i : i + n] == keys[i + n : i + 2 * n] and len(keys[i : i + 2 * n]) == 2 * n
            )
            if repeated and all(keys[i : i + n]) and not keys[i].isdigit():
                del tokens[i : i + n], keys[i : i + n]
                break
        else:
            i += 1
    return " ".join(tokens)


def _drop_false_start(text: str) -> str:
    """ "I was going to, I'll call him" -> "I'll call him": a short start, restarted."""
    match = re.match(r"^([^,\u2014\u2013]{1,40}?)\s*(?:,|\u2014|\u2013|--|\.\.\.)\s+(.+)$", text)
    if not match:
        return text
    head, rest = match.group(1).split(), match.group(2).split()
    if len(head) > 4 or len(rest) < 3:
        return text
    same_subject = _base(head[0]) == _base(rest[0])
    return match.group(2) if same_subject else text


def _base(word: str) -> str:
    return re.sub(r"'(m|ll|re|ve|d|s)$", "", fold(word).strip(",.!?"))


@lru_cache(maxsize=32)
def _filler_re(fillers: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(f) for f in fillers)
    # The filler takes its commas with it: "the server, uh, crashed" -> "the server crashed".
    return re.compile(
        rf"(?:,\s*)?(?<![\w'-])(?:{alternatives})(?![\w'-])[\s,.\u2026]*", re.IGNORECASE
    )


@lru_cache(maxsize=32)
def _soft_filler_re(soft_fillers: tuple[str, ...]) -> re.Pattern[str]:
    if not soft_fillers:
        return re.compile(r"(?!x)x")
    alternatives = "|".join(re.escape(f) for f in soft_fillers)
    # Only where commas set the filler apart: ", you know," or at the very end ", you know."
    return re.compile(rf",\s*(?:{alternatives})\s*(?:,|(?=[.!?]|$))", re.IGNORECASE)


@lru_cache(maxsize=32)
def _marker_re(markers: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(markers, key=len, reverse=True)
    alternatives = "|".join(re.escape(m) for m in ordered) or r"(?!x)x"
    return re.compile(rf"^({alternatives})(?![\w'-])[\s,.;:!\u2014\u2013-]*", re.IGNORECASE)
