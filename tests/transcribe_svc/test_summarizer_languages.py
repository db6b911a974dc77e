"""Next steps in six languages: each language's own cues, and its negated plans, recognised."""

from __future__ import annotations

import pytest

from transcribe_svc.summarizer import summarize
from transcribe_svc.summarizer.languages import PROFILES
from transcribe_svc.summarizer.next_step_features import is_subordinate, read_clauses, split_clauses
from transcribe_svc.summarizer.text import fold

# (language, context, an explicit marker, a commitment, a dated plan, a no-action ending)
NOTES = {
    "en": (
        "The grant was approved this morning. The lab needs two new freezers. Rent is fine.",
        "Next step is booking the garage for new tyres before the trip.",
        "I'll send the budget to finance on Friday.",
        "Tomorrow I'm meeting the landlord about the lease.",
        "I'm not going to decide anything today.",
    ),
    "es": (
        "El cliente aprobó el diseño nuevo. Quieren lanzar en abril. El presupuesto es de diez "
        "mil euros.",
        "Lo próximo es reservar la sala para la presentación.",
        "Voy a llamar al proveedor el lunes para confirmar la entrega.",
        "Mañana llamo al seguro para abrir el parte.",
        "No voy a decidir nada hoy, solo quería contarlo.",
    ),
    "fr": (
        "Le client a validé la maquette. Ils veulent lancer en avril. Le budget est de dix "
        "mille euros.",
        "La prochaine étape, c'est de réserver la salle pour la présentation.",
        "Je vais appeler le fournisseur lundi pour confirmer la livraison.",
        "Demain j'appelle l'assurance pour déclarer le sinistre.",
        "Pas besoin de faire quoi que ce soit pour l'instant.",
    ),
    "de": (
        "Der Kunde hat das Design freigegeben. Sie wollen im April starten. Das Budget liegt bei "
        "zehntausend Euro.",
        "Als Nächstes buche ich den Raum für die Präsentation.",
        "Ich werde am Montag den Lieferanten anrufen und die Lieferung bestätigen.",
        "Wir müssen die alten Schränke bis Freitag abbauen.",
        "Es ist nicht nötig, heute etwas zu tun.",
    ),
    "pt": (
        "O cliente aprovou o novo design. Eles querem lançar em abril. O orçamento é de dez mil "
        "reais.",
        "O próximo passo é reservar a sala para a apresentação.",
        "Vou ligar para o fornecedor na segunda para confirmar a entrega.",
        "Amanhã ligo para o seguro para abrir o sinistro.",
        "Não precisa fazer nada por enquanto.",
    ),
    "it": (
        "Il cliente ha approvato il nuovo design. Vogliono lanciare ad aprile. Il budget è di "
        "diecimila euro.",
        "La prossima cosa è prenotare la sala per la presentazione.",
        "Chiamerò il fornitore lunedì per confermare la consegna.",
        "Domani mattina chiamo l'assicurazione per aprire il sinistro.",
        "Non serve fare niente per adesso.",
    ),
}


def next_step(text: str, language: str) -> str | None:
    summary = summarize(text, language=language)
    return summary.next_step if summary.next_step_found else None


def content_of(sentence: str) -> str:
    return sentence.rstrip(".").split()[-2].lower()


@pytest.mark.parametrize("language", sorted(NOTES))
@pytest.mark.parametrize("cue", [1, 2, 3], ids=["explicit", "commitment", "dated plan"])
def test_each_language_recognises_its_own_action_cues(language: str, cue: int) -> None:
    context, action = NOTES[language][0], NOTES[language][cue]
    found = next_step(f"{context} {action}", language)
    assert found is not None
    assert content_of(action) in found.lower()


@pytest.mark.parametrize("language", sorted(NOTES))
def test_each_language_says_no_next_step_when_the_plan_is_negated(language: str) -> None:
    context, ending = NOTES[language][0], NOTES[language][4]
    assert next_step(f"{context} {ending}", language) is None


@pytest.mark.parametrize("language", sorted(NOTES))
def test_an_explicit_marker_beats_an_earlier_commitment(language: str) -> None:
    context, explicit, commitment = NOTES[language][:3]
    found = next_step(f"{commitment} {context} {explicit}", language)
    assert found is not None
    assert content_of(explicit) in found.lower()


@pytest.mark.parametrize("language", sorted(NOTES))
def test_the_language_is_detected_without_a_code(language: str) -> None:
    context, _, commitment = NOTES[language][:3]
    summary = summarize(f"{context} {commitment}")
    assert summary.next_step_found
    assert content_of(commitment) in summary.next_step.lower()


def test_german_als_naechstes_is_an_explicit_next_step() -> None:
    text = (
        "Die Heizung ist wieder ausgefallen. Der Techniker war gestern da. Wir sollten mal über "
        "einen neuen Kessel reden. Als Nächstes rufe ich den Vermieter an."
    )
    assert next_step(text, "de") == "Als Nächstes rufe ich den Vermieter an."


# An imperative after the listener's name, a connective or a time, in each language.
LEAD_IN_IMPERATIVES = {
    "en": "And then tomorrow call the supplier about the missing pallets.",
    "es": "Tú mañana llama al proveedor por los palés que faltan.",
    "fr": "Et puis demain appelle le fournisseur pour les palettes manquantes.",
    "de": "Und dann morgen ruf den Lieferanten wegen der fehlenden Paletten an.",
    "pt": "Tu amanhã liga ao fornecedor por causa das paletes que faltam.",
    "it": "Tu domattina chiama il fornitore per i bancali mancanti.",
}

# An obligation on someone other than the speaker, in each language.
OTHERS_OBLIGATIONS = {
    "en": "Marta has to tell the lab to come up at seven sharp.",
    "es": "Marta tiene que avisar al laboratorio para que suban a las siete.",
    "fr": "Marta doit prévenir le laboratoire pour la prise de sang à sept heures.",
    "de": "Du musst heute noch das Labor wegen der Blutabnahme anrufen.",
    "pt": "A Marta tem de avisar o laboratório para subirem às sete.",
    "it": "Marta deve avvisare il laboratorio che salgano alle sette.",
}


# (narration, reported speech, a clause of purpose) read as statements, in each language.
STATEMENTS = {
    "en": (
        "I called the technician and he can come on Thursday.",
        "She said that we should move the launch.",
        "to see whether he can raise it that much.",
    ),
    "es": (
        "He llamado al técnico y puede venir el jueves.",
        "Dice que deberíamos mover el lanzamiento.",
        "para saber si puede subirlo tanto.",
    ),
    "fr": (
        "J'ai appelé le technicien et il peut venir jeudi.",
        "Elle a dit que on doit décaler le lancement.",
        "pour savoir si il peut augmenter autant.",
    ),
    "de": (
        "Ich habe den Techniker angerufen, er kann am Donnerstag kommen.",
        "Sie sagt, dass wir den Start verschieben müssen.",
        "ob er das so stark erhöhen darf.",
    ),
    "pt": (
        "Liguei ao técnico e ele só pode vir na quinta-feira.",
        "Disse que a gente devia mudar o lançamento.",
        "pra saber se ele pode aumentar tanto assim.",
    ),
    "it": (
        "Ho chiamato il tecnico e può venire giovedì.",
        "Ha detto che dobbiamo spostare il lancio.",
        "per capire se può aumentarlo così tanto.",
    ),
}


@pytest.mark.parametrize("language", sorted(STATEMENTS))
def test_narration_reported_speech_and_purpose_read_as_statements(language: str) -> None:
    profile = PROFILES[language]
    narration, reported, purpose = (fold(s) for s in STATEMENTS[language])
    assert profile.past_cue is not None
    assert profile.past_cue.search(narration), narration
    assert profile.reported_cue is not None
    assert profile.reported_cue.search(reported), reported
    assert is_subordinate(purpose, profile), purpose


@pytest.mark.parametrize("language", sorted(STATEMENTS))
def test_the_plan_is_not_a_statement(language: str) -> None:
    profile = PROFILES[language]
    plan = fold(NOTES[language][2])
    assert profile.past_cue is not None
    assert profile.reported_cue is not None
    assert not profile.past_cue.search(plan), plan
    assert not profile.reported_cue.search(plan), plan
    assert not is_subordinate(plan, profile), plan


# "My priority is ...", "the best thing is to ...", in each language.
PRIORITIES = {
    "en": "My priority, call the insurer about the broken window.",
    "es": "Mi prioridad, llamar al seguro por la ventana rota.",
    "fr": "Ma priorité, c'est d'appeler l'assurance pour la fenêtre cassée.",
    "de": "Meine Priorität ist, die Versicherung wegen dem kaputten Fenster anzurufen.",
    "pt": "Minha prioridade é ligar pro seguro por causa da janela quebrada.",
    "it": "La mia priorità è chiamare l'assicurazione per la finestra rotta.",
}
BEST_OPTIONS = {
    "en": "The best thing is to call the insurer about the broken window.",
    "es": "Lo mejor es llamar al seguro por la ventana rota.",
    "fr": "Le mieux c'est d'appeler l'assurance pour la fenêtre cassée.",
    "de": "Am besten rufe ich die Versicherung wegen dem kaputten Fenster an.",
    "pt": "O melhor é ligar pro seguro por causa da janela quebrada.",
    "it": "La cosa migliore è chiamare l'assicurazione per la finestra rotta.",
}


@pytest.mark.parametrize("language", sorted(PRIORITIES))
def test_a_priority_is_an_explicit_marker(language: str) -> None:
    profile = PROFILES[language]
    assert profile.label_cue is not None
    assert profile.label_cue.search(fold(PRIORITIES[language]))


@pytest.mark.parametrize("language", sorted(NOTES))
@pytest.mark.parametrize(
    "actions",
    [LEAD_IN_IMPERATIVES, OTHERS_OBLIGATIONS, PRIORITIES, BEST_OPTIONS],
    ids=["imperative after a lead-in", "someone else's obligation", "priority", "best option"],
)
def test_each_language_recognises_more_ways_to_state_the_action(
    language: str, actions: dict[str, str]
) -> None:
    found = next_step(f"{NOTES[language][0]} {actions[language]}", language)
    assert found is not None
    assert content_of(actions[language]) in found.lower()


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Let's book the small hall, actually no, the big one is better."),
        ("es", "Vamos a reservar la sala pequeña, mejor dicho, la grande."),
        ("fr", "Il faut réserver la petite salle... en fait non, la grande."),
        ("de", "Wir müssen den kleinen Saal buchen, nein warte, den großen."),
        ("pt", "Vamos reservar a sala pequena, ou melhor, a grande."),
        ("it", "Dobbiamo prenotare la sala piccola, anzi, quella grande."),
    ],
)
def test_a_plan_the_speaker_corrects_is_read_as_retracted(language: str, sentence: str) -> None:
    clauses = split_clauses(sentence)
    readings = read_clauses(sentence, clauses, 0.5, False, PROFILES[language])
    assert readings
    assert readings[0].features["retracted"] == 1.0
