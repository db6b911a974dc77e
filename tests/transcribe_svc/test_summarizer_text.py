"""The pieces under the summary: splitting speech into sentences, cleaning and shortening them."""

from __future__ import annotations

import pytest

from transcribe_svc.summarizer import Segment, summarize
from transcribe_svc.summarizer.cleaning import clean
from transcribe_svc.summarizer.compression import compress
from transcribe_svc.summarizer.english import ENGLISH
from transcribe_svc.summarizer.languages import choose_profile
from transcribe_svc.summarizer.sentences import split_transcript


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("Um, the server, uh, crashed twice.", "The server crashed twice."),
        ("So, the, the goal is to ship in May.", "The goal is to ship in May."),
        ("We, we need to we need to fix the login.", "We need to fix the login."),
        ("I was going to, I'll call the bank tomorrow.", "I'll call the bank tomorrow."),
        ("Okay so anyway the invoice is late.", "The invoice is late."),
        ("Hi Sam, the parts arrived this morning.", "The parts arrived this morning."),
        ("First, pagination, which, you know, users want.", "First, pagination, which users want."),
        ("the build is green again", "The build is green again."),
        ("i think i'll take friday off", "I think I'll take friday off."),
        ("Right now the queue is empty.", "Right now the queue is empty."),
    ],
)
def test_cleaning_removes_speech_debris_and_nothing_else(spoken: str, written: str) -> None:
    assert clean(spoken, ENGLISH) == written


@pytest.mark.parametrize("spoken", ["Um.", "Uh, so, yeah.", "Okay."])
def test_a_sentence_of_only_fillers_cleans_to_nothing(spoken: str) -> None:
    assert clean(spoken, ENGLISH) == ""


def test_punctuation_splits_sentences_but_not_abbreviations_or_times() -> None:
    text = "Dr. Patel called at 3 p.m. about the results. They look fine! Is the follow-up booked?"
    assert split_transcript(text, None, ENGLISH) == [
        "Dr. Patel called at 3 p.m. about the results.",
        "They look fine!",
        "Is the follow-up booked?",
    ]


def test_run_on_speech_splits_where_a_new_thought_starts() -> None:
    text = (
        "the delivery came early today um the boxes were damaged so i took photos of everything "
        "we should file a claim with the courier before friday"
    )
    assert split_transcript(text, None, ENGLISH) == [
        "the delivery came early today",
        "um the boxes were damaged",
        "so i took photos of everything",
        "we should file a claim with the courier before friday",
    ]


def test_segments_split_unpunctuated_text_and_long_pauses_split_punctuated_text() -> None:
    raw = [Segment(0, 2, " the heater is broken"), Segment(2.1, 4, " the landlord knows")]
    assert split_transcript("", raw, ENGLISH) == ["the heater is broken", "the landlord knows"]
    paused = [Segment(0, 2, "We met the architect and"), Segment(5, 7, "the plans are final.")]
    assert split_transcript("", paused, ENGLISH) == [
        "We met the architect and",
        "the plans are final.",
    ]


def test_compression_keeps_the_informative_clause_of_a_rambling_sentence() -> None:
    sentence = (
        "I spent the whole afternoon on it yesterday and I'm pretty sure the memory leak is in "
        "the image cache, because it only grows when thumbnails are generated."
    )
    assert compress(sentence, ENGLISH) == "I'm pretty sure the memory leak is in the image cache."


def test_compression_drops_asides_before_cutting_content() -> None:
    sentence = "The design team, on the other hand, was really happy with the new icons and fonts."
    assert (
        compress(sentence, ENGLISH)
        == "The design team was really happy with the new icons and fonts."
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The team shipped the release and the customers are happy with it.", "en"),
        ("El equipo terminó el informe y lo enviamos a los clientes.", "es"),
        ("Nous avons fini le rapport et les clients sont contents.", "fr"),
        ("Wir haben den Bericht fertig und die Kunden sind zufrieden.", "de"),
        ("A equipe terminou o relatório e os clientes estão felizes.", "pt"),
        ("我们已经完成了报告。客户很满意。", "zh"),
    ],
)
def test_the_language_is_detected_from_the_text(text: str, code: str) -> None:
    assert choose_profile(text, None).code == code


def test_whisper_language_codes_are_accepted() -> None:
    assert choose_profile("anything", "en-US").code == "en"
    assert choose_profile("anything", "fr").code == "fr"
    assert choose_profile("anything", "sw").code == "xx"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Bonjour à tous. Le serveur de production est tombé à trois heures du matin. La cause "
            "était un disque plein sur la base de données. Le service est revenu après quarante "
            "minutes. Je vais ajouter une alerte sur l'espace disque demain.",
            None,
        ),
        (
            "Oi gente. O cliente aprovou o orçamento de vinte mil reais. A entrega ficou para o "
            "fim de março. Preciso enviar o contrato assinado até sexta.",
            "pt",
        ),
        ("Habari za asubuhi. Mkutano wa bodi umehamishwa hadi Alhamisi saa nne asubuhi.", "sw"),
        ("今天的会议很顺利。客户同意了新的价格。我们需要在周五之前发送合同。", None),
        ("東京の倉庫は来週から稼働します。在庫の移動は月曜日に始まります。", "ja"),
    ],
)
def test_non_english_notes_get_extractive_bullets(text: str, language: str | None) -> None:
    summary = summarize(text, language=language)
    assert 1 <= len(summary.bullets) <= 5
    flat = text.replace(" ", "")
    for bullet in summary.bullets:
        # Extractive: a bullet is a stretch of the transcript, cleaned at its ends.
        assert bullet.strip(".\u3002").replace(" ", "")[1:12] in flat, bullet
    assert summary.next_step
