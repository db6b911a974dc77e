"""Which kinds of next-step cue a clause carries, and whether it opens with an imperative.

The cue patterns themselves are each language's (``Profile``): an explicit marker, a request, a
commitment, someone else's plan, an obligation, an intention. An imperative is told by its verb,
which Spanish, Italian and Portuguese may join to its object pronouns ("mándame", "chiamalo").
"""

from __future__ import annotations

from transcribe_svc.summarizer.cleaning import trim_leading
from transcribe_svc.summarizer.lexicon import IMPERATIVE_LEAD_INS
from transcribe_svc.summarizer.profile import Pattern, Profile
from transcribe_svc.summarizer.text import fold, word_set, words

# At most this many lead-in words before an imperative's verb ("and then tomorrow call ...").
_MAX_LEAD_INS = 3
_MIN_IMPERATIVE_STEM = 2
_STRESS_ACCENTS = str.maketrans("áéíóú", "aeiou")
# A noun that looks like a verb ("Call went well", "Test results look good") has a verb of its
# own right after it, or after the noun it qualifies.
_NOT_IMPERATIVE_AFTER = word_set(
    """
    is was are were has had have went came look looks looked seem seems seemed will would can
    could did does do
    """
)


def cue_patterns(profile: Profile) -> tuple[tuple[str, Pattern | None], ...]:
    return (
        ("explicit", profile.label_cue),
        ("request", profile.request_cue),
        ("commit", profile.commit_cue),
        ("delegate", profile.delegate_cue),
        ("obligation", profile.obligation_cue),
        ("intention", profile.intention_cue),
    )


def has_any_cue(folded: str, profile: Profile) -> bool:
    """A quick test that settles most sentences without reading them clause by clause."""
    return any(cue is not None and cue.search(folded) for _, cue in cue_patterns(profile))


def cues(clause: str, profile: Profile) -> dict[str, int]:
    """The kinds of cue in a clause, each with the word index where it starts."""
    folded = fold(trim_leading(clause, profile))
    found: dict[str, int] = {}
    for kind, cue in cue_patterns(profile):
        match = cue.search(folded) if cue is not None else None
        if match:
            found[kind] = len(folded[: match.start()].split())
    if is_imperative(folded, profile):
        found["imperative"] = 0
    return found


def is_imperative(folded_clause: str, profile: Profile) -> bool:
    """A clause that opens with an imperative verb, perhaps after a word or two that name the
    listener, join it to what came before or say when ("tu domattina chiama il grossista")."""
    tokens = words(folded_clause)
    lead = 0
    while lead < min(_MAX_LEAD_INS, len(tokens) - 1) and _lead_in(tokens[lead], profile):
        lead += 1
    tokens = tokens[lead:]
    if not tokens or not _imperative_verb(tokens[0], profile):
        return False
    return len(tokens) > 1 and not any(t in _NOT_IMPERATIVE_AFTER for t in tokens[1:3])


def _imperative_verb(token: str, profile: Profile) -> bool:
    """An imperative verb of the profile, perhaps with object pronouns attached: "mándame" is
    "manda" + "me", "chiamalo" "chiama" + "lo", "manda-me" "manda" + "-me"."""
    if token in profile.imperative_verbs:
        return True
    for enclitic in profile.enclitics:
        stem = token.removesuffix(enclitic)
        if stem == token or len(stem) < _MIN_IMPERATIVE_STEM:
            continue
        # The pronoun moves the stress, which Spanish then writes: "mánda" + "me".
        if stem in profile.imperative_verbs or _unaccented(stem) in profile.imperative_verbs:
            return True
    return False


def _unaccented(word: str) -> str:
    return word.translate(_STRESS_ACCENTS)


def _lead_in(token: str, profile: Profile) -> bool:
    return token in IMPERATIVE_LEAD_INS or matches(profile.time_cue, token)


def matches(pattern: Pattern | None, folded: str) -> bool:
    return pattern is not None and pattern.search(folded) is not None
