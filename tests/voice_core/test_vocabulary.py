"""The one set of rules for a request's vocabulary and language."""

from __future__ import annotations

import pytest

from voice_core.vocabulary import (
    LanguageError,
    VocabularyError,
    merge_vocabularies,
    normalise_language,
    normalise_vocabulary,
    parse_vocabulary_setting,
)


def test_terms_are_trimmed_and_blank_ones_and_repeats_dropped_in_order() -> None:
    terms = ["  ComfyUI ", "", " ", "Ana   Lopez", "comfyui", "COMFYUI", "Kubernetes"]
    assert normalise_vocabulary(terms) == ["ComfyUI", "Ana Lopez", "Kubernetes"]


def test_the_limits_count_terms_after_normalising() -> None:
    assert len(normalise_vocabulary(["same"] * 80 + [f"t{n}" for n in range(49)])) == 50
    assert normalise_vocabulary(["  " + "x" * 50 + "  "]) == ["x" * 50]
    with pytest.raises(VocabularyError, match="more than 50 terms"):
        normalise_vocabulary([f"t{n}" for n in range(51)])
    with pytest.raises(VocabularyError, match="term 2 is longer than 50"):
        normalise_vocabulary(["ok", "x" * 51])


@pytest.mark.parametrize("term", ["a\nb", "a\tb", "nul\x00", "del\x7f", "c1\x85", "\x1b[31m"])
def test_a_control_character_is_refused(term: str) -> None:
    with pytest.raises(VocabularyError, match="term 1 contains a control character"):
        normalise_vocabulary([term])


def test_the_deployment_setting_is_comma_separated() -> None:
    assert parse_vocabulary_setting(" ComfyUI, Ana Lopez ,,") == ["ComfyUI", "Ana Lopez"]
    assert parse_vocabulary_setting("") == []


def test_merged_vocabularies_keep_each_term_once() -> None:
    assert merge_vocabularies(["ComfyUI", "Ana"], ["ana", "Bob"]) == ["ComfyUI", "Ana", "Bob"]


@pytest.mark.parametrize(
    ("given", "code"), [("auto", ""), ("", ""), ("AUTO", ""), ("en", "en"), (" DE ", "de")]
)
def test_a_language_is_auto_or_an_iso_639_1_code(given: str, code: str) -> None:
    assert normalise_language(given) == code


@pytest.mark.parametrize("given", ["english", "e", "en-US", "eng", "1a"])
def test_anything_else_is_not_a_language(given: str) -> None:
    with pytest.raises(LanguageError):
        normalise_language(given)
