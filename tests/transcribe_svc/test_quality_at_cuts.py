"""Cutting a note into windows at its pauses costs (almost) no accuracy: the word error rate
of the windowed transcript is within one point of the same model on the whole file.

A 5-minute note read by espeak-ng; about 50 s on two cores (both transcriptions).
"""

from __future__ import annotations

import io

import pytest

from tests.transcribe_svc import media, spoken
from transcribe_svc.asr import SpeechToText
from transcribe_svc.config import TranscribeSettings

pytestmark = pytest.mark.skipif(not spoken.espeak_available(), reason="needs espeak-ng")


def test_windows_cut_at_pauses_cost_at_most_one_point_of_wer() -> None:
    note = spoken.spoken_note(300)
    speech_to_text = SpeechToText(TranscribeSettings())
    speech_to_text.load()
    windowed = speech_to_text.transcribe(io.BytesIO(media.wav(note.samples)), "en")
    whole = speech_to_text.transcribe_whole(note.samples, "en")
    windowed_wer = spoken.word_error_rate(note.text, windowed.text)
    whole_wer = spoken.word_error_rate(note.text, whole)
    assert windowed_wer <= whole_wer + 0.01, (windowed_wer, whole_wer)
