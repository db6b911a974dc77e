"""Key facts: the bullet model's features, and the facts a summary must not drop."""

from __future__ import annotations

import pytest

from transcribe_svc.summarizer import summarize
from transcribe_svc.summarizer.bullet_features import FEATURES, bullet_features
from transcribe_svc.summarizer.bullet_weights import WEIGHTS
from transcribe_svc.summarizer.candidates import analyze
from transcribe_svc.summarizer.cleaning import tidy
from transcribe_svc.summarizer.compression import compress
from transcribe_svc.summarizer.english import ENGLISH
from transcribe_svc.summarizer.languages import PROFILES


def features_of(text: str, index: int = 1, count: int = 6) -> dict[str, float]:
    return bullet_features(analyze(index, text, ENGLISH, True), index, count, 0.5, ENGLISH)


def test_every_feature_has_a_fitted_weight() -> None:
    assert set(WEIGHTS) == set(FEATURES)


@pytest.mark.parametrize(
    ("sentence", "feature"),
    [
        ("The quote came to eight hundred dollars.", "number"),
        ("The board approved the budget for Lisbon.", "salient"),
        ("Their only worry was the delivery time.", "emphasis"),
        ("The main thing is the grant came through.", "emphasis"),
        ("I'm recording this from the car park.", "setting"),
        ("Quick update after the call with Dana.", "meta"),
        ("I'll call the garage tomorrow morning.", "action"),
        ("Should we move the launch to May?", "question"),
    ],
)
def test_each_feature_is_recognised(sentence: str, feature: str) -> None:
    assert features_of(sentence)[feature] == 1.0


def test_the_fitted_weights_favour_facts_and_disfavour_commentary() -> None:
    for feature in ("centrality", "number", "salient", "content", "emphasis"):
        assert WEIGHTS[feature] > 0, feature
    for feature in ("setting", "meta", "action", "evaluative", "short"):
        assert WEIGHTS[feature] < 0, feature


def test_a_key_fact_said_once_at_the_start_is_kept() -> None:
    text = (
        "The grant was approved this morning, three more years of funding. I spent the afternoon "
        "in the greenhouse looking at the tomato trials. The irrigation timer on bench four is "
        "broken again and flooded two trays. The new intern starts on Monday and will help with "
        "the soil samples. I'm going to order a new timer from the supplier tomorrow."
    )
    assert any("grant was approved" in b for b in summarize(text).bullets)


def test_an_objection_is_kept() -> None:
    text = (
        "Just left the Brightline meeting. They liked the demo, the ops lead was nodding the whole "
        "time. They want two hundred licenses, starting in spring. Their only worry was the "
        "delivery time, they got burned by a vendor last year. Pricing did not come up at all. "
        "I'll send the proposal with a six week timeline by Thursday."
    )
    assert any("only worry was the delivery time" in b for b in summarize(text).bullets)


def test_the_next_step_is_not_repeated_as_a_bullet() -> None:
    text = (
        "The boiler failed again last night. The engineer thinks it is the pump, about four "
        "hundred pounds with labour. The boiler is nineteen years old. It is still under warranty "
        "until October. I'll call the landlord first thing tomorrow about the repair."
    )
    summary = summarize(text)
    assert summary.next_step_found
    assert not any("landlord" in b for b in summary.bullets)


@pytest.mark.parametrize("code", ["en", "es", "fr", "de", "pt", "it"])
def test_a_fragment_never_ends_on_a_dangling_conjunction(code: str) -> None:
    profile = PROFILES[code]
    conjunction = sorted(profile.conjunctions)[0]
    assert tidy(f"The roadmap has two big items {conjunction}", profile).endswith("items.")


def test_a_bullet_is_cut_at_a_clause_boundary_not_before_its_condition_closes() -> None:
    sentence = (
        "The forklift inspection is due on the fifteenth, and if we miss it, we can't legally "
        "use the machines at all until the inspector comes back next month."
    )
    bullet = compress(sentence, ENGLISH)
    assert not bullet.rstrip(".").endswith(("miss it", "and", "if"))
    assert len(bullet.split()) <= 25


def test_negations_contrasts_narration_and_times_are_bullet_features() -> None:
    assert set(WEIGHTS) == set(FEATURES)
    statement = analyze(0, "They didn't sign, but we called them on Friday.", ENGLISH, True)
    features = bullet_features(statement, 0, 3, 1.0, ENGLISH)
    assert features["negation"] == features["contrast"] == features["time"] == 1.0
    assert features["past"] == 1.0
