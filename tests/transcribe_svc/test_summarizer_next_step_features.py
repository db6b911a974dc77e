"""The next-step model feature by feature: each one moves the choice the way it says it does."""

from __future__ import annotations

import pytest

from transcribe_svc.summarizer import summarize
from transcribe_svc.summarizer.english import ENGLISH
from transcribe_svc.summarizer.next_step import score
from transcribe_svc.summarizer.next_step_features import (
    CUE_KINDS,
    FEATURES,
    read_clauses,
    split_clauses,
)
from transcribe_svc.summarizer.next_step_weights import THRESHOLD, WEIGHTS
from transcribe_svc.summarizer.profile import any_of, cue
from transcribe_svc.summarizer.text import fold

CONTEXT = "The quarterly numbers came in. Revenue grew eleven percent. Churn was flat."


def features_of(sentence: str, position: float = 0.5) -> dict[str, float]:
    readings = read_clauses(sentence, split_clauses(sentence), position, False, ENGLISH)
    assert readings, sentence
    return max(readings, key=lambda r: score(r.features)).features


def next_step_of(text: str) -> str | None:
    summary = summarize(text)
    return summary.next_step if summary.next_step_found else None


def test_every_feature_has_a_weight_and_no_weight_is_orphaned() -> None:
    assert set(WEIGHTS) == set(FEATURES)


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("My job now is to chase the supplier.", "explicit"),
        ("First thing I'll do is call the bank.", "explicit"),
        ("Can you send me the contract?", "request"),
        ("I'll send the contract to Dana.", "commit"),
        ("Book the garage for the car.", "imperative"),
        ("Sarah's going to draft the agenda.", "delegate"),
        ("We need to replace the router.", "obligation"),
        ("I'd like to repaint the hallway.", "intention"),
    ],
)
def test_each_kind_of_cue_is_recognised(sentence: str, kind: str) -> None:
    assert features_of(sentence)[kind] == 1.0


def test_the_fitted_weights_keep_the_signs_the_features_stand_for() -> None:
    # Fitted, not hand-set (eval/fit_next_step.py): only what the features mean is pinned here.
    cue_weights = {kind: WEIGHTS[kind] for kind in CUE_KINDS}
    assert max(cue_weights, key=cue_weights.__getitem__) == "explicit"
    assert min(cue_weights, key=cue_weights.__getitem__) == "intention"
    for feature in ("time", "position", "content"):
        assert WEIGHTS[feature] > 0, feature
    for feature in ("fact", "hedge", "opening", "question"):
        assert WEIGHTS[feature] < 0, feature


def test_a_time_expression_adds_weight() -> None:
    dated = features_of("We need to replace the router on Friday.")
    undated = features_of("We need to replace the router soon enough.")
    assert dated["time"] == 1.0
    assert undated["time"] == 0.0
    assert score(dated) > score(undated)


def test_a_later_position_adds_weight() -> None:
    assert score(features_of("I'll call them.", 1.0)) > score(features_of("I'll call them.", 0.0))


def test_a_fuller_action_beats_a_partial_one() -> None:
    partial = features_of("We need new tyres.")
    complete = features_of("First thing is booking the garage for new tyres before the trip.")
    assert complete["content"] > partial["content"]
    assert (
        next_step_of(
            "We need new tyres. The trip is in June. "
            "First thing is booking the garage for new tyres before the trip. The kids are excited."
        )
        == "Booking the garage for new tyres before the trip."
    )


def test_a_fact_recalled_loses_to_the_instruction_after_it() -> None:
    assert features_of("Remember the rent is due on the first.")["fact"] == 1.0
    text = (
        f"{CONTEXT} Remember the rent is due on the first. Pay it from the joint account on Friday."
    )
    assert next_step_of(text) == "Pay it from the joint account on Friday."


def test_a_plan_beats_an_obligation_about_a_decision() -> None:
    text = (
        "We must choose a venue by March. Both halls are nice. "
        "Let's visit the two halls on Saturday and pick one. The budget is fine."
    )
    assert next_step_of(text) == "Let's visit the two halls on Saturday and pick one."


def test_where_the_note_is_recorded_from_is_never_the_next_step() -> None:
    opening = "I'm recording this from the car, so let's keep it short today."
    assert read_clauses(opening, split_clauses(opening), 0.0, True, ENGLISH) == []
    assert next_step_of(f"{opening} {CONTEXT}") is None


def test_a_hedge_counts_against_a_plan() -> None:
    assert features_of("Maybe we could repaint the hallway.")["hedge"] == 1.0
    assert next_step_of(f"{CONTEXT} Maybe one day we could repaint the hallway.") is None


def test_in_run_on_speech_the_next_step_starts_at_its_cue() -> None:
    text = (
        "okay so the venue tour went fine the big hall is nice and the small one is cheaper "
        "which is fine i suppose but the thing is we must choose a venue by march"
    )
    found = next_step_of(text)
    assert found is not None
    assert found.startswith("We must choose a venue by march")


def test_below_the_threshold_there_is_no_next_step() -> None:
    weak = features_of("I'd like to repaint the hallway.", 0.0)
    assert score(weak) < THRESHOLD
    assert next_step_of(f"I'd like to repaint the hallway. {CONTEXT}") is None


def test_a_cue_pattern_matches_folded_text_as_a_case_insensitive_one_would() -> None:
    alternatives = (r"\bnext steps?\b", r"^reminder\b", r"\b(i|we) will\b", r"\bals nächstes\b")
    fast, reference = cue(*alternatives), any_of(*alternatives)
    assert fast is not None
    assert reference is not None
    for text in ("Next step: call", "REMINDER to pay", "so we will go", "Als Nächstes", "nope"):
        assert bool(fast.search(fold(text))) == bool(reference.search(text))
