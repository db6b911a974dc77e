"""How the next-step model reads a sentence's clauses, in six languages: decisions, announcements,
imperatives with attached pronouns, facts recalled with "don't forget that", and the parts of an
action said after a comma."""

from __future__ import annotations

import pytest

from transcribe_svc.summarizer import summarize
from transcribe_svc.summarizer.action_cues import is_imperative
from transcribe_svc.summarizer.languages import PROFILES
from transcribe_svc.summarizer.next_step_features import read_clauses, split_clauses
from transcribe_svc.summarizer.next_step_weights import WEIGHTS
from transcribe_svc.summarizer.text import fold


def readings(sentence: str, language: str) -> dict[int, dict[str, float]]:
    found = read_clauses(sentence, split_clauses(sentence), 0.5, False, PROFILES[language])
    return {r.clause: r.features for r in found}


def next_step(text: str, language: str) -> str | None:
    summary = summarize(text, language=language)
    return summary.next_step if summary.next_step_found else None


DECISIONS = {
    "en": "We must choose the venue before March.",
    "es": "Tenemos que elegir el local antes de marzo.",
    "fr": "Il faut qu'on choisisse la salle avant fin mars.",
    "de": "Wir müssen uns bis März für einen Saal entscheiden.",
    "pt": "Tenho de decidir até sexta-feira qual é a sala.",
    "it": "Dobbiamo scegliere la sala entro marzo.",
}


@pytest.mark.parametrize("language", sorted(DECISIONS))
def test_an_obligation_to_decide_is_read_as_a_decision(language: str) -> None:
    (features,) = readings(DECISIONS[language], language).values()
    assert features["decision"] == 1.0


def test_a_decision_weighs_against_the_action_and_an_announcement_for_it() -> None:
    assert WEIGHTS["decision"] < 0 < WEIGHTS["announced"]


ANNOUNCEMENTS = {
    "en": ("What we'll do: organise a demo of both tools with the IT team.", "organise a demo"),
    "es": ("Lo que vamos a hacer: organizar una demo de las dos herramientas.", "organizar una"),
    "fr": ("Ce qu'on va faire, c'est organiser une démo des deux outils.", "organiser une démo"),
    "de": ("Am Montag werden wir Folgendes tun: eine Demo der beiden Tools organisieren.", "demo"),
    "pt": ("O que vamos fazer: organizar uma demo das duas ferramentas.", "organizar uma demo"),
    "it": ("Quello che faremo: organizzare una demo dei due strumenti.", "organizzare una demo"),
}


@pytest.mark.parametrize("language", sorted(ANNOUNCEMENTS))
def test_an_announcement_hands_its_cue_to_the_clause_it_announces(language: str) -> None:
    sentence, action = ANNOUNCEMENTS[language]
    found = readings(sentence, language)
    assert list(found) == [1], found
    assert found[1]["announced"] == 1.0
    step = next_step(f"{sentence}", language)
    assert step is not None
    assert action in fold(step)


@pytest.mark.parametrize(
    ("language", "clause"),
    [
        ("es", "mándame el certificado antes del viernes"),
        ("es", "llámalo mañana"),
        ("it", "chiamalo domani mattina"),
        ("it", "mandami il certificato entro venerdì"),
        ("pt", "manda-me o certificado até sexta"),
    ],
)
def test_an_imperative_with_an_object_pronoun_attached_is_an_imperative(
    language: str, clause: str
) -> None:
    assert is_imperative(clause, PROFILES[language])


def test_a_verb_with_a_pronoun_like_ending_is_not_taken_for_one() -> None:
    # "parla" ends in "la", but "par" is no verb of the list: only known verbs count.
    assert not is_imperative("parla con lui", PROFILES["it"])


FORGET_THAT = {
    "en": "And don't forget that your mother comes for lunch on Saturday.",
    "es": "Y que no se te olvide que el sábado viene mi madre a comer.",
    "fr": "Et n'oublie pas que ta mère vient déjeuner samedi.",
    "de": "Und vergiss nicht, dass deine Mutter am Samstag zum Essen kommt.",
    "pt": "E não te esqueças de que a tua mãe vem almoçar no sábado.",
    "it": "E non dimenticare che sabato viene tua madre a pranzo.",
}


@pytest.mark.parametrize("language", sorted(FORGET_THAT))
def test_dont_forget_that_recalls_a_fact(language: str) -> None:
    profile = PROFILES[language]
    assert profile.fact_cue is not None
    assert profile.fact_cue.search(fold(FORGET_THAT[language]))


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "The walk-in fridge was at eight degrees. I'll call the refrigeration guy, Frank, "
            "first thing tomorrow, before seven, because the delivery comes at ten.",
            "I'll call the refrigeration guy, Frank, first thing tomorrow, before seven.",
        ),
        (
            "en",
            "The boiler is twenty years old. On Monday I will telephone the boiler company, "
            "and ask for two written quotes.",
            "On Monday I will telephone the boiler company, and ask for two written quotes.",
        ),
    ],
)
def test_the_next_step_keeps_its_time_its_names_and_its_second_verb(
    language: str, text: str, expected: str
) -> None:
    assert next_step(text, language) == expected


def test_an_explicit_label_cut_off_from_its_step_hands_its_cue_to_the_next_sentence() -> None:
    text = (
        "die vignette läuft ende jänner ab und wir fahren am zweiten februar nach kärnten "
        "also mein nächster schritt ist. zuerst die vignette bei der trafik kaufen"
    )
    step = next_step(text, "de")
    assert step is not None
    assert "vignette bei der trafik kaufen" in fold(step)


def test_a_verb_final_clause_is_no_announcement() -> None:
    # German puts the modal last: "was man nie tun soll" ends on its cue, but announces nothing.
    sentence = "Ich habe gegoogelt, was man nie tun soll, und mir das Schlimmste ausgemalt."
    assert not any(f["announced"] for f in readings(sentence, "de").values())


NEGATIVES = {
    "en": "We can't do both with this team.",
    "es": "No hay sitio para todos en la sala.",
    "fr": "Il n'y a pas assez de place pour tout le monde.",
    "de": "Bitte die Paletten nicht ausliefern.",
    "pt": "Não temos lugar para toda a gente.",
    "it": "Non mi resta niente in sospeso.",
}


@pytest.mark.parametrize("language", sorted(NEGATIVES))
def test_each_language_knows_its_negations(language: str) -> None:
    profile = PROFILES[language]
    assert any(word in profile.negation_words for word in fold(NEGATIVES[language]).split())


def test_the_label_and_its_that_are_left_out_of_the_next_step() -> None:
    text = (
        "Customer feedback on the new search was very positive. "
        "The next step is that I will send the final budget to Maria on Friday."
    )
    assert next_step(text, "en") == "I will send the final budget to Maria on Friday."


@pytest.mark.parametrize("aside", ["thanks", "I think", "honestly"])
def test_a_sign_off_or_an_aside_after_the_action_stays_out_of_it(aside: str) -> None:
    text = f"The boiler is twenty years old. I will call the plumber on Monday, {aside}."
    assert next_step(text, "en") == "I will call the plumber on Monday."


def test_a_reason_with_a_date_after_the_action_stays_out_of_it() -> None:
    text = "The boiler is twenty years old. I will call the plumber, because Monday is late."
    assert next_step(text, "en") == "I will call the plumber."
